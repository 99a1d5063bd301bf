// The dashboard's numbers: measure facts, projects and indicators read when the page is shown, and
// everything counted from them (by status, light, lead, chapter, city; investment by category and
// city; indicator status), plus the texts of the measures the due lists show, and the latest closed
// 调度轮次 with its change since the one before (rounds.latest).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { CITIES, STATUSES, type Department } from '../../../shared/domain';
import { INDICATOR_STATUSES, PROJECT_CATEGORIES, type IndicatorRow, type Project } from '../../../shared/projects';
import type { RoundLatest } from '../../../shared/rounds';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { factsToMeasures, lightOf, todayIso, type DashMeasure, type Light } from './model';

/** a year's and the total investment of a list of projects */
export function invest(list: Project[]) {
  return {
    planned: list.reduce((a, p) => a + (p.yearPlanned ?? 0), 0),
    completed: list.reduce((a, p) => a + (p.yearCompleted ?? 0), 0),
    total: list.reduce((a, p) => a + (p.totalInvestment ?? 0), 0),
    completedTotal: list.reduce((a, p) => a + p.completedTotal, 0),
    count: list.length,
  };
}

export function useDashboardData(active: boolean, dataVersion: number, departments: Department[]) {
  const toast = useToast();
  // counts only: measures.facts gives the few fields counted, not every full row
  const [measures, setMeasures] = useState<DashMeasure[] | null>(null);
  const [chapterTitles, setChapterTitles] = useState<Map<number, string>>(new Map());
  const [texts, setTexts] = useState<Map<string, string>>(new Map());
  const [projects, setProjects] = useState<Project[]>([]);
  const [indicators, setIndicators] = useState<IndicatorRow[]>([]);
  // the latest closed 调度轮次 and the change since the one before (null: none closed; undefined: not read yet)
  const [latestRound, setLatestRound] = useState<RoundLatest | null | undefined>(undefined);
  const [today, setToday] = useState(todayIso());
  const [loadedAt, setLoadedAt] = useState('');

  const load = useCallback(async () => {
    try {
      // rounds.latest compares two snapshots: read by the read worker on a large ledger, as the facts are
      const [f, p, i, r] = await Promise.all([call('measures.facts', {}), call('projects.list', {}), call('indicators.list', {}), call('rounds.latest', {})]);
      setMeasures(factsToMeasures(f));
      setChapterTitles(new Map(f.chapters.map((c) => [c.no, c.title])));
      setProjects(p);
      setIndicators(i);
      setLatestRound(r);
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
    // a measure with joint leads counts for each of them (the card says so)
    for (const r of actionable) for (const d of r.leadIds) (m.get(d) ?? m.set(d, []).get(d)!).push(r);
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


  // ---- projects
  const live = useMemo(() => projects.filter((p) => !p.deleted), [projects]);
  const year = live[0]?.year ?? new Date().getFullYear();
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

  return { measures, load, latestRound, today, loadedAt, deptName, actionable, byStatus, lights, byLead, unassigned, suggestedOnly, byChapter, texts, byCity, indicators, indCounts, live, year, projByCategory, projByCity, projAll };
}

export type DashboardData = ReturnType<typeof useDashboardData>;
