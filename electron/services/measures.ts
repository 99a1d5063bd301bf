// The 任务分工台账: reading rows and changing allocations, always with an audit entry per field.
import type { MeasureFacts, MeasurePage } from '../../shared/ipc/contract';
import type { City, MeasureEdit, MeasurePatch, MeasureRow, MeasureSearchHit, MeasureSearchResult } from '../../shared/domain';
import { CITIES, isIsoDate } from '../../shared/domain';
import type { MeasureColumn, MeasureDbRow, MeasureListsDbRow, TaskMeasureDbRow } from '../db/queries';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

type TaskTitles = Pick<MeasureDbRow, 'task_id' | 'chapter_no' | 'chapter_title' | 'section_no' | 'section_title' | 'task_title'>;

/** A measure row from its columns and its task's titles (the same row, or the task read apart); cities in CITIES order. */
function rowOf(r: Omit<MeasureDbRow, keyof TaskTitles>, t: TaskTitles, leads: number[], co: number[], cities: City[]): MeasureRow {
  return {
    id: r.id,
    chapterNo: t.chapter_no,
    chapterTitle: t.chapter_title,
    sectionNo: t.section_no,
    sectionTitle: t.section_title,
    taskId: t.task_id,
    taskTitle: t.task_title,
    text: r.text,
    actionable: r.actionable === 1,
    leadIds: leads,
    leadId: leads.length ? leads[0] : null,
    leadConfirmed: r.lead_confirmed === 1,
    suggestReason: r.lead_confirmed === 1 ? null : r.suggest_reason,
    suggestUnsure: r.lead_confirmed !== 1 && r.suggest_unsure === 1,
    coIds: co,
    cities,
    deadline: r.deadline,
    status: r.status,
    progress: r.progress,
    note: r.note,
    updatedAt: r.updated_at,
  };
}

function toRow(r: MeasureDbRow, leads: number[], co: number[], cities: City[]): MeasureRow {
  return rowOf(r, r, leads, co, CITIES.filter((c) => cities.includes(c)));
}

/** every measure's department list of this kind (leads or co-operators), in order, by measure id */
function listsBy(rows: { measure_id: string; dept_id: number }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) (out.get(r.measure_id) ?? out.set(r.measure_id, []).get(r.measure_id)!).push(r.dept_id);
  return out;
}

/** a comma-separated id list as group_concat gives it ('3,17'; null: none) */
export function idsOfList(s: string | null): number[] {
  return s ? s.split(',').map(Number) : [];
}

export function listMeasures(ctx: ServiceContext): MeasureRow[] {
  const leads = listsBy(ctx.q.allLeads());
  const co = listsBy(ctx.q.allCo());
  const cities = new Map<string, City[]>();
  for (const r of ctx.q.allCities()) (cities.get(r.measure_id) ?? cities.set(r.measure_id, []).get(r.measure_id)!).push(r.city);
  return ctx.q.measures().map((r) => toRow(r, leads.get(r.id) ?? [], co.get(r.id) ?? [], cities.get(r.id) ?? []));
}

type TaskInfo = ReturnType<ServiceContext['q']['measureTasks']>[number];
const taskLists = new WeakMap<ServiceContext, { key: string; tasks: TaskInfo[]; index: Map<string, number>; total: number }>();

/** The tasks in grid order, kept per connection until the next write (like the search index). */
function measureTasks(ctx: ServiceContext) {
  const key = ctx.q.changeMark();
  const cur = taskLists.get(ctx);
  if (cur && cur.key === key) return cur;
  const tasks = ctx.q.measureTasks();
  const v = { key, tasks, index: new Map(tasks.map((t, i) => [t.task_id, i])), total: tasks.reduce((s, t) => s + t.n, 0) };
  taskLists.set(ctx, v);
  return v;
}

/** a comma-separated city list (group_concat) in CITIES order, as toRow gives it; the few distinct lists kept */
const cityLists = new Map<string, City[]>();
export function citiesOfList(s: string | null): City[] {
  if (s === null) return [];
  let c = cityLists.get(s);
  if (!c) {
    const listed = s.split(',');
    c = CITIES.filter((x) => listed.includes(x));
    if (cityLists.size < 64) cityLists.set(s, c);
  }
  return c.slice();
}

/** a measure of a page of the ledger, read with its lists and with its task's titles apart */
function taskMeasureRow(r: TaskMeasureDbRow, t: TaskTitles): MeasureRow {
  return rowOf(r, t, idsOfList(r.lead_list), idsOfList(r.co_list), citiesOfList(r.city_list));
}

/**
 * One page of the ledger in the grid's order (chapter, section, task, measure), after the
 * measure `after` (from the start when null). Walks the tasks and reads each one's measures
 * through the (task_id, ord) index, so a page costs its own rows, not a read and sort of all of
 * them, and the main process is never held up by one long read: a page of 2,000 rows at 100,000
 * measures takes a few hundred ms at most, and other requests (an edit) are served between pages.
 */
export function listMeasuresPage(ctx: ServiceContext, after: string | null, limit: number): MeasurePage {
  const { tasks, index, total } = measureTasks(ctx);
  let ti = 0;
  let ord = Number.MIN_SAFE_INTEGER;
  if (after) {
    const pos = ctx.q.measurePosition(after);
    const at = pos ? index.get(pos.task_id) : undefined;
    if (!pos || at === undefined) throw new ServiceError('NOT_FOUND', `没有编号为 ${after} 的措施，请刷新后重试`);
    ti = at;
    ord = pos.ord;
  }
  const rows: MeasureRow[] = [];
  while (rows.length < limit && ti < tasks.length) {
    const t = tasks[ti];
    const want = limit - rows.length;
    const got = ctx.q.measuresOfTaskAfter(t.task_id, ord, want);
    for (const r of got) rows.push(taskMeasureRow(r, t));
    if (got.length < want) {
      ti++;
      ord = Number.MIN_SAFE_INTEGER;
    } else break;
  }
  const next = rows.length === limit && rows.length < total ? rows[rows.length - 1].id : null;
  return { total, rows, next };
}

/**
 * What the dashboard counts, for every actionable measure, column by column and without the
 * texts (the dashboard used to read every full row for this). cities: a bit per CITIES entry.
 */
export function measureFacts(ctx: ServiceContext): MeasureFacts {
  const bit = new Map(CITIES.map((c, i) => [c as string, 1 << i]));
  const mask = new Map<string, number>();
  for (const r of ctx.q.allCities()) mask.set(r.measure_id, (mask.get(r.measure_id) ?? 0) | (bit.get(r.city) ?? 0));
  const rows = ctx.q.measureFactRows();
  const chapterOf = new Map(measureTasks(ctx).tasks.map((t) => [t.task_id, t.chapter_no]));
  const out: MeasureFacts = {
    chapters: ctx.q.chapterTitles(),
    ids: [],
    status: [],
    deadline: [],
    leadId: [],
    leadIds: [],
    leadConfirmed: [],
    chapterNo: [],
    cities: [],
  };
  for (const [id, status, deadline, lead, task, confirmed, leads] of rows) {
    const ch = chapterOf.get(task) ?? 0;
    out.ids.push(id);
    out.status.push(status);
    out.deadline.push(deadline);
    out.leadId.push(lead);
    out.leadIds.push(idsOfList(leads));
    out.leadConfirmed.push(confirmed ? 1 : 0);
    out.chapterNo.push(ch);
    out.cities.push(mask.get(id) ?? 0);
  }
  return out;
}

/** These measures, in the order asked (each once; unknown ids left out). */
export function getMeasures(ctx: ServiceContext, ids: string[]): MeasureRow[] {
  const unique = [...new Set(ids)];
  const byId = new Map(ctx.q.measuresByIds(unique).map((r) => [r.id, withLists(r)]));
  const out: MeasureRow[] = [];
  for (const id of unique) {
    const m = byId.get(id);
    if (m) out.push(m);
  }
  return out;
}

/** A row whose co-operating departments and cities SQLite aggregated. */
function withLists(r: MeasureListsDbRow): MeasureRow {
  return toRow(r, idsOfList(r.lead_list), idsOfList(r.co_list), r.city_list ? (r.city_list.split(',') as City[]) : []);
}

/** What an edit reads and writes of a measure (and its text, to name it). */
export type MeasureState = Pick<MeasureRow, 'id' | 'text' | 'leadIds' | 'leadId' | 'leadConfirmed' | 'coIds' | 'cities' | 'deadline' | 'status' | 'progress' | 'note'>;

/**
 * The state of every measure, by id: listMeasures without the plan's titles and the ordering
 * (a third of the cost), for an import's diff and apply.
 */
export function measureStates(ctx: ServiceContext): Map<string, MeasureState> {
  const leads = listsBy(ctx.q.allLeads());
  const co = listsBy(ctx.q.allCo());
  const cities = new Map<string, City[]>();
  for (const r of ctx.q.allCities()) (cities.get(r.measure_id) ?? cities.set(r.measure_id, []).get(r.measure_id)!).push(r.city);
  const out = new Map<string, MeasureState>();
  for (const r of ctx.q.measureStates()) {
    const cs = cities.get(r.id);
    const ls = leads.get(r.id) ?? [];
    out.set(r.id, {
      id: r.id,
      text: r.text,
      leadIds: ls,
      leadId: ls.length ? ls[0] : null,
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

/** The actionable measures of a draft's scope (see Queries.measuresInScope), in plan order, as rows. */
export function listMeasuresInScope(ctx: ServiceContext, scope: string[], city: string | null, deptId: number | null): MeasureRow[] {
  return ctx.q.measuresInScope(scope, city, deptId).map(withLists);
}

export function getMeasure(ctx: ServiceContext, id: string): MeasureRow {
  const r = ctx.q.measure(id);
  if (!r) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的措施`);
  return toRow(r, ctx.q.leadsOf(id), ctx.q.coOf(id), ctx.q.citiesOf(id));
}

function checkDept(ctx: ServiceContext, id: number, measureId: string, role: string): void {
  const d = ctx.q.dept(id);
  if (!d) throw new ServiceError('VALIDATION', `措施 ${measureId}：${role}编号 ${id} 不存在`);
  if (d.state !== '在用') throw new ServiceError('VALIDATION', `措施 ${measureId}：“${d.name}”${d.state}，不能再作为${role}`);
}

const sameList = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Apply a set of edits in one transaction: all of them or none. Each changed field gets an
 * audit row (the ordered list of leads is one field: one row with the old and the new list).
 * Setting leads without saying otherwise confirms them (a person chose them).
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
      if (p.leadIds !== undefined) {
        // the order is the meaning (the first is 主责); a department named twice counts once, where first named
        p.leadIds = [...new Set(p.leadIds)];
        if (p.leadConfirmed === undefined) p.leadConfirmed = p.leadIds.length > 0;
        for (const d of p.leadIds) if (!cur.leadIds.includes(d)) checkDept(ctx, d, measureId, '牵头单位');
      }
      const leads = p.leadIds ?? cur.leadIds;
      if (p.coIds !== undefined) {
        const added = p.coIds.filter((d) => !cur.coIds.includes(d));
        for (const d of added) checkDept(ctx, d, measureId, '配合单位');
        // one department is either a lead or a co-operator of a measure, not both
        p.coIds = [...new Set(p.coIds)].filter((d) => !leads.includes(d));
      } else if (p.leadIds !== undefined && cur.coIds.some((d) => leads.includes(d))) {
        p.coIds = cur.coIds.filter((d) => !leads.includes(d));
      }
      if (p.cities !== undefined) p.cities = CITIES.filter((c) => p.cities!.includes(c));
      if (p.deadline !== undefined && p.deadline !== null && !isIsoDate(p.deadline)) {
        throw new ServiceError('VALIDATION', `措施 ${measureId}：完成时限“${p.deadline}”不是有效日期`);
      }
      let changed = false;
      const at = audit.at;
      // the columns changed, set in one statement with updated_at
      const sets: [MeasureColumn, string | number | null][] = [];
      if (p.leadIds !== undefined && !sameList(p.leadIds, cur.leadIds)) {
        // measure.lead_id follows the list's first in the same statement's triggers (migration 10)
        ctx.q.setLeads(measureId, p.leadIds);
        audit.field('measure', measureId, 'leadIds', cur.leadIds, p.leadIds);
        changed = true;
      }
      if (p.leadConfirmed !== undefined && p.leadConfirmed !== cur.leadConfirmed) {
        sets.push(['lead_confirmed', p.leadConfirmed ? 1 : 0]);
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
          sets.push([column, v]);
          audit.field('measure', measureId, key, cur[key], v);
          changed = true;
        }
      }
      if (changed) {
        ctx.q.updateMeasure(measureId, sets, at);
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
    if (!m.leadConfirmed && m.leadIds.length > 0) edits.push({ measureId: id, patch: { leadConfirmed: true } });
  }
  if (edits.length === 0) return [];
  return applyEdits(ctx, edits, '确认建议');
}

// ---------------------------------------------------------------- search over the measures

type SearchRow = { id: string; taskId: string; text: string; progress: string; note: string };

/**
 * Rows in chunks of CHUNK: a change re-joins only its chunk's text. `hay` holds id, text,
 * progress and note of each row, lower-cased, joined with \u0001 between fields and \u0002
 * between rows; `starts[k]` is where row k begins.
 */
interface Chunk {
  rows: SearchRow[];
  hay: string;
  starts: Int32Array;
}

interface MeasureIndex {
  /** connection change mark when last brought up to date */
  key: string;
  /** last measure_change entry applied, and the restore epoch it belongs to */
  seq: number;
  epoch: string;
  chunks: Chunk[];
  /** measure id → its chunk */
  where: Map<string, Chunk>;
}

const measureIndexes = new WeakMap<ServiceContext, MeasureIndex>();
const FIELD_SEP = '\u0001';
const ROW_SEP = '\u0002';
const CHUNK = 2048;
/** more changed measures than this since the index was built: read everything again */
const MAX_INCREMENTAL = 20_000;

function joinChunk(c: Chunk): void {
  const parts: string[] = new Array(c.rows.length);
  const starts = new Int32Array(c.rows.length + 1);
  let at = 0;
  c.rows.forEach((r, i) => {
    starts[i] = at;
    const s = r.id + FIELD_SEP + r.text + FIELD_SEP + r.progress + FIELD_SEP + r.note + ROW_SEP;
    parts[i] = s;
    at += s.length;
  });
  starts[c.rows.length] = at;
  c.hay = parts.join('').toLowerCase();
  c.starts = starts;
}

function buildIndex(ctx: ServiceContext, key: string): MeasureIndex {
  // the log state first: a write landing during the read is then applied again, never missed
  const state = ctx.q.measureChangeState();
  const rows = ctx.q.searchableMeasures();
  const chunks: Chunk[] = [];
  const where = new Map<string, Chunk>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const c: Chunk = { rows: rows.slice(i, i + CHUNK), hay: '', starts: new Int32Array(1) };
    joinChunk(c);
    chunks.push(c);
    for (const r of c.rows) where.set(r.id, c);
  }
  return { key, seq: state.seq, epoch: state.epoch, chunks, where };
}

/**
 * Bring the index up to date with the measure change log (migration 7): re-read only the
 * measures changed since, whichever connection changed them. False when that is not possible
 * (a restore, or the log no longer reaches back far enough): the caller rebuilds.
 */
function catchUp(ctx: ServiceContext, ix: MeasureIndex): boolean {
  const state = ctx.q.measureChangeState();
  if (state.epoch !== ix.epoch || state.seq < ix.seq) return false;
  if (state.seq === ix.seq) return true;
  if (state.minSeq === null || state.minSeq > ix.seq + 1) return false;
  const ids = ctx.q.changedMeasureIds(ix.seq, MAX_INCREMENTAL + 1);
  if (ids.length > MAX_INCREMENTAL) return false;
  const fresh = new Map(ctx.q.searchableMeasuresByIds(ids).map((r) => [r.id, r]));
  const touched = new Set<Chunk>();
  for (const id of ids) {
    const row = fresh.get(id);
    const c = ix.where.get(id);
    if (c) {
      const k = c.rows.findIndex((r) => r.id === id);
      if (row) c.rows[k] = row;
      else {
        c.rows.splice(k, 1);
        ix.where.delete(id);
      }
      touched.add(c);
    } else if (row) {
      // a new measure: last, as ORDER BY rowid would put it
      let last = ix.chunks[ix.chunks.length - 1];
      if (!last || last.rows.length >= CHUNK) {
        last = { rows: [], hay: '', starts: new Int32Array(1) };
        ix.chunks.push(last);
      }
      last.rows.push(row);
      ix.where.set(id, last);
      touched.add(last);
    }
  }
  for (const c of touched) joinChunk(c);
  ix.seq = state.seq;
  return true;
}

/** Any write on this connection (total_changes) or another one (data_version) is looked at. */
function measureIndex(ctx: ServiceContext): MeasureIndex {
  const key = ctx.q.changeMark();
  const cur = measureIndexes.get(ctx);
  if (cur && cur.key === key) return cur;
  if (cur && catchUp(ctx, cur)) {
    cur.key = key;
    return cur;
  }
  const ix = buildIndex(ctx, key);
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
 * included; no tokenizer). Kept in memory per connection; after a write only the changed
 * measures are read again (the change log of migration 7).
 */
export function searchMeasures(ctx: ServiceContext, query: string, limit = 200): MeasureSearchResult {
  const q = query.trim();
  if (!q || q.includes(FIELD_SEP) || q.includes(ROW_SEP)) return { query: q, total: 0, hits: [] };
  const ix = measureIndex(ctx);
  const needle = q.toLowerCase();
  const hits: MeasureSearchHit[] = [];
  let total = 0;
  for (const c of ix.chunks) {
    let from = 0;
    for (;;) {
      const pos = c.hay.indexOf(needle, from);
      if (pos < 0) break;
      const k = rowAt(c.starts, pos);
      total++;
      if (hits.length < limit) {
        const r = c.rows[k];
        const local = pos - c.starts[k];
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
          text: r.text,
        });
      }
      from = c.starts[k + 1];
    }
  }
  return { query: q, total, hits };
}

/** The measures.* channels (shared/ipc/channels/measures.ts). */
export const measuresHandlers: HandlerTable<ChannelsOf<'measures'>> = {
  'measures.list': (ctx) => listMeasures(ctx),
  'measures.page': (ctx, i) => listMeasuresPage(ctx, i.after, i.limit),
  'measures.get': (ctx, i) => getMeasures(ctx, i.ids),
  'measures.facts': (ctx) => measureFacts(ctx),
  'measures.search': (ctx, i) => searchMeasures(ctx, i.query, i.limit),
  'measures.applyEdits': (ctx, i) => applyEdits(ctx, i.edits, i.op),
  'measures.confirmSuggestions': (ctx, i) => confirmSuggestions(ctx, i.ids),
};
