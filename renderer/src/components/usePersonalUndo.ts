// Undo / redo of this person's latest operation, kept by the main side in the database
// (electron/services/undo.ts): it survives a reload or a restart and covers every page.
import { useCallback, useEffect, useState } from 'react';
import type { UndoState, UndoResult } from '../../../shared/ipc/contract';
import { call } from '../api';
import { useToast } from './Toast';

export interface PersonalUndo {
  state: UndoState | null;
  busy: boolean;
  /** read the state again (after an edit) */
  refresh(): void;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

/** onDone gets what an undo or redo touched, so the page can read its rows again. */
export function usePersonalUndo(active: boolean, version: unknown, onDone: (r: UndoResult) => void): PersonalUndo {
  const toast = useToast();
  const [state, setState] = useState<UndoState | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(() => {
    // the same state as before (the usual case after an edit): the page is not drawn again
    const keep = (next: UndoState | null) => setState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    call('undo.state', {}).then(keep, () => keep(null));
  }, []);
  // edits made on other pages (or before a restart) are undoable from here too
  useEffect(() => {
    if (active) refresh();
  }, [active, version, refresh]);

  const step = useCallback(
    async (which: 'undo' | 'redo') => {
      if (busy) return;
      setBusy(true);
      let result: UndoResult | null = null;
      try {
        result = await call(which === 'undo' ? 'undo.undo' : 'undo.redo', {});
        setState(result.state);
        const r = result;
        const where = r.measureIds.length ? `${r.measureIds.length} 条措施` : r.projectIds.length ? `${r.projectIds.length} 个项目` : `${r.fields} 处修改`;
        toast.show(`已${which === 'undo' ? '撤销' : '重做'}：${r.op}（${where}）`);
      } catch (e) {
        toast.error(e);
        refresh();
      } finally {
        setBusy(false);
      }
      // the next Ctrl+Z / Ctrl+Y need not wait for the page to read its rows again
      if (result) onDone(result);
    },
    [busy, toast, refresh, onDone],
  );
  const undo = useCallback(() => step('undo'), [step]);
  const redo = useCallback(() => step('redo'), [step]);
  return { state, busy, refresh, undo, redo };
}
