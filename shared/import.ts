// Types of the 导入台账 preview and result, shared by the main side, the IPC contract and the UI.
// Everything here is plain JSON so that a preview can cross IPC and come back for applying.
import { z } from 'zod';
import { CITIES, STATUSES, chapterLabel, sectionLabel, type City, type MeasureRow, type Status } from './domain';
import { LEDGER_COLUMNS, LIST_SEPARATOR, type LedgerColumn } from './ledger';

/** The ledger columns a department may change, named by their LEDGER_COLUMNS key. */
export type LedgerField = 'lead' | 'co' | 'cities' | 'deadline' | 'status' | 'progress' | 'note';

/** A field's value in canonical form: department id(s), city list, ISO date, status or text. */
export type FieldValue = number | null | number[] | City[] | string;

export interface FieldChange {
  field: LedgerField;
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
  measureId: string;
  /** row number in the sheet (1-based, as Excel shows it) */
  row: number;
  /** the measure's text, for showing the person what the row is */
  text: string;
  changes: FieldChange[];
}

export interface ImportConflict {
  measureId: string;
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
}

export interface ImportSummary {
  /** measures with at least one change to write */
  changed: number;
  /** measures in the ledger with nothing to write */
  unchanged: number;
  /** measures with at least one conflicting field */
  conflicts: number;
  unknownIds: string[];
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
  version: string;
  exportedAt: string;
  scope: LedgerScope;
  scopeLabel: string;
  ids: string[];
}

export interface ImportPreview {
  kind: 'czt-ledger-import-preview';
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
  /** blocking: with any error, applying refuses and nothing is written */
  errors: ImportCellError[];
  /** not blocking: things the person should know (two-way diff, 长期坚持, ignored rows …) */
  warnings: string[];
  summary: ImportSummary;
}

export interface ImportChoices {
  /** what to do with a field both sides changed: keep this database's value, or take the ledger's */
  onConflict: 'keep' | 'take';
  /** per measure, per field overrides of onConflict */
  perField?: Record<string, Record<string, 'keep' | 'take'>>;
}

// ---- schemas for the IPC contract (applyImport's input comes back from the renderer)

const fieldValueSchema = z.union([
  z.number().int(),
  z.null(),
  z.array(z.number().int()).max(200),
  z.array(z.enum(CITIES)).max(3),
  z.string().max(20000),
]);
export const ledgerFieldSchema = z.enum(['lead', 'co', 'cities', 'deadline', 'status', 'progress', 'note']);
const fieldChangeSchema = z.object({
  field: ledgerFieldSchema,
  header: z.string().max(100),
  old: z.string().max(40000),
  new: z.string().max(40000),
  ours: z.string().max(40000).optional(),
  value: fieldValueSchema,
  dbValue: fieldValueSchema,
});
const measureIdSchema = z.string().regex(/^\d+\.\d+\.\d+\.\d+$/);
export const importPreviewSchema = z
  .object({
    kind: z.literal('czt-ledger-import-preview'),
    changes: z
      .array(z.object({ measureId: measureIdSchema, row: z.number(), text: z.string(), changes: z.array(fieldChangeSchema).max(10) }).passthrough())
      .max(200000),
    conflicts: z
      .array(z.object({ measureId: measureIdSchema, row: z.number(), text: z.string(), fields: z.array(fieldChangeSchema).max(10) }).passthrough())
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
export function patchKeyOf(col: LedgerColumn): 'leadId' | 'coIds' | 'cities' | 'deadline' | 'status' | 'progress' | 'note' | null {
  if (!col.editable) return null;
  switch (col.type) {
    case 'dept':
      return 'leadId';
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

/** Canonical value of an editable column in a measure row. */
export function fieldValueOf(col: LedgerColumn, m: MeasureRow): FieldValue {
  switch (patchKeyOf(col)) {
    case 'leadId':
      return m.leadId;
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
  if (col.type === 'dept' && typeof v === 'number') return deptName(v);
  if (Array.isArray(v)) return col.type === 'depts' ? (v as number[]).map(deptName).join(LIST_SEPARATOR) : v.join(LIST_SEPARATOR);
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
      return m.text;
    default:
      return patchKeyOf(col) ? fieldText(col, fieldValueOf(col, m), deptName) : String((m as unknown as Record<string, unknown>)[col.key] ?? '');
  }
}

export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}
