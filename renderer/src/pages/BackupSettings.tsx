// 设置 › 备份与恢复: the rotating set of backups beside the database (each quick-checked),
// a manual backup, and restoring one (the current data is kept as a 恢复前备份 first).
import { useCallback, useEffect, useState } from 'react';
import type { BackupEntry, BackupKindName } from '../../../shared/ipc/contract';
import { call } from '../api';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';

const KIND: Record<BackupKindName, string> = {
  auto: '定时备份',
  'before-migration': '升级前备份',
  'before-import': '导入前备份',
  'before-restore': '恢复前备份',
  'on-exit': '退出时备份',
  manual: '手动备份',
};

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });
const size = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

export function BackupSettings() {
  const toast = useToast();
  const [list, setList] = useState<BackupEntry[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<BackupEntry | null>(null);

  const refresh = useCallback(async () => {
    try {
      setList(await call('backup.list', {}));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const backupNow = async () => {
    setBusy(true);
    try {
      const b = await call('backup.create', {});
      toast.show(`已备份（${size(b.bytes)}）`, 'success');
      await refresh();
      setSelected(b.name);
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (b: BackupEntry) => {
    setBusy(true);
    try {
      const r = await call('backup.restore', { name: b.name });
      setConfirm(null);
      if (r.relaunch) {
        toast.show('已恢复，程序即将重新启动…', 'success');
      } else {
        toast.show(`已恢复到 ${when(b.at)} 的数据；恢复前的数据已另存为 ${r.keptAs ?? '备份'}`, 'success');
        // every page reads the database anew
        window.setTimeout(() => window.location.reload(), 1200);
      }
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };

  const current = list?.find((b) => b.name === selected) ?? null;
  return (
    <div className="backup-settings" data-testid="backup-settings">
      <p className="hint">
        程序在每次升级数据库和导入台账之前、运行期间每 30 分钟（有修改时）以及退出时自动备份，保留最近 10 份，另外 30 天内每天保留一份。备份保存在数据库旁的 backups 文件夹中。
      </p>
      <div className="toolbar actions">
        <button className="btn primary" data-testid="backup-now" disabled={busy} onClick={() => void backupNow()}>
          立即备份
        </button>
        <button
          className="btn"
          data-testid="backup-restore"
          disabled={busy || !current || current.ok === false}
          onClick={() => current && setConfirm(current)}
        >
          恢复所选
        </button>
        <button className="btn" disabled={busy} onClick={() => void refresh()}>
          刷新
        </button>
      </div>
      {list === null ? (
        <p className="muted">正在读取备份…</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="backup-empty">
          还没有备份。
        </p>
      ) : (
        <table className="table backup-table" data-testid="backup-list">
          <thead>
            <tr>
              <th />
              <th>时间</th>
              <th>类型</th>
              <th>大小</th>
              <th>检查</th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.name} className={b.name === selected ? 'selected' : undefined} onClick={() => setSelected(b.name)} title={b.name}>
                <td>
                  <input type="radio" name="backup" aria-label={`选择 ${when(b.at)} 的备份`} checked={b.name === selected} onChange={() => setSelected(b.name)} />
                </td>
                <td>{when(b.at)}</td>
                <td>{KIND[b.kind] ?? b.kind}</td>
                <td>{size(b.bytes)}</td>
                <td className={b.ok === false ? 'error-text' : undefined}>{b.ok === null ? '未检查（文件较大）' : b.ok ? '完好' : `损坏：${b.message ?? ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirm && (
        <Modal
          title="恢复备份"
          onClose={busy ? undefined : () => setConfirm(null)}
          testId="backup-confirm"
          footer={
            <>
              <button className="btn" disabled={busy} onClick={() => setConfirm(null)}>
                取消
              </button>
              <button className="btn danger" data-testid="backup-confirm-ok" disabled={busy} onClick={() => void restore(confirm)}>
                恢复
              </button>
            </>
          }
        >
          <p>
            将把数据恢复到 <b>{when(confirm.at)}</b>（{KIND[confirm.kind] ?? confirm.kind}）时的状态。
          </p>
          <p className="hint">当前的数据不会丢失：恢复之前会先把它另存为一份“恢复前备份”，需要时可以再恢复回来。桌面版恢复后会自动重新启动。</p>
        </Modal>
      )}
    </div>
  );
}
