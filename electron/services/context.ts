import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Queries } from '../db/queries';
import type { UserIdentity } from '../../shared/domain';

/** A failure the person can act on: the message is Chinese and shown as is. */
export class ServiceError extends Error {
  constructor(
    public code: 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNSUPPORTED' | 'NETWORK',
    message: string,
  ) {
    super(message);
  }
}

/**
 * How a worker thread tells its launcher what went wrong: a refusal (ServiceError) keeps its code
 * and Chinese message; anything else its own code (SQLITE_BUSY …) or INTERNAL.
 */
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
  count = 0;
  constructor(
    private ctx: ServiceContext,
    private op: string,
  ) {
    this.who = ctx.actor ?? getIdentity(ctx) ?? { name: '未登记', unit: '未登记' };
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
    this.count++;
  }
}
