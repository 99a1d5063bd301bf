// 任务分工: the allocation ledger. The page composes what lives in renderer/src/alloc/: the rows
// (useLedgerLoader), the filters (useAllocFilters), the edits (useLedgerEdits), the grid (AllocGrid,
// columns.ts), the toolbars and dialogs; copy / paste and the undo keys are shared with the projects
// grid (hooks/useGridClipboard, hooks/useUndoShortcuts).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { Department, MeasureEdit, MeasurePatch, MeasureRow } from '../../../shared/domain';
import { LEDGER_COLUMNS, type LedgerColumn } from '../../../shared/ledger';
import type { UndoResult } from '../../../shared/ipc/contract';
import { call } from '../api';
import { usePersonalUndo } from '../components/usePersonalUndo';
import { useToast } from '../components/Toast';
import type { AllocFilter } from '../components/externalFilter';
import { useGridClipboard } from '../hooks/useGridClipboard';
import { useUndoShortcuts } from '../hooks/useUndoShortcuts';
import { buildDeptIndex, cellText, convertCell } from '../alloc/clipboard';
import type { GridCtx, GridRow, MeasureGridRow } from '../alloc/types';
import { allocColumnDefs } from '../alloc/columns';
import { useAllocFilters } from '../alloc/useAllocFilters';
import { useLedgerLoader } from '../alloc/useLedgerLoader';
import { useLedgerEdits } from '../alloc/useLedgerEdits';
import { useToolbarFocus } from '../alloc/useToolbarFocus';
import { FilterBar } from '../alloc/FilterBar';
import { ActionBar } from '../alloc/ActionBar';
import { AllocGrid } from '../alloc/AllocGrid';
import { BULK_TITLES, BulkDialog, bulkEdits, type BulkKind } from '../alloc/BulkDialog';
import { PASTE_ASK_ROWS, PasteConfirm, reviewPaste, type PasteReview } from '../alloc/PasteConfirm';
import { ShortcutHelp } from '../alloc/ShortcutHelp';
import { MeasureEvidenceDialog } from '../rounds/MeasureEvidenceDialog';

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
  commandBus: EventTarget;
  onDepartmentsStale: () => void;
  /** a filter another page (the dashboard) asks for; applied whenever it changes */
  initialFilter?: AllocFilter | null;
  /** the person cleared the external filter chip */
  onClearInitialFilter?: () => void;
}

const colByKey = new Map(LEDGER_COLUMNS.map((c) => [c.key as string, c]));

export function AllocPage({ active, departments, dataVersion, commandBus, initialFilter, onClearInitialFilter }: Props) {
  const toast = useToast();
  const apiRef = useRef<GridApi<GridRow> | null>(null);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [pasteAsk, setPasteAsk] = useState<(PasteReview & { run: () => void }) | null>(null);

  const f = useAllocFilters(initialFilter, onClearInitialFilter);
  const idx = useMemo(() => buildDeptIndex(departments), [departments]);
  const { storeRef, counts, chapters, loading, load, mergeRows } = useLedgerLoader({
    apiRef,
    idx,
    spec: f.spec,
    dataVersion,
    filterNonce: initialFilter?.nonce,
    lastFilter: f.lastFilter,
  });

  // undo/redo of this person's latest operation, kept in the database (survives a restart)
  const personalUndo = usePersonalUndo(
    active,
    dataVersion,
    useCallback(
      (r: UndoResult) => {
        if (!r.measureIds.length) return;
        if (r.measureIds.length > 5000) void load();
        else call('measures.get', { ids: r.measureIds }).then(mergeRows, (e: unknown) => toast.error(e));
      },
      [load, mergeRows, toast],
    ),
  );
  const { busy, applyEdits, confirm, editCell } = useLedgerEdits({ apiRef, storeRef, mergeRows, refreshUndo: personalUndo.refresh });

  // the grid's context stays the same object while the departments do (editCell goes through a ref)
  const editCellRef = useRef(editCell);
  editCellRef.current = editCell;
  const ctx = useMemo<GridCtx>(
    () => ({
      idx,
      departments,
      applyEdits,
      confirm,
      colByKey,
      editCell: (data, key, value) => editCellRef.current(data, key, value),
      visibleCount: () => storeRef.current.visible,
    }),
    [idx, departments, applyEdits, confirm, storeRef],
  );
  const columnDefs = useMemo(() => allocColumnDefs(f.grouping), [f.grouping]);

  const selectedMeasures = useCallback((): MeasureRow[] => {
    const api = apiRef.current;
    if (!api) return [];
    const ids = new Set(
      api
        .getSelectedRows()
        .filter((r): r is MeasureGridRow => r.kind === 'measure')
        .map((r) => r.id),
    );
    return storeRef.current.measureRows().filter((r) => ids.has(r.id));
  }, [storeRef]);

  const applyBulk = async (kind: BulkKind, value: unknown) => {
    const targets = selectedMeasures();
    if (!targets.length) {
      toast.show('请先勾选要设置的措施');
      return;
    }
    const edits = bulkEdits(kind, value, targets);
    if (typeof edits === 'string') {
      toast.show(edits);
      return;
    }
    setBulk(null);
    const ok = await applyEdits(edits, '批量设置');
    if (ok) toast.show(`${BULK_TITLES[kind].replace('批量', '已批量')}：${edits.length} 条措施`, 'success');
  };

  const clipboard = useGridClipboard<GridRow, MeasureRow, LedgerColumn, MeasurePatch, MeasureEdit>({
    apiRef,
    colByKey,
    rowOf: useCallback((d: GridRow) => (d.kind === 'measure' ? d.m : null), []),
    selected: selectedMeasures,
    cellText: useCallback((col: LedgerColumn, r: MeasureRow) => cellText(col, r, idx), [idx]),
    unit: '条措施',
    convert: useCallback((col: LedgerColumn, raw: string) => convertCell(col, raw, idx), [idx]),
    merge: mergeInto,
    emptyPatch: emptyPatch,
    toEdit: toMeasureEdit,
    editRowId: measureEditId,
    applyEdits,
    // a paste that changes more rows than a screen shows, or replaces confirmed leads, is shown first
    review: useCallback(
      (edits: MeasureEdit[], cols: LedgerColumn[], run: () => void) => {
        const review = reviewPaste(edits, (id) => storeRef.current.byId.get(id)?.m, cols, idx);
        if (review.rows <= PASTE_ASK_ROWS && review.confirmedLost === 0) return false;
        setPasteAsk({ ...review, run });
        return true;
      },
      [idx, storeRef],
    ),
  });

  const [evidenceFor, setEvidenceFor] = useState<string | null>(null);
  const dialogOpen = !!bulk || !!pasteAsk || !!evidenceFor;
  useUndoShortcuts({ active, apiRef, commandBus, undo: personalUndo.undo, redo: personalUndo.redo, blocked: dialogOpen });
  const keys = useToolbarFocus({ active, apiRef, dialogOpen, bulkOpen: !!bulk });

  const selectedCount = selectedIds.length;
  const bulkTargets = bulk ? selectedMeasures() : [];

  return (
    <div className="alloc-page">
      <FilterBar f={f} chapters={chapters} departments={departments} visible={counts.visible} />
      <ActionBar
        toolbarRef={keys.toolbarRef}
        onKeyDown={keys.onToolbarKeyDown}
        selectedCount={selectedCount}
        busy={busy}
        personalUndo={personalUndo}
        onBulk={setBulk}
        onConfirm={() => void confirm(selectedIds)}
        onEvidence={() => setEvidenceFor(selectedIds[0] ?? null)}
        onReload={() => void load()}
      />
      <AllocGrid
        apiRef={apiRef}
        storeRef={storeRef}
        gridWrapRef={keys.gridWrapRef}
        columnDefs={columnDefs}
        ctx={ctx}
        grouping={f.grouping}
        loading={loading}
        applyEdits={applyEdits}
        onPaste={clipboard.onPaste}
        onCopy={clipboard.onCopy}
        onSelectedIds={setSelectedIds}
        empty={counts.visible === 0 && counts.measures > 0 && !loading ? { label: f.external?.label ?? null, onClear: f.clearFilters } : null}
      />
      <div className="status-bar" data-testid="alloc-status" data-complete={counts.complete ? 'true' : 'false'} data-total={counts.total} data-loaded={counts.measures}>
        共 {counts.measures} 条措施，已筛选 {counts.visible} 条，已选 {selectedCount} 条，待确认建议 {counts.suggestions} 条
        {!counts.complete && counts.total > 0 && (
          <span className="saving" data-testid="alloc-loading">
            　正在载入 {counts.measures}/{counts.total}…
          </span>
        )}
        {busy && <span className="saving">　正在保存…</span>}
        <span className="spacer" />
        <span className="muted">
          双击单元格编辑 · Ctrl+V 从 Excel/WPS 粘贴 · Ctrl+Z 撤销 ·{' '}
          <button className="link" data-testid="shortcut-help-open" onClick={() => keys.setHelp(true)}>
            键盘操作（?）
          </button>
        </span>
      </div>
      {keys.help && <ShortcutHelp onClose={() => keys.setHelp(false)} />}
      {pasteAsk && (
        <PasteConfirm
          ask={pasteAsk}
          onCancel={() => setPasteAsk(null)}
          onOk={() => {
            setPasteAsk(null);
            pasteAsk.run();
          }}
        />
      )}
      {evidenceFor && <MeasureEvidenceDialog measureId={evidenceFor} onClose={() => setEvidenceFor(null)} />}
      {bulk && <BulkDialog kind={bulk} count={bulkTargets.length} departments={departments} onCancel={() => setBulk(null)} onOk={(k, v) => void applyBulk(k, v)} />}
    </div>
  );
}

const mergeInto = (patch: MeasurePatch, value: MeasurePatch): MeasurePatch => Object.assign(patch, value);
const emptyPatch = (): MeasurePatch => ({});
const toMeasureEdit = (row: MeasureRow, patch: MeasurePatch): MeasureEdit => ({ measureId: row.id, patch });
const measureEditId = (e: MeasureEdit) => e.measureId;
