// Every SQL statement the services use. Services hold the logic; this file only reads and writes rows.
import { StatementCache } from './statements';
import { AuditQueries } from './audit-queries';
import { ReportQueries } from './report-queries';
import { projectQueries, type ProjectQueries } from './project-queries';
import { draftQueries, type DraftQueries } from './draft-queries';
import { syncQueries, type SyncQueries } from './sync-queries';
import type { City, DeptLevel, DeptState, Status } from '../../shared/domain';

export interface NodeRow {
  id: string;
  parent_id: string | null;
  kind: 'part' | 'chapter' | 'section' | 'task' | 'figure';
  ord: number;
  no: number | null;
  title: string;
  label: string;
  section_as_task: number;
}

export interface ParaRow {
  node_id: string;
  ord: number;
  text: string;
}

export interface MeasureDbRow {
  id: string;
  task_id: string;
  ord: number;
  text: string;
  actionable: number;
  lead_id: number | null;
  lead_confirmed: number;
  suggest_reason: string | null;
  /** from version 9 */
  suggest_unsure?: number;
  deadline: string | null;
  status: Status;
  progress: string;
  note: string;
  updated_at: string | null;
  chapter_no: number;
  chapter_title: string;
  section_no: number;
  section_title: string;
  task_title: string;
}

export interface DeptRow {
  id: number;
  name: string;
  level: DeptLevel;
  city: City | null;
  state: DeptState;
  merged_into: number | null;
  ord: number;
  source: string;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  unit: string;
  op_id: string;
  op: string;
  tbl: string;
  row_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
}

/**
 * A measure row of Queries.ledgerMeasures(): id, task_id, text, lead_id, lead_confirmed, suggest_reason,
 * deadline, status, progress, note, updated_at, co-operating department ids ('3,12' in their order,
 * or null), cities ('长沙市,湘潭市' or null), suggest_unsure, leads ('3,12' in their order, or null; lead_id is the first).
 */
export type LedgerMeasureDbRow = [
  string,
  string,
  string,
  number | null,
  number,
  string | null,
  string | null,
  Status,
  string,
  string,
  string | null,
  string | null,
  string | null,
  number,
  string | null,
];
/** The measure columns an edit sets (Queries.updateMeasure). */
export type MeasureColumn = 'lead_confirmed' | 'deadline' | 'status' | 'progress' | 'note';
/** A task row of Queries.ledgerMeasures(): id, chapter no and title, section no and title, task no and title. */
export type LedgerTaskDbRow = [string, number, string, number, string, number | null, string];

const MEASURE_SELECT = `
  SELECT m.*, ch.no AS chapter_no, ch.title AS chapter_title, s.no AS section_no, s.title AS section_title,
         t.title AS task_title
    FROM measure m
    JOIN plan_node t ON t.id = m.task_id
    JOIN plan_node s ON s.id = t.parent_id
    JOIN plan_node ch ON ch.id = s.parent_id`;
const MEASURE_ORDER = ' ORDER BY ch.no, s.no, t.no, m.ord';
/** a measure's leads in order, aggregated ('3,17' or null), on `measure m` */
const LEAD_LIST = "(SELECT group_concat(l.dept_id, ',' ORDER BY l.ord) FROM measure_lead l WHERE l.measure_id = m.id)";
/** MEASURE_SELECT with each measure's co-operating departments (in order) and cities, aggregated: no query per row */
const MEASURE_SELECT_WITH_LISTS = MEASURE_SELECT.replace(
  't.title AS task_title',
  `t.title AS task_title,
         ${LEAD_LIST} AS lead_list,
         (SELECT group_concat(c.dept_id, ',' ORDER BY c.ord) FROM measure_co c WHERE c.measure_id = m.id) AS co_list,
         (SELECT group_concat(y.city, ',') FROM measure_city y WHERE y.measure_id = m.id) AS city_list`,
);
/** a measure row with its lists as SQLite aggregated them ('3,17' / '长沙市,株洲市'; null: none); leads and co-operators in order */
export type MeasureListsDbRow = MeasureDbRow & { lead_list: string | null; co_list: string | null; city_list: string | null };
/** a measure of a known task (Queries.measuresOfTaskAfter): no task columns, the lists aggregated */
export type TaskMeasureDbRow = Omit<MeasureListsDbRow, 'task_id' | 'chapter_no' | 'chapter_title' | 'section_no' | 'section_title' | 'task_title'>;

/** The WHERE of Queries.measuresInScope (on `measure m`). */
function scopeWhere(scope: string[], city: string | null, deptId: number | null): { where: string; args: (string | number)[] } {
  const where = ['m.actionable = 1'];
  const args: (string | number)[] = [];
  if (scope.length) {
    where.push(`(${scope.map(() => '(m.id = ? OR substr(m.id, 1, ?) = ?)').join(' OR ')})`);
    for (const s of scope) args.push(s, s.length + 1, `${s}.`);
  }
  if (city) {
    where.push('EXISTS (SELECT 1 FROM measure_city c WHERE c.measure_id = m.id AND c.city = ?)');
    args.push(city);
  }
  if (deptId !== null) {
    // any of its leads, or a co-operator
    where.push(
      '(EXISTS (SELECT 1 FROM measure_lead l WHERE l.measure_id = m.id AND l.dept_id = ?) OR EXISTS (SELECT 1 FROM measure_co o WHERE o.measure_id = m.id AND o.dept_id = ?))',
    );
    args.push(deptId, deptId);
  }
  return { where: where.join(' AND '), args };
}

/**
 * Prepared statements, built once per database connection: the one way services reach SQL
 * (ctx.q). The ledger's own statements are methods here; the other tables' groups hang off it.
 */
export class Queries extends StatementCache {
  /** the audit log and the persistent undo/redo steps */
  readonly audit = new AuditQueries(this.db);
  /** the log of generated reports (briefings) and the measure history they compare with */
  readonly reports = new ReportQueries(this.db);
  /** projects, their year plans, indicators and their actual values */
  get projects(): ProjectQueries {
    return projectQueries(this.db);
  }
  /** 专项推进方案 drafts, their blocks and versions */
  get drafts(): DraftQueries {
    return draftQueries(this.db);
  }
  /** online collaboration: the link to the server, the outbox, conflicts, synced fields, whole tables */
  get sync(): SyncQueries {
    return syncQueries(this.db);
  }

  // ---- settings
  getSetting(key: string): string | null {
    const r = this.st('SELECT value FROM setting WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? r.value : null;
  }
  setSetting(key: string, value: string): void {
    this.st('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
  deleteSetting(key: string): void {
    this.st('DELETE FROM setting WHERE key = ?').run(key);
  }

  // ---- plan
  allNodes(): NodeRow[] {
    return this.st('SELECT * FROM plan_node ORDER BY ord').all() as NodeRow[];
  }
  node(id: string): NodeRow | undefined {
    return this.st('SELECT * FROM plan_node WHERE id = ?').get(id) as NodeRow | undefined;
  }
  paras(nodeId: string): ParaRow[] {
    return this.st('SELECT * FROM plan_para WHERE node_id = ? ORDER BY ord').all(nodeId) as ParaRow[];
  }
  allParas(): ParaRow[] {
    return this.st('SELECT p.* FROM plan_para p ORDER BY p.node_id, p.ord').all() as ParaRow[];
  }
  measuresOfTask(taskId: string): { id: string; ord: number; text: string }[] {
    return this.st('SELECT id, ord, text FROM measure WHERE task_id = ? ORDER BY ord').all(taskId) as {
      id: string;
      ord: number;
      text: string;
    }[];
  }

  // ---- measures
  measures(): MeasureDbRow[] {
    return this.st(MEASURE_SELECT + MEASURE_ORDER).all() as MeasureDbRow[];
  }
  /**
   * The actionable measures of a draft's scope, in plan order: under any of `scope`'s plan nodes
   * (the node itself or an id below it), of `city`, with `deptId` leading or co-operating; a null
   * or empty condition does not narrow. Read in SQL: a scope is usually a few hundred of 100,000.
   */
  measuresInScope(scope: string[], city: string | null, deptId: number | null): MeasureListsDbRow[] {
    const { where, args } = scopeWhere(scope, city, deptId);
    return this.st(`${MEASURE_SELECT_WITH_LISTS} WHERE ${where}${MEASURE_ORDER}`).all(...args) as MeasureListsDbRow[];
  }
  /** How many measuresInScope() would give. */
  countMeasuresInScope(scope: string[], city: string | null, deptId: number | null): number {
    const { where, args } = scopeWhere(scope, city, deptId);
    return (this.st(`SELECT count(*) AS n FROM measure m WHERE ${where}`).get(...args) as { n: number }).n;
  }
  /** These measures (any number: read 500 ids at a time), with their lists; unknown ids are left out. */
  measuresByIds(ids: readonly string[]): MeasureListsDbRow[] {
    const out: MeasureListsDbRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      out.push(...(this.st(`${MEASURE_SELECT_WITH_LISTS} WHERE m.id IN (${part.map(() => '?').join(',')})`).all(...part) as MeasureListsDbRow[]));
    }
    return out;
  }
  /**
   * The tasks that have measures, in the grid's order (chapter, section, task number), with the
   * titles every measure row of the task repeats. Small (hundreds of rows): the paged list walks it.
   */
  measureTasks(): { task_id: string; chapter_no: number; chapter_title: string; section_no: number; section_title: string; task_title: string; n: number }[] {
    return this.st(
      `SELECT t.id AS task_id, ch.no AS chapter_no, ch.title AS chapter_title, s.no AS section_no, s.title AS section_title,
              t.title AS task_title, c.n
         FROM (SELECT task_id, count(*) AS n FROM measure GROUP BY task_id) c
         JOIN plan_node t ON t.id = c.task_id
         JOIN plan_node s ON s.id = t.parent_id
         JOIN plan_node ch ON ch.id = s.parent_id
        ORDER BY ch.no, s.no, t.no`,
    ).all() as { task_id: string; chapter_no: number; chapter_title: string; section_no: number; section_title: string; task_title: string; n: number }[];
  }
  /**
   * Up to `limit` measures of one task after `afterOrd`, in order (the measure_task index, no sort),
   * with their co-operating departments (in order) and cities as lists, in one statement.
   */
  measuresOfTaskAfter(taskId: string, afterOrd: number, limit: number): TaskMeasureDbRow[] {
    return this.st(
      `SELECT m.id, m.ord, m.text, m.actionable, m.lead_id, m.lead_confirmed, m.suggest_reason, m.suggest_unsure, m.deadline, m.status, m.progress,
              m.note, m.updated_at,
              ${LEAD_LIST} AS lead_list,
              (SELECT group_concat(c.dept_id, ',' ORDER BY c.ord) FROM measure_co c WHERE c.measure_id = m.id) AS co_list,
              (SELECT group_concat(y.city, ',') FROM measure_city y WHERE y.measure_id = m.id) AS city_list
         FROM measure m WHERE m.task_id = ? AND m.ord > ? ORDER BY m.ord LIMIT ?`,
    ).all(taskId, afterOrd, limit) as TaskMeasureDbRow[];
  }
  measurePosition(id: string): { task_id: string; ord: number } | undefined {
    return this.st('SELECT task_id, ord FROM measure WHERE id = ?').get(id) as { task_id: string; ord: number } | undefined;
  }
  /**
   * what the dashboard counts, one array per actionable measure, no text:
   * [id, status, deadline, lead_id (the first lead), task_id, lead_confirmed, every lead in order ('3,17' or null)]
   */
  measureFactRows(): [string, Status, string | null, number | null, string, number, string | null][] {
    return this.st(
      `SELECT m.id, m.status, m.deadline, m.lead_id, m.task_id, m.lead_confirmed, ${LEAD_LIST} FROM measure m WHERE m.actionable = 1 /* facts */`,
    )
      .raw(true)
      .all() as [string, Status, string | null, number | null, string, number, string | null][];
  }
  chapterTitles(): { no: number; title: string }[] {
    return this.st("SELECT no, title FROM plan_node WHERE kind = 'chapter' ORDER BY no").all() as { no: number; title: string }[];
  }
  /** the editable state of every measure, in no particular order (an import's diff and apply) */
  measureStates(): Pick<MeasureDbRow, 'id' | 'text' | 'lead_id' | 'lead_confirmed' | 'deadline' | 'status' | 'progress' | 'note'>[] {
    return this.st('SELECT id, text, lead_id, lead_confirmed, deadline, status, progress, note FROM measure').all() as Pick<
      MeasureDbRow,
      'id' | 'text' | 'lead_id' | 'lead_confirmed' | 'deadline' | 'status' | 'progress' | 'note'
    >[];
  }
  measure(id: string): MeasureDbRow | undefined {
    return this.st(MEASURE_SELECT + ' WHERE m.id = ?').get(id) as MeasureDbRow | undefined;
  }
  /** every measure's leads, in order (ord 0 first) */
  allLeads(): { measure_id: string; dept_id: number }[] {
    return this.st('SELECT measure_id, dept_id FROM measure_lead ORDER BY measure_id, ord').all() as { measure_id: string; dept_id: number }[];
  }
  allCo(): { measure_id: string; dept_id: number }[] {
    return this.st('SELECT measure_id, dept_id FROM measure_co ORDER BY measure_id, ord').all() as { measure_id: string; dept_id: number }[];
  }
  allCities(): { measure_id: string; city: City }[] {
    return this.st('SELECT measure_id, city FROM measure_city').all() as { measure_id: string; city: City }[];
  }
  /**
   * The 任务分工台账 export's rows: every actionable measure in ledger order (that of measures():
   * chapter, section and task number, then the measure's ord), with its co-operating departments
   * (in their order) and cities aggregated in SQL, as raw arrays; and the tasks, for the titles.
   * Task by task, so that SQLite reads each task's measures in index order instead of sorting
   * 100,000 whole rows, and a task's titles are read once. Measured at 100,000 measures: a third
   * of the time of measures() + allCo() + allCities().
   */
  ledgerMeasures(): { tasks: LedgerTaskDbRow[]; rows: LedgerMeasureDbRow[] } {
    const tasks = this.st(
      `SELECT t.id, ch.no, ch.title, s.no, s.title, t.no, t.title
         FROM plan_node t
         JOIN plan_node s ON s.id = t.parent_id
         JOIN plan_node ch ON ch.id = s.parent_id
        ORDER BY ch.no, s.no, t.no`,
    )
      .raw(true)
      .all() as LedgerTaskDbRow[];
    const cols = `m.id, m.task_id, m.text, m.lead_id, m.lead_confirmed, m.suggest_reason, m.deadline, m.status, m.progress,
              m.note, m.updated_at,
              (SELECT group_concat(c.dept_id, ',' ORDER BY c.ord) FROM measure_co c WHERE c.measure_id = m.id),
              (SELECT group_concat(y.city, ',') FROM measure_city y WHERE y.measure_id = m.id),
              m.suggest_unsure,
              ${LEAD_LIST}
         FROM measure m`;
    const one = this.st(`SELECT ${cols} WHERE m.task_id = ? AND m.actionable = 1 ORDER BY m.ord`).raw(true);
    // tasks with the same numbers (none in the plan, but the order must not depend on it): their
    // measures together by ord, as the ORDER BY of measures() has them
    const tied = this.st(`SELECT ${cols} WHERE m.task_id IN (SELECT value FROM json_each(?)) AND m.actionable = 1 ORDER BY m.ord`).raw(true);
    const rows: LedgerMeasureDbRow[] = [];
    for (let i = 0; i < tasks.length; ) {
      let j = i + 1;
      while (j < tasks.length && tasks[j][1] === tasks[i][1] && tasks[j][3] === tasks[i][3] && tasks[j][5] === tasks[i][5]) j++;
      const got = (j === i + 1 ? one.all(tasks[i][0]) : tied.all(JSON.stringify(tasks.slice(i, j).map((t) => t[0])))) as LedgerMeasureDbRow[];
      for (const r of got) rows.push(r);
      i = j;
    }
    return { tasks, rows };
  }
  leadsOf(id: string): number[] {
    return (this.st('SELECT dept_id FROM measure_lead WHERE measure_id = ? ORDER BY ord').all(id) as { dept_id: number }[]).map((r) => r.dept_id);
  }
  coOf(id: string): number[] {
    return (this.st('SELECT dept_id FROM measure_co WHERE measure_id = ? ORDER BY ord').all(id) as { dept_id: number }[]).map(
      (r) => r.dept_id,
    );
  }
  citiesOf(id: string): City[] {
    return (this.st('SELECT city FROM measure_city WHERE measure_id = ?').all(id) as { city: City }[]).map((r) => r.city);
  }
  updateMeasureColumn(id: string, column: MeasureColumn, value: string | number | null, at: string): void {
    this.updateMeasure(id, [[column, value]], at);
  }
  /**
   * Some of a measure's columns and its updated_at in one statement (none given: updated_at only).
   * Measured: an import of 10,000 changed rows ran 2.5 UPDATEs a measure, one per field and one
   * more for updated_at.
   */
  updateMeasure(id: string, sets: readonly (readonly [MeasureColumn, string | number | null])[], at: string): void {
    // column names come from the closed union MeasureColumn, never from input
    let sql = 'UPDATE measure SET ';
    for (const [column] of sets) sql += `${column} = ?, `;
    this.st(`${sql}updated_at = ? WHERE id = ?`).run(...sets.map(([, v]) => v), at, id);
  }
  /** A measure's leads in order; measure.lead_id follows the first (the triggers of migration 10). */
  setLeads(id: string, deptIds: number[]): void {
    this.st('DELETE FROM measure_lead WHERE measure_id = ?').run(id);
    deptIds.forEach((d, i) => this.st('INSERT INTO measure_lead (measure_id, dept_id, ord) VALUES (?, ?, ?)').run(id, d, i));
  }
  setCo(id: string, deptIds: number[]): void {
    this.st('DELETE FROM measure_co WHERE measure_id = ?').run(id);
    deptIds.forEach((d, i) => this.st('INSERT INTO measure_co (measure_id, dept_id, ord) VALUES (?, ?, ?)').run(id, d, i));
  }
  setCities(id: string, cities: City[]): void {
    this.st('DELETE FROM measure_city WHERE measure_id = ?').run(id);
    for (const c of cities) this.st('INSERT INTO measure_city (measure_id, city) VALUES (?, ?)').run(id, c);
  }
  /** changes on this connection and on any other one since it opened: a cache key for derived data */
  changeMark(): string {
    const r = this.st('SELECT total_changes() AS c').get() as { c: number };
    return `${r.c}:${this.db.pragma('data_version', { simple: true })}`;
  }
  searchableMeasures(): { id: string; taskId: string; text: string; progress: string; note: string }[] {
    return this.st('SELECT id, task_id AS taskId, text, progress, note FROM measure ORDER BY rowid').all() as {
      id: string;
      taskId: string;
      text: string;
      progress: string;
      note: string;
    }[];
  }
  /** the measure change log (migration 7): latest and oldest kept entry, and the restore epoch */
  measureChangeState(): { seq: number; minSeq: number | null; epoch: string } {
    return this.st(
      `SELECT (SELECT coalesce(max(seq), 0) FROM measure_change) AS seq, (SELECT min(seq) FROM measure_change) AS minSeq,
              (SELECT epoch FROM search_epoch WHERE id = 1) AS epoch`,
    ).get() as { seq: number; minSeq: number | null; epoch: string };
  }
  /** ids of the measures changed after `afterSeq` (at most `limit` of them) */
  changedMeasureIds(afterSeq: number, limit: number): string[] {
    return this.st('SELECT DISTINCT measure_id FROM measure_change WHERE seq > ? LIMIT ?').pluck().all(afterSeq, limit) as string[];
  }
  searchableMeasuresByIds(ids: string[]): { id: string; taskId: string; text: string; progress: string; note: string }[] {
    return this.st('SELECT id, task_id AS taskId, text, progress, note FROM measure WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(
      JSON.stringify(ids),
    ) as { id: string; taskId: string; text: string; progress: string; note: string }[];
  }
  measureCount(): number {
    return (this.st('SELECT count(*) n FROM measure').get() as { n: number }).n;
  }

  // ---- departments
  depts(): DeptRow[] {
    return this.st('SELECT * FROM department ORDER BY ord, id').all() as DeptRow[];
  }
  dept(id: number): DeptRow | undefined {
    return this.st('SELECT * FROM department WHERE id = ?').get(id) as DeptRow | undefined;
  }
  deptByName(name: string): DeptRow | undefined {
    return this.st('SELECT * FROM department WHERE name = ?').get(name) as DeptRow | undefined;
  }
  deptByAlias(alias: string): DeptRow | undefined {
    return this.st('SELECT d.* FROM dept_alias a JOIN department d ON d.id = a.dept_id WHERE a.alias = ?').get(alias) as
      | DeptRow
      | undefined;
  }
  aliases(): { alias: string; dept_id: number }[] {
    return this.st('SELECT alias, dept_id FROM dept_alias ORDER BY alias').all() as { alias: string; dept_id: number }[];
  }
  deptUsage(): { dept_id: number; lead: number; co: number }[] {
    return this.st(
      `SELECT d.id AS dept_id,
              (SELECT count(*) FROM measure_lead l WHERE l.dept_id = d.id) AS lead,
              (SELECT count(*) FROM measure_co c WHERE c.dept_id = d.id) AS co
         FROM department d`,
    ).all() as { dept_id: number; lead: number; co: number }[];
  }
  insertDept(name: string, level: DeptLevel, city: City | null): number {
    const ord = (this.st('SELECT coalesce(max(ord), 0) + 1 AS o FROM department').get() as { o: number }).o;
    return Number(
      this.st("INSERT INTO department (name, level, city, ord, source) VALUES (?, ?, ?, ?, 'user')").run(name, level, city, ord)
        .lastInsertRowid,
    );
  }
  renameDept(id: number, name: string): void {
    this.st('UPDATE department SET name = ? WHERE id = ?').run(name, id);
  }
  setDeptState(id: number, state: DeptState, mergedInto: number | null): void {
    this.st('UPDATE department SET state = ?, merged_into = ? WHERE id = ?').run(state, mergedInto, id);
  }
  addAlias(alias: string, deptId: number): void {
    this.st('INSERT INTO dept_alias (alias, dept_id) VALUES (?, ?) ON CONFLICT(alias) DO UPDATE SET dept_id = excluded.dept_id').run(
      alias,
      deptId,
    );
  }
  removeAlias(alias: string): void {
    this.st('DELETE FROM dept_alias WHERE alias = ?').run(alias);
  }
  moveAliases(fromId: number, intoId: number): void {
    this.st('UPDATE dept_alias SET dept_id = ? WHERE dept_id = ?').run(intoId, fromId);
  }
  measuresLedBy(deptId: number): string[] {
    return (this.st('SELECT measure_id AS id FROM measure_lead WHERE dept_id = ?').all(deptId) as { id: string }[]).map((r) => r.id);
  }
  measuresCoBy(deptId: number): string[] {
    return (this.st('SELECT measure_id AS id FROM measure_co WHERE dept_id = ?').all(deptId) as { id: string }[]).map((r) => r.id);
  }

  // ---- audit
  insertAudit(a: Omit<AuditRow, 'id'>): void {
    // positional parameters: binding by name costs a property lookup each (an import writes tens of thousands)
    this.st(
      `INSERT INTO audit (at, actor, unit, op_id, op, tbl, row_id, field, old_value, new_value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.at, a.actor, a.unit, a.op_id, a.op, a.tbl, a.row_id, a.field, a.old_value, a.new_value);
  }
}
