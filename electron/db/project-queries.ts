// Every SQL statement of 重点建设项目 and 目标指标 (services, seeding). Rows in, rows out; no logic.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statements';
import type { City } from '../../shared/domain';
import type { IndicatorDirection, IndicatorKind, ProjectCategory, ProjectSource, ProjectStage } from '../../shared/projects';

export interface ProjectDbRow {
  id: string;
  name: string;
  category: ProjectCategory;
  stage: ProjectStage;
  start_year: number | null;
  end_year: number | null;
  total_investment: number | null;
  lead_id: number | null;
  quote: string | null;
  task_id: string | null;
  source: ProjectSource;
  progress_text: string;
  problems: string;
  location: string;
  ord: number;
  deleted: number;
  updated_at: string | null;
  /** joined: title of task_id */
  task_title: string | null;
}

export interface YearPlanDbRow {
  project_id: string;
  year: number;
  planned: number | null;
  completed: number | null;
}

export interface IndicatorDbRow {
  id: string;
  name: string;
  unit: string;
  direction: IndicatorDirection | null;
  target2025: number | null;
  baseline2021: number | null;
  tolerance: number | null;
  quote: string;
  baseline_quote: string | null;
  kind: IndicatorKind;
  note: string;
  ord: number;
}

export interface ActualDbRow {
  indicator_id: string;
  year: number;
  /** null: a qualitative indicator's assessment, kept in note */
  value: number | null;
  source: string;
  note: string;
  updated_at: string | null;
}

/** Columns of project a person may set one at a time (names never come from input). */
export type ProjectColumnName =
  | 'name'
  | 'category'
  | 'stage'
  | 'start_year'
  | 'end_year'
  | 'total_investment'
  | 'lead_id'
  | 'location'
  | 'progress_text'
  | 'problems'
  | 'task_id'
  | 'deleted';

export interface ProjectInsert {
  id: string;
  name: string;
  category: string;
  stage: string;
  start_year: number | null;
  end_year: number | null;
  total_investment: number | null;
  lead_id: number | null;
  quote: string | null;
  task_id: string | null;
  source: ProjectSource;
  progress_text: string;
  problems: string;
  location: string;
  ord: number;
  updated_at: string | null;
}

export interface IndicatorInsert {
  id: string;
  name: string;
  unit: string;
  direction: string | null;
  target2025: number | null;
  baseline2021: number | null;
  tolerance: number | null;
  quote: string;
  baseline_quote: string | null;
  kind: string;
  note: string;
  ord: number;
}

const PROJECT_SELECT = `
  SELECT p.*, t.title AS task_title
    FROM project p
    LEFT JOIN plan_node t ON t.id = p.task_id`;

/** Prepared statements, built once per database connection. */
export class ProjectQueries extends StatementCache {

  // ---- presence (seeding an existing database)
  tableExists(name: string): boolean {
    return !!this.st("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  }
  planNodeCount(): number {
    return (this.st('SELECT count(*) n FROM plan_node').get() as { n: number }).n;
  }
  projectCount(): number {
    return (this.st('SELECT count(*) n FROM project').get() as { n: number }).n;
  }
  indicatorCount(): number {
    return (this.st('SELECT count(*) n FROM indicator').get() as { n: number }).n;
  }

  // ---- plan and departments, as the projects need them
  taskNode(id: string): { id: string; title: string } | undefined {
    return this.st("SELECT id, title FROM plan_node WHERE id = ? AND kind = 'task'").get(id) as { id: string; title: string } | undefined;
  }
  dept(id: number): { id: number; name: string; state: string } | undefined {
    return this.st('SELECT id, name, state FROM department WHERE id = ?').get(id) as { id: number; name: string; state: string } | undefined;
  }
  deptNames(): { id: number; name: string }[] {
    return this.st('SELECT id, name FROM department').all() as { id: number; name: string }[];
  }
  /** a department by name or alias, following merges; undefined when none */
  deptIdByName(name: string): number | undefined {
    const r = (this.st('SELECT id, state, merged_into FROM department WHERE name = ?').get(name) ??
      this.st('SELECT d.id, d.state, d.merged_into FROM dept_alias a JOIN department d ON d.id = a.dept_id WHERE a.alias = ?').get(name)) as
      | { id: number; state: string; merged_into: number | null }
      | undefined;
    let cur = r;
    for (let hops = 0; cur && cur.state === '已合并' && cur.merged_into !== null && hops < 20; hops++) {
      cur = this.st('SELECT id, state, merged_into FROM department WHERE id = ?').get(cur.merged_into) as typeof r;
    }
    return cur?.id;
  }

  // ---- projects
  projects(includeDeleted: boolean): ProjectDbRow[] {
    return this.st(PROJECT_SELECT + (includeDeleted ? '' : ' WHERE p.deleted = 0') + ' ORDER BY p.ord, p.id').all() as ProjectDbRow[];
  }
  /**
   * The (not deleted) projects a draft's scope takes, in list order: own task or a linked task is
   * one of `scope`'s chapters/sections/tasks or under one (id = s or starts with "s."), in `city`,
   * led by `deptId` (each only when given).
   */
  projectIdsInScope(scope: string[], city: string | null, deptId: number | null): string[] {
    const where = ['p.deleted = 0'];
    const args: (string | number)[] = [];
    if (scope.length) {
      const under = (col: string) => `(${scope.map(() => `(${col} = ? OR substr(${col}, 1, ?) = ?)`).join(' OR ')})`;
      const scopeArgs = scope.flatMap((s) => [s, s.length + 1, `${s}.`]);
      where.push(`(${under('p.task_id')} OR EXISTS (SELECT 1 FROM project_task k WHERE k.project_id = p.id AND ${under('k.task_id')}))`);
      args.push(...scopeArgs, ...scopeArgs);
    }
    if (city) {
      where.push('EXISTS (SELECT 1 FROM project_city c WHERE c.project_id = p.id AND c.city = ?)');
      args.push(city);
    }
    if (deptId !== null) {
      where.push('p.lead_id = ?');
      args.push(deptId);
    }
    const sql = `SELECT p.id FROM project p WHERE ${where.join(' AND ')} ORDER BY p.ord, p.id`;
    return (this.st(sql).all(...args) as { id: string }[]).map((r) => r.id);
  }
  /** These projects' rows, cities, linked tasks and year plans (500 ids to a query), in `ids`' order. */
  projectsByIds(ids: readonly string[]): { rows: ProjectDbRow[]; cities: { project_id: string; city: City }[]; tasks: { project_id: string; task_id: string }[]; plans: YearPlanDbRow[] } {
    const out = { rows: [] as ProjectDbRow[], cities: [] as { project_id: string; city: City }[], tasks: [] as { project_id: string; task_id: string }[], plans: [] as YearPlanDbRow[] };
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const q = part.map(() => '?').join(',');
      out.rows.push(...(this.st(`${PROJECT_SELECT} WHERE p.id IN (${q})`).all(...part) as ProjectDbRow[]));
      out.cities.push(...(this.st(`SELECT project_id, city FROM project_city WHERE project_id IN (${q})`).all(...part) as { project_id: string; city: City }[]));
      out.tasks.push(...(this.st(`SELECT project_id, task_id FROM project_task WHERE project_id IN (${q}) ORDER BY project_id, ord`).all(...part) as { project_id: string; task_id: string }[]));
      out.plans.push(...(this.st(`SELECT * FROM project_year_plan WHERE project_id IN (${q}) ORDER BY project_id, year`).all(...part) as YearPlanDbRow[]));
    }
    const at = new Map(ids.map((id, k) => [id, k]));
    out.rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
    return out;
  }
  project(id: string): ProjectDbRow | undefined {
    return this.st(PROJECT_SELECT + ' WHERE p.id = ?').get(id) as ProjectDbRow | undefined;
  }
  insertProject(r: ProjectInsert): void {
    this.st(
      `INSERT INTO project (id, name, category, stage, start_year, end_year, total_investment, lead_id, quote, task_id, source,
                            progress_text, problems, location, ord, updated_at)
       VALUES (@id, @name, @category, @stage, @start_year, @end_year, @total_investment, @lead_id, @quote, @task_id, @source,
               @progress_text, @problems, @location, @ord, @updated_at)`,
    ).run(r);
  }
  updateProjectColumn(id: string, column: ProjectColumnName, value: string | number | null, at: string): void {
    // column names come from the closed union above, never from input
    this.st(`UPDATE project SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, at, id);
  }
  touchProject(id: string, at: string): void {
    this.st('UPDATE project SET updated_at = ? WHERE id = ?').run(at, id);
  }
  nextProjectOrd(): number {
    return (this.st('SELECT coalesce(max(ord), 0) + 1 AS o FROM project').get() as { o: number }).o;
  }
  /** the highest number used by an id with this prefix (P or U), 0 when none */
  maxProjectNo(prefix: 'P' | 'U'): number {
    const r = this.st("SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n FROM project WHERE substr(id, 1, 1) = ?").get(prefix) as {
      n: number | null;
    };
    return r.n ?? 0;
  }

  allProjectCities(): { project_id: string; city: City }[] {
    return this.st('SELECT project_id, city FROM project_city').all() as { project_id: string; city: City }[];
  }
  projectCitiesOf(id: string): City[] {
    return (this.st('SELECT city FROM project_city WHERE project_id = ?').all(id) as { city: City }[]).map((r) => r.city);
  }
  setProjectCities(id: string, cities: City[]): void {
    this.st('DELETE FROM project_city WHERE project_id = ?').run(id);
    for (const c of cities) this.st('INSERT INTO project_city (project_id, city) VALUES (?, ?)').run(id, c);
  }

  allProjectTasks(): { project_id: string; task_id: string }[] {
    return this.st('SELECT project_id, task_id FROM project_task ORDER BY project_id, ord').all() as { project_id: string; task_id: string }[];
  }
  projectTasksOf(id: string): string[] {
    return (this.st('SELECT task_id FROM project_task WHERE project_id = ? ORDER BY ord').all(id) as { task_id: string }[]).map(
      (r) => r.task_id,
    );
  }
  setProjectTasks(id: string, taskIds: string[]): void {
    this.st('DELETE FROM project_task WHERE project_id = ?').run(id);
    taskIds.forEach((t, i) => this.st('INSERT INTO project_task (project_id, task_id, ord) VALUES (?, ?, ?)').run(id, t, i));
  }

  allYearPlans(): YearPlanDbRow[] {
    return this.st('SELECT * FROM project_year_plan ORDER BY project_id, year').all() as YearPlanDbRow[];
  }
  yearPlansOf(id: string): YearPlanDbRow[] {
    return this.st('SELECT * FROM project_year_plan WHERE project_id = ? ORDER BY year').all(id) as YearPlanDbRow[];
  }
  upsertYearPlan(id: string, year: number, planned: number | null, completed: number | null): void {
    this.st(
      `INSERT INTO project_year_plan (project_id, year, planned, completed) VALUES (?, ?, ?, ?)
       ON CONFLICT(project_id, year) DO UPDATE SET planned = excluded.planned, completed = excluded.completed`,
    ).run(id, year, planned, completed);
  }
  deleteYearPlan(id: string, year: number): void {
    this.st('DELETE FROM project_year_plan WHERE project_id = ? AND year = ?').run(id, year);
  }

  // ---- indicators
  indicators(): IndicatorDbRow[] {
    return this.st('SELECT * FROM indicator ORDER BY ord, id').all() as IndicatorDbRow[];
  }
  indicator(id: string): IndicatorDbRow | undefined {
    return this.st('SELECT * FROM indicator WHERE id = ?').get(id) as IndicatorDbRow | undefined;
  }
  insertIndicator(r: IndicatorInsert): void {
    this.st(
      `INSERT INTO indicator (id, name, unit, direction, target2025, baseline2021, tolerance, quote, baseline_quote, kind, note, ord)
       VALUES (@id, @name, @unit, @direction, @target2025, @baseline2021, @tolerance, @quote, @baseline_quote, @kind, @note, @ord)`,
    ).run(r);
  }
  allActuals(): ActualDbRow[] {
    return this.st('SELECT * FROM indicator_actual ORDER BY indicator_id, year').all() as ActualDbRow[];
  }
  actualsOf(id: string): ActualDbRow[] {
    return this.st('SELECT * FROM indicator_actual WHERE indicator_id = ? ORDER BY year').all(id) as ActualDbRow[];
  }
  actual(id: string, year: number): ActualDbRow | undefined {
    return this.st('SELECT * FROM indicator_actual WHERE indicator_id = ? AND year = ?').get(id, year) as ActualDbRow | undefined;
  }
  upsertActual(r: ActualDbRow): void {
    this.st(
      `INSERT INTO indicator_actual (indicator_id, year, value, source, note, updated_at)
       VALUES (@indicator_id, @year, @value, @source, @note, @updated_at)
       ON CONFLICT(indicator_id, year) DO UPDATE SET value = excluded.value, source = excluded.source, note = excluded.note,
                                                     updated_at = excluded.updated_at`,
    ).run(r);
  }
  deleteActual(id: string, year: number): void {
    this.st('DELETE FROM indicator_actual WHERE indicator_id = ? AND year = ?').run(id, year);
  }
}

const instances = new WeakMap<Database, ProjectQueries>();

/** The statements of one connection, shared by every caller. */
export function projectQueries(db: Database): ProjectQueries {
  let q = instances.get(db);
  if (!q) {
    q = new ProjectQueries(db);
    instances.set(db, q);
  }
  return q;
}
