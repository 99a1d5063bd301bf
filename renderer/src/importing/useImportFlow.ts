// The import's three steps as state: a file read and previewed by the main side (with departments
// chosen for names the directory does not know), a choice per conflicting field, and the apply that
// writes all or nothing. A spare reader thread is started ahead of the next file while the page is open.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Department } from '../../../shared/domain';
import type { ImportPreview, ImportSummary } from '../../../shared/import';
import { call, errorMessage } from '../api';
import { formatBytes } from '../components/Busy';
import { useToast } from '../components/Toast';
import { conflictChoices, type Choice, type PerField } from './conflictChoices';

const MAX_BYTES = 50 * 1024 * 1024;
export const ACCEPT = '.xlsx,.xls,.et,.csv';
const ACCEPT_RE = /\.(xlsx|xls|et|csv)$/i;

export type { Choice } from './conflictChoices';
export type Preview = ImportPreview & { previewId: string };

/** The file as base64, encoded by the browser's file reader (not in a script task of the page). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => {
      const url = String(fr.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    fr.onerror = () => reject(new Error(`无法读取“${file.name}”：${fr.error?.message ?? '文件不可读'}`));
    fr.readAsDataURL(file);
  });
}

export function useImportFlow({ active, departments, onApplied }: { active: boolean; departments: Department[]; onApplied: () => void }) {
  const toast = useToast();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; size: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [onConflict, setOnConflict] = useState<Choice>('keep');
  const [perField, setPerField] = useState<PerField>({});
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  // while the page is open (and after each file) a reader thread is started ahead of the next file
  const [readerUsed, setReaderUsed] = useState(0);
  useEffect(() => {
    if (active) call('import.prepare', {}).catch(() => undefined);
  }, [active, readerUsed]);
  const [errorsShown, setErrorsShown] = useState(200);
  // the file as sent, kept to preview it again with departments chosen for its unknown names
  const sent = useRef<{ name: string; base64: string } | null>(null);
  const [deptMap, setDeptMap] = useState<Record<string, number>>({});
  const deptById = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setSummary(null);
    setError('');
    setPerField({});
    setOnConflict('keep');
    setErrorsShown(200);
    sent.current = null;
    setDeptMap({});
    if (inputRef.current) inputRef.current.value = '';
  };

  const load = useCallback(
    async (f: File) => {
      setError('');
      setPreview(null);
      setSummary(null);
      setPerField({});
      setOnConflict('keep');
      setErrorsShown(200);
      sent.current = null;
      setDeptMap({});
      setFile({ name: f.name, size: f.size });
      if (!ACCEPT_RE.test(f.name)) {
        setError(`“${f.name}”不是台账文件：请选择 Excel（.xlsx、.xls）、WPS 表格（.et）或 CSV 文件。`);
        return;
      }
      if (f.size > MAX_BYTES) {
        setError(`文件过大（${formatBytes(f.size)}），台账文件不能超过 50 MB。请删去无关的工作表或图片后再导入。`);
        return;
      }
      if (f.size === 0) {
        setError(`“${f.name}”是空文件（0 字节），请确认选对了文件。`);
        return;
      }
      setBusy(`正在读取并比对“${f.name}”（${formatBytes(f.size)}）…`);
      try {
        const base64 = await fileToBase64(f);
        // a task boundary between making the text of a large file and sending it: two short tasks, not one long
        await new Promise((r) => setTimeout(r, 0));
        const p = await call('import.preview', { fileName: f.name, base64 });
        sent.current = { name: f.name, base64 };
        setPreview(p);
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(null);
        setReaderUsed((n) => n + 1);
      }
    },
    [],
  );

  /** the same file again, with the departments chosen for names the directory does not know */
  const remap = async (map: Record<string, number>) => {
    const f = sent.current;
    if (!f || busy) return;
    setBusy(`正在按所选单位重新比对“${f.name}”…`);
    setError('');
    try {
      const p = await call('import.preview', { fileName: f.name, base64: f.base64, deptMap: map });
      setDeptMap(map);
      setPreview(p);
      setPerField({});
      setErrorsShown(200);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      setReaderUsed((n) => n + 1);
    }
  };

  const choices = conflictChoices(preview?.conflicts, onConflict, setOnConflict, perField, setPerField);
  const { choiceOf, setChoice, setRow, takeCount, conflictFields } = choices;

  const apply = async () => {
    if (!preview || busy) return;
    const chosen = choices.explicit();
    setBusy('正在写入数据库…');
    setError('');
    try {
      const s = await call('import.apply', { previewId: preview.previewId, choices: { onConflict, perField: chosen } });
      setSummary(s);
      onApplied();
      toast.show(`导入完成：更新 ${s.changed} 条措施`, 'success');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      // the apply stopped the spare reader (what it had read ahead is stale now): start another
      setReaderUsed((n) => n + 1);
    }
  };

  const step = summary ? 3 : preview ? 2 : 1;
  const hasErrors = !!preview && preview.errors.length > 0;
  const nothing = !!preview && preview.changes.length === 0 && preview.conflicts.length === 0;

  return {
    inputRef,
    file,
    busy,
    error,
    preview,
    onConflict,
    setOnConflict,
    perField,
    setPerField,
    summary,
    errorsShown,
    setErrorsShown,
    deptMap,
    deptById,
    reset,
    load,
    remap,
    choiceOf,
    setChoice,
    setRow,
    apply,
    step,
    takeCount,
    conflictFields,
    explicit: choices.explicit,
    hasErrors,
    nothing,
  };
}

export type ImportFlow = ReturnType<typeof useImportFlow>;
