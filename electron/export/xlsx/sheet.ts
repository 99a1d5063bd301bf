// The one styled, print-ready ledger writer, driven by a column list.
// The 任务分工台账 (ledger.ts), the 重点建设项目台账 (projects.ts) and the 目标指标表
// (indicators.ts) are all made here: title row, note row, bold framed header, wrapped text,
// widths from the column list, frozen header, landscape A4 with the title rows repeated,
// drop-downs, the id column locked (no password), and the hidden helper sheets _lists
// (department names for the 牵头单位 drop-down) and _meta (version, time, scope and each row's
// values at export: the base of the import's three-way merge). Helper sheets are veryHidden.
import zlib from 'node:zlib';
import { exportProgress } from '../progress';
import {
  borderXml,
  fillXml,
  fontXml,
  listValidationXml,
  stylesheetXml,
  worksheetFrame,
  xfXml,
  type Alignment,
  type Argb,
  type BorderSides,
  type BorderStyle,
  type Font,
  type HAlign,
} from './sml';

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
  align?: Extract<HAlign, 'left' | 'center' | 'right'>;
  /** grey data cells (the id column) */
  shaded?: boolean;
  /** number format of number cells, e.g. 0.00 */
  numFmt?: string;
  list?: ListValidation;
  /** a fill for a data cell by its value (e.g. a status), ARGB */
  fillOf?: (v: string | number) => string | undefined;
  /**
   * the values differ from row to row (ids, long texts): written in the cell as an inline string
   * instead of through the shared-string table, whose lookup and index would only cost
   */
  inline?: boolean;
}

/** A cell is a string or a number, never a formula, rich text or hyperlink. */
export type CellOut = string | number | null | undefined;

/** Rows given as an array, or made one by one while the sheet is written. */
export interface RowList<T> extends Iterable<T> {
  readonly length: number;
}

/** Rows made from items one by one as the writer takes them (no array of every row's cells). */
export function mapRows<T, R>(items: readonly T[], f: (x: T) => R): RowList<R> {
  return {
    length: items.length,
    *[Symbol.iterator]() {
      for (const x of items) yield f(x);
    },
  };
}

/** One styled data sheet: title, note, header, rows. */
export interface DataSheetSpec {
  sheetName: string;
  /** row 1, merged over all columns */
  title: string;
  /** row 2, merged: export time, count, how to fill in */
  note: string;
  columns: readonly WriterColumn[];
  /** an array, or rows made as they are written (anything iterable that knows its length) */
  rows: RowList<readonly CellOut[]>;
  /** columns frozen at the left (besides the header rows) */
  freezeCols: number;
  tabColor?: string;
  /** lock the locked columns (no password); a report may stay unprotected */
  protect: boolean;
  /** rows below the data that get the drop-downs too, for rows people add (default 50) */
  spareRows?: number;
}

/** The workbook-wide parts: its title, time and the hidden helper sheets. */
export interface WorkbookParts {
  /** workbook property */
  workbookTitle: string;
  /** active department names: written to _lists for department drop-downs */
  deptNames?: readonly string[];
  /** key/value rows of _meta, then (if given) the base table */
  meta?: {
    kv: [string, string][];
    base?: { header: readonly string[]; rows: Iterable<readonly string[]> };
  };
  now: Date;
}

/** A workbook of one data sheet (the ledgers, the project and indicator tables). */
export type LedgerWorkbookSpec = DataSheetSpec & WorkbookParts;

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

/** Lines a wrapped cell needs at this column width: each line of the text, wrapped. */
export function linesFor(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  // one line even if every character were wide (most cells; measured: this ran 1.2 million
  // times for a 100,000-row ledger, splitting each text)
  if (text.length * 1.75 <= usable && text.indexOf('\n') < 0) return 1;
  let lines = 0;
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const line = nl < 0 ? (from === 0 ? text : text.slice(from)) : text.slice(from, nl);
    lines += Math.max(1, Math.ceil(textUnits(line) / usable));
    if (nl < 0) return lines;
    from = nl + 1;
  }
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

// ---------------------------------------------------------------- the writer
//
// Measured (docs/bench.md): exceljs was slow and memory-hungry already at 10,000 rows (a style
// object per cell, its JS deflate, the whole XML as one string), so 100,000 rows were out of reach.
// This writes the parts (styles, shared strings, frozen panes, print titles, page set-up,
// drop-downs, protection without password, veryHidden helper sheets, document properties) as
// XML text, a few hundred rows at a time, and each such piece is deflated by Node's zlib in its
// thread pool while the next piece is made (ZipWriter below).

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const INVALID_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/g;
/** anything esc() changes: one test for the common case of plain text */
const NEEDS_ESC = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF&<>"]/;
const SPACE = /\s/;

function esc(s: string): string {
  if (!NEEDS_ESC.test(s)) return s;
  s = s.replace(INVALID_XML, '');
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** anything escText() changes */
const NEEDS_TEXT_ESC = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF&<>]/;

/** esc() for element content, where a quote needs no escaping (_meta's JSON is full of them) */
function escText(s: string): string {
  if (!NEEDS_TEXT_ESC.test(s)) return s;
  s = s.replace(INVALID_XML, '');
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** <t> of a text, keeping spaces at its ends */
function textElement(s: string): string {
  const e = escText(s);
  return e.length && (SPACE.test(e[0]) || SPACE.test(e[e.length - 1])) ? `<t xml:space="preserve">${e}</t>` : `<t>${e}</t>`;
}

class SharedStrings {
  /** text → its index, as written in a cell */
  private index = new Map<string, string>();
  /** the texts (their XML is made when written: the texts are held anyway, their XML would be a copy) */
  private texts: string[] = [];
  /** per column: its last text and index (a column often repeats the cell above) */
  private lastText: (string | undefined)[] = [];
  private lastRef: string[] = [];
  count = 0;
  /** the index of s as cell text; col: the column, whose last text is remembered */
  ref(s: string, col = 0): string {
    this.count++;
    if (this.lastText[col] === s) return this.lastRef[col];
    let i = this.index.get(s);
    if (i === undefined) {
      i = String(this.texts.length);
      this.index.set(s, i);
      this.texts.push(s);
    }
    this.lastText[col] = s;
    this.lastRef[col] = i;
    return i;
  }
  async write(out: XmlOut): Promise<void> {
    out.push(`${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.texts.length}">`);
    for (const s of this.texts) {
      const w = out.add(`<si>${textElement(s)}</si>`);
      if (w) await w;
    }
    out.push('</sst>');
  }
}

interface XfSpec {
  font?: Font;
  /** a solid fill, ARGB */
  fill?: Argb;
  border?: BorderSides;
  numFmt?: string;
  align?: Alignment;
  locked: boolean;
}

/** The styles part (§18.8): fonts, fills, borders and cell formats, each written once and referred to by index. */
class Styles {
  private fonts = [fontXml({ name: '宋体', sizePt: 11 })];
  private fills = [fillXml('none'), fillXml('gray125')];
  private borders = [borderXml({})];
  private numFmts: string[] = [];
  private xfs = [xfXml({ numFmtId: 0, fontId: 0, fillId: 0, borderId: 0 })];
  private xfIndex = new Map<string, number>();
  private at(list: string[], x: string): number {
    const i = list.indexOf(x);
    if (i >= 0) return i;
    list.push(x);
    return list.length - 1;
  }
  xf(x: XfSpec): number {
    const key = JSON.stringify(x);
    const known = this.xfIndex.get(key);
    if (known !== undefined) return known;
    let numFmtId = 0;
    if (x.numFmt === '0') numFmtId = 1;
    else if (x.numFmt === '0.00') numFmtId = 2;
    else if (x.numFmt) numFmtId = 164 + this.at(this.numFmts, x.numFmt);
    this.xfs.push(
      xfXml({
        numFmtId,
        fontId: x.font ? this.at(this.fonts, fontXml(x.font)) : 0,
        fillId: x.fill ? this.at(this.fills, fillXml('solid', x.fill)) : 0,
        borderId: x.border ? this.at(this.borders, borderXml(x.border)) : 0,
        alignment: x.align,
        locked: x.locked,
      }),
    );
    this.xfIndex.set(key, this.xfs.length - 1);
    return this.xfs.length - 1;
  }
  xml(): string {
    return XML_HEAD + stylesheetXml({ numFmts: this.numFmts, fonts: this.fonts, fills: this.fills, borders: this.borders, cellXfs: this.xfs }, NS_MAIN);
  }
}

/** a frame of thin lines, the top and bottom as given (the header's are medium) */
function frame(topBottom: BorderStyle): BorderSides {
  const thin = { style: 'thin', color: 'FF000000' } as const;
  const tb = topBottom === 'thin' ? thin : { style: topBottom };
  return { left: thin, right: thin, top: tb, bottom: tb };
}

/**
 * A part's XML text, handed to its zip entry in pieces of ~256 K characters: no huge string is
 * built, and each piece is compressed while the next one is made.
 */
class XmlOut {
  private text = '';
  constructor(private readonly entry: ZipEntry) {}
  push(s: string): void {
    this.text += s;
  }
  /** push, and when a piece is full, hand it over: then await the result (the compression catching up) */
  add(s: string): Promise<void> | undefined {
    this.text += s;
    if (this.text.length < PIECE_CHARS) return undefined;
    this.entry.write(Buffer.from(this.text, 'utf8'));
    this.text = '';
    return this.entry.zip.room();
  }
  end(): void {
    if (this.text) this.entry.write(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }
}
const PIECE_CHARS = 1 << 18;

/**
 * A sheet of plain string cells (the helper sheets); the rows after the first `sharedRows` are
 * written as inline strings (_meta's base: an id and a JSON text per row, each different).
 */
async function plainSheet(out: XmlOut, rows: Iterable<readonly (string | null)[]>, sst: SharedStrings, sharedRows = Infinity): Promise<void> {
  const frameXml = worksheetFrame({ pageMargins: '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' }, NS_MAIN, NS_REL);
  out.push(XML_HEAD + frameXml.head);
  const pre: string[] = [];
  let r = 0;
  for (const row of rows) {
    const rs = String(++r);
    const inline = r > sharedRows;
    let x = '<row r="' + rs + '">';
    for (let ci = 0; ci < row.length; ci++) {
      const v = row[ci];
      if (v === null || v === undefined) continue;
      x += (pre[ci] ??= `<c r="${colLetter(ci + 1)}`) + rs + (inline ? '" t="inlineStr"><is>' + textElement(v) + '</is></c>' : '" t="s"><v>' + sst.ref(v, ci) + '</v></c>');
    }
    const w = out.add(x + '</row>');
    if (w) await w;
  }
  out.push(frameXml.tail);
  out.end();
}

/** The styled, print-ready workbook (see the top of this file), written directly as SpreadsheetML. */
export function writeLedgerWorkbook(spec: LedgerWorkbookSpec): Promise<Buffer> {
  return writeWorkbook(spec, [spec]);
}

/**
 * A workbook of data sheets (a draft's attachment tables: one sheet each), sharing one styles
 * part and one shared-string table, then the hidden helper sheets.
 */
export async function writeWorkbook(spec: WorkbookParts, dataSheets: readonly DataSheetSpec[]): Promise<Buffer> {
  const { now } = spec;
  const sst = new SharedStrings();
  const st = new Styles();
  const deptNames = spec.deptNames ?? [];

  // the sheets: the data sheets, then _lists, then _meta (both veryHidden); the parts in the usual order
  const sheets: { name: string; hidden: boolean }[] = dataSheets.map((d) => ({ name: d.sheetName, hidden: false }));
  if (spec.deptNames) sheets.push({ name: LISTS_SHEET, hidden: true });
  if (spec.meta) sheets.push({ name: META_SHEET, hidden: true });
  const zip = new ZipWriter(now);
  const fixed = (name: string, xml: string) => zip.entry(name).write(Buffer.from(xml, 'utf8'));
  fixed(
    '[Content_Types].xml',
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
  );
  fixed(
    '_rels/.rels',
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
      '</Relationships>',
  );
  fixed(
    'docProps/app.xml',
    `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`,
  );
  const iso = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  fixed(
    'docProps/core.xml',
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<dc:title>${esc(spec.workbookTitle)}</dc:title><dc:creator>长株潭规划工作台</dc:creator><cp:lastModifiedBy>长株潭规划工作台</cp:lastModifiedBy>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`,
  );
  fixed(
    'xl/workbook.xml',
    `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><workbookPr defaultThemeVersion="164011"/>` +
      '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="12000" windowHeight="24000" activeTab="0"/></bookViews><sheets>' +
      sheets.map((s, i) => `<sheet name="${esc(s.name)}"${s.hidden ? ' state="veryHidden"' : ''} sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      '</sheets><definedNames>' +
      dataSheets.map((d, i) => `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">&apos;${esc(d.sheetName)}&apos;!$1:$${HEADER_ROW}</definedName>`).join('') +
      '</definedNames>' +
      '<calcPr calcId="171027"/></workbook>',
  );
  fixed(
    'xl/_rels/workbook.xml.rels',
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
      `<Relationship Id="rId${sheets.length + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
      `<Relationship Id="rId${sheets.length + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>` +
      '</Relationships>',
  );
  const sheetOut = sheets.map((_, i) => new XmlOut(zip.entry(`xl/worksheets/sheet${i + 1}.xml`)));
  // styles and shared strings are known only once the sheets are written
  const stylesEntry = zip.entry('xl/styles.xml');
  const sstOut = new XmlOut(zip.entry('xl/sharedStrings.xml'));

  let rowCount = 0;
  for (const [i, d] of dataSheets.entries()) {
    await writeDataSheet(sheetOut[i], d, st, sst, deptNames);
    rowCount += d.rows.length;
  }
  let next = dataSheets.length;
  if (spec.deptNames) {
    const cells: (string | null)[][] = deptNames.map((n) => [n]);
    if (!cells.length) cells.push([null]);
    cells[0] = [cells[0][0], '用于“牵头单位”下拉列表的在用单位名称'];
    await plainSheet(sheetOut[next++], cells, sst);
  }
  if (spec.meta) {
    const { kv, base } = spec.meta;
    function* metaRows(): Iterable<readonly (string | null)[]> {
      yield* kv;
      if (base) {
        yield [];
        yield base.header;
        yield* base.rows;
      }
    }
    // the base rows inline: each row's id and values are its own
    await plainSheet(sheetOut[next++], metaRows(), sst, kv.length + 2);
  }

  exportProgress('pack', rowCount, rowCount);
  stylesEntry.write(Buffer.from(st.xml(), 'utf8'));
  await sst.write(sstOut);
  sstOut.end();
  return zip.finish();
}

/** One styled data sheet (title, note, header, rows, drop-downs, print set-up) into its part. */
async function writeDataSheet(ws: XmlOut, spec: DataSheetSpec, st: Styles, sst: SharedStrings, deptNames: readonly string[]): Promise<void> {
  const { columns, rows } = spec;
  const ncol = columns.length;
  const lastCol = colLetter(ncol);
  const fc = spec.freezeCols;
  const letters = columns.map((_, i) => colLetter(i + 1));
  const thin = frame('thin');
  const headBorder = frame('medium');

  const titleXf = st.xf({ font: { name: TITLE_FONT, sizePt: 18, bold: true }, align: { horizontal: 'center', vertical: 'center' }, locked: true });
  const noteXf = st.xf({ font: { name: FONT, sizePt: 10, color: 'FF404040' }, align: { horizontal: 'left', vertical: 'center', wrapText: true }, locked: true });
  const colXf = columns.map((c) => st.xf({ locked: !!c.locked }));
  const spareXf = st.xf({ locked: false });
  const headXf = columns.map((c) =>
    st.xf({
      font: { name: HEAD_FONT, sizePt: 11, bold: true },
      fill: c.editable ? 'FFDDEBF7' : 'FFE7E6E6',
      border: headBorder,
      align: { horizontal: 'center', vertical: 'center', wrapText: true },
      locked: !!c.locked,
    }),
  );
  const dataFont: Font = { name: FONT, sizePt: 10 };
  const dataXf = (c: WriterColumn, v: string | number): number => {
    const fill = c.shaded ? 'FFF2F2F2' : c.fillOf?.(v);
    return st.xf({
      font: dataFont,
      fill,
      border: thin,
      numFmt: typeof v === 'number' && c.numFmt ? c.numFmt : undefined,
      align: { horizontal: c.align ?? 'left', vertical: 'center', wrapText: true },
      locked: !!c.locked,
    });
  };
  // the common case (no fill by value, a string) once per column
  const plainXf = columns.map((c) => (c.fillOf ? -1 : dataXf(c, '')));

  const lastRow = HEADER_ROW + rows.length;
  const topLeft = `${colLetter(fc + 1)}${HEADER_ROW + 1}`;
  const pane =
    fc > 0
      ? `<pane xSplit="${fc}" ySplit="${HEADER_ROW}" topLeftCell="${topLeft}" activePane="bottomRight" state="frozen"/><selection pane="topRight"/><selection pane="bottomLeft"/><selection pane="bottomRight" activeCell="${topLeft}" sqref="${topLeft}"/>`
      : `<pane ySplit="${HEADER_ROW}" topLeftCell="${topLeft}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${topLeft}" sqref="${topLeft}"/>`;
  // the parts after sheetData, known before the rows are written
  const first = HEADER_ROW + 1;
  const last = HEADER_ROW + Math.max(rows.length, 1) + (spec.spareRows ?? 50);
  const dvs: string[] = [];
  columns.forEach((c, i) => {
    const l = c.list;
    if (!l) return;
    dvs.push(
      listValidationXml({
        sqref: `${letters[i]}${first}:${letters[i]}${last}`,
        formula: l.values ? `"${l.values.join(',')}"` : `'${LISTS_SHEET}'!$A$1:$A$${Math.max(1, deptNames.length)}`,
        errorStyle: l.errorStyle,
        allowBlank: l.allowBlank,
        errorTitle: l.title,
        error: l.error,
        prompt: l.prompt,
      }),
    );
  });
  const footer = '&amp;C第 &amp;P 页，共 &amp;N 页';
  const frameXml = worksheetFrame(
    {
      sheetPr: `<sheetPr><tabColor rgb="${spec.tabColor ?? 'FF1F4E79'}"/><pageSetUpPr fitToPage="1"/></sheetPr>`,
      dimension: `<dimension ref="A1:${lastCol}${Math.max(lastRow, HEADER_ROW)}"/>`,
      sheetViews: `<sheetViews><sheetView workbookViewId="0" zoomScale="100" zoomScaleNormal="100">${pane}</sheetView></sheetViews>`,
      sheetFormatPr: '<sheetFormatPr defaultRowHeight="18" customHeight="1"/>',
      cols:
        '<cols>' +
        columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" style="${colXf[i]}" customWidth="1"/>`).join('') +
        `<col min="${ncol + 1}" max="${ncol + 10}" width="9" style="${spareXf}"/></cols>`,
      sheetProtection: spec.protect
        ? '<sheetProtection sheet="1" objects="1" scenarios="1" formatCells="0" formatColumns="0" formatRows="0" insertColumns="0" insertRows="0" deleteRows="0" sort="0" autoFilter="0"/>'
        : undefined,
      mergeCells: `<mergeCells count="2"><mergeCell ref="A1:${lastCol}1"/><mergeCell ref="A2:${lastCol}2"/></mergeCells>`,
      dataValidations: dvs.length ? `<dataValidations count="${dvs.length}">${dvs.join('')}</dataValidations>` : undefined,
      printOptions: '<printOptions horizontalCentered="1"/>',
      pageMargins: '<pageMargins left="0.4" right="0.4" top="0.55" bottom="0.55" header="0.25" footer="0.25"/>',
      pageSetup: '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>',
      headerFooter: `<headerFooter><oddFooter>${footer}</oddFooter><evenFooter>${footer}</evenFooter></headerFooter>`,
    },
    NS_MAIN,
    NS_REL,
  );
  ws.push(XML_HEAD + frameXml.head);
  // title and note (merged over all columns)
  ws.push(`<row r="1" ht="36" customHeight="1"><c r="A1" s="${titleXf}" t="s"><v>${sst.ref(spec.title)}</v></c></row>`);
  const noteHt = Math.max(30, 14 * linesFor(spec.note, columns.reduce((s, c) => s + c.width, 0)) + 6);
  ws.push(`<row r="2" ht="${noteHt}" customHeight="1"><c r="A2" s="${noteXf}" t="s"><v>${sst.ref(spec.note)}</v></c></row>`);
  let headLines = 1;
  for (const c of columns) headLines = Math.max(headLines, linesFor(c.header, c.width * 0.95));
  let head = `<row r="${HEADER_ROW}" ht="${Math.max(24, headLines * 15 + 6)}" customHeight="1">`;
  columns.forEach((c, i) => (head += `<c r="${letters[i]}${HEADER_ROW}" s="${headXf[i]}" t="s"><v>${sst.ref(c.header)}</v></c>`));
  ws.push(head + '</row>');

  // the data rows: the markup around each value made once per column
  const widths = columns.map((c) => c.width);
  const pre = letters.map((l) => `<c r="${l}`);
  const mid = plainXf.map((s, i) => (columns[i].inline ? `" s="${s}" t="inlineStr"><is>` : `" s="${s}" t="s"><v>`));
  const inline = columns.map((c) => !!c.inline);
  let rn = HEADER_ROW;
  for (const values of rows) {
    if (((rn - HEADER_ROW) & 2047) === 0) exportProgress('rows', rn - HEADER_ROW, rows.length);
    const rs = String(++rn);
    let lines = 1;
    let cells = '';
    for (let i = 0; i < ncol; i++) {
      const c = columns[i];
      const v = safeValue(values[i]);
      if (typeof v === 'string' && plainXf[i] >= 0) {
        cells += pre[i] + rs + mid[i] + (inline[i] ? textElement(v) + '</is></c>' : sst.ref(v, i) + '</v></c>');
      } else {
        const s = dataXf(c, v);
        if (typeof v === 'number') cells += `${pre[i]}${rs}" s="${s}"><v>${v}</v></c>`;
        else if (inline[i]) cells += `${pre[i]}${rs}" s="${s}" t="inlineStr"><is>${textElement(v)}</is></c>`;
        else cells += `${pre[i]}${rs}" s="${s}" t="s"><v>${sst.ref(v, i)}</v></c>`;
      }
      const l = linesFor(typeof v === 'number' ? displayText(v, c.numFmt) : v, widths[i]);
      if (l > lines) lines = l;
    }
    const w = ws.add('<row r="' + rs + '" ht="' + Math.min(409, Math.max(20, lines * 13.5 + 6)) + '" customHeight="1">' + cells + '</row>');
    if (w) await w;
  }
  if (rn !== lastRow) throw new Error(`rows gave ${rn - HEADER_ROW} rows, its length is ${rows.length}`);
  ws.push(frameXml.tail);
  ws.end();
}

// ---------------------------------------------------------------- a minimal zip (deflate, native zlib)
//
// Each entry's data is deflated in pieces, each piece on its own in Node's zlib thread pool
// while the main thread makes the next (as pigz does): every piece ends with a sync flush
// (byte-aligned, not final), and the entry ends with an empty final block, so that the pieces
// joined are one valid deflate stream. Level 3: measured on a 100,000-row ledger,
// level 6 took two to three times the CPU for parts 15–30 % smaller.

export const ZIP_LEVEL = 3;
/** pieces being compressed at once at most; the maker waits for the oldest beyond that */
const IN_FLIGHT = 8;
const FINAL_BLOCK = zlib.deflateRawSync(Buffer.alloc(0));

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 of b continuing from crc: zlib.crc32 where Node has it (20.15+), else a table. */
export function crc32(b: Uint8Array, crc = 0): number {
  const z = zlib as unknown as { crc32?: (b: Uint8Array, v?: number) => number };
  if (typeof z.crc32 === 'function') return z.crc32(b, crc) >>> 0;
  let c = crc ^ -1;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: (Math.max(0, d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function deflatePiece(b: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // one pass through the thread pool: room for the whole output (and the zlib stream's own
    // buffer is not kept: it is as large as the input)
    zlib.deflateRaw(b, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: Math.max(64 * 1024, b.length + 1024) }, (err, out) =>
      err ? reject(err) : resolve(Buffer.from(out)),
    ),
  );
}

class ZipEntry {
  crc = 0;
  size = 0;
  readonly pieces: Promise<Buffer>[] = [];
  constructor(
    readonly zip: ZipWriter,
    readonly name: string,
  ) {}
  write(b: Buffer): void {
    if (!b.length) return;
    this.crc = crc32(b, this.crc);
    this.size += b.length;
    this.pieces.push(this.zip.track(deflatePiece(b, this.zip.level)));
  }
}

/** A zip of deflated entries, made in memory; entries are written in the order they were made. */
export class ZipWriter {
  private readonly entries: ZipEntry[] = [];
  private readonly pending = new Set<Promise<Buffer>>();
  constructor(
    private readonly when: Date,
    readonly level = ZIP_LEVEL,
  ) {}
  entry(name: string): ZipEntry {
    const e = new ZipEntry(this, name);
    this.entries.push(e);
    return e;
  }
  track(p: Promise<Buffer>): Promise<Buffer> {
    this.pending.add(p);
    const done = () => this.pending.delete(p);
    p.then(done, done);
    return p;
  }
  /** wait while too many pieces are being compressed (bounds the memory they hold) */
  async room(): Promise<void> {
    while (this.pending.size > IN_FLIGHT) await Promise.race(this.pending);
  }
  async finish(): Promise<Buffer> {
    const { time, date } = dosTime(this.when);
    const out: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const e of this.entries) {
      const data = [...(await Promise.all(e.pieces)), FINAL_BLOCK];
      const comp = data.reduce((s, b) => s + b.length, 0);
      if (e.size > 0xfffffffe || comp > 0xfffffffe || offset > 0xfffffffe) throw new Error('xlsx part too large for a zip without ZIP64');
      const nameBuf = Buffer.from(e.name, 'utf8');
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(0x0800, 6); // UTF-8 names
      h.writeUInt16LE(8, 8);
      h.writeUInt16LE(time, 10);
      h.writeUInt16LE(date, 12);
      h.writeUInt32LE(e.crc, 14);
      h.writeUInt32LE(comp, 18);
      h.writeUInt32LE(e.size, 22);
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
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(comp, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(nameBuf.length, 28);
      c.writeUInt32LE(offset, 42);
      out.push(h, nameBuf, ...data);
      central.push(c, nameBuf);
      offset += 30 + nameBuf.length + comp;
    }
    const cdSize = central.reduce((s, b) => s + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(cdSize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...out, ...central, end]);
  }
}
