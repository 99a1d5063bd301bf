// Keyboard routes of the allocation grid that the grid itself does not give: Shift+↓/↑ extends the
// row selection from where it started (as in a file list), and the list of shortcuts the help shows.
import type { GridApi, IRowNode } from 'ag-grid-community';
import type { GridRow } from './types';

/** where a Shift+arrow selection started, and the rows it has selected so far */
export interface ShiftRange {
  anchor: string | null;
  ids: Set<string>;
  /** the row the last Shift+arrow left the focus on: focus moved elsewhere since starts a new run */
  last: string | null;
}

export function newShiftRange(): ShiftRange {
  return { anchor: null, ids: new Set(), last: null };
}

/**
 * Shift+↓ (dir 1) / Shift+↑ (dir −1) from the focused cell: the focus moves to the next measure row
 * (over chapter and task headers) and the rows from the anchor to it are selected; rows the same
 * Shift run selected before and now left behind are unselected again. Selections made otherwise
 * (ticks) stay. Returns false when there is nothing to do (no focus, at the end).
 */
export function extendSelection(api: GridApi<GridRow>, range: ShiftRange, dir: 1 | -1): boolean {
  const f = api.getFocusedCell();
  if (!f) return false;
  const total = api.getDisplayedRowCount();
  const at = (i: number) => api.getDisplayedRowAtIndex(i);
  let from = f.rowIndex;
  // a focused header row: start from the measure next to it
  while (from >= 0 && from < total && at(from)?.data?.kind !== 'measure') from += dir;
  if (from < 0 || from >= total) return false;
  const fromNode = at(from)!;
  if (range.anchor === null || range.last !== at(f.rowIndex)?.id || !api.getRowNode(range.anchor)?.displayed) {
    range.anchor = fromNode.id!;
    range.ids = new Set();
  }
  let to = from === f.rowIndex ? from + dir : from;
  while (to >= 0 && to < total && at(to)?.data?.kind !== 'measure') to += dir;
  if (to < 0 || to >= total) to = from;
  const anchorIdx = api.getRowNode(range.anchor)!.rowIndex!;
  const lo = Math.min(anchorIdx, to);
  const hi = Math.max(anchorIdx, to);
  const inRange: IRowNode<GridRow>[] = [];
  const ids = new Set<string>();
  for (let i = lo; i <= hi; i++) {
    const n = at(i);
    if (n?.data?.kind === 'measure') {
      inRange.push(n);
      ids.add(n.id!);
    }
  }
  const left = [...range.ids].filter((id) => !ids.has(id)).map((id) => api.getRowNode(id)).filter((n): n is IRowNode<GridRow> => !!n);
  if (left.length) api.setNodesSelected({ nodes: left, newValue: false });
  api.setNodesSelected({ nodes: inRange, newValue: true });
  range.ids = ids;
  range.last = at(to)!.id!;
  api.ensureIndexVisible(to);
  api.setFocusedCell(to, f.column);
  return true;
}

/** the shortcuts the help lists: keys, what they do */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['↑ ↓ ← →', '在单元格之间移动'],
  ['Enter / F2，或直接输入', '编辑当前单元格（输入的字作为新内容的开头）'],
  ['Enter · Esc', '编辑框中：保存 · 取消（进展情况中 Shift+Enter 换行）'],
  ['输入 · ↑↓ · Enter', '单位选择中：输入名称或简称筛选，↑↓ 移动高亮，Enter 选定（无匹配时会提示）'],
  ['Space', '勾选 / 取消勾选当前行'],
  ['Shift+↓ / Shift+↑', '从当前行起向下 / 向上扩展勾选'],
  ['F6', '在表格与“批量”按钮之间切换（按钮间用 Tab 或 ← →，Esc 回到表格）'],
  ['Ctrl+C / Ctrl+V', '复制所选行或单元格 / 从 Excel、WPS 粘贴（改动多时先确认）'],
  ['Ctrl+Z / Ctrl+Y', '撤销 / 重做'],
  ['? 或 F1', '显示本帮助'],
];
