import { useCallback, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi, RowClassParams } from 'ag-grid-community';
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import { CITIES, DEPT_LEVELS, type City, type Department, type DeptLevel } from '../../../shared/domain';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { Modal } from '../components/Modal';
import { gridTheme } from '../components/grid';

type Dialog =
  | { kind: 'add' }
  | { kind: 'rename'; dept: Department }
  | { kind: 'merge'; dept: Department }
  | { kind: 'retire'; dept: Department };

export function DeptsPage({ departments, onChanged }: { departments: Department[]; onChanged: () => void }) {
  const toast = useToast();
  const apiRef = useRef<GridApi<Department> | null>(null);
  const [selected, setSelected] = useState<Department | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [showInactive, setShowInactive] = useState(true);
  const [busy, setBusy] = useState(false);
  const byId = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);
  const rows = useMemo(() => departments.filter((d) => showInactive || d.state === '在用'), [departments, showInactive]);
  const current = selected ? (byId.get(selected.id) ?? null) : null;

  const columnDefs = useMemo<ColDef<Department>[]>(
    () => [
      { field: 'name', headerName: '名称', width: 280, pinned: 'left' },
      { field: 'level', headerName: '级别', width: 90 },
      { field: 'city', headerName: '所属城市', width: 110, valueFormatter: (p) => (p.value as string | null) ?? '—' },
      {
        field: 'state',
        headerName: '状态',
        width: 150,
        valueGetter: (p) => {
          const d = p.data;
          if (!d) return '';
          if (d.state === '已合并' && d.mergedInto != null) return `已合并 → ${byId.get(d.mergedInto)?.name ?? d.mergedInto}`;
          return d.state;
        },
        cellClassRules: { 'dept-state-off': (p) => p.data?.state !== '在用' },
      },
      { field: 'aliases', headerName: '别名', flex: 1, minWidth: 220, valueGetter: (p) => p.data?.aliases.join('、') ?? '', tooltipValueGetter: (p) => p.value as string },
      { field: 'leadCount', headerName: '牵头数', width: 96, type: 'numericColumn' },
      { field: 'coCount', headerName: '配合数', width: 96, type: 'numericColumn' },
    ],
    [byId],
  );

  const run = useCallback(
    async (fn: () => Promise<string>) => {
      setBusy(true);
      try {
        const msg = await fn();
        toast.show(msg, 'success');
        setDialog(null);
        onChanged();
      } catch (e) {
        toast.error(e);
      } finally {
        setBusy(false);
      }
    },
    [onChanged, toast],
  );

  return (
    <div className="depts-page">
      <div className="page-head">
        <h2>部门管理</h2>
        <span className="muted">共 {departments.filter((d) => d.state === '在用').length} 个在用单位</span>
      </div>
      <div className="toolbar actions">
        <button className="btn primary" data-testid="dept-add" onClick={() => setDialog({ kind: 'add' })}>
          ＋ 新增单位
        </button>
        <button className="btn" data-testid="dept-rename" disabled={!current} onClick={() => current && setDialog({ kind: 'rename', dept: current })}>
          重命名
        </button>
        <button
          className="btn"
          data-testid="dept-merge"
          disabled={!current || current.state !== '在用'}
          onClick={() => current && setDialog({ kind: 'merge', dept: current })}
        >
          合并到…
        </button>
        <button
          className="btn"
          data-testid="dept-retire"
          disabled={!current || current.state !== '在用'}
          onClick={() => current && setDialog({ kind: 'retire', dept: current })}
        >
          撤销单位
        </button>
        <button
          className="btn"
          data-testid="dept-restore"
          disabled={!current || current.state === '在用' || busy}
          onClick={() =>
            current &&
            void run(async () => {
              const d = await call('departments.restore', { id: current.id });
              return `已恢复：${d.name}`;
            })
          }
        >
          恢复
        </button>
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
          显示已撤销、已合并的单位
        </label>
      </div>
      <div className="grid-wrap" data-testid="dept-grid">
        <AgGridReact<Department>
          theme={gridTheme}
          localeText={AG_GRID_LOCALE_CN}
          rowData={rows}
          columnDefs={columnDefs}
          getRowId={(p) => String(p.data.id)}
          rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          getRowClass={(p: RowClassParams<Department>) => (p.data && p.data.state !== '在用' ? 'row-inactive' : undefined)}
          onGridReady={(e) => (apiRef.current = e.api)}
          onSelectionChanged={(e) => setSelected(e.api.getSelectedRows()[0] ?? null)}
          onRowDoubleClicked={(e) => e.data && setDialog({ kind: 'rename', dept: e.data })}
        />
      </div>
      {dialog?.kind === 'add' && (
        <AddDialog
          busy={busy}
          onClose={() => setDialog(null)}
          onOk={(name, level, city) =>
            void run(async () => {
              const d = await call('departments.add', { name, level, city });
              return `已新增：${d.name}`;
            })
          }
        />
      )}
      {dialog?.kind === 'rename' && (
        <RenameDialog
          dept={dialog.dept}
          busy={busy}
          onClose={() => setDialog(null)}
          onOk={(name) =>
            void run(async () => {
              const d = await call('departments.rename', { id: dialog.dept.id, name });
              return `已重命名为：${d.name}`;
            })
          }
        />
      )}
      {dialog?.kind === 'merge' && (
        <MergeDialog
          dept={dialog.dept}
          departments={departments}
          busy={busy}
          onClose={() => setDialog(null)}
          onOk={(intoId) =>
            void run(async () => {
              const r = await call('departments.merge', { fromId: dialog.dept.id, intoId });
              return `已将“${r.from.name}”并入“${r.into.name}”，转移牵头 ${r.movedLead} 条、配合 ${r.movedCo} 条`;
            })
          }
        />
      )}
      {dialog?.kind === 'retire' && (
        <Modal
          title="撤销单位"
          onClose={() => setDialog(null)}
          footer={
            <>
              <button className="btn" onClick={() => setDialog(null)}>
                取消
              </button>
              <button
                className="btn danger"
                data-testid="dept-retire-ok"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const d = await call('departments.retire', { id: dialog.dept.id });
                    return `已撤销：${d.name}`;
                  })
                }
              >
                撤销
              </button>
            </>
          }
        >
          <p>
            确定撤销“<b>{dialog.dept.name}</b>”吗？该单位目前牵头 {dialog.dept.leadCount} 条、配合 {dialog.dept.coCount} 条措施；
            撤销后原有分工仍保留并标注“（已撤销）”，不能再被选为牵头或配合单位，之后可以恢复。
          </p>
        </Modal>
      )}
    </div>
  );
}

function AddDialog({ busy, onClose, onOk }: { busy: boolean; onClose: () => void; onOk: (name: string, level: DeptLevel, city: City | null) => void }) {
  const [name, setName] = useState('');
  const [level, setLevel] = useState<DeptLevel>('省直');
  const [city, setCity] = useState<City | ''>('');
  const needCity = level === '市政府' || level === '市直';
  const ok = name.trim() && (!needCity || city);
  return (
    <Modal
      title="新增单位"
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            取消
          </button>
          <button className="btn primary" data-testid="dept-add-ok" disabled={!ok || busy} onClick={() => onOk(name.trim(), level, needCity ? (city as City) : null)}>
            新增
          </button>
        </>
      }
    >
      <div className="form">
        <label className="field">
          <span>名称</span>
          <input className="input" data-testid="dept-add-name" autoFocus maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>级别</span>
          <select className="input" data-testid="dept-add-level" value={level} onChange={(e) => setLevel(e.target.value as DeptLevel)}>
            {DEPT_LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>所属城市</span>
          <select className="input" data-testid="dept-add-city" value={city} onChange={(e) => setCity(e.target.value as City | '')}>
            <option value="">{needCity ? '请选择' : '（无）'}</option>
            {CITIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
    </Modal>
  );
}

function RenameDialog({ dept, busy, onClose, onOk }: { dept: Department; busy: boolean; onClose: () => void; onOk: (name: string) => void }) {
  const [name, setName] = useState(dept.name);
  return (
    <Modal
      title="重命名单位"
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            取消
          </button>
          <button className="btn primary" data-testid="dept-rename-ok" disabled={!name.trim() || name.trim() === dept.name || busy} onClick={() => onOk(name.trim())}>
            保存
          </button>
        </>
      }
    >
      <div className="form">
        <label className="field">
          <span>原名称</span>
          <span className="static">{dept.name}</span>
        </label>
        <label className="field">
          <span>新名称</span>
          <input className="input" data-testid="dept-rename-name" autoFocus maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="hint">原名称会保留为别名，导入旧台账时仍能识别。</p>
      </div>
    </Modal>
  );
}

function MergeDialog({
  dept,
  departments,
  busy,
  onClose,
  onOk,
}: {
  dept: Department;
  departments: Department[];
  busy: boolean;
  onClose: () => void;
  onOk: (intoId: number) => void;
}) {
  const [into, setInto] = useState<number | ''>('');
  const [confirming, setConfirming] = useState(false);
  const targets = departments.filter((d) => d.state === '在用' && d.id !== dept.id);
  const target = targets.find((d) => d.id === into);
  return (
    <Modal
      title={confirming ? '确认合并' : '合并单位'}
      onClose={onClose}
      footer={
        confirming ? (
          <>
            <button className="btn" onClick={() => setConfirming(false)}>
              返回
            </button>
            <button className="btn danger" data-testid="dept-merge-confirm" disabled={busy} onClick={() => into !== '' && onOk(into)}>
              确认合并
            </button>
          </>
        ) : (
          <>
            <button className="btn" onClick={onClose}>
              取消
            </button>
            <button className="btn primary" data-testid="dept-merge-ok" disabled={into === ''} onClick={() => setConfirming(true)}>
              下一步
            </button>
          </>
        )
      }
    >
      {confirming && target ? (
        <p data-testid="dept-merge-summary">
          将“<b>{dept.name}</b>”并入“<b>{target.name}</b>”：其牵头的 <b>{dept.leadCount}</b> 条措施和配合的 <b>{dept.coCount}</b>{' '}
          条措施将转到“{target.name}”，“{dept.name}”标记为已合并，名称保留为别名。确定吗？
        </p>
      ) : (
        <div className="form">
          <label className="field">
            <span>被合并单位</span>
            <span className="static">{dept.name}</span>
          </label>
          <label className="field">
            <span>并入</span>
            <select className="input" data-testid="dept-merge-into" value={into === '' ? '' : String(into)} onChange={(e) => setInto(e.target.value ? Number(e.target.value) : '')}>
              <option value="">请选择目标单位</option>
              {targets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
    </Modal>
  );
}
