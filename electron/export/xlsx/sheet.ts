// The one styled, print-ready ledger writer (exceljs writes it), driven by a column list.
// The 任务分工台账 (ledger.ts), the 重点建设项目台账 (projects.ts) and the 目标指标表
// (indicators.ts) are all made here: title row, note row, bold framed header, wrapped text,
// widths from the column list, frozen header, landscape A4 with the title rows repeated,
// drop-downs, the id column locked (no password), and the hidden helper sheets _lists
// (department names for the 牵头单位 drop-down) and _meta (version, time, scope and each row's
// values at export: the base of the import's three-way merge). Helper sheets are veryHidden.
import ExcelJS from 'exceljs';
import zlib from 'node:zlib';
import { exportProgress } from '../progress';

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
  // per UTF-16 unit rather than a regex per code point (measured: the row heights of a
  // 100,000-row ledger took seconds); a surrogate pair is one code point outside the range
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        n += 1;
        continue;
      }
    }
    n += c >= 0x2e80 && c <= 0xffef ? 1.75 : 1;
  }
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

/**
 * The previous writer (exceljs, whole workbook in memory). Kept for the benchmark's before/after
 * column and as a reference; writeLedgerWorkbook writes the same workbook directly (xlsx-direct.ts).
 */
export async function writeLedgerWorkbookExcelJs(spec: LedgerWorkbookSpec): Promise<Buffer> {
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

/** The styled, print-ready workbook (see the top of this file), written directly as SpreadsheetML. */
export async function writeLedgerWorkbook(spec: LedgerWorkbookSpec): Promise<Buffer> {
  return writeLedgerWorkbookDirect(spec);
}

// ---------------------------------------------------------------- the direct writer
//
// Measured (docs/bench.md): exceljs took ~10 s and ~1 GB for a 10,000-row ledger (a style object
// per cell, its JS deflate, the whole XML as one string), so 100,000 rows were out of reach.
// This writes the same parts (styles, shared strings, frozen panes, print titles, page set-up,
// drop-downs, protection without password, veryHidden helper sheets, document properties) as
// XML text, one row at a time into buffers, and zips them with Node's native zlib.

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const INVALID_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/g;
const XML_SPECIAL = /[&<>"]/;

function esc(s: string): string {
  if (INVALID_XML.test(s)) s = s.replace(INVALID_XML, '');
  INVALID_XML.lastIndex = 0;
  if (!XML_SPECIAL.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

class SharedStrings {
  private index = new Map<string, number>();
  private parts: string[] = [];
  count = 0;
  id(s: string): number {
    this.count++;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.parts.length;
      this.index.set(s, i);
      const e = esc(s);
      this.parts.push(/^\s|\s$/.test(e) ? `<si><t xml:space="preserve">${e}</t></si>` : `<si><t>${e}</t></si>`);
    }
    return i;
  }
  xml(): Buffer[] {
    const out = [Buffer.from(`${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.parts.length}">`)];
    for (let i = 0; i < this.parts.length; i += 5000) out.push(Buffer.from(this.parts.slice(i, i + 5000).join('')));
    out.push(Buffer.from('</sst>'));
    return out;
  }
}

interface XfSpec {
  font?: string;
  fill?: string;
  border?: string;
  numFmt?: string;
  align?: { h?: string; v?: string; wrap?: boolean };
  locked: boolean;
}

class Styles {
  private fonts = ['<font><sz val="11"/><name val="宋体"/><family val="2"/></font>'];
  private fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
  private borders = ['<border><left/><right/><top/><bottom/><diagonal/></border>'];
  private numFmts: string[] = [];
  private xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private xfIndex = new Map<string, number>();
  private at(list: string[], x: string): number {
    const i = list.indexOf(x);
    if (i >= 0) return i;
    list.push(x);
    return list.length - 1;
  }
  font(name: string, size: number, bold = false, argb?: string): string {
    return `<font>${bold ? '<b/>' : ''}<sz val="${size}"/>${argb ? `<color rgb="${argb}"/>` : ''}<name val="${esc(name)}"/><family val="2"/></font>`;
  }
  fill(argb: string): string {
    return `<fill><patternFill patternType="solid"><fgColor rgb="${argb}"/></patternFill></fill>`;
  }
  xf(x: XfSpec): number {
    const key = JSON.stringify(x);
    const known = this.xfIndex.get(key);
    if (known !== undefined) return known;
    const fontId = x.font ? this.at(this.fonts, x.font) : 0;
    const fillId = x.fill ? this.at(this.fills, x.fill) : 0;
    const borderId = x.border ? this.at(this.borders, x.border) : 0;
    let numFmtId = 0;
    if (x.numFmt === '0') numFmtId = 1;
    else if (x.numFmt === '0.00') numFmtId = 2;
    else if (x.numFmt) numFmtId = 164 + this.at(this.numFmts, x.numFmt);
    const a = x.align;
    const align = a
      ? `<alignment${a.h ? ` horizontal="${a.h}"` : ''}${a.v ? ` vertical="${a.v}"` : ''}${a.wrap ? ' wrapText="1"' : ''}/>`
      : '';
    const prot = `<protection locked="${x.locked ? 1 : 0}"/>`;
    const applies =
      `${fontId ? ' applyFont="1"' : ''}${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''}` +
      `${numFmtId ? ' applyNumberFormat="1"' : ''}${align ? ' applyAlignment="1"' : ''} applyProtection="1"`;
    this.xfs.push(`<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${applies}>${align}${prot}</xf>`);
    this.xfIndex.set(key, this.xfs.length - 1);
    return this.xfs.length - 1;
  }
  xml(): string {
    const nf = this.numFmts.length
      ? `<numFmts count="${this.numFmts.length}">${this.numFmts.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${esc(f)}"/>`).join('')}</numFmts>`
      : '';
    return (
      `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">${nf}` +
      `<fonts count="${this.fonts.length}">${this.fonts.join('')}</fonts>` +
      `<fills count="${this.fills.length}">${this.fills.join('')}</fills>` +
      `<borders count="${this.borders.length}">${this.borders.join('')}</borders>` +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    );
  }
}

function borderXml(top: string, left: string, bottom: string, right: string): string {
  const e = (side: string, style: string) =>
    style === 'medium' ? `<${side} style="medium"/>` : `<${side} style="${style}"><color rgb="FF000000"/></${side}>`;
  return `<border>${e('left', left)}${e('right', right)}${e('top', top)}${e('bottom', bottom)}<diagonal/></border>`;
}

/** Collects a part's XML as buffers of ~1 MB, so that no single huge string is built. */
class Chunks {
  private parts: string[] = [];
  private size = 0;
  readonly out: Buffer[] = [];
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 19) this.flush();
  }
  flush(): void {
    if (this.parts.length) this.out.push(Buffer.from(this.parts.join('')));
    this.parts = [];
    this.size = 0;
  }
}

function plainSheet(cells: (string | null)[][], sst: SharedStrings): Buffer[] {
  const c = new Chunks();
  c.push(`${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetData>`);
  cells.forEach((row, r) => {
    let x = `<row r="${r + 1}">`;
    row.forEach((v, ci) => {
      if (v === null || v === undefined) return;
      x += `<c r="${colLetter(ci + 1)}${r + 1}" t="s"><v>${sst.id(v)}</v></c>`;
    });
    c.push(x + '</row>');
  });
  c.push('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
  c.flush();
  return c.out;
}

export async function writeLedgerWorkbookDirect(spec: LedgerWorkbookSpec): Promise<Buffer> {
  const { columns, rows, now } = spec;
  const sst = new SharedStrings();
  const st = new Styles();
  const ncol = columns.length;
  const lastCol = colLetter(ncol);
  const fc = spec.freezeCols;
  const letters = columns.map((_, i) => colLetter(i + 1));
  const thin = borderXml('thin', 'thin', 'thin', 'thin');
  const headBorder = borderXml('medium', 'thin', 'medium', 'thin');

  const titleXf = st.xf({ font: st.font(TITLE_FONT, 18, true), align: { h: 'center', v: 'middle' }, locked: true });
  const noteXf = st.xf({ font: st.font(FONT, 10, false, 'FF404040'), align: { h: 'left', v: 'middle', wrap: true }, locked: true });
  const colXf = columns.map((c) => st.xf({ locked: !!c.locked }));
  const spareXf = st.xf({ locked: false });
  const headXf = columns.map((c) =>
    st.xf({
      font: st.font(HEAD_FONT, 11, true),
      fill: st.fill(c.editable ? 'FFDDEBF7' : 'FFE7E6E6'),
      border: headBorder,
      align: { h: 'center', v: 'middle', wrap: true },
      locked: !!c.locked,
    }),
  );
  const dataFont = st.font(FONT, 10);
  const dataXf = (c: WriterColumn, v: string | number): number => {
    const fill = c.shaded ? 'FFF2F2F2' : c.fillOf?.(v);
    return st.xf({
      font: dataFont,
      fill: fill ? st.fill(fill) : undefined,
      border: thin,
      numFmt: typeof v === 'number' && c.numFmt ? c.numFmt : undefined,
      align: { h: c.align ?? 'left', v: 'middle', wrap: true },
      locked: !!c.locked,
    });
  };
  // the common case (no fill by value, a string) once per column
  const plainXf = columns.map((c) => (c.fillOf ? -1 : dataXf(c, '')));

  const lastRow = HEADER_ROW + rows.length;
  const ws = new Chunks();
  const topLeft = `${colLetter(fc + 1)}${HEADER_ROW + 1}`;
  const pane =
    fc > 0
      ? `<pane xSplit="${fc}" ySplit="${HEADER_ROW}" topLeftCell="${topLeft}" activePane="bottomRight" state="frozen"/><selection pane="topRight"/><selection pane="bottomLeft"/><selection pane="bottomRight" activeCell="${topLeft}" sqref="${topLeft}"/>`
      : `<pane ySplit="${HEADER_ROW}" topLeftCell="${topLeft}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${topLeft}" sqref="${topLeft}"/>`;
  ws.push(
    `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      `<sheetPr><tabColor rgb="${spec.tabColor ?? 'FF1F4E79'}"/><pageSetUpPr fitToPage="1"/></sheetPr>` +
      `<dimension ref="A1:${lastCol}${Math.max(lastRow, HEADER_ROW)}"/>` +
      `<sheetViews><sheetView workbookViewId="0" zoomScale="100" zoomScaleNormal="100">${pane}</sheetView></sheetViews>` +
      '<sheetFormatPr defaultRowHeight="18" customHeight="1"/><cols>' +
      columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" style="${colXf[i]}" customWidth="1"/>`).join('') +
      `<col min="${ncol + 1}" max="${ncol + 10}" width="9" style="${spareXf}"/></cols><sheetData>`,
  );
  // title and note (merged over all columns)
  ws.push(`<row r="1" ht="36" customHeight="1"><c r="A1" s="${titleXf}" t="s"><v>${sst.id(spec.title)}</v></c></row>`);
  const noteHt = Math.max(30, 14 * linesFor(spec.note, columns.reduce((s, c) => s + c.width, 0)) + 6);
  ws.push(`<row r="2" ht="${noteHt}" customHeight="1"><c r="A2" s="${noteXf}" t="s"><v>${sst.id(spec.note)}</v></c></row>`);
  let headLines = 1;
  for (const c of columns) headLines = Math.max(headLines, linesFor(c.header, c.width * 0.95));
  let head = `<row r="${HEADER_ROW}" ht="${Math.max(24, headLines * 15 + 6)}" customHeight="1">`;
  columns.forEach((c, i) => (head += `<c r="${letters[i]}${HEADER_ROW}" s="${headXf[i]}" t="s"><v>${sst.id(c.header)}</v></c>`));
  ws.push(head + '</row>');

  for (let r = 0; r < rows.length; r++) {
    if ((r & 2047) === 0) exportProgress('rows', r, rows.length);
    const values = rows[r];
    const rn = HEADER_ROW + 1 + r;
    let lines = 1;
    let cells = '';
    for (let i = 0; i < ncol; i++) {
      const c = columns[i];
      const v = safeValue(values[i]);
      const s = typeof v === 'string' && plainXf[i] >= 0 ? plainXf[i] : dataXf(c, v);
      if (typeof v === 'number') cells += `<c r="${letters[i]}${rn}" s="${s}"><v>${v}</v></c>`;
      else cells += `<c r="${letters[i]}${rn}" s="${s}" t="s"><v>${sst.id(v)}</v></c>`;
      const l = linesFor(displayText(values[i], c.numFmt), c.width);
      if (l > lines) lines = l;
    }
    ws.push(`<row r="${rn}" ht="${Math.min(409, Math.max(20, lines * 13.5 + 6))}" customHeight="1">${cells}</row>`);
  }
  ws.push('</sheetData>');
  if (spec.protect) {
    ws.push(
      '<sheetProtection sheet="1" objects="1" scenarios="1" formatCells="0" formatColumns="0" formatRows="0" insertColumns="0" insertRows="0" deleteRows="0" sort="0" autoFilter="0"/>',
    );
  }
  ws.push(`<mergeCells count="2"><mergeCell ref="A1:${lastCol}1"/><mergeCell ref="A2:${lastCol}2"/></mergeCells>`);

  const first = HEADER_ROW + 1;
  const last = HEADER_ROW + Math.max(rows.length, 1) + (spec.spareRows ?? 50);
  const deptNames = spec.deptNames ?? [];
  const dvs: string[] = [];
  columns.forEach((c, i) => {
    const l = c.list;
    if (!l) return;
    const formula = l.values ? `"${l.values.join(',')}"` : `'${LISTS_SHEET}'!$A$1:$A$${Math.max(1, deptNames.length)}`;
    dvs.push(
      `<dataValidation type="list" errorStyle="${l.errorStyle}" allowBlank="${l.allowBlank ? 1 : 0}"` +
        `${l.prompt ? ' showInputMessage="1"' : ''} showErrorMessage="1" errorTitle="${esc(l.title)}" error="${esc(l.error)}"` +
        `${l.prompt ? ` promptTitle="${esc(l.title)}" prompt="${esc(l.prompt)}"` : ''} sqref="${letters[i]}${first}:${letters[i]}${last}">` +
        `<formula1>${esc(formula)}</formula1></dataValidation>`,
    );
  });
  if (dvs.length) ws.push(`<dataValidations count="${dvs.length}">${dvs.join('')}</dataValidations>`);
  ws.push(
    '<printOptions horizontalCentered="1"/>' +
      '<pageMargins left="0.4" right="0.4" top="0.55" bottom="0.55" header="0.25" footer="0.25"/>' +
      '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
      '<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter><evenFooter>&amp;C第 &amp;P 页，共 &amp;N 页</evenFooter></headerFooter>' +
      '</worksheet>',
  );
  ws.flush();

  // the sheets: the ledger, then _lists, then _meta (both veryHidden)
  const sheets: { name: string; hidden: boolean; xml: Buffer[] }[] = [{ name: spec.sheetName, hidden: false, xml: ws.out }];
  if (spec.deptNames) {
    const cells: (string | null)[][] = deptNames.map((n) => [n]);
    if (!cells.length) cells.push([null]);
    cells[0] = [cells[0][0], '用于“牵头单位”下拉列表的在用单位名称'];
    sheets.push({ name: LISTS_SHEET, hidden: true, xml: plainSheet(cells, sst) });
  }
  if (spec.meta) {
    const cells: (string | null)[][] = spec.meta.kv.map(([k, v]) => [k, v]);
    const base = spec.meta.base;
    if (base) {
      cells.push([]);
      cells.push(base.header);
      for (const r of base.rows) cells.push(r);
    }
    sheets.push({ name: META_SHEET, hidden: true, xml: plainSheet(cells, sst) });
  }

  const iso = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const files: [string, Buffer[]][] = [
    [
      '[Content_Types].xml',
      [
        Buffer.from(
          `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
            '<Default Extension="xml" ContentType="application/xml"/>' +
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
            sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
            '</Types>',
        ),
      ],
    ],
    [
      '_rels/.rels',
      [
        Buffer.from(
          `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
            '</Relationships>',
        ),
      ],
    ],
    [
      'docProps/app.xml',
      [
        Buffer.from(
          `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`,
        ),
      ],
    ],
    [
      'docProps/core.xml',
      [
        Buffer.from(
          `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
            `<dc:title>${esc(spec.workbookTitle)}</dc:title><dc:creator>长株潭规划工作台</dc:creator><cp:lastModifiedBy>长株潭规划工作台</cp:lastModifiedBy>` +
            `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`,
        ),
      ],
    ],
    [
      'xl/workbook.xml',
      [
        Buffer.from(
          `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><workbookPr defaultThemeVersion="164011"/>` +
            '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="12000" windowHeight="24000" activeTab="0"/></bookViews><sheets>' +
            sheets.map((s, i) => `<sheet name="${esc(s.name)}"${s.hidden ? ' state="veryHidden"' : ''} sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
            `</sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;${esc(spec.sheetName)}&apos;!$1:$${HEADER_ROW}</definedName></definedNames>` +
            '<calcPr calcId="171027"/></workbook>',
        ),
      ],
    ],
    [
      'xl/_rels/workbook.xml.rels',
      [
        Buffer.from(
          `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
            sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
            `<Relationship Id="rId${sheets.length + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
            `<Relationship Id="rId${sheets.length + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>` +
            '</Relationships>',
        ),
      ],
    ],
    ...sheets.map((s, i): [string, Buffer[]] => [`xl/worksheets/sheet${i + 1}.xml`, s.xml]),
    ['xl/styles.xml', [Buffer.from(st.xml())]],
    ['xl/sharedStrings.xml', sst.xml()],
  ];
  exportProgress('pack', rows.length, rows.length);
  return zipParts(files, now);
}

// ---------------------------------------------------------------- a minimal zip (deflate, native zlib)

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(bufs: Buffer[]): number {
  const z = zlib as unknown as { crc32?: (b: Buffer, v?: number) => number };
  if (typeof z.crc32 === 'function') {
    let v = 0;
    for (const b of bufs) v = z.crc32(b, v);
    return v >>> 0;
  }
  let c = -1;
  for (const b of bufs) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: (Math.max(0, d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

async function deflate(bufs: Buffer[]): Promise<Buffer> {
  // streaming deflate (off the main thread in zlib's pool), level 6 as usual
  return new Promise((resolve, reject) => {
    const z = zlib.createDeflateRaw({ level: 6 });
    const out: Buffer[] = [];
    z.on('data', (b: Buffer) => out.push(b));
    z.on('end', () => resolve(Buffer.concat(out)));
    z.on('error', reject);
    for (const b of bufs) z.write(b);
    z.end();
  });
}

async function zipParts(files: [string, Buffer[]][], when: Date): Promise<Buffer> {
  const { time, date } = dosTime(when);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const data = await Promise.all(files.map(([, bufs]) => deflate(bufs)));
  files.forEach(([name, bufs], i) => {
    const nameBuf = Buffer.from(name, 'utf8');
    const size = bufs.reduce((s, b) => s + b.length, 0);
    const crc = crc32(bufs);
    const comp = data[i];
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6); // UTF-8 names
    h.writeUInt16LE(8, 8);
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(comp.length, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(nameBuf.length, 26);
    h.writeUInt16LE(0, 28);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(comp.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(nameBuf.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(h, nameBuf, comp);
    central.push(c, nameBuf);
    offset += 30 + nameBuf.length + comp.length;
  });
  const cdSize = central.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
