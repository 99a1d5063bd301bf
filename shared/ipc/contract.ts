// The one definition of every channel between the renderer and the main side.
// Main registers a handler per entry (parsing the input with its schema first);
// the test bridge and the preload use the same table. Output types are checked
// at compile time through ChannelOutput.
import type { JsonText } from './json-text';
import { z } from 'zod';
import { oneLine } from '../text';
import { zhCN } from 'zod/v4/locales';
import { CITIES, DEPT_LEVELS, STATUSES, isIsoDate } from '../domain';
import { UNCONFIRMED_MODES } from '../ledger';
import { importChoicesSchema, type ImportPreview, type ImportSummary } from '../import';
import { docTemplateSchema, type DocTemplate } from '../template';
import { updateUrlSchema, type UpdateCheck, type UpdateConfig, type UpdateDownloaded } from '../updates';
import {
  draftCreateSchema,
  draftSchemas,
  type Draft,
  type DraftCompare,
  type DraftField,
  type DraftGaps,
  type DraftTableCounts,
  type DraftSummary,
  type DraftVersion,
} from '../drafts';
import {
  PROJECT_CATEGORIES,
  PLAN_YEAR_MAX,
  PLAN_YEAR_MIN,
  projectAddSchema,
  projectIdSchema,
  projectUpdateSchema,
  setActualSchema,
  type IndicatorRow,
  type Project,
} from '../projects';
import type {
  AuditEntry,
  Department,
  MeasureRow,
  MeasureSearchResult,
  PlanNodeDetail,
  PlanTreeNode,
  SearchResult,
  Status,
  UserIdentity,
} from '../domain';

// zod's own messages (a wrong type, an unknown key …) in Chinese, on both sides of the IPC
z.config(zhCN());

const nonEmpty = (max: number) => oneLine(max);
const measureId = z.string().regex(/^\d+\.\d+\.\d+\.\d+$/, '措施编号格式应为 章.节.任务.措施，如 4.1.1.3');
const deptId = z.number().int().positive();
const isoDate = z.string().refine(isIsoDate, '日期应为有效的 YYYY-MM-DD，如 2025-12-31');

export const measurePatchSchema = z
  .object({
    leadId: deptId.nullable().optional(),
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

export const identitySchema = z
  .object({ name: nonEmpty(40), unit: nonEmpty(80) })
  .strict();

export const EXPORT_KINDS = [
  'allocation.docx',
  'briefing.docx',
  'dept-letter.docx',
  'special-plan.docx',
  'ledger.xlsx',
  'projects.xlsx',
  'indicators.xlsx',
  'draft-tables.xlsx',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const empty = z.object({}).strict();
const projectYear = z.number().int().min(PLAN_YEAR_MIN).max(PLAN_YEAR_MAX);

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

export const contract = {
  'app.info': { input: empty },
  'plan.tree': { input: empty },
  'plan.node': { input: z.object({ id: z.string().min(1).max(40) }).strict() },
  'plan.search': {
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(2000).optional() }).strict(),
  },
  'measures.list': { input: empty },
  /** one page of the ledger in the grid's order, after the measure `after` (null: from the start) */
  'measures.page': {
    input: z.object({ after: measureId.nullable(), limit: z.number().int().min(1).max(20000) }).strict(),
  },
  /** what the dashboard counts about every actionable measure, without the texts */
  'measures.facts': { input: empty },
  /** these measures as they are now */
  'measures.get': { input: z.object({ ids: z.array(measureId).max(100000) }).strict() },
  /** substring search over every measure's id, text, progress and note (two-character terms too) */
  'measures.search': {
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(2000).optional() }).strict(),
  },
  'measures.applyEdits': {
    input: z
      .object({
        edits: z.array(measureEditSchema).min(1).max(100000),
        /** what the person did: 编辑, 批量设置, 粘贴, 撤销, 重做 … */
        op: z.string().min(1).max(40),
      })
      .strict(),
  },
  'measures.confirmSuggestions': { input: z.object({ ids: z.array(measureId).min(1).max(100000) }).strict() },
  'departments.list': { input: z.object({ includeInactive: z.boolean().optional() }).strict() },
  'departments.add': {
    input: z
      .object({ name: nonEmpty(60), level: z.enum(DEPT_LEVELS), city: z.enum(CITIES).nullable().optional() })
      .strict(),
  },
  'departments.rename': { input: z.object({ id: deptId, name: nonEmpty(60) }).strict() },
  'departments.merge': { input: z.object({ fromId: deptId, intoId: deptId }).strict() },
  'departments.retire': { input: z.object({ id: deptId }).strict() },
  'departments.restore': { input: z.object({ id: deptId }).strict() },
  'settings.getTemplate': { input: empty },
  'settings.setTemplate': { input: docTemplateSchema },
  'settings.resetTemplate': { input: empty },
  'reports.list': { input: z.object({ kind: z.string().max(40).optional() }).strict() },
  'settings.getIdentity': { input: empty },
  /** the intranet update folder (设置 › 程序更新) and what this shell can do with it */
  'updates.getConfig': { input: empty },
  'updates.setUrl': { input: z.object({ url: updateUrlSchema.nullable() }).strict() },
  /** look in the folder for a newer version (nothing is downloaded) */
  'updates.check': { input: empty },
  /** download the newer version (updates.progress events), verified, installed when the app quits */
  'updates.download': { input: empty },
  'settings.setIdentity': { input: identitySchema },
  'audit.list': {
    input: z
      .object({
        rowId: z.string().max(40).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
        table: z.string().max(40).optional(),
        actor: z.string().max(40).optional(),
        unit: z.string().max(80).optional(),
        op: z.string().max(40).optional(),
        opId: z.string().max(40).optional(),
        field: z.string().max(60).optional(),
        /** YYYY-MM-DD, inclusive */
        from: isoDate.optional(),
        to: isoDate.optional(),
        beforeId: z.number().int().positive().optional(),
      })
      .strict(),
  },
  /** the people, operations and tables the history filters offer */
  'audit.facets': { input: empty },
  /** set the field of one audit entry back to its value before that change (op 恢复历史值) */
  'audit.restore': { input: z.object({ auditId: z.number().int().positive() }).strict() },
  /** the person's own undo/redo, persistent across restarts */
  'history.state': { input: empty },
  'history.undo': { input: empty },
  'history.redo': { input: empty },
  /** the rotating set of backups beside the database, each quick-checked */
  'backup.list': { input: empty },
  'backup.create': { input: empty },
  /** restore one backup of the set (by file name only, never a path); Electron relaunches after */
  'backup.restore': {
    input: z.object({ name: z.string().min(1).max(200).regex(/^[^/\\]+\.db$/, '应为备份文件名') }).strict(),
  },
  'projects.list': { input: z.object({ includeDeleted: z.boolean().optional(), year: projectYear.optional() }).strict() },
  'projects.get': { input: z.object({ id: projectIdSchema, year: projectYear.optional() }).strict() },
  'projects.add': { input: projectAddSchema },
  'projects.update': { input: projectUpdateSchema },
  'projects.delete': { input: z.object({ id: projectIdSchema }).strict() },
  'projects.restore': { input: z.object({ id: projectIdSchema }).strict() },
  'indicators.list': { input: empty },
  'indicators.setActual': { input: setActualSchema },
  // 专项推进方案 / 行动计划 drafts
  'drafts.list': { input: draftSchemas.list },
  'drafts.create': { input: draftCreateSchema },
  'drafts.get': { input: draftSchemas.get },
  'drafts.update': { input: draftSchemas.update },
  'drafts.delete': { input: draftSchemas.remove },
  'drafts.insertBlock': { input: draftSchemas.insertBlock },
  'drafts.updateBlock': { input: draftSchemas.updateBlock },
  'drafts.moveBlock': { input: draftSchemas.moveBlock },
  'drafts.deleteBlock': { input: draftSchemas.deleteBlock },
  'drafts.saveVersion': { input: draftSchemas.saveVersion },
  'drafts.listVersions': { input: draftSchemas.listVersions },
  'drafts.compare': { input: draftSchemas.compare },
  'drafts.restoreVersion': { input: draftSchemas.restoreVersion },
  'drafts.gaps': { input: draftSchemas.gaps },
  /** rows of each live table kind for this draft now */
  'drafts.tableCounts': { input: draftSchemas.tableCounts },
  'drafts.getFieldMapping': { input: draftSchemas.getFieldMapping },
  'drafts.setFieldMapping': { input: draftSchemas.setFieldMapping },
  /** make a document or ledger; in Electron a save dialog asks where (null: cancelled) */
  'export.run': {
    input: exportRunFields
      .strict()
      .refine((v) => v.kind !== 'dept-letter.docx' || v.deptId !== undefined, { message: '部门任务清单须选择一个部门', path: ['deptId'] })
      .refine((v) => !(v.kind === 'special-plan.docx' || v.kind === 'draft-tables.xlsx') || v.draftId !== undefined, {
        message: '须选择要导出的方案草稿',
        path: ['draftId'],
      }),
  },
  /** how many measures of this export have a suggested, unconfirmed lead (asked before export.run) */
  'export.suggestions': { input: exportRunFields.omit({ exportId: true, unconfirmed: true, preamble: true, title: true, scopeLabel: true }).strict() },
  /** the files exported here, most recent first (they survive a reload) */
  'export.list': { input: empty },
  /** stop an export under way (export.run then fails with code CANCELLED and writes nothing) */
  'export.cancel': { input: z.object({ exportId }).strict() },
  /** open the folder of a file this session exported */
  'files.showInFolder': { input: z.object({ path: z.string().min(1).max(4096) }).strict() },
  /** the 导入 page is open: start a reader thread now, so a chosen file does not wait for one */
  'import.prepare': { input: empty },
  /** read a returned ledger (bytes as base64) and show what it would change; nothing is written */
  'import.preview': {
    input: z
      .object({
        fileName: z.string().min(1).max(255),
        // 50 MB of file is about 67 MB of base64
        base64: z.string().max(70 * 1024 * 1024, '文件过大，台账文件不能超过 50 MB'),
        /** for this file only: the department meant by a name the directory does not know (ImportCellError.deptName → id) */
        deptMap: z
          .record(z.string().min(1).max(200), deptId)
          .refine((m) => Object.keys(m).length <= 500, '为单位名称指定的单位过多（最多 500 个）')
          .optional(),
      })
      .strict(),
  },
  /** apply a preview with the person's conflict choices: all in one transaction or nothing */
  'import.apply': { input: z.object({ previewId: z.string().uuid(), choices: importChoicesSchema }).strict() },
} as const;

export type Channel = keyof typeof contract;
export type ChannelInput<C extends Channel> = z.input<(typeof contract)[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<(typeof contract)[C]['input']>;

export interface AppInfo {
  version: string;
  dbPath: string;
  /** 'electron' inside the desktop app, 'web' through the test bridge */
  shell: 'electron' | 'web';
  measureCount: number;
}

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

export interface ReportLogEntry {
  id: number;
  kind: string;
  asOf: string;
  createdAt: string;
  actor: string;
  unit: string;
  params: Record<string, unknown>;
}

export interface MergeResult {
  from: Department;
  into: Department;
  movedLead: number;
  movedCo: number;
}

export interface AuditFacets {
  actors: { actor: string; unit: string }[];
  ops: string[];
  tables: string[];
}

export interface FieldRestoreResult {
  opId: string;
  fields: number;
  measureIds: string[];
  projectIds: string[];
  departmentIds: number[];
  indicatorIds: string[];
}

export interface HistoryState {
  canUndo: boolean;
  /** e.g. 批量设置（12 处修改，2025/3/1 10:02:03） */
  undoLabel: string | null;
  undoOpId: string | null;
  canRedo: boolean;
  redoLabel: string | null;
  redoOpId: string | null;
}

export interface UndoResult extends FieldRestoreResult {
  /** the operation undone or redone (opId) and the new one that did it (byOpId) */
  op: string;
  byOpId: string;
  state: HistoryState;
}

export type BackupKindName = 'auto' | 'before-migration' | 'before-import' | 'before-restore' | 'on-exit' | 'manual';

export interface BackupEntry {
  name: string;
  kind: BackupKindName;
  at: string;
  bytes: number;
  /** quick_check passed (null: not checked, file too large to check while listing) */
  ok: boolean | null;
  version: number | null;
  message?: string;
}

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
  leadId: (number | null)[];
  /** 1: a person confirmed the lead; 0: the system's suggestion (or no lead) */
  leadConfirmed: (0 | 1)[];
  chapterNo: number[];
  /** bit i set: CITIES[i] is one of the measure's cities */
  cities: number[];
}

export interface RestoreOutcome {
  restoredFrom: string;
  /** file name of the before-restore backup of the replaced data */
  keptAs: string | null;
  /** Electron restarts itself; the web bridge carries on with the reopened database */
  relaunch: boolean;
}

export interface ChannelOutputs {
  'app.info': AppInfo;
  'plan.tree': PlanTreeNode[];
  'plan.node': PlanNodeDetail;
  'plan.search': SearchResult;
  'measures.list': MeasureRow[];
  'measures.page': MeasurePage;
  'measures.get': MeasureRow[];
  'measures.facts': MeasureFacts;
  'measures.search': MeasureSearchResult;
  'measures.applyEdits': MeasureRow[];
  'measures.confirmSuggestions': MeasureRow[];
  'departments.list': Department[];
  'departments.add': Department;
  'departments.rename': Department;
  'departments.merge': MergeResult;
  'departments.retire': Department;
  'departments.restore': Department;
  'settings.getTemplate': DocTemplate;
  'settings.setTemplate': DocTemplate;
  'settings.resetTemplate': DocTemplate;
  'reports.list': ReportLogEntry[];
  'settings.getIdentity': UserIdentity | null;
  'updates.getConfig': UpdateConfig;
  'updates.setUrl': UpdateConfig;
  'updates.check': UpdateCheck;
  'updates.download': UpdateDownloaded;
  'settings.setIdentity': UserIdentity;
  'audit.list': AuditEntry[];
  'audit.facets': AuditFacets;
  'audit.restore': FieldRestoreResult;
  'history.state': HistoryState;
  'history.undo': UndoResult;
  'history.redo': UndoResult;
  'backup.list': BackupEntry[];
  'backup.create': BackupEntry;
  'backup.restore': RestoreOutcome;
  'projects.list': Project[];
  'projects.get': Project;
  'projects.add': Project;
  'projects.update': Project[];
  'projects.delete': Project;
  'projects.restore': Project;
  'indicators.list': IndicatorRow[];
  'indicators.setActual': IndicatorRow;
  'drafts.list': DraftSummary[];
  'drafts.create': Draft;
  'drafts.get': Draft;
  'drafts.update': Draft;
  'drafts.delete': DraftSummary;
  'drafts.insertBlock': Draft;
  'drafts.updateBlock': Draft;
  'drafts.moveBlock': Draft;
  'drafts.deleteBlock': Draft;
  'drafts.saveVersion': DraftVersion;
  'drafts.listVersions': DraftVersion[];
  'drafts.compare': DraftCompare;
  'drafts.restoreVersion': Draft;
  'drafts.gaps': DraftGaps;
  'drafts.tableCounts': DraftTableCounts;
  'drafts.getFieldMapping': Record<DraftField, string[]>;
  'drafts.setFieldMapping': Record<DraftField, string[]>;
  'export.run': ExportResult | null;
  /** false: no such export under way (unknown, or already finished) */
  'export.cancel': { cancelled: boolean };
  /** null: this kind names no measure's lead */
  'export.suggestions': { suggested: number | null };
  'export.list': ExportedFile[];
  'files.showInFolder': { shown: boolean; folder: string };
  /** false: this build reads files on the main side (no worker entry) */
  'import.prepare': { prepared: boolean };
  'import.preview': ImportPreview & { previewId: string };
  'import.apply': ImportSummary;
}
export type ChannelOutput<C extends Channel> = ChannelOutputs[C];

export interface IpcError {
  /** machine-readable: VALIDATION, NOT_FOUND, CONFLICT, UNKNOWN_CHANNEL, FORBIDDEN, CANCELLED, INTERNAL */
  code: string;
  /** Chinese, shown to the person as is */
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export { EVENTS, type EventName } from './events';
import type { EventName } from './events';

export function isChannel(s: unknown): s is Channel {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(contract, s);
}

/** The API the preload exposes as window.czt and the web bridge imitates. */
export interface WorkbenchApi {
  /** a large value (an import preview) comes as JSON text: fromJsonText() gives the object */
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C> | JsonText>>;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
}

/** Turn a zod error into one Chinese sentence. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message))
    .join('；');
}
