// 佐证材料 of one measure from the 分工台账 (the selected row): in the latest round under way, for the
// department reporting it (a choice where several do), the same panel as in 报送明细.
import { useCallback, useEffect, useState } from 'react';
import type { RoundEvidence, RoundInfo } from '../../../shared/rounds';
import { call } from '../api';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { EvidencePanel } from './EvidencePanel';
import './rounds.css';

type Part = { deptId: number; name: string; role: '牵头' | '配合' };

export function MeasureEvidenceDialog({ measureId, onClose }: { measureId: string; onClose: () => void }) {
  const toast = useToast();
  // undefined: being read; null: no round under way
  const [round, setRound] = useState<RoundInfo | null | undefined>(undefined);
  const [parts, setParts] = useState<Part[]>([]);
  const [dept, setDept] = useState<number | null>(null);
  const [items, setItems] = useState<RoundEvidence[]>([]);
  const [target, setTarget] = useState(measureId);
  useEffect(() => {
    void (async () => {
      try {
        const open = (await call('rounds.list', {})).filter((r) => r.state === '进行中').pop() ?? null;
        const p = open ? await call('rounds.measureParts', { roundId: open.id, measureId }) : [];
        setParts(p);
        setDept(p[0]?.deptId ?? null);
        setRound(open);
      } catch (e) {
        toast.error(e);
        setRound(null);
      }
    })();
  }, [measureId, toast]);
  const load = useCallback(() => {
    if (!round || dept === null) return;
    call('rounds.evidence', { roundId: round.id, deptId: dept }).then((l) => setItems(l.filter((e) => e.measureId === measureId || e.measureId === null)), (e: unknown) => toast.error(e));
  }, [round, dept, measureId, toast]);
  useEffect(load, [load]);
  return (
    <Modal title={`措施 ${measureId} · 佐证材料`} onClose={onClose} width={820} testId="measure-evidence-dialog" footer={<button type="button" className="btn" onClick={onClose}>关闭</button>}>
      {round === undefined ? (
        <p role="status">正在读取…</p>
      ) : round === null ? (
        <p>没有进行中的调度轮次。佐证材料随调度轮次的报送提交，请先在“调度轮次”中新建一轮。</p>
      ) : !parts.length ? (
        <p>
          措施 {measureId} 不在“{round.title}”的报送范围内。
        </p>
      ) : (
        <>
          <p className="muted">
            调度轮次：{round.title}（报送期限 {round.dueDate}）
          </p>
          {parts.length > 1 && (
            <label className="evidence-dept">
              报送单位
              <select className="input" value={dept ?? ''} onChange={(e) => setDept(Number(e.target.value))} data-testid="measure-evidence-dept">
                {parts.map((p) => (
                  <option key={p.deptId} value={p.deptId}>
                    {p.name}（{p.role}）
                  </option>
                ))}
              </select>
            </label>
          )}
          {parts.length === 1 && <p>报送单位：{parts[0].name}（{parts[0].role}）</p>}
          {dept !== null && <EvidencePanel roundId={round.id} deptId={dept} closed={false} items={items} measureIds={[measureId]} target={target} setTarget={setTarget} onChanged={load} />}
        </>
      )}
    </Modal>
  );
}
