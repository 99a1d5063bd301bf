// The one styled, print-ready ledger writer (exceljs writes it), driven by a column list.
// The 任务分工台账 (ledger.ts), the 重点建设项目台账 (projects.ts) and the 目标指标表
// (indicators.ts) are all made here: title row, note row, bold framed header, wrapped text,
// widths from the column list, frozen header, landscape A4 with the title rows repeated,
// drop-downs, the id column locked (no password), and the hidden helper sheets _lists
// (department names for the 牵头单位 drop-down) and _meta (version, time, scope and each row's
// values at export: the base of the import's three-way merge). Helper sheets are veryHidden.
import ExcelJS from 'exceljs';

export const META_SHEET = '_meta';
export const LISTS_SHEET = '_lists';
/** Rows above the header: the title and the note. */
export const TITLE_ROWS = 2;
export const HEADER_ROW = TITLE_ROWS + 1;
/** The sheet protection has no password: it guards the id column against slips, not people. */
export const PROTECTION_PASSWORD = '';

export const FONT = '宋体';
export const HEAD_FONT = '黑体';
export const TITLE_FONT = '方正小标宋简体';
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** A drop-down: an inline list of values, or the active departments on the hidden _lists sheet. */
export interface ListValidation {
  /** inline values; omitted: the department list on _lists */
  values?: readonly string[];
  allowBlank: boolean;
  /** stop: only the listed values; warning: other text allowed after a warning */
  errorStyle: 'stop' | 'warning';
  title: string;
  error: string;
  prompt?: string;
}

export interface WriterColumn {
  header: string;
  /** width in characters */
  width: number;
  /** blue header for columns people fill in, grey for read-only ones */
  editable: boolean;
  /** locked under the sheet protection (the id column); all other cells stay editable */
  locked?: boolean;
  align?: 'left' | 'center' | 'right';
  /** grey data cells (the id column) */
  shaded?: boolean;
  /** number format of number cells, e.g. 0.00 */
  numFmt?: string;
  list?: ListValidation;
  /** a fill for a data cell by its value (e.g. a status), ARGB */
  fillOf?: (v: string | number) => string | undefined;
}

/** A cell is a string or a number, never a formula, rich text or hyperlink. */
export type CellOut = string | number | null | undefined;

export interface LedgerWorkbookSpec {
  sheetName: string;
  /** workbook property */
  workbookTitle: string;
  /** row 1, merged over all columns */
  title: string;
  /** row 2, merged: export time, count, how to fill in */
  note: string;
  columns: readonly WriterColumn[];
  rows: readonly (readonly CellOut[])[];
  /** columns frozen at the left (besides the header rows) */
  freezeCols: number;
  tabColor?: string;
  /** lock the locked columns (no password); a report may stay unprotected */
  protect: boolean;
  /** active department names: written to _lists for department drop-downs */
  deptNames?: readonly string[];
  /** key/value rows of _meta, then (if given) the base table */
  meta?: {
    kv: [string, string][];
    base?: { header: string[]; rows: string[][] };
  };
  now: Date;
  /** rows below the data that get the drop-downs too, for rows people add (default 50) */
  spareRows?: number;
}

export function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Width of text in Excel character units: CJK and full-width characters count nearly two. */
export function textUnits(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u2E80-\uFFEF]/.test(ch) ? 1.75 : 1;
  return n;
}

/** Lines a wrapped cell needs at this column width. */
export function linesFor(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  return text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(textUnits(line) / usable)), 0);
}

/** Only strings and finite numbers reach a cell: never a formula, a rich-text object or a hyperlink. */
export function safeValue(v: CellOut): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? v : '';
  return typeof v === 'string' ? v : String(v);
}

export function dateStamp(d: Date): string {
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

export function fileSafe(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '');
}

export function pairs(xs: readonly string[], sep: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push(xs[i] + sep + xs[j]);
  return out;
}

const displayText = (v: CellOut, numFmt?: string): string => {
  const s = safeValue(v);
  if (typeof s === 'number') return numFmt === '0.00' ? s.toFixed(2) : String(s);
  return s;
};

export async function writeLedgerWorkbook(spec: LedgerWorkbookSpec): Promise<Buffer> {
  const { columns, rows, now } = spec;
  const wb = new ExcelJS.Workbook();
  wb.creator = '长株潭规划工作台';
  wb.lastModifiedBy = '长株潭规划工作台';
  wb.created = now;
  wb.modified = now;
  wb.title = spec.workbookTitle;

  const ncol = columns.length;
  const lastCol = colLetter(ncol);
  const fc = spec.freezeCols;
  const ws = wb.addWorksheet(spec.sheetName, {
    properties: { tabColor: { argb: spec.tabColor ?? 'FF1F4E79' }, defaultRowHeight: 18 },
    views: [
      {
        state: 'frozen',
        xSplit: fc,
        ySplit: HEADER_ROW,
        topLeftCell: `${colLetter(fc + 1)}${HEADER_ROW + 1}`,
        activeCell: `${colLetter(fc + 1)}${HEADER_ROW + 1}`,
        zoomScale: 100,
      },
    ],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `1:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.55, bottom: 0.55, header: 0.25, footer: 0.25 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });

  // column widths from the column list; every column but the locked ones unlocked, also spare ones
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    col.protection = { locked: !!c.locked };
  });
  for (let i = ncol + 1; i <= ncol + 10; i++) ws.getColumn(i).protection = { locked: false };

  // title
  ws.mergeCells(`A1:${lastCol}1`);
  const t = ws.getCell('A1');
  t.value = spec.title;
  t.font = { name: TITLE_FONT, size: 18, bold: true };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 36;

  // note
  ws.mergeCells(`A2:${lastCol}2`);
  const n = ws.getCell('A2');
  n.value = spec.note;
  n.font = { name: FONT, size: 10, color: { argb: 'FF404040' } };
  n.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  ws.getRow(2).height = Math.max(30, 14 * linesFor(spec.note, columns.reduce((s, c) => s + c.width, 0)) + 6);

  // header
  const head = ws.getRow(HEADER_ROW);
  let headLines = 1;
  columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: HEAD_FONT, size: 11, bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.editable ? 'FFDDEBF7' : 'FFE7E6E6' } };
    cell.border = { top: { style: 'medium' }, left: THIN, bottom: { style: 'medium' }, right: THIN };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.protection = { locked: !!c.locked };
    headLines = Math.max(headLines, linesFor(c.header, c.width * 0.95));
  });
  head.height = Math.max(24, headLines * 15 + 6);

  // data
  rows.forEach((values, r) => {
    const row = ws.getRow(HEADER_ROW + 1 + r);
    let lines = 1;
    columns.forEach((c, i) => {
      const v = safeValue(values[i]);
      const cell = row.getCell(i + 1);
      cell.value = v;
      cell.font = { name: FONT, size: 10 };
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', horizontal: c.align ?? 'left', wrapText: true };
      if (typeof v === 'number' && c.numFmt) cell.numFmt = c.numFmt;
      cell.protection = { locked: !!c.locked };
      const fill = c.shaded ? 'FFF2F2F2' : c.fillOf?.(v);
      if (fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      lines = Math.max(lines, linesFor(displayText(values[i], c.numFmt), c.width));
    });
    row.height = Math.min(409, Math.max(20, lines * 13.5 + 6));
  });

  const first = HEADER_ROW + 1;
  // drop-downs reach some rows below the data, for rows people add
  const last = HEADER_ROW + Math.max(rows.length, 1) + (spec.spareRows ?? 50);

  // hidden list of the active departments (too long for an inline list)
  const deptNames = spec.deptNames ?? [];
  if (spec.deptNames) {
    const lists = wb.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });
    deptNames.forEach((name, i) => (lists.getCell(i + 1, 1).value = name));
    lists.getCell(1, 2).value = '用于“牵头单位”下拉列表的在用单位名称';
  }

  // exceljs has worksheet.dataValidations (a range key is written as one sqref) but does not type it
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  columns.forEach((c, i) => {
    const l = c.list;
    if (!l) return;
    const letter = colLetter(i + 1);
    const formula = l.values ? `"${l.values.join(',')}"` : `'${LISTS_SHEET}'!$A$1:$A$${Math.max(1, deptNames.length)}`;
    validations.add(`${letter}${first}:${letter}${last}`, {
      type: 'list',
      allowBlank: l.allowBlank,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: l.errorStyle,
      errorTitle: l.title,
      error: l.error,
      ...(l.prompt ? { showInputMessage: true, promptTitle: l.title, prompt: l.prompt } : {}),
    });
  });

  if (spec.protect) {
    // the locked column(s) locked, everything else editable; no password (see PROTECTION_PASSWORD)
    await ws.protect(PROTECTION_PASSWORD, {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatCells: true,
      formatColumns: true,
      formatRows: true,
      insertRows: true,
      insertColumns: true,
      deleteRows: true,
      sort: true,
      autoFilter: true,
    });
  }

  if (spec.meta) {
    const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
    const kv = spec.meta.kv;
    kv.forEach(([k, v], i) => {
      meta.getCell(i + 1, 1).value = k;
      meta.getCell(i + 1, 2).value = v;
    });
    const base = spec.meta.base;
    if (base) {
      const start = kv.length + 2;
      base.header.forEach((h, i) => (meta.getCell(start, i + 1).value = h));
      // string cells only (JSON text for typed values), never a formula
      base.rows.forEach((r, ri) => r.forEach((v, ci) => (meta.getCell(start + 1 + ri, ci + 1).value = v)));
    }
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}
