// The 任务分工台账: reading rows and changing allocations, always with an audit entry per field.
import type { City, MeasureEdit, MeasurePatch, MeasureRow, MeasureSearchHit, MeasureSearchResult } from '../../shared/domain';
import { CITIES, isIsoDate } from '../../shared/domain';
import type { MeasureDbRow } from '../db/queries';
import { AuditWriter, ServiceError, type ServiceContext } from './context';

function toRow(r: MeasureDbRow, co: number[], cities: City[]): MeasureRow {
  return {
    id: r.id,
    chapterNo: r.chapter_no,
    chapterTitle: r.chapter_title,
    sectionNo: r.section_no,
    sectionTitle: r.section_title,
    taskId: r.task_id,
    taskTitle: r.task_title,
    text: r.text,
    actionable: r.actionable === 1,
    leadId: r.lead_id,
    leadConfirmed: r.lead_confirmed === 1,
    suggestReason: r.lead_confirmed === 1 ? null : r.suggest_reason,
    coIds: co,
    cities: CITIES.filter((c) => cities.includes(c)),
    deadline: r.deadline,
    status: r.status,
    progress: r.progress,
    note: r.note,
    updatedAt: r.updated_at,
  };
}

export function listMeasures(ctx: ServiceContext): MeasureRow[] {
  const co = new Map<string, number[]>();
  for (const r of ctx.q.allCo()) (co.get(r.measure_id) ?? co.set(r.measure_id, []).get(r.measure_id)!).push(r.dept_id);
  const cities = new Map<string, City[]>();
  for (const r of ctx.q.allCities()) (cities.get(r.measure_id) ?? cities.set(r.measure_id, []).get(r.measure_id)!).push(r.city);
  return ctx.q.measures().map((r) => toRow(r, co.get(r.id) ?? [], cities.get(r.id) ?? []));
}

/** What an edit reads and writes of a measure (and its text, to name it). */
export type MeasureState = Pick<MeasureRow, 'id' | 'text' | 'leadId' | 'leadConfirmed' | 'coIds' | 'cities' | 'deadline' | 'status' | 'progress' | 'note'>;

/**
 * The state of every measure, by id: listMeasures without the plan's titles and the ordering
 * (a third of the cost), for an import's diff and apply.
 */
export function measureStates(ctx: ServiceContext): Map<string, MeasureState> {
  const co = new Map<string, number[]>();
  for (const r of ctx.q.allCo()) (co.get(r.measure_id) ?? co.set(r.measure_id, []).get(r.measure_id)!).push(r.dept_id);
  const cities = new Map<string, City[]>();
  for (const r of ctx.q.allCities()) (cities.get(r.measure_id) ?? cities.set(r.measure_id, []).get(r.measure_id)!).push(r.city);
  const out = new Map<string, MeasureState>();
  for (const r of ctx.q.measureStates()) {
    const cs = cities.get(r.id);
    out.set(r.id, {
      id: r.id,
      text: r.text,
      leadId: r.lead_id,
      leadConfirmed: r.lead_confirmed === 1,
      coIds: co.get(r.id) ?? [],
      cities: cs ? CITIES.filter((c) => cs.includes(c)) : [],
      deadline: r.deadline,
      status: r.status,
      progress: r.progress,
      note: r.note,
    });
  }
  return out;
}

export function getMeasure(ctx: ServiceContext, id: string): MeasureRow {
  const r = ctx.q.measure(id);
  if (!r) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的措施`);
  return toRow(r, ctx.q.coOf(id), ctx.q.citiesOf(id));
}

function checkDept(ctx: ServiceContext, id: number, measureId: string, role: string): void {
  const d = ctx.q.dept(id);
  if (!d) throw new ServiceError('VALIDATION', `措施 ${measureId}：${role}编号 ${id} 不存在`);
  if (d.state !== '在用') throw new ServiceError('VALIDATION', `措施 ${measureId}：“${d.name}”${d.state}，不能再作为${role}`);
}

const sameList = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Apply a set of edits in one transaction: all of them or none. Each changed field gets an
 * audit row. Setting a lead without saying otherwise confirms it (a person chose it).
 */
export function applyEdits(ctx: ServiceContext, edits: MeasureEdit[], op: string): MeasureRow[];
/**
 * The same for a caller that has just read every row inside its own open transaction (an
 * import): `current` is used (and consumed) instead of reading them again, and only the ids
 * of the measures changed are returned, without reading the rows back.
 */
export function applyEdits(ctx: ServiceContext, edits: MeasureEdit[], op: string, opts: { current: Map<string, MeasureState>; rows: false }): string[];
export function applyEdits(
  ctx: ServiceContext,
  edits: MeasureEdit[],
  op: string,
  opts?: { current: Map<string, MeasureState>; rows: false },
): MeasureRow[] | string[] {
  const touched: string[] = [];
  // many edits (an import, a bulk edit): read every row once instead of three queries per edit
  // (measured: 10,000 imported rows spent most of their apply time in getMeasure)
  const BATCH = 50;
  ctx.db.transaction(() => {
    const audit = new AuditWriter(ctx, op);
    const preloaded: Map<string, MeasureState> | null = opts?.current ?? (edits.length > BATCH ? new Map(listMeasures(ctx).map((m) => [m.id, m])) : null);
    for (const { measureId, patch } of edits) {
      const cur = preloaded?.get(measureId) ?? getMeasure(ctx, measureId);
      const p: MeasurePatch = { ...patch };
      if (p.leadId !== undefined && p.leadConfirmed === undefined) p.leadConfirmed = p.leadId !== null;
      if (p.leadId !== undefined && p.leadId !== null && p.leadId !== cur.leadId) checkDept(ctx, p.leadId, measureId, '牵头单位');
      const lead = p.leadId !== undefined ? p.leadId : cur.leadId;
      if (p.coIds !== undefined) {
        const added = p.coIds.filter((d) => !cur.coIds.includes(d));
        for (const d of added) checkDept(ctx, d, measureId, '配合单位');
        // one department is either the lead or a co-operator of a measure, not both
        p.coIds = [...new Set(p.coIds)].filter((d) => d !== lead);
      } else if (p.leadId !== undefined && p.leadId !== null && cur.coIds.includes(p.leadId)) {
        p.coIds = cur.coIds.filter((d) => d !== p.leadId);
      }
      if (p.cities !== undefined) p.cities = CITIES.filter((c) => p.cities!.includes(c));
      if (p.deadline !== undefined && p.deadline !== null && !isIsoDate(p.deadline)) {
        throw new ServiceError('VALIDATION', `措施 ${measureId}：完成时限“${p.deadline}”不是有效日期`);
      }
      let changed = false;
      const at = audit.at;
      if (p.leadId !== undefined && p.leadId !== cur.leadId) {
        ctx.q.updateMeasureColumn(measureId, 'lead_id', p.leadId, at);
        audit.field('measure', measureId, 'leadId', cur.leadId, p.leadId);
        changed = true;
      }
      if (p.leadConfirmed !== undefined && p.leadConfirmed !== cur.leadConfirmed) {
        ctx.q.updateMeasureColumn(measureId, 'lead_confirmed', p.leadConfirmed ? 1 : 0, at);
        audit.field('measure', measureId, 'leadConfirmed', cur.leadConfirmed, p.leadConfirmed);
        changed = true;
      }
      if (p.coIds !== undefined && !sameList(p.coIds, cur.coIds)) {
        ctx.q.setCo(measureId, p.coIds);
        audit.field('measure', measureId, 'coIds', cur.coIds, p.coIds);
        changed = true;
      }
      if (p.cities !== undefined && !sameList(p.cities, cur.cities)) {
        ctx.q.setCities(measureId, p.cities);
        audit.field('measure', measureId, 'cities', cur.cities, p.cities);
        changed = true;
      }
      for (const [key, column] of [
        ['deadline', 'deadline'],
        ['status', 'status'],
        ['progress', 'progress'],
        ['note', 'note'],
      ] as const) {
        const v = p[key];
        if (v !== undefined && v !== cur[key]) {
          ctx.q.updateMeasureColumn(measureId, column, v, at);
          audit.field('measure', measureId, key, cur[key], v);
          changed = true;
        }
      }
      if (changed) {
        ctx.q.touchMeasure(measureId, at);
        touched.push(measureId);
        // a later edit of the same measure in this batch must see this one
        preloaded?.delete(measureId);
      }
    }
  })();
  const ids = [...new Set(touched)];
  if (opts?.rows === false) return ids;
  if (ids.length > BATCH) {
    const after = new Map(listMeasures(ctx).map((m) => [m.id, m]));
    return ids.map((id) => after.get(id)!);
  }
  return ids.map((id) => getMeasure(ctx, id));
}

/** Confirm the suggested leads of these measures as they are. */
export function confirmSuggestions(ctx: ServiceContext, ids: string[]): MeasureRow[] {
  const edits: MeasureEdit[] = [];
  for (const id of ids) {
    const m = getMeasure(ctx, id);
    if (!m.leadConfirmed && m.leadId !== null) edits.push({ measureId: id, patch: { leadConfirmed: true } });
  }
  if (edits.length === 0) return [];
  return applyEdits(ctx, edits, '确认建议');
}

// ---------------------------------------------------------------- search over the measures

interface MeasureIndex {
  key: string;
  /** id, text, progress and note of every measure, lower-cased, joined with \u0001 between fields and \u0002 between rows */
  hay: string;
  starts: Int32Array;
  rows: { id: string; taskId: string; text: string; progress: string; note: string }[];
}

const measureIndexes = new WeakMap<ServiceContext, MeasureIndex>();
const FIELD_SEP = '\u0001';
const ROW_SEP = '\u0002';

/** Any write on this connection (total_changes) or another one (data_version) invalidates the index. */
function indexKey(ctx: ServiceContext): string {
  return ctx.q.changeMark();
}

function measureIndex(ctx: ServiceContext): MeasureIndex {
  const key = indexKey(ctx);
  const cur = measureIndexes.get(ctx);
  if (cur && cur.key === key) return cur;
  const rows = ctx.q.searchableMeasures();
  const starts = new Int32Array(rows.length + 1);
  const parts: string[] = new Array(rows.length);
  let at = 0;
  rows.forEach((r, i) => {
    starts[i] = at;
    const s = r.id + FIELD_SEP + r.text + FIELD_SEP + r.progress + FIELD_SEP + r.note + ROW_SEP;
    parts[i] = s;
    at += s.length;
  });
  starts[rows.length] = at;
  const ix = { key, hay: parts.join('').toLowerCase(), starts, rows };
  measureIndexes.set(ctx, ix);
  return ix;
}

function rowAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Substring search over every measure's id, text, progress and note (two-character terms
 * included; no tokenizer). Kept in memory per connection and rebuilt after any write.
 */
export function searchMeasures(ctx: ServiceContext, query: string, limit = 200): MeasureSearchResult {
  const q = query.trim();
  if (!q || q.includes(FIELD_SEP) || q.includes(ROW_SEP)) return { query: q, total: 0, hits: [] };
  const ix = measureIndex(ctx);
  const needle = q.toLowerCase();
  const hits: MeasureSearchHit[] = [];
  let total = 0;
  let from = 0;
  for (;;) {
    const pos = ix.hay.indexOf(needle, from);
    if (pos < 0) break;
    const k = rowAt(ix.starts, pos);
    total++;
    if (hits.length < limit) {
      const r = ix.rows[k];
      const local = pos - ix.starts[k];
      const fields = [r.id, r.text, r.progress, r.note];
      let f = 0;
      let off = local;
      while (f < 3 && off > fields[f].length) {
        off -= fields[f].length + 1;
        f++;
      }
      const text = fields[f];
      const start = Math.max(0, off - 30);
      const end = Math.min(text.length, off + q.length + 50);
      hits.push({
        id: r.id,
        taskId: r.taskId,
        field: (['id', 'text', 'progress', 'note'] as const)[f],
        snippet: (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : ''),
      });
    }
    from = ix.starts[k + 1];
  }
  return { query: q, total, hits };
}
