// The dashboard's 调度轮次 card (issue 18, item 8): the latest closed round — title, period, 报送率,
// 按时率, 采纳率 — and what changed since the closed round before it (measures newly 已完成 and newly
// 滞后, each opening the grid on them; movement per chapter). With no closed round it says so and
// shows no figures.
import type { RoundLatest } from '../../../shared/rounds';
import type { OpenAlloc } from './model';
import './round-card.css';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function RoundCard({ latest, onOpenAlloc }: { latest: RoundLatest | null | undefined; onOpenAlloc: OpenAlloc }) {
  if (latest === undefined) return null;
  if (latest === null)
    return (
      <section className="dash-card dash-round" aria-labelledby="dash-round-title" data-testid="dash-round">
        <h3 id="dash-round-title">调度轮次</h3>
        <p className="muted" data-testid="dash-round-none">
          还没有已结束的调度轮次。在“调度轮次”中结束一轮后，这里显示它的报送率、按时率、采纳率和与上一轮相比的变化。
        </p>
      </section>
    );
  const { round, rates, previous, change } = latest;
  const rateItems: [string, string, string, string][] = [
    ['报送率', pct(rates.reportRate), `${rates.reported} / ${rates.departments} 个单位报送`, 'dash-round-report'],
    ['按时率', pct(rates.onTimeRate), `${rates.onTime} / ${rates.departments} 个单位按时`, 'dash-round-ontime'],
    ['采纳率', pct(rates.acceptRate), `${rates.accepted} / ${rates.reported} 个报送单位采纳`, 'dash-round-accept'],
  ];
  const chapters = change?.byChapter.filter((c) => c.moved > 0 || c.progressChanged > 0) ?? [];
  return (
    <section className="dash-card dash-round" aria-labelledby="dash-round-title" data-testid="dash-round" data-round={round.id}>
      <h3 id="dash-round-title">
        调度轮次 · 最近结束：<span data-testid="dash-round-title">{round.title}</span>
      </h3>
      <p className="muted small">
        统计截止 {round.periodEnd}，报送期限 {round.dueDate}
        {round.closedAt ? `，${round.closedAt.slice(0, 10)} 结束` : ''}；{round.departments} 个单位、{round.measures} 项措施
      </p>
      <div className="dash-round-body">
        <dl className="dash-round-rates">
          {rateItems.map(([k, v, hint, id]) => (
            <div key={k} title={hint}>
              <dt>{k}</dt>
              <dd data-testid={id}>{v}</dd>
              <dd className="muted small">{hint}</dd>
            </div>
          ))}
        </dl>
        <div className="dash-round-change" data-testid="dash-round-change">
          {!previous || !change ? (
            <p className="muted" data-testid="dash-round-first">
              这是第一个已结束的轮次，尚无上一轮可比较。
            </p>
          ) : (
            <>
              <p>
                与上一轮（{previous.title}，截至 {previous.periodEnd}）相比：<b data-testid="dash-round-moved">{change.moved}</b> 项措施状态有变化，
                <b>{change.progressChanged}</b> 项进展有更新。
              </p>
              <div className="dash-round-moves">
                <button
                  type="button"
                  className="btn"
                  disabled={!change.newlyDone.length}
                  data-testid="dash-round-done"
                  data-count={change.newlyDone.length}
                  onClick={() => onOpenAlloc({ ids: change.newlyDone, label: `${round.title}：新完成（${change.newlyDone.length} 条）` })}
                >
                  新完成 <b>{change.newlyDone.length}</b> 项
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={!change.newlyLagging.length}
                  data-testid="dash-round-lagging"
                  data-count={change.newlyLagging.length}
                  onClick={() => onOpenAlloc({ ids: change.newlyLagging, label: `${round.title}：新转为滞后（${change.newlyLagging.length} 条）` })}
                >
                  新转为滞后 <b>{change.newlyLagging.length}</b> 项
                </button>
              </div>
              {chapters.length > 0 && (
                <table className="dash-round-table" data-testid="dash-round-chapters">
                  <caption className="visually-hidden">与上一轮相比各章措施的变化</caption>
                  <thead>
                    <tr>
                      <th scope="col">章</th>
                      <th scope="col">状态变化</th>
                      <th scope="col">新完成</th>
                      <th scope="col">新滞后</th>
                      <th scope="col">进展更新</th>
                      <th scope="col">已完成（上轮→本轮）</th>
                    </tr>
                  </thead>
                  <tbody>
                    {chapters.map((c) => (
                      <tr key={c.key} data-testid="dash-round-chapter" data-label={c.label}>
                        <th scope="row">{c.label}</th>
                        <td>{c.moved}</td>
                        <td>{c.newlyDone}</td>
                        <td>{c.newlyLagging}</td>
                        <td>{c.progressChanged}</td>
                        <td>
                          {c.before['已完成']} → {c.after['已完成']}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
