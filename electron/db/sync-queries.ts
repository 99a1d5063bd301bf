// SQL of the local side of online collaboration (issue 20): the outbox, the link to the server,
// conflicts, and reading or writing one synced field directly (a change pulled from the server is
// already decided: it is written as it is, not validated again, and never queued back).
// Values are encoded as the audit encodes them: text as is, numbers, booleans and lists as JSON.
import type { Database, Statement } from 'better-sqlite3';
import { CITIES } from '../../shared/domain';
import { ROUND_SYNC_TABLES, roundSyncQueries } from './round-sync-queries';

// prepared once per connection: a pull or a clone runs the same few statements for every change
const statements = new WeakMap<Database, Map<string, Statement>>();
function st(db: Database, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

export interface SyncStateRow {
  server: string;
  device: string;
  last_seq: number;
  synced_at: string | null;
  error: string | null;
}

export interface OutboxRow {
  id: number;
  op_id: string;
  local_op: string;
  op: string;
  tbl: string;
  row_id: string;
  field: string;
  base: string | null;
  value: string | null;
  actor: string;
  unit: string;
  at: string;
}

export interface SyncConflictRow {
  op_id: string;
  kind: 'conflict' | 'refused';
  tbl: string;
  row_id: string;
  field: string;
  base: string | null;
  mine: string | null;
  theirs: string | null;
  reason: string;
  actor: string;
  unit: string;
  at: string;
  resolved_at: string | null;
  resolution: 'mine' | 'theirs' | null;
}

const hasTable = (db: Database, name: string) =>
  st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

export function syncState(db: Database): SyncStateRow | null {
  if (!hasTable(db, 'sync_state')) return null;
  return (st(db, 'SELECT server, device, last_seq, synced_at, error FROM sync_state WHERE id = 1').get() as SyncStateRow | undefined) ?? null;
}

export function attachSync(db: Database, server: string, device: string, lastSeq: number): void {
  st(db, 'INSERT INTO sync_state (id, server, device, last_seq) VALUES (1, ?, ?, ?)').run(server, device, lastSeq);
}

export function setLastSeq(db: Database, seq: number, at: string): void {
  st(db, 'UPDATE sync_state SET last_seq = ?, synced_at = ?, error = NULL WHERE id = 1').run(seq, at);
}

export function setSyncError(db: Database, error: string | null): void {
  st(db, 'UPDATE sync_state SET error = ? WHERE id = 1').run(error);
}

export function insertOutbox(db: Database, r: Omit<OutboxRow, 'id'>): void {
  st(db, 
    `INSERT INTO sync_outbox (op_id, local_op, op, tbl, row_id, field, base, value, actor, unit, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.op_id, r.local_op, r.op, r.tbl, r.row_id, r.field, r.base, r.value, r.actor, r.unit, r.at);
}

export function outboxBatch(db: Database, limit: number): OutboxRow[] {
  return st(db, 'SELECT * FROM sync_outbox ORDER BY id LIMIT ?').all(limit) as OutboxRow[];
}

export function outboxCount(db: Database): number {
  if (!hasTable(db, 'sync_outbox')) return 0;
  return (st(db, 'SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
}

export function deleteOutbox(db: Database, opId: string): void {
  st(db, 'DELETE FROM sync_outbox WHERE op_id = ?').run(opId);
}

/** (table, row, field) keys with operations still waiting to be pushed */
export function pendingFields(db: Database): Set<string> {
  const rows = st(db, 'SELECT DISTINCT tbl, row_id, field FROM sync_outbox').all() as { tbl: string; row_id: string; field: string }[];
  return new Set(rows.map((r) => fieldKey(r.tbl, r.row_id, r.field)));
}

export const fieldKey = (tbl: string, rowId: string, field: string) => `${tbl}\u0000${rowId}\u0000${field}`;

export function insertConflict(db: Database, c: Omit<SyncConflictRow, 'resolved_at' | 'resolution'>): void {
  st(db, 
    `INSERT OR IGNORE INTO sync_conflict (op_id, kind, tbl, row_id, field, base, mine, theirs, reason, actor, unit, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(c.op_id, c.kind, c.tbl, c.row_id, c.field, c.base, c.mine, c.theirs, c.reason, c.actor, c.unit, c.at);
}

export function listConflicts(db: Database, includeResolved = false): SyncConflictRow[] {
  if (!hasTable(db, 'sync_conflict')) return [];
  return db
    .prepare(`SELECT * FROM sync_conflict${includeResolved ? '' : ' WHERE resolved_at IS NULL'} ORDER BY at, op_id`)
    .all() as SyncConflictRow[];
}

export function conflictByOp(db: Database, opId: string): SyncConflictRow | undefined {
  return st(db, 'SELECT * FROM sync_conflict WHERE op_id = ?').get(opId) as SyncConflictRow | undefined;
}

export function markResolved(db: Database, opId: string, resolution: 'mine' | 'theirs', at: string): void {
  st(db, 'UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE op_id = ?').run(at, resolution, opId);
}

// ---------------------------------------------------------------- one field, read and written directly

const enc = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
const parseList = <T>(v: string | null): T[] => {
  if (v === null) return [];
  const x = JSON.parse(v) as unknown;
  if (!Array.isArray(x)) throw new Error(`不是列表：${v}`);
  return x as T[];
};
const parseNum = (v: string | null): number | null => {
  if (v === null) return null;
  const n = Number(JSON.parse(v));
  if (!Number.isFinite(n)) throw new Error(`不是数值：${v}`);
  return n;
};
const parseBool = (v: string | null): number => (v === 'true' ? 1 : 0);
const cityOrder = (xs: string[]) => CITIES.filter((c) => xs.includes(c));

const PROJECT_COLUMNS: Record<string, string> = {
  name: 'name',
  category: 'category',
  stage: 'stage',
  startYear: 'start_year',
  endYear: 'end_year',
  totalInvestment: 'total_investment',
  leadId: 'lead_id',
  location: 'location',
  progressText: 'progress_text',
  problems: 'problems',
  taskId: 'task_id',
};
const PROJECT_NUMERIC = new Set(['startYear', 'endYear', 'totalInvestment', 'leadId']);
const MEASURE_TEXT: Record<string, string> = { deadline: 'deadline', status: 'status', progress: 'progress', note: 'note' };

/**
 * One synced field of this copy, encoded (local field names: a measure's leads are `leadIds`, the
 * ordered list of measure_lead; `leadId` is the single lead an audit row from before joint leads names).
 * undefined: the row does not exist here.
 */
export function localFieldValue(db: Database, tbl: string, rowId: string, field: string): string | null | undefined {
  if (ROUND_SYNC_TABLES.has(tbl)) return roundSyncQueries(db).fieldValue(tbl, rowId, field);
  if (tbl === 'measure') {
    const m = st(db, 'SELECT * FROM measure WHERE id = ?').get(rowId) as Record<string, unknown> | undefined;
    if (!m) return undefined;
    if (field === 'leadIds') return enc(st(db, 'SELECT dept_id FROM measure_lead WHERE measure_id = ? ORDER BY ord').pluck().all(rowId));
    if (field === 'leadId') return enc(m.lead_id);
    if (field === 'leadConfirmed') return m.lead_confirmed === 1 ? 'true' : 'false';
    if (field === 'coIds') return enc(st(db, 'SELECT dept_id FROM measure_co WHERE measure_id = ? ORDER BY ord').pluck().all(rowId));
    if (field === 'cities') return enc(cityOrder(st(db, 'SELECT city FROM measure_city WHERE measure_id = ?').pluck().all(rowId) as string[]));
    if (field in MEASURE_TEXT) return enc(m[MEASURE_TEXT[field]]);
    return undefined;
  }
  if (tbl === 'project') {
    const p = st(db, 'SELECT * FROM project WHERE id = ?').get(rowId) as Record<string, unknown> | undefined;
    if (!p) return undefined;
    const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(field);
    if (y) {
      const r = st(db, 'SELECT planned, completed FROM project_year_plan WHERE project_id = ? AND year = ?').get(rowId, Number(y[1])) as
        | { planned: number | null; completed: number | null }
        | undefined;
      return r ? enc(r[y[2] as 'planned' | 'completed']) : null;
    }
    if (field in PROJECT_COLUMNS) return enc(p[PROJECT_COLUMNS[field]]);
    if (field === 'cities') return enc(cityOrder(st(db, 'SELECT city FROM project_city WHERE project_id = ?').pluck().all(rowId) as string[]));
    if (field === 'linkedTaskIds') return enc(st(db, 'SELECT task_id FROM project_task WHERE project_id = ? ORDER BY ord').pluck().all(rowId));
    if (field === 'deleted') return p.deleted === 1 ? 'true' : 'false';
    return undefined;
  }
  if (tbl === 'department') {
    const d = st(db, 'SELECT name, state, merged_into FROM department WHERE id = ?').get(Number(rowId)) as
      | { name: string; state: string; merged_into: number | null }
      | undefined;
    if (!d) return undefined;
    if (field === 'name') return d.name;
    if (field === 'state') return d.state;
    if (field === 'mergedInto') return enc(d.merged_into);
    return undefined;
  }
  if (tbl === 'indicator_actual') {
    if (!st(db, 'SELECT 1 FROM indicator WHERE id = ?').get(rowId)) return undefined;
    const m = /^(\d{4})\.(value|source|note)$/.exec(field);
    if (!m) return undefined;
    const a = st(db, 'SELECT value, source, note FROM indicator_actual WHERE indicator_id = ? AND year = ?').get(rowId, Number(m[1])) as
      | { value: number | null; source: string; note: string }
      | undefined;
    if (!a) return null;
    if (m[2] === 'value') return enc(a.value);
    return a[m[2] as 'source' | 'note'] === '' ? null : a[m[2] as 'source' | 'note'];
  }
  return undefined;
}

/**
 * A measure's ordered leads replaced as a whole (measure.lead_id follows by the table's triggers,
 * migration 12). Also used by a clone for the leads after the first.
 */
export function setMeasureLeads(db: Database, measureId: string, ids: number[]): void {
  st(db, 'DELETE FROM measure_lead WHERE measure_id = ?').run(measureId);
  [...new Set(ids)].forEach((d, i) => st(db, 'INSERT INTO measure_lead (measure_id, dept_id, ord) VALUES (?, ?, ?)').run(measureId, d, i));
}

/**
 * Write one synced field as the server holds it (local field names). Indicator years are written
 * by writeIndicatorYear (a year's value, source and note together: the table requires a value or
 * an assessment). Returns false when the row does not exist here.
 */
export function writeLocalField(db: Database, tbl: string, rowId: string, field: string, v: string | null, at: string): boolean {
  if (ROUND_SYNC_TABLES.has(tbl)) return roundSyncQueries(db).writeField(tbl, rowId, field, v);
  if (tbl === 'measure') {
    if (!st(db, 'SELECT 1 FROM measure WHERE id = ?').get(rowId)) return false;
    if (field === 'leadIds') setMeasureLeads(db, rowId, parseList<number>(v));
    else if (field === 'leadId') setMeasureLeads(db, rowId, v === null ? [] : [parseNum(v) as number]);
    else if (field === 'leadConfirmed') st(db, 'UPDATE measure SET lead_confirmed = ? WHERE id = ?').run(parseBool(v), rowId);
    else if (field === 'coIds') {
      st(db, 'DELETE FROM measure_co WHERE measure_id = ?').run(rowId);
      parseList<number>(v).forEach((d, i) => st(db, 'INSERT INTO measure_co (measure_id, dept_id, ord) VALUES (?, ?, ?)').run(rowId, d, i));
    } else if (field === 'cities') {
      st(db, 'DELETE FROM measure_city WHERE measure_id = ?').run(rowId);
      for (const c of new Set(parseList<string>(v))) st(db, 'INSERT INTO measure_city (measure_id, city) VALUES (?, ?)').run(rowId, c);
    } else if (field in MEASURE_TEXT) {
      const col = MEASURE_TEXT[field];
      st(db, `UPDATE measure SET ${col} = ? WHERE id = ?`).run(col === 'deadline' ? v : (v ?? ''), rowId);
    } else return false;
    st(db, 'UPDATE measure SET updated_at = ? WHERE id = ?').run(at, rowId);
    return true;
  }
  if (tbl === 'project') {
    if (!st(db, 'SELECT 1 FROM project WHERE id = ?').get(rowId)) return false;
    const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(field);
    if (y) {
      const year = Number(y[1]);
      st(db, 'INSERT OR IGNORE INTO project_year_plan (project_id, year) VALUES (?, ?)').run(rowId, year);
      st(db, `UPDATE project_year_plan SET ${y[2] === 'planned' ? 'planned' : 'completed'} = ? WHERE project_id = ? AND year = ?`).run(parseNum(v), rowId, year);
      st(db, 'DELETE FROM project_year_plan WHERE project_id = ? AND year = ? AND planned IS NULL AND completed IS NULL').run(rowId, year);
    } else if (field in PROJECT_COLUMNS) {
      const value = PROJECT_NUMERIC.has(field) ? parseNum(v) : field === 'taskId' ? v : (v ?? '');
      st(db, `UPDATE project SET ${PROJECT_COLUMNS[field]} = ? WHERE id = ?`).run(value, rowId);
    } else if (field === 'cities') {
      st(db, 'DELETE FROM project_city WHERE project_id = ?').run(rowId);
      for (const c of new Set(parseList<string>(v))) st(db, 'INSERT INTO project_city (project_id, city) VALUES (?, ?)').run(rowId, c);
    } else if (field === 'linkedTaskIds') {
      st(db, 'DELETE FROM project_task WHERE project_id = ?').run(rowId);
      parseList<string>(v).forEach((t, i) => st(db, 'INSERT INTO project_task (project_id, task_id, ord) VALUES (?, ?, ?)').run(rowId, t, i));
    } else if (field === 'deleted') st(db, 'UPDATE project SET deleted = ? WHERE id = ?').run(parseBool(v), rowId);
    else return false;
    st(db, 'UPDATE project SET updated_at = ? WHERE id = ?').run(at, rowId);
    return true;
  }
  if (tbl === 'department') {
    if (!st(db, 'SELECT 1 FROM department WHERE id = ?').get(Number(rowId))) return false;
    if (field === 'name') st(db, 'UPDATE department SET name = ? WHERE id = ?').run(v, Number(rowId));
    else if (field === 'state') st(db, 'UPDATE department SET state = ? WHERE id = ?').run(v, Number(rowId));
    else if (field === 'mergedInto') st(db, 'UPDATE department SET merged_into = ? WHERE id = ?').run(parseNum(v), Number(rowId));
    else return false;
    return true;
  }
  return false;
}

/** A year of an indicator as a whole: no value and no assessment removes the year. */
export function writeIndicatorYear(db: Database, id: string, year: number, a: { value: number | null; source: string; note: string }, at: string): boolean {
  if (!st(db, 'SELECT 1 FROM indicator WHERE id = ?').get(id)) return false;
  if (a.value === null && a.note === '') {
    st(db, 'DELETE FROM indicator_actual WHERE indicator_id = ? AND year = ?').run(id, year);
    return true;
  }
  st(db, 
    `INSERT INTO indicator_actual (indicator_id, year, value, source, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (indicator_id, year) DO UPDATE SET value = excluded.value, source = excluded.source, note = excluded.note, updated_at = excluded.updated_at`,
  ).run(id, year, a.value, a.source, a.note, at);
  return true;
}

export function indicatorYear(db: Database, id: string, year: number): { value: number | null; source: string; note: string } {
  return (
    (st(db, 'SELECT value, source, note FROM indicator_actual WHERE indicator_id = ? AND year = ?').get(id, year) as
      | { value: number | null; source: string; note: string }
      | undefined) ?? { value: null, source: '', note: '' }
  );
}

export { parseNum as parseEncodedNumber };

// ---------------------------------------------------------------- whole tables (clone, server-init)

/** The tables a server holds, in an order that satisfies their references. */
export const SHARED_TABLES = [
  'department',
  'dept_alias',
  'plan_node',
  'plan_para',
  'measure',
  'measure_co',
  'measure_city',
  'project',
  'project_city',
  'project_task',
  'project_year_plan',
  'indicator',
  'indicator_actual',
  // 调度轮次 (server migration 2)
  'round',
  'round_dept',
  'round_measure',
  'round_submission',
  'round_report',
  'round_event',
  'round_snapshot',
  'attachment',
  'round_evidence',
] as const;
export type SharedTable = (typeof SHARED_TABLES)[number];

export function tableColumns(db: Database, table: SharedTable): string[] {
  return (st(db, `SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

/** Every row of a shared table, in batches (a table scan: a plan node's parent, inserted first, comes first). */
export function* tableRows(db: Database, table: SharedTable, columns: string[], batch = 5000): Generator<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  for (const r of st(db, `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table}`).iterate() as Iterable<Record<string, unknown>>) {
    rows.push(r);
    if (rows.length === batch) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length) yield rows;
}

export function insertRows(db: Database, table: SharedTable, columns: string[], rows: Record<string, unknown>[]): void {
  const ins = st(db, `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const r of rows) ins.run(...columns.map((c) => r[c] ?? null));
}

export function planSettings(db: Database): { key: string; value: string }[] {
  // the plan's settings and the rounds' score rules (the office's, shared like the plan)
  return st(db, "SELECT key, value FROM setting WHERE key LIKE 'plan.%' OR key = 'rounds.scoreRules'").all() as { key: string; value: string }[];
}

export function setSetting(db: Database, key: string, value: string): void {
  st(db, 'INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)').run(key, value);
}

export function hasRows(db: Database, table: SharedTable): boolean {
  return st(db, `SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined;
}

/** The measures' single leads (the copy's own column), for the leads adapter. */
export function measureLeadIds(db: Database): { measure_id: string; dept_id: number; ord: number }[] {
  return st(db, 'SELECT measure_id, dept_id, ord FROM measure_lead ORDER BY measure_id, ord').all() as { measure_id: string; dept_id: number; ord: number }[];
}
