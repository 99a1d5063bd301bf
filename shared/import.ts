// Types of the 导入台账 preview and result, shared by the main side, the IPC contract and the UI.
// Everything here is plain JSON so that a preview can cross IPC and come back for applying.
import { correctedWithNote } from './corrections';
import { z } from 'zod';
import { CITIES, STATUSES, chapterLabel, sectionLabel, type City, type MeasureRow, type Status } from './domain';
import { CONFIRMED_TEXT, LEDGER_COLUMNS, LIST_SEPARATOR, SUGGESTED_TEXT, type LedgerColumn } from './ledger';
import { PROJECT_CATEGORIES, PROJECT_COLUMNS, PROJECT_STAGES, SOURCE_LABELS, type Project, type ProjectColumn } from './projects';

/** Which ledger a file is: the 任务分工台账 (measures) or the 重点建设项目台账 (projects). */
export type LedgerKind = 'measures' | 'projects';
export const LEDGER_KINDS = ['measures', 'projects'] as const;

/** The ledger columns a department may change, named by their LEDGER_COLUMNS key. */
export type LedgerField = 'lead' | 'co' | 'cities' | 'deadline' | 'status' | 'progress' | 'note';

/** The project ledger columns a department may change, named by their PROJECT_COLUMNS key. */
export type ProjectField =
  | 'name'
  | 'category'
  | 'cities'
  | 'location'
  | 'lead'
  | 'stage'
  | 'startYear'
  | 'endYear'
  | 'totalInvestment'
  | 'yearPlanned'
  | 'yearCompleted'
  | 'progressText'
  | 'problems';

/** A field of either ledger. */
export type ImportField = LedgerField | ProjectField;

/** A field's value in canonical form: department id(s), city list, ISO date, status or text. */
export type FieldValue = number | null | number[] | City[] | string;

export interface FieldChange {
  field: ImportField;
  /** the column header, e.g. 完成时限 */
  header: string;
  /** display text: this database now (for a conflict: the value at export, the common base) */
  old: string;
  /** display text: what the returned ledger says */
  new: string;
  /** conflicts only: display text of this database now, changed here since the export */
  ours?: string;
  /** canonical value the ledger asks for (what "take" writes) */
  value: FieldValue;
  /** canonical value this database held when previewing; applying refuses if it changed since */
  dbValue: FieldValue;
}

export interface ImportRowChange {
  /** the row's id: a measure id (4.1.1.3), or for a project ledger a project id (P001, U001) */
  rowId: string;
  /** row number in the sheet (1-based, as Excel shows it) */
  row: number;
  /** the measure's text, for showing the person what the row is */
  text: string;
  changes: FieldChange[];
}

export interface ImportConflict {
  /** the row's id: a measure id, or for a project ledger a project id */
  rowId: string;
  row: number;
  text: string;
  /** each with old = value at export, new = ledger, ours = this database now */
  fields: FieldChange[];
}

export interface ImportCellError {
  row: number;
  /** the column header, e.g. 牵头单位 */
  column: string;
  message: string;
  /** cell address, e.g. F7 */
  cell?: string;
  /** for unknown department names: likely meant departments */
  suggestions?: string[];
  /** for unknown department names: the name as compared, which a department can be chosen for (import.preview's deptMap) */
  deptName?: string;
}

export interface ImportSummary {
  /** measures with at least one change to write */
  changed: number;
  /** measures in the ledger with nothing to write */
  unchanged: number;
  /** measures with at least one conflicting field */
  conflicts: number;
  unknownIds: string[];
  /** rows refused because the ledger was not exported for them (its _meta scope) */
  outOfScope?: string[];
  errors: { row: number; column: string; message: string }[];
}

export interface LedgerScope {
  deptId?: number;
  deptName?: string;
  city?: City;
  chapter?: number;
}

export interface LedgerMetaInfo {
  format: string;
  /** measures or projects (older measure ledgers have no kind row: measures) */
  kind?: LedgerKind;
  /** project ledgers: the year of 年度计划投资 / 本年完成投资 */
  year?: number;
  version: string;
  exportedAt: string;
  scope: LedgerScope;
  scopeLabel: string;
  ids: string[];
}

export interface ImportPreview {
  kind: 'czt-ledger-import-preview';
  /** which ledger the file is, from its _meta sheet or its header set */
  ledgerKind: LedgerKind;
  /** project ledgers: the year the 年度计划投资 / 本年完成投资 columns refer to */
  year?: number;
  /** rows with content but no id (e.g. a project a department added): reported, never created */
  newRows: { row: number; text: string }[];
  fileName: string;
  /** what the file really is, judged by its content: xlsx, xls, ods, csv … */
  fileType: string;
  sheet: string;
  headerRow: number;
  /** three-way: the ledger's hidden _meta base was found; two-way: compared with this database only */
  mode: 'three-way' | 'two-way';
  meta: LedgerMetaInfo | null;
  /** the ledger columns found, with the header as written in the file */
  columns: { field: string; header: string; found: string; cell: string }[];
  /** ledger columns the file does not have (their fields are left alone) */
  missingColumns: string[];
  /** columns in the file that are not ledger columns (ignored) */
  ignoredColumns: string[];
  /** data rows with an 编号 */
  rows: number;
  changes: ImportRowChange[];
  conflicts: ImportConflict[];
  unknownIds: string[];
  /** ids in the scope at export that the returned ledger no longer has (nothing is deleted) */
  dropped: string[];
  /** rows the ledger was not exported for (outside the scope its _meta records): refused, never applied */
  outOfScope: { row: number; id: string; reason: string }[];
  /** blocking: with any error, applying refuses and nothing is written */
  errors: ImportCellError[];
  /** not blocking: things the person should know (two-way diff, 长期坚持, ignored rows …) */
  warnings: string[];
  summary: ImportSummary;
}

/** the preview's fields that may be long (10,000 changes): sent apart, in pieces (shared/ipc/json-text.ts) */
export const PREVIEW_ARRAYS = ['changes', 'conflicts', 'errors', 'newRows', 'unknownIds', 'dropped', 'outOfScope'] as const satisfies readonly (keyof ImportPreview)[];

export interface ImportChoices {
  /** what to do with a field both sides changed: keep this database's value, or take the ledger's */
  onConflict: 'keep' | 'take';
  /** per measure, per field overrides of onConflict */
  perField?: Record<string, Record<string, 'keep' | 'take'>>;
}

// ---- schemas for the IPC contract (applyImport's input comes back from the renderer)

const fieldValueSchema = z.union([
  z.number().finite(),
  z.null(),
  z.array(z.number().int()).max(200),
  z.array(z.enum(CITIES)).max(3),
  z.string().max(20000),
]);
export const ledgerFieldSchema = z.enum(['lead', 'co', 'cities', 'deadline', 'status', 'progress', 'note']);
export const projectFieldSchema = z.enum([
  'name',
  'category',
  'cities',
  'location',
  'lead',
  'stage',
  'startYear',
  'endYear',
  'totalInvestment',
  'yearPlanned',
  'yearCompleted',
  'progressText',
  'problems',
]);
const fieldChangeSchema = z.object({
  field: z.union([ledgerFieldSchema, projectFieldSchema]),
  header: z.string().max(100),
  old: z.string().max(40000),
  new: z.string().max(40000),
  ours: z.string().max(40000).optional(),
  value: fieldValueSchema,
  dbValue: fieldValueSchema,
});
const rowIdSchema = z.string().regex(/^(\d+\.\d+\.\d+\.\d+|[PU]\d{3,})$/);
export const importPreviewSchema = z
  .object({
    kind: z.literal('czt-ledger-import-preview'),
    /** absent in previews made before project ledgers existed: measures */
    ledgerKind: z.enum(LEDGER_KINDS).optional(),
    year: z.number().int().min(1990).max(2100).optional(),
    changes: z
      .array(z.object({ rowId: rowIdSchema, row: z.number(), text: z.string(), changes: z.array(fieldChangeSchema).max(20) }).passthrough())
      .max(200000),
    conflicts: z
      .array(z.object({ rowId: rowIdSchema, row: z.number(), text: z.string(), fields: z.array(fieldChangeSchema).max(20) }).passthrough())
      .max(200000),
    unknownIds: z.array(z.string()),
    errors: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() }).passthrough()),
    summary: z.object({}).passthrough(),
  })
  .passthrough();
export const importChoicesSchema = z
  .object({
    onConflict: z.enum(['keep', 'take']),
    perField: z.record(z.string(), z.record(z.string(), z.enum(['keep', 'take']))).optional(),
  })
  .strict();

// ---- ledger cells, the same text the export writes and the import compares

/** The patch field a ledger column writes (derived from its type). */
export function patchKeyOf(col: LedgerColumn): 'leadIds' | 'coIds' | 'cities' | 'deadline' | 'status' | 'progress' | 'note' | null {
  if (!col.editable) return null;
  switch (col.type) {
    case 'leads':
      return 'leadIds';
    case 'depts':
      return 'coIds';
    case 'cities':
      return 'cities';
    case 'date':
      return 'deadline';
    case 'status':
      return 'status';
    default:
      return col.key === 'progress' || col.key === 'note' ? col.key : null;
  }
}

export const EDITABLE_COLUMNS = LEDGER_COLUMNS.filter((c) => patchKeyOf(c) !== null);

/**
 * A lead list as a ledger's _meta base recorded it: a list, or from a ledger exported before
 * joint leads one department id (or null).
 */
export function leadListOf(v: FieldValue | undefined): number[] {
  if (Array.isArray(v)) return (v as unknown[]).filter((x): x is number => typeof x === 'number');
  return typeof v === 'number' ? [v] : [];
}

/** Canonical value of an editable column in a measure row. */
export function fieldValueOf(col: LedgerColumn, m: Pick<MeasureRow, 'leadIds' | 'coIds' | 'cities' | 'deadline' | 'status' | 'progress' | 'note'>): FieldValue {
  switch (patchKeyOf(col)) {
    case 'leadIds':
      return [...m.leadIds];
    case 'coIds':
      return [...m.coIds];
    case 'cities':
      return [...m.cities];
    case 'deadline':
      return m.deadline;
    case 'status':
      return m.status;
    case 'progress':
      return m.progress;
    case 'note':
      return m.note;
    default:
      return null;
  }
}

/** Display text of a canonical value. */
export function fieldText(col: LedgerColumn, v: FieldValue, deptName: (id: number) => string): string {
  if (v === null) return '';
  if ((col.type === 'dept' || col.type === 'leads') && typeof v === 'number') return deptName(v);
  if (Array.isArray(v)) return col.type === 'depts' || col.type === 'leads' ? (v as number[]).map(deptName).join(LIST_SEPARATOR) : v.join(LIST_SEPARATOR);
  return String(v);
}

/** The text of one ledger cell for a measure (like the grid shows it). */
export function ledgerCellText(col: LedgerColumn, m: MeasureRow, deptName: (id: number) => string): string {
  switch (col.key) {
    case 'id':
      return m.id;
    case 'chapter':
      return `${chapterLabel(m.chapterNo)} ${m.chapterTitle}`;
    case 'section':
      return `${sectionLabel(m.sectionNo)} ${m.sectionTitle}`;
    case 'task':
      return m.taskTitle;
    case 'text':
      // a ledger quotes the plan: evident misprints corrected, with a note (shared/corrections.ts)
      return correctedWithNote(m.text);
    case 'leadConfirmed':
      return m.leadId === null ? '' : m.leadConfirmed ? CONFIRMED_TEXT : SUGGESTED_TEXT;
    default:
      return patchKeyOf(col) ? fieldText(col, fieldValueOf(col, m), deptName) : String((m as unknown as Record<string, unknown>)[col.key] ?? '');
  }
}

export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}

// ---- project ledger cells (重点建设项目台账), from PROJECT_COLUMNS

/** The project columns a department may change and the import writes. */
export const PROJECT_EDITABLE_COLUMNS: readonly ProjectColumn[] = PROJECT_COLUMNS.filter((c) => c.editable);

export function isProjectField(s: unknown): s is ProjectField {
  return typeof s === 'string' && PROJECT_EDITABLE_COLUMNS.some((c) => c.key === s);
}

/** Canonical value of an editable project column. */
export function projectFieldValueOf(col: ProjectColumn, p: Project): FieldValue {
  switch (col.key) {
    case 'lead':
      return p.leadId;
    case 'cities':
      return [...p.cities];
    case 'name':
    case 'category':
    case 'stage':
    case 'location':
    case 'progressText':
    case 'problems':
      return String(p[col.key] ?? '');
    case 'startYear':
    case 'endYear':
    case 'totalInvestment':
    case 'yearPlanned':
    case 'yearCompleted':
      return p[col.key] ?? null;
    default:
      return null;
  }
}

/** Display text of a canonical project value (money with up to 4 decimals, no trailing zeros). */
export function projectFieldText(col: ProjectColumn, v: FieldValue, deptName: (id: number) => string): string {
  if (v === null) return '';
  if (col.type === 'dept' && typeof v === 'number') return deptName(v);
  if (Array.isArray(v)) return v.join(LIST_SEPARATOR);
  if (typeof v === 'number') return col.type === 'money' ? String(Math.round(v * 10000) / 10000) : String(v);
  return String(v);
}

/** The value of one project ledger cell: numbers stay numbers (years, 亿元), the rest is text. */
export function projectCellValue(col: ProjectColumn, p: Project, deptName: (id: number) => string): string | number {
  switch (col.key) {
    case 'id':
      return p.id;
    case 'lead':
      return p.leadId === null ? '' : deptName(p.leadId);
    case 'cities':
      return p.cities.join(LIST_SEPARATOR);
    case 'task':
      return p.taskId ? `${p.taskId} ${p.taskTitle ?? ''}`.trim() : '';
    case 'quote':
      return p.quote ?? '';
    case 'source':
      return SOURCE_LABELS[p.source];
    case 'completedTotal':
      return p.yearPlans.some((y) => y.completed !== null) ? p.completedTotal : '';
    default: {
      const v = (p as unknown as Record<string, unknown>)[col.key];
      if (v === null || v === undefined) return '';
      return typeof v === 'number' ? v : String(v);
    }
  }
}

export function isProjectCategory(s: unknown): s is Project['category'] {
  return typeof s === 'string' && (PROJECT_CATEGORIES as readonly string[]).includes(s);
}

export function isProjectStage(s: unknown): s is Project['stage'] {
  return typeof s === 'string' && (PROJECT_STAGES as readonly string[]).includes(s);
}
