// 联网报送 (issues 18 and 20): a department reports its part of a round from its own copy instead of
// returning a ledger file. The reports land in the same rows a collected file makes (a submission
// with a report per measure, the department 已报送, a 收取 entry in the round's record), and travel
// to the server like every step of a round; the office reviews them with the same 采纳 / 退回.
// Only while the round is open and the department's state is 未报送 or 已退回; a co-operating
// department reports notes only (the server checks the same rules again with its own rights).
import { createHash } from 'node:crypto';
import { STATUSES, type Status } from '../../shared/domain';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import { queueRoundDept, queueSubmission } from '../core/sync-rounds';
import { actorName, openRoundRow, recordEvent, roundDeptRow, rq } from './rounds';
import { measureStates } from './measures';

export interface OnlineReportRow {
  measureId: string;
  status?: Status;
  progress?: string;
  note?: string;
}

export const ONLINE_FILE_NAME = '联网报送';
const FIELDS = ['status', 'progress', 'note'] as const;
const MAX_TEXT = 4000;

/** A department's report of its part of a round, made in its own copy. */
export function reportOnline(ctx: ServiceContext, roundId: number, deptId: number, rows: OnlineReportRow[]): { department: string; reports: number; changed: number; sha256: string } {
  const round = openRoundRow(ctx, roundId);
  const dept = roundDeptRow(ctx, round, deptId);
  if (dept.state !== '未报送' && dept.state !== '已退回') {
    throw new ServiceError('CONFLICT', `${dept.name}在“${round.title}”中的状态为“${dept.state}”，只有未报送或被退回后才能报送`);
  }
  const q = rq(ctx);
  const part = new Map(q.roundMeasures(roundId, deptId).map((m) => [m.measure_id, m.role]));
  const given = new Map<string, OnlineReportRow>();
  for (const r of rows) {
    if (!part.has(r.measureId)) throw new ServiceError('VALIDATION', `措施 ${r.measureId} 不属于${dept.name}本轮的报送范围`);
    if (given.has(r.measureId)) throw new ServiceError('VALIDATION', `措施 ${r.measureId} 报送了两次`);
    if (r.status !== undefined && !(STATUSES as readonly string[]).includes(r.status)) throw new ServiceError('VALIDATION', `措施 ${r.measureId} 的状态“${r.status}”无效，应为 ${STATUSES.join('、')}`);
    for (const f of ['progress', 'note'] as const) {
      const v = r[f];
      if (v !== undefined && (typeof v !== 'string' || v.length > MAX_TEXT)) throw new ServiceError('VALIDATION', `措施 ${r.measureId} 的${f === 'progress' ? '进展' : '备注'}应为不超过 ${MAX_TEXT} 字的文字`);
    }
    given.set(r.measureId, r);
  }
  if (!given.size) throw new ServiceError('VALIDATION', '没有要报送的措施');
  let out = { department: dept.name, reports: 0, changed: 0, sha256: '' };
  ctx.db.transaction(() => {
    const cur = measureStates(ctx);
    // every measure of the part is reported (what is here now, with the department's changes), as a returned ledger is
    const values = [...part.keys()].sort().map((id) => {
      const m = cur.get(id)!;
      const g = given.get(id);
      const v = { measure_id: id, status: m.status as Status, progress: m.progress, note: m.note, changed: [] as string[] };
      for (const f of FIELDS) {
        const x = g?.[f];
        if (x !== undefined && x !== v[f]) {
          (v as Record<string, unknown>)[f] = x;
          v.changed.push(f);
        }
      }
      if (part.get(id) === '配合' && v.changed.some((f) => f !== 'note')) throw new ServiceError('FORBIDDEN', `措施 ${id} 由其他单位牵头，${dept.name}作为配合单位只能报送备注`);
      return v;
    });
    const audit = new AuditWriter(ctx, `联网报送（${dept.name}）`);
    const body = JSON.stringify({ round: roundId, dept: deptId, at: audit.at, reports: values });
    const sha = createHash('sha256').update(body).digest('hex');
    const before = q.liveSubmission(roundId, deptId);
    const subId = q.insertSubmission({
      round_id: roundId,
      dept_id: deptId,
      file_name: ONLINE_FILE_NAME,
      sha256: sha,
      bytes: Buffer.byteLength(body),
      received_at: audit.at,
      collected_at: audit.at,
      actor: actorName(ctx),
      matched_by: 'meta',
      rows: values.length,
    });
    if (before) {
      q.supersede(before.id, subId);
      audit.field('round_submission', String(before.id), 'supersededBy', null, subId);
    }
    for (const v of values) q.insertReport({ submission_id: subId, round_id: roundId, dept_id: deptId, measure_id: v.measure_id, status: v.status, progress: v.progress, note: v.note, changed: JSON.stringify(v.changed) });
    audit.field('round_submission', String(subId), 'file', null, ONLINE_FILE_NAME);
    queueSubmission(ctx, audit, roundId, subId);
    const changed = values.filter((v) => v.changed.length > 0).length;
    // the record before the state: the server takes a department's receipt only while it is still to report
    recordEvent(ctx, roundId, deptId, '收取', { file: ONLINE_FILE_NAME, online: true, sha256: sha, reports: values.length, changed, replaced: before ? true : null }, audit.at);
    // punctuality is judged by the first receipt, as for a returned file
    const firstAt = dept.state === '未报送' || dept.received_at === null ? audit.at : dept.received_at;
    q.setDeptState(roundId, deptId, '已报送', firstAt, null);
    audit.field('round_dept', `${roundId}:${deptId}`, 'state', dept.state, '已报送');
    queueRoundDept(ctx, audit, dept);
    out = { department: dept.name, reports: values.length, changed, sha256: sha };
  })();
  return out;
}
