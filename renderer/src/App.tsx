import { useCallback, useEffect, useRef, useState } from 'react';
import type { Department, UserIdentity } from '../../shared/domain';
import { call, onEvent } from './api';
import { Modal } from './components/Modal';
import { ToastProvider, useToast } from './components/Toast';
import { PlanPage } from './pages/PlanPage';
import { AllocPage } from './pages/AllocPage';
import { DeptsPage } from './pages/DeptsPage';
import { SettingsPage } from './pages/SettingsPage';
import { AuditPage } from './pages/AuditPage';
import { SyncBadge } from './components/SyncBadge';
import { ExportPage } from './pages/ExportPage';
import { ImportPage } from './pages/ImportPage';
import { DashboardPage } from './pages/DashboardPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { IndicatorsPage } from './pages/IndicatorsPage';
import { DraftsPage } from './pages/DraftsPage';
import { RoundsPage } from './pages/RoundsPage';
import { nextNonce, type AllocFilter, type IndicatorFilter, type ProjectFilter } from './components/externalFilter';

export type PageId = 'dashboard' | 'projects' | 'indicators' | 'plan' | 'alloc' | 'export' | 'import' | 'depts' | 'settings' | 'audit' | 'drafts' | 'rounds';

const NAV: { id: PageId; label: string; icon: string; testId: string }[] = [
  { id: 'dashboard', label: '统计看板', icon: '览', testId: 'nav-dashboard' },
  { id: 'plan', label: '规划全文', icon: '文', testId: 'nav-plan' },
  { id: 'alloc', label: '任务分工', icon: '分', testId: 'nav-alloc' },
  { id: 'projects', label: '重点项目', icon: '项', testId: 'nav-projects' },
  { id: 'indicators', label: '目标指标', icon: '标', testId: 'nav-indicators' },
  { id: 'drafts', label: '方案起草', icon: '稿', testId: 'nav-drafts' },
  { id: 'rounds', label: '调度轮次', icon: '调', testId: 'nav-rounds' },
  { id: 'export', label: '导出', icon: '出', testId: 'nav-export' },
  { id: 'import', label: '导入', icon: '入', testId: 'nav-import' },
  { id: 'depts', label: '部门管理', icon: '部', testId: 'nav-depts' },
  { id: 'audit', label: '操作记录', icon: '记', testId: 'nav-audit' },
  { id: 'settings', label: '设置', icon: '设', testId: 'nav-settings' },
];

function pageOfHash(): PageId | null {
  const h = window.location.hash.replace('#', '');
  return NAV.find((n) => n.id === h)?.id ?? null;
}

function isEditable(el: Element | null): boolean {
  return !!el && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el as HTMLElement).isContentEditable);
}

export default function App() {
  return (
    <ToastProvider>
      <Shell />
    </ToastProvider>
  );
}

function Shell() {
  const toast = useToast();
  const [page, setPage] = useState<PageId>(() => pageOfHash() ?? 'dashboard');
  const [identity, setIdentity] = useState<UserIdentity | null>(null);
  const [askIdentity, setAskIdentity] = useState(false);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [dataVersion, setDataVersion] = useState(0);
  const [visited, setVisited] = useState<Set<PageId>>(() => new Set([page]));
  if (!visited.has(page)) setVisited(new Set([...visited, page]));
  const searchFocus = useRef<(() => void) | null>(null);
  const pageRef = useRef(page);
  pageRef.current = page;
  const [commandBus] = useState(() => new EventTarget());
  // filters the dashboard asks the grids to apply (exactly the rows behind a bar, number or light)
  const [allocFilter, setAllocFilter] = useState<AllocFilter | null>(null);
  const [projectFilter, setProjectFilter] = useState<ProjectFilter | null>(null);
  const [indicatorFilter, setIndicatorFilter] = useState<IndicatorFilter | null>(null);

  const refreshDepartments = useCallback(async () => {
    try {
      setDepartments(await call('departments.list', { includeInactive: true }));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);

  useEffect(() => {
    void (async () => {
      try {
        const id = await call('settings.getIdentity', {});
        setIdentity(id);
        if (!id) setAskIdentity(true);
      } catch (e) {
        toast.error(e);
      }
    })();
    void refreshDepartments();
  }, [refreshDepartments, toast]);

  // Every page change is a history entry, so Back/Forward move between pages and the dashboard's
  // drill-downs (it used to replace the entry, so Back left the app). Under the first entry lies a
  // guard entry: Back onto it goes forward again, so Back never leaves the app for the page before.
  // The guard is laid at the person's first click or key: Chromium's Back button skips entries a
  // page added without a user gesture, and would skip a guard laid at load.
  const go = useCallback((p: PageId) => {
    if (p === pageRef.current && pageOfHash() === p) return;
    setPage(p);
    history.pushState({ czt: 'page' }, '', `${window.location.pathname}${window.location.search}#${p}`);
  }, []);
  useEffect(() => {
    const layGuard = () => {
      const kind = (history.state as { czt?: string } | null)?.czt;
      // a reload keeps the entries it had
      if (kind === 'page') return;
      const url = `${window.location.pathname}${window.location.search}#${pageRef.current}`;
      if (kind !== 'guard') history.replaceState({ czt: 'guard' }, '', url);
      history.pushState({ czt: 'page' }, '', url);
    };
    const onPop = (e: PopStateEvent) => {
      if ((e.state as { czt?: string } | null)?.czt === 'guard') {
        history.forward();
        return;
      }
      const p = pageOfHash();
      if (p) setPage(p);
    };
    window.addEventListener('pointerdown', layGuard, { capture: true, once: true });
    window.addEventListener('keydown', layGuard, { capture: true, once: true });
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('pointerdown', layGuard, { capture: true });
      window.removeEventListener('keydown', layGuard, { capture: true });
      window.removeEventListener('popstate', onPop);
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        if (pageRef.current === 'alloc') {
          const el = document.querySelector<HTMLInputElement>('[data-testid=filter-text]');
          el?.focus();
          el?.select();
          return;
        }
        go('plan');
        window.setTimeout(() => searchFocus.current?.(), 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  // menu commands from the Electron main menu (if any)
  useEffect(
    () =>
      onEvent('menu.command', (payload) => {
        const cmd = typeof payload === 'string' ? payload : (payload as { command?: string } | null)?.command;
        if (!cmd) return;
        if (cmd.startsWith('nav:')) {
          const p = cmd.slice(4) as PageId;
          if (NAV.some((n) => n.id === p)) go(p);
        } else if ((cmd === 'undo' || cmd === 'redo') && isEditable(document.activeElement)) {
          // a text field keeps its own undo
          document.execCommand(cmd);
        } else if (cmd === 'find') {
          go('plan');
          window.setTimeout(() => searchFocus.current?.(), 0);
        } else {
          commandBus.dispatchEvent(new CustomEvent('command', { detail: cmd }));
        }
      }),
    [go, commandBus],
  );

  const onDataChanged = useCallback(() => {
    setDataVersion((v) => v + 1);
    void refreshDepartments();
  }, [refreshDepartments]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            湘
          </span>
          <span className="brand-title">长株潭规划工作台</span>
          <span className="brand-sub">长株潭都市圈发展规划 · 任务分工与推进</span>
        </div>
        <SyncBadge onOpen={() => go('settings')} />
        <button type="button" className="user" data-testid="current-user" title="当前使用人（点击修改）" onClick={() => setAskIdentity(true)}>
          {identity ? (
            <>
              <span className="user-name">{identity.name}</span>
              <span className="user-dot">·</span>
              <span className="user-unit">{identity.unit}</span>
            </>
          ) : (
            <span className="muted">未登记使用人</span>
          )}
        </button>
      </header>
      <div className="app-body">
        <nav className="side-nav" aria-label="主导航">
          {NAV.map((n) => (
            <button
              key={n.id}
              className={`nav-item${page === n.id ? ' active' : ''}`}
              data-testid={n.testId}
              aria-current={page === n.id ? 'page' : undefined}
              onClick={() => go(n.id)}
            >
              <span className="nav-icon" aria-hidden="true">
                {n.icon}
              </span>
              <span>{n.label}</span>
            </button>
          ))}
          <div className="nav-foot">Ctrl+F 检索规划全文</div>
        </nav>
        <main className="content">
          {visited.has('dashboard') && (
            <div className="page" hidden={page !== 'dashboard'}>
              <DashboardPage
                active={page === 'dashboard'}
                departments={departments}
                dataVersion={dataVersion}
                onOpenAlloc={(f) => {
                  setAllocFilter({ ...f, nonce: nextNonce() });
                  go('alloc');
                }}
                onOpenProjects={(f) => {
                  setProjectFilter({ ...f, nonce: nextNonce() });
                  go('projects');
                }}
                onOpenIndicators={(f) => {
                  setIndicatorFilter({ ...f, nonce: nextNonce() });
                  go('indicators');
                }}
              />
            </div>
          )}
          <div className="page" hidden={page !== 'plan'}>
            <PlanPage registerSearchFocus={(f) => (searchFocus.current = f)} />
          </div>
          {/* mounted when first opened (it then reads the whole ledger; a hidden grid loading 100,000 rows
              competed with whatever the person was doing), then kept so filters and scroll survive */}
          {visited.has('alloc') && (
          <div className="page" hidden={page !== 'alloc'}>
            <AllocPage
              active={page === 'alloc'}
              departments={departments}
              dataVersion={dataVersion}
              commandBus={commandBus}
              onDepartmentsStale={refreshDepartments}
              initialFilter={allocFilter}
              onClearInitialFilter={() => setAllocFilter(null)}
            />
          </div>
          )}
          {visited.has('projects') && (
            <div className="page" hidden={page !== 'projects'}>
              <ProjectsPage
                active={page === 'projects'}
                departments={departments}
                dataVersion={dataVersion}
                commandBus={commandBus}
                initialFilter={projectFilter}
                onClearInitialFilter={() => setProjectFilter(null)}
              />
            </div>
          )}
          {visited.has('indicators') && (
            <div className="page" hidden={page !== 'indicators'}>
              <IndicatorsPage active={page === 'indicators'} dataVersion={dataVersion} initialFilter={indicatorFilter} />
            </div>
          )}
          {/* kept mounted once opened, so a draft's unsaved typing survives switching pages */}
          {visited.has('drafts') && (
            <div className="page" hidden={page !== 'drafts'}>
              <DraftsPage active={page === 'drafts'} departments={departments} dataVersion={dataVersion} />
            </div>
          )}
          {/* kept mounted once opened, so a session's exports and an import in progress survive switching pages */}
          {visited.has('export') && (
            <div className="page" hidden={page !== 'export'}>
              <ExportPage active={page === 'export'} departments={departments} />
            </div>
          )}
          {visited.has('import') && (
            <div className="page" hidden={page !== 'import'}>
              <ImportPage active={page === 'import'} departments={departments} onApplied={onDataChanged} onOpenAlloc={() => go('alloc')} />
            </div>
          )}
          {page === 'rounds' && <RoundsPage active onChanged={onDataChanged} />}
          {page === 'depts' && <DeptsPage departments={departments} onChanged={onDataChanged} />}
          {page === 'audit' && <AuditPage active departments={departments} dataVersion={dataVersion} onChanged={onDataChanged} />}
          {page === 'settings' && (
            <SettingsPage
              identity={identity}
              onIdentity={(id) => {
                setIdentity(id);
              }}
            />
          )}
        </main>
      </div>
      {askIdentity && (
        <IdentityModal
          initial={identity}
          canCancel={!!identity}
          onCancel={() => setAskIdentity(false)}
          onSaved={(id) => {
            setIdentity(id);
            setAskIdentity(false);
            toast.show(`欢迎，${id.name}（${id.unit}）`, 'success');
          }}
        />
      )}
    </div>
  );
}

export function IdentityForm({
  initial,
  onSaved,
  onCancel,
  compact,
}: {
  initial: UserIdentity | null;
  onSaved: (id: UserIdentity) => void;
  onCancel?: () => void;
  compact?: boolean;
}) {
  const toast = useToast();
  const [name, setName] = useState(initial?.name ?? '');
  const [unit, setUnit] = useState(initial?.unit ?? '');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const save = async () => {
    if (!name.trim() || !unit.trim()) {
      setErr('请填写姓名和单位');
      return;
    }
    setBusy(true);
    setErr('');
    try {
      const id = await call('settings.setIdentity', { name: name.trim(), unit: unit.trim() });
      onSaved(id);
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={`form${compact ? ' compact' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field">
        <span>姓名</span>
        <input className="input" data-testid="identity-name" value={name} maxLength={40} autoFocus={!compact} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>单位</span>
        <input
          className="input"
          data-testid="identity-unit"
          value={unit}
          maxLength={80}
          placeholder="如：湖南省发展和改革委员会"
          onChange={(e) => setUnit(e.target.value)}
        />
      </label>
      {err && <div className="form-error">{err}</div>}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            取消
          </button>
        )}
        <button type="submit" className="btn primary" data-testid="identity-save" disabled={busy}>
          保存
        </button>
      </div>
    </form>
  );
}

function IdentityModal({
  initial,
  canCancel,
  onCancel,
  onSaved,
}: {
  initial: UserIdentity | null;
  canCancel: boolean;
  onCancel: () => void;
  onSaved: (id: UserIdentity) => void;
}) {
  return (
    <Modal title="登记使用人" onClose={canCancel ? onCancel : undefined} testId="identity-modal">
      <p className="hint">办公电脑可能多人共用。请填写您的姓名和单位，所有修改都会记录操作人。</p>
      <IdentityForm initial={initial} onSaved={onSaved} onCancel={canCancel ? onCancel : undefined} />
    </Modal>
  );
}
