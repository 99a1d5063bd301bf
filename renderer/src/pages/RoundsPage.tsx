// 调度轮次 (issue 18): the rounds (新建调度轮次), and for the chosen one its 报送情况 — counts and
// rates, every department with its state and light — and the steps: 下发 (progress, 取消), 收取,
// 采纳 / 退回, 催办, 结束轮次, 导出通报 and 考核表; below, 对比上期 (rounds/ComparePanel).
import { useState } from 'react';
import type { RoundDeptStatus, RoundRates } from '../../../shared/rounds';
import { BusyBar } from '../components/Busy';
import { NewRoundDialog } from '../rounds/NewRoundDialog';
import { CollectDialog } from '../rounds/CollectDialog';
import { DeptTable } from '../rounds/DeptTable';
import { ComparePanel } from '../rounds/ComparePanel';
import { DeptReports, ReturnDialog } from '../rounds/ReviewDialogs';
import { useRoundActions, useRoundList, useRoundStatus } from '../rounds/useRounds';
import '../rounds/rounds.css';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function Rates({ r }: { r: RoundRates }) {
  const items: [string, string, string][] = [
    ['单位', String(r.departments), 'rate-depts'],
    ['已报送', String(r.reported), 'rate-reported'],
    ['报送率', pct(r.reportRate), 'rate-report'],
    ['按时率', pct(r.onTimeRate), 'rate-ontime'],
    ['采纳率', pct(r.acceptRate), 'rate-accept'],
  ];
  return (
    <dl className="round-rates">
      {items.map(([k, v, id]) => (
        <div key={k} className="round-rate">
          <dt>{k}</dt>
          <dd data-testid={id}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Tracking({ roundId, onChanged }: { roundId: number; onChanged: () => void }) {
  const { status, reload } = useRoundStatus(roundId);
  const a = useRoundActions(roundId, () => {
    void reload();
    onChanged();
  });
  const [collecting, setCollecting] = useState(false);
  const [returning, setReturning] = useState<RoundDeptStatus | null>(null);
  const [opened, setOpened] = useState<RoundDeptStatus | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  if (!status) return <p role="status">正在读取报送情况…</p>;
  const { round } = status;
  const closed = round.state === '已结束';
  const pending = status.departments.filter((d) => d.state === '未报送' || d.state === '已退回');
  return (
    <section className="card card-wide round-tracking" aria-label="报送情况" data-testid="round-tracking">
      <div className="round-head">
        <h3>
          {round.title} · 报送情况 <span className={`tag ${closed ? '' : 'tag-live'}`}>{round.state}</span>
        </h3>
        <p className="muted">
          统计截止 {round.periodEnd}，报送期限 {round.dueDate}，{round.departments} 个单位、{round.measures} 项措施{round.note ? `；${round.note}` : ''}
        </p>
        <Rates r={status.rates} />
      </div>
      <div className="toolbar" role="toolbar" aria-label="轮次操作">
        {!closed && (
          <>
            <button type="button" className="btn primary" disabled={!!a.busy} onClick={() => void a.distribute()} data-testid="round-distribute">
              下发
            </button>
            <button type="button" className="btn" disabled={!!a.busy} onClick={() => setCollecting(true)} data-testid="round-collect">
              收取
            </button>
            <button type="button" className="btn" disabled={!!a.busy || !pending.length} onClick={() => void a.remind(undefined, true)} data-testid="round-remind-all">
              催办未报送（合并一份）
            </button>
            <button type="button" className="btn" disabled={!!a.busy || !pending.length} onClick={() => void a.remind(undefined, false)}>
              催办未报送（每单位一份）
            </button>
            <button type="button" className="btn" disabled={!!a.busy} onClick={() => setConfirmClose(true)} data-testid="round-close">
              结束轮次
            </button>
          </>
        )}
        <button type="button" className="btn" disabled={!!a.busy} onClick={() => void a.exportDoc('round-briefing.docx', `${round.title} 调度通报`)} data-testid="round-export-briefing">
          导出通报
        </button>
        <button type="button" className="btn" disabled={!!a.busy} onClick={() => void a.exportDoc('round-scores.xlsx', `${round.title} 考核表`)} data-testid="round-export-scores">
          考核表
        </button>
      </div>
      {a.busy && (
        <div className="round-busy" data-testid="round-busy">
          <BusyBar label={a.progress ? `正在${a.busy}：${a.progress.done} / ${a.progress.total} ${a.progress.label}` : `正在${a.busy}…`} />
          {a.busy === '下发' && (
            <button type="button" className="btn" onClick={() => void a.cancel()} data-testid="round-cancel">
              取消
            </button>
          )}
        </div>
      )}
      {confirmClose && (
        <div className="confirm-bar" role="alert">
          结束后本轮已采纳的报送冻结为快照，不能再收取或审核。确定结束？
          <button type="button" className="btn primary" onClick={() => (setConfirmClose(false), void a.close())} data-testid="round-close-confirm">
            结束轮次
          </button>
          <button type="button" className="btn" onClick={() => setConfirmClose(false)}>
            取消
          </button>
        </div>
      )}
      <DeptTable
        departments={status.departments}
        closed={closed}
        disabled={!!a.busy}
        actions={{
          open: setOpened,
          accept: (d) => void a.review(d.deptId, 'accept'),
          ret: setReturning,
          remind: (d) => void a.remind([d.deptId], false),
        }}
      />
      {collecting && <CollectDialog roundId={roundId} departments={status.departments} onClose={() => setCollecting(false)} onCollected={() => void reload()} />}
      {returning && (
        <ReturnDialog
          dept={returning}
          onClose={() => setReturning(null)}
          onReturn={(reason) => {
            const d = returning;
            setReturning(null);
            void a.review(d.deptId, 'return', reason).then((r) => r && a.exportDoc('return-notice.docx', `${round.title} 退回通知（${d.name}）`, d.deptId));
          }}
        />
      )}
      {opened && (
        <DeptReports
          roundId={roundId}
          dept={opened}
          closed={closed}
          onClose={() => setOpened(null)}
          onReviewed={(action) => {
            void reload();
            if (action === 'return') void a.exportDoc('return-notice.docx', `${round.title} 退回通知（${opened.name}）`, opened.deptId);
          }}
        />
      )}
    </section>
  );
}

export function RoundsPage({ active, onChanged }: { active: boolean; onChanged: () => void }) {
  const { rounds, reload } = useRoundList(active);
  const [chosen, setChosen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const current = chosen ?? rounds?.[0]?.id ?? null;
  return (
    <div className="rounds-page">
      <div className="page-head">
        <h2>调度轮次</h2>
        <button type="button" className="btn primary" onClick={() => setCreating(true)} data-testid="round-new">
          新建调度轮次
        </button>
      </div>
      {rounds && !rounds.length && <p className="muted">还没有调度轮次。新建一轮后即可下发台账、收取报送、审核和通报。</p>}
      {rounds && rounds.length > 0 && (
        <label className="round-pick">
          轮次
          <select className="input" value={current ?? ''} onChange={(e) => setChosen(Number(e.target.value))} data-testid="round-select">
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}（{r.state}，期限 {r.dueDate}）
              </option>
            ))}
          </select>
        </label>
      )}
      {current !== null && (
        <Tracking
          key={current}
          roundId={current}
          onChanged={() => {
            void reload();
            onChanged();
          }}
        />
      )}
      {rounds && rounds.length > 0 && <ComparePanel key={`compare-${current ?? 0}`} rounds={rounds} chosenId={current} />}
      {creating && (
        <NewRoundDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setChosen(id);
            void reload();
          }}
        />
      )}
    </div>
  );
}
