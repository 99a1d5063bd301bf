// Builders for hostile input, shared by the hostile corpus (tests/hostile/corpus.ts), the fuzz
// tests (tests/fuzz/) and — where useful — tests/unit/import/ledger.test.ts (whose zipOf / bombStream
// are the same as these; it can import them from here).
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { contextFor } from '../../electron/core/context';
import { listMeasures } from '../../electron/services/measures';
import { listAudit } from '../../electron/services/audit';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** the uncompressed size written in the headers (default: the real one) */
  declared?: number;
  /** compressed bytes to store instead of deflating data */
  raw?: Buffer;
  /** general purpose flags (0x1: encrypted) */
  flags?: number;
  /** 0 stored, 8 deflate */
  method?: number;
}

/** A zip written by hand, so that sizes, names and flags can lie. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const comp = e.raw ?? (method === 0 ? e.data : zlib.deflateRawSync(e.data));
    const usz = e.declared ?? e.data.length;
    const name = Buffer.from(e.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(e.flags ?? 0, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(0, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(usz, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(e.flags ?? 0, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(usz, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A deflate stream of n MB of one byte, built from independent 1 MB blocks (cheap to make). */
export function bombStream(nMb: number, byte = 0x20): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024, byte), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array(nMb).fill(block), zlib.deflateRawSync(Buffer.alloc(0))]);
}

export const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="任务分工台账" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WB_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';

export const SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_CLOSE = '</sheetData></worksheet>';

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const colName = (c: number): string => (c < 26 ? String.fromCharCode(65 + c) : colName(Math.floor(c / 26) - 1) + String.fromCharCode(65 + (c % 26)));

/** sheet1.xml rows with inline strings (no sharedStrings part needed). */
export function sheetRowsXml(rows: (string | number | null)[][], firstRow = 1): string {
  let out = '';
  rows.forEach((r, i) => {
    const n = firstRow + i;
    out += `<row r="${n}">`;
    r.forEach((v, c) => {
      if (v === null || v === '') return;
      const ref = `${colName(c)}${n}`;
      out += typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
    });
    out += '</row>';
  });
  return out;
}

/** A minimal, valid xlsx around the given sheet1.xml (and any extra entries). */
export function xlsxOf(sheetXml: string | Buffer, extra: ZipEntry[] = [], sheetEntry: Partial<ZipEntry> = {}): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(WB_RELS) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.isBuffer(sheetXml) ? sheetXml : Buffer.from(sheetXml), ...sheetEntry },
    ...extra,
  ]);
}

/** An xlsx of several sheets (sheet XML each, named 表1, 表2 … unless given), for sheet counts and dimensions. */
export function xlsxSheetsOf(sheets: (string | { name: string; xml: string; state?: string })[]): Buffer {
  const list = sheets.map((s, i) => (typeof s === 'string' ? { name: `表${i + 1}`, xml: s } : s));
  const ct =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    list.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '</Types>';
  const wb =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
    list.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    list.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    '</Relationships>';
  return zipOf([
    { name: '[Content_Types].xml', data: Buffer.from(ct) },
    { name: '_rels/.rels', data: Buffer.from(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: Buffer.from(wb) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
    ...list.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: Buffer.from(s.xml) })),
  ]);
}

/** A sheet's XML declaring `ref` as its dimension around the given rows. */
export function sheetWithDimension(ref: string, rows: (string | number | null)[][], firstRow = 1): string {
  return SHEET_OPEN.replace('<sheetData>', `<dimension ref="${ref}"/><sheetData>`) + sheetRowsXml(rows, firstRow) + SHEET_CLOSE;
}

// ---------------------------------------------------------------- databases

// freshDb is the one shared fixture (tests/support/db.ts), re-exported for the hostile, fuzz and
// conformance tests that take their builders from here.
export { freshDb } from '../support/db';

/**
 * A content hash of the database: every row of every table (so any write shows), plus the
 * measures as the services list them and the audit count.
 */
export function dbHash(db: Database): string {
  const h = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    h.update(`\n#${t}\n`);
    for (const row of db.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).raw().iterate()) h.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  const ctx = contextFor(db);
  h.update(JSON.stringify(listMeasures(ctx)));
  h.update(String(listAudit(ctx, undefined, 1_000_000).length));
  return h.digest('hex');
}

/** Has the message any Chinese in it? */
export const isChinese = (s: unknown): boolean => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s);

/** The entries of a (well-formed) zip, inflated: enough to take a real export apart and rebuild it. */
export function unzipEntries(b: Buffer): { name: string; data: Buffer; cdPos: number; localPos: number; dataPos: number; csz: number }[] {
  let eocd = -1;
  for (let i = b.length - 22; i >= 0; i--) if (b.readUInt32LE(i) === 0x06054b50) {
    eocd = i;
    break;
  }
  if (eocd < 0) throw new Error('not a zip');
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const method = b.readUInt16LE(p + 10);
    const csz = b.readUInt32LE(p + 20);
    const nameLen = b.readUInt16LE(p + 28);
    const local = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataPos = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(dataPos, dataPos + csz);
    out.push({ name, data: method === 0 ? Buffer.from(raw) : zlib.inflateRawSync(raw), cdPos: p, localPos: local, dataPos, csz });
    p += 46 + nameLen + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  return out;
}
