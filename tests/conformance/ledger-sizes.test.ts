// The ledger at 10 rows and at 100,000 rows (the benchmark's generated database) passes the Open
// XML SDK validator with zero errors and reads back whole. The 100,000-row case is one file:
// generating the database, exporting and validating it are each timed and reported as a
// diagnostic (no timed assertion: the machine is shared; speed figures live in scripts/bench.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { freshDb } from './corpus';
import { describe as describeErrors, validate, validatorMissing } from './validator';
import { generateDatabase } from '../../electron/bench/generate';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { listMeasures } from '../../electron/services/measures';
import { exportLedger, HEADER_ROW, LEDGER_SHEET, measureLedgerSpec } from '../../electron/export/xlsx/ledger';
import { writeLedgerWorkbook } from '../../electron/export/xlsx/sheet';

const skip = validatorMissing() ?? false;

/** data rows of the ledger sheet, by SheetJS */
function dataRows(file: string): string[][] {
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer', dense: true });
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[LEDGER_SHEET], { header: 1, defval: '' });
  return rows.slice(HEADER_ROW).filter((r) => r[0] !== '');
}

test('a 10-row ledger is valid', { skip }, async () => {
  const { ctx, dir } = freshDb('czt-l10-');
  const ten = listMeasures(ctx)
    .filter((m) => m.actionable)
    .slice(0, 10);
  const buf = await writeLedgerWorkbook(
    measureLedgerSpec(ctx, { sheetName: LEDGER_SHEET, workbookTitle: '十行', title: '十行台账', rows: ten, measure: (m) => m, now: new Date(), scope: {}, scopeLabel: '十行' }),
  );
  const file = path.join(dir, 'ledger-10.xlsx');
  fs.writeFileSync(file, buf);
  const errors = await validate(file);
  assert.deepEqual(errors, [], describeErrors(errors));
  assert.deepEqual(
    dataRows(file).map((r) => r[0]),
    ten.map((m) => m.id),
  );
});

test('a 100,000-row ledger is valid', { skip, timeout: 30 * 60_000 }, async (t) => {
  const { dir } = freshDb('czt-l100k-');
  const dbFile = path.join(dir, 'large.db');
  let t0 = performance.now();
  const gen = generateDatabase(dbFile, { measures: 100_000, projects: 100 });
  t.diagnostic(`database generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const db = openWorkbenchDb(dbFile, { quickCheck: false });
  const ctx = contextFor(db);
  t0 = performance.now();
  const out = await exportLedger(ctx);
  t.diagnostic(`exported ${out.rows} rows (${(out.buffer.length / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok(out.rows >= gen.measures, `${out.rows} rows`);
  const file = path.join(dir, 'ledger-100k.xlsx');
  fs.writeFileSync(file, out.buffer);
  t0 = performance.now();
  const errors = await validate(file);
  t.diagnostic(`validated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual(errors, [], describeErrors(errors));
  assert.equal(dataRows(file).length, out.rows);
  db.close();
});
