// The lead departments of a measure, as ONE ordered list. Today a measure has one lead
// (measure.lead_id); issue 21 makes leads an ordered list of several departments. Everything that
// sends a measure to "its leads" (调度轮次 above all: every lead reports) asks here, so that change
// is made in one place.
import type { MeasureRow } from '../../shared/domain';

export function leadsOf(m: Pick<MeasureRow, 'leadId'>): number[] {
  return m.leadId === null ? [] : [m.leadId];
}
