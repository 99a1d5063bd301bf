// A direct reader of the cell values of an ordinary .xlsx, for the import's common case (a
// ledger as the workbench wrote it, or as Excel / WPS saved it again): it scans the sheet XML
// with indexOf instead of SheetJS's general parser, several times faster on a returned ledger
// (docs/bench.md). It gives exactly what read.ts made of SheetJS's result (tests/unit/import/xlsx-fast.test.ts
// compares the two on every workbook the tests build, the hostile ones included), and it gives
// up — returns null, and SheetJS reads the file as before — on anything it was not written
// for: namespace prefixes, cells or rows without a reference, date cells, CDATA, a missing or
// odd dimension, a sheet longer than allowed, chart or macro sheets, a broken shared-string
// index. It only ever sees parts that checkZip has already inflated under its caps.
import type { CellValue, ReadSheet } from './read';
import { CellBudget, usedExtent } from './budget';

/** Same as SheetJS's unescapexml (entities, then _xHHHH_ escapes; CDATA kept verbatim). */
const ENCODINGS: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&gt;': '>', '&lt;': '<', '&amp;': '&' };
const ENC_RE = /&(?:quot|apos|gt|lt|amp|#x?([\da-fA-F]+));/gi;
const CODE_RE = /_x([\da-fA-F]{4})_/gi;
/** the five named entities, spelled as SheetJS maps them; null when anything else is there */
function plainEntities(s: string, amp: number): string | null {
  let out = '';
  let from = 0;
  for (let i = amp; i !== -1; i = s.indexOf('&', from)) {
    const semi = s.indexOf(';', i);
    const rep = semi !== -1 && semi - i <= 5 ? ENCODINGS[s.slice(i, semi + 1)] : undefined;
    if (rep === undefined) return null;
    const len = semi + 1 - i;
    out += s.slice(from, i) + rep;
    from = i + len;
  }
  return out + s.slice(from);
}

/**
 * A numeric character reference: the whole code point (SheetJS's unescapexml takes it modulo
 * 0x10000, so openpyxl's &#128512; came back as U+F600 and 𠮷 as a Tamil letter: emoji and rare
 * CJK lost from a ledger openpyxl saved). Not a character: left as written.
 */
const charRef = (n: number): string => (n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '');

/** anything rawUnescape would change starts with one of these */
const MAY_ESCAPE = /[&_<]/;

function rawUnescape(s: string): string {
  if (!MAY_ESCAPE.test(s)) return s;
  const i = s.indexOf('<![CDATA[');
  if (i === -1) {
    const amp = s.indexOf('&');
    const code = s.indexOf('_x') !== -1 || s.indexOf('_X') !== -1;
    if (amp === -1 && !code) return s;
    if (!code) {
      const plain = plainEntities(s, amp);
      if (plain !== null) return plain;
    }
    return s
      .replace(ENC_RE, ($$, $1: string) => ENCODINGS[$$] || charRef(parseInt($1, $$.indexOf('x') > -1 ? 16 : 10)) || $$)
      .replace(CODE_RE, (_m, c: string) => String.fromCharCode(parseInt(c, 16)));
  }
  const j = s.indexOf(']]>');
  return rawUnescape(s.slice(0, i)) + s.slice(i + 9, j) + rawUnescape(s.slice(j + 3));
}
function unescapeXml(s: string, xlsx = false): string {
  const out = rawUnescape(s);
  return xlsx && out.indexOf('\r\n') !== -1 ? out.replace(/\r\n/g, '\n') : out;
}

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

function text(b: Buffer | undefined): string | null {
  if (!b) return null;
  // a UTF-16 part (BOM FF FE / FE FF) is SheetJS's business
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) giveUp();
  return b.toString('utf8');
}

/** attribute values of one start tag (no entity decoding), or undefined */
const ATTR_RES = new Map<string, RegExp>();
function attr(tag: string, name: string): string | undefined {
  let re = ATTR_RES.get(name);
  if (!re) ATTR_RES.set(name, (re = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = tag.match(re);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** attr(), first trying the usual spelling ( name="value") */
function quickAttr(tag: string, quick: string, name: string): string | undefined {
  const i = tag.indexOf(quick);
  if (i !== -1) {
    const e = tag.indexOf('"', i + quick.length);
    if (e !== -1) return tag.slice(i + quick.length, e);
  }
  return attr(tag, name);
}

interface Rel {
  target: string;
  type: string;
}

function readRels(xml: string | null, dir: string): Map<string, Rel> {
  const out = new Map<string, Rel>();
  if (xml === null) return out;
  for (const m of xml.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    const type = attr(m[0], 'Type') ?? '';
    if (id === undefined || target === undefined) continue;
    if (attr(m[0], 'TargetMode') === 'External') continue;
    out.set(id, { target: resolve(dir, target), type });
  }
  return out;
}

function resolve(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir ? `${dir}/${target}` : target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/** the text of one <si> (or <is>) body, as SheetJS's parse_si gives it; undefined when SheetJS gives none */
function stringItem(x: string): string | undefined {
  if (!x) return '';
  if (/^\s*<t[^>]*>/.test(x)) {
    const body = x.slice(x.indexOf('>') + 1);
    const end = body.indexOf('</t>');
    return unescapeXml(end === -1 ? body : body.slice(0, end), true);
  }
  if (/<r\b[^<>]*>/.test(x)) {
    // rich text: the runs' <t>, without the phonetic runs (<rPh>)
    // (by hand, not a lazy regex: an unclosed <rPh> repeated would rescan the rest each time)
    let noPh = '';
    let from = 0;
    for (let i = x.indexOf('<rPh'); i !== -1; i = x.indexOf('<rPh', from)) {
      const c = x.charCodeAt(i + 4);
      if (c !== 32 && c !== 62 && c !== 47 && c !== 9 && c !== 10 && c !== 13) {
        noPh += x.slice(from, i + 4);
        from = i + 4;
        continue;
      }
      const close = x.indexOf('</rPh>', i);
      if (close === -1) giveUp();
      noPh += x.slice(from, i);
      from = close + 6;
    }
    noPh += x.slice(from);
    let s = '';
    for (const m of noPh.matchAll(/<t\b[^<>]*>([^<]*)<\/t>/g)) s += m[1];
    return unescapeXml(s, true);
  }
  return undefined;
}

function sharedStrings(xml: string | null): (string | undefined)[] {
  if (xml === null) return [];
  if (xml.includes('<![CDATA[') || /<\/?\w+:(?:sst|si|t|r|rPh)\b/.test(xml) || /<si[\s/]|<sstItem/.test(xml)) giveUp();
  const open = xml.search(/<sst\b[^<>]*>/);
  if (open === -1) return [];
  const start = xml.indexOf('>', open) + 1;
  const end = xml.indexOf('</sst>', start);
  if (end === -1) return [];
  const items = xml.slice(start, end).replace(/<si>/g, '').split('</si>');
  return items.map((s) => stringItem(s.trim()));
}

const COL_RE = /^([A-Z]{1,3})(\d{1,7})$/;
function decodeCol(letters: string): number {
  let c = 0;
  for (let i = 0; i < letters.length; i++) c = c * 26 + (letters.charCodeAt(i) - 64);
  return c - 1;
}

/** The sheet's dimension as SheetJS takes it (only an "A1:B2" form); null when absent. */
function dimension(head: string): { rows: number; cols: number } | null {
  const at = head.search(/<(?:\w*:)?dimension/);
  if (at <= 0) return null;
  const m = head.slice(at, at + 50).match(/"(\w*:\w*)"/);
  if (!m) return null;
  const [a, b] = m[1].split(':');
  const ma = a.match(COL_RE);
  const mb = b.match(COL_RE);
  if (!ma || !mb) giveUp();
  const s = { r: Number(ma![2]) - 1, c: decodeCol(ma![1]) };
  const e = { r: Number(mb![2]) - 1, c: decodeCol(mb![1]) };
  if (!(s.r <= e.r && s.c <= e.c && s.r >= 0 && s.c >= 0)) return null;
  return { rows: e.r + 1, cols: e.c + 1 };
}

function sheetRows(xml: string, strs: (string | undefined)[], maxRows: number, maxCols: number, budget: CellBudget): CellValue[][] {
  const sdOpen = xml.search(/<(?:\w+:)?sheetData\b[^<>]*>/);
  const head = sdOpen === -1 ? xml : xml.slice(0, sdOpen);
  if (head.includes('<![CDATA[')) giveUp();
  const dim = dimension(head);
  if (dim && dim.rows > maxRows) giveUp();
  // the cells are gathered first: without a dimension the extent is known only at the end
  const cellRow: number[] = [];
  const cellCol: number[] = [];
  const cellVal: CellValue[] = [];
  /** without a dimension, SheetJS's guess: the last row element, the last cell with a type or a value */
  let lastRow = -1;
  let lastCol = -1;
  const grid = (): CellValue[][] => {
    let nRows: number;
    let nCols: number;
    if (dim) {
      nRows = dim.rows;
      nCols = dim.cols;
    } else {
      if (lastRow < 0 || lastCol < 0) return [];
      nRows = lastRow + 1;
      nCols = lastCol + 1;
    }
    nCols = Math.min(nCols, maxCols);
    // the declared (or guessed) extent is a claim: the grid ends at the last cell with a value in it
    const { rows: usedRows, cols: usedCols } = usedExtent(cellRow, cellCol, cellVal, nRows, nCols);
    budget.take(usedRows * usedCols);
    const rows: CellValue[][] = new Array(usedRows);
    for (let r = 0; r < usedRows; r++) rows[r] = new Array<CellValue>(usedCols).fill(null);
    for (let i = 0; i < cellRow.length; i++) {
      const r = cellRow[i];
      const c = cellCol[i];
      if (r >= 0 && r < usedRows && c < usedCols) rows[r][c] = cellVal[i];
    }
    return rows;
  };
  if (sdOpen === -1) return grid();
  if (/^<\w+:/.test(xml.slice(sdOpen, sdOpen + 40))) giveUp();
  const sdStart = xml.indexOf('>', sdOpen) + 1;
  if (xml[sdStart - 2] === '/') return grid();
  const sdEnd = xml.indexOf('</sheetData>', sdStart);
  if (sdEnd === -1) return grid();
  const sd = xml.slice(sdStart, sdEnd);
  if (sd.includes('<![CDATA[')) giveUp();

  // a prefixed tag (<x:c …>) anywhere would be missed by the scan below: every ':' is looked at
  // once, and one that opens or closes a prefixed tag sends the file to SheetJS
  let colon = sd.indexOf(':');
  const prefixedAt = (i: number) => {
    let k = i - 1;
    while (k >= 0 && /\w/.test(sd[k])) k--;
    return k >= 0 && (sd[k] === '<' || (sd[k] === '/' && sd[k - 1] === '<')) && k < i - 1;
  };
  if (!dim) {
    // the row elements (not the self-closing ones, which SheetJS passes over) give the last row
    for (let i = sd.indexOf('<row'); i !== -1; i = sd.indexOf('<row', i + 4)) {
      const next = sd.charCodeAt(i + 4);
      if (next !== 32 && next !== 62 && next !== 47 && next !== 9 && next !== 10 && next !== 13) continue;
      const end = sd.indexOf('>', i);
      if (end === -1) giveUp();
      if (sd.charCodeAt(end - 1) === 47) continue;
      const r = quickAttr(sd.slice(i, end + 1), ' r="', 'r');
      if (r === undefined || !/^\d{1,7}$/.test(r) || Number(r) < 1 || Number(r) >= maxRows) giveUp();
      lastRow = Math.max(lastRow, Number(r) - 1);
    }
  }
  let p = 0;
  for (;;) {
    const c = sd.indexOf('<c', p);
    while (colon !== -1 && (c === -1 || colon < c || colon < p)) {
      if (prefixedAt(colon)) giveUp();
      colon = sd.indexOf(':', colon + 1);
    }
    if (c === -1) break;
    const next = sd.charCodeAt(c + 2);
    // <c r=…>, <c/>, <c>; not <col…> and the like
    if (next !== 32 && next !== 47 && next !== 62 && next !== 9 && next !== 10 && next !== 13) {
      p = c + 2;
      continue;
    }
    const tagEnd = sd.indexOf('>', c);
    if (tagEnd === -1) giveUp();
    const selfClosing = sd.charCodeAt(tagEnd - 1) === 47;
    const close = selfClosing ? -1 : sd.indexOf('</c>', tagEnd);
    if (!selfClosing && close === -1) giveUp();
    p = selfClosing ? tagEnd + 1 : close + 4;
    // the usual spelling, read in place: <c r="AB12" …> (the reference first), t="…" if any, a
    // body that starts with <v>; anything else is read from slices of the tag and body as before
    let row = -1;
    let col = -1;
    if (next === 32 && sd.charCodeAt(c + 3) === 114 && sd.charCodeAt(c + 4) === 61 && sd.charCodeAt(c + 5) === 34) {
      let k = c + 6;
      let letters = 0;
      let cc = 0;
      for (let ch = sd.charCodeAt(k); ch >= 65 && ch <= 90; ch = sd.charCodeAt(++k)) {
        cc = cc * 26 + (ch - 64);
        letters++;
      }
      let digits = 0;
      let rr = 0;
      for (let ch = sd.charCodeAt(k); ch >= 48 && ch <= 57; ch = sd.charCodeAt(++k)) {
        rr = rr * 10 + (ch - 48);
        digits++;
      }
      if (sd.charCodeAt(k) === 34 && letters >= 1 && letters <= 3 && digits >= 1 && digits <= 7) {
        row = rr - 1;
        col = cc - 1;
      }
    }
    let tag: string | undefined;
    if (row === -1) {
      tag = sd.slice(c, tagEnd + 1);
      const ref = quickAttr(tag, ' r="', 'r');
      const m = ref === undefined ? null : ref.match(COL_RE);
      if (!m) giveUp();
      row = Number(m![2]) - 1;
      col = decodeCol(m![1]);
    }
    // t="…" looked for inside this tag only (a search past its end would rescan the sheet per cell)
    let t: string | undefined;
    let ti = -1;
    for (let k = c + 2; k < tagEnd - 3; k++)
      if (sd.charCodeAt(k) === 32 && sd.charCodeAt(k + 1) === 116 && sd.charCodeAt(k + 2) === 61 && sd.charCodeAt(k + 3) === 34) {
        ti = k;
        break;
      }
    let te = -1;
    if (ti !== -1)
      for (let k = ti + 4; k < tagEnd; k++)
        if (sd.charCodeAt(k) === 34) {
          te = k;
          break;
        }
    if (te !== -1) t = sd.slice(ti + 4, te);
    else t = attr(tag ?? sd.slice(c, tagEnd + 1), 't');
    if (t === 'd') giveUp();
    // the first <v> of the cell, as SheetJS finds it
    let v: string | undefined;
    let body: string | undefined;
    // an inline string in the usual spelling, read in place: <is><t>text</t></is></c> (our own
    // ledger writes its ids and long texts so)
    let inline: string | undefined;
    if (t === 'inlineStr' && !selfClosing && sd.startsWith('<is><t>', tagEnd + 1)) {
      const ts = tagEnd + 8;
      const te = sd.indexOf('<', ts);
      if (te === close - 9 && sd.startsWith('</t></is>', te)) inline = unescapeXml(sd.slice(ts, te), true);
    }
    if (inline !== undefined) {
      // no <v>: the text is the value
    } else if (!selfClosing && sd.startsWith('<v>', tagEnd + 1)) {
      // <v>text</v></c>: the first '<' after the text (found by close at the latest) opens </v>
      const vs = tagEnd + 4;
      const ve = sd.indexOf('<', vs);
      if (ve === close - 4 && sd.startsWith('</v>', ve)) {
        if (ve > vs) v = unescapeXml(sd.slice(vs, ve));
      } else body = sd.slice(tagEnd + 1, close);
    } else body = selfClosing ? '' : sd.slice(tagEnd + 1, close);
    if (body !== undefined) {
      let vo = body.indexOf('<v>');
      if (vo === -1 && body.indexOf('<v') !== -1) vo = body.search(/<v\b[^<>]*>/);
      if (vo !== -1) {
        const vs = body.indexOf('>', vo) + 1;
        const ve = body.indexOf('</v>', vs);
        if (ve !== -1) {
          const raw = body.slice(vs, ve);
          if (raw !== '') v = unescapeXml(raw);
        }
      }
    }
    // SheetJS counts a cell into its guessed extent once it has a type or a value
    if (t !== undefined || v !== undefined) lastCol = Math.max(lastCol, col);
    let value: CellValue;
    if (t === undefined || t === 'n') {
      if (v === undefined || v === '') continue;
      value = parseFloat(v);
    } else if (t === 's') {
      if (v === undefined) continue;
      const i = parseInt(v, 10);
      if (!(i >= 0 && i < strs.length)) giveUp();
      value = strs[i] ?? null;
    } else if (t === 'str') {
      // SheetJS decodes a str value's entities twice
      value = v !== undefined ? unescapeXml(v, true) : '';
    } else if (t === 'inlineStr') {
      let s: string | undefined = inline;
      if (s === undefined) {
        if (body === undefined) body = sd.slice(tagEnd + 1, close);
        const io = body.search(/<is\b[^<>]*>/);
        s = '';
        if (io !== -1) {
          const is = body.indexOf('>', io) + 1;
          const ie = body.indexOf('</is>', is);
          if (ie !== -1) s = stringItem(body.slice(is, ie));
        }
      }
      value = s ?? null;
    } else if (t === 'b') {
      value = v === '1' || v === 'true';
    } else if (t === 'e') {
      value = null;
    } else value = giveUp();
    cellRow.push(row);
    cellCol.push(col);
    cellVal.push(value);
    // the cells themselves count against the budget as they are found (three arrays of them)
    if (cellRow.length > budget.left) budget.take(cellRow.length);
  }
  return grid();
}

/**
 * The sheets of an .xlsx from its inflated parts (name → bytes), in workbook order, or null
 * when this file is one for SheetJS.
 */
export function readXlsxFast(parts: Map<string, Buffer>, maxRows: number, maxCols: number, budget: CellBudget = new CellBudget()): ReadSheet[] | null {
  try {
    // the parts are found as SheetJS finds them: [Content_Types].xml names the workbook and the
    // shared strings; anything else SheetJS treats apart (ODS, Numbers) is left to it
    if (['META-INF/manifest.xml', 'objectdata.xml', 'Index/Document.iwa'].some((n) => parts.has(n))) return null;
    const ct = text(parts.get('[Content_Types].xml'));
    if (ct === null) return null;
    if (!/<Types\b[^>]*\sxmlns="http:\/\/schemas\.openxmlformats\.org\/package\/2006\/content-types"/.test(ct)) return null;
    const overrides = [...ct.matchAll(/<Override\b[^>]*>/g)].map((m) => ({ part: (attr(m[0], 'PartName') ?? '').replace(/^\//, ''), type: attr(m[0], 'ContentType') ?? '' }));
    const byType = (type: string) => overrides.filter((o) => o.type === type).map((o) => o.part);
    // exactly one workbook, a plain one (no macro, template or binary workbook anywhere)
    if (overrides.some((o) => /macroEnabled|\.template\.|sheet\.binary/.test(o.type))) return null;
    const workbooks = byType('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml');
    if (workbooks.length !== 1 || workbooks[0] !== 'xl/workbook.xml') return null;
    const wbXml = text(parts.get('xl/workbook.xml'));
    if (wbXml === null) return null;
    const rels = readRels(text(parts.get('xl/_rels/workbook.xml.rels')), 'xl');
    if (/<\/?\w+:(?:workbook|sheets|sheet)\b/.test(wbXml)) return null;
    const sst = byType('application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml')[0];
    const strs = sst ? sharedStrings(text(parts.get(sst))) : [];
    const sheets: ReadSheet[] = [];
    for (const m of wbXml.matchAll(/<sheet\b[^>]*>/g)) {
      const name = attr(m[0], 'name');
      const rid = attr(m[0], 'r:id');
      if (name === undefined || rid === undefined || name.includes('&') || name.includes('_x')) return null;
      const rel = rels.get(rid);
      if (!rel || !/\/worksheet$/.test(rel.type) || !rel.target.startsWith('xl/')) return null;
      const xml = text(parts.get(rel.target));
      if (xml === null) return null;
      const state = attr(m[0], 'state');
      sheets.push({
        name,
        state: state === 'hidden' ? 'hidden' : state === 'veryHidden' ? 'veryHidden' : 'visible',
        rows: sheetRows(xml, strs, maxRows, maxCols, budget),
      });
    }
    if (sheets.length === 0) return null;
    return sheets;
  } catch (e) {
    if (e instanceof GiveUp) return null;
    throw e;
  }
}
