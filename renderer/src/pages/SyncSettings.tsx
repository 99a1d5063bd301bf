// 设置 › 联网协同 (issue 20): the shared server's address, this person's login and password (kept on
// this PC, never shown again), 测试连接 (who the server takes the login for), 立即同步, 自动同步, and
// the conflicts the server recorded, each resolved with 保留本机 / 采用服务器.
import { useCallback, useEffect, useState } from 'react';
import type { SyncConfig, SyncConflictView, SyncIdentity, SyncStatusView } from '../../../shared/ipc/contract';
import { call, onEvent } from '../api';
import { useToast } from '../components/Toast';

const ROLE = { office: '统筹办公室', dept: '部门' } as const;
const TABLE: Record<string, string> = { measure: '措施', project: '项目', department: '部门', indicator_actual: '指标实际值', year_plan: '年度计划' };

export function SyncSettings() {
  const toast = useToast();
  const [config, setConfig] = useState<SyncConfig | null>(null);
  const [server, setServer] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<null | 'save' | 'test' | 'sync'>(null);
  const [who, setWho] = useState<SyncIdentity | null>(null);
  const [testError, setTestError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<SyncConflictView[]>([]);

  const loadConflicts = useCallback(() => {
    call('sync.conflicts', {}).then(setConflicts, (e: unknown) => toast.error(e));
  }, [toast]);

  useEffect(() => {
    call('sync.getConfig', {}).then(
      (c) => {
        setConfig(c);
        setServer(c.server ?? '');
        setLogin(c.login ?? '');
      },
      (e: unknown) => toast.error(e),
    );
    loadConflicts();
    return onEvent('sync.status', (s) => {
      if ((s as SyncStatusView).conflicts >= 0) loadConflicts();
    });
  }, [toast, loadConflicts]);

  const run = async <T,>(what: 'save' | 'test' | 'sync', fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(what);
    try {
      return await fn();
    } catch (e) {
      toast.error(e);
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const save = (auto = config?.auto ?? false) =>
    run('save', async () => {
      const c = await call('sync.setConfig', {
        server: server.trim() ? server.trim() : null,
        login: login.trim() ? login.trim() : null,
        ...(password ? { password } : {}),
        auto,
      });
      setConfig(c);
      setPassword('');
      toast.show('已保存联网协同设置', 'success');
    });
  const test = async () => {
    setWho(null);
    setTestError(null);
    setBusy('test');
    try {
      setWho(await call('sync.test', { server: server.trim(), login: login.trim(), ...(password ? { password } : {}) }));
    } catch (e) {
      setTestError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const syncNow = () =>
    run('sync', async () => {
      const r = await call('sync.now', {});
      toast.show(`同步完成：上传 ${r.pushed} 条，接收 ${r.pulled} 条${r.conflicts ? `，新增冲突 ${r.conflicts} 条` : ''}`, 'success');
      loadConflicts();
    });
  const resolve = (c: SyncConflictView, choice: 'mine' | 'theirs') =>
    call('sync.resolve', { opId: c.opId, choice }).then(
      () => {
        toast.show(choice === 'mine' ? '已保留本机值，将在下次同步时上传' : '已采用服务器的值', 'success');
        loadConflicts();
      },
      (e: unknown) => toast.error(e),
    );

  if (!config) return <p className="hint">正在读取…</p>;
  const dirty = (config.server ?? '') !== server.trim() || (config.login ?? '') !== login.trim() || password !== '';
  const complete = server.trim() !== '' && login.trim() !== '' && (password !== '' || config.hasPassword);
  return (
    <div className="update-settings sync-settings" data-testid="sync-settings">
      <p className="hint">各部门的副本在电子政务外网上与同一台 PostgreSQL 服务器同步；断网时照常在本机工作，联网后补传。服务器地址、登录名和密码由信息中心提供。</p>
      <div className="update-row">
        <label htmlFor="sync-server">服务器地址</label>
        <input id="sync-server" className="input" value={server} placeholder="例如 postgres://10.1.2.3:5432/czt" maxLength={300} onChange={(e) => setServer(e.target.value)} />
      </div>
      <div className="update-row">
        <label htmlFor="sync-login">登录名</label>
        <input id="sync-login" className="input" value={login} maxLength={63} autoComplete="username" onChange={(e) => setLogin(e.target.value)} />
        <label htmlFor="sync-password">密码</label>
        <input
          id="sync-password"
          className="input"
          type="password"
          value={password}
          maxLength={200}
          autoComplete="current-password"
          placeholder={config.hasPassword ? '已保存（不显示），重新填写可更换' : ''}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="update-row">
        <button className="btn" disabled={!dirty || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? '正在保存…' : '保存'}
        </button>
        <button className="btn" disabled={!complete || busy !== null} onClick={() => void test()}>
          {busy === 'test' ? '正在连接…' : '测试连接'}
        </button>
        <button className="btn primary" disabled={dirty || !config.hasPassword || busy !== null} onClick={() => void syncNow()}>
          {busy === 'sync' ? '正在同步…' : '立即同步'}
        </button>
        <label className="check">
          <input type="checkbox" checked={config.auto} disabled={busy !== null || dirty} onChange={(e) => void save(e.target.checked)} /> 自动同步
        </label>
      </div>
      <div role="status" data-testid="sync-test-result">
        {who && (
          <p>
            连接成功：服务器认定此登录为 {who.name}（{who.login}），单位 {who.unit}，角色 {ROLE[who.role]}，协同数据版本 {who.schemaVersion}。
          </p>
        )}
        {testError && <p className="form-error">连接失败：{testError}</p>}
      </div>
      <h4 id="sync-conflicts">同步冲突</h4>
      {conflicts.length === 0 ? (
        <p className="hint" data-testid="sync-no-conflicts">
          没有待处理的冲突。
        </p>
      ) : (
        <table className="mini-table" data-testid="sync-conflicts">
          <thead>
            <tr>
              <th scope="col">表</th>
              <th scope="col">行</th>
              <th scope="col">字段</th>
              <th scope="col">本机值</th>
              <th scope="col">服务器值</th>
              <th scope="col">修改人</th>
              <th scope="col">时间</th>
              <th scope="col">处理</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.map((c) => (
              <tr key={c.opId} data-op={c.opId}>
                <td>{TABLE[c.table] ?? c.table}</td>
                <td>{c.rowId}</td>
                <td>{c.field}</td>
                <td>{c.mine ?? '（空）'}</td>
                <td>{c.kind === 'refused' ? `（服务器拒绝：${c.reason}）` : (c.theirs ?? '（空）')}</td>
                <td>
                  {c.actor}
                  {c.unit ? `（${c.unit}）` : ''}
                </td>
                <td>{c.at.replace('T', ' ').slice(0, 19)}</td>
                <td>
                  {c.kind === 'conflict' && (
                    <button className="btn" onClick={() => void resolve(c, 'mine')}>
                      保留本机
                    </button>
                  )}{' '}
                  <button className="btn" onClick={() => void resolve(c, 'theirs')}>
                    采用服务器
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
