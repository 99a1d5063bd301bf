// Reading an untrusted spreadsheet into plain rows of cell values, ONLY through SheetJS.
// Formulas are never evaluated: a formula cell gives its cached value, and text is data.
// Before SheetJS sees a zip (xlsx, ods, new .et) its central directory is checked, and every
// entry is test-inflated with a hard output cap, so a zip bomb is refused without expanding it.
import type * as XLSXTypes from 'xlsx';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { ServiceError } from '../core/context';
import { readXlsxFast } from './xlsx-fast';
import { CellBudget } from './budget';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_ROWS = 200_000;
/** all zip entries together, uncompressed */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;
/** an entry larger than this must not be compressed more than MAX_RATIO times */
const RATIO_CHECK_FROM = 8 * 1024 * 1024;
const MAX_RATIO = 120;
const MAX_ZIP_ENTRIES = 5000;
/** columns read per row (a ledger has a dozen) */
const MAX_COLS = 201;

/** tests: switch readXlsxFast off to compare it with SheetJS */
export const fastReader = { enabled: true };

export type CellValue = string | number | boolean | null;

export interface ReadSheet {
  name: string;
  /** 'visible' | 'hidden' | 'veryHidden' */
  state: string;
  /** rows[r][c], r = 0 is sheet row 1 */
  rows: CellValue[][];
}

export interface ReadWorkbook {
  fileType: string;
  sheets: ReadSheet[];
}

const fail = (message: string): never => {
  throw new ServiceError('VALIDATION', message);
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB`;

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05) && (b[3] === 0x04 || b[3] === 0x06);
}
function isCfb(b: Buffer): boolean {
  return b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0 && b.readUInt32BE(4) === 0xa1b11ae1;
}

/**
 * Walk the zip's central directory (headers only) and test every entry with a capped inflate.
 * Returns the inflated entries (name → bytes), for readXlsxFast.
 */
export function checkZip(b: Buffer): Map<string, Buffer> {
  const corrupt = () => fail('文件不完整或已损坏（压缩包结构有误），可能下载或传输未完成。请让报送单位重新发送，或用 Excel/WPS 打开后另存为 .xlsx 再导入。');
  // end of central directory: the last 22 + up to 65535 comment bytes
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) corrupt();
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) fail('文件使用了 ZIP64 大文件格式，台账不应如此之大，已拒绝读取。');
  if (count > MAX_ZIP_ENTRIES) fail(`文件内含 ${count} 个部件，远超正常表格，已拒绝读取。`);
  if (cdOffset + cdSize > eocd || count === 0) corrupt();
  let p = cdOffset;
  let total = 0;
  const entries: { name: string; method: number; flags: number; csz: number; usz: number; local: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) corrupt();
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const csz = b.readUInt32LE(p + 20);
    const usz = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    const local = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (csz === 0xffffffff || usz === 0xffffffff) fail('文件使用了 ZIP64 大文件格式，台账不应如此之大，已拒绝读取。');
    if (flags & 0x41) fail('文件已加密（设置了打开密码），无法读取。请让报送单位取消密码后重新发送。');
    total += usz;
    if (total > MAX_UNZIPPED_BYTES)
      fail(`文件解压后超过 ${mb(MAX_UNZIPPED_BYTES)}（压缩包声明的大小），疑似“压缩炸弹”，已拒绝读取。`);
    if (usz > RATIO_CHECK_FROM && usz / Math.max(1, csz) > MAX_RATIO)
      fail(`文件中的“${name}”压缩比异常（${Math.round(usz / Math.max(1, csz))} 倍，解压后 ${mb(usz)}），疑似“压缩炸弹”，已拒绝读取。`);
    entries.push({ name, method, flags, csz, usz, local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  // the declared sizes may lie: inflate each entry with the declared size as a hard cap
  const parts = new Map<string, Buffer>();
  for (const e of entries) {
    if (e.local + 30 > b.length || b.readUInt32LE(e.local) !== 0x04034b50) corrupt();
    const start = e.local + 30 + b.readUInt16LE(e.local + 26) + b.readUInt16LE(e.local + 28);
    if (start + e.csz > b.length) corrupt();
    const data = b.subarray(start, start + e.csz);
    if (e.method === 0) {
      if (e.csz !== e.usz) corrupt();
      parts.set(e.name, data);
      continue;
    }
    if (e.method !== 8) fail(`文件使用了不支持的压缩方式（${e.method}），无法读取。请用 Excel/WPS 另存为 .xlsx 后再导入。`);
    let out: Buffer;
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.usz) });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        fail(`文件中的“${e.name}”解压后大于其声明的大小，疑似“压缩炸弹”，已拒绝读取。`);
      corrupt();
    }
    if (out!.length !== e.usz) corrupt();
    parts.set(e.name, out!);
  }
  return parts;
}

const encodingFail = (b: Buffer, at: number, what: string): never => {
  let line = 1;
  for (let i = b.indexOf(0x0a); i !== -1 && i < at; i = b.indexOf(0x0a, i + 1)) line++;
  return fail(
    `文件的文字编码有误：${what}（第 ${line} 行起），已拒绝读取，以免把乱码存入工作台。` +
      '请用 Excel/WPS 打开该文件，另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入。',
  );
};

/** Where a byte sequence stops being UTF-8 (-1: valid throughout). */
function firstInvalidUtf8(b: Buffer, from = 0): number {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(from));
    return -1;
  } catch {
    // found by halving: TextDecoder does not say where (the file is at most 50 MB)
    let lo = from;
    let hi = b.length;
    while (hi - lo > 4) {
      const mid = (lo + hi) >>> 1;
      // a prefix cut inside a character is not invalid: stream mode leaves it pending
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(from, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid;
      }
    }
    return lo;
  }
}

/**
 * A run of six or more valid 3-byte UTF-8 characters (U+0800–U+FFFF, CJK text): text in GBK almost
 * never forms one (about one chance in 10^10 per position), text in UTF-8 nearly always does.
 */
function hasUtf8Run(b: Buffer): number {
  let run = 0;
  for (let i = 0; i + 2 < b.length; ) {
    const c = b[i];
    if (c >= 0xe0 && c <= 0xef && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80 && (c !== 0xe0 || b[i + 1] >= 0xa0) && (c !== 0xed || b[i + 1] < 0xa0)) {
      if (++run >= 6) return i;
      i += 3;
    } else {
      run = 0;
      i++;
    }
  }
  return -1;
}

/**
 * A text file's characters, in the encoding it is in, or a refusal: a file that does not decode
 * cleanly (a UTF-8 file with one cell in GBK, a GBK file behind a UTF-8 BOM, bytes that are no
 * GBK either) is never stored with replacement characters or as mojibake.
 */
function decodeText(b: Buffer): { text: string; encoding: string } {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    const bad = firstInvalidUtf8(b, 3);
    if (bad !== -1) encodingFail(b, bad, '文件开头标明为 UTF-8 编码，但有的内容不是 UTF-8（可能混入了 GBK 等其他编码的文字）');
    return { text: b.subarray(3).toString('utf8'), encoding: 'UTF-8' };
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { text: utf16(b.subarray(2), 'utf16le'), encoding: 'UTF-16LE' };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { text: utf16(b.subarray(2), 'utf16be'), encoding: 'UTF-16BE' };
  const bad = firstInvalidUtf8(b);
  if (bad === -1) return { text: b.toString('utf8'), encoding: 'UTF-8' };
  // not UTF-8 throughout: GBK, unless much of it is UTF-8 (then it is a mixture)
  const run = hasUtf8Run(b);
  if (run !== -1) encodingFail(b, bad, '文件中既有 UTF-8 编码又有 GBK 等其他编码的文字');
  const text = iconv.decode(b, 'gbk');
  const rep = text.indexOf('\ufffd');
  if (rep !== -1) encodingFail(b, Buffer.byteLength(iconv.encode(text.slice(0, rep), 'gbk')), '文件既不是有效的 UTF-8，也不是有效的 GBK 编码');
  return { text, encoding: 'GBK' };
}

/** UTF-16 text; an odd byte count or an unpaired surrogate is damage, not text */
function utf16(b: Buffer, enc: 'utf16le' | 'utf16be'): string {
  if (b.length % 2 === 1) fail('文件的文字编码有误：UTF-16 编码的文件字节数不完整，已拒绝读取。请重新导出或另存为 .xlsx 后再导入。');
  const text = iconv.decode(b, enc);
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text) || text.includes('\ufffd'))
    fail('文件的文字编码有误：UTF-16 编码的内容有残缺的字符，已拒绝读取。请重新导出或另存为 .xlsx 后再导入。');
  return text;
}

/**
 * Shared-string references past the end of the shared strings (a damaged or hand-edited file):
 * SheetJS reads such a cell as empty, and a ledger whose ids are shared strings looked "empty".
 * Checked before SheetJS reads a file the fast reader left to it (the fast reader itself gives
 * up on such an index). Only t="s" cells in the usual spelling are looked at, each within the
 * next 2,000 characters, so a hostile sheet costs one pass.
 */
function checkSharedStrings(parts: Map<string, Buffer>): void {
  let count = 0;
  for (const [name, data] of parts) {
    if (!/(^|\/)sharedStrings\d*\.xml$/i.test(name)) continue;
    count += (data.toString('utf8').match(/<(?:\w+:)?si[\s>/]/g) ?? []).length;
  }
  // searched in the bytes (a sheet of a million rows is 60 MB: no string made of it), each hit
  // decoded as latin1 (only ASCII tags and digits are looked at)
  const pats = [Buffer.from('t="s"'), Buffer.from("t='s'")];
  for (const [name, data] of parts) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) continue;
    for (const pat of pats) {
      for (let i = data.indexOf(pat); i !== -1; i = data.indexOf(pat, i + pat.length)) {
        const near = data.subarray(i, i + 2000).toString('latin1');
        const end = near.search(/<\/(?:\w+:)?c>|\/>/);
        const v = near.slice(0, end === -1 ? near.length : end).match(/<(?:\w+:)?v>\s*(\d+)\s*<\/(?:\w+:)?v>/);
        if (v && Number(v[1]) >= count)
          fail(
            `文件已损坏：工作表中有单元格引用了不存在的共享文字（第 ${Number(v[1]) + 1} 项，文件中只有 ${count} 项），可能被其他程序改坏或传输不完整。` +
              '请让报送单位重新导出并发送，或用 Excel/WPS 打开检查后另存为 .xlsx 再导入。',
          );
      }
    }
  }
}

/** Text that is clearly not a table: control characters other than tab/CR/LF, or NULs. */
function looksBinary(b: Buffer): boolean {
  const n = Math.min(b.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) return true;
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) bad++;
  }
  return bad > n * 0.01;
}

/**
 * SheetJS, loaded on first use: an ordinary .xlsx never needs it (readXlsxFast reads it), and
 * loading it is a noticeable part of every import worker's time (docs/bench.md).
 */
let sheetjs: typeof XLSXTypes | undefined;
function XLSX(): typeof XLSXTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (sheetjs ??= require('xlsx') as typeof XLSXTypes);
}

const READ_OPTS: XLSXTypes.ParsingOptions = {
  cellFormula: false,
  cellHTML: false,
  cellNF: false,
  cellStyles: false,
  cellText: false,
  cellDates: false,
  bookVBA: false,
  bookFiles: false,
  bookDeps: false,
  WTF: false,
  // one row more than allowed (plus room for title rows) so that "too many" can be told
  sheetRows: MAX_ROWS + 20,
  dense: true,
};

function mapSheetJsError(e: unknown): never {
  if (e instanceof ServiceError) throw e;
  const msg = String((e as Error)?.message ?? e);
  if (/password|encrypt/i.test(msg)) fail('文件已加密（设置了打开密码），无法读取。请让报送单位取消密码后重新发送。');
  if (/Unsupported file|Unrecognized|not a spreadsheet|Invalid HTML/i.test(msg))
    fail('文件不是可识别的电子表格。请选择 .xlsx、.xls、.et 或 .csv 台账文件。');
  return fail(`文件已损坏或不完整，无法读取（${msg.slice(0, 120)}）。请让报送单位重新发送，或用 Excel/WPS 打开后另存为 .xlsx 再导入。`);
}

/**
 * Files already read off the main thread (electron/import/worker.ts), keyed by the very Buffer
 * that previewImport is then given, so that it does not read them a second time on the main
 * thread. Only withPreread puts anything here, and only for the duration of its callback.
 */
const preread = new WeakMap<Buffer, ReadWorkbook>();

/** Run fn (a previewImport of these bytes) with the workbook the worker already read from them. */
export function withPreread<T>(bytes: Buffer, wb: ReadWorkbook, fn: () => T): T {
  preread.set(bytes, wb);
  try {
    return fn();
  } finally {
    preread.delete(bytes);
  }
}

/** Read a returned ledger file into rows of values; throws ServiceError with a Chinese message. */
export function readSpreadsheet(name: string, bytes: Buffer): ReadWorkbook {
  const pre = preread.get(bytes);
  if (pre) return pre;
  if (bytes.length > MAX_FILE_BYTES) fail(`文件大小为 ${mb(bytes.length)}，超过 ${mb(MAX_FILE_BYTES)} 的上限，已拒绝读取。台账通常不到 1 MB，请确认选择的文件。`);
  if (bytes.length === 0) fail('文件是空的（0 字节）。');
  const ext = (name.match(/\.([A-Za-z0-9]+)$/)?.[1] ?? '').toLowerCase();
  let wb: XLSXTypes.WorkBook;
  let fileType: string;
  if (isZip(bytes)) {
    const parts = checkZip(bytes);
    fileType = ext === 'ods' ? 'ods' : ext === 'et' ? 'et' : 'xlsx';
    // an ordinary .xlsx: its cell values straight from the sheet XML (SheetJS reads the rest)
    const fast = fastReader.enabled ? readXlsxFast(parts, MAX_ROWS + 20, MAX_COLS, new CellBudget()) : null;
    if (fast) return { fileType, sheets: fast };
    checkSharedStrings(parts);
    try {
      wb = XLSX().read(bytes, { ...READ_OPTS, type: 'buffer' });
    } catch (e) {
      mapSheetJsError(e);
    }
  } else if (isCfb(bytes)) {
    let cfb: { FullPaths: string[] } | undefined;
    try {
      cfb = XLSX().CFB.read(bytes, { type: 'buffer' });
    } catch {
      fail('文件已损坏或不完整（复合文档结构有误），无法读取。请让报送单位重新发送。');
    }
    if (XLSX().CFB.find(cfb!, 'EncryptionInfo') || XLSX().CFB.find(cfb!, 'EncryptedPackage'))
      fail('文件已加密（设置了打开密码），无法读取。请让报送单位取消密码后重新发送。');
    if (!XLSX().CFB.find(cfb!, 'Workbook') && !XLSX().CFB.find(cfb!, 'Book'))
      fail('文件是 Office 复合文档，但不含工作簿（可能是 Word 文档或其他文件）。请选择台账表格文件。');
    fileType = ext === 'et' ? 'et' : 'xls';
    try {
      wb = XLSX().read(bytes, { ...READ_OPTS, type: 'buffer' });
    } catch (e) {
      mapSheetJsError(e);
    }
  } else {
    // UTF-16 text is full of NUL bytes: with a BOM it is text, not binary (found by tests/hostile)
    const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    if (!utf16 && looksBinary(bytes)) fail(`文件不是可识别的电子表格${ext ? `（扩展名为 .${ext}，但内容不是表格）` : ''}。请选择 .xlsx、.xls、.et 或 .csv 台账文件。`);
    const { text, encoding } = decodeText(bytes);
    const head = text.slice(0, 2000).trimStart().toLowerCase();
    const markup = head.startsWith('<');
    if ((ext === 'xlsx' || ext === 'xlsm') && !markup)
      fail(`文件扩展名为 .${ext}，但内容是纯文本，不是 Excel 表格（可能被改过扩展名）。如为 CSV，请改回 .csv 后再导入。`);
    if (markup && !/<table|<workbook|<\?mso-application/.test(head + text.slice(0, 20000).toLowerCase()))
      fail('文件是网页或 XML，但不含表格，不能作为台账导入。');
    fileType = markup ? 'html/xml' : `csv（${encoding}）`;
    let lines = 0;
    for (let i = text.indexOf('\n'); i >= 0 && lines <= MAX_ROWS + 20; i = text.indexOf('\n', i + 1)) lines++;
    if (lines > MAX_ROWS + 20) fail(`文件超过 ${MAX_ROWS} 行的上限，已拒绝读取。`);
    try {
      // raw: cell text stays text (no number or date guessing, = is not a formula)
      wb = XLSX().read(text, { ...READ_OPTS, type: 'string', raw: true });
    } catch (e) {
      mapSheetJsError(e);
    }
  }
  const states = new Map<string, string>();
  (wb!.Workbook?.Sheets ?? []).forEach((s) => {
    if (s.name) states.set(s.name, s.Hidden === 2 ? 'veryHidden' : s.Hidden === 1 ? 'hidden' : 'visible');
  });
  const sheets: ReadSheet[] = [];
  const budget = new CellBudget();
  for (const sn of wb!.SheetNames) {
    const ws = wb!.Sheets[sn];
    if (!ws) continue;
    const full = ws['!fullref'] ?? ws['!ref'];
    if (full) {
      const r = XLSX().utils.decode_range(full);
      if (r.e.r + 1 > MAX_ROWS + 20) fail(`工作表“${sn}”有 ${r.e.r + 1} 行，超过 ${MAX_ROWS} 行的上限，已拒绝读取。`);
    }
    const rows = sheetRows(ws, budget);
    // sheetRows stops reading at the cap; reaching it means the sheet is longer than allowed
    if (rows.length >= MAX_ROWS + 20) fail(`工作表“${sn}”超过 ${MAX_ROWS} 行的上限，已拒绝读取。`);
    sheets.push({ name: sn, state: states.get(sn) ?? 'visible', rows });
  }
  return { fileType, sheets };
}

/**
 * Cell values only: v (the cached value of a formula cell), never f. The sheet's range is a claim
 * (a file may declare A1:XFD200020 around one cell): the rows end at the last row, and every row
 * at the last column, that holds a value, as in xlsx-fast.ts.
 */
function sheetRows(ws: XLSXTypes.WorkSheet, budget: CellBudget): CellValue[][] {
  const ref = ws['!ref'];
  if (!ref) return [];
  const range = XLSX().utils.decode_range(ref);
  const dense = (ws as unknown as { '!data'?: (XLSXTypes.CellObject | undefined)[][] })['!data'];
  const maxC = Math.min(range.e.c + 1, MAX_COLS);
  const at = (r: number, c: number) => cellValue(dense ? dense[r]?.[c] : ws[XLSX().utils.encode_cell({ r, c })]);
  // the used extent from the cells that are there (dense: its rows; sparse: its keys), never by
  // walking the whole claimed range
  let usedRows = 0;
  let usedCols = 0;
  const see = (r: number, c: number) => {
    if (r < 0 || r > range.e.r || c < 0 || c >= maxC || at(r, c) === null) return;
    if (r + 1 > usedRows) usedRows = r + 1;
    if (c + 1 > usedCols) usedCols = c + 1;
  };
  if (dense) {
    for (let r = 0; r < Math.min(dense.length, range.e.r + 1); r++) {
      const row = dense[r];
      if (row) for (let c = 0; c < Math.min(row.length, maxC); c++) see(r, c);
    }
  } else {
    for (const k of Object.keys(ws)) {
      if (k[0] === '!') continue;
      const a = XLSX().utils.decode_cell(k);
      see(a.r, a.c);
    }
  }
  budget.take(usedRows * usedCols);
  const rows: CellValue[][] = [];
  for (let r = 0; r < usedRows; r++) {
    const out: CellValue[] = [];
    for (let c = 0; c < usedCols; c++) out.push(at(r, c));
    rows.push(out);
  }
  return rows;
}

function cellValue(cell: XLSXTypes.CellObject | undefined): CellValue {
  if (!cell) return null;
  const v = cell.v;
  if (v === undefined || v === null) return null;
  if (cell.t === 'e') return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) {
    const d = v;
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  return String(v);
}
