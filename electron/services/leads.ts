// The lead departments of a measure, as ONE ordered list (issue 21: measure_lead, the first is
// 主责). Everything that sends a measure to "its leads" (调度轮次 above all: every lead reports)
// asks here.
import type { MeasureRow } from '../../shared/domain';

export function leadsOf(m: Pick<MeasureRow, 'leadIds'>): number[] {
  return [...m.leadIds];
}
