// export.* and files.showInFolder: making documents and ledgers, the list of exported files.
import { z } from 'zod';
import { CITIES } from '../../domain';
import { UNCONFIRMED_MODES } from '../../ledger';
import { PROJECT_CATEGORIES } from '../../projects';
import { channel } from '../channel';
import { deptId, empty, isoDate, projectYear } from './common';

export const EXPORT_KINDS = [
  'allocation.docx',
  'briefing.docx',
  'dept-letter.docx',
  'special-plan.docx',
  'ledger.xlsx',
  'projects.xlsx',
  'indicators.xlsx',
  'draft-tables.xlsx',
  // 调度轮次 (channels/rounds.ts): the round's briefing and assessment table, a return notice;
  // reminders are made by rounds.remind (making one records the 催办), listed here as exports
  'round-briefing.docx',
  'round-scores.xlsx',
  'return-notice.docx',
  'reminder.docx',
] as const;
/** the kinds made from a round (roundId required) */
export const ROUND_DOC_KINDS: readonly ExportKind[] = ['round-briefing.docx', 'round-scores.xlsx', 'return-notice.docx', 'reminder.docx'];
export type ExportKind = (typeof EXPORT_KINDS)[number];

const exportId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, '导出编号无效');

/** what an export is asked for: export.run, and export.suggestions before it */
const exportRunFields = z.object({
  /** what the page says it exports (kept with the file in the list of exports) */
  scopeLabel: z.string().max(300).optional(),
  kind: z.enum(EXPORT_KINDS),
  deptId: deptId.optional(),
  city: z.enum(CITIES).optional(),
  chapter: z.number().int().min(1).max(9).optional(),
  /** special-plan.docx / draft-tables.xlsx: the draft to export */
  draftId: z.number().int().positive().optional(),
  /** round documents: the 调度轮次 */
  roundId: z.number().int().positive().optional(),
  /** project ledger: one category; the year whose plan and completion it shows */
  category: z.enum(PROJECT_CATEGORIES).optional(),
  year: projectYear.optional(),
  /** documents: a department's measures it leads, merely co-operates on, or both */
  role: z.enum(['lead', 'co', 'all']).optional(),
  /** briefing: the date it reports on; letter: the date it is signed */
  date: isoDate.optional(),
  /** letter: the date the ledger is due back */
  dueDate: isoDate.optional(),
  preamble: z.string().max(5000, '导语不能超过5000字').optional(),
  title: z.string().max(100, '标题不能超过100字').optional(),
  /** suggested leads nobody confirmed: marked 省教育厅（建议） (default), left out, or printed as they are */
  unconfirmed: z.enum(UNCONFIRMED_MODES).optional(),
  /** the renderer's id for this export: export.progress events carry it, export.cancel names it */
  exportId: exportId.optional(),
});

export interface ExportResult {
  path: string;
  fileName: string;
  rows: number;
  bytes: number;
  /** its entry in the list of exported files (export.list); the web bridge serves it at /api/download?id= */
  id?: number;
  /** measures whose lead is a suggestion nobody confirmed (marked, left out or printed as they are) */
  suggested?: number | null;
}

/** A file exported here, as the 导出中心 lists it (kept in the database: it survives a reload). */
export interface ExportedFile extends ExportResult {
  id: number;
  kind: ExportKind;
  /** what the page said it exports (范围) */
  scope: string;
  /** ISO time */
  at: string;
  /** false once the file was moved or deleted */
  exists: boolean;
}

/** Payload of the export.progress event (shared/ipc/events.ts). */
export interface ExportProgressEvent {
  exportId: string;
  /** read: reading the database; rows: writing rows (done of total); pack: compressing the file */
  phase: 'read' | 'rows' | 'pack';
  done: number;
  total: number;
}

export const exportChannels = {
  /** make a document or ledger; in Electron a save dialog asks where (null: cancelled) */
  'export.run': channel<ExportResult | null>()(
    exportRunFields
      .strict()
      .refine((v) => v.kind !== 'dept-letter.docx' || v.deptId !== undefined, { message: '部门任务清单须选择一个部门', path: ['deptId'] })
      .refine((v) => !(v.kind === 'special-plan.docx' || v.kind === 'draft-tables.xlsx') || v.draftId !== undefined, {
        message: '须选择要导出的方案草稿',
        path: ['draftId'],
      })
      .refine((v) => v.kind !== 'reminder.docx', { message: '催办通知请在调度轮次页生成（生成即记为催办一次）', path: ['kind'] })
      .refine((v) => !ROUND_DOC_KINDS.includes(v.kind) || v.roundId !== undefined, { message: '须选择调度轮次', path: ['roundId'] })
      .refine((v) => v.kind !== 'return-notice.docx' || v.deptId !== undefined, { message: '退回通知须选择一个部门', path: ['deptId'] }),
  ),
  /**
   * how many measures of this export have a suggested, unconfirmed lead (asked before export.run;
   * null: this kind names no measure's lead); reads every measure of the scope: in the read worker
   */
  'export.suggestions': channel<{ suggested: number | null }>()(
    exportRunFields.omit({ roundId: true, exportId: true, unconfirmed: true, preamble: true, title: true, scopeLabel: true }).strict(),
    { worker: { kind: 'read' } },
  ),
  /** the files exported here, most recent first (they survive a reload) */
  'export.list': channel<ExportedFile[]>()(empty),
  /** stop an export under way (export.run then fails with code CANCELLED and writes nothing); false: no such export under way */
  'export.cancel': channel<{ cancelled: boolean }>()(z.object({ exportId }).strict()),
  /** open the folder of a file this session exported */
  'files.showInFolder': channel<{ shown: boolean; folder: string }>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
};
