// The allocation grid's columns (from LEDGER_COLUMNS: widths, editors, renderers) and its fixed row
// options: selection, row ids, heading rows as full-width rows, row heights and classes, and the sort
// that keeps sorted measures inside their chapter and task headings.
import type {
  ColDef,
  GetRowIdParams,
  IRowNode,
  PostSortRowsParams,
  RowClassParams,
  RowHeightParams,
  RowSelectionOptions,
  SuppressKeyboardEventParams,
} from 'ag-grid-community';
import { STATUSES } from '../../../shared/domain';
import { LEDGER_COLUMNS, LONG_TEXT_MAX } from '../../../shared/ledger';
import { LongTextCellEditor } from '../components/LongTextCellEditor';
import { CityCellEditor, CoRenderer, DeadlineCellEditor, DeptCellEditor, LeadRenderer, SelectAllHeader, StatusRenderer } from './cells';
import { cellText } from './clipboard';
import type { GridCtx, GridRow } from './types';

function idKey(id: string): number[] {
  return id.split('.').map(Number);
}
export function compareIds(a: string, b: string): number {
  const x = idKey(a);
  const y = idKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

// the popup pickers (departments, cities, deadline, long text) handle their own keys: the grid
// would otherwise end the edit on Enter without the picker's choice, and move on arrows/Tab
const pickerKeys = (p: SuppressKeyboardEventParams<GridRow>) => p.editing;

/** the grid's columns; with grouping on, chapter / section / task are the heading rows instead */
export function allocColumnDefs(grouping: boolean): ColDef<GridRow>[] {
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
        if (col.key === 'id' && na.data?.kind === 'measure' && nb.data?.kind === 'measure') return compareIds(na.data.id, nb.data.id);
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
        def.cellEditorParams = { leads: true };
        def.suppressKeyboardEvent = pickerKeys;
        def.wrapText = true;
        def.cellClassRules = {
          'cell-suggest': (p) => p.data?.kind === 'measure' && p.data.m.leadIds.length > 0 && !p.data.m.leadConfirmed,
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
}

export const defaultColDef: ColDef<GridRow> = { suppressHeaderMenuButton: true };

export const rowSelection: RowSelectionOptions<GridRow> = {
  mode: 'multiRow',
  checkboxes: (p) => p.data?.kind === 'measure',
  // the grid's own header checkbox walks every row node twice per filter: SelectAllHeader instead
  headerCheckbox: false,
  isRowSelectable: (n) => n.data?.kind === 'measure',
  enableClickSelection: false,
  selectAll: 'filtered',
};

export const selectionColumnDef = { pinned: 'left' as const, width: 44, headerComponent: SelectAllHeader };

export const getRowId = (p: GetRowIdParams<GridRow>) => p.data.id;
export const isFullWidthRow = (p: { rowNode: IRowNode<GridRow> }) => p.rowNode.data?.kind !== 'measure';
export function getRowHeight(p: RowHeightParams<GridRow>): number {
  const k = p.data?.kind;
  if (k === 'chapter') return 40;
  if (k === 'task') return 34;
  return 70;
}
export function getRowClass(p: RowClassParams<GridRow>): string | undefined {
  const d = p.data;
  if (!d) return undefined;
  if (d.kind !== 'measure') return `row-${d.kind}`;
  return d.m.actionable ? undefined : 'row-background';
}
export const isExternalFilterPresent = () => true;
export const doesExternalFilterPass = (n: IRowNode<GridRow>) => !!n.data?.pass;

/** sorted by a column while grouped: each measure stays under its chapter and task headings */
export function groupedPostSort(p: PostSortRowsParams<GridRow>): void {
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
}
