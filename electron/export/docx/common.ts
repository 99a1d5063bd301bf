// What the three documents share: the options, the scope of measures, names, file names.
import type { City, MeasureRow } from '../../../shared/domain';
import { chapterLabel, isIsoDate } from '../../../shared/domain';
import { ServiceError, type ServiceContext } from '../../core/context';
import { listDepartments } from '../../services/departments';
import { chinaToday, type ReportLogDraft } from '../../services/reports';
import { SUGGESTION_MARK, isSuggested, leadsText, withUnconfirmed, type UnconfirmedMode } from '../../../shared/ledger';

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
  /** suggested leads nobody confirmed: marked 省教育厅（建议） (default), left out, or printed as they are */
  unconfirmed?: UnconfirmedMode;
}

export interface DocxResult {
  buffer: Buffer;
  rows: number;
  fileName: string;
  /** a briefing's report_log row, written by whoever saves the file (exportDocx, ipc/transfers.ts) */
  reportLog?: ReportLogDraft;
  /** measures in it whose lead is a suggestion nobody confirmed */
  suggested?: number;
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
  /**
   * a measure's leads as this document prints them: 省发展改革委、省交通运输厅 (the first is 主责);
   * 省教育厅（建议） while it is an unconfirmed suggestion (mark)
   */
  lead(m: Pick<MeasureRow, 'leadId' | 'leadIds' | 'leadConfirmed'>): string;
}

export function deptNames(ctx: ServiceContext, mode: UnconfirmedMode = 'mark'): DeptNames {
  const map = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  const name = (id: number | null | undefined) => (id === null || id === undefined ? '' : (map.get(id) ?? `（部门${id}）`));
  return {
    name,
    names: (ids) => ids.map((i) => map.get(i) ?? `（部门${i}）`).join('、'),
    lead: (m) => {
      const n = leadsText(withUnconfirmed(m, mode).leadIds, (id) => map.get(id) ?? `（部门${id}）`);
      return n && mode === 'mark' && isSuggested(m) ? `${n}${SUGGESTION_MARK}` : n;
    },
  };
}

export function unconfirmedMode(opts: DocxOptions): UnconfirmedMode {
  return opts.unconfirmed ?? 'mark';
}

/**
 * The sentence a document adds when it names suggested leads (mark) or left them out (omit);
 * empty when there are none or they are printed as they are.
 */
export function suggestionNote(rows: Pick<MeasureRow, 'leadId' | 'leadConfirmed'>[], mode: UnconfirmedMode): string {
  const n = rows.filter(isSuggested).length;
  if (!n || mode === 'plain') return '';
  return mode === 'mark'
    ? `其中${n}项措施的牵头单位为系统根据职责提出的建议、尚未确认，表中以“${SUGGESTION_MARK}”标注，请有关单位核实。`
    : `其中${n}项措施的牵头单位尚未确认，暂未列出牵头单位。`;
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
    // any of its leads (共同牵头 too)
    const lead = withUnconfirmed(m, unconfirmedMode(opts)).leadIds.includes(opts.deptId);
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
