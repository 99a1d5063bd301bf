// Copy and paste between a ledger grid and Excel / WPS, shared by the allocation and the project
// grids: copy the checked rows (or the focused cell) as TSV; paste a block at the focused cell, all
// or nothing (any bad cell refuses the whole paste, said in Chinese), saved as one undoable edit.
// The page supplies what differs: how a grid row maps to a ledger row, how a raw cell becomes a patch.
import { useCallback, type ClipboardEvent as ReactClipboardEvent, type RefObject } from 'react';
import type { Column, GridApi, IRowNode } from 'ag-grid-community';
import { parseTsv, toTsv } from '../alloc/clipboard';
import { SELECTION_COL, isTextTarget } from '../components/grid';
import { useToast } from '../components/Toast';

interface ColBase {
  key: string;
  header: string;
  editable: boolean;
}
type Conv<P> = { ok: true; value: P } | { ok: false; reason: string };

export interface ColumnInView<C> {
  column: Column;
  col: C;
}

export interface GridClipboardOptions<TData, TRow extends { id: string }, C extends ColBase, P, E> {
  apiRef: RefObject<GridApi<TData> | null>;
  colByKey: Map<string, C>;
  /** the ledger row a grid row shows (null: a heading row, not pasted into or copied) */
  rowOf: (data: TData) => TRow | null;
  /** the checked rows, for copy */
  selected: () => TRow[];
  cellText: (col: C, row: TRow) => string;
  /** the rows' noun with its measure word, for the messages: 条措施, 个项目 */
  unit: string;
  /** a row no paste may change: why (the whole paste is refused) */
  refuse?: (row: TRow) => string | null;
  convert: (col: C, raw: string, row: TRow) => Conv<P>;
  merge: (patch: P, value: P) => P;
  emptyPatch: () => P;
  toEdit: (row: TRow, patch: P) => E;
  editRowId: (edit: E) => string;
  applyEdits: (edits: E[], op: string) => Promise<boolean>;
  /** before saving: may hold the paste for a question (true) or let it run at once (false) */
  review?: (edits: E[], cols: C[], run: () => void) => boolean;
}

export function useGridClipboard<TData, TRow extends { id: string }, C extends ColBase, P extends object, E>(o: GridClipboardOptions<TData, TRow, C, P, E>) {
  const toast = useToast();
  const { apiRef, colByKey, rowOf, selected, cellText, unit, refuse, convert, merge, emptyPatch, toEdit, editRowId, applyEdits, review } = o;

  const columnsInView = useCallback((): ColumnInView<C>[] => {
    const api = apiRef.current;
    if (!api) return [];
    return api
      .getAllDisplayedColumns()
      .filter((c) => c.getColId() !== SELECTION_COL && colByKey.has(c.getColId()))
      .map((column) => ({ column, col: colByKey.get(column.getColId())! }));
  }, [apiRef, colByKey]);

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
      const targets: TRow[] = [];
      const total = api.getDisplayedRowCount();
      for (let i = focused.rowIndex; i < total && targets.length < block.length; i++) {
        const data = api.getDisplayedRowAtIndex(i)?.data;
        const row = data ? rowOf(data) : null;
        if (row) targets.push(row);
      }
      const width = Math.max(...block.map((r) => r.length));
      const errors: string[] = [];
      if (targets.length < block.length) errors.push(`粘贴内容有 ${block.length} 行，但起始单元格以下只有 ${targets.length} ${unit}`);
      if (startCol + width > cols.length) errors.push(`粘贴内容有 ${width} 列，超出了表格右边界`);
      const edits: E[] = [];
      let skipped = 0;
      if (!errors.length) {
        block.forEach((cells, ri) => {
          const target = targets[ri];
          const refused = refuse?.(target);
          if (refused) {
            errors.push(refused);
            return;
          }
          let patch = emptyPatch();
          cells.forEach((raw, ci) => {
            const { col } = cols[startCol + ci];
            if (!col.editable) {
              skipped++;
              return;
            }
            const r = convert(col, raw, target);
            if (!r.ok) errors.push(`${target.id}「${col.header}」：${r.reason}`);
            else patch = merge(patch, r.value);
          });
          if (Object.keys(patch).length) edits.push(toEdit(target, patch));
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
      const pasted = cols.slice(startCol, startCol + width);
      const run = () =>
        void (async () => {
          const ok = await applyEdits(edits, '粘贴');
          if (ok) {
            const cellCount = block.reduce((s, r) => s + r.length, 0) - skipped;
            toast.show(`已粘贴 ${cellCount} 个单元格（${edits.length} ${unit}）${skipped ? `，跳过只读单元格 ${skipped} 个` : ''}`, 'success');
            const nodes = edits.map((ed) => api.getRowNode(editRowId(ed))).filter((n): n is IRowNode<TData> => !!n);
            api.flashCells({ rowNodes: nodes, columns: pasted.map((c) => c.column) });
          }
        })();
      if (!review?.(edits, pasted.map((c) => c.col), run)) run();
    },
    [apiRef, toast, columnsInView, rowOf, unit, refuse, emptyPatch, convert, merge, toEdit, applyEdits, editRowId, review],
  );

  const onCopy = useCallback(
    (e: ReactClipboardEvent<HTMLDivElement>) => {
      const api = apiRef.current;
      if (!api || isTextTarget(e.target) || api.getEditingCells().length > 0) return;
      const cols = columnsInView();
      const rows = selected();
      let text = '';
      if (rows.length > 0) text = toTsv(rows.map((r) => cols.map(({ col }) => cellText(col, r))));
      else {
        const f = api.getFocusedCell();
        const data = f ? api.getDisplayedRowAtIndex(f.rowIndex)?.data : undefined;
        const row = data ? rowOf(data) : null;
        const c = f ? colByKey.get(f.column.getColId()) : undefined;
        if (!row || !c) return;
        text = toTsv([[cellText(c, row)]]);
      }
      e.preventDefault();
      e.clipboardData.setData('text/plain', text);
      toast.show(rows.length ? `已复制 ${rows.length} 行` : '已复制单元格');
    },
    [apiRef, columnsInView, selected, rowOf, colByKey, cellText, toast],
  );

  return { onPaste, onCopy };
}
