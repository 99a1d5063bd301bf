import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Queries } from '../db/queries';
import type { UserIdentity } from '../../shared/domain';
import type { ServiceErrorCode } from '../../shared/ipc/errors';
import { queueChange, queueOp, syncAttached } from './sync-outbox';

/** A failure the person can act on: the message is Chinese and shown as is. */
export class ServiceError extends Error {
  constructor(
    public code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How a worker thread tells its launcher what went wrong: a refusal (ServiceError) keeps its code
 * and Chinese message; anything else its own code (SQLITE_BUSY …) or INTERNAL.
 */
/** What a file system error means, in Chinese (the code is all that is kept of it). */
const FS_ERRORS: Record<string, string> = {
  ENAMETOOLONG: '文件名或路径过长',
  ENOSPC: '磁盘空间不足',
  EDQUOT: '磁盘配额已满',
  EACCES: '没有访问权限',
  EPERM: '没有访问权限',
  EROFS: '磁盘为只读',
  ENOENT: '找不到文件或文件夹',
  ENOTDIR: '路径中有一项不是文件夹',
  EISDIR: '目标是一个文件夹',
  EBUSY: '文件被其他程序占用',
  EMFILE: '打开的文件过多',
  EIO: '磁盘读写出错',
};

/**
 * An unexpected error's message as it may be shown: never a path (a folder names the person, and
 * an error box is no place for one). A file system error becomes its Chinese meaning; any other
 * message keeps its words with every absolute path in it replaced.
 */
export function publicErrorMessage(e: unknown): string {
  const err = e as Error & { code?: unknown };
  if (typeof err?.code === 'string' && FS_ERRORS[err.code]) return `${FS_ERRORS[err.code]}（${err.code}）`;
  return withoutPaths(String(err?.message ?? e));
}

/** Absolute paths (POSIX, Windows, UNC, file://) and quoted paths in a message replaced by （路径略）. */
export function withoutPaths(msg: string): string {
  return msg
    .replace(/(['"`])[^'"`\n]*[\\/][^'"`\n]*\1/g, '（路径略）')
    .replace(/file:\/\/\S+/g, '（路径略）')
    .replace(/(?<![\w\u4e00-\u9fff.])(?:[A-Za-z]:[\\/]|\\\\|\/)[^\s'"，。；：,;()（）]*/g, '（路径略）');
}

export function describeFailure(e: unknown, otherCode = true): { serviceError: boolean; code: string; message: string } {
  const err = e as Error & { code?: string };
  const isService = e instanceof ServiceError || err?.name === 'ServiceError';
  return { serviceError: isService, code: isService ? String(err.code) : otherCode ? String(err?.code ?? 'INTERNAL') : 'INTERNAL', message: String(err?.message ?? e) };
}

export interface ServiceContext {
  db: Database;
  q: Queries;
  /** who the audit names when not the identity saved in settings (the CLI) */
  actor?: UserIdentity;
}

const contexts = new WeakMap<Database, ServiceContext>();

export function contextFor(db: Database): ServiceContext {
  let c = contexts.get(db);
  if (!c) {
    c = { db, q: new Queries(db) };
    contexts.set(db, c);
  }
  return c;
}

export function getIdentity(ctx: ServiceContext): UserIdentity | null {
  const raw = ctx.q.getSetting('user.identity');
  return raw ? (JSON.parse(raw) as UserIdentity) : null;
}

export type AuditValue = string | number | boolean | null | string[] | number[];

/** Writes audit rows for one operation; every change a person makes goes through one of these. */
export class AuditWriter {
  readonly opId = randomUUID();
  readonly at = new Date().toISOString();
  private readonly who: UserIdentity;
  /** a copy attached to a shared server also queues each synced field change (electron/sync) */
  private readonly queue: boolean;
  count = 0;
  constructor(
    private ctx: ServiceContext,
    private op: string,
  ) {
    this.who = ctx.actor ?? getIdentity(ctx) ?? { name: '未登记', unit: '未登记' };
    this.queue = syncAttached(ctx.q.sync);
  }
  field(tbl: string, rowId: string, field: string, oldValue: AuditValue, newValue: AuditValue): void {
    const enc = (v: AuditValue) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
    this.ctx.q.insertAudit({
      at: this.at,
      actor: this.who.name,
      unit: this.who.unit,
      op_id: this.opId,
      op: this.op,
      tbl,
      row_id: rowId,
      field,
      old_value: enc(oldValue),
      new_value: enc(newValue),
    });
    if (this.queue) {
      queueChange(this.ctx.q.sync, {
        localOpId: this.opId,
        op: this.op,
        tbl,
        rowId,
        field,
        base: enc(oldValue),
        value: enc(newValue),
        actor: this.who.name,
        unit: this.who.unit,
        at: this.at,
      });
    }
    this.count++;
  }
  /** whether this writer also queues for the shared server (the copy is attached to one) */
  get syncing(): boolean {
    return this.queue;
  }
  /** Queue one operation that has no audit row of its own (a round's rows travel whole), as part of this step. */
  queueOp(tbl: string, rowId: string, field: string, base: string | null, value: string | null): void {
    if (!this.queue) return;
    queueOp(this.ctx.q.sync, { localOpId: this.opId, op: this.op, tbl, rowId, field, base, value, actor: this.who.name, unit: this.who.unit, at: this.at });
  }
}
