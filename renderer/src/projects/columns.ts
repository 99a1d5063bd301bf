// The project grid's columns (from PROJECT_COLUMNS: widths tuned for a 1600-pixel screen, editors
// per column type, the year in the investment headers) and its fixed row options.
import type { ColDef, GetRowIdParams, RowClassParams, RowSelectionOptions } from 'ag-grid-community';
import { LONG_TEXT_MAX } from '../../../shared/ledger';
import { PROJECT_COLUMNS, type Project } from '../../../shared/projects';
import type { DeptIndex } from '../alloc/clipboard';
import { LongTextCellEditor } from '../components/LongTextCellEditor';
import {
  IdRenderer,
  LeadCellRenderer,
  NameRenderer,
  ProjectCityEditor,
  ProjectDeptEditor,
  SourceRenderer,
  projectCellText,
  type ProjectGridCtx,
} from '../components/projectCells';

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

export function compareProjectIds(a: string, b: string): number {
  return a[0] === b[0] ? Number(a.slice(1)) - Number(b.slice(1)) : a[0] < b[0] ? -1 : 1;
}

export function projectColumnDefs(year: number, idx: DeptIndex): ColDef<Project>[] {
  return PROJECT_COLUMNS.map((col): ColDef<Project> => {
    const numeric = col.type === 'year' || col.type === 'money';
    const def: ColDef<Project> = {
      colId: col.key,
      headerName: col.key === 'yearPlanned' ? `${year}年计划投资（亿元）` : col.key === 'yearCompleted' ? `${year}年完成投资（亿元）` : col.header,
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
  });
}

export const defaultColDef: ColDef<Project> = { suppressHeaderMenuButton: true, wrapHeaderText: true, autoHeaderHeight: true };
export const rowSelection: RowSelectionOptions<Project> = { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false, selectAll: 'filtered' };
export const selectionColumnDef = { pinned: 'left' as const, width: 44 };
export const getRowId = (p: GetRowIdParams<Project>) => p.data.id;
export const getRowClass = (p: RowClassParams<Project>) => (p.data?.deleted ? 'row-deleted' : undefined);
