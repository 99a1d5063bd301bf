// 退回 asks for its reason (required: it goes into the return notice); 明细 lists what a department
// reported in the round, measure by measure (each 待审核 report accepted or returned on its own), with a count of 佐证材料 per measure and the panel to
// attach, open and take them off (EvidencePanel).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoundDeptStatus, RoundEvidence, RoundReportRow } from '../../../shared/rounds';
import { call } from '../api';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { EvidencePanel } from './EvidencePanel';

export function ReturnDialog({ dept, onClose, onReturn }: { dept: RoundDeptStatus; onClose: () => void; onReturn: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <Modal
      title={`退回 ${dept.name} 的报送`}
      onClose={onClose}
      testId="round-return-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button type="button" className="btn primary" disabled={!reason.trim()} onClick={() => onReturn(reason.trim())} data-testid="return-confirm">
            退回
          </button>
        </>
      }
    >
      <label>
        退回理由（必填，写入退回通知）
        <textarea className="input" value={reason} rows={3} maxLength={2000} onChange={(e) => setReason(e.target.value)} autoFocus data-testid="return-reason" />
      </label>
    </Modal>
  );
}

const evidenceLabel = (n: number) => (n ? `${n} 份` : '添加');

export function DeptReports({
  roundId,
  dept,
  closed,
  onClose,
  onReviewed,
}: {
  roundId: number;
  dept: RoundDeptStatus;
  closed: boolean;
  onClose: () => void;
  /** a measure's report was accepted or returned here (the page reloads; a return's notice is exported) */
  onReviewed?: (action: 'accept' | 'return') => void;
}) {
  const toast = useToast();
  const [rows, setRows] = useState<RoundReportRow[] | null>(null);
  /** the measure whose 退回 reason is being written */
  const [returningId, setReturningId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [evidence, setEvidence] = useState<RoundEvidence[]>([]);
  const [target, setTarget] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  const loadRows = useCallback(() => {
    call('rounds.reports', { roundId, deptId: dept.deptId }).then(setRows, (e: unknown) => toast.error(e));
  }, [roundId, dept.deptId, toast]);
  useEffect(loadRows, [loadRows]);
  // 采纳 / 退回 of one measure's report (the department's others stay as they are)
  const reviewOne = async (measureId: string, action: 'accept' | 'return', why?: string) => {
    setReviewing(true);
    try {
      await call('rounds.review', { roundId, deptId: dept.deptId, action, measureIds: [measureId], ...(why ? { reason: why } : {}) });
      toast.show(`措施 ${measureId}：${action === 'accept' ? '已采纳' : '已退回'}`, 'success');
      setReturningId(null);
      setReason('');
      loadRows();
      onReviewed?.(action);
    } catch (e) {
      toast.error(e);
    } finally {
      setReviewing(false);
    }
  };
  const loadEvidence = useCallback(() => {
    call('rounds.evidence', { roundId, deptId: dept.deptId }).then(setEvidence, (e: unknown) => toast.error(e));
  }, [roundId, dept.deptId, toast]);
  useEffect(loadEvidence, [loadEvidence]);
  const countOf = (m: string) => evidence.filter((e) => e.measureId === m).length;
  const toPanel = (m: string) => {
    setTarget(m);
    panel.current?.scrollIntoView({ block: 'nearest' });
    panel.current?.querySelector<HTMLElement>('[data-testid=evidence-add], [data-testid=evidence-open]')?.focus();
  };
  return (
    <Modal title={`${dept.name} · 报送明细`} onClose={onClose} width={960} testId="round-dept-reports" footer={<button type="button" className="btn" onClick={onClose}>关闭</button>}>
      {!rows ? (
        <p role="status">正在读取…</p>
      ) : !rows.length ? (
        <p>尚未报送（本轮共 {dept.measures} 项措施）。</p>
      ) : (
        <div className="scroll-box">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">编号</th>
                <th scope="col">措施</th>
                <th scope="col">角色</th>
                <th scope="col">状态</th>
                <th scope="col">进展</th>
                <th scope="col">审核</th>
                <th scope="col">佐证</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="dept-report" data-measure-id={r.measureId}>
                  <td>{r.measureId}</td>
                  <td className="text-cell">{r.measureText}</td>
                  <td>{r.role}</td>
                  <td>{r.status}</td>
                  <td className="text-cell">{r.progress}</td>
                  <td>
                    {r.state}
                    {!closed && r.state === '待审核' && (
                      <span className="review-one">
                        <button type="button" className="btn small-btn" disabled={reviewing} onClick={() => void reviewOne(r.measureId, 'accept')} aria-label={`采纳（措施 ${r.measureId}）`} data-testid="report-accept">
                          采纳
                        </button>
                        <button type="button" className="btn small-btn" disabled={reviewing} onClick={() => {
                            setReturningId(r.measureId);
                            setReason('');
                          }} aria-label={`退回（措施 ${r.measureId}）`} data-testid="report-return">
                          退回
                        </button>
                      </span>
                    )}
                    {returningId === r.measureId && (
                      <span className="review-one">
                        <input
                          className="input"
                          value={reason}
                          maxLength={2000}
                          onChange={(e) => setReason(e.target.value)}
                          onKeyDown={(e) => {
                            if (e.key === 'Enter' && reason.trim()) void reviewOne(r.measureId, 'return', reason.trim());
                            if (e.key === 'Escape') {
                              e.stopPropagation();
                              setReturningId(null);
                            }
                          }}
                          aria-label={`退回理由（措施 ${r.measureId}，必填，写入退回通知）`}
                          placeholder="退回理由（必填）"
                          autoFocus
                          data-testid="report-return-reason"
                        />
                        <button type="button" className="btn small-btn primary" disabled={reviewing || !reason.trim()} onClick={() => void reviewOne(r.measureId, 'return', reason.trim())} data-testid="report-return-confirm">
                          确定退回
                        </button>
                      </span>
                    )}
                  </td>
                  <td>
                    {closed && countOf(r.measureId) === 0 ? (
                      '—'
                    ) : (
                      // the label begins with what the button shows (a spoken command matches it)
                      <button type="button" className="link" onClick={() => toPanel(r.measureId)} aria-label={`${evidenceLabel(countOf(r.measureId))}（措施 ${r.measureId} 的佐证材料）`} data-testid="report-evidence">
                        {evidenceLabel(countOf(r.measureId))}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div ref={panel}>
        <EvidencePanel
          roundId={roundId}
          deptId={dept.deptId}
          closed={closed}
          items={evidence}
          measureIds={(rows ?? []).map((r) => r.measureId)}
          target={target}
          setTarget={setTarget}
          onChanged={loadEvidence}
        />
      </div>
    </Modal>
  );
}
