// 收取: many returned ledgers at once. First each file is checked (a dry run): the department it
// was recognised as, or why it is refused, and its conflicts (a value changed here since 下发 and in
// the file); then the person says keep or take for the conflicts and the accepted files are taken in.
import { useRef, useState } from 'react';
import type { CollectFileResult } from '../../../shared/rounds';
import { call, fileForCall } from '../api';
import { chinaToday } from '../components/Busy';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { fileToBase64 } from '../importing/useImportFlow';

type Picked = Awaited<ReturnType<typeof fileForCall>>;

export function CollectDialog({ roundId, onClose, onCollected }: { roundId: number; onClose: () => void; onCollected: () => void }) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<Picked[]>([]);
  const [checked, setChecked] = useState<CollectFileResult[] | null>(null);
  const [received, setReceived] = useState(chinaToday());
  const [onConflict, setOnConflict] = useState<'keep' | 'take'>('keep');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<CollectFileResult[] | null>(null);

  // today: received now (a date alone means noon, which may not have come yet)
  const receivedAt = () => (received === chinaToday() ? {} : { receivedAt: received });
  const pick = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy('正在读取并识别文件…');
    try {
      const picked = await Promise.all([...list].map((f) => fileForCall(f, fileToBase64)));
      setFiles(picked);
      setChecked(await call('rounds.collect', { roundId, files: picked, dryRun: true, ...receivedAt() }));
      setDone(null);
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(null);
    }
  };
  const takeIn = async () => {
    const ok = files.filter((f) => checked?.find((c) => c.file === f.name && !c.refused));
    if (!ok.length) return;
    setBusy('正在收取…');
    try {
      const r = await call('rounds.collect', { roundId, files: ok, onConflict, ...receivedAt() });
      setDone(r);
      toast.show(`已收取 ${r.filter((x) => !x.refused).length} 个单位的报送`, 'success');
      onCollected();
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(null);
    }
  };
  const rows = done ?? checked ?? [];
  const conflicts = (checked ?? []).reduce((n, c) => n + (c.refused ? 0 : c.conflicts), 0);
  const takeable = (checked ?? []).filter((c) => !c.refused).length;
  return (
    <Modal
      title="收取报送文件"
      onClose={onClose}
      width={760}
      testId="round-collect-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {done ? '完成' : '取消'}
          </button>
          {!done && (
            <button type="button" className="btn primary" disabled={!takeable || !!busy} onClick={() => void takeIn()} data-testid="collect-take">
              收取 {takeable} 个文件
            </button>
          )}
        </>
      }
    >
      <div className="toolbar">
        <label>
          收到日期
          <input className="input" type="date" value={received} max={chinaToday()} onChange={(e) => setReceived(e.target.value)} data-testid="collect-received" />
        </label>
        <button type="button" className="btn" onClick={() => input.current?.click()} disabled={!!busy} data-testid="collect-choose">
          选择文件（可多选）…
        </button>
        <input ref={input} type="file" multiple accept=".xlsx,.xls,.et,.csv" hidden aria-label="选择报送文件" data-testid="collect-input" onChange={(e) => void pick(e.target.files)} />
      </div>
      {busy && <p role="status">{busy}</p>}
      {rows.length > 0 && (
        <table className="data-table" data-testid="collect-files">
          <thead>
            <tr>
              <th scope="col">文件</th>
              <th scope="col">识别为</th>
              <th scope="col">报送项</th>
              <th scope="col">有变化</th>
              <th scope="col">冲突</th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.file} data-testid="collect-file">
                <td>{r.file}</td>
                <td>{r.department ?? '未识别'}</td>
                <td>{r.reports}</td>
                <td>{r.changed}</td>
                <td>{r.conflicts}</td>
                <td className={r.refused ? 'bad' : ''}>
                  {r.refused ? `拒收：${r.refused}` : done ? `已收取${r.lateDays > 0 ? `（逾期 ${r.lateDays} 天）` : ''}` : `可收取${r.lateDays > 0 ? `（逾期 ${r.lateDays} 天）` : ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!done && conflicts > 0 && (
        <fieldset data-testid="collect-conflicts">
          <legend>{conflicts} 处冲突：下发后本库已修改、报送文件也改了同一字段</legend>
          <label className="check">
            <input type="radio" name="collect-conflict" checked={onConflict === 'keep'} onChange={() => setOnConflict('keep')} />
            保留本库的值
          </label>
          <label className="check">
            <input type="radio" name="collect-conflict" checked={onConflict === 'take'} onChange={() => setOnConflict('take')} data-testid="collect-conflict-take" />
            采用报送的值
          </label>
        </fieldset>
      )}
    </Modal>
  );
}
