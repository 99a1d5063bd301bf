// 重点建设项目清单: reading projects, adding, editing, soft deletion — every change with an audit row per field.
import { ZodError } from 'zod';
import { CITIES, type City } from '../../shared/domain';
import {
  PLAN_YEAR_MAX,
  PLAN_YEAR_MIN,
  projectAddSchema,
  projectPatchSchema,
  type Project,
  type ProjectEdit,
  type ProjectNew,
  type ProjectPatch,
  type ProjectYearPlan,
} from '../../shared/projects';
import type { ProjectColumnName, ProjectDbRow, ProjectQueries, YearPlanDbRow } from '../db/project-queries';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

const TABLE = 'project';

/** The year whose plan the grid shows by default: this calendar year, within the plan's years. */
export function defaultProjectYear(now = new Date()): number {
  return Math.min(PLAN_YEAR_MAX, Math.max(PLAN_YEAR_MIN, now.getFullYear()));
}

const sum = (xs: (number | null)[]) => Math.round(xs.reduce<number>((a, x) => a + (x ?? 0), 0) * 1e6) / 1e6;

function toProject(r: ProjectDbRow, cities: City[], tasks: string[], plans: YearPlanDbRow[], year: number): Project {
  const yearPlans: ProjectYearPlan[] = plans.map((p) => ({ year: p.year, planned: p.planned, completed: p.completed }));
  const cur = plans.find((p) => p.year === year);
  return {
    id: r.id,
    name: r.name,
    category: r.category,
    stage: r.stage,
    startYear: r.start_year,
    endYear: r.end_year,
    totalInvestment: r.total_investment,
    leadId: r.lead_id,
    cities: CITIES.filter((c) => cities.includes(c)),
    location: r.location,
    quote: r.quote,
    taskId: r.task_id,
    taskTitle: r.task_title,
    linkedTaskIds: tasks,
    source: r.source,
    added: r.source === 'user',
    progressText: r.progress_text,
    problems: r.problems,
    yearPlans,
    plannedTotal: sum(plans.map((p) => p.planned)),
    completedTotal: sum(plans.map((p) => p.completed)),
    year,
    yearPlanned: cur?.planned ?? null,
    yearCompleted: cur?.completed ?? null,
    deleted: r.deleted === 1,
    updatedAt: r.updated_at,
  };
}

function group<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) (m.get(key(r)) ?? m.set(key(r), []).get(key(r))!).push(r);
  return m;
}

export interface ListProjectsOptions {
  /** include soft-deleted projects (the recycle view) */
  includeDeleted?: boolean;
  /** the year yearPlanned / yearCompleted refer to; default this year */
  year?: number;
}

export function listProjects(ctx: ServiceContext, opts: ListProjectsOptions = {}): Project[] {
  const pq = ctx.q.projects;
  const year = opts.year ?? defaultProjectYear();
  const cities = group(pq.allProjectCities(), (r) => r.project_id);
  const tasks = group(pq.allProjectTasks(), (r) => r.project_id);
  const plans = group(pq.allYearPlans(), (r) => r.project_id);
  return pq.projects(!!opts.includeDeleted).map((r) =>
    toProject(
      r,
      (cities.get(r.id) ?? []).map((c) => c.city),
      (tasks.get(r.id) ?? []).map((t) => t.task_id),
      plans.get(r.id) ?? [],
      year,
    ),
  );
}

/**
 * The projects a draft's scope takes (see ProjectQueries.projectIdsInScope), found in SQL and read
 * alone: reading all of them to keep a few was slow on a long project list, each time a large
 * draft was created or its tables counted (figures in docs/bench.md).
 */
export function listProjectsInScope(ctx: ServiceContext, scope: string[], city: string | null, deptId: number | null, year = defaultProjectYear()): Project[] {
  const pq = ctx.q.projects;
  const { rows, cities, tasks, plans } = pq.projectsByIds(pq.projectIdsInScope(scope, city, deptId));
  const byCity = group(cities, (r) => r.project_id);
  const byTask = group(tasks, (r) => r.project_id);
  const byPlan = group(plans, (r) => r.project_id);
  return rows.map((r) =>
    toProject(
      r,
      (byCity.get(r.id) ?? []).map((c) => c.city),
      (byTask.get(r.id) ?? []).map((t) => t.task_id),
      byPlan.get(r.id) ?? [],
      year,
    ),
  );
}

/** One project (deleted ones too) with its plan quote and task title. */
export function getProject(ctx: ServiceContext, id: string, year = defaultProjectYear()): Project {
  const pq = ctx.q.projects;
  const r = pq.project(id);
  if (!r) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的项目`);
  return toProject(r, pq.projectCitiesOf(id), pq.projectTasksOf(id), pq.yearPlansOf(id), year);
}

function zodMessage(e: ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');
}

function checkDept(pq: ProjectQueries, id: number, who: string): void {
  const d = pq.dept(id);
  if (!d) throw new ServiceError('VALIDATION', `${who}：牵头单位编号 ${id} 不存在`);
  if (d.state !== '在用') throw new ServiceError('VALIDATION', `${who}：“${d.name}”${d.state}，不能再作为牵头单位`);
}

function checkTask(pq: ProjectQueries, id: string, who: string): void {
  if (!pq.taskNode(id)) throw new ServiceError('VALIDATION', `${who}：规划中没有编号为 ${id} 的重点任务`);
}

const sameList = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Apply one patch to one project inside the caller's transaction, writing an audit row per
 * changed field. Returns whether anything changed.
 */
function applyPatch(ctx: ServiceContext, pq: ProjectQueries, audit: AuditWriter, id: string, raw: ProjectPatch): boolean {
  const who = `项目 ${id}`;
  const parsed = projectPatchSchema.safeParse(raw);
  if (!parsed.success) throw new ServiceError('VALIDATION', `${who}：${zodMessage(parsed.error)}`);
  const p = parsed.data;
  const cur = getProject(ctx, id);
  if (cur.deleted) throw new ServiceError('VALIDATION', `${who}已删除，请先恢复再修改`);
  if (p.leadId !== undefined && p.leadId !== null && p.leadId !== cur.leadId) checkDept(pq, p.leadId, who);
  if (p.taskId !== undefined && p.taskId !== cur.taskId) {
    if (cur.source === 'plan') throw new ServiceError('VALIDATION', `${who}由规划原文确定所在任务，不能修改；可增加关联任务`);
    if (p.taskId !== null) checkTask(pq, p.taskId, who);
  }
  if (p.linkedTaskIds !== undefined) {
    const own = p.taskId !== undefined ? p.taskId : cur.taskId;
    p.linkedTaskIds = [...new Set(p.linkedTaskIds)].filter((t) => t !== own);
    for (const t of p.linkedTaskIds) if (!cur.linkedTaskIds.includes(t)) checkTask(pq, t, who);
  }
  const start = p.startYear !== undefined ? p.startYear : cur.startYear;
  const end = p.endYear !== undefined ? p.endYear : cur.endYear;
  if (start !== null && end !== null && end < start) throw new ServiceError('VALIDATION', `${who}：完工年份 ${end} 早于开工年份 ${start}`);
  if (p.cities !== undefined) p.cities = CITIES.filter((c) => p.cities!.includes(c));

  const at = audit.at;
  let changed = false;
  const column = (key: keyof Project & keyof ProjectPatch, col: ProjectColumnName, v: string | number | null) => {
    const old = cur[key] as string | number | null;
    if (v === old) return;
    pq.updateProjectColumn(id, col, v, at);
    audit.field(TABLE, id, key, old, v);
    changed = true;
  };
  if (p.name !== undefined) column('name', 'name', p.name.trim());
  if (p.category !== undefined) column('category', 'category', p.category);
  if (p.stage !== undefined) column('stage', 'stage', p.stage);
  if (p.startYear !== undefined) column('startYear', 'start_year', p.startYear);
  if (p.endYear !== undefined) column('endYear', 'end_year', p.endYear);
  if (p.totalInvestment !== undefined) column('totalInvestment', 'total_investment', p.totalInvestment);
  if (p.leadId !== undefined) column('leadId', 'lead_id', p.leadId);
  if (p.location !== undefined) column('location', 'location', p.location);
  if (p.progressText !== undefined) column('progressText', 'progress_text', p.progressText);
  if (p.problems !== undefined) column('problems', 'problems', p.problems);
  if (p.taskId !== undefined) column('taskId', 'task_id', p.taskId);
  if (p.cities !== undefined && !sameList(p.cities, cur.cities)) {
    pq.setProjectCities(id, p.cities);
    audit.field(TABLE, id, 'cities', cur.cities, p.cities);
    changed = true;
  }
  if (p.linkedTaskIds !== undefined && !sameList(p.linkedTaskIds, cur.linkedTaskIds)) {
    pq.setProjectTasks(id, p.linkedTaskIds);
    audit.field(TABLE, id, 'linkedTaskIds', cur.linkedTaskIds, p.linkedTaskIds);
    changed = true;
  }
  if (p.yearPlans !== undefined) {
    const plans = new Map(cur.yearPlans.map((y) => [y.year, { ...y }]));
    for (const y of p.yearPlans) {
      const old = plans.get(y.year) ?? { year: y.year, planned: null, completed: null };
      const next = {
        year: y.year,
        planned: y.planned !== undefined ? y.planned : old.planned,
        completed: y.completed !== undefined ? y.completed : old.completed,
      };
      if (next.planned === old.planned && next.completed === old.completed) continue;
      if (next.planned === null && next.completed === null) pq.deleteYearPlan(id, y.year);
      else pq.upsertYearPlan(id, y.year, next.planned, next.completed);
      if (next.planned !== old.planned) audit.field(TABLE, id, `yearPlan.${y.year}.planned`, old.planned, next.planned);
      if (next.completed !== old.completed) audit.field(TABLE, id, `yearPlan.${y.year}.completed`, old.completed, next.completed);
      plans.set(y.year, next);
      changed = true;
    }
  }
  if (changed) pq.touchProject(id, at);
  return changed;
}

/**
 * Apply a set of edits in one transaction: all of them or none. Each changed field gets an
 * audit row (year plans: one per year and amount, e.g. yearPlan.2024.planned).
 */
export function updateProjects(ctx: ServiceContext, edits: ProjectEdit[], op: string): Project[] {
  const pq = ctx.q.projects;
  const touched: string[] = [];
  ctx.db.transaction(() => {
    const audit = new AuditWriter(ctx, op);
    for (const { projectId, patch } of edits) if (applyPatch(ctx, pq, audit, projectId, patch)) touched.push(projectId);
  })();
  return [...new Set(touched)].map((id) => getProject(ctx, id));
}

/** A project the plan does not name: source 'user', id U001…, marked as added; audited field by field. */
export function addProject(ctx: ServiceContext, input: ProjectNew, op = '新增项目'): Project {
  const parsed = projectAddSchema.safeParse(input);
  if (!parsed.success) throw new ServiceError('VALIDATION', `新增项目：${zodMessage(parsed.error)}`);
  const { name, category, stage, taskId, ...rest } = parsed.data;
  const pq = ctx.q.projects;
  let id = '';
  ctx.db.transaction(() => {
    if (taskId) checkTask(pq, taskId, '新增项目');
    id = `U${String(pq.maxProjectNo('U') + 1).padStart(3, '0')}`;
    const audit = new AuditWriter(ctx, op);
    pq.insertProject({
      id,
      name: name.trim(),
      category,
      stage: stage ?? '谋划',
      start_year: null,
      end_year: null,
      total_investment: null,
      lead_id: null,
      quote: null,
      task_id: taskId ?? null,
      source: 'user',
      progress_text: '',
      problems: '',
      location: '',
      ord: pq.nextProjectOrd(),
      updated_at: audit.at,
    });
    audit.field(TABLE, id, 'source', null, 'user');
    audit.field(TABLE, id, 'name', null, name.trim());
    audit.field(TABLE, id, 'category', null, category);
    audit.field(TABLE, id, 'stage', null, stage ?? '谋划');
    if (taskId) audit.field(TABLE, id, 'taskId', null, taskId);
    applyPatch(ctx, pq, audit, id, rest);
  })();
  return getProject(ctx, id);
}

function setDeleted(ctx: ServiceContext, id: string, deleted: boolean, op: string): Project {
  const pq = ctx.q.projects;
  ctx.db.transaction(() => {
    const cur = getProject(ctx, id);
    if (cur.deleted === deleted) throw new ServiceError('CONFLICT', deleted ? `项目 ${id} 已删除` : `项目 ${id} 未删除，无需恢复`);
    const audit = new AuditWriter(ctx, op);
    pq.updateProjectColumn(id, 'deleted', deleted ? 1 : 0, audit.at);
    audit.field(TABLE, id, 'deleted', cur.deleted, deleted);
  })();
  return getProject(ctx, id);
}

/** Soft delete: the row, its plans and its audit trail stay; restoreProject brings it back. */
export function deleteProject(ctx: ServiceContext, id: string): Project {
  return setDeleted(ctx, id, true, '删除项目');
}

export function restoreProject(ctx: ServiceContext, id: string): Project {
  return setDeleted(ctx, id, false, '恢复项目');
}

/** The `dump` shape (CLI): projects not deleted, lead by name. */
export function dumpProjects(ctx: ServiceContext) {
  const pq = ctx.q.projects;
  const name = new Map(pq.deptNames().map((d) => [d.id, d.name]));
  return listProjects(ctx).map((p) => ({
    id: p.id,
    name: p.name,
    category: p.category,
    cities: p.cities,
    lead: p.leadId === null ? null : (name.get(p.leadId) ?? null),
    quote: p.quote,
    taskId: p.taskId,
    totalInvestment: p.totalInvestment,
    stage: p.stage,
  }));
}

/** The projects.* channels (shared/ipc/channels/projects.ts). */
export const projectsHandlers: HandlerTable<ChannelsOf<'projects'>> = {
  'projects.list': (ctx, i) => listProjects(ctx, i),
  'projects.get': (ctx, i) => getProject(ctx, i.id, i.year),
  'projects.add': (ctx, i) => addProject(ctx, i),
  'projects.update': (ctx, i) => updateProjects(ctx, i.edits, i.op),
  'projects.delete': (ctx, i) => deleteProject(ctx, i.id),
  'projects.restore': (ctx, i) => restoreProject(ctx, i.id),
};
