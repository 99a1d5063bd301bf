// 调度轮次's data and steps for the page: the list of rounds, one round's 报送情况, and the actions
// (下发 with progress and cancel, 采纳 / 退回, 催办, 结束轮次, the round documents through export.run).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoundProgressEvent } from '../../../shared/ipc/contract';
import type { RoundInfo, RoundStatus } from '../../../shared/rounds';
import { call, eventsReady, exportDownloadUrl, onEvent } from '../api';
import { useToast } from '../components/Toast';
import { startDownload } from '../exporting/kinds';

export function useRoundList(active: boolean) {
  const toast = useToast();
  const [rounds, setRounds] = useState<RoundInfo[] | null>(null);
  const reload = useCallback(async () => {
    try {
      setRounds(await call('rounds.list', {}));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  useEffect(() => {
    if (active) void reload();
  }, [active, reload]);
  return { rounds, reload };
}

export function useRoundStatus(roundId: number | null) {
  const toast = useToast();
  const [status, setStatus] = useState<RoundStatus | null>(null);
  const reload = useCallback(async () => {
    if (roundId === null) return setStatus(null);
    try {
      setStatus(await call('rounds.status', { roundId }));
    } catch (e) {
      toast.error(e);
    }
  }, [roundId, toast]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { status, reload };
}

/** The steps on one round; each reloads the 报送情况 when done (onChanged). */
export function useRoundActions(roundId: number, onChanged: () => void) {
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<RoundProgressEvent | null>(null);
  const jobRef = useRef<string | null>(null);

  const step = async <T>(label: string, f: () => Promise<T>): Promise<T | undefined> => {
    if (busy) return undefined;
    setBusy(label);
    try {
      return await f();
    } catch (e) {
      toast.error(e);
      return undefined;
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  const distribute = (deptIds?: number[]) =>
    step('下发', async () => {
      const jobId = crypto.randomUUID();
      jobRef.current = jobId;
      setProgress(null);
      const off = onEvent('rounds.progress', (payload) => {
        const p = payload as RoundProgressEvent;
        if (p?.jobId === jobId) setProgress(p);
      });
      try {
        await eventsReady();
        const r = await call('rounds.distribute', { roundId, jobId, ...(deptIds ? { deptIds } : {}) });
        if (r) toast.show(`已下发 ${r.departments} 个单位，共 ${r.files.length} 个文件，保存在：${r.folder}`, 'success');
        return r;
      } finally {
        off();
        jobRef.current = null;
        setProgress(null);
      }
    });
  const cancel = async () => {
    if (jobRef.current) await call('rounds.cancel', { jobId: jobRef.current }).catch(() => undefined);
  };
  const review = (deptId: number, action: 'accept' | 'return', reason?: string) =>
    step(action === 'accept' ? '采纳' : '退回', async () => {
      const r = await call('rounds.review', { roundId, deptId, action, ...(reason ? { reason } : {}) });
      toast.show(`${r.department}：${r.state}（${r.reports} 项）`, 'success');
      return r;
    });
  const remind = (deptIds: number[] | undefined, combined: boolean) =>
    step('催办', async () => {
      const r = await call('rounds.remind', { roundId, combined, ...(deptIds ? { deptIds } : {}) });
      for (const f of r.files) {
        const url = exportDownloadUrl(f.id);
        if (url) startDownload(url, f.fileName);
      }
      // a cancelled save is not a reminder sent: nothing was recorded for it
      if (!r.files.length) toast.show('未保存催办通知，未记录催办', 'info');
      else toast.show(`已保存催办通知 ${r.files.length} 份，已记录催办`, 'success');
      return r;
    });
  const close = () => step('结束轮次', () => call('rounds.close', { roundId }));
  const exportDoc = (kind: 'round-briefing.docx' | 'round-scores.xlsx' | 'return-notice.docx', title: string, deptId?: number) =>
    step('导出', async () => {
      const r = await call('export.run', { kind, roundId, scopeLabel: title, ...(deptId !== undefined ? { deptId } : {}) });
      if (!r) return null;
      const url = r.id !== undefined ? exportDownloadUrl(r.id) : null;
      if (url) startDownload(url, r.fileName);
      toast.show(`已导出：${r.fileName}`, 'success');
      return r;
    });
  return { busy, progress, distribute, cancel, review, remind, close, exportDoc };
}
