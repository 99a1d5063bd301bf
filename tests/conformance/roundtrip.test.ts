// Round trips: a ledger edited and saved by LibreOffice (through its flat ODF XML, no macro), by
// openpyxl and by SheetJS imports with the same preview: the changes are exactly the edits,
// three-way against the hidden _meta, with no conflict and no error. The edits carry XML-special
// characters, emoji and rare CJK.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { freshDb } from './corpus';
import { PY, pythonMissing, sofficeMissing } from './tools';
import type { ServiceContext } from '../../electron/core/context';
import { applyEdits, listMeasures } from '../../electron/services/measures';
import { findDepartment } from '../../electron/services/departments';
import { exportLedger, HEADER_ROW } from '../../electron/export/xlsx/ledger';
import { previewImport } from '../../electron/import';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import type { ImportPreview } from '../../shared/import';

const SHEET = '任务分工台账';
const col = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1;
/** the cells edited: each replaces a marker text set before the export (LibreOffice's edit finds it by its text) */
const EDITS = [
  { field: 'progress', marker: 'MARK-A', value: '进展<&>"引号" ]]> 😀👍🏽 𠮷 㐀 完成' },
  { field: 'progress', marker: 'MARK-B', value: '已完成 100%' },
  { field: 'note', marker: 'MARK-C', value: '备注：A&B <c> 第二句' },
] as const;

let ctx: ServiceContext;
let dir: string;
let ledger: string;
let ids: string[];

before(async () => {
  const f = freshDb('czt-rt-');
  ctx = f.ctx;
  dir = f.dir;
  const dept = findDepartment(ctx, '省发展改革委')!;
  ids = listMeasures(ctx)
    .filter((m) => m.actionable && m.leadId === dept.id)
    .slice(0, 3)
    .map((m) => m.id);
  applyEdits(
    ctx,
    EDITS.map((e, i) => ({ measureId: ids[i], patch: { [e.field]: e.marker } })),
    '编辑',
  );
  ledger = path.join(dir, 'ledger.xlsx');
  fs.writeFileSync(ledger, (await exportLedger(ctx, { deptId: dept.id })).buffer);
});

/** a preview's changes as [id, field, old, new], sorted */
const changesOf = (p: ImportPreview) =>
  p.changes
    .flatMap((r) => r.changes.map((c) => [r.rowId, c.field, String(c.old), String(c.new)]))
    .sort((a, b) => a.join().localeCompare(b.join()));
const expected = () => EDITS.map((e, i) => [ids[i], e.field, e.marker, e.value]).sort((a, b) => a.join().localeCompare(b.join()));

function checkPreview(file: string, who: string): ImportPreview {
  const p = previewImport(ctx, { name: path.basename(file), bytes: fs.readFileSync(file) });
  assert.equal(p.mode, 'three-way', `${who}: the hidden _meta survives`);
  assert.deepEqual(p.errors, [], who);
  assert.deepEqual(p.conflicts, [], who);
  assert.deepEqual(p.unknownIds, [], who);
  assert.deepEqual(changesOf(p), expected(), `${who}: exactly the edits`);
  return p;
}

test('the ledger as exported previews with no change', () => {
  const p = previewImport(ctx, { name: 'ledger.xlsx', bytes: fs.readFileSync(ledger) });
  assert.equal(p.mode, 'three-way');
  assert.deepEqual(p.changes, []);
});

test('edited and saved by SheetJS: the same preview', () => {
  const wb = XLSX.read(fs.readFileSync(ledger), { type: 'buffer' });
  const ws = wb.Sheets[SHEET];
  const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, defval: '' });
  EDITS.forEach((e, i) => {
    const r = rows.findIndex((row, k) => k >= HEADER_ROW && row[0] === ids[i]);
    assert.ok(r > 0);
    const ref = XLSX.utils.encode_cell({ r, c: col(e.field) - 1 });
    assert.equal(ws[ref].v, e.marker);
    ws[ref] = { t: 's', v: e.value };
  });
  const out = path.join(dir, 'sheetjs.xlsx');
  fs.writeFileSync(out, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  checkPreview(out, 'SheetJS');
});

test('edited and saved by openpyxl: the same preview', { skip: pythonMissing() ?? false }, () => {
  const out = path.join(dir, 'openpyxl.xlsx');
  const cells: Record<string, Record<string, string>> = {};
  EDITS.forEach((e, i) => ((cells[ids[i]] ??= {})[col(e.field)] = e.value));
  execFileSync(PY, [path.join(__dirname, 'readers.py'), 'edit', ledger, out, JSON.stringify({ sheet: SHEET, idColumn: col('id'), headerRow: HEADER_ROW, cells })], {
    stdio: 'pipe',
    timeout: 120000,
  });
  checkPreview(out, 'openpyxl');
});

test('edited and saved by LibreOffice: the same preview', { skip: sofficeMissing() ?? false }, () => {
  const lo = (to: string, file: string, outDir: string) => {
    execFileSync('soffice', [`-env:UserInstallation=file:///tmp/lo-${randomUUID()}`, '--headless', '--convert-to', to, '--outdir', outDir, file], { stdio: 'pipe', timeout: 180000 });
    return path.join(outDir, `${path.basename(file, path.extname(file))}.${to.split(':')[0]}`);
  };
  // LibreOffice opens the ledger and writes it as flat ODF; the cells are edited in that XML
  // (exactly one cell per marker: the _meta base holds the markers inside JSON, not as a cell), and
  // LibreOffice opens the result and saves it as xlsx
  const fods = lo('fods', ledger, path.join(dir, 'lo1'));
  let xml = fs.readFileSync(fods, 'utf8');
  const escXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  for (const e of EDITS) {
    const cell = `<text:p>${e.marker}</text:p>`;
    assert.equal(xml.split(cell).length - 1, 1, `${e.marker} in one cell`);
    xml = xml.replace(cell, `<text:p>${escXml(e.value)}</text:p>`);
  }
  const edited = path.join(dir, 'lo-edited.fods');
  fs.writeFileSync(edited, xml);
  const out = lo('xlsx:Calc MS Excel 2007 XML', edited, path.join(dir, 'lo2'));
  checkPreview(out, 'LibreOffice');
});
