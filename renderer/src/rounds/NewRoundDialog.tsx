// 新建调度轮次: title, period end, due date, the chapters it covers (default 3–9), whether the
// co-operating units report too, and a note.
import { useState } from 'react';
import { DEFAULT_ROUND_CHAPTERS } from '../../../shared/rounds';
import { call } from '../api';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';

export function NewRoundDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: number) => void }) {
  const toast = useToast();
  const [title, setTitle] = useState('');
  const [periodEnd, setPeriodEnd] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [chapters, setChapters] = useState<number[]>([...DEFAULT_ROUND_CHAPTERS]);
  const [withCo, setWithCo] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const problems = [
    !title.trim() && '请填写轮次名称',
    !periodEnd && '请选择报送截止的统计日期',
    !dueDate && '请选择报送期限',
    !chapters.length && '请至少选择一章',
  ].filter(Boolean) as string[];
  const toggle = (c: number) => setChapters((xs) => (xs.includes(c) ? xs.filter((x) => x !== c) : [...xs, c].sort((a, b) => a - b)));
  const submit = async () => {
    if (problems.length || busy) return;
    setBusy(true);
    try {
      const r = await call('rounds.create', { title: title.trim(), periodEnd, dueDate, chapters, withCo, ...(note.trim() ? { note: note.trim() } : {}) });
      if (r.unassigned.length) toast.show(`注意：${r.unassigned.length} 项措施没有牵头单位，未列入任何单位`, 'info');
      onCreated(r.round.id);
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="新建调度轮次"
      onClose={onClose}
      width={520}
      testId="round-new-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button type="button" className="btn primary" disabled={!!problems.length || busy} onClick={() => void submit()} data-testid="round-create">
            新建
          </button>
        </>
      }
    >
      <div className="form-grid">
        <label>
          轮次名称
          <input className="input" value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} placeholder="如 2026年第四季度调度" data-testid="round-title" autoFocus />
        </label>
        <label>
          统计截止日期
          <input className="input" type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} data-testid="round-period" />
        </label>
        <label>
          报送期限
          <input className="input" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} data-testid="round-due" />
        </label>
        <fieldset className="round-chapters">
          <legend>范围（章）</legend>
          {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => (
            <label key={c} className="check">
              <input type="checkbox" checked={chapters.includes(c)} onChange={() => toggle(c)} />第{c}章
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={withCo} onChange={(e) => setWithCo(e.target.checked)} data-testid="round-with-co" />
          含配合单位（配合单位也报送其配合的措施）
        </label>
        <label>
          备注
          <textarea className="input" value={note} maxLength={2000} rows={2} onChange={(e) => setNote(e.target.value)} />
        </label>
      </div>
      {problems.length > 0 && <p className="muted">{problems[0]}</p>}
    </Modal>
  );
}
