// The header's sync status (issue 20): 未配置 / 已同步 / 待上传 N 条 / 离线（自 时间）/ 同步冲突, read
// from sync.status every few seconds (edits queue operations) and on each sync.status event (after
// an automatic sync). Clicking it opens 设置 › 联网协同, where the conflicts are listed.
import { useEffect, useState } from 'react';
import type { SyncStatusView } from '../../../shared/ipc/contract';
import { call, onEvent } from '../api';

const REFRESH_MS = 3000;

function label(s: SyncStatusView): string {
  if (!s.configured || !s.attached) return '未配置';
  if (s.syncing) return '正在同步…';
  // offline, the edits still waiting are said too: they are kept and go when the server is back
  if (s.offlineSince) return `离线（自 ${new Date(s.offlineSince).toLocaleString('zh-CN', { hour12: false })}）${s.pending > 0 ? ` · 待上传 ${s.pending} 条` : ''}`;
  const parts = [s.pending > 0 ? `待上传 ${s.pending} 条` : '已同步'];
  if (s.conflicts > 0) parts.push(`冲突 ${s.conflicts} 条`);
  return parts.join(' · ');
}

export function SyncBadge({ onOpen }: { onOpen: () => void }) {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  useEffect(() => {
    let alive = true;
    const read = () => {
      call('sync.status', {}).then(
        (s) => alive && setStatus(s),
        () => {},
      );
    };
    read();
    const t = window.setInterval(read, REFRESH_MS);
    const off = onEvent('sync.status', (s) => alive && setStatus(s as SyncStatusView));
    return () => {
      alive = false;
      window.clearInterval(t);
      off();
    };
  }, []);
  if (!status) return null;
  return (
    <button type="button" className="user sync-badge" data-testid="sync-status" title={status.error ?? '联网协同（点击打开设置）'} onClick={onOpen}>
      {label(status)}
    </button>
  );
}
