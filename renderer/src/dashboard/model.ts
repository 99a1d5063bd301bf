// The dashboard's model: colours per status, the supervision light of a measure (red, yellow,
// 待确认, 未排期, green, done) and its names, dates as YYYY-MM-DD, and the compact facts a measure
// is counted by, as the main side sends them (measures.facts).
import { CITIES, type City, type MeasureRow, type Status } from '../../../shared/domain';
import type { MeasureFacts } from '../../../shared/ipc/contract';
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
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return todayIso(new Date(y, m - 1, d + n));
}
export function daysBetween(a: string, b: string): number {
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
  /** every lead in order (the first is leadId, 主责) */
  leadIds: number[];
  leadConfirmed: boolean;
  chapterNo: number;
  cities: City[];
}

export function factsToMeasures(f: MeasureFacts): DashMeasure[] {
  const out: DashMeasure[] = new Array(f.ids.length);
  for (let i = 0; i < f.ids.length; i++) {
    const mask = f.cities[i];
    out[i] = { id: f.ids[i], status: f.status[i], deadline: f.deadline[i], leadId: f.leadId[i], leadIds: f.leadIds[i] ?? [], leadConfirmed: f.leadConfirmed[i] === 1, chapterNo: f.chapterNo[i], cities: CITIES.filter((_, b) => mask & (1 << b)) };
  }
  return out;
}

export type OpenAlloc = (f: Omit<AllocFilter, 'nonce'>) => void;
export type OpenProjects = (f: Omit<ProjectFilter, 'nonce'>) => void;
export type OpenIndicators = (f: Omit<IndicatorFilter, 'nonce'>) => void;

export const LIGHT_LABEL: Record<Exclude<Light, 'done'>, string> = {
  red: '逾期或滞后',
  yellow: '30天内到期',
  unconfirmed: '牵头单位未确认',
  unscheduled: '未定完成时限',
  green: '正常推进',
};
export const LIGHT_NAME: Record<Exclude<Light, 'done'>, string> = { red: '红灯', yellow: '黄灯', unconfirmed: '待确认', unscheduled: '未排期', green: '绿灯' };
