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
  private hay = new Map<string, string>();
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

  private text(m: MeasureRow, idx: DeptIndex): string {
    if (this.hayIdx !== idx) {
      this.hayIdx = idx;
      this.hay = new Map();
    }
    let s = this.hay.get(m.id);
    if (s === undefined) {
      s = [
        m.id,
        m.text,
        m.taskTitle,
        m.sectionTitle,
        m.chapterTitle,
        m.progress,
        m.note,
        m.leadId != null ? (idx.byId.get(m.leadId)?.name ?? '') : '',
        ...m.coIds.map((id) => idx.byId.get(id)?.name ?? ''),
      ]
        .join('\n')
        .toLowerCase();
      this.hay.set(m.id, s);
    }
    return s;
  }

  /** Build the filter text of rows from `from` on ahead of the first text filter. */
  warm(idx: DeptIndex, from = 0): void {
    for (let i = from; i < this.order.length; i++) {
      const r = this.order[i];
      if (r.kind === 'measure') this.text(r.m, idx);
    }
  }

  passes(m: MeasureRow, f: FilterSpec, idx: DeptIndex): boolean {
    if (f.ids) {
      if (!f.ids.has(m.id)) return false;
    } else if (!f.withBackground && !m.actionable) return false;
    if (f.chapter && String(m.chapterNo) !== f.chapter) return false;
    if (f.lead) {
      if (f.lead === 'none') {
        if (m.leadId != null) return false;
      } else if (f.lead === 'suggested') {
        if (m.leadId == null || m.leadConfirmed) return false;
      } else if (String(m.leadId) !== f.lead) return false;
    }
    if (f.city && !m.cities.includes(f.city as City)) return false;
    if (f.status && m.status !== f.status) return false;
    if (f.text && !this.text(m, idx).includes(f.text)) return false;
    return true;
  }

  /**
   * Work out `pass` for the rows from `from` on (all of them by default) and recount every
   * header. Header rows are changed in place; the ones whose count or visibility changed are
   * returned so the grid can redraw them.
   */
  refilter(f: FilterSpec, idx: DeptIndex, from = 0): HeaderGridRow[] {
    for (let i = from; i < this.order.length; i++) {
      const r = this.order[i];
      if (r.kind === 'measure') r.pass = this.passes(r.m, f, idx);
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
    this.hay.delete(m.id);
    const row: MeasureGridRow = { ...old, m, pass: this.passes(m, f, idx) };
    this.byId.set(m.id, row);
    this.order[this.pos.get(m.id)!] = row;
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
