// The hostile spreadsheet corpus: files built to break an importer (malformed zips, zip bombs,
// huge cells, a million rows, formula/DDE strings, wrong encodings, XML entity tricks, path
// traversal names, disguised and encrypted files, empty ones). runHostileCorpus feeds each one
// through the same path as the app (startImport: read in a worker, diff on this thread) and
// checks that it ends in a clear Chinese message — or, where that is the right answer, a valid
// preview — and that the database is unchanged. `npm run reliability` calls runHostileCorpus.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import * as XLSX from 'xlsx';
import iconv from 'iconv-lite';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { ServiceError } from '../../electron/core/context';
import { listMeasures } from '../../electron/services/measures';
import { finishImport, startImport } from '../../electron/ipc/transfers';
import { exportLedger } from '../../electron/export/xlsx/ledger';
import { findDepartment } from '../../electron/services/departments';
import { bombStream, dbHash, freshDb, isChinese, sheetRowsXml, sheetWithDimension, SHEET_CLOSE, SHEET_OPEN, unzipEntries, xlsxOf, xlsxSheetsOf, zipOf } from './builders';

export interface HostileCase {
  name: string;
  file: string;
  why: string;
}

/** What each case must end in: refused with a message matching re, or a preview (checked by fn). */
type Expect = { refuse: RegExp } | { preview: (p: Awaited<ReturnType<typeof startImport>>) => string | null };

const HEADERS = LEDGER_COLUMNS.map((c) => c.header);
const FORMULAS = ["=cmd|' /C calc'!A0", '@SUM(1+1)*cmd|\' /C calc\'!A0', '+HYPERLINK("http://evil.example/x","点我")', '-2+3', '=1+1', '\t=1+1'];
const MB = 1024 * 1024;

/** A real measure id from the seed (the corpus is built before any database is opened). */
function someIds(n: number): string[] {
  const h = freshDb('czt-corpus-ids-');
  const ids = listMeasures(h.ctx).filter((m) => m.actionable).slice(0, n).map((m) => m.id);
  h.close();
  return ids;
}

const expectations = new Map<string, Expect>();

/** Build every hostile file into dir. */
export async function buildHostileCorpus(dir: string): Promise<HostileCase[]> {
  fs.mkdirSync(dir, { recursive: true });
  const cases: HostileCase[] = [];
  const add = (name: string, bytes: Buffer | string, why: string, expect: Expect) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    cases.push({ name, file, why });
    expectations.set(name, expect);
  };
  const ids = someIds(6);
  const header = [HEADERS];
  // a returned ledger may keep only some columns: 编号 and 进展情况 (B) are enough
  const short = [['编号', '进展情况']];
  const row = (id: string, progress: string) => [id, progress];
  const refuse = (re: RegExp): Expect => ({ refuse: re });

  // ---- malformed zips
  add('坏压缩包-只有文件头.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 0xab)]), 'zip signature, then junk: no central directory', refuse(/损坏|不完整/));
  const good = xlsxOf(SHEET_OPEN + sheetRowsXml([...short, row(ids[0], '有进展')]) + SHEET_CLOSE);
  const badCd = Buffer.from(good);
  badCd.writeUInt32LE(0xfffffff0, badCd.length - 22 + 16); // central directory offset points past the end
  add('坏压缩包-目录偏移.xlsx', badCd, 'end-of-central-directory points outside the file', refuse(/损坏|不完整/));
  add('坏压缩包-截断.xlsx', good.subarray(0, Math.floor(good.length * 0.7)), 'a valid xlsx cut at 70%', refuse(/损坏|不完整/));
  const crc = Buffer.from(good);
  const e0 = unzipEntries(good).find((e) => e.name.endsWith('sheet1.xml'))!;
  crc[e0.dataPos + 5] ^= 0xff;
  add('坏压缩包-数据损坏.xlsx', crc, 'sheet1.xml deflate stream damaged', refuse(/损坏|不完整|压缩|识别/));

  // ---- zip bombs
  const zeros = bombStream(400, 0x00);
  add('炸弹-零-如实声明.xlsx', xlsxOf('', [], { raw: zeros, declared: 400 * MB }), '400 MB of zeros deflated to ~400 KB, sizes declared honestly', refuse(/压缩炸弹|超过/));
  add('炸弹-零-谎报大小.xlsx', xlsxOf('', [], { raw: zeros, declared: 1000 }), 'the same stream, declared as 1000 bytes', refuse(/压缩炸弹/));
  const inner = xlsxOf('', [], { raw: bombStream(200, 0x00), declared: 200 * MB });
  add('炸弹-嵌套.xlsx', xlsxOf(SHEET_OPEN + SHEET_CLOSE, [{ name: 'xl/embeddings/oleObject1.bin', data: inner }, { name: 'xl/media/inner.zip', data: inner }]), 'a zip bomb stored inside the xlsx (nested): must not be expanded', refuse(/没有任何内容|没有找到|空/));
  add(
    '炸弹-多部件.xlsx',
    zipOf(Array.from({ length: 40 }, (_, i) => ({ name: `xl/worksheets/s${i}.xml`, data: Buffer.alloc(0), raw: bombStream(8, 0x00), declared: 8 * MB }))),
    '40 entries of 8 MB each (each under the ratio check threshold, 320 MB together)',
    refuse(/压缩炸弹|超过/),
  );

  // ---- huge cells
  // a cell too long to import is a blocking cell error in the preview, which changes nothing
  const tooLong: Expect = { preview: (p) => (p.errors.length >= 1 && p.summary.changed === 0 ? null : `expected a blocking cell error, got ${p.errors.length} errors, ${p.summary.changed} changes`) };
  // varied text (5 MB of one repeated character is refused as a zip bomb by its ratio: also fine, but not this case)
  const varied = Array.from({ length: 5 * MB / 8 }, (_, i) => `进展${(i * 7919) % 100000}`).join('').slice(0, 5 * MB);
  add('超大单元格-5MB.xlsx', xlsxOf(SHEET_OPEN + sheetRowsXml([...short, row(ids[0], varied)]) + SHEET_CLOSE), 'a 5 MB 进展情况 cell', tooLong);
  add('超大单元格-重复字.xlsx', xlsxOf(SHEET_OPEN + sheetRowsXml([...short, row(ids[0], '长'.repeat(5 * MB))]) + SHEET_CLOSE), 'a 5 MB cell of one character (compresses 1000:1)', refuse(/压缩炸弹/));
  add('超大单元格-5MB.csv', `编号,进展情况\n${ids[0]},"${'进'.repeat(5 * MB)}"\n`, 'a 5 MB cell in a CSV', tooLong);
  add('超大单元格-空白.csv', `编号,进展情况\n${ids[0]},"${' '.repeat(5 * MB)}x"\n`, '5 MB of blanks before one character (regex backtracking trap)', tooLong);

  // ---- a department name of megabytes (issue 16 item 5): refused as a cell at once, not compared
  // with every department's keys and bigrams (a 1 MB name took 26 s, 5 MB the whole 60 s limit)
  const cellError = (re: RegExp): Expect => ({
    preview: (p) => (p.summary.changed === 0 && p.errors.some((e) => re.test(e.message)) ? null : `expected a cell error ${re}, got ${JSON.stringify(p.errors.map((e) => e.message.slice(0, 80)))}`),
  });
  const longName = (n: number) => Array.from({ length: n / 8 }, (_, i) => `省${(i * 7919) % 100000}厅局`).join('').slice(0, n);
  add('超长单位名称-1MB.csv', `编号,牵头单位\n${ids[0]},"${longName(MB)}"\n`, 'a 1 MB unknown 牵头单位 name', cellError(/牵头单位过长/));
  add('超长单位名称-5MB.csv', `编号,配合单位\n${ids[0]},"${longName(5 * MB)}"\n`, 'a 5 MB 配合单位 cell', cellError(/配合单位过长/));
  add('超长单位名称-多个.csv', `编号,配合单位\n${ids[0]},"${Array.from({ length: 2000 }, (_, i) => `不存在的单位${i}${'局'.repeat(150)}`).join('、')}"\n`, '2,000 unknown 配合单位 names of 150+ characters', cellError(/过长|不在工作台的单位清单/));

  // ---- declared sizes are claims (issue 16 item 4): 16 sheets each declaring A1:XFD200020 around
  // a few cells (6.7 KB; the reader once sized arrays from the claim: 4.3 GB, the CLI died), and a
  // stray far cell in many sheets (real extent, but over the budget for all sheets together)
  const claimed = (n: number) => Array.from({ length: n }, (_, i) => sheetWithDimension('A1:XFD200020', i === 0 ? [...short, row(ids[0], '声明范围很大')] : [['备注']]));
  add('声明范围-16表.xlsx', xlsxSheetsOf(claimed(16)), '16 sheets each declaring A1:XFD200020 (16 × 40 million cells claimed)', {
    preview: (p) => (p.summary.changed === 1 ? null : `expected the one real row read, got ${p.summary.changed} changes`),
  });
  add('声明范围-6表.xlsx', xlsxSheetsOf(claimed(6)), '6 sheets each declaring A1:XFD200020', { preview: (p) => (p.summary.changed === 1 ? null : `got ${p.summary.changed} changes`) });
  const far = (i: number) => sheetWithDimension('A1:GS200000', [['编号']]).replace('</sheetData>', `<row r="200000"><c r="GS200000"><v>${i}</v></c></row></sheetData>`);
  add('远端单元格-16表.xlsx', xlsxSheetsOf(Array.from({ length: 16 }, (_, i) => far(i))), '16 sheets each with one cell at GS200000 (really 40 million cells each)', refuse(/表格范围过大/));
  add('声明范围-200表.xlsx', xlsxSheetsOf([...claimed(1), ...Array.from({ length: 199 }, () => sheetWithDimension('A1:GS200020', [['x']]))]), '200 sheets declaring 200,020 × 201 each', {
    preview: (p) => (p.summary.changed === 1 ? null : `got ${p.summary.changed} changes`),
  });

  // ---- a million rows
  const millionCsv = Buffer.from('编号,状态\n' + `${ids[0]},未启动\n`.repeat(1_000_000));
  add('一百万行.csv', millionCsv, '1,000,000 data rows (about 15 MB) of CSV', refuse(/超过 200000 行/));
  // xlsx: the sheet XML deflated (it is very repetitive), written without building it as one string
  const rowsXml: Buffer[] = [Buffer.from(SHEET_OPEN + sheetRowsXml(header))];
  const chunk = Array.from({ length: 1000 }, (_, i) => `<row r="@${i}"><c r="A@${i}" t="inlineStr"><is><t>${ids[0]}</t></is></c></row>`).join('');
  for (let k = 0; k < 1000; k++) rowsXml.push(Buffer.from(chunk.replace(/@(\d+)/g, (_, i) => String(2 + k * 1000 + Number(i)))));
  rowsXml.push(Buffer.from(SHEET_CLOSE));
  const sheetBig = Buffer.concat(rowsXml);
  add('一百万行.xlsx', xlsxOf(sheetBig), `1,000,000 rows in sheet1.xml (${Math.round(sheetBig.length / MB)} MB unzipped)`, refuse(/超过|压缩/));

  // ---- formulas and DDE: text in, text out
  add('公式与DDE.xlsx', xlsxOf(SHEET_OPEN + sheetRowsXml([...short, ...FORMULAS.slice(0, 4).map((f, i) => row(ids[i], f))]) + SHEET_CLOSE), 'formula and DDE strings as cell text', {
    preview: (p) => {
      const got = p.changes.flatMap((c) => c.changes.filter((f) => f.field === 'progress').map((f) => f.new));
      return FORMULAS.slice(0, 4).every((f) => got.includes(f)) ? null : `formulas not kept as literal text: ${JSON.stringify(got)}`;
    },
  });
  add('公式与DDE.csv', iconv.encode(['编号,进展情况', ...FORMULAS.slice(0, 4).map((f, i) => `${ids[i]},"${f.replace(/"/g, '""')}"`)].join('\r\n'), 'gbk'), 'formula and DDE strings in a GBK CSV', {
    preview: (p) => (p.summary.changed === 4 ? null : `expected 4 changed rows, got ${p.summary.changed}`),
  });
  const realFormula = SHEET_OPEN + sheetRowsXml(short) + `<row r="2"><c r="A2" t="inlineStr"><is><t>${ids[0]}</t></is></c><c r="B2" t="str"><f>cmd|' /C calc'!A0</f><v>缓存值</v></c></row>` + SHEET_CLOSE;
  add('真公式单元格.xlsx', xlsxOf(realFormula), 'a real DDE formula cell: only its cached value may be read, never the formula', {
    preview: (p) => {
      const got = p.changes.flatMap((c) => c.changes.map((f) => f.new));
      return got.some((v) => String(v).includes('cmd')) ? `formula text leaked: ${JSON.stringify(got)}` : null;
    },
  });

  // ---- encodings
  const csvText = `编号,状态,进展情况\n${ids[0]},推进中,已开工建设\n`;
  add('编码-GBK.csv', iconv.encode(csvText, 'gbk'), 'GBK CSV (what Excel in Chinese Windows writes)', { preview: (p) => (p.summary.changed === 1 ? null : 'GBK not decoded') });
  add('编码-UTF16LE.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csvText.replace(/,/g, '\t'), 'utf16le')]), 'UTF-16LE with BOM, tab-separated (Excel "Unicode text")', {
    preview: (p) => (p.summary.changed === 1 ? null : `UTF-16 not decoded (${p.summary.changed})`),
  });
  add('编码-UTF16无BOM.csv', iconv.encode(csvText, 'utf16le'), 'UTF-16LE without BOM (NUL bytes)', refuse(/不是可识别/));
  add('编码-ShiftJIS.csv', iconv.encode('番号,状態\n4.1.1.1,進行中\n', 'shiftjis'), 'Shift-JIS CSV: read as GBK, it is mojibake and has no 编号 header', refuse(/没有找到|编号/));
  add('编码-无效UTF8.csv', Buffer.concat([Buffer.from('编号,状态\n'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x82]), Buffer.from(`\n${ids[0]},推进中\n`)]), 'invalid UTF-8 sequences', refuse(/没有找到|编号|无法识别|不是/));

  // mixed encodings (issue 16 item 8): refused with an encoding message, never stored as ����
  const utf8Rows = `编号,状态,进展情况\n${ids[0]},推进中,已完成项目可行性研究报告编制并报送审批\n`;
  add('编码-UTF8带BOM混GBK.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8Rows), Buffer.from(`${ids[1]},推进中,`), iconv.encode('已开工建设，完成投资三亿元', 'gbk'), Buffer.from('\n')]), 'UTF-8 with a BOM, one 进展情况 cell in GBK', refuse(/编码/));
  add('编码-GBK带UTF8BOM.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(csvText, 'gbk')]), 'a GBK file behind a UTF-8 BOM', refuse(/编码/));
  add('编码-UTF8无BOM混GBK.csv', Buffer.concat([Buffer.from(utf8Rows), Buffer.from(`${ids[1]},推进中,`), iconv.encode('已开工建设，完成投资三亿元', 'gbk'), Buffer.from('\n')]), 'UTF-8 without a BOM, one cell in GBK', refuse(/编码/));
  add('编码-UTF16奇数字节.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csvText.replace(/,/g, '\t'), 'utf16le'), Buffer.from([0x41])]), 'UTF-16LE with a BOM and an odd last byte', refuse(/编码/));
  // an exported ledger with one shared-string index out of range: damaged, not "empty"
  {
    const h = freshDb('czt-corpus-sst-');
    const out = await exportLedger(h.ctx, {});
    h.close();
    const parts = unzipEntries(out.buffer).map((e) => ({ name: e.name, data: e.data }));
    const sheet = parts.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    let n = 0;
    sheet.data = Buffer.from(sheet.data.toString('utf8').replace(/t="s"><v>\d+<\/v>/g, (m) => (n++ === 40 ? 't="s"><v>999999</v>' : m)));
    add('共享字符串越界.xlsx', zipOf(parts), 'our own export with one shared-string index past the end', refuse(/损坏/));
  }

  // ---- XML entity tricks
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join('') +
    ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    sheetRowsXml(short) +
    `<row r="2"><c r="A2" t="inlineStr"><is><t>${ids[0]}</t></is></c><c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c></row>` +
    SHEET_CLOSE;
  add('XML-十亿笑.xlsx', xlsxOf(laughs), 'billion laughs: nested entities in a DOCTYPE inside sheet1.xml', {
    preview: (p) => (JSON.stringify(p).includes('lollollol') ? 'entities were expanded' : null),
  });
  const xxe =
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    sheetRowsXml(short) +
    `<row r="2"><c r="A2" t="inlineStr"><is><t>${ids[0]}</t></is></c><c r="B2" t="inlineStr"><is><t>&xxe;</t></is></c></row>` +
    SHEET_CLOSE;
  add('XML-外部实体.xlsx', xlsxOf(xxe), 'external entity SYSTEM "file:///etc/passwd": must not be read', {
    preview: (p) => (/root:|\/bin\/(ba)?sh/.test(JSON.stringify(p)) ? '/etc/passwd leaked into the preview' : null),
  });

  // ---- path traversal entry names
  const evil = Buffer.from('pwned');
  add(
    '路径穿越.xlsx',
    xlsxOf(SHEET_OPEN + sheetRowsXml([...short, row(ids[0], '有进展')]) + SHEET_CLOSE, [
      { name: '../../evil.txt', data: evil },
      { name: '../../../../../../tmp/czt-evil-abs.txt', data: evil },
      { name: '/tmp/czt-evil-root.txt', data: evil },
      { name: '..\\..\\evil-win.txt', data: evil },
    ]),
    'entries named ../../evil.txt, /tmp/…, ..\\..\\…: nothing may be written anywhere',
    { preview: () => null },
  );

  // ---- disguised, encrypted, empty
  add('网页冒充.xls', '<html><head><script>alert(1)</script></head><body><p>不是台账</p><img src="http://evil.example/x.png"></body></html>', 'an .xls that is really an HTML page without a table', refuse(/网页|不含表格|不是/));
  add('网页表格冒充.xls', `<html><body><table><tr><td>序号</td><td>金额</td></tr><tr><td>1</td><td>2</td></tr></table><iframe src="http://evil.example"></iframe></body></html>`, 'an .xls that is an HTML table (what some systems export): read as data, not a ledger', refuse(/没有找到|编号/));
  const cfb = XLSX.CFB.utils.cfb_new();
  XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]));
  XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(4096, 7));
  add('加密.xlsx', Buffer.from(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer), 'a password-protected OOXML (CFB with EncryptionInfo/EncryptedPackage)', refuse(/已加密/));
  add('加密标志.xlsx', xlsxOf(SHEET_OPEN + SHEET_CLOSE, [], { flags: 1 }), 'a zip entry with the "encrypted" flag', refuse(/已加密/));
  add('空文件.xlsx', Buffer.alloc(0), 'an empty file', refuse(/空/));
  add('空文件.csv', Buffer.alloc(0), 'an empty CSV', refuse(/空/));
  add('零行.xlsx', xlsxOf(SHEET_OPEN + SHEET_CLOSE), 'a sheet with no rows', refuse(/没有任何内容|空/));
  add('只有表头.xlsx', xlsxOf(SHEET_OPEN + sheetRowsXml(header) + SHEET_CLOSE), 'a sheet with only the header row', {
    preview: (p) => (p.summary.changed === 0 && p.changes.length === 0 ? null : 'a header-only sheet changed something'),
  });
  add('只有表头.csv', HEADERS.join(',') + '\n', 'a CSV with only the header row', { preview: (p) => (p.summary.changed === 0 ? null : 'changed something') });
  return cases;
}

/** Where path-traversal entries would land if anything unpacked them. */
function traversalTargets(dir: string): string[] {
  return [
    path.resolve(dir, '../../evil.txt'),
    path.resolve(dir, '../evil.txt'),
    path.resolve(process.cwd(), '../../evil.txt'),
    path.resolve(process.cwd(), 'evil.txt'),
    path.resolve(process.cwd(), '..\\..\\evil-win.txt'),
    '/tmp/czt-evil-abs.txt',
    '/tmp/czt-evil-root.txt',
    path.resolve(os.tmpdir(), 'evil.txt'),
  ];
}

export interface CaseResult {
  name: string;
  why: string;
  outcome: 'refused' | 'preview' | 'failed';
  message: string;
  ms: number;
}

export interface CorpusRun {
  tried: number;
  rejectedCleanly: number;
  failures: string[];
}

/**
 * Build the corpus in a temp folder and run every file through startImport against a fresh
 * database. rejectedCleanly counts the files that ended as they must: refused with a Chinese
 * message (or previewed, for the few where a preview is the right answer, e.g. formula text),
 * in bounded time, with the database unchanged and nothing written outside.
 */
export async function runHostileCorpus(): Promise<{ tried: number; rejectedCleanly: number; failures: string[] }> {
  return (await runHostileCorpusDetailed()).summary;
}

export async function runHostileCorpusDetailed(opts: { log?: (s: string) => void } = {}): Promise<{ summary: CorpusRun; results: CaseResult[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-hostile-corpus-'));
  const corpusDir = path.join(dir, 'a', 'b', 'corpus');
  const cases = await buildHostileCorpus(corpusDir);
  const h = freshDb('czt-hostile-db-');
  const before = dbHash(h.db);
  const targets = traversalTargets(corpusDir);
  const existed = new Set(targets.filter((t) => fs.existsSync(t)));
  const failures: string[] = [];
  const results: CaseResult[] = [];
  for (const c of cases) {
    const expect = expectations.get(c.name)!;
    const t = Date.now();
    let outcome: CaseResult['outcome'] = 'failed';
    let message = '';
    const problems: string[] = [];
    try {
      const p = await startImport(h.ctx, c.name, fs.readFileSync(c.file));
      outcome = 'preview';
      message = `预览：${p.summary.changed} 行有修改，${p.errors.length} 处错误`;
      if ('refuse' in expect) problems.push(`expected a refusal, got a preview (${message})`);
      else {
        const bad = expect.preview(p);
        if (bad) problems.push(bad);
      }
    } catch (e) {
      message = (e as Error)?.message ?? String(e);
      if (!(e instanceof ServiceError)) problems.push(`not a ServiceError: ${(e as Error)?.stack ?? e}`);
      else {
        outcome = 'refused';
        if (!isChinese(message)) problems.push(`message not Chinese: ${message}`);
        if ('refuse' in expect && !expect.refuse.test(message)) problems.push(`unexpected message: ${message}`);
        if ('preview' in expect) problems.push(`expected a preview, refused: ${message}`);
      }
    }
    const ms = Date.now() - t;
    if (ms > 30_000) problems.push(`took ${ms} ms`);
    if (dbHash(h.db) !== before) problems.push('the database changed');
    for (const tgt of targets) if (!existed.has(tgt) && fs.existsSync(tgt)) problems.push(`a file appeared: ${tgt}`);
    if (problems.length) outcome = 'failed';
    problems.forEach((p) => failures.push(`${c.name}: ${p}`));
    results.push({ name: c.name, why: c.why, outcome, message: message.slice(0, 200), ms });
    opts.log?.(`${outcome === 'failed' ? '✗' : '✓'} ${c.name} (${ms} ms) ${outcome}: ${message.slice(0, 120)}`);
  }
  const extra = fs.readdirSync(corpusDir).filter((f) => !cases.some((c) => c.name === f));
  if (extra.length) failures.push(`files appeared in the corpus folder: ${extra.join(', ')}`);
  h.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { summary: { tried: cases.length, rejectedCleanly: results.filter((r) => r.outcome !== 'failed').length, failures }, results };
}

/**
 * Formula text survives a round trip as text: import it (in a scratch database), export the
 * ledger again, and look at the exported sheet XML: no <f> element anywhere.
 */
export async function formulaRoundTrip(): Promise<{ formulasInXml: number; literalCells: number }> {
  const h = freshDb('czt-hostile-formula-');
  const ids = listMeasures(h.ctx).filter((m) => m.actionable).slice(0, FORMULAS.length).map((m) => m.id);
  const csv = ['编号,进展情况', ...FORMULAS.map((f, i) => `${ids[i]},"${f.replace(/"/g, '""')}"`)].join('\n');
  const p = await startImport(h.ctx, 'f.csv', Buffer.from(csv));
  await finishImport(h.ctx, p.previewId, { onConflict: 'take' });
  const out = await exportLedger(h.ctx, {});
  let formulas = 0;
  let literal = 0;
  for (const e of unzipEntries(out.buffer)) {
    if (!/^xl\/(worksheets\/.*|sharedStrings)\.xml$/.test(e.name)) continue;
    const xml = e.data.toString('utf8');
    formulas += (xml.match(/<f[\s>]/g) ?? []).length;
    // a writer may escape ' and " or not: accept any of the legal spellings of the same text
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const f of FORMULAS) {
      const spellings = [f, esc(f), esc(f).replace(/"/g, '&quot;'), esc(f).replace(/'/g, '&apos;'), esc(f).replace(/"/g, '&quot;').replace(/'/g, '&apos;')];
      if (spellings.some((v) => xml.includes(v))) literal++;
    }
  }
  void findDepartment;
  h.close();
  return { formulasInXml: formulas, literalCells: literal };
}

/**
 * Every corpus file read by the reader in a child process of its own (measureRefusal): the worst
 * peak memory and the file it was (`npm run reliability`).
 */
export async function corpusPeakMemory(log?: (s: string) => void): Promise<{ files: number; worst: { name: string; peakRssMb: number; ms: number; message: string } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-hostile-mem-'));
  try {
    const cases = await buildHostileCorpus(dir);
    let worst = { name: '', peakRssMb: -1, ms: 0, message: '' };
    for (const c of cases) {
      const m = measureRefusal(c.file);
      log?.(`${c.name}: ${Math.round(m.peakRssMb)} MB, ${Math.round(m.ms)} ms`);
      if (m.peakRssMb > worst.peakRssMb) worst = { name: c.name, ...m };
    }
    return { files: cases.length, worst };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak RSS and time of refusing one file, measured in a child process of its own. */
export function measureRefusal(file: string): { ms: number; peakRssMb: number; message: string } {
  const script = `
    const fs = require('node:fs');
    const { readSpreadsheet } = require(${JSON.stringify(path.resolve(__dirname, '../../electron/import/read.ts'))});
    const bytes = fs.readFileSync(${JSON.stringify(file)});
    const base = process.memoryUsage().rss;
    const t = performance.now();
    let message = 'read without refusal';
    try { readSpreadsheet(${JSON.stringify(path.basename(file))}, bytes); } catch (e) { message = e.message; }
    const ms = performance.now() - t;
    console.log(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb: base / 1048576, message }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 300_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { ms: -1, peakRssMb: -1, message: `measurement failed: ${r.stderr.slice(0, 300)}` };
  }
}

// zlib is used by builders; keep the import for callers that build more cases
void zlib;
