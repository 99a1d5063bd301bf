// 统计看板: what leaders look at first. Measures by status, lead department, chapter and city; the
// supervision traffic lights with overdue and due-soon lists; project investment against plan by
// category and city; indicator status. Every bar, number and light opens the grid behind it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { CITIES, STATUSES, chapterLabel, type City, type Department, type MeasureRow, type Status } from '../../../shared/domain';
import { INDICATOR_STATUSES, PROJECT_CATEGORIES, type IndicatorRow, type Project, type ProjectCategory } from '../../../shared/projects';
import { call } from '../api';
import type { MeasureFacts } from '../../../shared/ipc/contract';
import '../components/projects-dashboard.css';
import { useToast } from '../components/Toast';
import { BarChart } from '../charts/BarChart';
import { HBarChart } from '../charts/HBarChart';
import { fmt, type Datum } from '../charts/common';
import type { AllocFilter, IndicatorFilter, ProjectFilter } from '../components/externalFilter';

export const STATUS_COLORS: Record<Status, string> = {
  未启动: '#a7b1bc',
  推进中: '#3b7dd8',
  已完成: '#3aa066',
  滞后: '#d2453a',
};
export const INDICATOR_STATUS_COLORS: Record<string, string> = {
  达标: '#3aa066',
  接近: '#e0a800',
  滞后: '#d2453a',
  无数据: '#a7b1bc',
  无目标: '#c3cad2',
  定性: '#8d99a6',
};

export type Light = 'red' | 'yellow' | 'unconfirmed' | 'unscheduled' | 'green' | 'done';

/** Today as YYYY-MM-DD in local time. */
export function todayIso(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return todayIso(new Date(y, m - 1, d + n));
}
function daysBetween(a: string, b: string): number {
  const [y1, m1, d1] = a.split('-').map(Number);
  const [y2, m2, d2] = b.split('-').map(Number);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86400000);
}

/**
 * Supervision light of a measure: 已完成 → done (not shown); 滞后 or past its deadline → red;
 * deadline within the next 30 days → yellow; then a measure nobody has yet given a lead (no lead,
 * or only the system's suggestion) → unconfirmed (待确认), one without a deadline → unscheduled
 * (未排期): neither is on track, however quiet it looks; otherwise green (正常推进).
 */
export function lightOf(m: Pick<MeasureRow, 'status' | 'deadline' | 'leadId' | 'leadConfirmed'>, today: string): Light {
  if (m.status === '已完成') return 'done';
  if (m.status === '滞后') return 'red';
  if (m.deadline && m.deadline < today) return 'red';
  if (m.deadline && m.deadline <= addDays(today, 30)) return 'yellow';
  if (m.leadId == null || !m.leadConfirmed) return 'unconfirmed';
  if (!m.deadline) return 'unscheduled';
  return 'green';
}

/** what the dashboard needs of a measure (measures.facts: no texts) */
export interface DashMeasure {
  id: string;
  status: Status;
  deadline: string | null;
  leadId: number | null;
  leadConfirmed: boolean;
  chapterNo: number;
  cities: City[];
}

function factsToMeasures(f: MeasureFacts): DashMeasure[] {
  const out: DashMeasure[] = new Array(f.ids.length);
  for (let i = 0; i < f.ids.length; i++) {
    const mask = f.cities[i];
    out[i] = { id: f.ids[i], status: f.status[i], deadline: f.deadline[i], leadId: f.leadId[i], leadConfirmed: f.leadConfirmed[i] === 1, chapterNo: f.chapterNo[i], cities: CITIES.filter((_, b) => mask & (1 << b)) };
  }
  return out;
}

type OpenAlloc = (f: Omit<AllocFilter, 'nonce'>) => void;
type OpenProjects = (f: Omit<ProjectFilter, 'nonce'>) => void;
type OpenIndicators = (f: Omit<IndicatorFilter, 'nonce'>) => void;

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
  onOpenAlloc: OpenAlloc;
  onOpenProjects: OpenProjects;
  onOpenIndicators: OpenIndicators;
}

const LIGHT_LABEL: Record<Exclude<Light, 'done'>, string> = {
  red: '逾期或滞后',
  yellow: '30天内到期',
  unconfirmed: '牵头单位未确认',
  unscheduled: '未定完成时限',
  green: '正常推进',
};
const LIGHT_NAME: Record<Exclude<Light, 'done'>, string> = { red: '红灯', yellow: '黄灯', unconfirmed: '待确认', unscheduled: '未排期', green: '绿灯' };

export function DashboardPage({ active, departments, dataVersion, onOpenAlloc, onOpenProjects, onOpenIndicators }: Props) {
  const toast = useToast();
  // counts only: measures.facts gives the few fields counted, not every full row
  const [measures, setMeasures] = useState<DashMeasure[] | null>(null);
  const [chapterTitles, setChapterTitles] = useState<Map<number, string>>(new Map());
  const [texts, setTexts] = useState<Map<string, string>>(new Map());
  const [projects, setProjects] = useState<Project[]>([]);
  const [indicators, setIndicators] = useState<IndicatorRow[]>([]);
  const [today, setToday] = useState(todayIso());
  const [loadedAt, setLoadedAt] = useState('');

  const load = useCallback(async () => {
    try {
      const [f, p, i] = await Promise.all([call('measures.facts', {}), call('projects.list', {}), call('indicators.list', {})]);
      setMeasures(factsToMeasures(f));
      setChapterTitles(new Map(f.chapters.map((c) => [c.no, c.title])));
      setProjects(p);
      setIndicators(i);
      setToday(todayIso());
      setLoadedAt(new Date().toLocaleTimeString('zh-CN', { hour12: false }));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);

  useEffect(() => {
    if (active) void load();
  }, [active, dataVersion, load]);

  const deptName = useCallback((id: number) => departments.find((d) => d.id === id)?.name ?? `#${id}`, [departments]);
  const actionable = useMemo(() => measures ?? [], [measures]);

  const byStatus = useMemo(() => STATUSES.map((s) => ({ s, rows: actionable.filter((m) => m.status === s) })), [actionable]);

  const lights = useMemo(() => {
    const out: Record<Light, DashMeasure[]> = { red: [], yellow: [], unconfirmed: [], unscheduled: [], green: [], done: [] };
    for (const m of actionable) out[lightOf(m, today)].push(m);
    const byDeadline = (a: DashMeasure, b: DashMeasure) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.id.localeCompare(b.id);
    out.red.sort(byDeadline);
    out.yellow.sort(byDeadline);
    return out;
  }, [actionable, today]);

  const byLead = useMemo(() => {
    const m = new Map<number, DashMeasure[]>();
    for (const r of actionable) if (r.leadId != null) (m.get(r.leadId) ?? m.set(r.leadId, []).get(r.leadId)!).push(r);
    return [...m.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]).slice(0, 15);
  }, [actionable]);
  // a suggestion is not an assignment: 未指定 counts every measure without a confirmed lead
  const unassigned = useMemo(() => actionable.filter((m) => m.leadId == null || !m.leadConfirmed), [actionable]);
  const suggestedOnly = useMemo(() => actionable.filter((m) => m.leadId != null && !m.leadConfirmed), [actionable]);

  const byChapter = useMemo(() => {
    const m = new Map<number, { title: string; rows: DashMeasure[] }>();
    for (const r of actionable) {
      const e = m.get(r.chapterNo) ?? m.set(r.chapterNo, { title: chapterTitles.get(r.chapterNo) ?? '', rows: [] }).get(r.chapterNo)!;
      e.rows.push(r);
    }
    return [...m.entries()].sort((a, b) => a[0] - b[0]);
  }, [actionable, chapterTitles]);

  // the texts of the measures the two due lists show (at most 50 each), read for those rows only
  useEffect(() => {
    const ids = [...lights.red.slice(0, 50), ...lights.yellow.slice(0, 50)].map((m) => m.id);
    if (!ids.length) return;
    let live = true;
    call('measures.get', { ids }).then(
      (rows) => live && setTexts(new Map(rows.map((r) => [r.id, r.text]))),
      (e: unknown) => live && toast.error(e),
    );
    return () => {
      live = false;
    };
  }, [lights, toast]);

  const byCity = useMemo(() => CITIES.map((c) => ({ c, rows: actionable.filter((m) => m.cities.includes(c)) })), [actionable]);

  const statusSplit = (rows: DashMeasure[]) => STATUSES.map((s) => rows.filter((r) => r.status === s).length);
  const statusSeries = STATUSES.map((s) => ({ name: s, color: STATUS_COLORS[s] }));
  const ids = (rows: DashMeasure[]) => rows.map((r) => r.id);

  // ---- projects
  const live = useMemo(() => projects.filter((p) => !p.deleted), [projects]);
  const year = live[0]?.year ?? new Date().getFullYear();
  const invest = (list: Project[]) => ({
    planned: list.reduce((a, p) => a + (p.yearPlanned ?? 0), 0),
    completed: list.reduce((a, p) => a + (p.yearCompleted ?? 0), 0),
    total: list.reduce((a, p) => a + (p.totalInvestment ?? 0), 0),
    completedTotal: list.reduce((a, p) => a + p.completedTotal, 0),
    count: list.length,
  });
  const projByCategory = useMemo(
    () =>
      PROJECT_CATEGORIES.map((c) => ({ c, list: live.filter((p) => p.category === c) }))
        .filter((x) => x.list.length)
        .map((x) => ({ ...x, inv: invest(x.list) })),
    [live],
  );
  const projByCity = useMemo(() => CITIES.map((c) => ({ c, list: live.filter((p) => p.cities.includes(c)) })).map((x) => ({ ...x, inv: invest(x.list) })), [live]);
  const projAll = useMemo(() => invest(live), [live]);

  const indCounts = useMemo(() => INDICATOR_STATUSES.map((s) => ({ s, n: indicators.filter((i) => i.status === s).length })), [indicators]);

  if (!measures) return <div className="dash-page"><div className="empty-state">正在统计…</div></div>;

  const openLight = (l: Exclude<Light, 'done'>) =>
    onOpenAlloc({ ids: ids(lights[l]), label: `${LIGHT_NAME[l]} ${LIGHT_LABEL[l]}（${lights[l].length} 条）` });

  const pct = (a: number, b: number) => (b > 0 ? `${Math.round((a / b) * 100)}%` : '—');
  const money = (v: number) => `${fmt(Math.round(v * 100) / 100)}`;

  return (
    <div className="dash-page" data-testid="dashboard">
      <div className="page-head">
        <h2>统计看板</h2>
        <span className="muted">
          截至 {today}　·　实施措施 {actionable.length} 条　·　重点项目 {live.length} 个　·　目标指标 {indicators.length} 项
        </span>
        <span className="spacer" />
        <span className="muted small">更新于 {loadedAt}</span>
        <button className="btn" data-testid="dash-refresh" onClick={() => void load()}>
          刷新
        </button>
      </div>

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

      <div className="dash-grid">
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
      </div>
    </div>
  );
}

function DueList({
  title,
  light,
  rows,
  today,
  testId,
  deptName,
  texts,
  onOpen,
}: {
  title: string;
  light: 'red' | 'yellow';
  rows: DashMeasure[];
  today: string;
  testId: string;
  deptName: (id: number) => string;
  texts: Map<string, string>;
  onOpen: (m: DashMeasure) => void;
}) {
  return (
    <div className="due-list">
      <div className="due-head">
        <span className={`light-dot small dot-${light}`} aria-hidden="true" />
        {title} <b>{rows.length}</b> 条
      </div>
      {rows.length === 0 ? (
        <div className="muted small due-empty">无</div>
      ) : (
        <ul>
          {rows.slice(0, 50).map((m) => {
            const d = m.deadline ? daysBetween(today, m.deadline) : null;
            const when = m.deadline
              ? d! < 0
                ? `逾期 ${-d!} 天`
                : d === 0
                  ? '今天到期'
                  : `剩 ${d} 天`
              : '未定时限';
            return (
              <li key={m.id}>
                <button className="due-row" data-testid={testId} data-id={m.id} onClick={() => onOpen(m)} title={texts.get(m.id) ?? ''}>
                  <span className={`light-dot small dot-${light}`} aria-hidden="true" />
                  <span className="due-id">{m.id}</span>
                  <span className="due-text">{texts.get(m.id) ?? ''}</span>
                  <span className="due-lead">{m.leadId != null ? `${deptName(m.leadId)}${m.leadConfirmed ? '' : '（建议）'}` : '未指定'}</span>
                  <span className={`due-when${m.status === '滞后' ? ' lag' : ''}`}>
                    {m.status === '滞后' ? '滞后 · ' : ''}
                    {when}
                  </span>
                </button>
              </li>
            );
          })}
          {rows.length > 50 && <li className="muted small">另有 {rows.length - 50} 条，点击上方红灯/黄灯查看全部</li>}
        </ul>
      )}
    </div>
  );
}
