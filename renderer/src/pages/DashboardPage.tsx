// 统计看板: what leaders look at first. Measures by status, lead department, chapter and city; the
// supervision traffic lights with overdue and due-soon lists; project investment against plan by
// category and city; indicator status; the latest closed 调度轮次 and its change since the one before
// (dashboard/RoundCard). Every bar, number and light opens the grid behind it.
// The numbers come from dashboard/useDashboardData; the lights and charts are in dashboard/.
import type { Department } from '../../../shared/domain';
import '../components/projects-dashboard.css';
import { LightsRow } from '../dashboard/LightsRow';
import { MeasureCharts } from '../dashboard/MeasureCharts';
import { ProjectCharts } from '../dashboard/ProjectCharts';
import { RoundCard } from '../dashboard/RoundCard';
import { LIGHT_LABEL, LIGHT_NAME, type Light, type OpenAlloc, type OpenIndicators, type OpenProjects } from '../dashboard/model';
import { useDashboardData } from '../dashboard/useDashboardData';

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
  onOpenAlloc: OpenAlloc;
  onOpenProjects: OpenProjects;
  onOpenIndicators: OpenIndicators;
}

export function DashboardPage({ active, departments, dataVersion, onOpenAlloc, onOpenProjects, onOpenIndicators }: Props) {
  const d = useDashboardData(active, dataVersion, departments);
  const { measures, lights, today, actionable, live, indicators, loadedAt } = d;

  if (!measures) return <div className="dash-page"><div className="empty-state">正在统计…</div></div>;

  const openLight = (l: Exclude<Light, 'done'>) =>
    onOpenAlloc({ ids: lights[l].map((r) => r.id), label: `${LIGHT_NAME[l]} ${LIGHT_LABEL[l]}（${lights[l].length} 条）` });

  return (
    <div className="dash-page" data-testid="dashboard">
      <div className="page-head">
        <h2>统计看板</h2>
        <span className="muted">
          截至 {today}　·　实施措施 {actionable.length} 条　·　重点项目 {live.length} 个　·　目标指标 {indicators.length} 项
        </span>
        <span className="spacer" />
        <span className="muted small">更新于 {loadedAt}</span>
        <button className="btn" data-testid="dash-refresh" onClick={() => void d.load()}>
          刷新
        </button>
      </div>

      <LightsRow d={d} openLight={openLight} onOpenProjects={onOpenProjects} onOpenIndicators={onOpenIndicators} />

      <RoundCard latest={d.latestRound} onOpenAlloc={onOpenAlloc} />

      <div className="dash-grid">
        <MeasureCharts d={d} onOpenAlloc={onOpenAlloc} />
        <ProjectCharts d={d} onOpenProjects={onOpenProjects} onOpenIndicators={onOpenIndicators} />
      </div>
    </div>
  );
}
