// The CLI's import against declared sizes (issue 16 item 4): `import --dry-run` of a 6.7 KB .xlsx
// whose 16 sheets each declare A1:XFD200020 died of V8 heap exhaustion (exit 134, no Chinese
// message). It now reads in the app's worker under the same limits, sizes sheets by their cells,
// and refuses a file over the cell budget in Chinese (exit 1), the database untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sheetRowsXml, sheetWithDimension, SHEET_CLOSE, SHEET_OPEN, xlsxSheetsOf } from './builders';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const cli = (...args: string[]) =>
  spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'electron', 'cli.ts'), ...args], { encoding: 'utf8', cwd: os.tmpdir(), timeout: 240_000 });

test('CLI import of claimed-huge sheets: the real rows read; really huge ones refused in Chinese', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-cli-dim-'));
  const db = path.join(dir, 'w.db');
  assert.equal(cli('init', '--db', db).status, 0);
  const sheets = Array.from({ length: 16 }, (_, i) => sheetWithDimension('A1:XFD200020', i === 0 ? [['编号', '进展情况'], ['4.1.1.1', '声明范围很大']] : [['备注']]));
  const claimed = path.join(dir, '声明范围.xlsx');
  fs.writeFileSync(claimed, xlsxSheetsOf(sheets));
  assert.ok(fs.statSync(claimed).size < 20_000);
  const r = cli('import', '--db', db, '--in', claimed, '--dry-run');
  assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(0, 400)}`);
  assert.equal(JSON.parse(r.stdout).changed, 1);

  const far = (i: number) => SHEET_OPEN + sheetRowsXml([['编号']]) + `<row r="200000"><c r="GS200000"><v>${i}</v></c></row>` + SHEET_CLOSE;
  const huge = path.join(dir, '远端单元格.xlsx');
  fs.writeFileSync(huge, xlsxSheetsOf(Array.from({ length: 16 }, (_, i) => far(i))));
  const before = cli('dump', '--db', db).stdout;
  const h = cli('import', '--db', db, '--in', huge);
  assert.equal(h.status, 1, `exit ${h.status} ${h.signal ?? ''}: ${h.stderr.slice(0, 400)}`);
  assert.match(h.stderr, /^错误：文件的表格范围过大/);
  assert.equal(cli('dump', '--db', db).stdout, before);
  fs.rmSync(dir, { recursive: true, force: true });
});
