// measures.*: the allocation ledger (分工台账): reading it, searching it, editing it.
import { z } from 'zod';
import { CITIES, STATUSES, type MeasureRow, type MeasureSearchResult, type Status } from '../../domain';
import { channel } from '../channel';
import { deptId, empty, isoDate, measureId } from './common';

export const measurePatchSchema = z
  .object({
    leadIds: z.array(deptId).max(50).optional(),
    leadConfirmed: z.boolean().optional(),
    coIds: z.array(deptId).max(200).optional(),
    cities: z.array(z.enum(CITIES)).max(3).optional(),
    deadline: isoDate.nullable().optional(),
    status: z.enum(STATUSES).optional(),
    progress: z.string().max(20000, '进展情况不能超过20000字').optional(),
    note: z.string().max(20000, '备注不能超过20000字').optional(),
  })
  .strict();

export const measureEditSchema = z.object({ measureId, patch: measurePatchSchema }).strict();

export interface MeasurePage {
  /** all measures in the ledger */
  total: number;
  rows: MeasureRow[];
  /** the id to ask for the next page after; null when this page reached the end */
  next: string | null;
}

/** Actionable measures, one array per field (index i is the same measure in each). */
export interface MeasureFacts {
  chapters: { no: number; title: string }[];
  ids: string[];
  status: Status[];
  deadline: (string | null)[];
  /** the first lead (主责) */
  leadId: (number | null)[];
  /** every lead in order (a measure with joint leads counts for each of them) */
  leadIds: number[][];
  /** 1: a person confirmed the lead; 0: the system's suggestion (or no lead) */
  leadConfirmed: (0 | 1)[];
  chapterNo: number[];
  /** bit i set: CITIES[i] is one of the measure's cities */
  cities: number[];
}

export const measuresChannels = {
  'measures.list': channel<MeasureRow[]>()(empty),
  /** one page of the ledger in the grid's order, after the measure `after` (null: from the start) */
  'measures.page': channel<MeasurePage>()(z.object({ after: measureId.nullable(), limit: z.number().int().min(1).max(20000) }).strict()),
  /** what the dashboard counts about every actionable measure, without the texts; reads every measure */
  'measures.facts': channel<MeasureFacts>()(empty, { worker: { kind: 'read' } }),
  /** these measures as they are now */
  'measures.get': channel<MeasureRow[]>()(z.object({ ids: z.array(measureId).max(100000) }).strict()),
  /** substring search over every measure's id, text, progress and note (two-character terms too) */
  'measures.search': channel<MeasureSearchResult>()(
    z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(2000).optional() }).strict(),
  ),
  'measures.applyEdits': channel<MeasureRow[]>()(
    z
      .object({
        edits: z.array(measureEditSchema).min(1).max(100000),
        /** what the person did: 编辑, 批量设置, 粘贴, 撤销, 重做 … */
        op: z.string().min(1).max(40),
      })
      .strict(),
  ),
  'measures.confirmSuggestions': channel<MeasureRow[]>()(z.object({ ids: z.array(measureId).min(1).max(100000) }).strict()),
};
