// The allocation page's keyboard between the grid and its action toolbar: F6 goes to the toolbar and
// back to the cell it left from, ← → move between the toolbar's buttons, Esc returns to the grid,
// ? or F1 opens the shortcut help; a closed bulk dialog hands the keyboard back to the grid.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import type { Column, GridApi } from 'ag-grid-community';
import { isTextTarget } from '../components/grid';
import type { GridRow } from './types';

export function useToolbarFocus(opts: {
  active: boolean;
  apiRef: RefObject<GridApi<GridRow> | null>;
  /** a dialog is open: its keys are its own */
  dialogOpen: boolean;
  /** the bulk dialog is open (its closing brings the focus back to the grid) */
  bulkOpen: boolean;
}) {
  const { active, apiRef, dialogOpen, bulkOpen } = opts;
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
  }, [apiRef]);
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || dialogOpen) return;
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
  }, [active, apiRef, dialogOpen, help, backToGrid]);
  // a bulk dialog closed (done or cancelled): the keyboard goes on in the grid where it was
  const hadBulk = useRef(false);
  useEffect(() => {
    if (hadBulk.current && !bulkOpen && (document.activeElement === document.body || document.activeElement === null)) backToGrid();
    hadBulk.current = bulkOpen;
  }, [bulkOpen, backToGrid]);
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
  return { toolbarRef, gridWrapRef, help, setHelp, onToolbarKeyDown };
}
