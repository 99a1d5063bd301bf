// 重点项目: the project ledger as a grid built from PROJECT_COLUMNS, like the allocation grid —
// editors, filters, bulk set, paste of an Excel block (all or nothing), undo/redo, add, soft delete
// and restore — and a project card with the plan quote and the yearly investment plan.
import { useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent as ReactClipboardEvent, type FormEvent } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type {
  CellDoubleClickedEvent,
  CellEditRequestEvent,
  CellKeyDownEvent,
  ColDef,
  Column,
  GetRowIdParams,
  GridApi,
  IRowNode,
  RowClassParams,
  RowSelectionOptions,
} from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import { CITIES, type City, type Department } from '../../../shared/domain';
import {
  PROJECT_CATEGORIES,
  PROJECT_COLUMNS,
  PROJECT_STAGES,
  type Project,
  type ProjectCategory,
  type ProjectColumn,
  type ProjectEdit,
  type ProjectNew,
  type ProjectPatch,
  type ProjectStage,
} from '../../../shared/projects';
import { call } from '../api';
import '../components/projects-dashboard.css';
import { useToast } from '../components/Toast';
import { Modal } from '../components/Modal';
import { CityPicker, DeptPicker } from '../components/Pickers';
import { LongTextCellEditor } from '../components/LongTextCellEditor';
import { LONG_TEXT_MAX } from '../../../shared/ledger';
import { buildDeptIndex, parseTsv, toTsv } from '../alloc/clipboard';
import { gridTheme } from './AllocPage';
import type { ProjectFilter } from '../components/externalFilter';
import {
  IdRenderer,
  LeadCellRenderer,
  NameRenderer,
  ProjectCityEditor,
  ProjectDeptEditor,
  SourceRenderer,
  mergePatch,
  patchForValue,
  projectCellText,
  type ProjectGridCtx,
} from '../components/projectCells';
import { ProjectCard } from '../components/ProjectCard';
import { usePersonalHistory } from '../components/usePersonalHistory';
import type { UndoResult } from '../../../shared/ipc/contract';

type BulkKind = 'stage' | 'lead' | 'category';
const BULK_TITLES: Record<BulkKind, string> = { stage: '批量设置建设阶段', lead: '批量设置牵头单位', category: '批量设置类别' };
const SELECTION_COL = 'ag-Grid-SelectionColumn';
/** grid widths (px) tuned so the investment columns fit on a 1600-pixel screen */
const WIDTHS: Partial<Record<string, number>> = {
  id: 112,
  name: 290,
  category: 76,
  cities: 120,
  location: 110,
  lead: 160,
  stage: 80,
  startYear: 80,
  endYear: 80,
  totalInvestment: 104,
  yearPlanned: 112,
  yearCompleted: 112,
  completedTotal: 112,
  progressText: 220,
  problems: 180,
  task: 220,
  quote: 320,
  source: 90,
};

function isTextTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}

function compareProjectIds(a: string, b: string): number {
  return a[0] === b[0] ? Number(a.slice(1)) - Number(b.slice(1)) : a[0] < b[0] ? -1 : 1;
}

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
  commandBus: EventTarget;
  initialFilter?: ProjectFilter | null;
  onClearInitialFilter?: () => void;
}

export function ProjectsPage({ active, departments, dataVersion, commandBus, initialFilter, onClearInitialFilter }: Props) {
  const toast = useToast();
  const [rows, setRows] = useState<Project[]>([]);
  const rowsRef = useRef<Project[]>([]);
  rowsRef.current = rows;
  const [loading, setLoading] = useState(true);
  const apiRef = useRef<GridApi<Project> | null>(null);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [adding, setAdding] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<Project[] | null>(null);
  const [cardId, setCardId] = useState<string | null>(null);

  const [fCategory, setFCategory] = useState('');
  const [fCity, setFCity] = useState('');
  const [fStage, setFStage] = useState('');
  const [fLead, setFLead] = useState('');
  const [fText, setFText] = useState('');
  const [withDeleted, setWithDeleted] = useState(false);
  const [external, setExternal] = useState<{ ids: Set<string> | null; label: string } | null>(null);
  const [appliedNonce, setAppliedNonce] = useState<number | null>(null);
  if (initialFilter && initialFilter.nonce !== appliedNonce) {
    setAppliedNonce(initialFilter.nonce);
    setFCategory(initialFilter.category ?? '');
    setFCity(initialFilter.city ?? '');
    setFStage(initialFilter.stage ?? '');
    setFLead('');
    setFText('');
    setExternal({ ids: initialFilter.ids ? new Set(initialFilter.ids) : null, label: initialFilter.label });
  }
  const clearExternal = () => {
    setExternal(null);
    setFCategory('');
    setFCity('');
    setFStage('');
    onClearInitialFilter?.();
  };

  const idx = useMemo(() => buildDeptIndex(departments), [departments]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const list = await call('projects.list', { includeDeleted: true });
      setRows([...list].sort((a, b) => compareProjectIds(a.id, b.id)));
    } catch (e) {
      toast.error(e);
    } finally {
      setLoading(false);
    }
  }, [toast]);

  const filterNonce = initialFilter?.nonce;
  useEffect(() => {
    void load();
  }, [load, dataVersion, filterNonce]);

  // undo/redo of this person's latest operation, kept in the database (survives a restart)
  const history = usePersonalHistory(
    active,
    dataVersion,
    useCallback(
      (r: UndoResult) => {
        if (r.projectIds.length) void load();
      },
      [load],
    ),
  );
  const { undo, redo, refresh: refreshHistory } = history;

  const mergeRows = useCallback((changed: Project[]) => {
    if (!changed.length) return;
    const map = new Map(changed.map((r) => [r.id, r]));
    const known = new Set(rowsRef.current.map((r) => r.id));
    const next = [...rowsRef.current.map((r) => map.get(r.id) ?? r), ...changed.filter((c) => !known.has(c.id))];
    rowsRef.current = next;
    setRows(next);
  }, []);

  /** Save edits at once; the main side records them for undo. */
  const applyEdits = useCallback(
    async (edits: ProjectEdit[], op: string): Promise<boolean> => {
      if (!edits.length) return true;
      setBusy(true);
      try {
        const changed = await call('projects.update', { edits, op });
        mergeRows(changed);
        return true;
      } catch (e) {
        toast.error(e);
        apiRef.current?.refreshCells({ force: true });
        return false;
      } finally {
        setBusy(false);
        refreshHistory();
      }
    },
    [mergeRows, toast, refreshHistory],
  );

  const openCard = useCallback((id: string) => setCardId(id), []);
  const ctx = useMemo<ProjectGridCtx>(() => ({ idx, departments, applyEdits, openCard }), [idx, departments, applyEdits, openCard]);
  useEffect(() => {
    apiRef.current?.refreshCells({ force: true });
  }, [idx]);

  const colByKey = useMemo(() => new Map(PROJECT_COLUMNS.map((c) => [c.key as string, c])), []);

  const visible = useMemo(() => {
    const q = fText.trim().toLowerCase();
    const ids = external?.ids ?? null;
    return rows.filter((p) => {
      if (ids && !ids.has(p.id)) return false;
      if (!withDeleted && p.deleted) return false;
      if (fCategory && p.category !== fCategory) return false;
      if (fCity && !p.cities.includes(fCity as City)) return false;
      if (fStage && p.stage !== fStage) return false;
      if (fLead === 'none' ? p.leadId != null : fLead && String(p.leadId) !== fLead) return false;
      if (q) {
        const hay = PROJECT_COLUMNS.map((c) => projectCellText(c, p, idx)).join('\n').toLowerCase();
        if (!hay.includes(q)) return false;
      }
      return true;
    });
  }, [rows, external, withDeleted, fCategory, fCity, fStage, fLead, fText, idx]);

  const year = rows[0]?.year ?? new Date().getFullYear();

  const columnDefs = useMemo<ColDef<Project>[]>(
    () =>
      PROJECT_COLUMNS.map((col): ColDef<Project> => {
        const numeric = col.type === 'year' || col.type === 'money';
        const def: ColDef<Project> = {
          colId: col.key,
          headerName:
            col.key === 'yearPlanned' ? `${year}年计划投资（亿元）` : col.key === 'yearCompleted' ? `${year}年完成投资（亿元）` : col.header,
          headerTooltip: col.header,
          width: Math.max(80, Math.min(col.width * 13 + 16, 420)),
          editable: (p) => col.editable && !!p.data && !p.data.deleted,
          valueGetter: (p) => {
            if (!p.data) return null;
            if (numeric) return (p.data[col.key as keyof Project] as number | null) ?? null;
            return projectCellText(col, p.data, (p.context as ProjectGridCtx).idx);
          },
          valueFormatter: numeric ? (p) => (p.value == null ? '' : projectCellText(col, p.data!, idx)) : undefined,
          sortable: true,
          resizable: true,
          cellClass: col.editable ? 'cell-editable' : 'cell-readonly',
          tooltipValueGetter: col.type === 'longtext' || col.type === 'text' ? (p) => (p.value as string) ?? '' : undefined,
        };
        if (col.key === 'id') {
          def.pinned = 'left';
          def.width = 120;
          def.cellRenderer = IdRenderer;
          def.cellClass = 'cell-id';
          def.comparator = (a: string, b: string) => compareProjectIds(a, b);
        }
        if (col.key === 'name') {
          def.pinned = 'left';
          def.width = 300;
          def.cellRenderer = NameRenderer;
        }
        if (numeric) {
          def.cellEditor = 'agNumberCellEditor';
          def.cellEditorParams = col.type === 'year' ? { min: 1990, max: 2100, precision: 0 } : { min: 0, max: 100000 };
          def.cellClass = `${col.editable ? 'cell-editable' : 'cell-readonly'} cell-num`;
          def.width = col.type === 'year' ? 90 : 118;
        }
        switch (col.type) {
          case 'category':
          case 'stage':
            def.cellEditor = 'agSelectCellEditor';
            def.cellEditorParams = { values: [...(col.values ?? [])] };
            def.width = 96;
            break;
          case 'dept':
            def.width = 190;
            def.cellRenderer = LeadCellRenderer;
            def.cellEditor = ProjectDeptEditor;
            def.cellEditorPopup = true;
            break;
          case 'cities':
            def.width = 150;
            def.cellEditor = ProjectCityEditor;
            def.cellEditorPopup = true;
            break;
          case 'longtext':
            def.cellEditor = LongTextCellEditor;
            def.cellEditorPopup = true;
            def.cellEditorParams = { maxLength: LONG_TEXT_MAX };
            def.suppressKeyboardEvent = (p) => p.editing;
            def.width = col.key === 'quote' ? 320 : 220;
            break;
          case 'source':
            def.cellRenderer = SourceRenderer;
            def.width = 110;
            break;
        }
        const w = WIDTHS[col.key];
        if (w) def.width = w;
        return def;
      }),
    [year, idx],
  );

  const defaultColDef = useMemo<ColDef<Project>>(() => ({ suppressHeaderMenuButton: true, wrapHeaderText: true, autoHeaderHeight: true }), []);
  const rowSelection = useMemo<RowSelectionOptions<Project>>(
    () => ({ mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false, selectAll: 'filtered' }),
    [],
  );
  const selectionColumnDef = useMemo(() => ({ pinned: 'left' as const, width: 44 }), []);

  const onCellEditRequest = useCallback(
    (e: CellEditRequestEvent<Project>) => {
      const p = e.data;
      const col = colByKey.get(e.column.getColId());
      if (!p || !col) return;
      const r = patchForValue(col, e.newValue, p, idx);
      if (!r.ok) {
        toast.show(`${p.id}「${col.header}」：${r.reason}`, 'error');
        apiRef.current?.refreshCells({ force: true });
        return;
      }
      void applyEdits([{ projectId: p.id, patch: r.value }], '编辑');
    },
    [applyEdits, colByKey, idx, toast],
  );

  const selectedProjects = useCallback((): Project[] => {
    const api = apiRef.current;
    if (!api) return [];
    const ids = new Set(api.getSelectedRows().map((r) => r.id));
    return rowsRef.current.filter((r) => ids.has(r.id));
  }, []);

  const applyBulk = async (kind: BulkKind, value: string | number | null) => {
    const targets = selectedProjects().filter((p) => !p.deleted);
    if (!targets.length) {
      toast.show('请先勾选要设置的项目（已删除的项目不能修改）');
      return;
    }
    const patch: ProjectPatch =
      kind === 'stage' ? { stage: value as ProjectStage } : kind === 'category' ? { category: value as ProjectCategory } : { leadId: value as number | null };
    setBulk(null);
    const ok = await applyEdits(targets.map((p) => ({ projectId: p.id, patch })), '批量设置');
    if (ok) toast.show(`${BULK_TITLES[kind].replace('批量', '已批量')}：${targets.length} 个项目`, 'success');
  };

  // ----- clipboard
  const columnsInView = useCallback((): { column: Column; col: ProjectColumn }[] => {
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
      const cols = columnsInView();
      const startCol = cols.findIndex((c) => c.column.getColId() === focused.column.getColId());
      if (startCol < 0) {
        toast.show('请先单击要粘贴的起始单元格（不能从勾选列开始）', 'error');
        return;
      }
      const targets: Project[] = [];
      const total = api.getDisplayedRowCount();
      for (let i = focused.rowIndex; i < total && targets.length < block.length; i++) {
        const n = api.getDisplayedRowAtIndex(i);
        if (n?.data) targets.push(n.data);
      }
      const width = Math.max(...block.map((r) => r.length));
      const errors: string[] = [];
      if (targets.length < block.length) errors.push(`粘贴内容有 ${block.length} 行，但起始单元格以下只有 ${targets.length} 个项目`);
      if (startCol + width > cols.length) errors.push(`粘贴内容有 ${width} 列，超出了表格右边界`);
      const edits: ProjectEdit[] = [];
      let skipped = 0;
      if (!errors.length) {
        block.forEach((cells, ri) => {
          const target = targets[ri];
          if (target.deleted) {
            errors.push(`${target.id} 已删除，不能粘贴`);
            return;
          }
          let patch: ProjectPatch = {};
          cells.forEach((raw, ci) => {
            const { col } = cols[startCol + ci];
            if (!col.editable) {
              skipped++;
              return;
            }
            const r = patchForValue(col, raw, target, idx);
            if (!r.ok) errors.push(`${target.id}「${col.header}」：${r.reason}`);
            else patch = mergePatch(patch, r.value);
          });
          if (Object.keys(patch).length) edits.push({ projectId: target.id, patch });
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
      void (async () => {
        const ok = await applyEdits(edits, '粘贴');
        if (ok) {
          const cellCount = block.reduce((s, r) => s + r.length, 0) - skipped;
          toast.show(`已粘贴 ${cellCount} 个单元格（${edits.length} 个项目）${skipped ? `，跳过只读单元格 ${skipped} 个` : ''}`, 'success');
          const nodes = edits.map((ed) => api.getRowNode(ed.projectId)).filter((n): n is IRowNode<Project> => !!n);
          api.flashCells({ rowNodes: nodes, columns: cols.slice(startCol, startCol + width).map((c) => c.column) });
        }
      })();
    },
    [applyEdits, columnsInView, idx, toast],
  );

  const onCopy = useCallback(
    (e: ReactClipboardEvent<HTMLDivElement>) => {
      const api = apiRef.current;
      if (!api || isTextTarget(e.target) || api.getEditingCells().length > 0) return;
      const cols = columnsInView();
      const selected = selectedProjects();
      let text = '';
      if (selected.length) text = toTsv(selected.map((p) => cols.map(({ col }) => projectCellText(col, p, idx))));
      else {
        const f = api.getFocusedCell();
        const n = f ? api.getDisplayedRowAtIndex(f.rowIndex) : undefined;
        const c = f ? colByKey.get(f.column.getColId()) : undefined;
        if (!n?.data || !c) return;
        text = toTsv([[projectCellText(c, n.data, idx)]]);
      }
      e.preventDefault();
      e.clipboardData.setData('text/plain', text);
      toast.show(selected.length ? `已复制 ${selected.length} 行` : '已复制单元格');
    },
    [colByKey, columnsInView, idx, selectedProjects, toast],
  );

  // ----- keyboard: undo / redo (only while this page is shown)
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      if (isTextTarget(e.target) || isTextTarget(document.activeElement)) return;
      if (apiRef.current && apiRef.current.getEditingCells().length > 0) return;
      if (bulk || adding || cardId || confirmDelete) return;
      e.preventDefault();
      if (k === 'y' || e.shiftKey) void redo();
      else void undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, undo, redo, bulk, adding, cardId, confirmDelete]);

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

  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<Project>) => {
      const ev = e.event as KeyboardEvent | undefined;
      if (!ev || ev.key !== 'Enter' || !e.data) return;
      const col = colByKey.get(e.column.getColId());
      if (col && col.editable && !e.data.deleted) return; // Enter edits an editable cell
      ev.preventDefault();
      openCard(e.data.id);
    },
    [colByKey, openCard],
  );
  const onCellDoubleClicked = useCallback(
    (e: CellDoubleClickedEvent<Project>) => {
      const col = colByKey.get(e.column.getColId());
      if (!e.data || (col && col.editable && !e.data.deleted)) return;
      openCard(e.data.id);
    },
    [colByKey, openCard],
  );

  // ----- delete / restore
  const selectedCount = selectedIds.length;
  const selectedRows = rows.filter((r) => selectedIds.includes(r.id));
  const doDelete = async (list: Project[]) => {
    setConfirmDelete(null);
    setBusy(true);
    let n = 0;
    try {
      for (const p of list) {
        mergeRows([await call('projects.delete', { id: p.id })]);
        n++;
      }
      toast.show(`已删除 ${n} 个项目（可勾选“含已删除”后恢复）`, 'success');
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };
  const doRestore = async (list: Project[]) => {
    setBusy(true);
    let n = 0;
    try {
      for (const p of list) {
        mergeRows([await call('projects.restore', { id: p.id })]);
        n++;
      }
      toast.show(`已恢复 ${n} 个项目`, 'success');
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };

  const getRowId = useCallback((p: GetRowIdParams<Project>) => p.data.id, []);
  const getRowClass = useCallback((p: RowClassParams<Project>) => (p.data?.deleted ? 'row-deleted' : undefined), []);
  const leadOptions = useMemo(() => departments.filter((d) => d.state === '在用' || rows.some((r) => r.leadId === d.id)), [departments, rows]);
  const card = cardId ? rows.find((r) => r.id === cardId) : undefined;
  const live = rows.filter((r) => !r.deleted);

  return (
    <div className="alloc-page projects-page">
      <div className="toolbar filters" role="search">
        <select className="input" data-testid="proj-filter-category" value={fCategory} onChange={(e) => setFCategory(e.target.value)} aria-label="类别">
          <option value="">全部类别</option>
          {PROJECT_CATEGORIES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select className="input" data-testid="proj-filter-city" value={fCity} onChange={(e) => setFCity(e.target.value)} aria-label="城市">
          <option value="">全部城市</option>
          {CITIES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select className="input" data-testid="proj-filter-stage" value={fStage} onChange={(e) => setFStage(e.target.value)} aria-label="建设阶段">
          <option value="">全部阶段</option>
          {PROJECT_STAGES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <select className="input" data-testid="proj-filter-lead" value={fLead} onChange={(e) => setFLead(e.target.value)} aria-label="牵头单位">
          <option value="">全部牵头单位</option>
          <option value="none">（未指定牵头单位）</option>
          {leadOptions.map((d) => (
            <option key={d.id} value={String(d.id)}>
              {d.name}
              {d.state !== '在用' ? `（${d.state}）` : ''}
            </option>
          ))}
        </select>
        <input
          className="input grow"
          type="search"
          data-testid="proj-filter-text"
          placeholder="筛选：编号、名称、地点、原文、进度…"
          value={fText}
          onChange={(e) => setFText(e.target.value)}
        />
        {external && (
          <span className="ext-chip" data-testid="projects-external-filter" title="来自统计看板的筛选；点击 × 清除">
            来自统计看板：{external.label}
            <button className="ext-chip-x" aria-label="清除来自统计看板的筛选" onClick={clearExternal}>
              ×
            </button>
          </span>
        )}
        <label className="check">
          <input type="checkbox" data-testid="proj-filter-deleted" checked={withDeleted} onChange={(e) => setWithDeleted(e.target.checked)} />
          含已删除
        </label>
      </div>
      <div className="toolbar actions">
        <button className="btn primary" data-testid="project-add" disabled={busy} onClick={() => setAdding(true)}>
          ＋ 新增项目
        </button>
        <span className="toolbar-label">　批量：</span>
        <button className="btn" data-testid="proj-bulk-stage" disabled={!selectedCount || busy} onClick={() => setBulk('stage')}>
          设置阶段
        </button>
        <button className="btn" data-testid="proj-bulk-lead" disabled={!selectedCount || busy} onClick={() => setBulk('lead')}>
          设置牵头单位
        </button>
        <button className="btn" data-testid="proj-bulk-category" disabled={!selectedCount || busy} onClick={() => setBulk('category')}>
          设置类别
        </button>
        <button
          className="btn"
          data-testid="project-delete"
          disabled={!selectedRows.some((r) => !r.deleted) || busy}
          onClick={() => setConfirmDelete(selectedRows.filter((r) => !r.deleted))}
        >
          删除
        </button>
        <button
          className="btn"
          data-testid="project-restore"
          disabled={!selectedRows.some((r) => r.deleted) || busy}
          onClick={() => void doRestore(selectedRows.filter((r) => r.deleted))}
        >
          恢复
        </button>
        <span className="spacer" />
        <button className="btn" data-testid="proj-undo" disabled={!history.state?.canUndo || busy || history.busy} onClick={() => void undo()} title={history.state?.undoLabel ? `撤销：${history.state.undoLabel}（Ctrl+Z）` : '撤销（Ctrl+Z）'}>
          ↶ 撤销
        </button>
        <button className="btn" data-testid="proj-redo" disabled={!history.state?.canRedo || busy || history.busy} onClick={() => void redo()} title={history.state?.redoLabel ? `重做：${history.state.redoLabel}（Ctrl+Y）` : '重做（Ctrl+Y）'}>
          ↷ 重做
        </button>
        <button className="btn" onClick={() => void load()} title="从数据库重新读取">
          刷新
        </button>
      </div>
      <div className="grid-wrap" data-testid="projects-grid" onPaste={onPaste} onCopy={onCopy}>
        <AgGridReact<Project>
          theme={gridTheme}
          localeText={AG_GRID_LOCALE_CN}
          rowData={visible}
          columnDefs={columnDefs}
          defaultColDef={defaultColDef}
          context={ctx}
          getRowId={getRowId}
          rowSelection={rowSelection}
          selectionColumnDef={selectionColumnDef}
          readOnlyEdit
          onCellEditRequest={onCellEditRequest}
          onCellKeyDown={onCellKeyDown}
          onCellDoubleClicked={onCellDoubleClicked}
          rowHeight={38}
          getRowClass={getRowClass}
          tooltipShowDelay={600}
          loading={loading}
          onGridReady={(e) => (apiRef.current = e.api)}
          onSelectionChanged={(e) => setSelectedIds(e.api.getSelectedRows().map((r) => r.id))}
          overlayNoRowsTemplate="<span>没有符合条件的项目</span>"
        />
      </div>
      <div className="status-bar" data-testid="projects-status">
        共 {live.length} 个项目（规划 {live.filter((r) => !r.added).length}，新增 {live.filter((r) => r.added).length}），已筛选 {visible.length} 个，已选{' '}
        {selectedCount} 个
        {busy && <span className="saving">　正在保存…</span>}
        <span className="spacer" />
        <span className="muted">双击单元格编辑 · Enter/“卡片”打开项目卡片 · Ctrl+V 粘贴 · Ctrl+Z 撤销</span>
      </div>
      {bulk && (
        <Modal title={`${BULK_TITLES[bulk]}（${selectedRows.filter((r) => !r.deleted).length} 个项目）`} onClose={() => setBulk(null)} width={bulk === 'lead' ? 520 : 380}>
          {bulk === 'lead' ? (
            <DeptPicker departments={departments} multi={false} allowClear value={[]} onCancel={() => setBulk(null)} onOk={(ids) => void applyBulk('lead', ids[0] ?? null)} />
          ) : (
            <ChoicePicker
              values={bulk === 'stage' ? PROJECT_STAGES : PROJECT_CATEGORIES}
              onCancel={() => setBulk(null)}
              onOk={(v) => void applyBulk(bulk, v)}
              testId={`proj-bulk-${bulk}-picker`}
            />
          )}
        </Modal>
      )}
      {adding && (
        <NewProjectForm
          departments={departments}
          onCancel={() => setAdding(false)}
          onSaved={(p) => {
            setAdding(false);
            mergeRows([p]);
            toast.show(`已新增项目 ${p.id}“${p.name}”`, 'success');
            window.setTimeout(() => {
              const node = apiRef.current?.getRowNode(p.id);
              if (node) apiRef.current?.ensureNodeVisible(node);
            }, 50);
          }}
        />
      )}
      {confirmDelete && (
        <Modal
          title="删除项目"
          onClose={() => setConfirmDelete(null)}
          footer={
            <>
              <button className="btn" onClick={() => setConfirmDelete(null)}>
                取消
              </button>
              <button className="btn danger" data-testid="project-delete-ok" onClick={() => void doDelete(confirmDelete)} autoFocus>
                删除 {confirmDelete.length} 个项目
              </button>
            </>
          }
        >
          <p>
            将删除：{confirmDelete.slice(0, 5).map((p) => `${p.id} ${p.name}`).join('；')}
            {confirmDelete.length > 5 ? ` 等 ${confirmDelete.length} 个项目` : ''}。
          </p>
          <p className="hint">删除后项目不再计入统计，可勾选“含已删除”找到并恢复。</p>
        </Modal>
      )}
      {card && <ProjectCard project={card} idx={idx} applyEdits={applyEdits} onClose={() => setCardId(null)} />}
    </div>
  );
}

function ChoicePicker({
  values,
  onOk,
  onCancel,
  testId,
}: {
  values: readonly string[];
  onOk: (v: string) => void;
  onCancel: () => void;
  testId: string;
}) {
  const [v, setV] = useState(values[0]);
  return (
    <div className="picker picker-small" data-testid={testId}>
      <div className="picker-list short">
        {values.map((s) => (
          <label key={s} className="picker-option">
            <input type="radio" name={testId} data-testid="choice-option" checked={v === s} onChange={() => setV(s)} autoFocus={s === values[0]} />
            <span>{s}</span>
          </label>
        ))}
      </div>
      <div className="picker-actions">
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="choice-ok" onClick={() => onOk(v)}>
          确定
        </button>
      </div>
    </div>
  );
}

function NewProjectForm({ departments, onCancel, onSaved }: { departments: Department[]; onCancel: () => void; onSaved: (p: Project) => void }) {
  const [name, setName] = useState('');
  const [category, setCategory] = useState<ProjectCategory>(PROJECT_CATEGORIES[0]);
  const [stage, setStage] = useState<ProjectStage>('谋划');
  const [leadId, setLeadId] = useState('');
  const [cities, setCities] = useState<City[]>([]);
  const [pickCities, setPickCities] = useState(false);
  const [location, setLocation] = useState('');
  const [startYear, setStartYear] = useState('');
  const [endYear, setEndYear] = useState('');
  const [total, setTotal] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const active = departments.filter((d) => d.state === '在用');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setErr('请填写项目名称');
      return;
    }
    const num = (s: string) => (s.trim() ? Number(s) : null);
    const input: ProjectNew = {
      name: name.trim(),
      category,
      stage,
      leadId: leadId ? Number(leadId) : null,
      cities,
      location: location.trim(),
      startYear: num(startYear),
      endYear: num(endYear),
      totalInvestment: num(total),
    };
    for (const [k, v] of [['开工年份', input.startYear], ['完工年份', input.endYear], ['总投资', input.totalInvestment]] as const) {
      if (v !== null && v !== undefined && !Number.isFinite(v)) {
        setErr(`${k}应为数字`);
        return;
      }
    }
    setBusy(true);
    setErr('');
    try {
      onSaved(await call('projects.add', input));
    } catch (e2) {
      setErr(e2 instanceof Error ? e2.message : String(e2));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="新增项目（规划未列明的项目）" onClose={onCancel} width={560} testId="project-add-form">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>项目名称</span>
          <input className="input" data-testid="new-project-name" value={name} maxLength={200} autoFocus onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>类别</span>
          <select className="input" data-testid="new-project-category" value={category} onChange={(e) => setCategory(e.target.value as ProjectCategory)}>
            {PROJECT_CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>建设阶段</span>
          <select className="input" value={stage} onChange={(e) => setStage(e.target.value as ProjectStage)}>
            {PROJECT_STAGES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>牵头单位</span>
          <select className="input" value={leadId} onChange={(e) => setLeadId(e.target.value)}>
            <option value="">（暂不指定）</option>
            {active.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <span>所在城市</span>
          <span className="inline-pick">
            {cities.join('、') || <span className="muted">未选择</span>}
            <button type="button" className="btn" onClick={() => setPickCities(true)}>
              选择…
            </button>
          </span>
        </div>
        {pickCities && (
          <CityPicker
            value={cities}
            onCancel={() => setPickCities(false)}
            onOk={(v) => {
              setCities(v);
              setPickCities(false);
            }}
          />
        )}
        <label className="field">
          <span>县市区</span>
          <input className="input" value={location} maxLength={200} onChange={(e) => setLocation(e.target.value)} />
        </label>
        <div className="field">
          <span>建设年限</span>
          <span className="inline-pick">
            <input className="input num short" aria-label="开工年份" placeholder="开工" value={startYear} onChange={(e) => setStartYear(e.target.value)} />—
            <input className="input num short" aria-label="完工年份" placeholder="完工" value={endYear} onChange={(e) => setEndYear(e.target.value)} />年
          </span>
        </div>
        <label className="field">
          <span>总投资</span>
          <span className="inline-pick">
            <input className="input num short" value={total} onChange={(e) => setTotal(e.target.value)} /> 亿元
          </span>
        </label>
        {err && <div className="form-error">{err}</div>}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onCancel}>
            取消
          </button>
          <button type="submit" className="btn primary" data-testid="new-project-save" disabled={busy}>
            新增
          </button>
        </div>
      </form>
    </Modal>
  );
}
