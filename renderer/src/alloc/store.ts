// The allocation grid's rows outside React: every measure once, in grid order, with the chapter
// and task header rows between them. Rows arrive a page at a time (measures.page) and are appended;
// filtering only flips a `pass` flag per row (the grid's external filter reads it) and recounts
// the headers, so neither a filter nor an edit rebuilds or re-sorts the row list.
import { chapterLabel, sectionLabel, type City, type MeasureRow } from '../../../shared/domain';
import type { DeptIndex } from './clipboard';
import type { GridRow, HeaderGridRow, MeasureGridRow } from './types';

export interface FilterSpec {
  chapter: string;
  lead: string;
  city: string;
  status: string;
  /** lower-cased, trimmed */
  text: string;
  withBackground: boolean;
  /** exactly these measures (from the dashboard); background measures included */
  ids: Set<string> | null;
  grouping: boolean;
}

export const NO_FILTER: FilterSpec = { chapter: '', lead: '', city: '', status: '', text: '', withBackground: false, ids: null, grouping: true };

export interface ChapterOption {
  no: number;
  title: string;
  /** has measures outside the background chapters */
  actionable: boolean;
}

/** rows to a chunk of filter text */
const CHUNK = 1024;
/** between rows in a chunk (never typed into the filter box) */
const ROW_SEP = '\u0002';

interface HayChunk {
  /** the rows' filter texts joined with ROW_SEP */
  hay: string;
  /** where row k of the chunk starts in `hay`; starts[rows] is one past the end (+1) */
  starts: Int32Array;
  rows: number;
}

/** What the text filter looks in: id, texts, progress, note and the departments' names, lower-cased. */
export function rowText(m: MeasureRow, idx: DeptIndex): string {
  return [
    m.id,
    m.text,
    m.taskTitle,
    m.sectionTitle,
    m.chapterTitle,
    m.progress,
    m.note,
    ...m.leadIds.map((id) => idx.byId.get(id)?.name ?? ''),
    ...m.coIds.map((id) => idx.byId.get(id)?.name ?? ''),
  ]
    .join('\n')
    .toLowerCase();
}

function isSuggestion(m: MeasureRow): boolean {
  return m.leadId != null && !m.leadConfirmed;
}

export class LedgerStore {
  /** headers and measures in grid order */
  readonly order: GridRow[] = [];
  readonly byId = new Map<string, MeasureGridRow>();
  private readonly headers = new Map<string, HeaderGridRow>();
  readonly chapters: ChapterOption[] = [];
  measures = 0;
  suggestions = 0;
  visible = 0;
  /** the ledger's size as the server counted it at the first page */
  total = 0;
  private lastCh = -1;
  private lastTask = '';
  private ck = -1;
  private tk = -1;
  /** department names go into the text filter: a new index makes every row's text stale */
  private hayIdx: DeptIndex | null = null;
  /** the rows' filter text, CHUNK rows of `order` to a string (null: to be joined again) */
  private chunks: (HayChunk | null)[] = [];
  /** where each measure sits in `order` */
  private pos = new Map<string, number>();

  /** Add a page of measures (in grid order, after the ones already here). Returns where the new rows start in `order`. */
  append(ms: MeasureRow[]): number {
    const start = this.order.length;
    for (const m of ms) {
      if (this.byId.has(m.id)) continue;
      if (m.chapterNo !== this.lastCh) {
        this.lastCh = m.chapterNo;
        this.ck++;
        this.tk = -1;
        this.lastTask = '';
        const h: HeaderGridRow = { kind: 'chapter', id: `ch-${m.chapterNo}`, label: `${chapterLabel(m.chapterNo)}　${m.chapterTitle}`, count: 0, ck: this.ck, tk: -1, pass: false };
        this.headers.set(h.id, h);
        this.order.push(h);
        this.chapters.push({ no: m.chapterNo, title: m.chapterTitle, actionable: false });
      }
      if (m.actionable) this.chapters[this.chapters.length - 1].actionable = true;
      if (m.taskId !== this.lastTask) {
        this.lastTask = m.taskId;
        this.tk++;
        const h: HeaderGridRow = {
          kind: 'task',
          id: `task-${m.taskId}`,
          label: `${sectionLabel(m.sectionNo)} ${m.sectionTitle}　›　${m.taskId}　${m.taskTitle}`,
          count: 0,
          ck: this.ck,
          tk: this.tk,
          pass: false,
        };
        this.headers.set(h.id, h);
        this.order.push(h);
      }
      const row: MeasureGridRow = { kind: 'measure', id: m.id, m, ck: this.ck, tk: this.tk, pass: false };
      this.byId.set(m.id, row);
      this.pos.set(m.id, this.order.length);
      this.order.push(row);
      this.measures++;
      if (isSuggestion(m)) this.suggestions++;
    }
    return start;
  }

  /**
   * The filter text of rows CHUNK·c … CHUNK·(c+1)−1, joined into one string: a text filter is a few
   * indexOf calls over each chunk instead of one `includes` per row (a Map lookup and a scan of a
   * short string each: at 100,000 rows most of the filter's own time). Rebuilt when rows were added
   * to it, a row in it was replaced, or the department index changed.
   */
  private chunk(c: number, idx: DeptIndex): HayChunk {
    const base = c * CHUNK;
    const end = Math.min(this.order.length, base + CHUNK);
    const have = this.chunks[c];
    if (have && have.rows === end - base) return have;
    const parts: string[] = [];
    const starts = new Int32Array(end - base + 1);
    let off = 0;
    for (let i = base; i < end; i++) {
      const r = this.order[i];
      const s = r.kind === 'measure' ? rowText(r.m, idx) : '';
      starts[i - base] = off;
      parts.push(s);
      off += s.length + 1;
    }
    starts[end - base] = off;
    const ch: HayChunk = { hay: parts.join(ROW_SEP), starts, rows: end - base };
    this.chunks[c] = ch;
    return ch;
  }

  /** 1 at the places in `order` (from `from` on) of the measures whose filter text holds `q` */
  private matchText(q: string, idx: DeptIndex, from: number): Uint8Array {
    if (this.hayIdx !== idx) {
      this.hayIdx = idx;
      this.chunks = [];
    }
    const n = this.order.length;
    const hits = new Uint8Array(n);
    for (let c = Math.floor(from / CHUNK); c * CHUNK < n; c++) {
      const { hay, starts } = this.chunk(c, idx);
      const base = c * CHUNK;
      let k = 0;
      let at = hay.indexOf(q);
      while (at >= 0) {
        // the row holding `at` (a match never crosses ROW_SEP: q is typed text); then on from the next row
        while (starts[k + 1] <= at) k++;
        hits[base + k] = 1;
        at = hay.indexOf(q, starts[k + 1]);
      }
    }
    return hits;
  }

  /** Build the filter text of rows from `from` on ahead of the first text filter. */
  warm(idx: DeptIndex, from = 0): void {
    if (this.hayIdx !== idx) {
      this.hayIdx = idx;
      this.chunks = [];
    }
    for (let c = Math.floor(from / CHUNK); c * CHUNK < this.order.length; c++) this.chunk(c, idx);
  }

  /** the filters other than the text */
  private passesFields(m: MeasureRow, f: FilterSpec): boolean {
    if (f.ids) {
      if (!f.ids.has(m.id)) return false;
    } else if (!f.withBackground && !m.actionable) return false;
    if (f.chapter && String(m.chapterNo) !== f.chapter) return false;
    if (f.lead) {
      if (f.lead === 'none') {
        if (m.leadId != null) return false;
      } else if (f.lead === 'suggested') {
        if (m.leadId == null || m.leadConfirmed) return false;
        // any of its leads (共同牵头 too)
      } else if (!m.leadIds.some((id) => String(id) === f.lead)) return false;
    }
    if (f.city && !m.cities.includes(f.city as City)) return false;
    if (f.status && m.status !== f.status) return false;
    return true;
  }

  /** one measure against the filters (a saved row; a whole ledger goes through refilter) */
  passes(m: MeasureRow, f: FilterSpec, idx: DeptIndex): boolean {
    return this.passesFields(m, f) && (!f.text || rowText(m, idx).includes(f.text));
  }

  /**
   * Work out `pass` for the rows from `from` on (all of them by default) and recount every
   * header. Header rows are changed in place; the ones whose count or visibility changed are
   * returned so the grid can redraw them.
   */
  refilter(f: FilterSpec, idx: DeptIndex, from = 0): HeaderGridRow[] {
    const hits = f.text ? this.matchText(f.text, idx, from) : null;
    for (let i = from; i < this.order.length; i++) {
      const r = this.order[i];
      if (r.kind === 'measure') r.pass = (hits === null || hits[i] === 1) && this.passesFields(r.m, f);
    }
    return this.recount(f);
  }

  /** Header counts and visibility from the rows' `pass` flags. */
  recount(f: FilterSpec): HeaderGridRow[] {
    // chapters and tasks are numbered in order (ck, tk within the chapter): count by position
    const chCount: number[] = [];
    const taskCount: number[][] = [];
    let visible = 0;
    for (const r of this.order) {
      if (r.kind !== 'measure' || !r.pass) continue;
      visible++;
      chCount[r.ck] = (chCount[r.ck] ?? 0) + 1;
      const t = taskCount[r.ck] ?? (taskCount[r.ck] = []);
      t[r.tk] = (t[r.tk] ?? 0) + 1;
    }
    this.visible = visible;
    const changed: HeaderGridRow[] = [];
    for (const h of this.headers.values()) {
      const count = (h.kind === 'chapter' ? chCount[h.ck] : taskCount[h.ck]?.[h.tk]) ?? 0;
      const pass = f.grouping && count > 0;
      if (count !== h.count || pass !== h.pass) {
        h.count = count;
        h.pass = pass;
        changed.push(h);
      }
    }
    return changed;
  }

  /**
   * A measure as saved: a new grid row object for it (same id, same place). `moved` says its
   * `pass` changed, so the headers were recounted and the grid has to filter again.
   */
  replace(m: MeasureRow, f: FilterSpec, idx: DeptIndex): { row: MeasureGridRow; moved: boolean; headers: HeaderGridRow[] } | null {
    const old = this.byId.get(m.id);
    if (!old) return null;
    const row: MeasureGridRow = { ...old, m, pass: this.passes(m, f, idx) };
    this.byId.set(m.id, row);
    const at = this.pos.get(m.id)!;
    this.order[at] = row;
    this.chunks[Math.floor(at / CHUNK)] = null;
    this.suggestions += Number(isSuggestion(m)) - Number(isSuggestion(old.m));
    if (row.pass === old.pass) return { row, moved: false, headers: [] };
    return { row, moved: true, headers: this.recount(f) };
  }

  /** the measures, in grid order */
  measureRows(): MeasureRow[] {
    const out: MeasureRow[] = [];
    for (const r of this.order) if (r.kind === 'measure') out.push(r.m);
    return out;
  }
}
