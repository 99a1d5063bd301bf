// 目标指标: the plan's targets and 2021 figures, yearly actual values entered by staff (audited),
// and each indicator's status computed from its target, direction and latest actual value.
import {
  indicatorStatus,
  latestActual,
  setActualSchema,
  type Indicator,
  type IndicatorActual,
  type IndicatorRow,
} from '../../shared/projects';
import type { ActualDbRow, IndicatorDbRow } from '../db/project-queries';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

const TABLE = 'indicator_actual';

function toIndicator(r: IndicatorDbRow): Indicator {
  return {
    id: r.id,
    name: r.name,
    unit: r.unit,
    direction: r.direction,
    target2025: r.target2025,
    baseline2021: r.baseline2021,
    tolerance: r.tolerance,
    quote: r.quote,
    baselineQuote: r.baseline_quote,
    kind: r.kind,
    note: r.note,
  };
}

function toActual(a: ActualDbRow): IndicatorActual {
  return { indicatorId: a.indicator_id, year: a.year, value: a.value, source: a.source, note: a.note, updatedAt: a.updated_at };
}

function toRow(r: IndicatorDbRow, actuals: ActualDbRow[]): IndicatorRow {
  const ind = toIndicator(r);
  const list = actuals.map(toActual);
  const latest = latestActual(list);
  return { ...ind, actuals: list, latest, status: indicatorStatus(ind, latest) };
}

export function listIndicators(ctx: ServiceContext): IndicatorRow[] {
  const pq = ctx.q.projects;
  const byId = new Map<string, ActualDbRow[]>();
  for (const a of pq.allActuals()) (byId.get(a.indicator_id) ?? byId.set(a.indicator_id, []).get(a.indicator_id)!).push(a);
  return pq.indicators().map((r) => toRow(r, byId.get(r.id) ?? []));
}

export function getIndicator(ctx: ServiceContext, id: string): IndicatorRow {
  const pq = ctx.q.projects;
  const r = pq.indicator(id);
  if (!r) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的指标`);
  return toRow(r, pq.actualsOf(id));
}

/**
 * Enter (or, with value null, clear) an indicator's actual value for a year, with its source and
 * note. One audit row per changed field, named by year (2024.value, 2024.source, 2024.note),
 * under the indicator's id.
 */
export function setActual(
  ctx: ServiceContext,
  indicatorId: string,
  year: number,
  value: number | null,
  source = '',
  note = '',
): IndicatorRow {
  const parsed = setActualSchema.safeParse({ indicatorId, year, value, source, note });
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');
    throw new ServiceError('VALIDATION', `指标 ${indicatorId}：${msg}`);
  }
  const pq = ctx.q.projects;
  ctx.db.transaction(() => {
    const ind = pq.indicator(indicatorId);
    if (!ind) throw new ServiceError('NOT_FOUND', `没有编号为 ${indicatorId} 的指标`);
    if (ind.kind === 'qualitative' && value !== null) {
      throw new ServiceError('VALIDATION', `指标 ${indicatorId}“${ind.name}”为定性指标，不填报数值`);
    }
    const old = pq.actual(indicatorId, year);
    const src = source.trim();
    const nt = note.trim();
    // a qualitative indicator's year is its assessment (the note); an empty one clears the year
    const assessment = ind.kind === 'qualitative' && nt !== '';
    const audit = new AuditWriter(ctx, value === null && !assessment ? '清除指标数据' : '填报指标数据');
    if (value === null && !assessment) {
      if (!old) return;
      pq.deleteActual(indicatorId, year);
      audit.field(TABLE, indicatorId, `${year}.value`, old.value, null);
      if (old.source) audit.field(TABLE, indicatorId, `${year}.source`, old.source, null);
      if (old.note) audit.field(TABLE, indicatorId, `${year}.note`, old.note, null);
      return;
    }
    if (old && old.value === value && old.source === src && old.note === nt) return;
    pq.upsertActual({ indicator_id: indicatorId, year, value, source: src, note: nt, updated_at: audit.at });
    if (!old || old.value !== value) audit.field(TABLE, indicatorId, `${year}.value`, old?.value ?? null, value);
    if ((old?.source ?? '') !== src) audit.field(TABLE, indicatorId, `${year}.source`, old?.source ?? null, src);
    if ((old?.note ?? '') !== nt) audit.field(TABLE, indicatorId, `${year}.note`, old?.note ?? null, nt);
  })();
  return getIndicator(ctx, indicatorId);
}

/** The `dump` shape (CLI). */
export function dumpIndicators(ctx: ServiceContext) {
  return listIndicators(ctx).map((i) => ({
    id: i.id,
    name: i.name,
    unit: i.unit,
    direction: i.direction,
    target2025: i.target2025,
    baseline2021: i.baseline2021,
    quote: i.quote,
    actuals: Object.fromEntries(i.actuals.map((a) => [String(a.year), a.value])) as Record<string, number>,
  }));
}

/** The indicators.* channels (shared/ipc/channels/projects.ts). */
export const indicatorsHandlers: HandlerTable<ChannelsOf<'indicators'>> = {
  'indicators.list': (ctx) => listIndicators(ctx),
  'indicators.setActual': (ctx, i) => setActual(ctx, i.indicatorId, i.year, i.value, i.source, i.note),
};
