// Exports and imports as the renderer and the CLI see them. Producing the bytes is the
// exporters' job; where the file goes is the platform's (a save dialog in Electron, the
// export folder through the web bridge, --out on the command line).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { City } from '../../shared/domain';
import type { ImportChoices, ImportPreview, ImportSummary } from '../../shared/import';
import type { ExportKind } from '../../shared/ipc/contract';
import { exportLedger } from '../export/xlsx/ledger';
import { exportDocx } from '../export/docx';
import { exportProjects } from '../export/xlsx/projects';
import { exportIndicators } from '../export/xlsx/indicators';
import { exportSpecialPlan } from '../export/docx/special-plan';
import { exportDraftTables } from '../export/xlsx/draft-tables';
import { applyImport, previewImport } from '../import';
import { adoptPreview } from '../import/ledger';
import { withPreread } from '../import/read';
import { readAndPreviewOffThread } from '../import/offthread';
import { ServiceError, type ServiceContext } from './context';
import { createBackupSync, currentNativeBinding } from './backup';


export interface ExportRequest {
  kind: ExportKind;
  deptId?: number;
  city?: City;
  chapter?: number;
  role?: 'lead' | 'co' | 'all';
  date?: string;
  dueDate?: string;
  preamble?: string;
  title?: string;
  category?: string;
  year?: number;
  draftId?: number;
}

export interface ExportFile {
  buffer: Buffer;
  rows: number;
  fileName: string;
}

export async function produceExport(ctx: ServiceContext, req: ExportRequest): Promise<ExportFile> {
  if (req.deptId !== undefined && !ctx.q.dept(req.deptId)) throw new ServiceError('NOT_FOUND', `没有编号为 ${req.deptId} 的部门`);
  const { kind, ...opts } = req;
  switch (kind) {
    case 'ledger.xlsx':
      return exportLedger(ctx, { deptId: opts.deptId, city: opts.city, chapter: opts.chapter });
    case 'allocation.docx':
      return exportDocx(ctx, 'allocation', opts);
    case 'briefing.docx':
      return exportDocx(ctx, 'briefing', opts);
    case 'projects.xlsx':
      return exportProjects(ctx, { city: opts.city, category: opts.category, deptId: opts.deptId, year: opts.year });
    case 'indicators.xlsx':
      return exportIndicators(ctx);
    case 'special-plan.docx':
    case 'draft-tables.xlsx':
      if (opts.draftId === undefined) throw new ServiceError('VALIDATION', '须选择要导出的方案草稿');
      return kind === 'special-plan.docx' ? exportSpecialPlan(ctx, opts.draftId) : exportDraftTables(ctx, opts.draftId);
    case 'dept-letter.docx':
      if (opts.deptId === undefined) throw new ServiceError('VALIDATION', '部门任务清单须选择一个部门');
      return exportDocx(ctx, 'dept-letter', opts);
  }
}

/** Where files go when no dialog can ask: a folder beside the database, or CZT_EXPORT_DIR. */
export function defaultExportDir(dbPath: string): string {
  return process.env.CZT_EXPORT_DIR ?? path.join(path.dirname(path.resolve(dbPath)), '导出');
}

/** Write without ever replacing an existing file: 名称.xlsx, 名称(2).xlsx, … */
export function writeUnique(dir: string, fileName: string, buffer: Buffer): string {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(fileName);
  const stem = path.basename(fileName, ext);
  for (let i = 1; ; i++) {
    const p = path.join(dir, i === 1 ? fileName : `${stem}(${i})${ext}`);
    try {
      fs.writeFileSync(p, buffer, { flag: 'wx' });
      return p;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** Previews wait here for the person's choices; the renderer holds only the id. */
const pending = new Map<string, ImportPreview>();

/**
 * Read and diff against the database in a worker thread (under a time and memory limit:
 * electron/import/offthread.ts), or diff here when the worker cannot open the database. Async
 * so the Electron main process keeps running while a large or hostile file is being read.
 */
export async function startImport(ctx: ServiceContext, name: string, bytes: Buffer): Promise<ImportPreview & { previewId: string }> {
  if (bytes.length > MAX_IMPORT_BYTES) throw new ServiceError('VALIDATION', `文件过大（${(bytes.length / 1048576).toFixed(1)} MB），台账文件不能超过 50 MB`);
  // read and diff in the worker (a read-only connection to this database file); an in-memory
  // database, or one the worker cannot open, is diffed here on the file the worker read
  const dbFile = ctx.db.memory ? null : { path: path.resolve(ctx.db.name), nativeBinding: currentNativeBinding() };
  const r = await readAndPreviewOffThread(name, bytes, dbFile);
  const preview = r.preview ? adoptPreview(r.preview) : withPreread(bytes, r.wb!, () => previewImport(ctx, { name, bytes }));
  const previewId = randomUUID();
  pending.set(previewId, preview);
  // keep only a few: a preview is cheap to make again
  while (pending.size > 5) pending.delete(pending.keys().next().value as string);
  return { ...preview, previewId };
}

export function finishImport(ctx: ServiceContext, previewId: string, choices: ImportChoices): ImportSummary {
  const preview = pending.get(previewId);
  if (!preview) throw new ServiceError('NOT_FOUND', '导入预览已失效，请重新选择文件预览');
  // a backup (kind before-import) in the rotating set beside the database, before anything is written
  if (!ctx.db.memory && preview.errors.length === 0) createBackupSync(ctx.db, path.resolve(ctx.db.name), 'before-import');
  const summary = applyImport(ctx, preview, choices);
  pending.delete(previewId);
  return summary;
}
