// The project ledger's rows and their mutations: read (all, deleted ones too), edits saved at once
// (recorded by the main side for undo), soft delete and restore, the person's undo / redo; saved
// rows replace their old selves in place.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { Project, ProjectEdit } from '../../../shared/projects';
import type { UndoResult } from '../../../shared/ipc/contract';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { usePersonalUndo } from '../components/usePersonalUndo';
import { compareProjectIds } from './columns';

export function useProjectLedger(opts: { active: boolean; dataVersion: number; filterNonce: number | undefined; apiRef: RefObject<GridApi<Project> | null> }) {
  const { active, dataVersion, filterNonce, apiRef } = opts;
  const toast = useToast();
  const [rows, setRows] = useState<Project[]>([]);
  const rowsRef = useRef<Project[]>([]);
  rowsRef.current = rows;
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);

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

  useEffect(() => {
    void load();
  }, [load, dataVersion, filterNonce]);

  // undo/redo of this person's latest operation, kept in the database (survives a restart)
  const personalUndo = usePersonalUndo(
    active,
    dataVersion,
    useCallback(
      (r: UndoResult) => {
        if (r.projectIds.length) void load();
      },
      [load],
    ),
  );
  const refreshUndo = personalUndo.refresh;

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
        refreshUndo();
      }
    },
    [apiRef, mergeRows, toast, refreshUndo],
  );

  /** soft delete ('projects.delete') or restore, one project at a time, each merged as it is done */
  const setDeleted = async (list: Project[], restore: boolean) => {
    setBusy(true);
    let n = 0;
    try {
      for (const p of list) {
        mergeRows([await call(restore ? 'projects.restore' : 'projects.delete', { id: p.id })]);
        n++;
      }
      toast.show(restore ? `已恢复 ${n} 个项目` : `已删除 ${n} 个项目（可勾选“含已删除”后恢复）`, 'success');
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };

  return { rows, rowsRef, loading, busy, load, personalUndo, mergeRows, applyEdits, setDeleted };
}
