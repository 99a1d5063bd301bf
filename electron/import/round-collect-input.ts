// rounds.collect's input handed to the collector: each file as the page sent it (its base64 through
// the web bridge, or in Electron the path of the file the person chose, taken from the File by the
// preload's webUtils.getPathForFile, so the bytes never cross IPC), turned into bytes where the
// collect runs (the round worker, electron/import/worker.ts, on a large ledger; else the router's
// handler, electron/ipc/round-transfers.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput } from '../../shared/ipc/contract';
import type { CollectFileResult } from '../../shared/rounds';
import { ServiceError, type ServiceContext } from '../core/context';
import { collectRoundFiles, LEDGER_EXT } from './round-files';
import type { RoundServeFile } from './worker-protocol';

/** the largest returned ledger taken by path (as by base64: the channel's limit) */
export const MAX_COLLECT_FILE_BYTES = 52 * 1024 * 1024;

/**
 * A path from the page is only ever a returned ledger the person chose: absolute, a spreadsheet by
 * its extension, a regular file within the size limit; anything else is refused in Chinese.
 */
export function checkCollectPath(p: string): void {
  const base = path.basename(p);
  if (!path.isAbsolute(p) || p.includes('\0')) throw new ServiceError('VALIDATION', `“${base.slice(0, 80)}”不是所选文件的完整路径，未收取`);
  if (!LEDGER_EXT.test(p)) throw new ServiceError('VALIDATION', `“${base.slice(0, 80)}”不是表格文件（.xlsx、.xls、.et、.csv、.ods），未收取`);
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    throw new ServiceError('VALIDATION', `找不到文件“${base.slice(0, 80)}”（可能已被移动或删除），未收取`);
  }
  if (!st.isFile()) throw new ServiceError('VALIDATION', `“${base.slice(0, 80)}”不是文件，未收取`);
  if (st.size > MAX_COLLECT_FILE_BYTES) throw new ServiceError('VALIDATION', `“${base.slice(0, 80)}”超过 ${MAX_COLLECT_FILE_BYTES / 1024 / 1024} MB，未收取`);
}

/** One file's name and bytes: decoded from base64, or read from its (checked) path. */
export function collectFileBytes(f: RoundServeFile): { name: string; bytes: Buffer } {
  if ('bytes' in f) return { name: path.basename(f.name), bytes: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength) };
  if ('base64' in f) return { name: path.basename(f.name), bytes: Buffer.from(f.base64, 'base64') };
  checkCollectPath(f.path);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(f.path);
  } catch (e) {
    throw new ServiceError('VALIDATION', `读取文件“${path.basename(f.path).slice(0, 80)}”失败（${(e as NodeJS.ErrnoException).code ?? '未知原因'}），未收取`);
  }
  if (bytes.length > MAX_COLLECT_FILE_BYTES) throw new ServiceError('VALIDATION', `“${path.basename(f.path).slice(0, 80)}”超过 ${MAX_COLLECT_FILE_BYTES / 1024 / 1024} MB，未收取`);
  // the name is the file's own: the page's name for it is not trusted
  return { name: path.basename(f.path), bytes };
}

export function collectOptionsOf(i: ParsedInput<'rounds.collect'>) {
  const { dryRun, onConflict, perField, deptId, receivedAt } = i;
  return Object.fromEntries(Object.entries({ dryRun, onConflict, perField, deptId, receivedAt }).filter(([, v]) => v !== undefined)) as Pick<
    ParsedInput<'rounds.collect'>,
    'dryRun' | 'onConflict' | 'perField' | 'deptId' | 'receivedAt'
  >;
}

export function collectFromInput(ctx: ServiceContext, i: ParsedInput<'rounds.collect'>): CollectFileResult[] {
  return collectRoundFiles(ctx, i.roundId, i.files.map(collectFileBytes), collectOptionsOf(i));
}
