// Queueing: every synced field change made in this copy goes into sync_outbox in the same
// transaction as the change and its audit row (AuditWriter calls queueChange), with the value it
// was made against. Nothing is queued before the copy is attached to a server.
import { randomUUID } from 'node:crypto';
import type { SyncQueries } from '../db/sync-queries';
import { isSynced, toServerOp } from './sync-fields';

/** Whether this copy is attached to a server (read once per operation by the audit writer). */
export function syncAttached(q: SyncQueries): boolean {
  return q.syncState() !== null;
}

export function queueChange(
  q: SyncQueries,
  c: { localOpId: string; op: string; tbl: string; rowId: string; field: string; base: string | null; value: string | null; actor: string; unit: string; at: string },
): void {
  if (!isSynced(c.tbl, c.field, c.rowId)) return;
  const s = toServerOp(c.tbl, c.field, c.base, c.value);
  queueOp(q, { ...c, field: s.field, base: s.base, value: s.value });
}

/** Queue one operation as it is, in the server's terms (a round's rows travel whole: electron/core/sync-rounds.ts). */
export function queueOp(
  q: SyncQueries,
  c: { localOpId: string; op: string; tbl: string; rowId: string; field: string; base: string | null; value: string | null; actor: string; unit: string; at: string },
): void {
  q.insertOutbox({
    op_id: randomUUID(),
    local_op: c.localOpId,
    op: c.op,
    tbl: c.tbl,
    row_id: c.rowId,
    field: c.field,
    base: c.base,
    value: c.value,
    actor: c.actor,
    unit: c.unit,
    at: c.at,
  });
}
