// A returned ledger that lies about what it was (issue 16 items 2, 3, 6), through the app's
// import path (startImport/finishImport: read and compared in the worker, applied with a backup)
// on a real exported file taken apart and rebuilt:
// - rows appended for measures the export never sent (another department's) are refused and
//   listed, whatever the file's _meta says about them;
// - a row dropped from _meta (or with a forged export time, or a malformed base) is compared
//   two-way, but a value changed here since the export is a conflict, never a plain change;
// - _meta values that are no values (objects, wrong types) are a damaged hidden sheet, in
//   Chinese, never an internal error (through the dispatcher, as the page and the bridge call it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as XLSX from 'xlsx';
import { exportLedger, LEDGER_SHEET } from '../../electron/export/xlsx/ledger';
import { applyEdits, listMeasures } from '../../electron/services/measures';
import { findDepartment } from '../../electron/services/departments';
import { finishImport, startImport } from '../../electron/ipc/transfers';
import { createDispatcher } from '../../electron/ipc/router';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { freshDb, isChinese } from './builders';

type Aoa = (string | number | null)[][];

/** The export's two sheets as rows of cells, changed by fn, written back as an .xlsx. */
export function rework(buf: Buffer, fn: (s: { ledger: Aoa; meta: Aoa }) => void): Buffer {
  const wb = XLSX.read(buf, { type: 'buffer' });
  const ledger = XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets[LEDGER_SHEET], { header: 1, raw: true, defval: null });
  const meta = XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets['_meta'], { header: 1, raw: true, defval: null });
  fn({ ledger, meta });
  wb.Sheets[LEDGER_SHEET] = XLSX.utils.aoa_to_sheet(ledger);
  wb.Sheets['_meta'] = XLSX.utils.aoa_to_sheet(meta);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

const col = (header: string) => LEDGER_COLUMNS.findIndex((c) => c.header === header);

/** A ledger row for id with the given cells (by header), the rest blank. */
function ledgerRow(id: string, cells: Record<string, string>): (string | null)[] {
  const r: (string | null)[] = LEDGER_COLUMNS.map(() => null);
  r[0] = id;
  for (const [h, v] of Object.entries(cells)) r[col(h)] = v;
  return r;
}

/** Set cells (by header) of id's row in the ledger sheet. */
function setCells(ledger: Aoa, id: string, cells: Record<string, string>): void {
  const row = ledger.find((r) => r[0] === id);
  assert.ok(row, `row ${id}`);
  for (const [h, v] of Object.entries(cells)) row[col(h)] = v;
}

test('rows for measures the ledger was not exported for are refused and listed, never applied', async () => {
  const h = freshDb('czt-scope-');
  try {
    const jt = findDepartment(h.ctx, '省交通运输厅')!;
    const out = await exportLedger(h.ctx, { deptId: jt.id });
    const sent = new Set(listMeasures(h.ctx).filter((m) => m.actionable && (m.leadId === jt.id || m.coIds.includes(jt.id))).map((m) => m.id));
    assert.equal(out.rows, sent.size);
    const others = listMeasures(h.ctx).filter((m) => m.actionable && !sent.has(m.id));
    const [x, y, z] = [others.find((m) => m.id.startsWith('5.'))!, others.find((m) => m.id.startsWith('9.'))!, others.find((m) => m.id.startsWith('6.'))!];
    const mine = [...sent][0];
    const take = { 牵头单位: '省交通运输厅', 状态: '已完成' };
    const bytes = rework(out.buffer, ({ ledger, meta }) => {
      setCells(ledger, mine, { 进展情况: '本单位的进展' });
      ledger.push(ledgerRow(x.id, take), ledgerRow(y.id, take), ledgerRow(z.id, take));
      // z is also given a forged base in _meta claiming it was led by 交通厅 at export
      const fields = JSON.parse(String(meta.find((r) => r[0] === 'fields')![1])) as string[];
      meta.push([z.id, JSON.stringify(fields.map((f) => (f === 'lead' ? jt.id : f === 'co' || f === 'cities' ? [] : f === 'status' ? '未启动' : f === 'deadline' ? null : '')))]);
    });
    const before = listMeasures(h.ctx);
    const p = await startImport(h.ctx, '交通厅台账.xlsx', bytes);
    // z too: its forged base claims it was 交通厅's at export, but here it is not and was not changed since
    assert.deepEqual(p.outOfScope.map((o) => o.id).sort(), [x.id, y.id, z.id].sort());
    assert.ok(p.outOfScope.every((o) => isChinese(o.reason) && /导出时的范围/.test(o.reason)));
    assert.ok(p.warnings.some((w) => w.includes(x.id) && w.includes('不予导入')), JSON.stringify(p.warnings));
    assert.deepEqual(p.summary.outOfScope?.sort(), [x.id, y.id, z.id].sort());
    assert.deepEqual(p.changes.map((c) => c.rowId), [mine], 'only the department’s own row is a change');
    assert.deepEqual(p.conflicts, []);
    await finishImport(h.ctx, p.previewId, { onConflict: 'keep' });
    const after = new Map(listMeasures(h.ctx).map((m) => [m.id, m]));
    for (const m of before.filter((m) => m.id !== mine)) {
      const a = after.get(m.id)!;
      assert.deepEqual([a.leadId, a.status, a.leadConfirmed], [m.leadId, m.status, m.leadConfirmed], m.id);
    }
    assert.equal(after.get(mine)!.progress, '本单位的进展');
  } finally {
    h.close();
  }
});

test('a row dropped from _meta, or a forged export time, never overwrites what was changed here since the export', async () => {
  const h = freshDb('czt-base-');
  try {
    const out = await exportLedger(h.ctx, {});
    const [a, b] = listMeasures(h.ctx).filter((m) => m.actionable).map((m) => m.id);
    // after the export the office records a's delay; b is left alone
    await new Promise((r) => setTimeout(r, 5));
    applyEdits(h.ctx, [{ measureId: a, patch: { status: '滞后', progress: '办公室记录：受征拆影响滞后' } }], '编辑');
    const returned = (metaFn: (meta: Aoa) => void) =>
      rework(out.buffer, ({ ledger, meta }) => {
        setCells(ledger, a, { 状态: '已完成' });
        setCells(ledger, b, { 状态: '已完成' });
        metaFn(meta);
      });
    const dropped = returned((meta) => meta.splice(meta.findIndex((r) => r[0] === a), 1));
    const forgedTime = returned((meta) => {
      meta.splice(meta.findIndex((r) => r[0] === a), 1);
      meta.find((r) => r[0] === 'exportedAt')![1] = '不是时间';
    });
    const malformed = returned((meta) => (meta.find((r) => r[0] === a)![1] = '[1,2,3]'));
    // the header of the rows' values altered (found by tests/fuzz/import-claims): no row has a base
    const header = returned((meta) => (meta.find((r) => r[0] === 'id')![1] = 'false'));
    // an older-style _meta (a cell per field) that records only some columns: the others have no base
    const partial = returned((meta) => {
      const at = meta.findIndex((r) => r[0] === 'id');
      meta[at] = ['id', 'lead'];
      for (let i = at + 1; i < meta.length; i++) if (meta[i][0]) meta[i] = [meta[i][0], JSON.stringify((JSON.parse(String(meta[i][1])) as unknown[])[0])];
    });
    for (const [name, bytes] of [
      ['dropped', dropped],
      ['forged time', forgedTime],
      ['malformed', malformed],
      ['header altered', header],
      ['columns missing', partial],
    ] as const) {
      const p = await startImport(h.ctx, `${name}.xlsx`, bytes);
      const conflict = p.conflicts.find((c) => c.rowId === a);
      assert.ok(conflict, `${name}: a is a conflict`);
      assert.deepEqual(conflict.fields.map((f) => f.field).sort(), ['progress', 'status'], name);
      assert.ok(!p.changes.some((c) => c.rowId === a), `${name}: a is no plain change`);
      // the row named, or the whole hidden sheet said to be damaged
      assert.ok(p.warnings.some((w) => (w.includes(a) || (name === 'header altered' && /已损坏/.test(w))) && /两方比较/.test(w)), `${name}: ${JSON.stringify(p.warnings)}`);
      // b, not changed here since the export, is a plain change (applied by the first file), never a conflict
      if (name === 'dropped') assert.ok(p.changes.some((c) => c.rowId === b), name);
      assert.ok(!p.conflicts.some((c) => c.rowId === b), name);
      await finishImport(h.ctx, p.previewId, { onConflict: 'keep' });
      const m = listMeasures(h.ctx).find((x) => x.id === a)!;
      assert.deepEqual([m.status, m.progress], ['滞后', '办公室记录：受征拆影响滞后'], name);
    }
  } finally {
    h.close();
  }
});

test('forged _meta values are a damaged hidden sheet in Chinese, never an internal error', async () => {
  const h = freshDb('czt-forged-');
  try {
    const dispatch = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 'test' });
    const out = await exportLedger(h.ctx, {});
    const [a] = listMeasures(h.ctx).filter((m) => m.actionable).map((m) => m.id);
    const forged = [
      '[{"toString":1},[],[],null,"推进中","",""]',
      '[{"valueOf":{}},{"a":1},[{"toString":1}],{"toString":1},{"x":[]},[],{}]',
      '[null,"x",7,true,[],{},null]',
    ];
    for (const values of forged) {
      const bytes = rework(out.buffer, ({ ledger, meta }) => {
        setCells(ledger, a, { 进展情况: '台账的进展' });
        meta.find((r) => r[0] === a)![1] = values;
      });
      const r = (await dispatch('import.preview', { fileName: 'x.xlsx', base64: bytes.toString('base64') })) as {
        ok: boolean;
        value?: unknown;
        error?: { code: string; message: string };
      };
      assert.equal(r.ok, true, `${values}: ${JSON.stringify(r.error)}`);
      const text = JSON.stringify(r.value);
      assert.match(text, /_meta/);
      assert.match(text, /原值格式有误/);
    }
    // the sheet's own records forged: the whole sheet is reported damaged, the import still a preview
    for (const [key, value] of [
      ['fields', '{"toString":1}'],
      ['scope', '{"deptId":{"toString":1}}'],
      ['scope', 'null'],
      ['format', '[]'],
    ]) {
      const bytes = rework(out.buffer, ({ meta }) => (meta.find((r) => r[0] === key)![1] = value));
      const p = await startImport(h.ctx, 'y.xlsx', bytes);
      assert.ok(p.warnings.some((w) => /隐藏工作表“_meta”已损坏/.test(w)), `${key}=${value}: ${JSON.stringify(p.warnings)}`);
    }
  } finally {
    h.close();
  }
});
