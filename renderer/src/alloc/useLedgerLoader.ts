// The allocation ledger's rows: read in pages (a screenful first, the rest in the background),
// kept outside React in a LedgerStore and handed to the grid; filtered by a flag per row that the
// grid's external filter reads; saved rows merged back in place. React keeps only the counts.
import { useCallback, useEffect, useRef, useState, type MutableRefObject, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { GridApi, IRowNode } from 'ag-grid-community';
import type { MeasureRow } from '../../../shared/domain';
import { call } from '../api';
import { useToast } from '../components/Toast';
import type { DeptIndex } from './clipboard';
import { LedgerStore, NO_FILTER, type ChapterOption, type FilterSpec } from './store';
import type { GridRow, HeaderGridRow } from './types';

/** the first page fills the window at once; the rest follows in pages of PAGE (see docs/bench.md) */
const FIRST_PAGE = 200;
const PAGE = 1000;
/** at most this many rows taken into the grid at once: a larger batch is one long task */
const MAX_BATCH = 16_000;

export interface LedgerCounts {
  measures: number;
  total: number;
  visible: number;
  suggestions: number;
  complete: boolean;
}

export function useLedgerLoader(opts: {
  apiRef: RefObject<GridApi<GridRow> | null>;
  idx: DeptIndex;
  spec: FilterSpec;
  dataVersion: number;
  /** a dashboard filter's nonce: the rows are read again so they match the counts it showed */
  filterNonce: number | undefined;
  /** when the last filter ran and how long it took (the text box paces itself by it) */
  lastFilter: MutableRefObject<{ at: number; ms: number }>;
}) {
  const { apiRef, idx, spec, dataVersion, filterNonce, lastFilter } = opts;
  const toast = useToast();
  const storeRef = useRef(new LedgerStore());
  const [counts, setCounts] = useState<LedgerCounts>({ measures: 0, total: 0, visible: 0, suggestions: 0, complete: false });
  const [chapters, setChapters] = useState<ChapterOption[]>([]);
  const [loading, setLoading] = useState(true);

  const filterRef = useRef<FilterSpec>(NO_FILTER);
  const idxRef = useRef(idx);
  idxRef.current = idx;
  const publish = useCallback((complete?: boolean) => {
    const st = storeRef.current;
    setCounts((c) => {
      const next = { measures: st.measures, total: st.total, visible: st.visible, suggestions: st.suggestions, complete: complete ?? c.complete };
      // the same counts (an edit that changed no count): keep the state, so the page is not drawn again
      return (Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === c[k]) ? c : next;
    });
  }, []);
  /** header rows whose count or visibility changed: draw them again */
  const redrawHeaders = useCallback(
    (headers: HeaderGridRow[]) => {
      const api = apiRef.current;
      if (!api || !headers.length) return;
      const nodes = headers.map((h) => api.getRowNode(h.id)).filter((n): n is IRowNode<GridRow> => !!n && n.displayed);
      if (nodes.length) api.redrawRows({ rowNodes: nodes });
    },
    [apiRef],
  );

  // first a screenful (shown at once), then the rest in pages in the background
  const loadGen = useRef(0);
  const load = useCallback(async () => {
    const gen = ++loadGen.current;
    setLoading(true);
    setCounts((c) => ({ ...c, complete: false }));
    try {
      const first = await call('measures.page', { after: null, limit: FIRST_PAGE });
      if (gen !== loadGen.current) return;
      const st = new LedgerStore();
      st.total = first.total;
      st.append(first.rows);
      st.refilter(filterRef.current, idxRef.current);
      storeRef.current = st;
      apiRef.current?.setGridOption('rowData', st.order.slice());
      setChapters(st.chapters.slice());
      publish(first.next == null);
      setLoading(false);
      // pages are small (the main side answers other requests between them); the grid takes them in
      // batches that double in size, since each batch costs the grid a pass over all its rows. The
      // next page is asked for before this one is taken in, so the main side reads it meanwhile.
      let next = first.next;
      let pending: MeasureRow[] = [];
      let coming = next ? call('measures.page', { after: next, limit: PAGE }) : null;
      while (coming) {
        const page = await coming;
        if (gen !== loadGen.current) return;
        next = page.next;
        coming = next ? call('measures.page', { after: next, limit: PAGE }) : null;
        for (const m of page.rows) pending.push(m);
        if (next && pending.length < Math.min(MAX_BATCH, Math.max(PAGE, st.measures))) continue;
        const from = st.append(pending);
        pending = [];
        const changed = st.refilter(filterRef.current, idxRef.current, from);
        st.warm(idxRef.current, from);
        const api = apiRef.current;
        if (api) {
          api.applyTransaction({ add: st.order.slice(from) });
          redrawHeaders(changed);
        }
        setChapters(st.chapters.slice());
        publish(next == null);
      }
    } catch (e) {
      if (gen === loadGen.current) toast.error(e);
    } finally {
      if (gen === loadGen.current) setLoading(false);
    }
  }, [apiRef, toast, publish, redrawHeaders]);

  useEffect(() => {
    void load();
  }, [load, dataVersion]);

  useEffect(() => {
    if (filterNonce !== undefined) void load();
  }, [filterNonce, load]);

  /**
   * Saved rows into the grid: only those rows change; the filters run again only if one of them left
   * or joined the filtered set. `andThen` (closing the editor of a saved cell) is drawn with them.
   */
  const mergeRows = useCallback(
    (changed: MeasureRow[], andThen?: () => void) => {
      if (!changed.length && !andThen) return;
      const st = storeRef.current;
      const api = apiRef.current;
      let moved = false;
      const headers: HeaderGridRow[] = [];
      // a confirmed suggestion keeps the cell's text (the department's name), so the grid would not
      // draw the cell again: those lead cells are redrawn by force, or the 建议 badge stays
      const confirmedNow: IRowNode<GridRow>[] = [];
      // the grid draws its cells with React: the cells whose values changed are drawn now, in one
      // commit, not in a later task (updateData compares each cell's value; setData would make
      // every cell anew)
      flushSync(() => {
        for (const m of changed) {
          const prev = st.byId.get(m.id)?.m;
          const r = st.replace(m, filterRef.current, idxRef.current);
          if (!r) continue;
          const node = api?.getRowNode(m.id);
          node?.updateData(r.row);
          if (node && prev && prev.leadConfirmed !== m.leadConfirmed) confirmedNow.push(node);
          if (r.moved) {
            moved = true;
            headers.push(...r.headers);
          }
        }
        if (confirmedNow.length) api?.refreshCells({ rowNodes: confirmedNow, columns: ['lead'], force: true });
        andThen?.();
      });
      if (moved && api) {
        api.onFilterChanged();
        redrawHeaders(headers);
      }
      if (changed.length) publish();
    },
    [apiRef, publish, redrawHeaders],
  );

  useEffect(() => {
    apiRef.current?.refreshCells({ force: true });
  }, [apiRef, idx]);

  // the filters: a `pass` flag per row, read by the grid's external filter (no new row list, no
  // re-sort); the text is matched against each row's lower-cased text, kept per row
  useEffect(() => {
    const t0 = performance.now();
    filterRef.current = spec;
    const st = storeRef.current;
    const changed = st.refilter(spec, idx);
    const api = apiRef.current;
    if (api) {
      api.onFilterChanged();
      redrawHeaders(changed);
    }
    publish();
    lastFilter.current = { at: performance.now(), ms: performance.now() - t0 };
  }, [apiRef, spec, idx, publish, redrawHeaders, lastFilter]);

  return { storeRef, counts, chapters, loading, load, mergeRows };
}
