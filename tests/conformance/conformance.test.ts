// Every kind of file the workbench writes (every export kind with each option, drafts with every
// block type, hostile text) is valid Office Open XML by Microsoft's Open XML SDK validator, with
// zero errors, and opens in the readers people use around Office: LibreOffice (to PDF),
// openpyxl, pandas.read_excel, python-docx and SheetJS. A reader that is not installed is
// skipped with the reason (.ci/run installs them all).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { buildCorpus, HOSTILE, makeFile, type Corpus } from './corpus';
import { describe as describeErrors, validate, validatorMissing, type OoxmlError } from './validator';
import { PY, pythonMissing, sofficeMissing } from './tools';

const READERS = path.join(__dirname, 'readers.py');
/** the hostile text as stored and written: the characters XML cannot carry are gone */
const HOSTILE_SEEN = HOSTILE.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '');

/** Run two at a time (the machine has two cores). */
async function pool<T, R>(xs: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < xs.length) {
        const i = next++;
        out[i] = await f(xs[i]);
      }
    }),
  );
  return out;
}

let c: Corpus;
/** name → file */
const files = new Map<string, string>();
const xlsxFiles = () => [...files].filter(([, f]) => f.endsWith('.xlsx'));
const docxFiles = () => [...files].filter(([, f]) => f.endsWith('.docx'));

before(async () => {
  c = buildCorpus();
  for (const { name, req } of c.requests) files.set(name, await makeFile(c, name, req));
});

test('every export kind with every option passes the Open XML SDK validator with zero errors', { skip: validatorMissing() ?? false }, async () => {
  assert.ok(files.size >= 30, `${files.size} files`);
  const results = await pool([...files], 2, async ([name, f]) => [name, await validate(f)] as [string, OoxmlError[]]);
  const bad = results.filter(([, e]) => e.length);
  assert.deepEqual(
    bad.map(([n, e]) => `${n}: ${e.length}`),
    [],
    bad.map(([n, e]) => `${n}:\n${describeErrors(e, 5)}`).join('\n'),
  );
});

test('the validator finds errors: a file with vertical="middle" is not passed', { skip: validatorMissing() ?? false }, async () => {
  // the test above could not fail if the validator passed everything
  const zip = XLSX.CFB.read(fs.readFileSync(files.get('indicators')!), { type: 'buffer' });
  const e = XLSX.CFB.find(zip, '/xl/styles.xml')!;
  const styles = Buffer.from(e.content as Uint8Array).toString('utf8');
  assert.match(styles, /vertical="center"/);
  e.content = Buffer.from(styles.replace(/vertical="center"/g, 'vertical="middle"'));
  const broken = path.join(c.dir, 'broken.xlsx');
  fs.writeFileSync(broken, XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip', compression: true }) as Buffer);
  const errors = await validate(broken);
  assert.ok(errors.some((x) => x.path === '/xl/styles.xml' && /middle/.test(x.description)), describeErrors(errors));
});

test('SheetJS reads every workbook: the title, the sheets, the hostile text', () => {
  for (const [name, f] of xlsxFiles()) {
    const wb = XLSX.read(fs.readFileSync(f), { type: 'buffer' });
    const first = wb.Sheets[wb.SheetNames[0]];
    assert.ok(String(first.A1?.v ?? '').length > 0, `${name}: a title in A1`);
    const visible = (wb.Workbook?.Sheets ?? []).filter((s) => !s.Hidden).map((s) => s.name);
    assert.ok(visible.length >= 1, name);
    assert.ok(wb.SheetNames.filter((n) => n.startsWith('_')).every((n) => (wb.Workbook?.Sheets ?? []).find((s) => s.name === n)?.Hidden === 2), `${name}: helper sheets veryHidden`);
  }
  const ledger = XLSX.read(fs.readFileSync(files.get('ledger-dept')!), { type: 'buffer' });
  const texts = XLSX.utils.sheet_to_json<string[]>(ledger.Sheets[ledger.SheetNames[0]], { header: 1, defval: '' }).flat();
  assert.ok(texts.includes(HOSTILE_SEEN), 'the hostile text, as written');
  // a draft with tables of each kind, live and frozen, in the body and as attachments: one sheet each, in order
  const tables = XLSX.read(fs.readFileSync(files.get('draft-tables-field')!), { type: 'buffer' });
  const shown = tables.SheetNames.filter((n) => !n.startsWith('_'));
  assert.ok(shown.length >= 4, shown.join(','));
  shown.forEach((n, i) => assert.ok(n.startsWith(`附件${i + 1} `), n));
  assert.deepEqual(
    tables.SheetNames.filter((n) => n.startsWith('_')),
    ['_lists', '_meta'],
  );
});

test('openpyxl and pandas.read_excel open every workbook; python-docx every document', { skip: pythonMissing() ?? false }, () => {
  const all = [...files.values()];
  const out = execFileSync(PY, [READERS, 'read', ...all], { encoding: 'utf8', maxBuffer: 512 << 20, timeout: 600000 });
  type X = { openpyxl: Record<string, { state: string; rows: number; cols: number; a1: unknown; texts: string[] }>; pandas: Record<string, { rows: number; cols: number }> };
  type D = { paragraphs: number; tables: number; sections: number; styles: string[]; text: string };
  const seen = JSON.parse(out) as Record<string, X | D>;
  for (const [name, f] of xlsxFiles()) {
    const x = seen[f] as X;
    const wb = XLSX.read(fs.readFileSync(f), { type: 'buffer' });
    assert.deepEqual(Object.keys(x.openpyxl), wb.SheetNames, `${name}: openpyxl sees the sheets`);
    assert.deepEqual(Object.keys(x.pandas), wb.SheetNames, `${name}: pandas sees the sheets`);
    for (const sn of wb.SheetNames) {
      const rows = XLSX.utils.decode_range(wb.Sheets[sn]['!ref'] ?? 'A1').e.r + 1;
      assert.equal(x.openpyxl[sn].rows, rows, `${name}/${sn}: openpyxl rows`);
      assert.equal(x.openpyxl[sn].state, sn.startsWith('_') ? 'veryHidden' : 'visible', `${name}/${sn}`);
      assert.ok(x.pandas[sn].rows >= 1, `${name}/${sn}: pandas rows`);
    }
    assert.equal(x.openpyxl[wb.SheetNames[0]].a1, wb.Sheets[wb.SheetNames[0]].A1.v, `${name}: the title`);
  }
  assert.ok((seen[files.get('ledger-dept')!] as X).openpyxl['任务分工台账'].texts.includes(HOSTILE_SEEN), 'openpyxl reads the hostile text');
  for (const [name, f] of docxFiles()) {
    const d = seen[f] as D;
    assert.ok(d.paragraphs > 0 && d.text.length > 0, `${name}: text`);
    for (const s of ['Normal', 'Heading1', 'Heading2', 'Heading3', 'Heading4', 'GbTitle', 'GbPlaceholder']) assert.ok(d.styles.includes(s), `${name}: style ${s}`);
  }
  const plan = seen[files.get('special-plan-field')!] as D;
  assert.ok(plan.text.includes(HOSTILE_SEEN), 'python-docx reads the hostile paragraph');
  for (const level of [1, 2, 3, 4]) assert.ok(plan.text.includes(`第${level}级标题`), `heading ${level}`);
  assert.ok(plan.tables >= 6, `${plan.tables} tables: live and frozen of each kind`);
  assert.ok((seen[files.get('allocation-preamble')!] as D).text.includes(HOSTILE_SEEN), 'the allocation preamble');
});

test('LibreOffice converts every file to PDF, with the pages expected', { skip: sofficeMissing() ?? false }, () => {
  const out = path.join(c.dir, 'pdf');
  execFileSync('soffice', [`-env:UserInstallation=file:///tmp/lo-${randomUUID()}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...files.values()], {
    stdio: 'pipe',
    timeout: 900000,
  });
  const pages = new Map<string, number>();
  for (const [name] of files) {
    const pdf = path.join(out, `${name}.pdf`);
    assert.ok(fs.existsSync(pdf), `${name}: converted`);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const n = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    assert.ok(n >= 1, `${name}: ${n} pages`);
    pages.set(name, n);
  }
  const p = (n: string) => pages.get(n)!;
  // the whole plan is longer than a department's or a chapter's share; a draft with tables longer than an empty one
  assert.ok(p('ledger-all') > p('ledger-dept') && p('ledger-all') > p('ledger-chapter'), JSON.stringify([...pages]));
  assert.ok(p('allocation-all') > p('allocation-dept-lead') && p('allocation-all') > p('allocation-chapter'), JSON.stringify([...pages]));
  assert.ok(p('special-plan-field') > p('special-plan-blank'), JSON.stringify([...pages]));
  assert.equal(p('special-plan-blank'), 1, 'an empty draft: its title page');
  assert.ok(p('draft-tables-field') > p('draft-tables-one-table'), JSON.stringify([...pages]));
  // the ledger's columns fit the page width (fitToWidth): one page across, so pages grow with rows only
  const text = execFileSync('pdftotext', ['-l', '1', path.join(out, 'ledger-dept.pdf'), '-'], { encoding: 'utf8' });
  assert.match(text, /长株潭都市圈发展规划/);
  assert.match(text, /编号/);
});
