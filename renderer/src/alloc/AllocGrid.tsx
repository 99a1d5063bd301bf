// The allocation grid itself: AG Grid over the store's rows (heading rows full width, the filters
// as an external filter), the keys it needs beyond the grid's own (Shift+↑↓ extends the checked
// rows, Enter saves a long-text editor), copy / paste, and the empty-filter message with 清除筛选.
import { useCallback, useRef, type ClipboardEvent as ReactClipboardEvent, type KeyboardEvent as ReactKeyboardEvent, type MutableRefObject, type RefObject } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, PostSortRowsParams } from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import type { MeasureEdit, MeasurePatch } from '../../../shared/domain';
import { LONG_TEXT_MAX } from '../../../shared/ledger';
import { gridTheme, isTextTarget } from '../components/grid';
import { holdTypedKey } from '../components/typeAhead';
import { GroupRowRenderer } from './cells';
import {
  defaultColDef,
  doesExternalFilterPass,
  getRowClass,
  getRowHeight,
  getRowId,
  groupedPostSort,
  isExternalFilterPresent,
  isFullWidthRow,
  rowSelection,
  selectionColumnDef,
} from './columns';
import { extendSelection, newShiftRange } from './keyboard';
import type { LedgerStore } from './store';
import type { GridCtx, GridRow } from './types';

/**
 * Enter in the 进展情况 / 备注 editor: save first, then close the editor on the saved row (one
 * drawing instead of two: the editor closing, then the saved value a frame later). The editor stays
 * open if the save is refused, so no typing is lost. Other keys and other editors go the grid's way.
 * Shift+↑ / Shift+↓ on a cell extend the checked rows.
 */
function useGridKeys(apiRef: RefObject<GridApi<GridRow> | null>, applyEdits: (edits: MeasureEdit[], op: string, onSaved?: () => void) => Promise<boolean>) {
  const shiftRange = useRef(newShiftRange());
  return useCallback(
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
    [apiRef, applyEdits],
  );
}

export function AllocGrid(p: {
  apiRef: MutableRefObject<GridApi<GridRow> | null>;
  storeRef: MutableRefObject<LedgerStore>;
  gridWrapRef: RefObject<HTMLDivElement | null>;
  columnDefs: ColDef<GridRow>[];
  ctx: GridCtx;
  grouping: boolean;
  loading: boolean;
  applyEdits: (edits: MeasureEdit[], op: string, onSaved?: () => void) => Promise<boolean>;
  onPaste: (e: ReactClipboardEvent<HTMLDivElement>) => void;
  onCopy: (e: ReactClipboardEvent<HTMLDivElement>) => void;
  onSelectedIds: (ids: string[]) => void;
  /** the filters hide every measure: say so, with a way out */
  empty: { label: string | null; onClear: () => void } | null;
}) {
  const { apiRef, storeRef, grouping } = p;
  const onKeyDownCapture = useGridKeys(apiRef, p.applyEdits);
  const postSortRows = useCallback(
    (e: PostSortRowsParams<GridRow>) => {
      if (grouping) groupedPostSort(e);
    },
    [grouping],
  );
  return (
    <div className="grid-wrap" data-testid="alloc-grid" ref={p.gridWrapRef} onPaste={p.onPaste} onCopy={p.onCopy} onKeyDownCapture={onKeyDownCapture}>
      <AgGridReact<GridRow>
        theme={gridTheme}
        localeText={AG_GRID_LOCALE_CN}
        isExternalFilterPresent={isExternalFilterPresent}
        doesExternalFilterPass={doesExternalFilterPass}
        columnDefs={p.columnDefs}
        defaultColDef={defaultColDef}
        context={p.ctx}
        getRowId={getRowId}
        rowSelection={rowSelection}
        selectionColumnDef={selectionColumnDef}
        isFullWidthRow={isFullWidthRow}
        fullWidthCellRenderer={GroupRowRenderer}
        getRowHeight={getRowHeight}
        getRowClass={getRowClass}
        postSortRows={postSortRows}
        tooltipShowDelay={600}
        // rows jump to their places after a filter: on a large ledger the animation costs more than it shows
        animateRows={false}
        // a ledger has a scroll bar anyway; asking whether it needs one forced a layout on every filter
        alwaysShowVerticalScroll
        loading={p.loading}
        onGridReady={(e) => {
          apiRef.current = e.api;
          // rows that arrived before the grid was ready
          if (storeRef.current.order.length) e.api.setGridOption('rowData', storeRef.current.order.slice());
        }}
        onSelectionChanged={(e) =>
          p.onSelectedIds(
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
      {p.empty && (
        <div className="grid-empty" data-testid="alloc-empty" role="status">
          <span>没有符合当前筛选条件的措施{p.empty.label ? `（来自统计看板：${p.empty.label}）` : ''}</span>
          <button className="btn" data-testid="alloc-empty-clear" onClick={p.empty.onClear}>
            清除筛选
          </button>
        </div>
      )}
    </div>
  );
}
