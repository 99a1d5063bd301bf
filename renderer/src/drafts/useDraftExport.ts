// Exporting the open draft (Word 方案 or its attachment tables in Excel) after every pending edit is
// saved: progress, the result with its path, a failure or a cancelled save dialog, and 打开所在文件夹.
import { useState, type MutableRefObject } from 'react';
import type { Draft } from '../../../shared/drafts';
import type { ExportResult } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { useToast } from '../components/Toast';

export interface ExportDone {
  label: string;
  result: ExportResult;
  folder?: string;
}

export type DraftExportKind = 'special-plan.docx' | 'draft-tables.xlsx';

export function useDraftExport(draftRef: MutableRefObject<Draft | null>, flushAll: () => Promise<void>) {
  const toast = useToast();
  const [exporting, setExporting] = useState<string | null>(null);
  const [done, setDone] = useState<ExportDone | null>(null);
  const [error, setError] = useState('');
  const [cancelled, setCancelled] = useState(false);

  const runExport = async (kind: DraftExportKind) => {
    const d = draftRef.current;
    if (!d || exporting) return;
    const label = kind === 'special-plan.docx' ? 'Word 方案' : '附件表格（Excel）';
    setError('');
    setCancelled(false);
    setExporting(`正在导出${label}，表格按最新数据生成，请稍候…`);
    try {
      await flushAll();
      const r = await call('export.run', { kind, draftId: d.id });
      if (!r) setCancelled(true);
      else {
        setDone({ label, result: r });
        toast.show(`已导出：${r.fileName}`, 'success');
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(null);
    }
  };

  const openFolder = async () => {
    if (!done) return;
    try {
      const r = await call('files.showInFolder', { path: done.result.path });
      if (!r.shown) setDone({ ...done, folder: r.folder });
    } catch (e) {
      toast.error(e);
    }
  };

  /** another draft was opened: nothing of the last one's export is shown */
  const reset = () => {
    setDone(null);
    setError('');
    setCancelled(false);
  };

  return { exporting, done, setDone, error, cancelled, runExport, openFolder, reset };
}

export type DraftExport = ReturnType<typeof useDraftExport>;
