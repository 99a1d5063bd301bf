// 导入台账 with real files: edited by another writer, re-saved by LibreOffice as xlsx / xls / csv,
// a GBK csv, conflicts, and bad input that must change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import iconv from 'iconv-lite';
import { ServiceError, type ServiceContext } from '../../../electron/core/context';
import { applyEdits, getMeasure, listMeasures } from '../../../electron/services/measures';
import { findDepartment, listDepartments } from '../../../electron/services/departments';
import { listAudit } from '../../../electron/services/audit';
import { exportLedger, HEADER_ROW } from '../../../electron/export/xlsx/ledger';
import { applyImport, previewImport } from '../../../electron/import';
import { LEDGER_COLUMNS } from '../../../shared/ledger';
import { parseCities, parseDeadline, parseStatus, suggestDepartments } from '../../../shared/parse';
import { freshDb } from '../../support/db';

const fresh = () => freshDb({ identity: { name: '李四', unit: '省发展改革委' } });
const dept = (ctx: ServiceContext, name: string) => findDepartment(ctx, name)!.id;
const snapshot = (ctx: ServiceContext) => JSON.stringify(listMeasures(ctx)) + '|' + listAudit(ctx, undefined, 100000).length;

function soffice(dir: string, to: string, file: string): string {
  const out = path.join(dir, 'lo-out-' + randomUUID().slice(0, 8));
  execFileSync(
    'soffice',
    [`-env:UserInstallation=file:///tmp/lo-${randomUUID()}`, '--headless', '--convert-to', to, '--outdir', out, file],
    { stdio: 'pipe', timeout: 120000 },
  );
  const made = fs.readdirSync(out);
  assert.equal(made.length, 1, `LibreOffice made ${to}`);
  return path.join(out, made[0]);
}

const colNo = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1;

/** Edit the exported ledger the way a person does in a spreadsheet program (here: exceljs). */
async function edit(buf: Buffer, byId: Record<string, Record<string, string>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('任务分工台账')!;
  ws.eachRow((row, r) => {
    if (r <= HEADER_ROW) return;
    const id = String(row.getCell(1).value ?? '');
    for (const [key, v] of Object.entries(byId[id] ?? {})) row.getCell(colNo(key)).value = v;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('parsing what people write', () => {
  const ok = (s: string | number, v: string | null) => assert.deepEqual(parseDeadline(s).ok && parseDeadline(s), { ok: true, value: v, ...(parseDeadline(s) as { note?: string }).note ? { note: '长期坚持' } : {} });
  ok('2025-12-31', '2025-12-31');
  ok('2025/6/30', '2025-06-30');
  ok('2025.6.30', '2025-06-30');
  ok('2025.6', '2025-06-30');
  ok('2025.2', '2025-02-28');
  ok('2025年6月', '2025-06-30');
  ok('2025年6月30日', '2025-06-30');
  ok('2025年底', '2025-12-31');
  ok('2025年末', '2025-12-31');
  ok('2025年年底', '2025-12-31');
  ok('2025年上半年', '2025-06-30');
  ok('2025年', '2025-12-31');
  ok(45838, '2025-06-30');
  ok('', null);
  assert.deepEqual(parseDeadline('长期坚持'), { ok: true, value: null, note: '长期坚持' });
  assert.deepEqual(parseDeadline('持续推进'), { ok: true, value: null, note: '长期坚持' });
  for (const bad of ['2025-02-30', '2025年13月', '尽快', '明年'])
    assert.ok(!parseDeadline(bad).ok && /完成时限/.test((parseDeadline(bad) as { message: string }).message));
  assert.deepEqual(parseStatus('进行中'), { ok: true, value: '推进中' });
  assert.ok(!parseStatus('差不多').ok);
  assert.deepEqual(parseCities('株洲；长沙市 湘潭'), { ok: true, value: ['长沙市', '株洲市', '湘潭市'] });
  assert.ok(!parseCities('岳阳').ok);
  const cands = [
    { id: 1, name: '省发展改革委', aliases: ['省发改委', '湖南省发展和改革委员会'] },
    { id: 2, name: '长沙市发展改革委', aliases: ['长沙市发改委'] },
    { id: 3, name: '省交通运输厅', aliases: [] },
  ];
  assert.equal(suggestDepartments('湖南省发改委员会', cands)[0].name, '省发展改革委');
  assert.equal(suggestDepartments('湖南省交通厅', cands)[0].name, '省交通运输厅');
  assert.deepEqual(suggestDepartments('省气象台', cands), []);
  // near misses by edit distance on the key: no character pair shared, one character wrong
  const more = [...cands, { id: 4, name: '省水利厅', aliases: ['湖南省水利厅'] }, { id: 5, name: '省生态环境厅', aliases: [] }, { id: 6, name: '省公安厅', aliases: [] }];
  assert.deepEqual(suggestDepartments('省水力厅', more).map((d) => d.name), ['省水利厅']);
  assert.deepEqual(suggestDepartments('湖南省水力厅', more).map((d) => d.name), ['省水利厅']);
  assert.equal(suggestDepartments('省生太环境厅', more)[0].name, '省生态环境厅');
  assert.equal(suggestDepartments('省公按厅', more)[0].name, '省公安厅');
  // two characters wrong in a short name is another name, not a typo
  assert.deepEqual(suggestDepartments('省水务局', more).filter((d) => d.name === '省公安厅'), []);
  // a long cell is not compared character by character
  assert.deepEqual(suggestDepartments(`省水力厅${'某'.repeat(200)}`, more), []);
});

test('round trip: department ledger edited, re-saved by LibreOffice as xlsx and xls, previewed and applied', async () => {
  const { dir, db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const out = await exportLedger(ctx, { deptId: fgw });
  const ids = listMeasures(ctx).filter((m) => m.actionable && m.leadId === fgw).map((m) => m.id);
  const [a, b, c, d] = ids;
  const hyperlink = '=HYPERLINK("http://x","y")';
  const edited = await edit(out.buffer, {
    [a]: { progress: hyperlink, status: '推进中', deadline: '2025年底' },
    [b]: { co: '湖南省工业和信息化厅、省自然资源厅', cities: '长沙、株洲', deadline: '2025.6' },
    [c]: { lead: '湖南省发展和改革委员会', status: '进行中', note: '+1 已上报' },
    [d]: { deadline: '长期坚持', progress: '@已完成前期' },
  });
  const src = path.join(dir, '台账.xlsx');
  fs.writeFileSync(src, edited);
  const viaLo = soffice(dir, 'xlsx', src); // "re-saved by LibreOffice"
  const xls = soffice(dir, 'xls', src);

  for (const file of [xls, viaLo]) {
    const p = previewImport(ctx, { name: path.basename(file), bytes: fs.readFileSync(file) });
    assert.equal(p.mode, 'three-way', `${file}: _meta survives`);
    assert.deepEqual(p.errors, []);
    assert.equal(p.summary.changed, 4, JSON.stringify(p.changes)); // c's lead is the same department: no change
    assert.equal(p.summary.unchanged, ids.length - 4);
    assert.deepEqual(p.conflicts, []);
    const byId = new Map(p.changes.map((x) => [x.rowId, x]));
    assert.deepEqual(byId.get(a)!.changes.map((f) => [f.field, f.old, f.new]), [
      ['deadline', '', '2025-12-31'],
      ['status', '未启动', '推进中'],
      ['progress', '', hyperlink],
    ]);
    assert.deepEqual(byId.get(b)!.changes.map((f) => [f.field, f.new]), [
      ['co', '省工业和信息化厅、省自然资源厅'],
      ['cities', '长沙市、株洲市'],
      ['deadline', '2025-06-30'],
    ]);
    assert.deepEqual(byId.get(c)!.changes.map((f) => [f.field, f.new]), [
      ['status', '推进中'],
      ['note', '+1 已上报'],
    ]);
    assert.ok(p.warnings.some((w) => w.includes('长期坚持')));
    assert.equal(JSON.stringify(JSON.parse(JSON.stringify(p))), JSON.stringify(p), 'plain JSON');
  }

  const before = listAudit(ctx, undefined, 100000).length;
  const p = previewImport(ctx, { name: 'x.xlsx', bytes: fs.readFileSync(viaLo) });
  const sum = applyImport(ctx, JSON.parse(JSON.stringify(p)), { onConflict: 'keep' });
  assert.deepEqual(sum, { changed: 4, unchanged: ids.length - 4, conflicts: 0, unknownIds: [], errors: [] });
  assert.equal(getMeasure(ctx, a).progress, hyperlink, 'formula text imported as text');
  assert.equal(getMeasure(ctx, a).deadline, '2025-12-31');
  assert.equal(getMeasure(ctx, a).status, '推进中');
  assert.deepEqual(getMeasure(ctx, b).coIds, [dept(ctx, '省工业和信息化厅'), dept(ctx, '省自然资源厅')]);
  assert.deepEqual(getMeasure(ctx, b).cities, ['长沙市', '株洲市']);
  assert.equal(getMeasure(ctx, b).deadline, '2025-06-30');
  assert.equal(getMeasure(ctx, c).note, '+1 已上报');
  assert.equal(getMeasure(ctx, d).progress, '@已完成前期');
  assert.equal(getMeasure(ctx, d).deadline, null, '长期坚持 is the blank deadline it had');
  const audit = listAudit(ctx, undefined, 100000).slice(0, listAudit(ctx, undefined, 100000).length - before);
  assert.equal(audit.length, 9, 'one audit row per field');
  assert.ok(audit.every((x) => x.op === '导入台账' && x.actor === '李四'));
  assert.equal(new Set(audit.map((x) => x.opId)).size, 1, 'one operation');
  assert.deepEqual(audit.filter((x) => x.rowId === a).map((x) => x.field).sort(), ['deadline', 'progress', 'status']);
  // importing the same file again: nothing left to do
  const again = previewImport(ctx, { name: 'x.xlsx', bytes: fs.readFileSync(viaLo) });
  assert.equal(again.summary.changed, 0);
  db.close();
});

test('csv from LibreOffice, in GBK, columns reordered, header renamed to an alias, extra column, blank rows', async () => {
  const { dir, db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const out = await exportLedger(ctx, { deptId: fgw });
  const src = path.join(dir, 'ledger.xlsx');
  fs.writeFileSync(src, out.buffer);
  const csvFile = soffice(dir, 'csv:Text - txt - csv (StarCalc):44,34,76', src);
  const table = XLSX.utils.sheet_to_json<string[]>(XLSX.read(fs.readFileSync(csvFile, 'utf8'), { type: 'string', raw: true }).Sheets.Sheet1, {
    header: 1,
    raw: true,
    defval: '',
  });
  const header = table[HEADER_ROW - 1];
  const idx = (h: string) => header.indexOf(h);
  const [a, b] = table.slice(HEADER_ROW).map((r) => r[0]);
  for (const r of table.slice(HEADER_ROW)) {
    if (r[0] === a) {
      r[idx('完成时限')] = '2026年6月';
      r[idx('牵头单位')] = '湖南省发展和改革委员会';
      r[idx('进展情况')] = '=HYPERLINK("http://x","y")';
    }
    if (r[0] === b) r[idx('状态')] = '已完成';
  }
  header[idx('牵头单位')] = '牵头部门';
  // reorder: 状态 and 进展情况 first, 编号 in the middle; an extra column; blank rows
  const order = [idx('状态'), idx('进展情况'), ...header.map((_, i) => i).filter((i) => i !== idx('状态') && i !== idx('进展情况'))];
  const rows = table.map((r, i) => (i < HEADER_ROW - 1 ? r : [...order.map((j) => r[j]), i === HEADER_ROW - 1 ? '联系人' : '王五']));
  rows.splice(HEADER_ROW + 1, 0, [], []);
  const q = (v: string) => (/[",\n]/.test(v) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const csv = rows.map((r) => r.map((v) => q(String(v ?? ''))).join(',')).join('\r\n');
  const gbk = iconv.encode(csv, 'gbk');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk), 'really not UTF-8');

  for (const [name, bytes] of [
    ['回传.csv', gbk],
    ['回传-utf8bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')])],
  ] as const) {
    const p = previewImport(ctx, { name, bytes });
    assert.equal(p.mode, 'two-way');
    assert.ok(p.warnings.some((w) => w.includes('_meta')));
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.ignoredColumns, ['联系人']);
    assert.equal(p.columns.find((c) => c.field === 'lead')!.found, '牵头部门');
    assert.equal(p.summary.changed, 2, JSON.stringify(p.changes));
    assert.deepEqual(p.changes.find((x) => x.rowId === a)!.changes.map((f) => [f.field, f.new]), [
      ['deadline', '2026-06-30'],
      ['progress', '=HYPERLINK("http://x","y")'],
    ]);
  }
  const sum = applyImport(ctx, previewImport(ctx, { name: '回传.csv', bytes: gbk }), { onConflict: 'keep' });
  assert.equal(sum.changed, 2);
  assert.equal(getMeasure(ctx, a).progress, '=HYPERLINK("http://x","y")');
  assert.equal(getMeasure(ctx, b).status, '已完成');
  db.close();
});

test('conflicts: both sides changed a field since export; keep, take and per-field choices', async () => {
  const setup = async () => {
    const { db, ctx } = fresh();
    const fgw = dept(ctx, '省发展改革委');
    const out = await exportLedger(ctx, { deptId: fgw });
    const [a, b] = listMeasures(ctx).filter((m) => m.actionable && m.leadId === fgw).map((m) => m.id);
    applyEdits(ctx, [{ measureId: a, patch: { progress: '本库写的进展', status: '推进中' } }, { measureId: b, patch: { note: '本库备注' } }], '编辑');
    const bytes = await edit(out.buffer, {
      [a]: { progress: '台账写的进展', status: '推进中', deadline: '2025年底' },
      [b]: { note: '台账备注', cities: '湘潭' },
    });
    return { db, ctx, a, b, bytes };
  };
  {
    const { db, ctx, a, b, bytes } = await setup();
    const p = previewImport(ctx, { name: 'c.xlsx', bytes });
    assert.equal(p.summary.conflicts, 2);
    const ca = p.conflicts.find((x) => x.rowId === a)!;
    assert.deepEqual(ca.fields.map((f) => [f.field, f.old, f.new, f.ours]), [['progress', '', '台账写的进展', '本库写的进展']]);
    // same change on both sides (status) is no conflict and nothing to do; the deadline only the ledger changed
    assert.deepEqual(p.changes.find((x) => x.rowId === a)!.changes.map((f) => f.field), ['deadline']);
    const sum = applyImport(ctx, p, { onConflict: 'keep' });
    assert.equal(sum.conflicts, 2);
    assert.equal(getMeasure(ctx, a).progress, '本库写的进展');
    assert.equal(getMeasure(ctx, a).deadline, '2025-12-31');
    assert.equal(getMeasure(ctx, b).note, '本库备注');
    assert.deepEqual(getMeasure(ctx, b).cities, ['湘潭市']);
    db.close();
  }
  {
    const { db, ctx, a, b, bytes } = await setup();
    const p = previewImport(ctx, { name: 'c.xlsx', bytes });
    applyImport(ctx, p, { onConflict: 'take', perField: { [b]: { note: 'keep' } } });
    assert.equal(getMeasure(ctx, a).progress, '台账写的进展');
    assert.equal(getMeasure(ctx, b).note, '本库备注');
    db.close();
  }
  {
    // the database moves between preview and apply: refused, nothing written
    const { db, ctx, a, bytes } = await setup();
    const p = previewImport(ctx, { name: 'c.xlsx', bytes });
    applyEdits(ctx, [{ measureId: a, patch: { deadline: '2030-01-01' } }], '编辑');
    const snap = snapshot(ctx);
    assert.throws(() => applyImport(ctx, p, { onConflict: 'take' }), (e: unknown) => e instanceof ServiceError && /重新预览/.test(e.message));
    assert.equal(snapshot(ctx), snap);
    db.close();
  }
});

test('_meta: a ledger written before czt-ledger/2 (a cell per field) reads the same; a broken row of values falls back to two-way', async () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const out = await exportLedger(ctx, { deptId: fgw });
  const [a, b] = listMeasures(ctx).filter((m) => m.actionable && m.leadId === fgw).map((m) => m.id);
  applyEdits(ctx, [{ measureId: a, patch: { progress: '本库写的进展' } }], '编辑');
  const bytes = await edit(out.buffer, { [a]: { progress: '台账写的进展', deadline: '2025年底' }, [b]: { note: '台账备注' } });
  const now = previewImport(ctx, { name: 'c.xlsx', bytes });
  assert.equal(now.mode, 'three-way');
  assert.equal(now.meta?.format, 'czt-ledger/2');
  assert.equal(now.summary.conflicts, 1);

  // the same file with its _meta as czt-ledger/1 wrote it
  const rewrite = (f: (rows: string[][]) => string[][]) => {
    const wb = XLSX.read(bytes, { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['_meta'], { header: 1, raw: true, defval: '' });
    wb.Sheets['_meta'] = XLSX.utils.aoa_to_sheet(f(rows));
    return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  };
  const v1 = rewrite((rows) => {
    const fields = JSON.parse(rows.find((r) => r[0] === 'fields')![1]) as string[];
    const start = rows.findIndex((r) => r[0] === 'id');
    return [
      ...rows.slice(0, start).filter((r) => r[0] !== 'fields').map((r) => (r[0] === 'format' ? ['format', 'czt-ledger/1'] : r)),
      ['id', ...fields],
      ...rows.slice(start + 1).map((r) => [r[0], ...(JSON.parse(r[1]) as unknown[]).map((v) => JSON.stringify(v))]),
    ];
  });
  const old = previewImport(ctx, { name: 'c.xlsx', bytes: v1 });
  assert.equal(old.meta?.format, 'czt-ledger/1');
  const same = (p: typeof now) => JSON.stringify({ changes: p.changes, conflicts: p.conflicts, dropped: p.dropped, ids: p.meta?.ids, warnings: p.warnings, summary: p.summary });
  assert.equal(same(old), same(now));

  // a row of values that is not the array 'fields' describes: that row alone is compared two-way
  // (the others keep their base), said in a warning, and what was changed here since the export
  // (a's progress) is a conflict for the person, never a plain change (issue 16 items 3 and 6)
  const broken = rewrite((rows) => rows.map((r) => (r[0] === a ? [a, '{"progress":1}'] : r)));
  const two = previewImport(ctx, { name: 'c.xlsx', bytes: broken });
  assert.equal(two.mode, 'three-way');
  assert.ok(two.warnings.some((w) => w.includes('_meta') && w.includes(a)), JSON.stringify(two.warnings));
  assert.ok(two.conflicts.some((c) => c.rowId === a && c.fields.some((f) => f.field === 'progress')));
  assert.ok(!two.changes.some((c) => c.rowId === a && c.changes.some((f) => f.field === 'progress')));
  db.close();
});

test('cell errors block the whole import; unknown departments get suggestions', async () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const out = await exportLedger(ctx, { deptId: fgw });
  const [a, b, c] = listMeasures(ctx).filter((m) => m.actionable && m.leadId === fgw).map((m) => m.id);
  const bytes = await edit(out.buffer, {
    [a]: { deadline: '尽快', progress: '有进展' },
    [b]: { lead: '湖南省发改委员会' },
    [c]: { co: '省气象台', status: '差不多' },
  });
  const p = previewImport(ctx, { name: 'e.xlsx', bytes });
  assert.deepEqual(p.errors.map((e) => [e.row, e.column]), [
    [HEADER_ROW + 1, '完成时限'],
    [HEADER_ROW + 3, '配合单位'],
    [HEADER_ROW + 3, '状态'],
  ]);
  assert.ok(p.errors.every((e) => /[\u4e00-\u9fff]/.test(e.message)));
  // a near miss of a known name is recognised, with a note
  assert.ok(p.warnings.some((w) => w.includes('湖南省发改委员会') && w.includes('省发展改革委')));
  const snap = snapshot(ctx);
  assert.throws(() => applyImport(ctx, p, { onConflict: 'keep' }), (e: unknown) => e instanceof ServiceError && e.code === 'VALIDATION' && /3 处错误/.test(e.message));
  assert.equal(snapshot(ctx), snap);
  // an unknown name that is close to a known one: suggestions
  const p2 = previewImport(ctx, { name: 'e.xlsx', bytes: await edit(out.buffer, { [a]: { lead: '湖南省交通厅局' } }) });
  assert.equal(p2.errors.length, 1);
  assert.ok(p2.errors[0].suggestions!.includes('省交通运输厅'), JSON.stringify(p2.errors));
  // a typo: suggested by edit distance; the department chosen for this file resolves it, the directory unchanged
  const typo = await edit(out.buffer, { [a]: { lead: '省水力厅' } });
  const p3 = previewImport(ctx, { name: 't.xlsx', bytes: typo });
  assert.equal(p3.errors.length, 1);
  assert.deepEqual([p3.errors[0].deptName, p3.errors[0].suggestions], ['省水力厅', ['省水利厅']]);
  const slt = dept(ctx, '省水利厅');
  const deptsBefore = JSON.stringify(listDepartments(ctx, true));
  const p4 = previewImport(ctx, { name: 't.xlsx', bytes: typo }, { deptMap: { 省水力厅: slt } });
  assert.deepEqual(p4.errors, []);
  assert.ok(p4.changes.some((c) => c.rowId === a && c.changes.some((f) => f.field === 'lead' && JSON.stringify(f.value) === JSON.stringify([slt]))), JSON.stringify(p4.changes));
  assert.ok(p4.warnings.some((w) => w.includes('省水力厅') && w.includes('按本次导入的选择识别为“省水利厅”')));
  assert.equal(JSON.stringify(listDepartments(ctx, true)), deptsBefore, 'no alias added');
  assert.equal(previewImport(ctx, { name: 't.xlsx', bytes: typo }).errors.length, 1, 'the choice holds for that preview only');
  db.close();
});

test('unknown ids and dropped rows are reported, not applied', async () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const out = await exportLedger(ctx, { deptId: fgw });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(out.buffer as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('任务分工台账')!;
  const dropped = String(ws.getRow(HEADER_ROW + 2).getCell(1).value);
  ws.spliceRows(HEADER_ROW + 2, 1);
  ws.getRow(HEADER_ROW + 1).getCell(1).value = '99.9.9.9';
  const p = previewImport(ctx, { name: 'u.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) });
  assert.deepEqual(p.unknownIds, ['99.9.9.9']);
  assert.ok(p.dropped.includes(dropped));
  db.close();
});

// ---- bad input

function zipOf(entries: { name: string; data: Buffer; declared?: number; raw?: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const comp = e.raw ?? zlib.deflateRawSync(e.data);
    const usz = e.declared ?? e.data.length;
    const name = Buffer.from(e.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(0, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(usz, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
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

/** A deflate stream of n MB of blanks, built from independent 1 MB blocks (cheap to make). */
function bombStream(nMb: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array(nMb).fill(block), zlib.deflateRawSync(Buffer.alloc(0))]);
}

test('bad input: a Chinese message, and the database unchanged', async () => {
  const { dir, db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const good = (await exportLedger(ctx, { deptId: fgw })).buffer;
  const sheetHead = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const bomb = bombStream(400);
  const minimal = (sheet: { raw?: Buffer; data?: Buffer; declared?: number }) =>
    zipOf([
      {
        name: '[Content_Types].xml',
        data: Buffer.from(
          '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        ),
      },
      { name: 'xl/worksheets/sheet1.xml', data: sheet.data ?? Buffer.from(sheetHead), declared: sheet.declared, raw: sheet.raw },
    ]);
  const emptyWb = new ExcelJS.Workbook();
  emptyWb.addWorksheet('Sheet1');
  const otherWb = new ExcelJS.Workbook();
  const o = otherWb.addWorksheet('统计');
  o.addRow(['序号', '项目名称', '金额']);
  o.addRow([1, '某项目', 100]);
  const encrypted = (() => {
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]));
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(4096, 7));
    return Buffer.from(XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
  })();
  const cases: [string, Buffer, RegExp][] = [
    ['文本改名.xlsx', Buffer.from('这不是表格，只是一段文字。\n第二行。'), /不是 Excel 表格|不是可识别/],
    ['图片.xlsx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), /不是可识别的电子表格/],
    ['截断.xlsx', good.subarray(0, Math.floor(good.length / 2)), /不完整|损坏/],
    ['空.xlsx', Buffer.from(await emptyWb.xlsx.writeBuffer()), /没有任何内容|空/],
    ['其他表.xlsx', Buffer.from(await otherWb.xlsx.writeBuffer()), /没有找到任务分工台账.*编号/],
    ['加密.xlsx', encrypted, /已加密/],
    ['炸弹-如实声明.xlsx', minimal({ raw: bomb, declared: 400 * 1024 * 1024 }), /压缩炸弹/],
    ['炸弹-谎报大小.xlsx', minimal({ raw: bomb, declared: 1000 }), /压缩炸弹/],
    ['过大.xlsx', Buffer.alloc(51 * 1024 * 1024, 0x41), /超过 50 MB/],
    ['零字节.csv', Buffer.alloc(0), /空/],
  ];
  const snap = snapshot(ctx);
  for (const [name, bytes, re] of cases) {
    const t = Date.now();
    assert.throws(
      () => previewImport(ctx, { name, bytes }),
      (e: unknown) => e instanceof ServiceError && e.code === 'VALIDATION' && re.test(e.message) && /[\u4e00-\u9fff]/.test(e.message),
      name,
    );
    assert.ok(Date.now() - t < 5000, `${name} refused quickly`);
  }
  assert.equal(snapshot(ctx), snap);
  // too many rows (cheap to make as csv)
  const many = Buffer.from('编号,状态\n' + '4.1.1.1,未启动\n'.repeat(200_050));
  assert.throws(() => previewImport(ctx, { name: 'many.csv', bytes: many }), /超过 200000 行/);
  fs.rmSync(dir, { recursive: true, force: true });
  db.close();
});
