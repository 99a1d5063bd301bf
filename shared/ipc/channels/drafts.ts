// drafts.*: 专项推进方案 / 行动计划 drafts, their blocks and named versions.
import {
  draftCreateSchema,
  draftSchemas,
  type Draft,
  type DraftCompare,
  type DraftField,
  type DraftGaps,
  type DraftSummary,
  type DraftTableCounts,
  type DraftVersion,
} from '../../drafts';
import { channel } from '../channel';

export const draftsChannels = {
  'drafts.list': channel<DraftSummary[]>()(draftSchemas.list),
  /** a field's draft on a large ledger cites ~15,000 measures: written by the write worker */
  'drafts.create': channel<Draft>()(draftCreateSchema, { worker: { kind: 'write' } }),
  'drafts.get': channel<Draft>()(draftSchemas.get),
  'drafts.update': channel<Draft>()(draftSchemas.update),
  'drafts.delete': channel<DraftSummary>()(draftSchemas.remove),
  'drafts.insertBlock': channel<Draft>()(draftSchemas.insertBlock),
  'drafts.updateBlock': channel<Draft>()(draftSchemas.updateBlock),
  'drafts.moveBlock': channel<Draft>()(draftSchemas.moveBlock),
  'drafts.deleteBlock': channel<Draft>()(draftSchemas.deleteBlock),
  'drafts.saveVersion': channel<DraftVersion>()(draftSchemas.saveVersion),
  'drafts.listVersions': channel<DraftVersion[]>()(draftSchemas.listVersions),
  'drafts.compare': channel<DraftCompare>()(draftSchemas.compare),
  'drafts.restoreVersion': channel<Draft>()(draftSchemas.restoreVersion),
  /** reads the draft's whole scope: on a large ledger in the read worker */
  'drafts.gaps': channel<DraftGaps>()(draftSchemas.gaps, { worker: { kind: 'read', arg: 'draftId' } }),
  /** rows of each live table kind for this draft now (the whole scope: in the read worker) */
  'drafts.tableCounts': channel<DraftTableCounts>()(draftSchemas.tableCounts, { worker: { kind: 'read', arg: 'draftId' } }),
  'drafts.getFieldMapping': channel<Record<DraftField, string[]>>()(draftSchemas.getFieldMapping),
  'drafts.setFieldMapping': channel<Record<DraftField, string[]>>()(draftSchemas.setFieldMapping),
};
