// The dashboard's top row: the supervision lights (each opens the grid on its measures), 已完成,
// and the two key figures: this year's project investment and the indicators' status.
import { INDICATOR_STATUS_COLORS, LIGHT_LABEL, LIGHT_NAME, type Light, type OpenIndicators, type OpenProjects } from './model';
import type { DashboardData } from './useDashboardData';
import { money, pct } from './format';

export function LightsRow({ d, openLight, onOpenProjects, onOpenIndicators }: { d: DashboardData; openLight: (l: Exclude<Light, 'done'>) => void; onOpenProjects: OpenProjects; onOpenIndicators: OpenIndicators }) {
  const { lights, year, projAll, indicators, indCounts } = d;
  return (
  <section className="dash-lights" aria-label="督办红黄绿灯">
    {(['red', 'yellow', 'unconfirmed', 'unscheduled', 'green'] as const).map((l) => (
      <button
        key={l}
        className={`light-card light-${l}`}
        data-testid={`dash-light-${l}`}
        data-count={lights[l].length}
        onClick={() => openLight(l)}
        title={`在任务分工表中查看这 ${lights[l].length} 条措施`}
      >
        <span className={`light-dot dot-${l}`} aria-hidden="true" />
        <span className="light-num">{lights[l].length}</span>
        <span className="light-text">
          {LIGHT_NAME[l]}
          <small>{LIGHT_LABEL[l]}</small>
        </span>
      </button>
    ))}
    <div className="light-card light-done" data-testid="dash-light-done" data-count={lights.done.length}>
      <span className="light-dot dot-done" aria-hidden="true" />
      <span className="light-num">{lights.done.length}</span>
      <span className="light-text">
        已完成<small>不计入督办</small>
      </span>
    </div>
    <button
      className="kpi-card"
      data-testid="dash-kpi-invest"
      title={`${year}年：计划 ${money(projAll.planned)} 亿元，完成 ${money(projAll.completed)} 亿元；总投资 ${money(projAll.total)} 亿元，累计完成 ${money(projAll.completedTotal)} 亿元`}
      onClick={() => onOpenProjects({ label: '全部重点项目' })}
    >
      <span className="kpi-title">重点项目 {year} 年投资</span>
      <span className="kpi-value">
        <b>{money(projAll.completed)}</b> / {money(projAll.planned)} 亿元
      </span>
      <span className="kpi-bar" aria-hidden="true">
        <span style={{ width: `${projAll.planned > 0 ? Math.min(100, (projAll.completed / projAll.planned) * 100) : 0}%` }} />
      </span>
      <small>完成 {pct(projAll.completed, projAll.planned)}（{projAll.count} 个项目）</small>
    </button>
    <button className="kpi-card" data-testid="dash-kpi-indicators" onClick={() => onOpenIndicators({ label: '全部指标' })} title="查看目标指标">
      <span className="kpi-title">目标指标（{indicators.length} 项）</span>
      <span className="kpi-value kpi-inds">
        {(['达标', '接近', '滞后'] as const).map((st) => (
          <span key={st}>
            <b style={{ color: INDICATOR_STATUS_COLORS[st] }}>{indCounts.find((x) => x.s === st)?.n ?? 0}</b> {st}
          </span>
        ))}
      </span>
      <small>其余 {indCounts.filter((x) => !['达标', '接近', '滞后'].includes(x.s)).reduce((a, x) => a + x.n, 0)} 项无数据、无目标或定性</small>
    </button>
  </section>
  );
}
