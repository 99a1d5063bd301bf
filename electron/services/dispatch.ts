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
  type IpcResult,
  type ParsedInput,
} from '../../shared/ipc/contract';
import { contextFor, ServiceError, type ServiceContext } from './context';
import { planNode, planTree, searchPlan } from './plan';
import { applyEdits, confirmSuggestions, listMeasures } from './measures';
import {
  addDepartment,
  listDepartments,
  mergeDepartments,
  renameDepartment,
  restoreDepartment,
  retireDepartment,
} from './departments';
import { getIdentity, setIdentity } from './settings';
import { listAudit } from './audit';

export interface ShellInfo {
  shell: 'electron' | 'web';
  dbPath: string;
  version: string;
}

type Handlers = { [C in Channel]: (ctx: ServiceContext, input: ParsedInput<C>, info: ShellInfo) => ChannelOutput<C> };

const handlers: Handlers = {
  'app.info': (ctx, _i, info) => ({ ...info, measureCount: ctx.q.measureCount() }),
  'plan.tree': (ctx) => planTree(ctx),
  'plan.node': (ctx, i) => planNode(ctx, i.id),
  'plan.search': (ctx, i) => searchPlan(ctx, i.query, i.limit),
  'measures.list': (ctx) => listMeasures(ctx),
  'measures.applyEdits': (ctx, i) => applyEdits(ctx, i.edits, i.op),
  'measures.confirmSuggestions': (ctx, i) => confirmSuggestions(ctx, i.ids),
  'departments.list': (ctx, i) => listDepartments(ctx, i.includeInactive),
  'departments.add': (ctx, i) => addDepartment(ctx, i.name, i.level, i.city ?? null),
  'departments.rename': (ctx, i) => renameDepartment(ctx, i.id, i.name),
  'departments.merge': (ctx, i) => mergeDepartments(ctx, i.fromId, i.intoId),
  'departments.retire': (ctx, i) => retireDepartment(ctx, i.id),
  'departments.restore': (ctx, i) => restoreDepartment(ctx, i.id),
  'settings.getIdentity': (ctx) => getIdentity(ctx),
  'settings.setIdentity': (ctx, i) => setIdentity(ctx, i),
  'audit.list': (ctx, i) => listAudit(ctx, i.rowId, i.limit),
};

export type Dispatch = (channel: unknown, input: unknown) => Promise<IpcResult<unknown>>;

export function createDispatcher(db: Database, info: ShellInfo): Dispatch {
  const ctx = contextFor(db);
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `未知的请求：${String(channel).slice(0, 60)}` } };
    }
    try {
      const parsed = contract[channel].input.parse(input ?? {});
      const handler = handlers[channel] as (c: ServiceContext, i: unknown, s: ShellInfo) => unknown;
      return { ok: true, value: handler(ctx, parsed, info) };
    } catch (e) {
      if (e instanceof ZodError) return { ok: false, error: { code: 'VALIDATION', message: `输入有误：${describeZodError(e)}` } };
      if (e instanceof ServiceError) return { ok: false, error: { code: e.code, message: e.message } };
      const err = e as Error & { code?: string };
      if (err.code === 'SQLITE_BUSY') {
        return { ok: false, error: { code: 'BUSY', message: '数据库正忙（可能另一个窗口正在写入），请稍后重试。' } };
      }
      console.error(e);
      return { ok: false, error: { code: 'INTERNAL', message: `内部错误，修改未保存：${err.message}` } };
    }
  };
}
