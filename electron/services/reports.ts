import type { ReportLogEntry } from '../../shared/ipc/contract';
// Measures as they stood on a past date, rebuilt from the audit trail; and the log of reports.
import type { MeasureRow, Status } from '../../shared/domain';
import { isIsoDate, STATUSES } from '../../shared/domain';
import type { ReportLogRow } from '../db/report-queries';
import { getIdentity, ServiceError, type ServiceContext } from '../core/context';
import { listMeasures } from './measures';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

/** The fields whose history the reports need. */
export const HISTORY_FIELDS = ['status', 'progress', 'deadline', 'leadId', 'leadIds', 'coIds'] as const;

/** Offset of China time (UTC+8, no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The first instant after the end of `date` in China time, as an ISO string (UTC). */
export function endOfChinaDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1) - CHINA_OFFSET_MS).toISOString();
}

/** Today's date in China time, YYYY-MM-DD. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function decodeNumber(v: string | null): number | null {
  if (v === null || v === '' || v === 'null') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function decodeIds(v: string | null): number[] {
  if (!v) return [];
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? a.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

/**
 * Every measure as it stood at the end of `date` (China time): today's values with every audited
 * change of status / progress / deadline / lead / co-operators made after that day rolled back,
 * newest first. Other fields (text, cities, note) are today's.
 */
export function measuresAsOf(ctx: ServiceContext, date: string): MeasureRow[] {
  if (!isIsoDate(date)) throw new ServiceError('VALIDATION', `日期“${date}”无效，应为 YYYY-MM-DD`);
  const rows = listMeasures(ctx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const a of ctx.q.reports.measureAuditSince(endOfChinaDay(date), HISTORY_FIELDS)) {
    const m = byId.get(a.row_id);
    if (!m) continue;
    switch (a.field) {
      case 'status':
        if (a.old_value && (STATUSES as readonly string[]).includes(a.old_value)) m.status = a.old_value as Status;
        break;
      case 'progress':
        m.progress = a.old_value ?? '';
        break;
      case 'deadline':
        m.deadline = a.old_value || null;
        break;
      case 'leadId': {
        // a change from before joint leads: the measure had this one lead
        const lead = decodeNumber(a.old_value);
        m.leadIds = lead === null ? [] : [lead];
        m.leadId = lead;
        break;
      }
      case 'leadIds':
        m.leadIds = decodeIds(a.old_value);
        m.leadId = m.leadIds[0] ?? null;
        break;
      case 'coIds':
        m.coIds = decodeIds(a.old_value);
        break;
    }
  }
  return rows;
}

export type { ReportLogEntry };

function toEntry(r: ReportLogRow): ReportLogEntry {
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(r.params) as Record<string, unknown>;
  } catch {
    /* keep {} */
  }
  return { id: r.id, kind: r.kind, asOf: r.as_of, createdAt: r.created_at, actor: r.actor, unit: r.unit, params };
}

/** The latest report of `kind` logged with a date before `asOf`, or null for a first report. */
export function findPreviousReport(ctx: ServiceContext, kind: string, asOf: string): ReportLogEntry | null {
  const r = ctx.q.reports.previous(kind, asOf);
  return r ? toEntry(r) : null;
}

/** A report_log row for a report made now, not yet written (an export writes it once its file exists). */
export type ReportLogDraft = Omit<ReportLogRow, 'id'>;

export function reportLogDraft(ctx: ServiceContext, kind: string, asOf: string, params: Record<string, unknown>): ReportLogDraft {
  const who = ctx.actor ?? getIdentity(ctx) ?? { name: '未登记', unit: '未登记' };
  return { kind, as_of: asOf, created_at: new Date().toISOString(), actor: who.name, unit: who.unit, params: JSON.stringify(params) };
}

/** Write a report's log row: the next report of its kind compares with it. */
export function logReport(ctx: ServiceContext, row: ReportLogDraft): ReportLogEntry {
  const id = ctx.q.reports.insert(row);
  return toEntry({ id, ...row });
}

export function listReportLog(ctx: ServiceContext, kind?: string, limit = 100): ReportLogEntry[] {
  return ctx.q.reports.list(kind, limit).map(toEntry);
}

/** The reports.* channels (shared/ipc/channels/reports.ts). */
export const reportsHandlers: HandlerTable<ChannelsOf<'reports'>> = {
  'reports.list': (ctx, i) => listReportLog(ctx, i.kind),
};
