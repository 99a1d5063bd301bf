import type { AuditEntry } from '../../shared/domain';
import type { AuditRow } from '../db/queries';
import type { AuditFilter } from '../db/audit-queries';
import { ServiceError, type ServiceContext } from '../core/context';
import { applyFieldValues, RESTORE_OP } from './undo';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

function toEntry(a: AuditRow): AuditEntry {
  return {
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
  };
}

export function listAudit(ctx: ServiceContext, rowId?: string, limit = 500): AuditEntry[] {
  return ctx.q.audit.recent(rowId, limit).map(toEntry);
}

/** The history with filters (row, table, person, unit, operation, field, date range), newest first. */
export function listAuditFiltered(ctx: ServiceContext, filter: AuditFilter): AuditEntry[] {
  return ctx.q.audit.list(filter).map(toEntry);
}

export function auditFilterOptions(ctx: ServiceContext) {
  return ctx.q.audit.facets();
}

/**
 * Set the field of one audit entry back to the value it had before that change, through the
 * proper service (validation as usual), as a new audited operation 恢复历史值.
 */
export function restoreAuditEntry(ctx: ServiceContext, auditId: number) {
  const a = ctx.q.audit.byId(auditId);
  if (!a) throw new ServiceError('NOT_FOUND', `没有编号为 ${auditId} 的操作记录`);
  const r = applyFieldValues(ctx, [{ tbl: a.tbl, rowId: a.row_id, field: a.field, value: a.old_value }], RESTORE_OP);
  if (r.fields === 0) throw new ServiceError('VALIDATION', '当前值已经是该记录修改前的值，无需恢复');
  return {
    opId: r.opId,
    fields: r.fields,
    measureIds: [...r.touched.measureIds],
    projectIds: [...r.touched.projectIds],
    departmentIds: [...r.touched.departmentIds],
    indicatorIds: [...r.touched.indicatorIds],
  };
}

/** The audit.* channels (shared/ipc/channels/audit.ts). */
export const auditHandlers: HandlerTable<ChannelsOf<'audit'>> = {
  'audit.list': (ctx, i) => listAuditFiltered(ctx, i),
  'audit.facets': (ctx) => auditFilterOptions(ctx),
  'audit.restore': (ctx, i) => restoreAuditEntry(ctx, i.auditId),
};
