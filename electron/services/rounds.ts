// 调度轮次 (issue 18): open a round, see where every department stands, review what came back
// (采纳 / 退回), close it into a snapshot, compare two rounds and assess the departments. The files
// that travel (distribute, collect, reminders) are in electron/import/round-files.ts; the documents in
// electron/export/docx/rounds.ts and electron/export/xlsx/round-scores.ts. Every step is one
// transaction with audit rows (AuditWriter) and an entry in the round's record (round_event).
import { STATUSES, isIsoDate, type MeasurePatch, type MeasureRow, type Status } from '../../shared/domain';
import {
  DEFAULT_ROUND_CHAPTERS,
  DEFAULT_SCORE_RULES,
  type DeptScore,
  type RoundCompare,
  type RoundCompareRow,
  type RoundDeptStatus,
  type RoundEvent,
  type RoundEventKind,
  type RoundInfo,
  type RoundInput,
  type RoundLatest,
  type RoundReportRow,
  type RoundRole,
  type RoundScope,
  type RoundStatus,
  type ScoreItem,
  type ScoreRules,
} from '../../shared/rounds';
import { roundQueries, type RoundDbRow, type RoundDeptDbRow, type RoundQueries, type SnapshotDbRow } from '../db/round-queries';
import { AuditWriter, ServiceError, getIdentity, type ServiceContext } from '../core/context';
import { applyEdits, measureStates } from './measures';
import { listDepartments } from './departments';
import { leadsOf } from './leads';
import { chinaToday } from './reports';
import { getFieldMapping } from './drafts';
import { DRAFT_FIELDS } from '../../shared/drafts';
import type { ChannelsOf, HandlerTable } from '../core/handlers';
import { queueRoundClosed, queueRoundDept, queueRoundEvent, queueRoundOpened, queueReview } from '../core/sync-rounds';

export const ROUND_OPS = {
  create: '新建调度轮次',
  distribute: '下发调度台账',
  collect: '收取调度报送',
  accept: '采纳调度报送',
  return: '退回调度报送',
  remind: '调度催办',
  close: '结束调度轮次',
  rules: '修改考核规则',
} as const;

export const SCORE_RULES_KEY = 'rounds.scoreRules';

export const rq = (ctx: ServiceContext): RoundQueries => roundQueries(ctx.db);

/** Who the round's record names: the person of this session (CLI --user) or the one in 设置. */
export function actorName(ctx: ServiceContext): string {
  const who = ctx.actor ?? getIdentity(ctx);
  return who ? `${who.name}（${who.unit}）` : '未登记';
}

export function recordEvent(ctx: ServiceContext, roundId: number, deptId: number | null, kind: RoundEventKind, detail: Record<string, unknown>, at = new Date().toISOString()): void {
  const e = { round_id: roundId, dept_id: deptId, kind, at, actor: actorName(ctx), detail: JSON.stringify(detail) };
  rq(ctx).insertEvent(e);
  queueRoundEvent(ctx, e);
}

function parseScope(s: string): RoundScope {
  try {
    const v = JSON.parse(s) as RoundScope;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

function toInfo(ctx: ServiceContext, r: RoundDbRow): RoundInfo {
  const n = rq(ctx).roundCounts(r.id);
  return {
    id: r.id,
    title: r.title,
    periodEnd: r.period_end,
    dueDate: r.due_date,
    scope: parseScope(r.scope),
    withCo: r.with_co === 1,
    note: r.note,
    state: r.state,
    createdAt: r.created_at,
    createdBy: r.created_by,
    closedAt: r.closed_at,
    departments: n.departments,
    measures: n.measures,
  };
}

export function roundRow(ctx: ServiceContext, id: number): RoundDbRow {
  if (!Number.isInteger(id) || id <= 0) throw new ServiceError('VALIDATION', `轮次编号应为正整数，现为“${String(id)}”`);
  const r = rq(ctx).round(id);
  if (!r) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的调度轮次`);
  return r;
}

export function openRoundRow(ctx: ServiceContext, id: number): RoundDbRow {
  const r = roundRow(ctx, id);
  if (r.state === '已结束') throw new ServiceError('CONFLICT', `调度轮次“${r.title}”已于 ${r.closed_at!.slice(0, 10)} 结束，不能再修改`);
  return r;
}

export function getRound(ctx: ServiceContext, id: number): RoundInfo {
  return toInfo(ctx, roundRow(ctx, id));
}

export function listRounds(ctx: ServiceContext): RoundInfo[] {
  return rq(ctx)
    .rounds()
    .map((r) => toInfo(ctx, r));
}

/** A department of the round (by id), or a refusal naming the round. */
export function roundDeptRow(ctx: ServiceContext, round: RoundDbRow, deptId: number): RoundDeptDbRow {
  const d = rq(ctx).roundDept(round.id, deptId);
  if (!d) throw new ServiceError('NOT_FOUND', `该单位不在调度轮次“${round.title}”的报送单位中`);
  return d;
}

// ---------------------------------------------------------------- which departments and measures

/** What deciding a round's scope and parts needs of a measure. */
export type ScopeMeasure = Pick<MeasureRow, 'id' | 'chapterNo' | 'leadId' | 'leadIds' | 'coIds'> & { actionable: true };

/** The actionable measures in ledger order, read with the ledger export's query (listMeasures' titles and texts are not needed). */
function actionableMeasures(ctx: ServiceContext): ScopeMeasure[] {
  return ctx.q.ledgerMeasures().rows.map((r) => ({
    id: r[0],
    // a measure's id begins with its chapter (章.节.任务.措施)
    chapterNo: Number(r[0].split('.')[0]),
    leadId: r[3],
    leadIds: r[14] === null ? [] : r[14].split(',').map(Number),
    coIds: r[11] === null ? [] : r[11].split(',').map(Number),
    actionable: true,
  }));
}

/**
 * The measures a scope covers: actionable measures of the chapters (default 3–9), or the chosen
 * ones (read with the ledger export's query: the actionable measures only, in ledger order).
 */
export function scopeMeasures(ctx: ServiceContext, scope: RoundScope, all: ScopeMeasure[] = actionableMeasures(ctx)): ScopeMeasure[] {
  if (scope.measureIds?.length) {
    const byId = new Map(all.map((m) => [m.id, m]));
    const missing = scope.measureIds.filter((id) => !byId.has(id) && !ctx.q.measure(id));
    if (missing.length) throw new ServiceError('VALIDATION', `没有这些措施：${missing.slice(0, 10).join('、')}${missing.length > 10 ? ' 等' : ''}`);
    const background = scope.measureIds.filter((id) => !byId.has(id));
    if (background.length) throw new ServiceError('VALIDATION', `这些条目属于规划背景或总体要求，不是需要调度的措施：${background.slice(0, 10).join('、')}`);
    return [...new Set(scope.measureIds)].map((id) => byId.get(id)!);
  }
  if (scope.fields?.length) {
    const mapping = getFieldMapping(ctx);
    const prefixes = scope.fields.flatMap((f) => mapping[f] ?? []).map((p) => `${p}.`);
    return all.filter((m) => m.actionable && prefixes.some((p) => m.id.startsWith(p)));
  }
  const chapters = new Set(scope.chapters?.length ? scope.chapters : DEFAULT_ROUND_CHAPTERS);
  return all.filter((m) => m.actionable && chapters.has(m.chapterNo));
}

/**
 * Who reports on what: every lead of each measure (leadsOf: one ordered list), and with withCo the
 * co-operating departments too. A department that leads one measure and co-operates on another
 * reports both; on one measure it is 牵头 if it is any of its leads. Departments no longer in use
 * are left out (their measures counted as unassigned).
 */
export function roundParts(ctx: ServiceContext, measures: ScopeMeasure[], withCo: boolean): { parts: Map<number, Map<string, RoundRole>>; unassigned: string[] } {
  const active = new Set(listDepartments(ctx).map((d) => d.id));
  const parts = new Map<number, Map<string, RoundRole>>();
  const unassigned: string[] = [];
  const add = (dept: number, id: string, role: RoundRole) => {
    let p = parts.get(dept);
    if (!p) parts.set(dept, (p = new Map()));
    if (p.get(id) !== '牵头') p.set(id, role);
  };
  for (const m of measures) {
    const leads = leadsOf(m).filter((d) => active.has(d));
    if (!leads.length) unassigned.push(m.id);
    for (const d of leads) add(d, m.id, '牵头');
    if (withCo) for (const d of m.coIds) if (active.has(d)) add(d, m.id, '配合');
  }
  return { parts, unassigned };
}

const MAX_TITLE = 100;

/** 新建调度轮次: the round, its departments and each one's part, in one transaction. */
export function createRound(ctx: ServiceContext, input: RoundInput): { round: RoundInfo; unassigned: string[] } {
  const title = (input.title ?? '').trim();
  if (!title) throw new ServiceError('VALIDATION', '请填写轮次名称（如 2026年第四季度调度）');
  if (title.length > MAX_TITLE) throw new ServiceError('VALIDATION', `轮次名称不能超过 ${MAX_TITLE} 字`);
  if (!isIsoDate(input.periodEnd)) throw new ServiceError('VALIDATION', `报送期末日期“${input.periodEnd}”无效，应为 YYYY-MM-DD`);
  if (!isIsoDate(input.dueDate)) throw new ServiceError('VALIDATION', `报送截止日期“${input.dueDate}”无效，应为 YYYY-MM-DD`);
  if (input.dueDate < input.periodEnd) throw new ServiceError('VALIDATION', `报送截止日期（${input.dueDate}）不能早于报送期末（${input.periodEnd}）`);
  const scope: RoundScope = {};
  if (input.scope?.measureIds?.length) scope.measureIds = [...new Set(input.scope.measureIds.map((s) => s.trim()).filter(Boolean))];
  else if (input.scope?.fields?.length) {
    const bad = input.scope.fields.filter((f) => !(DRAFT_FIELDS as readonly string[]).includes(f));
    if (bad.length) throw new ServiceError('VALIDATION', `领域应为 ${DRAFT_FIELDS.join('、')}，现有：${bad.join('、')}`);
    scope.fields = [...new Set(input.scope.fields)];
  } else {
    const chapters = input.scope?.chapters?.length ? [...new Set(input.scope.chapters)].sort((a, b) => a - b) : [...DEFAULT_ROUND_CHAPTERS];
    const bad = chapters.filter((c) => !Number.isInteger(c) || c < 1 || c > 9);
    if (bad.length) throw new ServiceError('VALIDATION', `章号应为 1 到 9，现有：${bad.join('、')}`);
    scope.chapters = chapters;
  }
  const withCo = input.withCo === true;
  const note = (input.note ?? '').trim();
  let id = 0;
  let unassigned: string[] = [];
  ctx.db.transaction(() => {
    const measures = scopeMeasures(ctx, scope);
    if (!measures.length) throw new ServiceError('VALIDATION', '所选范围内没有需要调度的措施');
    const r = roundParts(ctx, measures, withCo);
    unassigned = r.unassigned;
    if (r.parts.size === 0) throw new ServiceError('VALIDATION', '所选范围内的措施都还没有牵头单位，无法确定报送单位');
    const q = rq(ctx);
    const audit = new AuditWriter(ctx, ROUND_OPS.create);
    id = q.insertRound({
      title,
      period_end: input.periodEnd,
      due_date: input.dueDate,
      scope: JSON.stringify(scope),
      with_co: withCo ? 1 : 0,
      note,
      created_at: audit.at,
      created_by: actorName(ctx),
    });
    const order = new Map(listDepartments(ctx).map((d, i) => [d.id, i]));
    const depts = [...r.parts.keys()].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    depts.forEach((d, i) => {
      q.insertRoundDept(id, d, i + 1);
      for (const [mid, role] of r.parts.get(d)!) q.insertRoundMeasure(id, d, mid, role);
    });
    const row = String(id);
    audit.field('round', row, 'title', null, title);
    audit.field('round', row, 'periodEnd', null, input.periodEnd);
    audit.field('round', row, 'dueDate', null, input.dueDate);
    audit.field('round', row, 'scope', null, JSON.stringify(scope));
    audit.field('round', row, 'withCo', null, withCo);
    audit.field('round', row, 'departments', null, depts.length);
    queueRoundOpened(ctx, audit, id);
    recordEvent(ctx, id, null, '新建', { departments: depts.length, measures: measures.length - unassigned.length, unassigned: unassigned.length }, audit.at);
  })();
  return { round: getRound(ctx, id), unassigned };
}

// ---------------------------------------------------------------- status

const DAY_MS = 86_400_000;
const dayNo = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS;

/** Days after the due date (China date of the time); 0 when on time. */
export function lateDaysOf(dueDate: string, at: string): number {
  return Math.max(0, dayNo(chinaToday(new Date(at))) - dayNo(dueDate));
}

export function deptStatus(round: RoundDbRow, d: RoundDeptDbRow, today: string): RoundDeptStatus {
  const daysToDue = dayNo(round.due_date) - dayNo(today);
  const lateDays = d.received_at ? lateDaysOf(round.due_date, d.received_at) : Math.max(0, -daysToDue);
  const light = d.state !== '未报送' && d.state !== '已退回' ? 'green' : daysToDue < 0 ? 'red' : daysToDue <= 3 ? 'yellow' : 'green';
  return {
    deptId: d.dept_id,
    name: d.name,
    state: d.state,
    measures: d.measures,
    reported: d.reported,
    receivedAt: d.received_at,
    lateDays,
    reminders: d.reminders,
    remindedAt: d.reminded_at,
    distributedAt: d.distributed_at,
    returnReason: d.return_reason,
    daysToDue,
    light,
  };
}

/** 报送情况: every department of the round, and the counts and rates at the top. */
export function roundStatus(ctx: ServiceContext, id: number, today = chinaToday()): RoundStatus {
  const round = roundRow(ctx, id);
  // a closed round is seen as it stood when it closed
  const asOf = round.closed_at ? chinaToday(new Date(round.closed_at)) : today;
  const departments = rq(ctx)
    .roundDepts(id)
    .map((d) => deptStatus(round, d, asOf));
  const n = departments.length;
  const reported = departments.filter((d) => d.receivedAt !== null).length;
  const onTime = departments.filter((d) => d.receivedAt !== null && d.lateDays === 0).length;
  const accepted = departments.filter((d) => d.state === '已采纳').length;
  const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);
  return {
    round: toInfo(ctx, round),
    departments,
    rates: { departments: n, reported, onTime, accepted, reportRate: rate(reported, n), onTimeRate: rate(onTime, n), acceptRate: rate(accepted, reported) },
  };
}

/** The reports of a round (live ones; with all, the replaced ones too), for the drill-down. */
export function roundReports(ctx: ServiceContext, id: number, opts: { deptId?: number; all?: boolean } = {}): RoundReportRow[] {
  roundRow(ctx, id);
  const q = rq(ctx);
  const names = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  const texts = new Map(ctx.q.measureStates().map((m) => [m.id, m.text]));
  const roles = new Map(q.roundMeasures(id).map((m) => [`${m.dept_id}:${m.measure_id}`, m.role]));
  const subs = new Map(q.submissions(id).map((s) => [s.id, s]));
  const rows = opts.all ? q.allReports(id) : q.liveReports(id, opts.deptId);
  return rows
    .filter((r) => opts.deptId === undefined || r.dept_id === opts.deptId)
    .map((r) => ({
      id: r.id,
      deptId: r.dept_id,
      dept: names.get(r.dept_id) ?? String(r.dept_id),
      measureId: r.measure_id,
      measureText: texts.get(r.measure_id) ?? '',
      role: roles.get(`${r.dept_id}:${r.measure_id}`) ?? '牵头',
      status: r.status,
      progress: r.progress,
      note: r.note,
      changed: JSON.parse(r.changed) as string[],
      state: r.state,
      reason: r.reason,
      submissionId: r.submission_id,
      fileName: subs.get(r.submission_id)?.file_name ?? '',
      receivedAt: subs.get(r.submission_id)?.received_at ?? '',
    }));
}

export function roundEvents(ctx: ServiceContext, id: number): RoundEvent[] {
  roundRow(ctx, id);
  const names = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  return rq(ctx)
    .events(id)
    .map((e) => ({
      id: e.id,
      deptId: e.dept_id,
      dept: e.dept_id === null ? null : (names.get(e.dept_id) ?? String(e.dept_id)),
      kind: e.kind,
      at: e.at,
      actor: e.actor,
      detail: JSON.parse(e.detail) as Record<string, unknown>,
    }));
}

// ---------------------------------------------------------------- review

export interface ReviewRequest {
  deptId: number;
  action: 'accept' | 'return';
  /** 退回: why (goes into the return notice) */
  reason?: string;
  /** only these measures of the department's report (default: all of it) */
  measureIds?: string[];
}

export interface ReviewResult {
  department: string;
  state: RoundDeptStatus['state'];
  reports: number;
  /** measures whose progress or status changed on accepting */
  applied: number;
}

const REPORT_FIELDS = ['status', 'progress', 'note'] as const;

/**
 * 采纳 or 退回 a department's report (or some measures of it). Accepting writes the changed fields
 * of each report to the measure through applyEdits (op 采纳调度报送（单位）: the audit names the
 * reporting department, and as actor the person accepting), all in one transaction with the
 * reports' and the department's new state.
 */
export function reviewRound(ctx: ServiceContext, roundId: number, req: ReviewRequest): ReviewResult {
  const round = openRoundRow(ctx, roundId);
  const dept = roundDeptRow(ctx, round, req.deptId);
  const reason = (req.reason ?? '').trim();
  if (req.action === 'return' && !reason) throw new ServiceError('VALIDATION', '退回须说明理由');
  if (reason.length > 2000) throw new ServiceError('VALIDATION', '退回理由不能超过 2000 字');
  const q = rq(ctx);
  let result: ReviewResult = { department: dept.name, state: dept.state, reports: 0, applied: 0 };
  ctx.db.transaction(() => {
    const live = q.liveReports(roundId, req.deptId);
    if (!live.length) throw new ServiceError('VALIDATION', `${dept.name}尚未报送，没有可审核的内容`);
    let chosen = live;
    if (req.measureIds?.length) {
      const want = new Set(req.measureIds);
      chosen = live.filter((r) => want.has(r.measure_id));
      const missing = [...want].filter((id) => !live.some((r) => r.measure_id === id));
      if (missing.length) throw new ServiceError('VALIDATION', `${dept.name}没有报送这些措施：${missing.slice(0, 10).join('、')}`);
    }
    const pending = chosen.filter((r) => r.state === '待审核' || (req.action === 'accept' && r.state === '已退回'));
    if (!pending.length) throw new ServiceError('CONFLICT', `${dept.name}的报送已${chosen[0].state === '已采纳' ? '采纳' : '审核'}，没有待审核的内容`);
    const op = req.action === 'accept' ? ROUND_OPS.accept : ROUND_OPS.return;
    const audit = new AuditWriter(ctx, `${op}（${dept.name}）`);
    const by = actorName(ctx);
    let applied = 0;
    if (req.action === 'accept') {
      const edits = pending
        .map((r) => {
          const changed = new Set(JSON.parse(r.changed) as string[]);
          const patch: MeasurePatch = {};
          for (const f of REPORT_FIELDS) if (changed.has(f)) (patch as Record<string, string>)[f] = r[f];
          return { measureId: r.measure_id, patch };
        })
        .filter((e) => Object.keys(e.patch).length > 0);
      // the rows read once here serve applyEdits (which would read every measure itself past 50 edits)
      if (edits.length) applied = applyEdits(ctx, edits, `${ROUND_OPS.accept}（${dept.name}，第${roundId}轮）`, { current: measureStates(ctx), rows: false }).length;
    }
    const newState = req.action === 'accept' ? '已采纳' : '已退回';
    for (const r of pending) {
      q.reviewReport(r.id, newState, req.action === 'return' ? reason : null, audit.at, by);
      audit.field('round_report', String(r.id), 'state', r.state, newState);
      queueReview(ctx, audit, r);
    }
    // the department: accepted once every live report is; returned when any is
    const after = q.liveReports(roundId, req.deptId);
    const deptState = after.some((r) => r.state === '已退回') ? '已退回' : after.every((r) => r.state === '已采纳') ? '已采纳' : '已报送';
    q.setDeptState(roundId, req.deptId, deptState, dept.received_at, deptState === '已退回' ? (req.action === 'return' ? reason : dept.return_reason) : null);
    if (deptState !== dept.state) audit.field('round_dept', `${roundId}:${req.deptId}`, 'state', dept.state, deptState);
    queueRoundDept(ctx, audit, dept);
    recordEvent(ctx, roundId, req.deptId, req.action === 'accept' ? '采纳' : '退回', { measures: pending.length, applied, ...(reason ? { reason } : {}) }, audit.at);
    result = { department: dept.name, state: deptState, reports: pending.length, applied };
  })();
  return result;
}

// ---------------------------------------------------------------- snapshot, close, compare

/**
 * Each measure of the round as the round stands: an accepted report's status and progress (the
 * last accepted, when several leads report), else the measure's own. What close freezes.
 */
export function liveSnapshot(ctx: ServiceContext, roundId: number): SnapshotDbRow[] {
  const q = rq(ctx);
  const ids = [...new Set(q.roundMeasures(roundId).map((m) => m.measure_id))].sort();
  const byId = new Map(ctx.q.measureStates().map((m) => [m.id, m]));
  const accepted = new Map<string, { status: Status; progress: string; by: number[] }>();
  for (const r of q.liveReports(roundId).filter((x) => x.state === '已采纳').sort((a, b) => (a.reviewed_at ?? '').localeCompare(b.reviewed_at ?? '') || a.id - b.id)) {
    const cur = accepted.get(r.measure_id);
    accepted.set(r.measure_id, { status: r.status, progress: r.progress, by: [...(cur?.by ?? []), r.dept_id] });
  }
  return ids.map((id) => {
    const m = byId.get(id)!;
    const a = accepted.get(id);
    // a measure's id begins with its chapter (章.节.任务.措施)
    return { measure_id: id, chapter_no: Number(id.split('.')[0]), status: a?.status ?? m.status, progress: a?.progress ?? m.progress, reported_by: JSON.stringify(a?.by ?? []) };
  });
}

/** The snapshot of a closed round, or the live one of a round under way. */
export function snapshotOf(ctx: ServiceContext, roundId: number): SnapshotDbRow[] {
  const r = roundRow(ctx, roundId);
  return r.state === '已结束' ? rq(ctx).snapshot(roundId) : liveSnapshot(ctx, roundId);
}

/** 结束轮次: the round's state frozen as its snapshot; nothing of it changes afterwards. */
export function closeRound(ctx: ServiceContext, roundId: number): RoundInfo {
  ctx.db.transaction(() => {
    const round = openRoundRow(ctx, roundId);
    const q = rq(ctx);
    const audit = new AuditWriter(ctx, ROUND_OPS.close);
    const snap = liveSnapshot(ctx, roundId);
    for (const s of snap) q.insertSnapshot(roundId, s);
    q.closeRound(roundId, audit.at);
    audit.field('round', String(roundId), 'state', round.state, '已结束');
    queueRoundClosed(ctx, audit, roundId);
    const st = roundStatus(ctx, roundId);
    recordEvent(ctx, roundId, null, '结束', { measures: snap.length, ...st.rates }, audit.at);
  })();
  return getRound(ctx, roundId);
}

const zeroCounts = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** a measure moved into a status between two rounds it is in both of */
const newlyIn = (m: { before: Status | null; after: Status | null }, status: Status) => m.before !== null && m.after === status && m.before !== status;

/** 对比上期: what moved between two rounds, per measure, per chapter and per (lead) department. */
export function compareRounds(ctx: ServiceContext, fromId: number, toId: number): RoundCompare {
  const a = roundRow(ctx, fromId);
  const b = roundRow(ctx, toId);
  const before = new Map(snapshotOf(ctx, fromId).map((s) => [s.measure_id, s]));
  const after = new Map(snapshotOf(ctx, toId).map((s) => [s.measure_id, s]));
  const texts = new Map(ctx.q.measureStates().map((m) => [m.id, m.text]));
  const names = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  const leadOf = new Map<string, number[]>();
  for (const rid of [fromId, toId]) for (const m of rq(ctx).roundMeasures(rid)) if (m.role === '牵头') leadOf.set(m.measure_id, [...new Set([...(leadOf.get(m.measure_id) ?? []), m.dept_id])]);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const measures = ids.map((id) => {
    const x = before.get(id);
    const y = after.get(id);
    return {
      id,
      text: texts.get(id) ?? '',
      chapterNo: (y ?? x)!.chapter_no,
      before: x?.status ?? null,
      after: y?.status ?? null,
      beforeProgress: x?.progress ?? null,
      afterProgress: y?.progress ?? null,
      progressChanged: !!x && !!y && x.progress !== y.progress,
      depts: (leadOf.get(id) ?? []).map((d) => names.get(d) ?? String(d)),
    };
  });
  const group = (keyOf: (id: string, chapter: number) => { key: string; label: string }[]): RoundCompareRow[] => {
    const rows = new Map<string, RoundCompareRow>();
    for (const m of measures)
      for (const k of keyOf(m.id, m.chapterNo)) {
        let r = rows.get(k.key);
        if (!r) rows.set(k.key, (r = { key: k.key, label: k.label, before: zeroCounts(), after: zeroCounts(), moved: 0, newlyDone: 0, newlyLagging: 0, progressChanged: 0 }));
        if (m.before) r.before[m.before]++;
        if (m.after) r.after[m.after]++;
        if (m.before !== m.after) r.moved++;
        if (newlyIn(m, '已完成')) r.newlyDone++;
        if (newlyIn(m, '滞后')) r.newlyLagging++;
        if (m.progressChanged) r.progressChanged++;
      }
    return [...rows.values()];
  };
  return {
    from: { id: a.id, title: a.title },
    to: { id: b.id, title: b.title },
    measures,
    byChapter: group((_, ch) => [{ key: String(ch), label: `第${ch}章` }]).sort((x, y) => Number(x.key) - Number(y.key)),
    byDept: group((id) => (leadOf.get(id) ?? []).map((d) => ({ key: String(d), label: names.get(d) ?? String(d) }))),
  };
}

/** The closed round before this one (by period end, then id), if any: what a briefing compares with. */
export function previousClosedRound(ctx: ServiceContext, roundId: number): RoundDbRow | null {
  const r = roundRow(ctx, roundId);
  const earlier = rq(ctx)
    .rounds()
    .filter((x) => x.id !== r.id && x.state === '已结束' && (x.period_end < r.period_end || (x.period_end === r.period_end && x.id < r.id)));
  earlier.sort((x, y) => x.period_end.localeCompare(y.period_end) || x.id - y.id);
  return earlier[earlier.length - 1] ?? null;
}

/** The closed rounds, latest last (by period end, then id). */
function closedRounds(ctx: ServiceContext): RoundDbRow[] {
  return rq(ctx)
    .rounds()
    .filter((x) => x.state === '已结束')
    .sort((x, y) => x.period_end.localeCompare(y.period_end) || x.id - y.id);
}

/**
 * For the dashboard: the latest closed round with its rates, and what moved since the closed round
 * before it (counts per chapter, the measures newly 已完成 and newly 滞后); null when no round is closed.
 */
export function latestClosedRound(ctx: ServiceContext): RoundLatest | null {
  const closed = closedRounds(ctx);
  const last = closed[closed.length - 1];
  if (!last) return null;
  const st = roundStatus(ctx, last.id);
  const prev = previousClosedRound(ctx, last.id);
  if (!prev) return { round: st.round, rates: st.rates, previous: null, change: null };
  const cmp = compareRounds(ctx, prev.id, last.id);
  return {
    round: st.round,
    rates: st.rates,
    previous: { id: prev.id, title: prev.title, periodEnd: prev.period_end },
    change: {
      moved: cmp.measures.filter((m) => m.before !== m.after).length,
      newlyDone: cmp.measures.filter((m) => newlyIn(m, '已完成')).map((m) => m.id),
      newlyLagging: cmp.measures.filter((m) => newlyIn(m, '滞后')).map((m) => m.id),
      progressChanged: cmp.measures.filter((m) => m.progressChanged).length,
      byChapter: cmp.byChapter,
    },
  };
}

// ---------------------------------------------------------------- assessment

const RULE_KEYS = ['base', 'notReported', 'late', 'lagging', 'completed'] as const;

export function getScoreRules(ctx: ServiceContext): ScoreRules {
  const raw = ctx.q.getSetting(SCORE_RULES_KEY);
  if (!raw) return { ...DEFAULT_SCORE_RULES };
  try {
    const v = JSON.parse(raw) as Partial<ScoreRules>;
    const out = { ...DEFAULT_SCORE_RULES };
    for (const k of RULE_KEYS) if (typeof v[k] === 'number' && Number.isFinite(v[k])) out[k] = v[k]!;
    return out;
  } catch {
    return { ...DEFAULT_SCORE_RULES };
  }
}

/** 考核规则 in 设置: each a number from −1000 to 1000; audited. */
export function setScoreRules(ctx: ServiceContext, patch: Partial<ScoreRules>): ScoreRules {
  const cur = getScoreRules(ctx);
  const next = { ...cur };
  for (const k of RULE_KEYS) {
    const v = patch[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 1000) throw new ServiceError('VALIDATION', `考核规则“${RULE_LABELS[k]}”应为 -1000 到 1000 之间的数`);
    next[k] = v;
  }
  ctx.db.transaction(() => {
    const audit = new AuditWriter(ctx, ROUND_OPS.rules);
    for (const k of RULE_KEYS) if (next[k] !== cur[k]) audit.field('setting', SCORE_RULES_KEY, k, cur[k], next[k]);
    ctx.q.setSetting(SCORE_RULES_KEY, JSON.stringify(next));
  })();
  return next;
}

export const RULE_LABELS: Record<keyof ScoreRules, string> = { base: '基础分', notReported: '未报送', late: '逾期报送', lagging: '每项滞后', completed: '每项已完成' };

/** A score per department of the round from the rule set, with the reasons itemised. */
export function roundScores(ctx: ServiceContext, roundId: number, rules = getScoreRules(ctx)): DeptScore[] {
  const st = roundStatus(ctx, roundId);
  const snap = new Map(snapshotOf(ctx, roundId).map((s) => [s.measure_id, s.status]));
  const led = new Map<number, string[]>();
  for (const m of rq(ctx).roundMeasures(roundId)) if (m.role === '牵头') (led.get(m.dept_id) ?? led.set(m.dept_id, []).get(m.dept_id)!).push(m.measure_id);
  return st.departments.map((d) => {
    const items: ScoreItem[] = [];
    if (d.receivedAt === null) items.push({ reason: `未报送（截至${st.round.state === '已结束' ? '轮次结束' : '目前'}）`, points: rules.notReported });
    else if (d.lateDays > 0) items.push({ reason: `逾期 ${d.lateDays} 天报送`, points: rules.late });
    const mine = led.get(d.deptId) ?? [];
    const lagging = mine.filter((id) => snap.get(id) === '滞后').length;
    const done = mine.filter((id) => snap.get(id) === '已完成').length;
    if (lagging) items.push({ reason: `牵头措施滞后 ${lagging} 项`, points: rules.lagging * lagging });
    if (done) items.push({ reason: `牵头措施已完成 ${done} 项`, points: rules.completed * done });
    const score = Math.round((rules.base + items.reduce((s, i) => s + i.points, 0)) * 100) / 100;
    return { deptId: d.deptId, name: d.name, score, items };
  });
}

/** The year's score: the mean of the department's scores over the year's closed rounds (by period end). */
export function yearScores(ctx: ServiceContext, year: number, rules = getScoreRules(ctx)): (DeptScore & { rounds: number })[] {
  const rounds = rq(ctx)
    .rounds()
    .filter((r) => r.state === '已结束' && r.period_end.startsWith(`${year}-`));
  const acc = new Map<number, { name: string; total: number; n: number; items: ScoreItem[] }>();
  for (const r of rounds)
    for (const s of roundScores(ctx, r.id, rules)) {
      const a = acc.get(s.deptId) ?? { name: s.name, total: 0, n: 0, items: [] };
      a.total += s.score;
      a.n++;
      a.items.push(...s.items.map((i) => ({ reason: `${r.title}：${i.reason}`, points: i.points })));
      acc.set(s.deptId, a);
    }
  return [...acc].map(([deptId, a]) => ({ deptId, name: a.name, score: Math.round((a.total / a.n) * 100) / 100, items: a.items, rounds: a.n }));
}

// ---------------------------------------------------------------- dump

/** For `dump`: every round with its departments' states. */
export function dumpRounds(ctx: ServiceContext) {
  return listRounds(ctx).map((r) => {
    const st = roundStatus(ctx, r.id);
    return {
      id: r.id,
      title: r.title,
      periodEnd: r.periodEnd,
      dueDate: r.dueDate,
      scope: r.scope,
      withCo: r.withCo,
      state: r.state,
      closedAt: r.closedAt,
      measures: r.measures,
      rates: st.rates,
      departments: st.departments.map((d) => ({ name: d.name, state: d.state, measures: d.measures, reported: d.reported, receivedAt: d.receivedAt, lateDays: d.lateDays, reminders: d.reminders })),
    };
  });
}

/** The rounds.* channels answered here (shared/ipc/channels/rounds.ts); the file-side ones (下发, 收取, 催办) are in electron/ipc/round-transfers.ts. */
export const roundsHandlers: HandlerTable<Exclude<ChannelsOf<'rounds'>, 'rounds.distribute' | 'rounds.cancel' | 'rounds.collect' | 'rounds.remind'>> = {
  'rounds.list': (ctx) => listRounds(ctx),
  'rounds.create': (ctx, i) => {
    const { chapters, measureIds, ...rest } = i;
    return createRound(ctx, { ...rest, scope: measureIds ? { measureIds } : { chapters: chapters ?? [...DEFAULT_ROUND_CHAPTERS] } });
  },
  'rounds.status': (ctx, i) => roundStatus(ctx, i.roundId),
  'rounds.reports': (ctx, i) => roundReports(ctx, i.roundId, { deptId: i.deptId, all: i.all }),
  'rounds.events': (ctx, i) => roundEvents(ctx, i.roundId),
  'rounds.review': (ctx, i) => reviewRound(ctx, i.roundId, { deptId: i.deptId, action: i.action, reason: i.reason, measureIds: i.measureIds }),
  'rounds.close': (ctx, i) => closeRound(ctx, i.roundId),
  'rounds.compare': (ctx, i) => compareRounds(ctx, i.fromId, i.toId),
  'rounds.latest': (ctx) => latestClosedRound(ctx),
  'rounds.scores': (ctx, i) => roundScores(ctx, i.roundId),
  'rounds.getScoreRules': (ctx) => getScoreRules(ctx),
  'rounds.setScoreRules': (ctx, i) => setScoreRules(ctx, i),
};
