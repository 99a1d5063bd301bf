// 工作进展情况报告: the measures as they stood on the chosen date (rebuilt from the audit trail),
// what moved since the previous report, and the places left for the writer's own words.
import { correctPlanText, correctedWithNote } from '../../../shared/corrections';
import { STATUSES, type MeasureRow, type Status } from '../../../shared/domain';
import type { ServiceContext } from '../../core/context';
import { listDepartments } from '../../services/departments';
import { findPreviousReport, measuresAsOf, reportLogDraft } from '../../services/reports';
import { GbDocument, chineseDate, deadlineText, type GbCell } from './gbt9704';
import { addDays, checkScope, deptNames, inScope, planTitle, resolveDate, safeFileName, scopeWords, suggestionNote, unconfirmedMode, type DocxOptions, type DocxResult } from './common';
import { isSuggested, withUnconfirmed } from '../../../shared/ledger';
import { quoted } from '../../../shared/text';
import { getTemplate } from '../../services/templates';
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN, PROJECT_CATEGORIES, PROJECT_STAGES, type Project, type ProjectStage } from '../../../shared/projects';
import { listProjects } from '../../services/projects';

export type StatusCounts = Record<Status, number>;

export function countStatuses(rows: MeasureRow[]): StatusCounts {
  const c = Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const r of rows) c[r.status]++;
  return c;
}

/** 较上次报告增加3项 / 减少1项 / 持平 */
export function changeWords(now: number, before: number): string {
  const d = now - before;
  return d > 0 ? `增加${d}项` : d < 0 ? `减少${-d}项` : '持平';
}

const pct = (n: number, total: number) => (total ? `${((n / total) * 100).toFixed(1)}%` : '—');
const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n)}……` : s);
const HIGHLIGHTS_MAX = 12;
const endSentence = (s: string) => (/[。！？；.!?]$/.test(s) ? s : `${s}。`);

export interface BriefingData {
  date: string;
  previous: string | null;
  total: number;
  now: StatusCounts;
  before: StatusCounts | null;
  lagging: MeasureRow[];
  overdue: MeasureRow[];
  highlights: MeasureRow[];
  newlyDone: MeasureRow[];
}

export function briefingData(ctx: ServiceContext, opts: DocxOptions): BriefingData {
  const date = resolveDate(opts);
  const prev = findPreviousReport(ctx, 'briefing', date);
  const now = measuresAsOf(ctx, date).filter((m) => inScope(m, opts));
  const beforeRows = prev ? measuresAsOf(ctx, prev.asOf).filter((m) => inScope(m, opts)) : null;
  const beforeById = new Map((beforeRows ?? []).map((m) => [m.id, m]));
  const changed = now.filter((m) => {
    if (!m.progress.trim()) return false;
    const b = beforeById.get(m.id);
    return !beforeRows || !b || b.progress !== m.progress;
  });
  const newlyDone = now.filter((m) => m.status === '已完成' && (!beforeRows || beforeById.get(m.id)?.status !== '已完成'));
  const rank = (m: MeasureRow) => (m.status === '已完成' ? 0 : m.status === '推进中' ? 1 : 2);
  return {
    date,
    previous: prev?.asOf ?? null,
    total: now.length,
    now: countStatuses(now),
    before: beforeRows ? countStatuses(beforeRows) : null,
    lagging: now.filter((m) => m.status === '滞后'),
    overdue: now.filter((m) => m.deadline !== null && m.deadline < date && m.status !== '已完成'),
    highlights: [...changed].sort((a, b) => rank(a) - rank(b)),
    newlyDone,
  };
}

export async function buildBriefing(ctx: ServiceContext, opts: DocxOptions): Promise<DocxResult> {
  checkScope(ctx, opts);
  const d = briefingData(ctx, opts);
  const t = getTemplate(ctx);
  const mode = unconfirmedMode(opts);
  const names = deptNames(ctx, mode);
  const plan = planTitle(ctx);
  const scope = scopeWords(ctx, opts);
  const title = opts.title?.trim() || `${plan}重点任务工作进展情况报告`;
  const doc = new GbDocument(t, { title, description: `截至${chineseDate(d.date)}` });
  const rows = measuresAsOf(ctx, d.date).filter((m) => inScope(m, opts));
  const { now, before, total } = d;
  const since = d.previous ? `较上次报告（截至${chineseDate(d.previous)}）` : '';

  doc.title(title);
  doc.subtitle(`（截至${chineseDate(d.date)}${scope.length ? `，${scope.join('，')}` : ''}）`);
  doc.para(
    `按照《${plan}》（湘政发〔2022〕6号）任务分工安排，现将截至${chineseDate(d.date)}${scope.length ? `${scope.join('、')}范围内` : ''}重点任务推进情况报告如下。` +
      (d.previous ? '' : '本报告为首次报告，以下情况未作比较。'),
  );

  // 一、总体进展情况
  doc.heading(1, '总体进展情况');
  const parts = STATUSES.map((s) => `${s}${now[s]}项`);
  let overall = `纳入统计的具体措施共${total}项，其中${parts.join('、')}，完成率${pct(now['已完成'], total)}。`;
  if (before) {
    overall +=
      `${since}，已完成${changeWords(now['已完成'], before['已完成'])}、推进中${changeWords(now['推进中'], before['推进中'])}、` +
      `未启动${changeWords(now['未启动'], before['未启动'])}、滞后${changeWords(now['滞后'], before['滞后'])}。`;
  }
  doc.para(overall);
  doc.table(
    [
      { header: '状态', weight: 20, align: 'center' },
      { header: '措施数（项）', weight: 20, align: 'center' },
      { header: '占比', weight: 20, align: 'center' },
      { header: '较上次报告', weight: 25, align: 'center' },
    ],
    [
      ...STATUSES.map((s) => [s, String(now[s]), pct(now[s], total), before ? changeWords(now[s], before[s]) : '首次报告']),
      ['合计', String(total), total ? '100%' : '—', before ? changeWords(total, Object.values(before).reduce((a, b) => a + b, 0)) : '首次报告'],
    ],
  );
  doc.heading(2, '主要进展');
  if (d.newlyDone.length) {
    doc.para(`${d.previous ? '本期' : '截至目前'}新完成措施${d.newlyDone.length}项：${d.newlyDone.slice(0, 8).map((m) => quoted(short(correctPlanText(m.text).text, 24))).join('；')}${d.newlyDone.length > 8 ? '等' : ''}。`);
  }
  if (d.highlights.length === 0) {
    doc.para(d.previous ? '本期各牵头单位未报送新的进展情况。' : '各牵头单位尚未报送进展情况。');
  } else {
    doc.para(`${d.previous ? '本期' : ''}共有${d.highlights.length}项措施报送了新的进展情况，${d.highlights.length > HIGHLIGHTS_MAX ? `择要列举${HIGHLIGHTS_MAX}项` : '摘要如下'}：`);
    for (const m of d.highlights.slice(0, HIGHLIGHTS_MAX)) {
      const lead = names.lead(m) || '牵头单位待定';
      doc.heading(3, `${short(m.taskTitle, 20)}（${m.id}，${lead}牵头，${m.status}）。`, endSentence(m.progress.trim().replace(/\s*\n\s*/g, '；')));
    }
  }
  doc.placeholderPara('请在此处补充重点工作成效、典型经验做法等……');

  doc.heading(2, '各单位推进情况');
  const depts = listDepartments(ctx, true);
  const deptRows: GbCell[][] = [];
  let seq = 0;
  // a measure with joint leads counts for each of them; the total counts it once
  for (const dep of depts) {
    const mine = rows.filter((m) => withUnconfirmed(m, mode).leadIds.includes(dep.id));
    if (!mine.length) continue;
    const guesses = mode === 'mark' ? mine.filter(isSuggested).length : 0;
    const c = countStatuses(mine);
    deptRows.push([String(++seq), guesses ? `${dep.name}（含建议${guesses}项）` : dep.name, String(mine.length), String(c['已完成']), String(c['推进中']), String(c['未启动']), String(c['滞后'])]);
  }
  const led = rows.filter((m) => withUnconfirmed(m, mode).leadIds.length > 0);
  const ledCount = countStatuses(led);
  const totals = { n: led.length, done: ledCount['已完成'], going: ledCount['推进中'], todo: ledCount['未启动'], late: ledCount['滞后'] };
  const joint = led.filter((m) => m.leadIds.length > 1).length;
  const unassigned = rows.length - led.length;
  doc.para(
    `${seq}个单位牵头推进上述措施，各单位推进情况见下表${unassigned ? `（另有${unassigned}项措施尚未明确牵头单位）` : ''}。` +
      (joint ? `其中${joint}项措施由多个单位共同牵头，计入每个牵头单位，合计按措施计。` : '') +
      (mode === 'mark' && rows.some(isSuggested)
        ? `其中${rows.filter(isSuggested).length}项措施的牵头单位为系统根据职责提出的建议、尚未确认，表中以“含建议×项”注明，文中以“（建议）”标注。`
        : suggestionNote(rows, mode)),
  );
  deptRows.push([{ text: '', align: 'center' }, { text: '合计', align: 'center', bold: true }, String(totals.n), String(totals.done), String(totals.going), String(totals.todo), String(totals.late)]);
  doc.table(
    [
      { header: '序号', weight: 7, align: 'center' },
      { header: '牵头单位', weight: 33 },
      { header: '牵头措施数', weight: 14, align: 'center' },
      { header: '已完成', weight: 11, align: 'center' },
      { header: '推进中', weight: 11, align: 'center' },
      { header: '未启动', weight: 11, align: 'center' },
      { header: '滞后', weight: 11, align: 'center' },
    ],
    deptRows,
  );

  projectSection(doc, projectBriefingData(ctx, opts, d.date), names);

  // 二、存在的主要问题
  doc.heading(1, '存在的主要问题');
  const byLead = (list: MeasureRow[]) => {
    const m = new Map<string, number>();
    for (const r of list) m.set(names.lead(r) || '牵头单位待定', (m.get(names.lead(r) || '牵头单位待定') ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${n}${k}项`).join('、');
  };
  doc.heading(2, '部分措施推进滞后');
  if (d.lagging.length === 0) {
    doc.para('截至目前，没有牵头单位报告推进滞后的措施。');
  } else {
    doc.para(
      `共有${d.lagging.length}项措施推进滞后${before ? `（${since}${changeWords(now['滞后'], before['滞后'])}）` : ''}，涉及${byLead(d.lagging)}。具体是：`,
    );
    for (const m of d.lagging) doc.heading(3, correctedWithNote(m.text), `（${m.id}，牵头单位：${names.lead(m) || '待定'}${m.deadline ? `，完成时限：${deadlineText(m.deadline)}` : ''}）`);
  }
  doc.heading(2, '部分措施超过完成时限');
  if (d.overdue.length === 0) {
    doc.para('截至目前，没有超过完成时限仍未完成的措施。');
  } else {
    doc.para(`共有${d.overdue.length}项措施已超过完成时限仍未完成，涉及${byLead(d.overdue)}。具体是：`);
    for (const m of d.overdue) doc.heading(3, correctedWithNote(m.text), `（${m.id}，牵头单位：${names.lead(m) || '待定'}，完成时限：${deadlineText(m.deadline)}，目前${m.status}）`);
  }
  doc.placeholderPara('请在此处分析问题产生的原因……');

  // 三、下一步工作安排
  doc.heading(1, '下一步工作安排');
  const soon = rows.filter((m) => m.deadline && m.deadline >= d.date && m.deadline <= addDays(d.date, 90) && m.status !== '已完成');
  doc.para(
    (d.lagging.length || d.overdue.length
      ? '对推进滞后和超过完成时限的措施，督促牵头单位查找原因、制定整改措施，明确完成时间，必要时提请领导小组协调解决。'
      : '继续跟踪各项措施推进情况，督促牵头单位按时报送进展。') +
      (soon.length ? `今后三个月内将到期的措施${soon.length}项，提醒有关牵头单位抓紧推进，确保按期完成。` : ''),
  );
  doc.placeholderPara('请在此处填写下一步工作安排……');
  doc.signature(t.organ, d.date);

  const buffer = await doc.toBuffer();
  const reportLog = reportLogDraft(ctx, 'briefing', d.date, { deptId: opts.deptId, city: opts.city, chapter: opts.chapter, role: opts.role, total });
  return { buffer, rows: total, fileName: safeFileName(['工作进展情况报告', ...scope], d.date), reportLog, suggested: rows.filter(isSuggested).length };
}

// ---------------------------------------------------------------- 重点项目推进情况

/** 亿元 with at most two decimals: 802.5, 13, 0.35. */
export const yi = (n: number): string => String(Math.round(n * 100) / 100);
const sumOf = (ps: Project[], f: (p: Project) => number | null) => Math.round(ps.reduce((s, p) => s + (f(p) ?? 0), 0) * 1e6) / 1e6;
/** completed / planned as a percentage with one decimal, or — without a plan */
export const rateText = (done: number, planned: number): string => (planned > 0 ? `${((done / planned) * 100).toFixed(1)}%` : '—');

export interface ProjectCategoryLine {
  category: string;
  count: number;
  total: number;
  planned: number;
  completed: number;
  /** whether any project of the category has the amount filled in */
  hasTotal: boolean;
  hasPlanned: boolean;
  hasCompleted: boolean;
}

export interface ProjectBriefingData {
  year: number;
  projects: Project[];
  byStage: Record<ProjectStage, number>;
  fromPlan: number;
  added: number;
  /** Σ 总投资 (亿元) and how many projects have one */
  total: number;
  withTotal: number;
  /** Σ 年度计划投资 and Σ completed in `year` (亿元) */
  planned: number;
  completed: number;
  /** Σ 累计完成投资 */
  completedAll: number;
  byCategory: ProjectCategoryLine[];
  withProblems: Project[];
}

/**
 * The projects a briefing covers: not deleted; with a department, those it leads (none when
 * only co-operation is asked for); with a city, those in it; with a chapter, those whose task is
 * in it. Investment of the report date's year. Projects have no history: their values are the
 * current ones.
 */
export function projectBriefingData(ctx: ServiceContext, opts: DocxOptions, date: string): ProjectBriefingData {
  const year = Math.min(PLAN_YEAR_MAX, Math.max(PLAN_YEAR_MIN, Number(date.slice(0, 4))));
  const projects = listProjects(ctx, { year }).filter((p) => {
    if (p.deleted) return false;
    if (opts.deptId !== undefined && ((opts.role ?? 'all') === 'co' || p.leadId !== opts.deptId)) return false;
    if (opts.city && !p.cities.includes(opts.city)) return false;
    if (opts.chapter !== undefined && ![p.taskId, ...p.linkedTaskIds].some((t) => t?.split('.')[0] === String(opts.chapter))) return false;
    return true;
  });
  const byStage = Object.fromEntries(PROJECT_STAGES.map((st) => [st, projects.filter((p) => p.stage === st).length])) as Record<ProjectStage, number>;
  const byCategory = PROJECT_CATEGORIES.map((category) => {
    const ps = projects.filter((p) => p.category === category);
    return {
      category,
      count: ps.length,
      total: sumOf(ps, (p) => p.totalInvestment),
      planned: sumOf(ps, (p) => p.yearPlanned),
      completed: sumOf(ps, (p) => p.yearCompleted),
      hasTotal: ps.some((p) => p.totalInvestment !== null),
      hasPlanned: ps.some((p) => p.yearPlanned !== null),
      hasCompleted: ps.some((p) => p.yearCompleted !== null),
    };
  }).filter((l) => l.count > 0);
  return {
    year,
    projects,
    byStage,
    fromPlan: projects.filter((p) => p.source === 'plan').length,
    added: projects.filter((p) => p.source === 'user').length,
    total: sumOf(projects, (p) => p.totalInvestment),
    withTotal: projects.filter((p) => p.totalInvestment !== null).length,
    planned: sumOf(projects, (p) => p.yearPlanned),
    completed: sumOf(projects, (p) => p.yearCompleted),
    completedAll: sumOf(projects, (p) => p.completedTotal),
    byCategory,
    withProblems: projects.filter((p) => p.problems.trim() !== ''),
  };
}

function projectSection(doc: GbDocument, d: ProjectBriefingData, names: ReturnType<typeof deptNames>): void {
  doc.heading(2, '重点项目推进情况');
  const n = d.projects.length;
  if (n === 0) {
    doc.para('本报告范围内没有纳入重点建设项目清单的项目。');
    return;
  }
  const stages = PROJECT_STAGES.filter((st) => d.byStage[st] > 0).map((st) => `${st}${d.byStage[st]}个`);
  let intro =
    `纳入重点建设项目清单的项目共${n}个${d.added ? `（其中规划明确${d.fromPlan}个，新增${d.added}个）` : ''}，` +
    `按建设阶段分，${stages.join('、')}。`;
  if (d.withTotal === 0) intro += '各项目总投资尚未填报。';
  else intro += `已填报总投资的${d.withTotal === n ? '' : `${d.withTotal}个`}项目总投资${yi(d.total)}亿元${d.completedAll > 0 ? `，累计完成投资${yi(d.completedAll)}亿元` : ''}。`;
  doc.para(intro);
  const plannedCount = d.projects.filter((p) => p.yearPlanned !== null).length;
  doc.para(
    plannedCount === 0 && d.completed === 0
      ? `${d.year}年度计划投资和完成投资尚未填报，请各牵头单位抓紧报送。`
      : `${d.year}年，${plannedCount}个项目安排年度计划投资${yi(d.planned)}亿元，已完成投资${yi(d.completed)}亿元，` +
          `完成年度计划的${rateText(d.completed, d.planned)}。分类别情况见下表。`,
  );
  // the table: two decimals throughout; — where no project of the category has the amount
  const cell = (v: number, has: boolean) => (has ? v.toFixed(2) : '—');
  const rows: GbCell[][] = d.byCategory.map((l, i) => [
    String(i + 1),
    l.category,
    String(l.count),
    cell(l.total, l.hasTotal),
    cell(l.planned, l.hasPlanned),
    cell(l.completed, l.hasCompleted),
    rateText(l.completed, l.planned),
  ]);
  rows.push([
    { text: '', align: 'center' },
    { text: '合计', align: 'center', bold: true },
    String(n),
    cell(d.total, d.withTotal > 0),
    cell(d.planned, d.byCategory.some((l) => l.hasPlanned)),
    cell(d.completed, d.byCategory.some((l) => l.hasCompleted)),
    rateText(d.completed, d.planned),
  ]);
  doc.table(
    [
      { header: '序号', weight: 7, align: 'center' },
      { header: '类别', weight: 12, align: 'center' },
      { header: '项目数（个）', weight: 11, align: 'center' },
      { header: '总投资（亿元）', weight: 20, align: 'center' },
      { header: `${d.year}年计划投资（亿元）`, weight: 19, align: 'center' },
      { header: `${d.year}年完成投资（亿元）`, weight: 19, align: 'center' },
      { header: '完成率', weight: 12, align: 'center' },
    ],
    rows,
  );
  if (d.withProblems.length === 0) {
    doc.para('各项目牵头单位未报告存在的问题。');
  } else {
    const lead = (p: Project) => names.name(p.leadId) || '牵头单位待定';
    const count = new Map<string, number>();
    for (const p of d.withProblems) count.set(lead(p), (count.get(lead(p)) ?? 0) + 1);
    const leads = [...count.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}${v}个`).join('、');
    doc.para(`${d.withProblems.length}个项目报告了存在的问题，涉及${leads}。具体是：`);
    for (const p of d.withProblems)
      doc.heading(3, `${p.name}（${p.id}，${lead(p)}牵头，${p.stage}）。`, endSentence(p.problems.trim().replace(/\s*\n\s*/g, '；')));
  }
  doc.placeholderPara('请在此处补充重点项目推进成效、要素保障等情况……');
}
