// The 任务分工台账 export, read back with an independent reader (SheetJS) and as raw XML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import * as XLSX from 'xlsx';
import { applyEdits, listMeasures } from '../../../electron/services/measures';
import { findDepartment, listDepartments } from '../../../electron/services/departments';
import { exportLedger, HEADER_ROW, ledgerMeasures } from '../../../electron/export/xlsx/ledger';
import { crc32, mapRows, writeLedgerWorkbook, ZIP_LEVEL, type WriterColumn } from '../../../electron/export/xlsx/sheet';
import { checkZip } from '../../../electron/import/read';
import { LEDGER_COLUMNS } from '../../../shared/ledger';
import { STATUSES } from '../../../shared/domain';
import pkg from '../../../package.json';
import { freshDb } from '../../support/db';

const fresh = () => freshDb({ identity: { name: '张三', unit: '省发展改革委' } });

function part(buf: Buffer, name: string): string {
  const cfb = XLSX.CFB.read(buf, { type: 'buffer' });
  const f = XLSX.CFB.find(cfb, name);
  assert.ok(f, `${name} in the xlsx`);
  return Buffer.from(f.content).toString('utf8');
}

/** path of a sheet's XML by its name, through workbook.xml and its rels */
function sheetXml(buf: Buffer, sheetName: string): string {
  const wb = part(buf, '/xl/workbook.xml');
  const m = wb.match(new RegExp(`<sheet [^>]*name="${sheetName}"[^>]*r:id="(rId\\d+)"`));
  assert.ok(m, `sheet ${sheetName}`);
  const rels = part(buf, '/xl/_rels/workbook.xml.rels');
  const t = rels.match(new RegExp(`Id="${m[1]}"[^>]*Target="([^"]+)"`)) ?? rels.match(new RegExp(`Target="([^"]+)"[^>]*Id="${m[1]}"`));
  assert.ok(t);
  return part(buf, '/xl/' + t[1].replace(/^\/?xl\//, ''));
}

test('whole ledger: header from LEDGER_COLUMNS, one row per actionable measure, print setup, validations, protection', async () => {
  const { ctx, db } = fresh();
  const d = findDepartment(ctx, '省发展改革委')!;
  const m0 = listMeasures(ctx).find((m) => m.leadId === d.id)!;
  applyEdits(ctx, [{ measureId: m0.id, patch: { progress: '=1+1', note: '@SUM(A1)', deadline: '2025-12-31', status: '推进中', cities: ['长沙市', '湘潭市'] } }], '编辑');
  const out = await exportLedger(ctx, {});
  const actionable = listMeasures(ctx).filter((m) => m.actionable);
  assert.equal(out.rows, actionable.length);
  assert.match(out.fileName, /^任务分工台账-全部-\d{8}\.xlsx$/);

  // SheetJS reads it back
  const wb = XLSX.read(out.buffer, { type: 'buffer', cellFormula: false });
  assert.deepEqual(wb.SheetNames, ['任务分工台账', '_lists', '_meta']);
  const ws = wb.Sheets['任务分工台账'];
  const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: true, defval: '' });
  assert.equal(rows[0][0], '长株潭都市圈发展规划重点任务分工台账');
  assert.deepEqual(rows[HEADER_ROW - 1], LEDGER_COLUMNS.map((c) => c.header));
  const data = rows.slice(HEADER_ROW).filter((r) => r.some((v) => v !== ''));
  assert.equal(data.length, actionable.length);
  assert.deepEqual(
    data.map((r) => r[0]),
    actionable.map((m) => m.id),
  );
  const r0 = data.find((r) => r[0] === m0.id)!;
  const col = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key);
  assert.equal(r0[col('progress')], '=1+1');
  assert.equal(r0[col('note')], '@SUM(A1)');
  assert.equal(r0[col('lead')], '省发展改革委');
  assert.equal(r0[col('cities')], '长沙市、湘潭市');
  assert.equal(r0[col('deadline')], '2025-12-31');
  // merged title and note rows
  assert.ok((ws['!merges'] ?? []).some((m) => m.s.r === 0 && m.s.c === 0 && m.e.c === LEDGER_COLUMNS.length - 1));

  // raw XML
  const xml = sheetXml(out.buffer, '任务分工台账');
  assert.match(xml, /<pane [^>]*xSplit="1"[^>]*ySplit="3"[^>]*state="frozen"/);
  assert.match(xml, /<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"[^>]*fitToWidth="1"[^>]*fitToHeight="0"/);
  assert.match(xml, /<pageSetUpPr fitToPage="1"\/>/);
  const workbook = part(out.buffer, '/xl/workbook.xml');
  assert.match(workbook, /<definedName name="_xlnm.Print_Titles" localSheetId="0">(&apos;|')任务分工台账(&apos;|')!\$1:\$3<\/definedName>/);
  assert.match(workbook, /<sheet [^>]*name="_meta" state="veryHidden"/);
  assert.match(workbook, /<sheet [^>]*name="_lists" state="veryHidden"/);
  // drop-downs
  const letter = (key: string) => String.fromCharCode(65 + col(key));
  const dv = [...xml.matchAll(/<dataValidation ([^>]*)>(.*?)<\/dataValidation>/g)].map((m) => ({ attrs: m[1], formula: m[2] }));
  const dvFor = (key: string) => dv.find((v) => new RegExp(`sqref="${letter(key)}${HEADER_ROW + 1}:${letter(key)}\\d+"`).test(v.attrs));
  assert.ok(dvFor('status'), 'status drop-down');
  assert.match(dvFor('status')!.attrs, /type="list"/);
  assert.ok(dvFor('status')!.formula.includes(STATUSES.join(',')));
  assert.ok(dvFor('lead'), 'lead drop-down');
  assert.match(dvFor('lead')!.formula, /_lists.*!\$A\$1:\$A\$\d+/);
  assert.ok(dvFor('cities'), 'cities drop-down');
  assert.ok(dvFor('cities')!.formula.includes('长沙市,株洲市,湘潭市'));
  // the list sheet holds every active department
  const lists = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['_lists'], { header: 1 }).map((r) => r[0]);
  assert.deepEqual(lists, listDepartments(ctx).map((d) => d.name));
  // protection: the sheet protected, the 编号 column locked, the others unlocked
  assert.match(xml, /<sheetProtection [^>]*sheet="1"/);
  assert.doesNotMatch(xml, /<sheetProtection [^>]*(hashValue|password)=/, 'no password');
  const styles = part(out.buffer, '/xl/styles.xml');
  const xfs = [...styles.match(/<cellXfs[^>]*>(.*?)<\/cellXfs>/s)![1].matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/gs)].map((m) => m[0]);
  const locked = (xf: string) => !/<protection locked="0"/.test(xf);
  const styleOf = (ref: string) => Number(xml.match(new RegExp(`<c r="${ref}" s="(\\d+)"`))![1]);
  const firstData = HEADER_ROW + 1;
  assert.ok(locked(xfs[styleOf(`A${firstData}`)]), '编号 locked');
  for (const key of ['text', 'lead', 'co', 'cities', 'deadline', 'status', 'progress', 'note'])
    assert.ok(!locked(xfs[styleOf(`${letter(key)}${firstData}`)]), `${key} unlocked`);
  // text beginning with = or @ is a string cell, never a formula
  assert.doesNotMatch(xml, /<f>/);
  const rowNo = HEADER_ROW + 1 + actionable.findIndex((m) => m.id === m0.id);
  for (const key of ['progress', 'note']) assert.match(xml, new RegExp(`<c r="${letter(key)}${rowNo}" s="\\d+" t="(s|inlineStr)"`));
  // as text: a shared string, or an inline string in the cell (进展情况 differs row to row)
  const texts = part(out.buffer, '/xl/sharedStrings.xml') + xml;
  assert.ok(texts.includes('<t>=1+1</t>') && texts.includes('<t>@SUM(A1)</t>'));

  // _meta: version, time, scope and the base of every row
  const meta = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['_meta'], { header: 1, raw: true });
  const kv = new Map(meta.filter((r) => r.length === 2).map((r) => [r[0], r[1]]));
  assert.equal(kv.get('version'), pkg.version);
  assert.ok(!Number.isNaN(Date.parse(kv.get('exportedAt')!)));
  assert.equal(kv.get('scope'), '{}');
  const start = meta.findIndex((r) => r[0] === 'id');
  assert.equal(meta.length - start - 1, actionable.length);
  // czt-ledger/2: one JSON array of the values per row, in the order 'fields' names
  assert.equal(kv.get('format'), 'czt-ledger/2');
  const fields = JSON.parse(kv.get('fields')!) as string[];
  assert.deepEqual(meta[start], ['id', 'values']);
  const base = JSON.parse(meta.find((r) => r[0] === m0.id)![1]) as unknown[];
  assert.equal(base.length, fields.length);
  const at = (k: string) => base[fields.indexOf(k)];
  assert.ok([at('progress'), at('note')].includes('=1+1'));
  assert.deepEqual(at('cities'), ['长沙市', '湘潭市']);
  db.close();
});

test('one department: the measures it leads or co-operates, title and file name carry its name', async () => {
  const { ctx, db } = fresh();
  const d = findDepartment(ctx, '省发展改革委')!;
  const other = listMeasures(ctx).find((m) => m.actionable && m.leadId !== d.id)!;
  applyEdits(ctx, [{ measureId: other.id, patch: { coIds: [d.id] } }], '编辑');
  const inScope = listMeasures(ctx).filter((m) => m.actionable && (m.leadId === d.id || m.coIds.includes(d.id)));
  const out = await exportLedger(ctx, { deptId: d.id });
  assert.equal(out.rows, inScope.length);
  assert.match(out.fileName, /^任务分工台账-省发展改革委-\d{8}\.xlsx$/);
  const wb = XLSX.read(out.buffer, { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['任务分工台账'], { header: 1, defval: '' });
  assert.equal(rows[0][0], '长株潭都市圈发展规划重点任务分工台账（省发展改革委）');
  const ids = rows.slice(HEADER_ROW).map((r) => r[0]).filter(Boolean);
  assert.deepEqual(ids, inScope.map((m) => m.id));
  assert.ok(ids.includes(other.id), 'co-operated measure included');
  const meta = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['_meta'], { header: 1 });
  assert.deepEqual(JSON.parse(meta.find((r) => r[0] === 'scope')![1]), { deptId: d.id, deptName: '省发展改革委' });

  // one city
  applyEdits(ctx, [{ measureId: other.id, patch: { cities: ['株洲市'] } }], '编辑');
  const city = await exportLedger(ctx, { city: '株洲市' });
  assert.equal(city.rows, listMeasures(ctx).filter((m) => m.actionable && m.cities.includes('株洲市')).length);
  assert.match(city.fileName, /-株洲市-/);
  db.close();
});

test('the ledger query gives the rows of listMeasures: order, co-operating departments in their order, cities', () => {
  const { ctx, db } = fresh();
  const depts = listDepartments(ctx);
  const ms = listMeasures(ctx).filter((m) => m.actionable);
  // co-operating departments in an order that is not their ids' order
  const co = [depts[7].id, depts[2].id, depts[5].id];
  applyEdits(ctx, [{ measureId: ms[3].id, patch: { coIds: co, cities: ['湘潭市', '长沙市'], deadline: '2026-06-30', status: '滞后', progress: ' 前后有空格 ', note: '<备注> & "引号"' } }], '编辑');
  applyEdits(ctx, [{ measureId: ms[10].id, patch: { leadIds: [] } }], '编辑');
  const want = listMeasures(ctx).filter((m) => m.actionable);
  assert.deepEqual(ledgerMeasures(ctx), want);
  assert.deepEqual(ledgerMeasures(ctx).find((m) => m.id === ms[3].id)!.coIds, co);

  // two tasks with the same numbers: their measures still in the order of (chapter, section, task, ord)
  const [a, b] = db
    .prepare(
      `SELECT t.id FROM plan_node t WHERE t.kind = 'task' AND EXISTS (SELECT 1 FROM measure m WHERE m.task_id = t.id AND m.actionable = 1)
          AND t.parent_id = (SELECT t2.parent_id FROM plan_node t2 WHERE t2.kind = 'task' AND EXISTS (SELECT 1 FROM measure m WHERE m.task_id = t2.id AND m.actionable = 1)
                              GROUP BY t2.parent_id HAVING count(*) > 1 LIMIT 1)
        ORDER BY t.ord LIMIT 2`,
    )
    .all() as { id: string }[];
  assert.ok(a && b, 'two tasks with actionable measures under one section');
  db.prepare('UPDATE plan_node SET no = (SELECT no FROM plan_node WHERE id = ?) WHERE id = ?').run(a.id, b.id);
  const got = ledgerMeasures(ctx);
  const again = listMeasures(ctx).filter((m) => m.actionable);
  assert.deepEqual(new Set(got.map((m) => m.id)), new Set(again.map((m) => m.id)));
  const ord = new Map((db.prepare('SELECT id, ord FROM measure').all() as { id: string; ord: number }[]).map((r) => [r.id, r.ord]));
  const taskNo = new Map((db.prepare('SELECT id, no FROM plan_node').all() as { id: string; no: number }[]).map((r) => [r.id, r.no]));
  const key = (m: (typeof got)[number]) => [m.chapterNo, m.sectionNo, taskNo.get(m.taskId)!, ord.get(m.id)!];
  for (let i = 1; i < got.length; i++) {
    const [p, q] = [key(got[i - 1]), key(got[i])];
    const cmp = p.map((x, j) => x - q[j]).find((d) => d !== 0) ?? 0;
    assert.ok(cmp <= 0, `order at ${got[i].id}`);
  }
  assert.ok(got.some((m) => m.taskId === a.id) && got.some((m) => m.taskId === b.id));
  db.close();
});

/** Walk a zip's central directory; inflate each entry and check its CRC-32 and size. */
function zipEntries(buf: Buffer): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd > 0);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const crc = buf.readUInt32LE(p + 16);
    const csz = buf.readUInt32LE(p + 20);
    const usz = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50);
    assert.equal(buf.readUInt32LE(local + 14), crc, `${name}: local CRC`);
    assert.equal(buf.readUInt32LE(local + 18), csz, `${name}: local compressed size`);
    assert.equal(buf.readUInt32LE(local + 22), usz, `${name}: local size`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = zlib.inflateRawSync(buf.subarray(start, start + csz));
    assert.equal(data.length, usz, `${name}: size`);
    assert.equal(zlib.crc32(data), crc, `${name}: CRC-32`);
    out.set(name, data);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

test('the zip writer: a workbook deflated in many pieces is a valid zip and every cell reads back', async () => {
  const rnd = (i: number) => (i * 2654435761) % 1000;
  const cols: WriterColumn[] = [
    { header: '编号', width: 10, editable: false, locked: true, shaded: true },
    { header: '文字', width: 40, editable: true },
    { header: '数值', width: 10, editable: true, numFmt: '0.00' },
  ];
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 20000; i++)
    rows.push([
      `M${i}`,
      i % 7 === 0 ? ` 前后空格 ${i} ` : i % 11 === 0 ? `第一行${i}\n第二行 <b>&amp;"'` : `长株潭都市圈措施${'推进'.repeat(rnd(i) % 40)}${i}`,
      i % 5 === 0 ? rnd(i) / 7 : String(rnd(i)),
    ]);
  rows.push(['M-ctrl', '控制\u0001字符\u0008去掉\uFFFF', 1]);
  const base = rows.map((r) => [String(r[0]), JSON.stringify(r[1])]);
  const buf = await writeLedgerWorkbook({
    sheetName: '测试',
    workbookTitle: '测试',
    title: '测试表',
    note: '说明',
    columns: cols,
    rows: mapRows(rows, (r) => r),
    freezeCols: 1,
    protect: true,
    now: new Date(2025, 5, 30, 12, 0, 0),
    meta: { kv: [['format', 'test']], base: { header: ['id', 'text'], rows: base } },
  });
  const parts = zipEntries(buf);
  const sheet = parts.get('xl/worksheets/sheet1.xml')!;
  assert.ok(sheet.toString('utf8').length > 4 * 256 * 1024, 'the sheet is deflated in several pieces');
  assert.ok(zlib.deflateRawSync(sheet, { level: ZIP_LEVEL }).length < buf.length, 'compressed');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'czt-zip-')), 't.xlsx');
  fs.writeFileSync(file, buf);
  const unzip = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
  if (!unzip.error) assert.equal(unzip.status, 0, unzip.stdout + unzip.stderr);
  checkZip(buf); // the importer's own zip checks

  const wb = XLSX.read(buf, { type: 'buffer' });
  const got = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['测试'], { header: 1, raw: true, defval: '' }).slice(HEADER_ROW);
  assert.equal(got.length, rows.length);
  const clean = (v: string | number) => (typeof v === 'string' ? v.replace(/[\u0001\u0008\uFFFF]/g, '') : v);
  got.forEach((r, i) => assert.deepEqual(r, rows[i].map(clean), `row ${i}`));
  const meta = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['_meta'], { header: 1, raw: true }).slice(3);
  assert.deepEqual(meta, base.map((r) => r.map(clean)));
  // CRC-32 of the fallback table equals zlib's
  const sample = Buffer.from('长株潭 CRC test '.repeat(100));
  assert.equal(crc32(sample.subarray(100), crc32(sample.subarray(0, 100))), zlib.crc32(sample));
});
