// One table from contract channel to service function. Electron's ipcMain, the test bridge
// and anything else that carries `invoke` call createDispatcher; nothing else routes channels.
import type { Database } from 'better-sqlite3';
import { ZodError } from 'zod';
import {
  contract,
  describeZodError,
  isChannel,
  type Channel,
  type ChannelOutput,
  type ExportProgressEvent,
  type IpcResult,
  type ParsedInput,
} from '../../shared/ipc/contract';
import { contextFor, publicErrorMessage, ServiceError, withoutPaths, type ServiceContext } from '../core/context';
import { planNode, planTree, searchPlan } from '../services/plan';
import { applyEdits, confirmSuggestions, getMeasures, listMeasures, listMeasuresPage, measureFacts, searchMeasures } from '../services/measures';
import {
  addDepartment,
  listDepartments,
  mergeDepartments,
  renameDepartment,
  restoreDepartment,
  retireDepartment,
} from '../services/departments';
import { getIdentity, setIdentity } from '../services/settings';
import { auditFilterOptions, listAuditFiltered, restoreAuditEntry } from '../services/audit';
import { historyState, redo, undo } from '../services/undo';
import { createBackup, listBackups, backupsDir, currentNativeBinding } from '../db/backup';
import { restoreDatabase } from '../services/backup';
import { setUpOpenDb } from '../db/open';
import { cancelExport, finishImport, listExports, produceExportOffThread, rememberExport, startImportText } from './transfers';
import { countSuggested } from '../export/produce';
import { jsonText, type JsonText } from '../../shared/ipc/json-text';
import { ExportCancelledError } from '../export/offthread';
import { prepareReader } from '../import/offthread';
import path from 'node:path';
import { getTemplate, resetTemplate, setTemplate } from '../services/templates';
import { listReportLog } from '../services/history';
import { addProject, deleteProject, getProject, listProjects, restoreProject, updateProjects } from '../services/projects';
import { listIndicators, setActual } from '../services/indicators';
import { checkForUpdate, downloadUpdate, getUpdateConfig, setUpdateUrl } from '../services/updates';
import {
  compareVersions,
  createDraft,
  deleteBlock,
  deleteDraft,
  draftGaps,
  draftTableCounts,
  getDraft,
  getFieldMapping,
  insertBlock,
  listDrafts,
  listVersions,
  moveBlock,
  restoreVersion,
  saveVersion,
  setFieldMapping,
  updateBlock,
  updateDraft,
} from '../services/drafts';
import { readCall, writeCall } from '../query/offthread';
import { folderPlatform, type Platform, type ShellInfo } from './platform';

/** A value that may come as JSON text crosses as it is: call() on the other side parses it. */
const asIs = <T>(p: Promise<T | JsonText>) => p as Promise<T>;

type Env = ShellInfo & { platform: Platform; written: Set<string> };
type Handlers = {
  [C in Channel]: (ctx: ServiceContext, input: ParsedInput<C>, env: Env) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

const handlers: Handlers = {
  'app.info': (ctx, _i, env) => ({ shell: env.shell, dbPath: env.dbPath, version: env.version, measureCount: ctx.q.measureCount() }),
  'plan.tree': (ctx) => planTree(ctx),
  'plan.node': (ctx, i) => planNode(ctx, i.id),
  'plan.search': (ctx, i) => searchPlan(ctx, i.query, i.limit),
  'measures.list': (ctx) => listMeasures(ctx),
  'measures.page': (ctx, i) => listMeasuresPage(ctx, i.after, i.limit),
  'measures.get': (ctx, i) => getMeasures(ctx, i.ids),
  // the dashboard's counts read every measure: on a large ledger in the read worker (0.67–1.4 s at
  // 100,000 on this thread), its answer JSON text
  'measures.facts': (ctx) => asIs(readCall(ctx, 'measures.facts', 0, () => measureFacts(ctx))),
  'measures.search': (ctx, i) => searchMeasures(ctx, i.query, i.limit),
  'measures.applyEdits': (ctx, i) => applyEdits(ctx, i.edits, i.op),
  'measures.confirmSuggestions': (ctx, i) => confirmSuggestions(ctx, i.ids),
  'departments.list': (ctx, i) => listDepartments(ctx, i.includeInactive),
  'departments.add': (ctx, i) => addDepartment(ctx, i.name, i.level, i.city ?? null),
  'departments.rename': (ctx, i) => renameDepartment(ctx, i.id, i.name),
  'departments.merge': (ctx, i) => mergeDepartments(ctx, i.fromId, i.intoId),
  'departments.retire': (ctx, i) => retireDepartment(ctx, i.id),
  'departments.restore': (ctx, i) => restoreDepartment(ctx, i.id),
  'settings.getTemplate': (ctx) => getTemplate(ctx),
  'settings.setTemplate': (ctx, i) => setTemplate(ctx, i),
  'settings.resetTemplate': (ctx) => resetTemplate(ctx),
  'reports.list': (ctx, i) => listReportLog(ctx, i.kind),
  'settings.getIdentity': (ctx) => getIdentity(ctx),
  'settings.setIdentity': (ctx, i) => setIdentity(ctx, i),
  'updates.getConfig': (ctx, _i, env) => getUpdateConfig(ctx, env.version, env.platform.updater),
  'updates.setUrl': (ctx, i, env) => setUpdateUrl(ctx, i.url, env.version, env.platform.updater),
  'updates.check': (ctx, _i, env) => checkForUpdate(ctx, env.platform.updater),
  'updates.download': (ctx, _i, env) => downloadUpdate(ctx, env.platform.updater, (p) => env.platform.emit?.('updates.progress', p)),
  'audit.list': (ctx, i) => listAuditFiltered(ctx, i),
  'audit.facets': (ctx) => auditFilterOptions(ctx),
  'audit.restore': (ctx, i) => restoreAuditEntry(ctx, i.auditId),
  'history.state': (ctx) => historyState(ctx),
  'history.undo': (ctx) => undo(ctx),
  'history.redo': (ctx) => redo(ctx),
  'backup.list': (_ctx, _i, env) => listBackups(env.dbPath).map(({ file: _f, ...b }) => b),
  'backup.create': async (ctx, _i, env) => {
    const { file: _f, ms: _m, ...b } = await createBackup(ctx.db, path.resolve(env.dbPath), 'manual');
    return b;
  },
  'backup.restore': async (ctx, i, env) => {
    const dbPath = path.resolve(env.dbPath);
    const from = path.join(backupsDir(dbPath), i.name);
    if (path.dirname(from) !== backupsDir(dbPath) || !listBackups(dbPath, { check: false }).some((b) => b.name === i.name)) {
      throw new ServiceError('NOT_FOUND', `备份集中没有“${i.name}”`);
    }
    const r = await restoreDatabase(dbPath, from, { live: ctx.db });
    // the restored content may be from an older version: migrate it on the same connection
    setUpOpenDb(ctx.db, dbPath);
    return { restoredFrom: path.basename(r.restoredFrom), keptAs: r.keptAs && path.basename(r.keptAs), relaunch: env.shell === 'electron' };
  },
  // 20,000 projects: 0.43–0.70 s to read on this thread; from 5,000 projects in the read worker (its
  // 12 M characters of JSON text still take this thread ~70–85 ms to receive)
  'projects.list': (ctx, i) => asIs(readCall(ctx, 'projects.list', 0, () => listProjects(ctx, i), { input: i, size: () => ctx.q.projects.projectCount() })),
  'projects.get': (ctx, i) => getProject(ctx, i.id, i.year),
  'projects.add': (ctx, i) => addProject(ctx, i),
  'projects.update': (ctx, i) => updateProjects(ctx, i.edits, i.op),
  'projects.delete': (ctx, i) => deleteProject(ctx, i.id),
  'projects.restore': (ctx, i) => restoreProject(ctx, i.id),
  'indicators.list': (ctx) => listIndicators(ctx),
  'indicators.setActual': (ctx, i) => setActual(ctx, i.indicatorId, i.year, i.value, i.source, i.note),
  'drafts.list': (ctx, i) => listDrafts(ctx, i.includeDeleted),
  // a field's draft on a large ledger cites ~15,000 measures: written off the thread that serves IPC
  'drafts.create': async (ctx, i) => {
    const r = await writeCall(ctx, 'drafts.create', i, () => createDraft(ctx, i));
    return 'json' in r ? (jsonText(r.json) as unknown as ChannelOutput<'drafts.create'>) : r.value;
  },
  'drafts.get': (ctx, i) => getDraft(ctx, i.id),
  'drafts.update': (ctx, i) => updateDraft(ctx, i),
  'drafts.delete': (ctx, i) => deleteDraft(ctx, i.id),
  'drafts.insertBlock': (ctx, i) => insertBlock(ctx, i.draftId, i.afterId, i.block),
  'drafts.updateBlock': (ctx, i) => updateBlock(ctx, i),
  'drafts.moveBlock': (ctx, i) => moveBlock(ctx, i.draftId, i.blockId, i.afterId),
  'drafts.deleteBlock': (ctx, i) => deleteBlock(ctx, i.draftId, i.blockId),
  'drafts.saveVersion': (ctx, i) => saveVersion(ctx, i.draftId, i.name),
  'drafts.listVersions': (ctx, i) => listVersions(ctx, i.draftId),
  'drafts.compare': (ctx, i) => compareVersions(ctx, i.draftId, i.left, i.right),
  'drafts.restoreVersion': (ctx, i) => restoreVersion(ctx, i.draftId, i.versionId),
  // on a large ledger these read the draft's whole scope: off the thread that serves IPC
  'drafts.gaps': (ctx, i) => asIs(readCall(ctx, 'drafts.gaps', i.draftId, () => draftGaps(ctx, i.draftId))),
  'drafts.tableCounts': (ctx, i) => asIs(readCall(ctx, 'drafts.tableCounts', i.draftId, () => draftTableCounts(ctx, i.draftId))),
  'drafts.getFieldMapping': (ctx) => getFieldMapping(ctx),
  'drafts.setFieldMapping': (ctx, i) => setFieldMapping(ctx, i.mapping),
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
  // every measure of the scope is read: on a large ledger in the read worker
  'export.suggestions': (ctx, i) => asIs(readCall(ctx, 'export.suggestions', 0, () => ({ suggested: countSuggested(ctx, i) }), { input: i })),
  'files.showInFolder': async (ctx, i, env) => {
    const p = path.resolve(i.path);
    // only files this session wrote: never a path that came from data
    if (!env.written.has(p) && !listExports(ctx).some((e) => path.resolve(e.path) === p)) throw new ServiceError('FORBIDDEN', '只能打开导出记录中的文件所在文件夹');
    return { shown: await env.platform.showInFolder(p), folder: path.dirname(p) };
  },
  'import.prepare': (ctx) => ({ prepared: prepareReader(ctx.db.memory ? null : { path: path.resolve(ctx.db.name), nativeBinding: currentNativeBinding() }) }),
  // the preview crosses as JSON text, its long arrays in pieces (10,000 changes): call() on the other side parses them
  'import.preview': async (ctx, i) =>
    jsonText((await startImportText(ctx, i.fileName, Buffer.from(i.base64, 'base64'), i.deptMap)).json) as unknown as ChannelOutput<'import.preview'>,
  'import.apply': (ctx, i) => finishImport(ctx, i.previewId, i.choices),
};

export type Dispatch = (channel: unknown, input: unknown) => Promise<IpcResult<unknown>>;

export function createDispatcher(db: Database, info: ShellInfo, platform: Platform = folderPlatform(info.dbPath)): Dispatch {
  const ctx = contextFor(db);
  const env: Env = { ...info, platform, written: new Set() };
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `未知的请求：${String(channel).slice(0, 60)}` } };
    }
    try {
      const parsed = contract[channel].input.parse(input ?? {});
      const handler = handlers[channel] as (c: ServiceContext, i: unknown, e: Env) => unknown;
      return { ok: true, value: await handler(ctx, parsed, env) };
    } catch (e) {
      if (e instanceof ZodError) return { ok: false, error: { code: 'VALIDATION', message: `输入有误：${describeZodError(e)}` } };
      if (e instanceof ServiceError) return { ok: false, error: { code: e.code, message: e.message } };
      if (e instanceof ExportCancelledError) return { ok: false, error: { code: e.code, message: e.message } };
      const err = e as Error & { code?: string };
      // the import's backup could not be made (disk full, backups folder not writable): its message says so
      if (err.code === 'BACKUP_FAILED') return { ok: false, error: { code: 'BACKUP_FAILED', message: withoutPaths(err.message) } };
      if (err.code === 'SQLITE_BUSY') {
        return { ok: false, error: { code: 'BUSY', message: '数据库正忙（可能另一个窗口正在写入），请稍后重试。' } };
      }
      console.error(e);
      return { ok: false, error: { code: 'INTERNAL', message: `内部错误，修改未保存：${publicErrorMessage(err)}` } };
    }
  };
}
