import { useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent as ReactClipboardEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { AgGridReact } from 'ag-grid-react';
import {
  themeQuartz,
  type ColDef,
  type Column,
  type GetRowIdParams,
  type GridApi,
  type IRowNode,
  type PostSortRowsParams,
  type RowClassParams,
  type RowHeightParams,
  type RowSelectionOptions,
  type SuppressKeyboardEventParams,
} from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import {
  CITIES,
  STATUSES,
  chapterLabel,
  type City,
  type Department,
  type MeasureEdit,
  type MeasurePatch,
  type MeasureRow,
  type Status,
} from '../../../shared/domain';
import { LEDGER_COLUMNS, LONG_TEXT_MAX, type LedgerColumn } from '../../../shared/ledger';
import { call } from '../api';
import type { UndoResult } from '../../../shared/ipc/contract';
import { usePersonalHistory } from '../components/usePersonalHistory';
import { useToast } from '../components/Toast';
import { Modal } from '../components/Modal';
import { LongTextCellEditor, overLimitMessage } from '../components/LongTextCellEditor';
import { holdTypedKey } from '../components/typeAhead';
import { CityPicker, DatePicker, DeptPicker, StatusPicker } from '../components/Pickers';
import { buildDeptIndex, cellText, convertCell, parseTsv, toTsv, type DeptIndex } from '../alloc/clipboard';
import { CityCellEditor, CoRenderer, DeadlineCellEditor, DeptCellEditor, GroupRowRenderer, LeadRenderer, SelectAllHeader, StatusRenderer } from '../alloc/cells';
import type { GridCtx, GridRow, HeaderGridRow, MeasureGridRow } from '../alloc/types';
import { SHORTCUTS, extendSelection, newShiftRange } from '../alloc/keyboard';
import { LedgerStore, NO_FILTER, type ChapterOption, type FilterSpec } from '../alloc/store';
import { EXTERNAL_CODEC, type AllocFilter } from '../components/externalFilter';
import { useSessionState } from '../components/useSessionState';

export const gridTheme = themeQuartz.withParams({
  fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif',
  fontSize: 13,
  headerFontSize: 13,
  headerFontWeight: 600,
  accentColor: '#1d5aa6',
  headerBackgroundColor: '#eef2f7',
  foregroundColor: '#1f2933',
  borderColor: '#d8dee6',
  oddRowBackgroundColor: '#fafbfd',
  wrapperBorderRadius: 4,
  spacing: 6,
});

type BulkKind = 'lead' | 'co' | 'cities' | 'deadline' | 'status';
const BULK_TITLES: Record<BulkKind, string> = {
  lead: '批量设置牵头单位',
  co: '批量添加配合单位',
  cities: '批量设置责任城市',
  deadline: '批量设置完成时限',
  status: '批量设置状态',
};

function idKey(id: string): number[] {
  return id.split('.').map(Number);
}
function compareIds(a: string, b: string): number {
  const x = idKey(a);
  const y = idKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** a paste that changes more measures than this (about two screens at 1366×768) asks first */
const PASTE_ASK_ROWS = 20;
/** before → after pairs a paste's question shows */
const PASTE_SAMPLE = 8;

interface PasteChange {
  id: string;
  header: string;
  before: string;
  after: string;
  /** replaces a confirmed lead */
  confirmed: boolean;
}
interface PasteReview {
  /** measures that really change */
  rows: number;
  /** cells that really change */
  cells: number;
  /** confirmed leads replaced or cleared */
  confirmedLost: number;
  /** a sample: replaced confirmed leads first */
  sample: PasteChange[];
}

/** What a paste would change, measured against the rows as the grid holds them. */
function reviewPaste(edits: MeasureEdit[], byId: Map<string, MeasureRow>, cols: LedgerColumn[], idx: DeptIndex): PasteReview {
  let rows = 0;
  let cells = 0;
  let confirmedLost = 0;
  const lost: PasteChange[] = [];
  const other: PasteChange[] = [];
  for (const { measureId, patch } of edits) {
    const cur = byId.get(measureId);
    if (!cur) continue;
    const next: MeasureRow = { ...cur, ...patch };
    let changed = false;
    for (const col of cols) {
      const before = cellText(col, cur, idx);
      const after = cellText(col, next, idx);
      const confirmedSame = col.key === 'lead' && cur.leadId === next.leadId && cur.leadConfirmed !== next.leadConfirmed;
      if (before === after && !confirmedSame) continue;
      changed = true;
      cells++;
      const confirmed = col.key === 'lead' && cur.leadConfirmed && cur.leadId != null && next.leadId !== cur.leadId;
      if (confirmed) confirmedLost++;
      const list = confirmed ? lost : other;
      if (list.length < PASTE_SAMPLE)
        list.push({ id: measureId, header: col.header, before: (before || '（空）') + (col.key === 'lead' && cur.leadId != null && !cur.leadConfirmed ? '（建议）' : ''), after: after || '（空）', confirmed });
    }
    if (changed) rows++;
  }
  return { rows, cells, confirmedLost, sample: [...lost, ...other].slice(0, PASTE_SAMPLE) };
}

function isTextTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

const SELECTION_COL = 'ag-Grid-SelectionColumn';
/** the first page fills the window at once; the rest follows in pages of PAGE (at 100,000 measures a page of 1,000 costs the main side 30–60 ms) */
const FIRST_PAGE = 200;
const PAGE = 1000;
/** at most this many rows taken into the grid at once: a larger batch is one long task (~0.3 s for 50,000) */
const MAX_BATCH = 16_000;

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
  commandBus: EventTarget;
  onDepartmentsStale: () => void;
  /** a filter another page (the dashboard) asks for; applied whenever it changes */
  initialFilter?: AllocFilter | null;
  /** the person cleared the external filter chip */
  onClearInitialFilter?: () => void;
}

export function AllocPage({ active, departments, dataVersion, commandBus, initialFilter, onClearInitialFilter }: Props) {
  const toast = useToast();
  // the rows live outside React (alloc/store.ts); React keeps only the counts the page shows
  const storeRef = useRef(new LedgerStore());
  const [counts, setCounts] = useState({ measures: 0, total: 0, visible: 0, suggestions: 0, complete: false });
  const [chapters, setChapters] = useState<ChapterOption[]>([]);
  const [loading, setLoading] = useState(true);
  const apiRef = useRef<GridApi<GridRow> | null>(null);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [pasteAsk, setPasteAsk] = useState<(PasteReview & { run: () => void }) | null>(null);

  // filters
  // (kept in the tab's session, so a reload keeps them)
  const [fChapter, setFChapter] = useSessionState('alloc.chapter', '');
  const [fLead, setFLead] = useSessionState('alloc.lead', '');
  const [fCity, setFCity] = useSessionState('alloc.city', '');
  const [fStatus, setFStatus] = useSessionState('alloc.status', '');
  const [fText, setFText] = useSessionState('alloc.text', '');
  /** the text the filters use (fText as typed, applied by applyText below) */
  const [qText, setQText] = useState(() => fText.trim().toLowerCase());
  const [withBackground, setWithBackground] = useSessionState('alloc.background', false);
  const [grouping, setGrouping] = useSessionState('alloc.grouping', true);
  // exactly these measures (from the dashboard), shown with a chip until cleared
  const [external, setExternal] = useSessionState<{ ids: Set<string> | null; label: string } | null>('alloc.external', null, EXTERNAL_CODEC);
  const [appliedNonce, setAppliedNonce] = useState<number | null>(null);
  if (initialFilter && initialFilter.nonce !== appliedNonce) {
    setAppliedNonce(initialFilter.nonce);
    setFChapter(initialFilter.chapter != null ? String(initialFilter.chapter) : '');
    setFLead(initialFilter.leadId != null ? String(initialFilter.leadId) : '');
    setFCity(initialFilter.city ?? '');
    setFStatus(initialFilter.status ?? '');
    setFText('');
    setQText('');
    setExternal({ ids: initialFilter.ids ? new Set(initialFilter.ids) : null, label: initialFilter.label });
  }
  const clearExternal = () => {
    setExternal(null);
    setFChapter('');
    setFLead('');
    setFCity('');
    setFStatus('');
    onClearInitialFilter?.();
  };

  /** every filter off (the empty grid's 清除筛选) */
  const clearFilters = () => {
    if (external) clearExternal();
    setFChapter('');
    setFLead('');
    setFCity('');
    setFStatus('');
    setFText('');
    setQText('');
  };

  const idx = useMemo(() => buildDeptIndex(departments), [departments]);

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
  const redrawHeaders = useCallback((headers: HeaderGridRow[]) => {
    const api = apiRef.current;
    if (!api || !headers.length) return;
    const nodes = headers.map((h) => api.getRowNode(h.id)).filter((n): n is IRowNode<GridRow> => !!n && n.displayed);
    if (nodes.length) api.redrawRows({ rowNodes: nodes });
  }, []);

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
  }, [toast, publish, redrawHeaders]);

  useEffect(() => {
    void load();
  }, [load, dataVersion]);

  // undo/redo of this person's latest operation, kept in the database (survives a restart)
  const history = usePersonalHistory(
    active,
    dataVersion,
    useCallback(
      (r: UndoResult) => {
        if (!r.measureIds.length) return;
        if (r.measureIds.length > 5000) void load();
        else call('measures.get', { ids: r.measureIds }).then((rows) => mergeRowsRef.current(rows), (e: unknown) => toast.error(e));
      },
      [load, toast],
    ),
  );
  const { undo, redo, refresh: refreshHistory } = history;

  // a filter from the dashboard: read the rows again so they match the counts it showed
  const filterNonce = initialFilter?.nonce;
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
    [publish, redrawHeaders],
  );
  const mergeRowsRef = useRef(mergeRows);
  mergeRowsRef.current = mergeRows;

  /** Save edits at once; the main side records them for undo. */
  // A cell's edit shows 正在保存 only when the save takes longer than 150 ms: a quick save (a few ms)
  // must not draw the whole page twice while the editor closes. Bulk operations show it at once.
  const quickSaves = useRef({ n: 0, timer: 0 });
  const applyEdits = useCallback(
    async (edits: MeasureEdit[], op: string, onSaved?: () => void): Promise<boolean> => {
      if (!edits.length) return true;
      const quick = op === '编辑';
      const q = quickSaves.current;
      if (!quick) setBusy(true);
      else if (q.n++ === 0) q.timer = window.setTimeout(() => setBusy(true), 150);
      try {
        const changed = await call('measures.applyEdits', { edits, op });
        mergeRows(changed, onSaved);
        return true;
      } catch (e) {
        toast.error(e);
        // the grid never changed its data (readOnlyEdit): make sure cells show the stored values
        apiRef.current?.refreshCells({ force: true });
        return false;
      } finally {
        if (quick && --q.n === 0) window.clearTimeout(q.timer);
        if (q.n === 0) setBusy(false);
        refreshHistory();
      }
    },
    [mergeRows, toast, refreshHistory],
  );

  const confirm = useCallback(
    async (ids: string[]) => {
      const st = storeRef.current;
      const targets = ids.map((id) => st.byId.get(id)?.m).filter((r): r is MeasureRow => !!r && r.leadId != null && !r.leadConfirmed);
      if (!targets.length) {
        toast.show('所选措施中没有待确认的牵头单位建议');
        return;
      }
      setBusy(true);
      try {
        const changed = await call('measures.confirmSuggestions', { ids: targets.map((r) => r.id) });
        mergeRows(changed);
        toast.show(`已确认 ${targets.length} 条牵头单位建议`, 'success');
      } catch (e) {
        toast.error(e);
      } finally {
        setBusy(false);
        refreshHistory();
      }
    },
    [mergeRows, toast, refreshHistory],
  );

  const editCellRef = useRef<(data: GridRow | undefined, key: string, value: unknown) => void>(() => {});
  const colByKey = useMemo(() => new Map(LEDGER_COLUMNS.map((c) => [c.key as string, c])), []);
  const ctx = useMemo<GridCtx>(
    () => ({
      idx,
      departments,
      applyEdits,
      confirm,
      colByKey,
      editCell: (data, key, value) => editCellRef.current(data, key, value),
      visibleCount: () => storeRef.current.visible,
    }),
    [idx, departments, applyEdits, confirm, colByKey],
  );

  useEffect(() => {
    apiRef.current?.refreshCells({ force: true });
  }, [idx]);

  // ----- filtering & grouping: a `pass` flag per row, read by the grid's external filter
  // (no new row list, no re-sort); the text is matched against each row's lower-cased text, kept
  // per row. A keystroke filters at once; on a large ledger, keystrokes that come faster than the
  // last filter took are gathered and applied 60 ms after the last one (qText, beside fText above).
  // Letters typed into an input method (pinyin before a character is chosen) are not filtered on.
  const lastFilter = useRef({ at: 0, ms: 0 });
  const typingTimer = useRef(0);
  const applyText = useCallback((raw: string) => {
    const q = raw.trim().toLowerCase();
    window.clearTimeout(typingTimer.current);
    const { at, ms } = lastFilter.current;
    if (ms < 30 || performance.now() - at > Math.max(150, 2 * ms)) setQText(q);
    else typingTimer.current = window.setTimeout(() => setQText(q), 60);
  }, []);
  useEffect(() => () => window.clearTimeout(typingTimer.current), []);

  const spec = useMemo<FilterSpec>(
    () => ({ chapter: fChapter, lead: fLead, city: fCity, status: fStatus, text: qText, withBackground, ids: external?.ids ?? null, grouping }),
    [fChapter, fLead, fCity, fStatus, qText, withBackground, external, grouping],
  );
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
  }, [spec, idx, publish, redrawHeaders]);

  const isExternalFilterPresent = useCallback(() => true, []);
  const doesExternalFilterPass = useCallback((n: IRowNode<GridRow>) => !!n.data?.pass, []);

  // ----- columns
  // the popup pickers (departments, cities, deadline, long text) handle their own keys: the grid
  // would otherwise end the edit on Enter without the picker's choice, and move on arrows/Tab
  const pickerKeys = useCallback((p: SuppressKeyboardEventParams<GridRow>) => p.editing, []);
  const columnDefs = useMemo<ColDef<GridRow>[]>(() => {
    return LEDGER_COLUMNS.filter((c) => c.grid !== false).map((col): ColDef<GridRow> => {
      const def: ColDef<GridRow> = {
        colId: col.key,
        headerName: col.header,
        width: Math.max(70, Math.min(col.width * 13 + 16, 460)),
        editable: (p) => col.editable && p.data?.kind === 'measure',
        valueGetter: (p) => (p.data && p.data.kind === 'measure' ? cellText(col, p.data.m, (p.context as GridCtx).idx) : null),
        // never changes the grid's data: the edit is saved and the saved row comes back (mergeRows)
        valueSetter: (p) => {
          (p.context as GridCtx).editCell(p.data, col.key, p.newValue);
          return false;
        },
        sortable: true,
        resizable: true,
        cellClass: col.editable ? 'cell-editable' : 'cell-readonly',
        comparator: (a: string | null, b: string | null, na, nb) => {
          if (col.key === 'id' && na.data?.kind === 'measure' && nb.data?.kind === 'measure')
            return compareIds(na.data.id, nb.data.id);
          return (a ?? '').localeCompare(b ?? '', 'zh-CN');
        },
      };
      switch (col.key) {
        case 'id':
          def.pinned = 'left';
          def.width = 96;
          def.cellClass = 'cell-id';
          break;
        case 'chapter':
        case 'section':
        case 'task':
          def.hide = grouping;
          def.tooltipValueGetter = (p) => (p.value as string) ?? '';
          def.cellClass = 'cell-readonly cell-wrap';
          def.wrapText = true;
          break;
        case 'text':
          def.wrapText = true;
          def.cellClass = 'cell-readonly cell-wrap';
          def.tooltipValueGetter = (p) => (p.value as string) ?? '';
          def.width = 300;
          break;
        case 'lead':
          def.width = 200;
          def.cellRenderer = LeadRenderer;
          def.cellEditor = DeptCellEditor;
          def.cellEditorPopup = true;
          def.cellEditorParams = { multi: false };
          def.suppressKeyboardEvent = pickerKeys;
          def.cellClassRules = {
            'cell-suggest': (p) => p.data?.kind === 'measure' && p.data.m.leadId != null && !p.data.m.leadConfirmed,
          };
          break;
        case 'co':
          def.width = 200;
          def.cellRenderer = CoRenderer;
          def.cellEditor = DeptCellEditor;
          def.cellEditorPopup = true;
          def.cellEditorParams = { multi: true };
          def.suppressKeyboardEvent = pickerKeys;
          def.wrapText = true;
          def.cellClass = 'cell-editable cell-wrap';
          break;
        case 'cities':
          def.width = 126;
          def.wrapText = true;
          def.cellClass = 'cell-editable cell-wrap';
          def.cellEditor = CityCellEditor;
          def.suppressKeyboardEvent = pickerKeys;
          def.cellEditorPopup = true;
          break;
        case 'deadline':
          def.width = 106;
          def.cellEditor = DeadlineCellEditor;
          def.cellEditorPopup = true;
          def.suppressKeyboardEvent = pickerKeys;
          break;
        case 'status':
          def.width = 84;
          def.cellRenderer = StatusRenderer;
          def.cellEditor = 'agSelectCellEditor';
          def.cellEditorParams = { values: [...STATUSES] };
          break;
        case 'progress':
        case 'note':
          def.width = col.key === 'progress' ? 220 : 130;
          def.cellEditor = LongTextCellEditor;
          def.cellEditorPopup = true;
          def.cellEditorParams = { maxLength: LONG_TEXT_MAX };
          def.suppressKeyboardEvent = pickerKeys;
          def.wrapText = true;
          def.cellClass = 'cell-editable cell-wrap';
          def.tooltipValueGetter = (p) => (p.value as string) ?? '';
          break;
      }
      return def;
    });
  }, [grouping, pickerKeys]);

  const defaultColDef = useMemo<ColDef<GridRow>>(() => ({ suppressHeaderMenuButton: true }), []);

  const rowSelection = useMemo<RowSelectionOptions<GridRow>>(
    () => ({
      mode: 'multiRow',
      checkboxes: (p) => p.data?.kind === 'measure',
      // the grid's own header checkbox walks every row node twice per filter: SelectAllHeader instead
      headerCheckbox: false,
      isRowSelectable: (n) => n.data?.kind === 'measure',
      enableClickSelection: false,
      selectAll: 'filtered',
    }),
    [],
  );

  const selectionColumnDef = useMemo(() => ({ pinned: 'left' as const, width: 44, headerComponent: SelectAllHeader }), []);

  /**
   * A cell editor's value: saved at once. Called by the columns' valueSetter, synchronously as the
   * editor closes (the grid's cellEditRequest event arrives a timer tick later); the grid's data is
   * not changed here, the saved row replaces it when the main side answers.
   */
  const editCell = useCallback(
    (data: GridRow | undefined, key: string, v: unknown) => {
      if (!data || data.kind !== 'measure') return;
      let patch: MeasurePatch | null = null;
      if (key === 'status') {
        if ((STATUSES as readonly string[]).includes(String(v))) patch = { status: v as Status };
      } else if (key === 'progress' || key === 'note') {
        const text = v == null ? '' : String(v);
        // the editor closed some other way than Enter (a click elsewhere) with too much text: said, not cut
        if (text.length > LONG_TEXT_MAX) {
          toast.show(overLimitMessage(key === 'note' ? '备注' : '进展情况', text.length, LONG_TEXT_MAX), 'error');
          return;
        }
        patch = key === 'note' ? { note: text } : { progress: text };
      }
      if (patch) void applyEdits([{ measureId: data.id, patch }], '编辑');
    },
    [applyEdits, toast],
  );
  editCellRef.current = editCell;

  /**
   * Enter in the 进展情况 / 备注 editor: save first, then close the editor on the saved row (one
   * drawing instead of two: the editor closing, then the saved value a frame later). The editor stays
   * open if the save is refused, so no typing is lost. Other keys and other editors go the grid's way.
   */
  const shiftRange = useRef(newShiftRange());
  const onGridKeyDownCapture = useCallback(
    (e: ReactKeyboardEvent<HTMLDivElement>) => {
      if (holdTypedKey(e, (apiRef.current?.getEditingCells().length ?? 0) > 0)) return;
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
        const api = apiRef.current;
        if (!api || isTextTarget(e.target) || api.getEditingCells().length > 0) return;
        e.preventDefault();
        e.stopPropagation();
        extendSelection(api, shiftRange.current, e.key === 'ArrowDown' ? 1 : -1);
        return;
      }
      if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return;
      const area = e.target;
      if (!(area instanceof HTMLTextAreaElement) || !area.closest('.ag-popup-editor')) return;
      const api = apiRef.current;
      const cell = api?.getEditingCells()[0];
      if (!api || !cell) return;
      const key = cell.column?.getColId();
      if (key !== 'progress' && key !== 'note') return;
      const data = api.getDisplayedRowAtIndex(cell.rowIndex)?.data;
      if (!data || data.kind !== 'measure') return;
      // too long: the editor itself refuses it and says why
      if (area.value.length > LONG_TEXT_MAX) return;
      e.preventDefault();
      e.stopPropagation();
      const patch: MeasurePatch = key === 'note' ? { note: area.value } : { progress: area.value };
      // saved: the row already holds the value, so the editor is closed without handing it over
      // again, drawn in the same commit as the saved row (not in React's next scheduled render)
      void applyEdits([{ measureId: data.id, patch }], '编辑', () => api.stopEditing(true));
    },
    [applyEdits],
  );

  const postSortRows = useCallback(
    (p: PostSortRowsParams<GridRow>) => {
      if (!grouping) return;
      // with no column sorted the rows are in grid order already: no pass over every row per filter
      if (!p.api.getColumnState().some((c) => c.sort)) return;
      const rank = (n: IRowNode<GridRow>) => (n.data?.kind === 'chapter' ? 0 : n.data?.kind === 'task' ? 1 : 2);
      p.nodes.sort((a, b) => {
        const x = a.data!;
        const y = b.data!;
        if (x.ck !== y.ck) return x.ck - y.ck;
        if (x.kind === 'chapter' || y.kind === 'chapter') return rank(a) - rank(b);
        if (x.tk !== y.tk) return x.tk - y.tk;
        return rank(a) - rank(b);
      });
    },
    [grouping],
  );

  // ----- selection helpers
  const selectedMeasures = useCallback((): MeasureRow[] => {
    const api = apiRef.current;
    if (!api) return [];
    const ids = new Set(
      api
        .getSelectedRows()
        .filter((r): r is MeasureGridRow => r.kind === 'measure')
        .map((r) => r.id),
    );
    return storeRef.current.measureRows().filter((r) => ids.has(r.id));
  }, []);

  const applyBulk = async (kind: BulkKind, value: unknown) => {
    const targets = selectedMeasures();
    if (!targets.length) {
      toast.show('请先勾选要设置的措施');
      return;
    }
    let edits: MeasureEdit[] = [];
    switch (kind) {
      case 'lead': {
        const ids = value as number[];
        edits = targets.map((r) => ({ measureId: r.id, patch: { leadId: ids[0] ?? null, leadConfirmed: ids.length > 0 } }));
        break;
      }
      case 'co': {
        const add = value as number[];
        if (!add.length) {
          toast.show('未选择配合单位');
          return;
        }
        edits = targets.map((r) => ({
          measureId: r.id,
          patch: { coIds: [...r.coIds, ...add.filter((id) => !r.coIds.includes(id) && id !== r.leadId)] },
        }));
        break;
      }
      case 'cities':
        edits = targets.map((r) => ({ measureId: r.id, patch: { cities: value as City[] } }));
        break;
      case 'deadline':
        edits = targets.map((r) => ({ measureId: r.id, patch: { deadline: value as string | null } }));
        break;
      case 'status':
        edits = targets.map((r) => ({ measureId: r.id, patch: { status: value as Status } }));
        break;
    }
    setBulk(null);
    const ok = await applyEdits(edits, '批量设置');
    if (ok) toast.show(`${BULK_TITLES[kind].replace('批量', '已批量')}：${edits.length} 条措施`, 'success');
  };

  // ----- clipboard
  const ledgerColumnsInView = useCallback((): { column: Column; col: LedgerColumn }[] => {
    const api = apiRef.current;
    if (!api) return [];
    return api
      .getAllDisplayedColumns()
      .filter((c) => c.getColId() !== SELECTION_COL && colByKey.has(c.getColId()))
      .map((column) => ({ column, col: colByKey.get(column.getColId())! }));
  }, [colByKey]);

  const onPaste = useCallback(
    (e: ReactClipboardEvent<HTMLDivElement>) => {
      const api = apiRef.current;
      if (!api || isTextTarget(e.target) || api.getEditingCells().length > 0) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      e.preventDefault();
      const focused = api.getFocusedCell();
      if (!focused) {
        toast.show('请先单击要粘贴的起始单元格', 'error');
        return;
      }
      let block = parseTsv(text);
      while (block.length && block[block.length - 1].every((c) => c === '')) block = block.slice(0, -1);
      if (!block.length) {
        toast.show('剪贴板中没有可粘贴的内容', 'error');
        return;
      }
      const cols = ledgerColumnsInView();
      const startCol = cols.findIndex((c) => c.column.getColId() === focused.column.getColId());
      if (startCol < 0) {
        toast.show('请先单击要粘贴的起始单元格（不能从勾选列开始）', 'error');
        return;
      }
      const targetRows: MeasureGridRow[] = [];
      const total = api.getDisplayedRowCount();
      for (let i = focused.rowIndex; i < total && targetRows.length < block.length; i++) {
        const n = api.getDisplayedRowAtIndex(i);
        if (n?.data?.kind === 'measure') targetRows.push(n.data);
      }
      const width = Math.max(...block.map((r) => r.length));
      const errors: string[] = [];
      if (targetRows.length < block.length)
        errors.push(`粘贴内容有 ${block.length} 行，但起始单元格以下只有 ${targetRows.length} 条措施`);
      if (startCol + width > cols.length) errors.push(`粘贴内容有 ${width} 列，超出了表格右边界`);
      const byId = new Map([...storeRef.current.byId.values()].map((r) => [r.id, r.m]));
      const edits: MeasureEdit[] = [];
      let skipped = 0;
      if (!errors.length) {
        block.forEach((cells, ri) => {
          const target = byId.get(targetRows[ri].id)!;
          const patch: MeasurePatch = {};
          cells.forEach((raw, ci) => {
            const { col } = cols[startCol + ci];
            if (!col.editable) {
              skipped++;
              return;
            }
            const r = convertCell(col, raw, idx);
            if (!r.ok) errors.push(`${target.id}「${col.header}」：${r.reason}`);
            else Object.assign(patch, r.value);
          });
          if (Object.keys(patch).length) edits.push({ measureId: target.id, patch });
        });
      }
      if (errors.length) {
        const more = errors.length > 5 ? `等 ${errors.length} 处` : '';
        toast.show(`未粘贴任何内容。${errors.slice(0, 5).join('；')}${more}`, 'error');
        return;
      }
      if (!edits.length) {
        toast.show('所粘贴的列均为只读列，没有可修改的内容', 'error');
        return;
      }
      const run = () =>
        void (async () => {
          const ok = await applyEdits(edits, '粘贴');
          if (ok) {
            const cellCount = block.reduce((s, r) => s + r.length, 0) - skipped;
            toast.show(`已粘贴 ${cellCount} 个单元格（${edits.length} 条措施）${skipped ? `，跳过只读单元格 ${skipped} 个` : ''}`, 'success');
            const nodes = edits.map((ed) => api.getRowNode(ed.measureId)).filter((n): n is IRowNode<GridRow> => !!n);
            api.flashCells({ rowNodes: nodes, columns: cols.slice(startCol, startCol + width).map((c) => c.column) });
          }
        })();
      // a paste that changes more rows than a screen shows, or replaces confirmed leads, is shown first
      const review = reviewPaste(edits, byId, cols.slice(startCol, startCol + width).map((c) => c.col), idx);
      if (review.rows > PASTE_ASK_ROWS || review.confirmedLost > 0) setPasteAsk({ ...review, run });
      else run();
    },
    [applyEdits, idx, ledgerColumnsInView, toast],
  );

  const onCopy = useCallback(
    (e: ReactClipboardEvent<HTMLDivElement>) => {
      const api = apiRef.current;
      if (!api || isTextTarget(e.target) || api.getEditingCells().length > 0) return;
      const cols = ledgerColumnsInView();
      const selected = selectedMeasures();
      let text = '';
      if (selected.length > 0) {
        text = toTsv(selected.map((r) => cols.map(({ col }) => cellText(col, r, idx))));
      } else {
        const f = api.getFocusedCell();
        if (!f) return;
        const n = api.getDisplayedRowAtIndex(f.rowIndex);
        const c = colByKey.get(f.column.getColId());
        if (!n?.data || n.data.kind !== 'measure' || !c) return;
        text = toTsv([[cellText(c, n.data.m, idx)]]);
      }
      e.preventDefault();
      e.clipboardData.setData('text/plain', text);
      toast.show(selected.length ? `已复制 ${selected.length} 行` : '已复制单元格');
    },
    [colByKey, idx, ledgerColumnsInView, selectedMeasures, toast],
  );

  // ----- keyboard: undo / redo
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      if (isTextTarget(e.target) || isTextTarget(document.activeElement)) return;
      if (apiRef.current && apiRef.current.getEditingCells().length > 0) return;
      if (bulk || pasteAsk) return;
      e.preventDefault();
      if (k === 'y' || (k === 'z' && e.shiftKey)) void redo();
      else void undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, undo, redo, bulk, pasteAsk]);

  // ----- keyboard: F6 between the grid and the bulk toolbar, ? / F1 for the shortcut help
  const toolbarRef = useRef<HTMLDivElement>(null);
  const gridWrapRef = useRef<HTMLDivElement>(null);
  /** the cell the focus left the grid from (F6), to come back to */
  const leftFrom = useRef<{ rowIndex: number; column: Column } | null>(null);
  const [help, setHelp] = useState(false);
  const backToGrid = useCallback(() => {
    const api = apiRef.current;
    if (!api) return;
    const f = leftFrom.current ?? api.getFocusedCell();
    const rowIndex = f && f.rowIndex < api.getDisplayedRowCount() ? f.rowIndex : 0;
    const column = f?.column ?? api.getAllDisplayedColumns().find((c) => c.getColId() === 'id');
    if (!column) return;
    api.ensureIndexVisible(rowIndex);
    api.setFocusedCell(rowIndex, column);
  }, []);
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || bulk || pasteAsk) return;
      const inText = isTextTarget(e.target);
      if ((e.key === '?' && !inText) || e.key === 'F1') {
        // before the grid, which would start editing the focused cell with the ?
        e.preventDefault();
        e.stopPropagation();
        setHelp(true);
        return;
      }
      if (e.key !== 'F6' || help) return;
      const api = apiRef.current;
      if (!api || api.getEditingCells().length > 0) return;
      e.preventDefault();
      e.stopPropagation();
      const el = document.activeElement;
      if (toolbarRef.current?.contains(el)) {
        backToGrid();
        return;
      }
      const f = api.getFocusedCell();
      if (f && gridWrapRef.current?.contains(el)) leftFrom.current = { rowIndex: f.rowIndex, column: f.column as Column };
      toolbarRef.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [active, bulk, pasteAsk, help, backToGrid]);
  // a bulk dialog closed (done or cancelled): the keyboard goes on in the grid where it was
  const hadBulk = useRef(false);
  useEffect(() => {
    if (hadBulk.current && !bulk && (document.activeElement === document.body || document.activeElement === null)) backToGrid();
    hadBulk.current = !!bulk;
  }, [bulk, backToGrid]);
  /** inside the toolbar: ← → move between its buttons, Esc goes back to the grid */
  const onToolbarKeyDown = useCallback(
    (e: ReactKeyboardEvent<HTMLDivElement>) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        backToGrid();
        return;
      }
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const buttons = [...(toolbarRef.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (i < 0) return;
      e.preventDefault();
      buttons[(i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length].focus();
    },
    [backToGrid],
  );

  useEffect(() => {
    const onCmd = (e: Event) => {
      if (!active) return;
      const cmd = (e as CustomEvent<string>).detail;
      if (cmd === 'undo') void undo();
      else if (cmd === 'redo') void redo();
    };
    commandBus.addEventListener('command', onCmd);
    return () => commandBus.removeEventListener('command', onCmd);
  }, [active, commandBus, undo, redo]);

  const getRowId = useCallback((p: GetRowIdParams<GridRow>) => p.data.id, []);
  const isFullWidthRow = useCallback((p: { rowNode: IRowNode<GridRow> }) => p.rowNode.data?.kind !== 'measure', []);
  const getRowHeight = useCallback((p: RowHeightParams<GridRow>) => {
    const k = p.data?.kind;
    if (k === 'chapter') return 40;
    if (k === 'task') return 34;
    return 70;
  }, []);
  const getRowClass = useCallback((p: RowClassParams<GridRow>) => {
    const d = p.data;
    if (!d) return undefined;
    if (d.kind !== 'measure') return `row-${d.kind}`;
    return d.m.actionable ? undefined : 'row-background';
  }, []);

  const selectedCount = selectedIds.length;
  const leadOptions = useMemo(
    () =>
      [...departments].sort((a, b) => Number(b.state === '在用') - Number(a.state === '在用') || a.id - b.id),
    [departments],
  );
  const bulkTargets = bulk ? selectedMeasures() : [];

  return (
    <div className="alloc-page">
      <div className="toolbar filters" role="search">
        <select className="input" data-testid="filter-chapter" value={fChapter} onChange={(e) => setFChapter(e.target.value)} aria-label="章">
          <option value="">全部章</option>
          {chapters
            .filter((c) => withBackground || c.actionable)
            .map(({ no, title }) => (
              <option key={no} value={String(no)}>
                {chapterLabel(no)} {title}
              </option>
            ))}
        </select>
        <select className="input" data-testid="filter-lead" value={fLead} onChange={(e) => setFLead(e.target.value)} aria-label="牵头单位">
          <option value="">全部牵头单位</option>
          <option value="none">（未指定牵头单位）</option>
          <option value="suggested">（待确认的建议）</option>
          {leadOptions.map((d) => (
            <option key={d.id} value={String(d.id)}>
              {d.name}
              {d.state !== '在用' ? `（${d.state}）` : ''}
            </option>
          ))}
        </select>
        <select className="input" data-testid="filter-city" value={fCity} onChange={(e) => setFCity(e.target.value)} aria-label="责任城市">
          <option value="">全部城市</option>
          {CITIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select className="input" data-testid="filter-status" value={fStatus} onChange={(e) => setFStatus(e.target.value)} aria-label="状态">
          <option value="">全部状态</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <input
          className="input grow"
          type="search"
          data-testid="filter-text"
          placeholder="筛选：编号、措施内容、单位、进展…"
          value={fText}
          onChange={(e) => {
            setFText(e.target.value);
            if (!(e.nativeEvent as InputEvent).isComposing) applyText(e.target.value);
          }}
          onCompositionEnd={(e) => applyText(e.currentTarget.value)}
        />
        {external && (
          <span className="ext-chip" data-testid="alloc-external-filter" data-count={counts.visible} title={`来自统计看板：${external.label}（点击 × 清除）`}>
            <span className="ext-chip-label">来自统计看板：{external.label}</span>
            <button className="ext-chip-x" aria-label="清除来自统计看板的筛选" data-testid="alloc-external-filter-clear" onClick={clearExternal}>
              ×
            </button>
          </span>
        )}
        <label className="check">
          <input type="checkbox" data-testid="filter-background" checked={withBackground} onChange={(e) => setWithBackground(e.target.checked)} />
          含第一、二章
        </label>
        <label className="check">
          <input type="checkbox" data-testid="group-toggle" checked={grouping} onChange={(e) => setGrouping(e.target.checked)} />
          按章节分组
        </label>
      </div>
      <div className="toolbar actions" ref={toolbarRef} onKeyDown={onToolbarKeyDown}>
        <span className="toolbar-label">批量：</span>
        <button className="btn" data-testid="bulk-lead" disabled={!selectedCount || busy} onClick={() => setBulk('lead')}>
          设置牵头单位
        </button>
        <button className="btn" data-testid="bulk-co" disabled={!selectedCount || busy} onClick={() => setBulk('co')}>
          添加配合单位
        </button>
        <button className="btn" data-testid="bulk-cities" disabled={!selectedCount || busy} onClick={() => setBulk('cities')}>
          设置责任城市
        </button>
        <button className="btn" data-testid="bulk-deadline" disabled={!selectedCount || busy} onClick={() => setBulk('deadline')}>
          设置完成时限
        </button>
        <button className="btn" data-testid="bulk-status" disabled={!selectedCount || busy} onClick={() => setBulk('status')}>
          设置状态
        </button>
        <button
          className="btn accent"
          data-testid="confirm-suggestions"
          disabled={!selectedCount || busy}
          title="确认所选措施中系统建议的牵头单位"
          onClick={() => void confirm(selectedIds)}
        >
          ✓ 确认建议
        </button>
        <span className="spacer" />
        <button
          className="btn"
          data-testid="undo"
          disabled={!history.state?.canUndo || busy || history.busy}
          title={history.state?.undoLabel ? `撤销：${history.state.undoLabel}（Ctrl+Z）` : '撤销（Ctrl+Z）'}
          onClick={() => void undo()}
        >
          ↶ 撤销
        </button>
        <button
          className="btn"
          data-testid="redo"
          disabled={!history.state?.canRedo || busy || history.busy}
          title={history.state?.redoLabel ? `重做：${history.state.redoLabel}（Ctrl+Y）` : '重做（Ctrl+Y）'}
          onClick={() => void redo()}
        >
          ↷ 重做
        </button>
        <button className="btn" onClick={() => void load()} title="从数据库重新读取">
          刷新
        </button>
      </div>
      <div className="grid-wrap" data-testid="alloc-grid" ref={gridWrapRef} onPaste={onPaste} onCopy={onCopy} onKeyDownCapture={onGridKeyDownCapture}>
        <AgGridReact<GridRow>
          theme={gridTheme}
          localeText={AG_GRID_LOCALE_CN}
          isExternalFilterPresent={isExternalFilterPresent}
          doesExternalFilterPass={doesExternalFilterPass}
          columnDefs={columnDefs}
          defaultColDef={defaultColDef}
          context={ctx}
          getRowId={getRowId}
          rowSelection={rowSelection}
          selectionColumnDef={selectionColumnDef}
          isFullWidthRow={isFullWidthRow}
          fullWidthCellRenderer={GroupRowRenderer}
          getRowHeight={getRowHeight}
          getRowClass={getRowClass}
          postSortRows={postSortRows}
          tooltipShowDelay={600}
          // rows jump to their places after a filter: at 100,000 rows the animation costs more than it shows
          animateRows={false}
          // a ledger has a scroll bar anyway; asking whether it needs one forced a layout on every filter
          alwaysShowVerticalScroll
          loading={loading}
          onGridReady={(e) => {
            apiRef.current = e.api;
            // rows that arrived before the grid was ready
            if (storeRef.current.order.length) e.api.setGridOption('rowData', storeRef.current.order.slice());
          }}
          onSelectionChanged={(e) =>
            setSelectedIds(
              e.api
                .getSelectedRows()
                .filter((r) => r.kind === 'measure')
                .map((r) => r.id),
            )
          }
          overlayNoRowsTemplate="<span>没有符合条件的措施</span>"
          // the grid's own 无匹配行 offers no way out: the page's message below has 清除筛选
          suppressOverlays={['noMatchingRows']}
        />
        {counts.visible === 0 && counts.measures > 0 && !loading && (
          <div className="grid-empty" data-testid="alloc-empty" role="status">
            <span>没有符合当前筛选条件的措施{external ? `（来自统计看板：${external.label}）` : ''}</span>
            <button className="btn" data-testid="alloc-empty-clear" onClick={clearFilters}>
              清除筛选
            </button>
          </div>
        )}
      </div>
      <div className="status-bar" data-testid="alloc-status" data-complete={counts.complete ? 'true' : 'false'} data-total={counts.total} data-loaded={counts.measures}>
        共 {counts.measures} 条措施，已筛选 {counts.visible} 条，已选 {selectedCount} 条，待确认建议 {counts.suggestions} 条
        {!counts.complete && counts.total > 0 && (
          <span className="saving" data-testid="alloc-loading">
            　正在载入 {counts.measures}/{counts.total}…
          </span>
        )}
        {busy && <span className="saving">　正在保存…</span>}
        <span className="spacer" />
        <span className="muted">
          双击单元格编辑 · Ctrl+V 从 Excel/WPS 粘贴 · Ctrl+Z 撤销 ·{' '}
          <button className="link" data-testid="shortcut-help-open" onClick={() => setHelp(true)}>
            键盘操作（?）
          </button>
        </span>
      </div>
      {help && (
        <Modal
          title="键盘操作"
          testId="shortcut-help"
          width={600}
          onClose={() => setHelp(false)}
          footer={
            <button className="btn primary" autoFocus onClick={() => setHelp(false)}>
              关闭
            </button>
          }
        >
          <table className="shortcut-list">
            <tbody>
              {SHORTCUTS.map(([keys, what]) => (
                <tr key={keys}>
                  <th>
                    <kbd>{keys}</kbd>
                  </th>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Modal>
      )}
      {pasteAsk && (
        <Modal
          title="确认粘贴"
          testId="paste-confirm"
          width={620}
          onClose={() => setPasteAsk(null)}
          footer={
            <>
              <button className="btn" data-testid="paste-cancel" autoFocus onClick={() => setPasteAsk(null)}>
                取消，不粘贴
              </button>
              <button
                className="btn primary"
                data-testid="paste-ok"
                onClick={() => {
                  setPasteAsk(null);
                  pasteAsk.run();
                }}
              >
                粘贴并修改 {pasteAsk.rows} 条措施
              </button>
            </>
          }
        >
          <p data-testid="paste-summary">
            这次粘贴将修改 <b>{pasteAsk.rows}</b> 条措施的 {pasteAsk.cells} 个单元格
            {pasteAsk.rows > PASTE_ASK_ROWS ? '，多数不在当前屏幕上' : ''}。
          </p>
          {pasteAsk.confirmedLost > 0 && (
            <p className="form-error" data-testid="paste-confirmed-lost">
              其中 {pasteAsk.confirmedLost} 条已确认的牵头单位将被替换。
            </p>
          )}
          <table className="paste-sample" data-testid="paste-sample">
            <thead>
              <tr>
                <th>编号</th>
                <th>列</th>
                <th>原值</th>
                <th />
                <th>新值</th>
              </tr>
            </thead>
            <tbody>
              {pasteAsk.sample.map((c, i) => (
                <tr key={i} className={c.confirmed ? 'lost' : undefined}>
                  <td>{c.id}</td>
                  <td>{c.header}</td>
                  <td className="clip" title={c.before}>
                    {c.before}
                    {c.confirmed ? '（已确认）' : ''}
                  </td>
                  <td>→</td>
                  <td className="clip" title={c.after}>
                    {c.after}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pasteAsk.cells > pasteAsk.sample.length && <p className="muted">（仅列出 {pasteAsk.sample.length} 处，共 {pasteAsk.cells} 处；粘贴后可按 Ctrl+Z 撤销）</p>}
        </Modal>
      )}
      {bulk && (
        <Modal title={`${BULK_TITLES[bulk]}（${bulkTargets.length} 条措施）`} onClose={() => setBulk(null)} width={bulk === 'lead' || bulk === 'co' ? 520 : 380}>
          {bulk === 'lead' && (
            <DeptPicker departments={departments} multi={false} value={[]} onCancel={() => setBulk(null)} onOk={(ids) => void applyBulk('lead', ids)} />
          )}
          {bulk === 'co' && (
            <DeptPicker departments={departments} multi value={[]} okLabel="添加" onCancel={() => setBulk(null)} onOk={(ids) => void applyBulk('co', ids)} />
          )}
          {bulk === 'cities' && <CityPicker value={[]} onCancel={() => setBulk(null)} onOk={(v) => void applyBulk('cities', v)} />}
          {bulk === 'deadline' && <DatePicker value={null} onCancel={() => setBulk(null)} onOk={(v) => void applyBulk('deadline', v)} />}
          {bulk === 'status' && <StatusPicker value={null} onCancel={() => setBulk(null)} onOk={(v) => void applyBulk('status', v)} />}
        </Modal>
      )}
    </div>
  );
}
