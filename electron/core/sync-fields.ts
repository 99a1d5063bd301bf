// Which local field changes travel to the server, and their names there. Settings, drafts and the
// creation of rows (a department or project added here: the server gives no ids to a copy) stay
// local; the server refuses an operation on a row it does not have and the copy lists it.
import { MEASURE_LEADS } from './sync-leads';

const MEASURE_FIELDS = new Set([MEASURE_LEADS.localField, 'leadConfirmed', 'coIds', 'cities', 'deadline', 'status', 'progress', 'note']);
const PROJECT_FIELDS = new Set([
  'name',
  'category',
  'stage',
  'startYear',
  'endYear',
  'totalInvestment',
  'leadId',
  'location',
  'progressText',
  'problems',
  'taskId',
  'cities',
  'linkedTaskIds',
  'deleted',
]);
const DEPARTMENT_FIELDS = new Set(['name', 'state', 'mergedInto']);

// the score rules of 调度轮次 (setting rounds.scoreRules, one audit field per rule); a round's own
// rows are queued whole by electron/core/sync-rounds.ts, not from their audit rows
const SCORE_RULE_FIELDS = new Set(['base', 'notReported', 'late', 'lagging', 'completed']);

/** Whether a local audited field change is synced. */
export function isSynced(tbl: string, field: string, rowId?: string): boolean {
  if (tbl === 'setting') return rowId === 'rounds.scoreRules' && SCORE_RULE_FIELDS.has(field);
  if (tbl === 'measure') return MEASURE_FIELDS.has(field);
  if (tbl === 'project') return PROJECT_FIELDS.has(field) || /^yearPlan\.\d{4}\.(planned|completed)$/.test(field);
  if (tbl === 'department') return DEPARTMENT_FIELDS.has(field);
  if (tbl === 'indicator_actual') return /^\d{4}\.(value|source|note)$/.test(field);
  return false;
}

/** A local field change in the server's terms. */
export function toServerOp(tbl: string, field: string, base: string | null, value: string | null): { field: string; base: string | null; value: string | null } {
  if (tbl === 'measure' && field === MEASURE_LEADS.localField) {
    return { field: MEASURE_LEADS.serverField, base: MEASURE_LEADS.toServer(base), value: MEASURE_LEADS.toServer(value) };
  }
  return { field, base, value };
}

/** A server field change in this copy's terms. */
export function toLocalChange(tbl: string, field: string, value: string | null): { field: string; value: string | null } {
  if (tbl === 'measure' && field === MEASURE_LEADS.serverField) return { field: MEASURE_LEADS.localField, value: MEASURE_LEADS.toLocal(value) };
  return { field, value };
}
