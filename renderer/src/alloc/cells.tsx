import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CustomCellEditorProps, CustomCellRendererProps, CustomHeaderProps } from 'ag-grid-react';
import type { City, MeasureRow } from '../../../shared/domain';
import { CityPicker, DatePicker, DeptPicker } from '../components/Pickers';
import { openingText } from '../components/typeAhead';
import type { GridCtx, GridRow, HeaderGridRow } from './types';

type RendererProps = CustomCellRendererProps<GridRow, unknown, GridCtx>;
type EditorProps = CustomCellEditorProps<GridRow, unknown, GridCtx>;

function DeptLabel({ id, ctx }: { id: number; ctx: GridCtx }) {
  const d = ctx.idx.byId.get(id);
  if (!d) return <span className="dept-missing">#{id}</span>;
  if (d.state !== '在用')
    return (
      <span className="dept-inactive" title={`${d.name}${d.state}`}>
        {d.name}
        <span className="inactive-mark">（{d.state}）</span>
      </span>
    );
  return <span>{d.name}</span>;
}

export function LeadRenderer(p: RendererProps) {
  const row = p.data;
  if (!row || row.kind !== 'measure') return null;
  const m = row.m;
  const ctx = p.context;
  if (m.leadIds.length === 0) return <span className="cell-empty">未指定</span>;
  if (!m.leadConfirmed) {
    return (
      <span
        className="lead-suggest"
        title={`系统建议的牵头单位，尚未确认${m.suggestUnsure ? '；规则把握不大，请重点核对' : ''}${m.suggestReason ? `\n依据：${m.suggestReason}` : ''}`}
      >
        <span className="badge-suggest">建议</span>
        {m.suggestUnsure && (
          <span className="badge-unsure" data-testid="suggest-unsure">
            待核
          </span>
        )}
        <span className="suggest-name">
          <DeptList ids={m.leadIds} ctx={ctx} />
        </span>
        <button
          className="cell-confirm"
          data-testid="confirm-one"
          title="确认此建议"
          onClick={(e) => {
            e.stopPropagation();
            void ctx.confirm([m.id]);
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          ✓
        </button>
      </span>
    );
  }
  return (
    <span className="lead-list" data-testid="lead-list" title={m.leadIds.length > 1 ? '共同牵头：第一个为主责' : undefined}>
      <DeptList ids={m.leadIds} ctx={ctx} />
    </span>
  );
}

/** departments in their order, 省发展改革委、省交通运输厅 */
function DeptList({ ids, ctx }: { ids: number[]; ctx: GridCtx }) {
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && '、'}
          <DeptLabel id={id} ctx={ctx} />
        </span>
      ))}
    </>
  );
}

export function CoRenderer(p: RendererProps) {
  const row = p.data;
  if (!row || row.kind !== 'measure') return null;
  if (!row.m.coIds.length) return <span className="cell-empty" />;
  return (
    <span className="co-list">
      <DeptList ids={row.m.coIds} ctx={p.context} />
    </span>
  );
}

export function StatusRenderer(p: RendererProps) {
  const row = p.data;
  if (!row || row.kind !== 'measure') return null;
  return <span className={`status-pill st-${row.m.status}`}>{row.m.status}</span>;
}

export function GroupRowRenderer(p: CustomCellRendererProps<GridRow>) {
  const row = p.data as HeaderGridRow | undefined;
  if (!row) return null;
  return (
    // a row of the grid must hold a cell: the heading row's one cell spans it
    <div className={`group-row group-${row.kind}`} data-testid={`group-${row.kind}`} role="gridcell">
      <span className="group-label">{row.label}</span>
      <span className="group-count">{row.count} 条措施</span>
    </div>
  );
}

/** the shape every measure editor shares: its picker in a popup; nothing on a heading row */
function MeasurePopup({ p, picker }: { p: EditorProps; picker: (m: MeasureRow, ctx: GridCtx) => ReactNode }) {
  const row = p.data;
  if (!row || row.kind !== 'measure') return null;
  return <div className="cell-popup">{picker(row.m, p.context)}</div>;
}

/** 配合单位 (multi) or 牵头单位 (leads: several in order, the first chosen is 主责) */
export function DeptCellEditor(p: EditorProps & { multi?: boolean; leads?: boolean }) {
  const leads = !!p.leads;
  const multi = !!p.multi || leads;
  return (
    <MeasurePopup
      p={p}
      picker={(m, ctx) => (
        <DeptPicker
          departments={ctx.departments}
          multi={multi}
          ordered={leads}
          allowClear
          initialQuery={openingText(p.eventKey) ?? ''}
          // a suggestion is not ticked: what a person picks replaces it (✓ on the cell confirms it as it is)
          value={leads ? (m.leadConfirmed ? m.leadIds : []) : m.coIds}
          hint={
            leads && !m.leadConfirmed && m.leadIds.length
              ? `系统建议：${m.leadIds.map((id) => ctx.idx.byId.get(id)?.name ?? `#${id}`).join('、')}（未勾选；可多选，勾选的第一个为主责）`
              : leads
                ? '可多选：共同牵头的，勾选的第一个为主责'
                : undefined
          }
          onCancel={() => p.stopEditing(true)}
          onClear={() => {
            p.stopEditing(true);
            void ctx.applyEdits([{ measureId: m.id, patch: leads ? { leadIds: [] } : { coIds: [] } }], '编辑');
          }}
          onOk={(ids) => {
            p.stopEditing(true);
            if (leads) {
              // nothing ticked on a suggestion: left as it was (清空 clears)
              if (!ids.length && !m.leadConfirmed) return;
              void ctx.applyEdits([{ measureId: m.id, patch: { leadIds: ids, leadConfirmed: ids.length > 0 } }], '编辑');
            } else void ctx.applyEdits([{ measureId: m.id, patch: { coIds: ids } }], '编辑');
          }}
        />
      )}
    />
  );
}

export function CityCellEditor(p: EditorProps) {
  return (
    <MeasurePopup
      p={p}
      picker={(m, ctx) => (
        <CityPicker
          value={m.cities}
          onCancel={() => p.stopEditing(true)}
          onOk={(cities: City[]) => {
            p.stopEditing(true);
            void ctx.applyEdits([{ measureId: m.id, patch: { cities } }], '编辑');
          }}
        />
      )}
    />
  );
}

/** 完成时限: typed as the importer reads it (DatePicker), saved at once */
export function DeadlineCellEditor(p: EditorProps) {
  return (
    <MeasurePopup
      p={p}
      picker={(m, ctx) => (
        <DatePicker
          value={m.deadline}
          initialText={openingText(p.eventKey)}
          onCancel={() => p.stopEditing(true)}
          onOk={(deadline) => {
            p.stopEditing(true);
            if (deadline !== m.deadline) void ctx.applyEdits([{ measureId: m.id, patch: { deadline } }], '编辑');
          }}
        />
      )}
    />
  );
}

/**
 * The selection column's header: select / clear every measure the filters show. The grid's own
 * header checkbox walks all 100,000 row nodes twice on every filter to draw itself; this one counts
 * the selected rows only (the store knows how many pass the filters), and walks the rows on a click.
 */
export function SelectAllHeader(p: CustomHeaderProps<GridRow, GridCtx>) {
  const [state, setState] = useState<'none' | 'some' | 'all'>('none');
  const box = useRef<HTMLInputElement>(null);
  const { api, context } = p;
  useEffect(() => {
    const update = () => {
      let selected = 0;
      for (const n of api.getSelectedNodes()) if (n.data?.kind === 'measure' && n.data.pass) selected++;
      const visible = context.visibleCount();
      setState(selected === 0 ? 'none' : selected >= visible ? 'all' : 'some');
    };
    update();
    api.addEventListener('selectionChanged', update);
    api.addEventListener('modelUpdated', update);
    return () => {
      if (api.isDestroyed()) return;
      api.removeEventListener('selectionChanged', update);
      api.removeEventListener('modelUpdated', update);
    };
  }, [api, context]);
  useEffect(() => {
    if (box.current) box.current.indeterminate = state === 'some';
  }, [state]);
  return (
    <input
      ref={box}
      type="checkbox"
      className="select-all"
      data-testid="alloc-select-all"
      aria-label="全选筛选出的措施"
      title={state === 'all' ? '取消选择筛选出的措施' : '选择筛选出的全部措施'}
      checked={state === 'all'}
      onChange={() => {
        // the box follows the click at once; the grid's selectionChanged then confirms the count
        if (state === 'all') {
          setState('none');
          api.deselectAll('filtered');
        } else if (context.visibleCount() > 0) {
          setState('all');
          api.selectAll('filtered');
        }
      }}
    />
  );
}
