// The dashboard's measure charts: by status, the due lists, by lead department (confirmed apart from
// suggestions), by chapter and by city. Every bar opens the grid on exactly the measures it counts.
import { STATUSES, chapterLabel, type City, type Status } from '../../../shared/domain';
import { BarChart } from '../charts/BarChart';
import { HBarChart } from '../charts/HBarChart';
import { DueList } from './DueList';
import { STATUS_COLORS, type DashMeasure, type OpenAlloc } from './model';
import type { DashboardData } from './useDashboardData';

const statusSplit = (rows: DashMeasure[]) => STATUSES.map((s) => rows.filter((r) => r.status === s).length);
const statusSeries = STATUSES.map((s) => ({ name: s, color: STATUS_COLORS[s] }));
const ids = (rows: DashMeasure[]) => rows.map((r) => r.id);

export function MeasureCharts({ d, onOpenAlloc }: { d: DashboardData; onOpenAlloc: OpenAlloc }) {
  const { actionable, byStatus, lights, today, deptName, texts, unassigned, suggestedOnly, byLead, byChapter, byCity } = d;
  return (
    <>
    <section className="dash-card">
      <h3>
        措施推进状态 <span className="muted small">（共 {actionable.length} 条）</span>
      </h3>
      <BarChart
        ariaLabel="措施按状态统计"
        testId="dash-status-chart"
        unit="条"
        legend={false}
        height={220}
        data={byStatus.map(({ s, rows }) => ({
          key: s,
          label: s,
          values: STATUSES.map((x) => (x === s ? rows.length : 0)),
          attrs: { 'data-testid': `dash-status-bar-${s}`, 'data-count': String(rows.length) },
        }))}
        series={statusSeries}
        onSelect={(s) => {
          const rows = byStatus.find((x) => x.s === s)?.rows ?? [];
          onOpenAlloc({ status: s as Status, ids: ids(rows), label: `状态：${s}（${rows.length} 条）` });
        }}
      />
    </section>

    <section className="dash-card">
      <h3>
        督办清单{' '}
        <span className="muted small">（红灯：状态为“滞后”或已过完成时限；黄灯：30 天内到期；已完成的不列入）</span>
      </h3>
      <div className="due-lists">
        <DueList
          title="逾期及滞后"
          light="red"
          rows={lights.red}
          today={today}
          testId="dash-overdue-row"
          deptName={deptName}
          texts={texts}
          onOpen={(m) => onOpenAlloc({ ids: [m.id], label: `措施 ${m.id}` })}
        />
        <DueList
          title="30天内到期"
          light="yellow"
          rows={lights.yellow}
          today={today}
          testId="dash-due-row"
          deptName={deptName}
          texts={texts}
          onOpen={(m) => onOpenAlloc({ ids: [m.id], label: `措施 ${m.id}` })}
        />
      </div>
    </section>

    <section className="dash-card tall">
      <h3>
        牵头单位任务量（前 15 位）{' '}
        <span className="muted small" data-testid="dash-unassigned">
          未指定牵头单位 {unassigned.length} 条（其中仅有系统建议 {suggestedOnly.length} 条）
        </span>{' '}
        <span className="muted small" data-testid="dash-joint-note">
          共同牵头的措施计入每个牵头单位
        </span>
      </h3>
      <HBarChart
        ariaLabel="措施按牵头单位统计"
        testId="dash-lead-chart"
        labelWidth={190}
        labelChars={13}
        data={byLead.map(([id, rows]) => ({
          key: String(id),
          label: deptName(id),
          // confirmed leads apart from the system's suggestions
          values: [rows.filter((r) => r.leadConfirmed).length, rows.filter((r) => !r.leadConfirmed).length],
          attrs: {
            'data-testid': 'dash-lead-bar',
            'data-lead-id': String(id),
            'data-count': String(rows.length),
            'data-confirmed': String(rows.filter((r) => r.leadConfirmed).length),
          },
        }))}
        series={[
          { name: '已确认', color: '#1d5aa6' },
          { name: '建议（未确认）', color: '#c9d9ee' },
        ]}
        onSelect={(key) => {
          const id = Number(key);
          const rows = byLead.find(([d]) => d === id)?.[1] ?? [];
          onOpenAlloc({ leadId: id, ids: ids(rows), label: `牵头单位：${deptName(id)}（${rows.length} 条）` });
        }}
      />
    </section>

    <section className="dash-card tall">
      <h3>各章措施</h3>
      <BarChart
        ariaLabel="措施按章统计"
        testId="dash-chapter-chart"
        unit="条"
        height={250}
        labelChars={4}
        data={byChapter.map(([no, e]) => ({
          key: String(no),
          label: chapterLabel(no),
          title: `${chapterLabel(no)} ${e.title}\n共 ${e.rows.length} 条`,
          values: statusSplit(e.rows),
          attrs: { 'data-testid': 'dash-chapter-bar', 'data-chapter': String(no), 'data-count': String(e.rows.length) },
        }))}
        series={statusSeries}
        onSelect={(key) => {
          const no = Number(key);
          const rows = byChapter.find(([n]) => n === no)?.[1].rows ?? [];
          onOpenAlloc({ chapter: no, ids: ids(rows), label: `${chapterLabel(no)}（${rows.length} 条）` });
        }}
      />
      <h3 className="dash-sub">各市措施 <span className="muted small">（一条措施可涉及多市）</span></h3>
      <HBarChart
        ariaLabel="措施按城市统计"
        testId="dash-city-chart"
        labelWidth={80}
        data={byCity.map(({ c, rows }) => ({
          key: c,
          label: c,
          values: statusSplit(rows),
          attrs: { 'data-testid': 'dash-city-bar', 'data-city': c, 'data-count': String(rows.length) },
        }))}
        series={statusSeries}
        onSelect={(c) => {
          const rows = byCity.find((x) => x.c === c)?.rows ?? [];
          onOpenAlloc({ city: c as City, ids: ids(rows), label: `责任城市：${c}（${rows.length} 条）` });
        }}
      />
    </section>
    </>
  );
}
