// Exports and imports as the renderer and the CLI see them. Producing the bytes is the
// exporters' job; where the file goes is the platform's (a save dialog in Electron, the
// export folder through the web bridge, --out on the command line).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { PREVIEW_ARRAYS, type ImportChoices, type ImportPreview, type ImportSummary } from '../../shared/import';
import { jsonText, joinSplitJson, splitJson, type SplitJson } from '../../shared/ipc/json-text';
import { applyImport, previewImport } from '../import';
import { adoptPreview } from '../import/ledger';
import { withPreread } from '../import/read';
import { applyImportOffThread, readAndPreviewOffThread, stopStandbyReader } from '../import/offthread';
import { ServiceError, type ServiceContext } from '../core/context';
import { backupBeforeImport, currentNativeBinding } from '../db/backup';
import { logReport } from '../services/reports';
import { ExportCancelledError, startExportWorker, type ExportJob } from '../export/offthread';
import { countSuggested, produceExport, type ExportFile, type ExportRequest } from '../export/produce';
import { fitFileName } from '../export/file-name';
import type { ExportProgressInfo } from '../export/progress';
import type { ExportedFile, ExportProgressEvent } from '../../shared/ipc/contract';

import { prepareReader } from '../import/offthread';
import type { Platform } from './platform';
import type { HandlerTable, ChannelsOf } from '../core/handlers';


// produceExport lives in electron/export/produce.ts so the export worker loads only the exporters
export { produceExport, type ExportFile, type ExportRequest } from '../export/produce';

export interface ExportRunOptions {
  /** the renderer's id for this export: progress events carry it, export.cancel names it */
  exportId?: string;
  onProgress?: (p: ExportProgressInfo) => void;
  /** run on this thread (the CLI's choice; also what an in-memory database gets) */
  inProcess?: boolean;
}

/** What an export leaves in the database once its file is kept: a briefing's report_log row. */
export function recordExport(ctx: ServiceContext, file: ExportFile): void {
  if (file.reportLog) logReport(ctx, file.reportLog);
}

/** Exports under way, by id: how to cancel each. */
const runningExports = new Map<string, () => void>();

/**
 * produceExport in a worker thread with its own read-only connection (electron/export/offthread.ts),
 * so the thread that serves IPC stays responsive; progress goes to onProgress. Cancelling
 * (cancelExport) rejects with ExportCancelledError and nothing is written, not even the briefing's
 * report_log entry, which the worker hands back and this connection writes only on success.
 * An in-memory database (tests) cannot be opened by another connection: exported in-process then,
 * and a cancel is honoured when the export returns (its file is dropped).
 */
export async function produceExportOffThread(ctx: ServiceContext, req: ExportRequest, opts: ExportRunOptions = {}): Promise<ExportFile> {
  const { exportId } = opts;
  if (exportId !== undefined && runningExports.has(exportId)) throw new ServiceError('CONFLICT', '这项导出已在进行中');
  const job: ExportJob | null =
    opts.inProcess || ctx.db.memory || !ctx.db.name ? null : startExportWorker(path.resolve(ctx.db.name), req, { actor: ctx.actor, onProgress: opts.onProgress });
  let cancelled = false;
  if (exportId !== undefined)
    runningExports.set(exportId, () => {
      cancelled = true;
      job?.cancel();
    });
  try {
    if (!job) {
      opts.onProgress?.({ phase: 'read', done: 0, total: 0 });
      const file = await produceExport(ctx, req);
      if (cancelled) throw new ExportCancelledError();
      recordExport(ctx, file);
      return file;
    }
    const file = await job.done;
    recordExport(ctx, file);
    return file;
  } finally {
    if (exportId !== undefined) runningExports.delete(exportId);
  }
}

/** Cancel the export with this id; false when there is none (unknown, or already finished). */
export function cancelExport(exportId: string): boolean {
  const cancel = runningExports.get(exportId);
  if (!cancel) return false;
  runningExports.delete(exportId);
  cancel();
  return true;
}

/** Where files go when no dialog can ask: a folder beside the database, or CZT_EXPORT_DIR. */
export function defaultExportDir(dbPath: string): string {
  return process.env.CZT_EXPORT_DIR ?? path.join(path.dirname(path.resolve(dbPath)), '导出');
}

/** Write without ever replacing an existing file: 名称.xlsx, 名称(2).xlsx, … */
export async function writeUnique(dir: string, name: string, buffer: Buffer): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  const fileName = fitFileName(name);
  const ext = path.extname(fileName);
  const stem = path.basename(fileName, ext);
  for (let i = 1; ; i++) {
    const p = path.join(dir, i === 1 ? fileName : `${stem}(${i})${ext}`);
    try {
      // in libuv's pool: a large ledger written here held the thread that serves IPC (docs/bench.md)
      await fs.promises.writeFile(p, buffer, { flag: 'wx' });
      return p;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

// ---------------------------------------------------------------- the list of exported files

const EXPORTS_KEY = 'exports.recent';
const EXPORTS_KEPT = 30;

/**
 * The files exported here, most recent first, kept in the database (settings) so that the 导出中心
 * still lists them after a reload of the page or a restart; `exists` is false once the file has
 * been moved or deleted.
 */
export function listExports(ctx: ServiceContext): ExportedFile[] {
  const raw = ctx.q.getSetting(EXPORTS_KEY);
  let list: Omit<ExportedFile, 'exists'>[] = [];
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) list = parsed as Omit<ExportedFile, 'exists'>[];
  } catch {
    // a damaged entry loses the list, never the page
  }
  return list
    .filter((e) => e && typeof e.id === 'number' && typeof e.path === 'string')
    .map((e) => ({ ...e, exists: fs.existsSync(e.path) }));
}

/** Add a saved export to the list (the oldest fall off after EXPORTS_KEPT); gives the entry. */
export function rememberExport(ctx: ServiceContext, e: Omit<ExportedFile, 'id' | 'exists' | 'at'>): ExportedFile {
  const list = listExports(ctx).map(({ exists: _x, ...rest }) => rest);
  const entry = { ...e, id: Math.max(0, ...list.map((x) => x.id)) + 1, at: new Date().toISOString() };
  ctx.q.setSetting(EXPORTS_KEY, JSON.stringify([entry, ...list].slice(0, EXPORTS_KEPT)));
  return { ...entry, exists: true };
}

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * Previews wait here for the person's choices; the renderer holds only the id. A preview the
 * reading worker made stays JSON text (the apply worker parses it); `preview` is the object once
 * something on this thread needed it.
 */
interface Pending {
  json: SplitJson;
  errors: number;
  preview?: ImportPreview;
}
const pending = new Map<string, Pending>();

/**
 * Read and diff against the database in a worker thread (under a time and memory limit:
 * electron/import/offthread.ts), or diff here when the worker cannot open the database. Async
 * so the Electron main process keeps running while a large or hostile file is being read.
 * Gives the preview with its id as JSON text: the dispatcher hands it on as it is.
 */
export async function startImportText(ctx: ServiceContext, name: string, bytes: Buffer, deptMap?: Record<string, number>): Promise<{ previewId: string; json: SplitJson }> {
  if (bytes.length > MAX_IMPORT_BYTES) throw new ServiceError('VALIDATION', `文件过大（${(bytes.length / 1048576).toFixed(1)} MB），台账文件不能超过 50 MB`);
  // read and diff in the worker (a read-only connection to this database file); an in-memory
  // database, or one the worker cannot open, is diffed here on the file the worker read
  const dbFile = ctx.db.memory ? null : { path: path.resolve(ctx.db.name), nativeBinding: currentNativeBinding() };
  const r = await readAndPreviewOffThread(name, bytes, dbFile, deptMap ? { deptMap } : {});
  let entry: Pending;
  if (r.preview !== undefined) entry = { json: r.preview, errors: r.errors ?? 0 };
  else {
    const preview = withPreread(bytes, r.wb!, () => previewImport(ctx, { name, bytes }, deptMap ? { deptMap } : {}));
    entry = { json: splitJson(preview, PREVIEW_ARRAYS), errors: preview.errors.length, preview };
  }
  const previewId = randomUUID();
  pending.set(previewId, entry);
  // keep only a few: a preview is cheap to make again
  while (pending.size > 5) pending.delete(pending.keys().next().value as string);
  // the id goes in front of the preview's own fields (a UUID needs no escaping)
  return { previewId, json: { ...entry.json, text: `{"previewId":"${previewId}",${entry.json.text.slice(1)}` } };
}

/** The same, as an object (CLI, tests). */
export async function startImport(ctx: ServiceContext, name: string, bytes: Buffer): Promise<ImportPreview & { previewId: string }> {
  const { json } = await startImportText(ctx, name, bytes);
  return joinSplitJson<ImportPreview & { previewId: string }>(json);
}

/**
 * Apply a preview: first a backup (kind before-import, the rotating set beside the database,
 * through SQLite's online backup), then the writes in one transaction, both in a worker with its
 * own connection (electron/import/offthread.ts), so the thread that serves IPC stays responsive.
 * An in-memory database, or a worker that cannot open the file, backs up and applies on this
 * connection as before.
 */
export async function finishImport(ctx: ServiceContext, previewId: string, choices: ImportChoices, opts: { inProcess?: boolean } = {}): Promise<ImportSummary> {
  const entry = pending.get(previewId);
  if (!entry) throw new ServiceError('NOT_FOUND', '导入预览已失效，请重新选择文件预览');
  if (applying.has(previewId)) throw new ServiceError('CONFLICT', '这份台账正在导入，请稍候');
  applying.add(previewId);
  try {
    const file = ctx.db.memory ? null : path.resolve(ctx.db.name);
    void stopStandbyReader();
    // the worker makes the before-import backup on its own connection, then applies (the backup's
    // last step and its fsyncs held this thread: docs/bench.md); null: it could not, nothing written
    let summary =
      file && entry.errors === 0 && !opts.inProcess
        ? await applyImportOffThread({ path: file, nativeBinding: currentNativeBinding() }, entry.json, choices, ctx.actor, { backup: true })
        : null;
    if (!summary) {
      if (file && entry.errors === 0) await backupBeforeImport(ctx.db, file);
      summary = applyImport(ctx, (entry.preview ??= adoptPreview(joinSplitJson<ImportPreview>(entry.json))), choices);
    }
    pending.delete(previewId);
    return summary;
  } finally {
    applying.delete(previewId);
  }
}

/** previews being applied (a second click waits for the first) */
const applying = new Set<string>();

/** What the shell gives the transfers: where files go (the platform), and the files this session wrote. */
export interface TransferEnv {
  platform: Platform;
  written: Set<string>;
}

/** The export.*, files.* and import.* channels (shared/ipc/channels/export.ts, import.ts). */
export const transfersHandlers: HandlerTable<ChannelsOf<'export' | 'files' | 'import'>, TransferEnv> = {
  'export.run': async (ctx, i, env) => {
    // in a worker thread (electron/export/offthread.ts): this thread keeps serving IPC meanwhile
    const { exportId, scopeLabel, ...req } = i;
    const emit = env.platform.emit?.bind(env.platform);
    const onProgress =
      exportId !== undefined && emit ? (p: Omit<ExportProgressEvent, 'exportId'>) => emit('export.progress', { exportId, ...p } satisfies ExportProgressEvent) : undefined;
    const file = await produceExportOffThread(ctx, req, { exportId, onProgress });
    const saved = await env.platform.saveFile(file.fileName, file.buffer);
    if (!saved) return null;
    env.written.add(path.resolve(saved));
    const result = { path: saved, fileName: path.basename(saved), rows: file.rows, bytes: file.buffer.length, suggested: file.suggested ?? null };
    const entry = rememberExport(ctx, { ...result, kind: req.kind, scope: scopeLabel ?? '' });
    return { ...result, id: entry.id };
  },
  'export.list': (ctx) => listExports(ctx),
  'export.cancel': (_ctx, i) => ({ cancelled: cancelExport(i.exportId) }),
  'export.suggestions': (ctx, i) => ({ suggested: countSuggested(ctx, i) }),
  'files.showInFolder': async (ctx, i, env) => {
    const p = path.resolve(i.path);
    // only files this session wrote: never a path that came from data
    if (!env.written.has(p) && !listExports(ctx).some((e) => path.resolve(e.path) === p)) throw new ServiceError('FORBIDDEN', '只能打开导出记录中的文件所在文件夹');
    return { shown: await env.platform.showInFolder(p), folder: path.dirname(p) };
  },
  'import.prepare': (ctx) => ({ prepared: prepareReader(ctx.db.memory ? null : { path: path.resolve(ctx.db.name), nativeBinding: currentNativeBinding() }) }),
  // the preview crosses as JSON text, its long arrays in pieces (10,000 changes): call() on the other side parses them
  'import.preview': async (ctx, i) => jsonText((await startImportText(ctx, i.fileName, Buffer.from(i.base64, 'base64'), i.deptMap)).json),
  'import.apply': (ctx, i) => finishImport(ctx, i.previewId, i.choices),
};
