// SQL of the local side of online collaboration (issue 20): the outbox, the link to the server,
// conflicts, and reading or writing one synced field directly (a change pulled from the server is
// already decided: it is written as it is, not validated again, and never queued back).
// Values are encoded as the audit encodes them: text as is, numbers, booleans and lists as JSON.
// Reached as ctx.q.sync (or syncQueries(db) where only the connection is at hand: the outbox
// queueing of the audit writer, server-init's reading of a workbench database, a clone's new file).
import type { Database } from 'better-sqlite3';
import { CITIES } from '../../shared/domain';
import { StatementCache } from './statements';
import { ROUND_SYNC_TABLES, roundSyncQueries } from './round-sync-queries';

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
export const fieldKey = (tbl: string, rowId: string, field: string) => `${tbl}\u0000${rowId}\u0000${field}`;

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

export { parseNum as parseEncodedNumber };

/**
 * The tables a server holds, in an order that satisfies their references. A clone copies each of
 * them by its columns that the server also has; while it loads, their triggers and secondary
 * indexes are dropped (SyncQueries.suspendTriggersAndIndexes), so a table added here whose
 * triggers write other rows needs those rows written by the clone (as measure_lead is).
 */
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

/** The local statements of online collaboration, prepared once per connection (ctx.q.sync). */
export class SyncQueries extends StatementCache {
  // ---------------------------------------------------------------- the link, the outbox, conflicts

  private hasTable(name: string): boolean {
    return this.st("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }

  syncState(): SyncStateRow | null {
    if (!this.hasTable('sync_state')) return null;
    return (this.st('SELECT server, device, last_seq, synced_at, error FROM sync_state WHERE id = 1').get() as SyncStateRow | undefined) ?? null;
  }

  attachSync(server: string, device: string, lastSeq: number): void {
    this.st('INSERT INTO sync_state (id, server, device, last_seq) VALUES (1, ?, ?, ?)').run(server, device, lastSeq);
  }

  setLastSeq(seq: number, at: string): void {
    this.st('UPDATE sync_state SET last_seq = ?, synced_at = ?, error = NULL WHERE id = 1').run(seq, at);
  }

  setSyncError(error: string | null): void {
    this.st('UPDATE sync_state SET error = ? WHERE id = 1').run(error);
  }

  insertOutbox(r: Omit<OutboxRow, 'id'>): void {
    this.st(
      `INSERT INTO sync_outbox (op_id, local_op, op, tbl, row_id, field, base, value, actor, unit, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.op_id, r.local_op, r.op, r.tbl, r.row_id, r.field, r.base, r.value, r.actor, r.unit, r.at);
  }

  outboxBatch(limit: number): OutboxRow[] {
    return this.st('SELECT * FROM sync_outbox ORDER BY id LIMIT ?').all(limit) as OutboxRow[];
  }

  outboxCount(): number {
    if (!this.hasTable('sync_outbox')) return 0;
    return (this.st('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
  }

  deleteOutbox(opId: string): void {
    this.st('DELETE FROM sync_outbox WHERE op_id = ?').run(opId);
  }

  /** (table, row, field) keys with operations still waiting to be pushed */
  pendingFields(): Set<string> {
    const rows = this.st('SELECT DISTINCT tbl, row_id, field FROM sync_outbox').all() as { tbl: string; row_id: string; field: string }[];
    return new Set(rows.map((r) => fieldKey(r.tbl, r.row_id, r.field)));
  }

  insertConflict(c: Omit<SyncConflictRow, 'resolved_at' | 'resolution'>): void {
    this.st(
      `INSERT OR IGNORE INTO sync_conflict (op_id, kind, tbl, row_id, field, base, mine, theirs, reason, actor, unit, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.op_id, c.kind, c.tbl, c.row_id, c.field, c.base, c.mine, c.theirs, c.reason, c.actor, c.unit, c.at);
  }

  listConflicts(includeResolved = false): SyncConflictRow[] {
    if (!this.hasTable('sync_conflict')) return [];
    return this.db
      .prepare(`SELECT * FROM sync_conflict${includeResolved ? '' : ' WHERE resolved_at IS NULL'} ORDER BY at, op_id`)
      .all() as SyncConflictRow[];
  }

  conflictByOp(opId: string): SyncConflictRow | undefined {
    return this.st('SELECT * FROM sync_conflict WHERE op_id = ?').get(opId) as SyncConflictRow | undefined;
  }

  markResolved(opId: string, resolution: 'mine' | 'theirs', at: string): void {
    this.st('UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE op_id = ?').run(at, resolution, opId);
  }

  // ---------------------------------------------------------------- one field, read and written directly

  /**
   * One synced field of this copy, encoded (local field names: a measure's leads are `leadIds`, the
   * ordered list of measure_lead; `leadId` is the single lead an audit row from before joint leads names).
   * undefined: the row does not exist here.
   */
  localFieldValue(tbl: string, rowId: string, field: string): string | null | undefined {
    if (ROUND_SYNC_TABLES.has(tbl)) return roundSyncQueries(this.db).fieldValue(tbl, rowId, field);
    if (tbl === 'measure') {
      const m = this.st('SELECT * FROM measure WHERE id = ?').get(rowId) as Record<string, unknown> | undefined;
      if (!m) return undefined;
      if (field === 'leadIds') return enc(this.st('SELECT dept_id FROM measure_lead WHERE measure_id = ? ORDER BY ord').pluck().all(rowId));
      if (field === 'leadId') return enc(m.lead_id);
      if (field === 'leadConfirmed') return m.lead_confirmed === 1 ? 'true' : 'false';
      if (field === 'coIds') return enc(this.st('SELECT dept_id FROM measure_co WHERE measure_id = ? ORDER BY ord').pluck().all(rowId));
      if (field === 'cities') return enc(cityOrder(this.st('SELECT city FROM measure_city WHERE measure_id = ?').pluck().all(rowId) as string[]));
      if (field in MEASURE_TEXT) return enc(m[MEASURE_TEXT[field]]);
      return undefined;
    }
    if (tbl === 'project') {
      const p = this.st('SELECT * FROM project WHERE id = ?').get(rowId) as Record<string, unknown> | undefined;
      if (!p) return undefined;
      const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(field);
      if (y) {
        const r = this.st('SELECT planned, completed FROM project_year_plan WHERE project_id = ? AND year = ?').get(rowId, Number(y[1])) as
          | { planned: number | null; completed: number | null }
          | undefined;
        return r ? enc(r[y[2] as 'planned' | 'completed']) : null;
      }
      if (field in PROJECT_COLUMNS) return enc(p[PROJECT_COLUMNS[field]]);
      if (field === 'cities') return enc(cityOrder(this.st('SELECT city FROM project_city WHERE project_id = ?').pluck().all(rowId) as string[]));
      if (field === 'linkedTaskIds') return enc(this.st('SELECT task_id FROM project_task WHERE project_id = ? ORDER BY ord').pluck().all(rowId));
      if (field === 'deleted') return p.deleted === 1 ? 'true' : 'false';
      return undefined;
    }
    if (tbl === 'department') {
      const d = this.st('SELECT name, state, merged_into FROM department WHERE id = ?').get(Number(rowId)) as
        | { name: string; state: string; merged_into: number | null }
        | undefined;
      if (!d) return undefined;
      if (field === 'name') return d.name;
      if (field === 'state') return d.state;
      if (field === 'mergedInto') return enc(d.merged_into);
      return undefined;
    }
    if (tbl === 'indicator_actual') {
      if (!this.st('SELECT 1 FROM indicator WHERE id = ?').get(rowId)) return undefined;
      const m = /^(\d{4})\.(value|source|note)$/.exec(field);
      if (!m) return undefined;
      const a = this.st('SELECT value, source, note FROM indicator_actual WHERE indicator_id = ? AND year = ?').get(rowId, Number(m[1])) as
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
  setMeasureLeads(measureId: string, ids: number[]): void {
    this.st('DELETE FROM measure_lead WHERE measure_id = ?').run(measureId);
    [...new Set(ids)].forEach((d, i) => this.st('INSERT INTO measure_lead (measure_id, dept_id, ord) VALUES (?, ?, ?)').run(measureId, d, i));
  }

  /**
   * Write one synced field as the server holds it (local field names). Indicator years are written
   * by writeIndicatorYear (a year's value, source and note together: the table requires a value or
   * an assessment). Returns false when the row does not exist here.
   */
  writeLocalField(tbl: string, rowId: string, field: string, v: string | null, at: string): boolean {
    if (ROUND_SYNC_TABLES.has(tbl)) return roundSyncQueries(this.db).writeField(tbl, rowId, field, v);
    if (tbl === 'measure') {
      if (field in MEASURE_TEXT) {
        // the field and the row's time in one statement (a pull writes thousands); no row: no change
        const col = MEASURE_TEXT[field];
        return this.st(`UPDATE measure SET ${col} = ?, updated_at = ? WHERE id = ?`).run(col === 'deadline' ? v : (v ?? ''), at, rowId).changes > 0;
      }
      if (!this.st('SELECT 1 FROM measure WHERE id = ?').get(rowId)) return false;
      if (field === 'leadIds') this.setMeasureLeads(rowId, parseList<number>(v));
      else if (field === 'leadId') this.setMeasureLeads(rowId, v === null ? [] : [parseNum(v) as number]);
      else if (field === 'leadConfirmed') this.st('UPDATE measure SET lead_confirmed = ? WHERE id = ?').run(parseBool(v), rowId);
      else if (field === 'coIds') {
        this.st('DELETE FROM measure_co WHERE measure_id = ?').run(rowId);
        parseList<number>(v).forEach((d, i) => this.st('INSERT INTO measure_co (measure_id, dept_id, ord) VALUES (?, ?, ?)').run(rowId, d, i));
      } else if (field === 'cities') {
        this.st('DELETE FROM measure_city WHERE measure_id = ?').run(rowId);
        for (const c of new Set(parseList<string>(v))) this.st('INSERT INTO measure_city (measure_id, city) VALUES (?, ?)').run(rowId, c);
      } else return false;
      this.st('UPDATE measure SET updated_at = ? WHERE id = ?').run(at, rowId);
      return true;
    }
    if (tbl === 'project') {
      if (!this.st('SELECT 1 FROM project WHERE id = ?').get(rowId)) return false;
      const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(field);
      if (y) {
        const year = Number(y[1]);
        this.st('INSERT OR IGNORE INTO project_year_plan (project_id, year) VALUES (?, ?)').run(rowId, year);
        this.st(`UPDATE project_year_plan SET ${y[2] === 'planned' ? 'planned' : 'completed'} = ? WHERE project_id = ? AND year = ?`).run(parseNum(v), rowId, year);
        this.st('DELETE FROM project_year_plan WHERE project_id = ? AND year = ? AND planned IS NULL AND completed IS NULL').run(rowId, year);
      } else if (field in PROJECT_COLUMNS) {
        const value = PROJECT_NUMERIC.has(field) ? parseNum(v) : field === 'taskId' ? v : (v ?? '');
        this.st(`UPDATE project SET ${PROJECT_COLUMNS[field]} = ? WHERE id = ?`).run(value, rowId);
      } else if (field === 'cities') {
        this.st('DELETE FROM project_city WHERE project_id = ?').run(rowId);
        for (const c of new Set(parseList<string>(v))) this.st('INSERT INTO project_city (project_id, city) VALUES (?, ?)').run(rowId, c);
      } else if (field === 'linkedTaskIds') {
        this.st('DELETE FROM project_task WHERE project_id = ?').run(rowId);
        parseList<string>(v).forEach((t, i) => this.st('INSERT INTO project_task (project_id, task_id, ord) VALUES (?, ?, ?)').run(rowId, t, i));
      } else if (field === 'deleted') this.st('UPDATE project SET deleted = ? WHERE id = ?').run(parseBool(v), rowId);
      else return false;
      this.st('UPDATE project SET updated_at = ? WHERE id = ?').run(at, rowId);
      return true;
    }
    if (tbl === 'department') {
      if (!this.st('SELECT 1 FROM department WHERE id = ?').get(Number(rowId))) return false;
      if (field === 'name') this.st('UPDATE department SET name = ? WHERE id = ?').run(v, Number(rowId));
      else if (field === 'state') this.st('UPDATE department SET state = ? WHERE id = ?').run(v, Number(rowId));
      else if (field === 'mergedInto') this.st('UPDATE department SET merged_into = ? WHERE id = ?').run(parseNum(v), Number(rowId));
      else return false;
      return true;
    }
    return false;
  }

  /** A year of an indicator as a whole: no value and no assessment removes the year. */
  writeIndicatorYear(id: string, year: number, a: { value: number | null; source: string; note: string }, at: string): boolean {
    if (!this.st('SELECT 1 FROM indicator WHERE id = ?').get(id)) return false;
    if (a.value === null && a.note === '') {
      this.st('DELETE FROM indicator_actual WHERE indicator_id = ? AND year = ?').run(id, year);
      return true;
    }
    this.st(
      `INSERT INTO indicator_actual (indicator_id, year, value, source, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (indicator_id, year) DO UPDATE SET value = excluded.value, source = excluded.source, note = excluded.note, updated_at = excluded.updated_at`,
    ).run(id, year, a.value, a.source, a.note, at);
    return true;
  }

  indicatorYear(id: string, year: number): { value: number | null; source: string; note: string } {
    return (
      (this.st('SELECT value, source, note FROM indicator_actual WHERE indicator_id = ? AND year = ?').get(id, year) as
        | { value: number | null; source: string; note: string }
        | undefined) ?? { value: null, source: '', note: '' }
    );
  }

  // ---------------------------------------------------------------- whole tables (clone, server-init)

  tableColumns(table: SharedTable): string[] {
    return (this.st(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
  }

  /** Every row of a shared table, in batches (a table scan: a plan node's parent, inserted first, comes first). */
  *tableRows(table: SharedTable, columns: string[], batch = 5000): Generator<Record<string, unknown>[]> {
    let rows: Record<string, unknown>[] = [];
    for (const r of this.st(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table}`).iterate() as Iterable<Record<string, unknown>>) {
      rows.push(r);
      if (rows.length === batch) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length) yield rows;
  }

  /** Rows given as objects (the columns named) or as arrays in the order of `columns`; one prepared statement. */
  insertRows(table: SharedTable | 'measure_lead', columns: string[], rows: Record<string, unknown>[] | unknown[][]): void {
    const ins = this.st(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const r of rows) {
      if (Array.isArray(r)) ins.run(r);
      else ins.run(columns.map((c) => r[c] ?? null));
    }
  }

  /**
   * For a bulk load into a new file inside its open transaction: the triggers and the secondary
   * indexes of these tables dropped; the function returned makes them again from their own SQL
   * (an index built once from the loaded rows instead of kept up row by row). What the triggers
   * would have written the loader writes itself.
   */
  suspendTriggersAndIndexes(tables: readonly string[]): () => void {
    const objects = this.db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY type, name")
      .all(JSON.stringify(tables)) as { type: 'trigger' | 'index'; name: string; sql: string }[];
    for (const o of objects) this.db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name}"`);
    return () => {
      for (const o of objects) this.db.exec(o.sql);
    };
  }

  planSettings(): { key: string; value: string }[] {
    // the plan's settings and the rounds' score rules (the office's, shared like the plan)
    return this.st("SELECT key, value FROM setting WHERE key LIKE 'plan.%' OR key = 'rounds.scoreRules'").all() as { key: string; value: string }[];
  }

  setSetting(key: string, value: string): void {
    this.st('INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)').run(key, value);
  }

  hasRows(table: SharedTable): boolean {
    return this.st(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined;
  }

  /** The measures' single leads (the copy's own column), for the leads adapter. */
  measureLeadIds(): { measure_id: string; dept_id: number; ord: number }[] {
    return this.st('SELECT measure_id, dept_id, ord FROM measure_lead ORDER BY measure_id, ord').all() as { measure_id: string; dept_id: number; ord: number }[];
  }
}

const instances = new WeakMap<Database, SyncQueries>();

/** The statements of one connection, shared by every caller (ctx.q.sync is the same object). */
export function syncQueries(db: Database): SyncQueries {
  let q = instances.get(db);
  if (!q) {
    q = new SyncQueries(db);
    instances.set(db, q);
  }
  return q;
}
