// The allocation ledger's mutations: a cell's edit, a batch (bulk set, paste), confirming the
// suggested leads. Each is saved at once by the main side (which records it for undo), and the saved
// rows come back into the grid; a refused save leaves the grid showing the stored values.
import { useCallback, useRef, useState, type MutableRefObject, type RefObject } from 'react';
import type { GridApi } from 'ag-grid-community';
import { STATUSES, type MeasureEdit, type MeasurePatch, type MeasureRow, type Status } from '../../../shared/domain';
import { LONG_TEXT_MAX } from '../../../shared/ledger';
import { call } from '../api';
import { overLimitMessage } from '../components/LongTextCellEditor';
import { useToast } from '../components/Toast';
import type { LedgerStore } from './store';
import type { GridRow } from './types';

export function useLedgerEdits(opts: {
  apiRef: RefObject<GridApi<GridRow> | null>;
  storeRef: MutableRefObject<LedgerStore>;
  mergeRows: (changed: MeasureRow[], andThen?: () => void) => void;
  /** read the undo state again after a save */
  refreshUndo: () => void;
}) {
  const { apiRef, storeRef, mergeRows, refreshUndo } = opts;
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  /** Save edits at once; the main side records them for undo. */
  // A cell's edit shows 正在保存 only when the save takes longer than 150 ms: a quick save
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
        refreshUndo();
      }
    },
    [apiRef, mergeRows, toast, refreshUndo],
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
        refreshUndo();
      }
    },
    [storeRef, mergeRows, toast, refreshUndo],
  );

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

  return { busy, applyEdits, confirm, editCell };
}
