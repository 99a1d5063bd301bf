// What the three documents share: the options, the scope of measures, names, file names.
import type { City, MeasureRow } from '../../../shared/domain';
import { chapterLabel, isIsoDate } from '../../../shared/domain';
import { ServiceError, type ServiceContext } from '../../services/context';
import { listDepartments } from '../../services/departments';
import { chinaToday, type ReportLogDraft } from '../../services/history';

export type DocxKind = 'allocation' | 'briefing' | 'dept-letter';

export interface DocxOptions {
  deptId?: number;
  city?: City;
  chapter?: number;
  /** with deptId: lead = measures it leads, co = merely co-operates, all = both (default) */
  role?: 'lead' | 'co' | 'all';
  /** YYYY-MM-DD, default today (China time) */
  date?: string;
  /** allocation: the paragraph(s) under the title, lines separated by \n */
  preamble?: string;
  title?: string;
  /** dept-letter: the date by which the ledger is to come back (default date + 15 days) */
  dueDate?: string;
}

export interface DocxResult {
  buffer: Buffer;
  rows: number;
  fileName: string;
  /** a briefing's report_log row, written by whoever saves the file (exportDocx, services/files.ts) */
  reportLog?: ReportLogDraft;
}

export function resolveDate(opts: DocxOptions): string {
  const d = opts.date ?? chinaToday();
  if (!isIsoDate(d)) throw new ServiceError('VALIDATION', `日期“${d}”无效，应为 YYYY-MM-DD`);
  return d;
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export interface DeptNames {
  name(id: number | null | undefined): string;
  names(ids: number[]): string;
}

export function deptNames(ctx: ServiceContext): DeptNames {
  const map = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  return {
    name: (id) => (id === null || id === undefined ? '' : (map.get(id) ?? `（部门${id}）`)),
    names: (ids) => ids.map((i) => map.get(i) ?? `（部门${i}）`).join('、'),
  };
}

export function deptName(ctx: ServiceContext, id: number): string {
  const d = ctx.q.dept(id);
  if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的部门`);
  return d.name;
}

/** The actionable measures (chapters 3–9) the options select. */
export function inScope(m: MeasureRow, opts: DocxOptions): boolean {
  if (!m.actionable) return false;
  if (opts.chapter !== undefined && m.chapterNo !== opts.chapter) return false;
  if (opts.city && !m.cities.includes(opts.city)) return false;
  if (opts.deptId !== undefined) {
    const lead = m.leadId === opts.deptId;
    const co = m.coIds.includes(opts.deptId);
    const role = opts.role ?? 'all';
    if (role === 'lead' && !lead) return false;
    if (role === 'co' && !co) return false;
    if (role === 'all' && !lead && !co) return false;
  }
  return true;
}

export function checkScope(ctx: ServiceContext, opts: DocxOptions): void {
  if (opts.deptId !== undefined) deptName(ctx, opts.deptId);
  if (opts.chapter !== undefined && (!Number.isInteger(opts.chapter) || opts.chapter < 3 || opts.chapter > 9)) {
    throw new ServiceError('VALIDATION', `第${opts.chapter}章没有需要分工的措施：请选择第三章至第九章`);
  }
}

/** Words for the scope, e.g. 省发展改革委牵头 / 长沙市 / 第四章. Empty for the whole plan. */
export function scopeWords(ctx: ServiceContext, opts: DocxOptions): string[] {
  const parts: string[] = [];
  if (opts.deptId !== undefined) {
    const n = deptName(ctx, opts.deptId);
    const role = opts.role ?? 'all';
    parts.push(role === 'lead' ? `${n}牵头` : role === 'co' ? `${n}配合` : n);
  }
  if (opts.city) parts.push(opts.city);
  if (opts.chapter !== undefined) parts.push(chapterLabel(opts.chapter));
  return parts;
}

/** A file name without characters Windows or macOS refuse. */
export function safeFileName(parts: string[], date: string): string {
  const clean = parts
    .filter(Boolean)
    .map((p) => p.replace(/[\\/:*?"<>|\s]+/g, ''))
    .join('-');
  return `${clean}-${date.replace(/-/g, '')}.docx`;
}

export function planTitle(ctx: ServiceContext): string {
  return ctx.q.getSetting('plan.title') || '长株潭都市圈发展规划';
}
