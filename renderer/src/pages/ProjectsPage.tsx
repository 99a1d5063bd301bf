// 重点项目: the project ledger as a grid built from PROJECT_COLUMNS, like the allocation grid —
// editors, filters, bulk set, paste of an Excel block (all or nothing), undo/redo, add, soft delete
// and restore — and a project card with the plan quote and the yearly investment plan. The parts
// live in renderer/src/projects/; copy / paste and the undo keys are shared with the allocation grid.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellDoubleClickedEvent, CellEditRequestEvent, CellKeyDownEvent, GridApi } from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import type { Department } from '../../../shared/domain';
import { PROJECT_COLUMNS, type Project, type ProjectCategory, type ProjectColumn, type ProjectEdit, type ProjectPatch, type ProjectStage } from '../../../shared/projects';
import '../components/projects-dashboard.css';
import { useToast } from '../components/Toast';
import { buildDeptIndex } from '../alloc/clipboard';
import { gridTheme } from '../components/grid';
import type { ProjectFilter } from '../components/externalFilter';
import { mergePatch, patchForValue, projectCellText, type ProjectGridCtx } from '../components/projectCells';
import { ProjectCard } from '../components/ProjectCard';
import { useGridClipboard } from '../hooks/useGridClipboard';
import { useUndoShortcuts } from '../hooks/useUndoShortcuts';
import { defaultColDef, getRowClass, getRowId, projectColumnDefs, rowSelection, selectionColumnDef } from '../projects/columns';
import { useProjectFilters } from '../projects/useProjectFilters';
import { useProjectLedger } from '../projects/useProjectLedger';
import { ProjectActionBar, ProjectFilterBar } from '../projects/ProjectToolbars';
import { BULK_TITLES, DeleteConfirm, ProjectBulkDialog, type BulkKind } from '../projects/ProjectDialogs';
import { NewProjectForm } from '../projects/NewProjectForm';

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
  commandBus: EventTarget;
  initialFilter?: ProjectFilter | null;
  onClearInitialFilter?: () => void;
}

const colByKey = new Map(PROJECT_COLUMNS.map((c) => [c.key as string, c]));

export function ProjectsPage({ active, departments, dataVersion, commandBus, initialFilter, onClearInitialFilter }: Props) {
  const toast = useToast();
  const apiRef = useRef<GridApi<Project> | null>(null);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [adding, setAdding] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<Project[] | null>(null);
  const [cardId, setCardId] = useState<string | null>(null);

  const idx = useMemo(() => buildDeptIndex(departments), [departments]);
  const { rows, rowsRef, loading, busy, load, personalUndo, mergeRows, applyEdits, setDeleted } = useProjectLedger({ active, dataVersion, filterNonce: initialFilter?.nonce, apiRef });
  const f = useProjectFilters(rows, idx, initialFilter, onClearInitialFilter);

  const openCard = useCallback((id: string) => setCardId(id), []);
  const ctx = useMemo<ProjectGridCtx>(() => ({ idx, departments, applyEdits, openCard }), [idx, departments, applyEdits, openCard]);
  useEffect(() => {
    apiRef.current?.refreshCells({ force: true });
  }, [idx]);

  const year = rows[0]?.year ?? new Date().getFullYear();
  const columnDefs = useMemo(() => projectColumnDefs(year, idx), [year, idx]);

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
    [applyEdits, idx, toast],
  );

  const selectedProjects = useCallback((): Project[] => {
    const api = apiRef.current;
    if (!api) return [];
    const ids = new Set(api.getSelectedRows().map((r) => r.id));
    return rowsRef.current.filter((r) => ids.has(r.id));
  }, [rowsRef]);

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

  const clipboard = useGridClipboard<Project, Project, ProjectColumn, ProjectPatch, ProjectEdit>({
    apiRef,
    colByKey,
    rowOf: projectOf,
    selected: selectedProjects,
    cellText: useCallback((col: ProjectColumn, p: Project) => projectCellText(col, p, idx), [idx]),
    unit: '个项目',
    refuse: refuseDeleted,
    convert: useCallback((col: ProjectColumn, raw: string, p: Project) => patchForValue(col, raw, p, idx), [idx]),
    merge: mergePatch,
    emptyPatch,
    toEdit: toProjectEdit,
    editRowId: projectEditId,
    applyEdits,
  });

  useUndoShortcuts({ active, apiRef, commandBus, undo: personalUndo.undo, redo: personalUndo.redo, blocked: !!(bulk || adding || cardId || confirmDelete) });

  const onCellKeyDown = useCallback(
    (e: CellKeyDownEvent<Project>) => {
      const ev = e.event as KeyboardEvent | undefined;
      if (!ev || ev.key !== 'Enter' || !e.data) return;
      const col = colByKey.get(e.column.getColId());
      if (col && col.editable && !e.data.deleted) return; // Enter edits an editable cell
      ev.preventDefault();
      openCard(e.data.id);
    },
    [openCard],
  );
  const onCellDoubleClicked = useCallback(
    (e: CellDoubleClickedEvent<Project>) => {
      const col = colByKey.get(e.column.getColId());
      if (!e.data || (col && col.editable && !e.data.deleted)) return;
      openCard(e.data.id);
    },
    [openCard],
  );

  const selectedCount = selectedIds.length;
  const selectedRows = rows.filter((r) => selectedIds.includes(r.id));
  const card = cardId ? rows.find((r) => r.id === cardId) : undefined;
  const live = rows.filter((r) => !r.deleted);

  return (
    <div className="alloc-page projects-page">
      <ProjectFilterBar f={f} departments={departments} rows={rows} />
      <ProjectActionBar
        selectedCount={selectedCount}
        selectedRows={selectedRows}
        busy={busy}
        personalUndo={personalUndo}
        onAdd={() => setAdding(true)}
        onBulk={setBulk}
        onDelete={setConfirmDelete}
        onRestore={(list) => void setDeleted(list, true)}
        onReload={() => void load()}
      />
      <div className="grid-wrap" data-testid="projects-grid" onPaste={clipboard.onPaste} onCopy={clipboard.onCopy}>
        <AgGridReact<Project>
          theme={gridTheme}
          localeText={AG_GRID_LOCALE_CN}
          rowData={f.visible}
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
        共 {live.length} 个项目（规划 {live.filter((r) => !r.added).length}，新增 {live.filter((r) => r.added).length}），已筛选 {f.visible.length} 个，已选{' '}
        {selectedCount} 个
        {busy && <span className="saving">　正在保存…</span>}
        <span className="spacer" />
        <span className="muted">双击单元格编辑 · Enter/“卡片”打开项目卡片 · Ctrl+V 粘贴 · Ctrl+Z 撤销</span>
      </div>
      {bulk && (
        <ProjectBulkDialog
          kind={bulk}
          count={selectedRows.filter((r) => !r.deleted).length}
          departments={departments}
          onCancel={() => setBulk(null)}
          onOk={(k, v) => void applyBulk(k, v)}
        />
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
        <DeleteConfirm
          list={confirmDelete}
          onCancel={() => setConfirmDelete(null)}
          onOk={() => {
            setConfirmDelete(null);
            void setDeleted(confirmDelete, false);
          }}
        />
      )}
      {card && <ProjectCard project={card} idx={idx} applyEdits={applyEdits} onClose={() => setCardId(null)} />}
    </div>
  );
}

const projectOf = (p: Project) => p;
const refuseDeleted = (p: Project) => (p.deleted ? `${p.id} 已删除，不能粘贴` : null);
const emptyPatch = (): ProjectPatch => ({});
const toProjectEdit = (p: Project, patch: ProjectPatch): ProjectEdit => ({ projectId: p.id, patch });
const projectEditId = (e: ProjectEdit) => e.projectId;
