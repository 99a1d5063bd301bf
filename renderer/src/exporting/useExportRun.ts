// Running one export: the worker's progress events, 取消, the save dialog closed without a file, a
// failure in Chinese; and the list of exported files (from the database, so it survives a reload)
// with 打开所在文件夹 / the folder to copy where it cannot be opened (web bridge).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportedFile, ExportProgressEvent } from '../../../shared/ipc/contract';
import { ApiError, call, errorMessage, eventsReady, exportDownloadUrl, onEvent } from '../api';
import { useToast } from '../components/Toast';
import { startDownload } from './kinds';
import type { ExportForm } from './useExportForm';

export function useExportRun(active: boolean) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ExportProgressEvent | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const exportIdRef = useRef<string | null>(null);
  const [error, setError] = useState('');
  /** dialog: the save dialog was closed without a file; user: the export was cancelled with 取消 */
  const [cancelled, setCancelled] = useState<'dialog' | 'user' | null>(null);
  /** the list of exported files, from the database (it survives a reload) */
  const [done, setDone] = useState<ExportedFile[] | null>(null);
  /** folders to show for copying where they cannot be opened (web bridge), by export id */
  const [folders, setFolders] = useState<Record<number, string>>({});

  const loadExports = useCallback(async () => {
    try {
      setDone(await call('export.list', {}));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  useEffect(() => {
    if (active) void loadExports();
  }, [active, loadExports]);

  const run = async (form: ExportForm) => {
    if (busy || form.problems.length) return;
    setError('');
    setCancelled(null);
    setBusy(true);
    setProgress(null);
    setCancelling(false);
    // the export runs in a worker on the main side; its progress comes as export.progress events
    const exportId = crypto.randomUUID();
    exportIdRef.current = exportId;
    const off = onEvent('export.progress', (payload) => {
      const p = payload as ExportProgressEvent;
      if (p?.exportId === exportId) setProgress(p);
    });
    try {
      await eventsReady();
      const r = await call('export.run', form.runInput(exportId));
      if (!r) {
        setCancelled('dialog');
        return;
      }
      toast.show(`已导出：${r.fileName}`, 'success');
      // the browser version: the file is also offered as a download (it is kept in the export folder too)
      const url = r.id !== undefined ? exportDownloadUrl(r.id) : null;
      if (url) startDownload(url, r.fileName);
      void loadExports();
      if (form.kind === 'briefing.docx') void form.loadReports();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CANCELLED') setCancelled('user');
      else setError(errorMessage(e));
    } finally {
      off();
      exportIdRef.current = null;
      setBusy(false);
      setProgress(null);
      setCancelling(false);
    }
  };

  const cancel = async () => {
    const exportId = exportIdRef.current;
    if (!exportId || cancelling) return;
    setCancelling(true);
    try {
      // false: it had already finished (the file is being saved); the result then shows as usual
      const r = await call('export.cancel', { exportId });
      if (!r.cancelled) setCancelling(false);
    } catch (e) {
      setCancelling(false);
      toast.error(e);
    }
  };

  const openFolder = async (d: ExportedFile) => {
    try {
      const r = await call('files.showInFolder', { path: d.path });
      if (!r.shown) setFolders((f) => ({ ...f, [d.id]: r.folder }));
    } catch (e) {
      toast.error(e);
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      toast.show('已复制文件夹路径', 'success');
    } catch {
      toast.show('无法写入剪贴板，请手动选中路径复制', 'error');
    }
  };

  return { busy, progress, cancelling, error, cancelled, done, folders, run, cancel, openFolder, copy };
}

export type ExportRun = ReturnType<typeof useExportRun>;
