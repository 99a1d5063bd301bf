// The copy's link to the shared server as the app and dump show it (issue 20): where it stands
// (server, last sequence number, operations waiting, the last error) and the operations the server
// did not apply, with both values; resolving one is itself an operation. The network side (clone,
// push, pull) is electron/sync/engine.ts.
import type { SyncConflictRow } from '../db/sync-queries';
import { ServiceError, type ServiceContext } from '../core/context';
import { toLocalChange } from '../core/sync-fields';
import { ROUND_SYNC_TABLES } from '../db/round-sync-queries';
import { applyFieldValues } from './undo';
import type { SyncConflictView } from '../../shared/ipc/channels/sync';

/** one conflict or refusal as the app and dump show it (the channel's type: one definition) */
export type SyncConflict = SyncConflictView;

export interface SyncStatus {
  /** the server (connection string without password); null: this copy works alone */
  server: string | null;
  device: string | null;
  lastSeq: number;
  pending: number;
  syncedAt: string | null;
  /** what went wrong at the last attempt (Chinese), null after a good sync */
  error: string | null;
  conflicts: SyncConflict[];
}

const toConflict = (c: SyncConflictRow): SyncConflict => ({
  opId: c.op_id,
  kind: c.kind,
  table: c.tbl,
  rowId: c.row_id,
  field: c.field,
  base: c.base,
  mine: c.mine,
  theirs: c.theirs,
  reason: c.reason,
  actor: c.actor,
  unit: c.unit,
  at: c.at,
  resolvedAt: c.resolved_at,
  resolution: c.resolution,
});

/** Where this copy stands (dump's `sync`, the header status). */
export function syncStatus(ctx: ServiceContext): SyncStatus {
  const s = ctx.q.sync.syncState();
  return {
    server: s?.server ?? null,
    device: s?.device ?? null,
    lastSeq: s?.last_seq ?? 0,
    pending: ctx.q.sync.outboxCount(),
    syncedAt: s?.synced_at ?? null,
    error: s?.error ?? null,
    conflicts: ctx.q.sync.listConflicts().map(toConflict),
  };
}

export function listSyncConflicts(ctx: ServiceContext, includeResolved = false): SyncConflict[] {
  return ctx.q.sync.listConflicts(includeResolved).map(toConflict);
}

/**
 * Resolve a conflict: 'theirs' keeps the server's value (already here); 'mine' makes the person's
 * value a new operation against the server's value, queued like any edit (it may conflict again).
 * A refused operation can only be acknowledged ('theirs').
 */
export function resolveConflict(ctx: ServiceContext, opId: string, choice: 'mine' | 'theirs'): SyncConflict {
  const c = ctx.q.sync.conflictByOp(opId);
  if (!c) throw new ServiceError('NOT_FOUND', `没有编号为 ${opId} 的同步冲突`);
  if (c.resolved_at) throw new ServiceError('VALIDATION', '该冲突已处理');
  // a round's rows are whole steps (a report, a review, a receipt): redone as a step, not as a value
  if (choice === 'mine' && ROUND_SYNC_TABLES.has(c.tbl)) {
    throw new ServiceError('VALIDATION', '调度轮次的冲突只能采用服务器的值：请按服务器上的情况重新报送、收取或审核');
  }
  if (choice === 'mine' && c.kind === 'refused') throw new ServiceError('FORBIDDEN', `服务器拒绝了这项修改（${c.reason}），不能再次提交；如有需要请联系统筹办公室`);
  ctx.db.transaction(() => {
    if (choice === 'mine') {
      const local = toLocalChange(c.tbl, c.field, c.mine);
      applyFieldValues(ctx, [{ tbl: c.tbl, rowId: c.row_id, field: local.field, value: local.value }], '解决同步冲突：采用本机值');
    }
    ctx.q.sync.markResolved(opId, choice, new Date().toISOString());
  })();
  return toConflict(ctx.q.sync.conflictByOp(opId)!);
}

