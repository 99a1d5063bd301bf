// 操作记录: the whole audit trail with filters (row, table, person, operation, field, dates),
// department ids shown as names, 恢复此值 (a field back to its value before that change), and
// the person's own 撤销 / 重做 that survive a restart.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import type { AuditEntry, Department } from '../../../shared/domain';
import type { AuditFacets, UndoState } from '../../../shared/ipc/contract';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { gridTheme } from '../components/grid';
import { AUDIT_TABLE_LABELS, MEASURE_AUDIT_FIELDS, PROJECT_AUDIT_FIELDS, auditFieldLabel } from '../../../shared/audit-labels';

const TABLES = AUDIT_TABLE_LABELS;

const DEPT_FIELDS = new Set(['leadIds', 'leadId', 'coIds', 'mergedInto']);

function showValue(e: AuditEntry, v: string | null, names: Map<number, string>): string {
  if (v === null) return '（空）';
  if (DEPT_FIELDS.has(e.field)) {
    try {
      const x = JSON.parse(v) as number | number[] | null;
      if (x === null) return '（空）';
      const ids = Array.isArray(x) ? x : [x];
      return ids.length ? ids.map((id) => names.get(id) ?? `#${id}`).join('、') : '（无）';
    } catch {
      return v;
    }
  }
  if (v === 'true') return '是';
  if (v === 'false') return '否';
  if (v.startsWith('[')) {
    try {
      const a = JSON.parse(v) as unknown[];
      return a.length ? a.join('、') : '（无）';
    } catch {
      return v;
    }
  }
  return v;
}

interface Filters {
  rowId: string;
  table: string;
  actor: string;
  op: string;
  field: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { rowId: '', table: '', actor: '', op: '', field: '', from: '', to: '' };

export function AuditPage({
  active,
  departments,
  dataVersion,
  onChanged,
}: {
  active: boolean;
  departments: Department[];
  dataVersion?: number;
  onChanged?: () => void;
}) {
  const toast = useToast();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [facets, setFacets] = useState<AuditFacets | null>(null);
  const [state, setState] = useState<UndoState | null>(null);
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const names = useMemo(() => new Map(departments.map((d) => [d.id, d.name])), [departments]);

  const load = useCallback(async () => {
    try {
      const f = filters;
      const [actor, unit] = f.actor ? f.actor.split('\u0000') : [undefined, undefined];
      const list = await call('audit.list', {
        limit: 5000,
        ...(f.rowId.trim() ? { rowId: f.rowId.trim() } : {}),
        ...(f.table ? { table: f.table } : {}),
        ...(actor ? { actor, unit } : {}),
        ...(f.op ? { op: f.op } : {}),
        ...(f.field.trim() ? { field: f.field.trim() } : {}),
        ...(f.from ? { from: f.from } : {}),
        ...(f.to ? { to: f.to } : {}),
      });
      setRows(list);
      setFacets(await call('audit.facets', {}));
      setState(await call('undo.state', {}));
    } catch (e) {
      toast.error(e);
    }
  }, [filters, toast]);

  useEffect(() => {
    if (active) void load();
  }, [active, load, dataVersion]);

  const run = async (f: () => Promise<string>) => {
    setBusy(true);
    try {
      toast.show(await f(), 'success');
      onChanged?.();
      await load();
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };

  const columnDefs = useMemo<ColDef<AuditEntry>[]>(
    () => [
      { headerName: '时间', field: 'at', width: 170, valueFormatter: (p) => (p.value ? new Date(p.value as string).toLocaleString('zh-CN', { hour12: false }) : '') },
      { headerName: '操作人', field: 'actor', width: 100 },
      { headerName: '单位', field: 'unit', width: 160 },
      { headerName: '操作', field: 'op', width: 120 },
      { headerName: '对象', field: 'table', width: 80, valueFormatter: (p) => TABLES[p.value as string] ?? String(p.value) },
      {
        headerName: '编号',
        field: 'rowId',
        width: 110,
        valueFormatter: (p) => (p.data?.table === 'department' ? (names.get(Number(p.value)) ?? String(p.value)) : String(p.value)),
      },
      { headerName: '字段', colId: 'field', width: 130, valueGetter: (p) => (p.data ? auditFieldLabel(p.data.table, p.data.field) : '') },
      { headerName: '原值', colId: 'old', flex: 1, minWidth: 160, tooltipValueGetter: (p) => (p.data ? showValue(p.data, p.data.oldValue, names) : ''), valueGetter: (p) => (p.data ? showValue(p.data, p.data.oldValue, names) : '') },
      {
        headerName: '新值',
        colId: 'new',
        flex: 1,
        minWidth: 160,
        valueGetter: (p) => (p.data ? showValue(p.data, p.data.newValue, names) : ''),
        tooltipValueGetter: (p) => (p.data ? showValue(p.data, p.data.newValue, names) : ''),
        cellRenderer: (p: ICellRendererParams<AuditEntry>) => <span className="audit-new">{p.value as string}</span>,
      },
    ],
    [names],
  );

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="audit-page" data-testid="audit-page">
      <div className="page-head">
        <h2>操作记录</h2>
        <span className="muted">共 {rows.length} 条{rows.length >= 5000 ? '（仅显示最近 5000 条，请用筛选缩小范围）' : ''}</span>
      </div>
      <div className="toolbar actions">
        <button
          className="btn"
          data-testid="audit-undo"
          disabled={busy || !state?.canUndo}
          title={state?.undoLabel ? `撤销：${state.undoLabel}` : '没有可撤销的操作'}
          onClick={() => void run(async () => `已撤销：${(await call('undo.undo', {})).op}`)}
        >
          撤销我的上一步{state?.undoLabel ? `：${state.undoLabel}` : ''}
        </button>
        <button
          className="btn"
          data-testid="audit-redo"
          disabled={busy || !state?.canRedo}
          title={state?.redoLabel ? `重做：${state.redoLabel}` : '没有可重做的操作'}
          onClick={() => void run(async () => `已重做：${(await call('undo.redo', {})).op}`)}
        >
          重做
        </button>
        <button
          className="btn"
          data-testid="audit-restore"
          disabled={busy || !selected || selected.table === 'setting'}
          title="把所选记录的字段恢复为该次修改之前的值（作为一次新的操作记录）"
          onClick={() =>
            selected &&
            void run(async () => {
              await call('audit.restore', { auditId: selected.id });
              return `已恢复“${auditFieldLabel(selected.table, selected.field)}”为：${showValue(selected, selected.oldValue, names)}`;
            })
          }
        >
          恢复为修改前的值
        </button>
      </div>
      <div className="toolbar filters" data-testid="audit-filters">
        <input className="input" placeholder="编号，如 4.1.1.3" value={filters.rowId} onChange={set('rowId')} style={{ width: 140 }} />
        <select className="input" value={filters.table} onChange={set('table')} aria-label="对象">
          <option value="">全部对象</option>
          {(facets?.tables ?? []).map((t) => (
            <option key={t} value={t}>
              {TABLES[t] ?? t}
            </option>
          ))}
        </select>
        <select className="input" value={filters.actor} onChange={set('actor')} aria-label="操作人">
          <option value="">全部操作人</option>
          {(facets?.actors ?? []).map((a) => (
            <option key={`${a.actor}\u0000${a.unit}`} value={`${a.actor}\u0000${a.unit}`}>
              {a.actor}（{a.unit}）
            </option>
          ))}
        </select>
        <select className="input" value={filters.op} onChange={set('op')} aria-label="操作">
          <option value="">全部操作</option>
          {(facets?.ops ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <select className="input" value={filters.field} onChange={set('field')} aria-label="字段">
          <option value="">全部字段</option>
          {Object.entries(filters.table === 'project' ? PROJECT_AUDIT_FIELDS : MEASURE_AUDIT_FIELDS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label className="field-inline">
          自 <input className="input" type="date" value={filters.from} onChange={set('from')} />
        </label>
        <label className="field-inline">
          至 <input className="input" type="date" value={filters.to} onChange={set('to')} />
        </label>
        <button className="btn" onClick={() => setFilters(EMPTY)}>
          清除筛选
        </button>
      </div>
      <div className="grid-wrap" data-testid="audit-grid">
        <AgGridReact<AuditEntry>
          theme={gridTheme}
          localeText={AG_GRID_LOCALE_CN}
          rowData={rows}
          columnDefs={columnDefs}
          getRowId={(p) => String(p.data.id)}
          rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          onSelectionChanged={(e) => setSelected(e.api.getSelectedRows()[0] ?? null)}
          tooltipShowDelay={400}
        />
      </div>
    </div>
  );
}
