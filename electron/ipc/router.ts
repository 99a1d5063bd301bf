// The one router from contract channel to handler. Electron's ipcMain, the test bridge and the CLI
// call createDispatcher; nothing else routes channels. Each domain's handlers live beside its
// service (their tables are combined here); what a channel's options ask for (answered by a
// worker thread) is applied here, so no handler knows about threads.
import type { Database } from 'better-sqlite3';
import { ZodError } from 'zod';
import { contract, describeZodError, isChannel, isWorkerChannel, type Channel, type ChannelOptions, type IpcResult } from '../../shared/ipc/contract';
import { jsonText } from '../../shared/ipc/json-text';
import { contextFor, publicErrorMessage, ServiceError, withoutPaths, type ServiceContext } from '../core/context';
import type { HandlerTable, ShellInfo } from '../core/handlers';
import { planHandlers } from '../services/plan';
import { measuresHandlers } from '../services/measures';
import { departmentsHandlers } from '../services/departments';
import { templateHandlers } from '../services/templates';
import { identityHandlers } from '../services/settings';
import { reportsHandlers } from '../services/reports';
import { updatesHandlers } from '../services/updates';
import { auditHandlers } from '../services/audit';
import { undoHandlers } from '../services/undo';
import { backupHandlers } from '../services/backup';
import { projectsHandlers } from '../services/projects';
import { indicatorsHandlers } from '../services/indicators';
import { draftsHandlers } from '../services/drafts';
import { roundsHandlers } from '../services/rounds';
import { ExportCancelledError } from '../export/offthread';
import { readCall, writeCall } from '../query/offthread';
import { folderPlatform, type Platform } from './platform';
import { transfersHandlers } from './transfers';
import { roundTransfersHandlers } from './round-transfers';
import { roundEvidenceHandlers } from './round-evidence';
import { AutoSync, syncHandlers } from './sync';

type Env = ShellInfo & { platform: Platform; written: Set<string>; autoSync: AutoSync };

const handlers: HandlerTable<Channel, Env> = {
  'app.info': (ctx, _i, env) => ({ shell: env.shell, dbPath: env.dbPath, version: env.version, measureCount: ctx.q.measureCount() }),
  ...planHandlers,
  ...measuresHandlers,
  ...departmentsHandlers,
  ...templateHandlers,
  ...identityHandlers,
  ...reportsHandlers,
  ...updatesHandlers,
  ...auditHandlers,
  ...undoHandlers,
  ...backupHandlers,
  ...projectsHandlers,
  ...indicatorsHandlers,
  ...draftsHandlers,
  ...transfersHandlers,
  ...roundsHandlers,
  ...roundTransfersHandlers,
  ...roundEvidenceHandlers,
  ...syncHandlers,
};

/** the number in an input's field (the draft a worker reads for), else 0 */
function numberField(input: unknown, key: string | undefined): number {
  if (!key || typeof input !== 'object' || input === null) return 0;
  const v: unknown = Reflect.get(input, key);
  return typeof v === 'number' ? v : 0;
}

/**
 * Run a channel's handler as its options say: on a large ledger a read-worker channel is answered
 * by the read worker, a write-worker channel written by the write worker (either may then reply
 * with JSON text, which crosses as it is: call() on the other side parses it).
 */
async function run(channel: Channel, ctx: ServiceContext, input: unknown, env: Env): Promise<unknown> {
  // the table is complete and typed per channel; the channel is known only at run time here
  const handler = handlers[channel] as (ctx: ServiceContext, input: unknown, env: Env) => unknown;
  const here = () => handler(ctx, input, env);
  const options: ChannelOptions = contract[channel].options;
  const worker = options.worker;
  if (worker && isWorkerChannel(channel, 'read')) {
    const size = worker.sizeBy === 'projects' ? () => ctx.q.projects.projectCount() : undefined;
    return readCall(ctx, channel, numberField(input, worker.arg), here, { input, size });
  }
  if (worker && isWorkerChannel(channel, 'write')) {
    const r = await writeCall(ctx, channel, input, here);
    return 'json' in r ? jsonText(r.json) : r.value;
  }
  return here();
}

export type Dispatch = (channel: unknown, input: unknown) => Promise<IpcResult<unknown>>;

export function createDispatcher(db: Database, info: ShellInfo, platform: Platform = folderPlatform(info.dbPath)): Dispatch {
  const ctx = contextFor(db);
  // the automatic sync of this database (electron/ipc/sync.ts): idle unless configured and on
  const autoSync = new AutoSync(ctx, (event, payload) => platform.emit?.(event, payload));
  autoSync.configure();
  const env: Env = { ...info, platform, written: new Set(), autoSync };
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `未知的请求：${String(channel).slice(0, 60)}` } };
    }
    try {
      const parsed: unknown = contract[channel].input.parse(input ?? {});
      return { ok: true, value: await run(channel, ctx, parsed, env) };
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
