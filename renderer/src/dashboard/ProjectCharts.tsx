// The dashboard's project and indicator charts: this year's investment against plan by category and
// by city, total against completed by city, and the indicators by status; each opens its page filtered.
import type { City } from '../../../shared/domain';
import type { ProjectCategory } from '../../../shared/projects';
import { HBarChart } from '../charts/HBarChart';
import type { Datum } from '../charts/common';
import { money, pct } from './format';
import type { OpenIndicators, OpenProjects } from './model';
import type { DashboardData } from './useDashboardData';

export function ProjectCharts({ d, onOpenProjects, onOpenIndicators }: { d: DashboardData; onOpenProjects: OpenProjects; onOpenIndicators: OpenIndicators }) {
  const { year, projAll, projByCategory, projByCity, indicators, indCounts } = d;
  return (
    <>
    <section className="dash-card">
      <h3>
        重点项目 {year} 年投资完成（按类别，亿元）
        <span className="muted small">
          　计划 {money(projAll.planned)}，完成 {money(projAll.completed)}（{pct(projAll.completed, projAll.planned)}）
        </span>
      </h3>
      <HBarChart
        ariaLabel="重点项目年度投资按类别"
        testId="dash-invest-category"
        mode="overlay"
        labelWidth={110}
        unit="亿元"
        data={projByCategory.map(({ c, list, inv }) => ({
          key: c,
          label: `${c}（${list.length}）`,
          title: `${c}：${list.length} 个项目\n${year}年计划 ${money(inv.planned)} 亿元，完成 ${money(inv.completed)} 亿元\n总投资 ${money(inv.total)} 亿元，累计完成 ${money(inv.completedTotal)} 亿元`,
          values: [inv.planned, inv.completed],
          attrs: { 'data-testid': 'dash-invest-bar', 'data-category': c },
        }))}
        series={[
          { name: `${year}年计划`, color: '#c9d9ee' },
          { name: `${year}年完成`, color: '#1d5aa6' },
        ]}
        onSelect={(c) => onOpenProjects({ category: c as ProjectCategory, label: `类别：${c}` })}
      />
    </section>

    <section className="dash-card">
      <h3>
        重点项目投资（按城市，亿元）
        <span className="muted small">
          　总投资 {money(projAll.total)}，累计完成 {money(projAll.completedTotal)}（{pct(projAll.completedTotal, projAll.total)}）
        </span>
      </h3>
      <HBarChart
        ariaLabel="重点项目年度投资按城市"
        testId="dash-invest-city"
        mode="overlay"
        labelWidth={80}
        unit="亿元"
        data={projByCity.map(({ c, list, inv }) => ({
          key: c,
          label: c,
          title: `${c}：${list.length} 个项目（跨市项目各市分别计入）\n${year}年计划 ${money(inv.planned)} 亿元，完成 ${money(inv.completed)} 亿元`,
          values: [inv.planned, inv.completed],
          attrs: { 'data-testid': 'dash-invest-city-bar', 'data-city': c },
        }))}
        series={[
          { name: `${year}年计划`, color: '#c9d9ee' },
          { name: `${year}年完成`, color: '#1d5aa6' },
        ]}
        onSelect={(c) => onOpenProjects({ city: c as City, label: `城市：${c}` })}
      />
      <h3 className="dash-sub">
        总投资与累计完成 <span className="muted small">（跨市项目各市分别计入）</span>
      </h3>
      <HBarChart
        ariaLabel="重点项目累计投资按城市"
        testId="dash-invest-city-total"
        mode="overlay"
        labelWidth={80}
        unit="亿元"
        data={projByCity.map(({ c, inv }) => ({
          key: c,
          label: c,
          values: [inv.total, inv.completedTotal],
          attrs: { 'data-testid': 'dash-invest-city-total-bar', 'data-city': c },
        }))}
        series={[
          { name: '总投资', color: '#e3e7ec' },
          { name: '累计完成', color: '#3aa066' },
        ]}
        onSelect={(c) => onOpenProjects({ city: c as City, label: `城市：${c}` })}
      />
    </section>

    <section className="dash-card">
      <h3>
        目标指标状态 <span className="muted small">（共 {indicators.length} 项）</span>
      </h3>
      <div className="ind-counts">
        {indCounts.map(({ s, n }) => (
          <button
            key={s}
            className="ind-count"
            data-testid={`dash-ind-${s}`}
            data-count={n}
            onClick={() => onOpenIndicators({ status: s, label: `状态：${s}` })}
            title={`查看状态为“${s}”的指标`}
          >
            <span className={`ind-count-num ind-num-${s}`}>
              {n}
            </span>
            <span className={`ind-pill ind-st-${s}`}>{s}</span>
          </button>
        ))}
      </div>
      <HBarChart
        ariaLabel="目标指标状态"
        testId="dash-ind-chart"
        labelWidth={70}
        data={indCounts.map(({ s, n }): Datum => ({ key: s, label: s, values: [n] }))}
        series={[{ name: '指标数', color: '#1d5aa6' }]}
        onSelect={(s) => onOpenIndicators({ status: s, label: `状态：${s}` })}
      />
    </section>
    </>
  );
}
