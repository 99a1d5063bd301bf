// 佐证材料 of a department's report in a round (issue 18, item 7), in its 报送明细: the files listed
// with their measure, type and size; attach (to the report as a whole or to one measure; each file
// checked by the main side, a refusal shown with its reason), open with the system viewer (the
// browser version downloads the file instead), take off (after a confirmation).
import { useRef, useState } from 'react';
import { EVIDENCE_MAX_MB, type RoundEvidence } from '../../../shared/rounds';
import { call } from '../api';
import { formatBytes, formatTime } from '../components/Busy';
import { useToast } from '../components/Toast';
import { fileToBase64 } from '../importing/useImportFlow';
import { startDownload } from '../exporting/kinds';

export const EVIDENCE_ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif';
const MAX_BYTES = EVIDENCE_MAX_MB * 1024 * 1024;
const TYPE_LABEL: Record<string, string> = { pdf: 'PDF', docx: 'Word', doc: 'Word', xlsx: 'Excel', xls: 'Excel', png: '图片', jpg: '图片', gif: '图片' };
const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
};

/** The bytes the main side gave as a download of the browser (a blob URL, revoked once the download has started). */
function download(fileName: string, type: string, base64: string) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: MIME[type] ?? 'application/octet-stream' }));
  startDownload(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function EvidencePanel({
  roundId,
  deptId,
  closed,
  items,
  measureIds,
  target,
  setTarget,
  onChanged,
}: {
  roundId: number;
  deptId: number;
  closed: boolean;
  items: RoundEvidence[];
  /** the measures it may be attached to (those the department reported) */
  measureIds: string[];
  /** what a new file is attached to: a measure, or '' for the report as a whole */
  target: string;
  setTarget: (m: string) => void;
  onChanged: () => void;
}) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refused, setRefused] = useState<{ file: string; reason: string }[]>([]);
  const [removing, setRemoving] = useState<RoundEvidence | null>(null);

  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy('正在检查并添加…');
    const out: { file: string; reason: string }[] = [];
    let added = 0;
    try {
      // one file a request: each up to 20 MB
      for (const f of [...list]) {
        if (f.size > MAX_BYTES) {
          out.push({ file: f.name, reason: `文件大小为 ${(f.size / 1048576).toFixed(1)} MB，超过 ${EVIDENCE_MAX_MB} MB 的上限` });
          continue;
        }
        const r = await call('rounds.addEvidence', { roundId, deptId, ...(target ? { measureId: target } : {}), files: [{ name: f.name, base64: await fileToBase64(f) }] });
        added += r.added.length;
        out.push(...r.refused);
      }
      if (added) toast.show(`已添加佐证材料 ${added} 份`, 'success');
    } catch (e) {
      toast.error(e);
    } finally {
      setRefused(out);
      setBusy(null);
      if (input.current) input.current.value = '';
      onChanged();
    }
  };
  const open = async (e: RoundEvidence) => {
    try {
      const r = await call('rounds.openEvidence', { roundId, id: e.id });
      if (r.base64 !== null) download(r.fileName, e.type, r.base64);
      else if (r.opened) toast.show(`已用系统程序打开“${r.fileName}”`, 'success');
      else toast.show(`无法打开“${r.fileName}”：本机没有可打开${TYPE_LABEL[e.type] ?? ''}文件的程序`, 'error');
    } catch (err) {
      toast.error(err);
    }
  };
  const remove = async (e: RoundEvidence) => {
    setRemoving(null);
    try {
      await call('rounds.removeEvidence', { roundId, id: e.id });
      toast.show(`已删除佐证材料“${e.name}”`, 'success');
    } catch (err) {
      toast.error(err);
    } finally {
      onChanged();
    }
  };

  return (
    <section className="evidence-panel" aria-label="佐证材料" data-testid="evidence-panel">
      <h4>佐证材料（{items.length} 份）</h4>
      {!closed && (
        <div className="toolbar">
          <label>
            添加到
            <select className="input" value={target} onChange={(e) => setTarget(e.target.value)} data-testid="evidence-target">
              <option value="">本单位报送（不指定措施）</option>
              {measureIds.map((m) => (
                <option key={m} value={m}>
                  措施 {m}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" disabled={!!busy} onClick={() => input.current?.click()} data-testid="evidence-add">
            添加佐证材料…
          </button>
          <input ref={input} type="file" multiple accept={EVIDENCE_ACCEPT} hidden aria-label="选择佐证材料" data-testid="evidence-input" onChange={(e) => void add(e.target.files)} />
          <span className="muted small">PDF、Word、Excel 或图片，每份不超过 {EVIDENCE_MAX_MB} MB</span>
        </div>
      )}
      {busy && <p role="status">{busy}</p>}
      {refused.length > 0 && (
        <div role="alert" data-testid="evidence-refused">
          <ul className="evidence-refused">
            {refused.map((r, i) => (
              <li key={i}>
                拒收“{r.file}”：{r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {removing && (
        <div className="confirm-bar" role="alert">
          删除后“{removing.name}”不再列入本轮的佐证材料（文件仍保留在备份中）。确定删除？
          <button type="button" className="btn primary" onClick={() => void remove(removing)} data-testid="evidence-remove-confirm">
            删除
          </button>
          <button type="button" className="btn" onClick={() => setRemoving(null)}>
            取消
          </button>
        </div>
      )}
      {items.length === 0 ? (
        <p className="muted">尚无佐证材料。</p>
      ) : (
        <table className="data-table" data-testid="evidence-list">
          <thead>
            <tr>
              <th scope="col">文件</th>
              <th scope="col">措施</th>
              <th scope="col">类型</th>
              <th scope="col">大小</th>
              <th scope="col">添加</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-testid="evidence-item" data-name={e.name}>
                <td>{e.name}</td>
                <td>{e.measureId ?? '（整体）'}</td>
                <td>{TYPE_LABEL[e.type] ?? e.type}</td>
                <td>{formatBytes(e.bytes)}</td>
                <td>
                  {formatTime(e.addedAt)} {e.actor}
                </td>
                <td className="row-actions">
                  <button type="button" className="btn small-btn" onClick={() => void open(e)} aria-label={`打开 ${e.name}`} data-testid="evidence-open">
                    打开
                  </button>
                  {!closed && (
                    <button type="button" className="btn small-btn" onClick={() => setRemoving(e)} aria-label={`删除 ${e.name}`} data-testid="evidence-remove">
                      删除
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
