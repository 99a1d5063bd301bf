import type { AuditEntry } from '../../shared/domain';
import type { ServiceContext } from './context';

export function listAudit(ctx: ServiceContext, rowId?: string, limit = 500): AuditEntry[] {
  return ctx.q.audit(rowId, limit).map((a) => ({
    id: a.id,
    at: a.at,
    actor: a.actor,
    unit: a.unit,
    opId: a.op_id,
    op: a.op,
    table: a.tbl,
    rowId: a.row_id,
    field: a.field,
    oldValue: a.old_value,
    newValue: a.new_value,
  }));
}
