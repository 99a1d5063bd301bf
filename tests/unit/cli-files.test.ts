import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'electron', 'cli.ts'), ...args], { encoding: 'utf8', cwd: os.tmpdir() });

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-clif-'));
  const db = path.join(dir, 'w.db');
  assert.equal(cli('init', '--db', db).status, 0);
  return { dir, db };
}

test('export writes each kind to --out and reports rows', () => {
  const { dir, db } = setup();
  for (const [kind, extra, rows] of [
    ['allocation.docx', [], 314],
    // the measures suggested to 省交通运输厅 (seeds/allocation-rules.json; railway goes to 省发展改革委)
    ['allocation.docx', ['--dept', '省交通运输厅', '--role', 'lead'], 22],
    ['briefing.docx', ['--date', '2026-11-28'], 314],
    ['dept-letter.docx', ['--dept', '湖南省交通运输厅'], 22],
    ['ledger.xlsx', ['--city', '株洲'], -1],
    ['projects.xlsx', [], 114],
    ['projects.xlsx', ['--category', '能源', '--year', '2025'], 12],
    ['indicators.xlsx', [], 32],
  ] as const) {
    const out = path.join(dir, `${kind}-${extra.length}.${kind.split('.')[1]}`);
    const r = cli('export', '--db', db, '--kind', kind, '--out', out, ...extra);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.out, out);
    if (rows > 0) assert.equal(j.rows, rows, kind);
    assert.ok(fs.statSync(out).size > 5000);
    // a real zip container (docx/xlsx) with the expected main part
    const zip = XLSX.CFB.read(fs.readFileSync(out), { type: 'buffer' });
    assert.ok(XLSX.CFB.find(zip, kind.endsWith('docx') ? '/word/document.xml' : '/xl/workbook.xml'), kind);
  }
  const bad = cli('export', '--db', db, '--kind', 'report.pdf', '--out', path.join(dir, 'x'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^错误：--kind 应为/);
  const noDept = cli('export', '--db', db, '--kind', 'dept-letter.docx', '--out', path.join(dir, 'y.docx'));
  assert.equal(noDept.status, 1);
  assert.match(noDept.stderr, /--dept/);
});

test('import: JSON summary, dry run writes nothing, a bad file exits non-zero with nothing written', () => {
  const { dir, db } = setup();
  const out = path.join(dir, 'l.xlsx');
  assert.equal(cli('export', '--db', db, '--kind', 'ledger.xlsx', '--out', out, '--dept', '省交通运输厅').status, 0);
  // a department fills in two rows, the way a person would
  const wb = XLSX.read(fs.readFileSync(out), { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]];
  const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: '' });
  const headerRow = rows.findIndex((r) => r.includes('编号'));
  const h = rows[headerRow] as string[];
  const at = (r: number, name: string) => XLSX.utils.encode_cell({ r, c: h.indexOf(name) });
  ws[at(headerRow + 1, '进展情况')] = { t: 's', v: '已完成可研批复' };
  ws[at(headerRow + 1, '状态')] = { t: 's', v: '推进中' };
  ws[at(headerRow + 2, '完成时限')] = { t: 's', v: '2025年底' };
  const id1 = String(rows[headerRow + 1][h.indexOf('编号')]);
  const filled = path.join(dir, 'filled.xlsx');
  XLSX.writeFile(wb, filled);

  const before = cli('dump', '--db', db).stdout;
  const dry = cli('import', '--db', db, '--in', filled, '--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
  const ds = JSON.parse(dry.stdout);
  assert.deepEqual(Object.keys(ds).sort(), ['changed', 'conflicts', 'errors', 'unchanged', 'unknownIds']);
  assert.equal(ds.changed, 2);
  assert.equal(cli('dump', '--db', db).stdout, before, 'dry run wrote nothing');

  const real = cli('import', '--db', db, '--in', filled, '--on-conflict', 'keep', '--user', '王五', '--unit', '省交通运输厅');
  assert.equal(real.status, 0, real.stderr);
  assert.equal(JSON.parse(real.stdout).changed, 2);
  const d = JSON.parse(cli('dump', '--db', db).stdout);
  type M = { id: string; status: string; progress: string };
  const all: M[] = d.chapters.flatMap((c: { sections: { tasks: { measures: M[] }[] }[] }) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)));
  const m = all.find((x) => x.id === id1)!;
  assert.equal(m.progress, '已完成可研批复');
  assert.equal(m.status, '推进中');

  const after = cli('dump', '--db', db).stdout;
  const text = path.join(dir, 'bad.xlsx');
  fs.writeFileSync(text, '编号,进展情况\n4.1.1.1,x\n');
  const bad = cli('import', '--db', db, '--in', text);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /^错误：/);
  assert.equal(bad.stdout, '');
  assert.equal(cli('dump', '--db', db).stdout, after);
  const huge = path.join(dir, 'huge.xlsx');
  fs.writeFileSync(huge, Buffer.alloc(51 * 1024 * 1024));
  const big = cli('import', '--db', db, '--in', huge);
  assert.equal(big.status, 1);
  assert.match(big.stderr, /50 MB/);
});

test('an export saved without a dialog never replaces a file: 名称.xlsx, 名称(2).xlsx, … (written off the calling thread)', async () => {
  const { writeUnique } = await import('../../electron/ipc/transfers');
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'czt-uniq-')), '导出');
  const a = await writeUnique(dir, '任务分工台账.xlsx', Buffer.from('first'));
  const [b, c] = await Promise.all([writeUnique(dir, '任务分工台账.xlsx', Buffer.from('second')), writeUnique(dir, '任务分工台账.xlsx', Buffer.from('third'))]);
  assert.equal(path.basename(a), '任务分工台账.xlsx');
  assert.deepEqual([path.basename(b), path.basename(c)].sort(), ['任务分工台账(2).xlsx', '任务分工台账(3).xlsx']);
  assert.equal(fs.readFileSync(a, 'utf8'), 'first', 'the first file is untouched');
  assert.deepEqual([fs.readFileSync(b, 'utf8'), fs.readFileSync(c, 'utf8')].sort(), ['second', 'third']);
});
