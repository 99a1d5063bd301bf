// 重点建设项目台账 and 目标指标表: exported, read back with SheetJS (not the writer), edited as a
// person would, re-saved by LibreOffice, previewed and applied through the ledger import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as XLSX from 'xlsx';
import { ServiceError, type ServiceContext } from '../../../electron/core/context';
import { findDepartment } from '../../../electron/services/departments';
import { listAudit } from '../../../electron/services/audit';
import { getProject, listProjects, updateProjects } from '../../../electron/services/projects';
import { listIndicators, setActual } from '../../../electron/services/indicators';
import { exportProjects } from '../../../electron/export/xlsx/projects';
import { exportIndicators, INDICATOR_HEADERS } from '../../../electron/export/xlsx/indicators';
import { HEADER_ROW } from '../../../electron/export/xlsx/sheet';
import { applyImport, previewImport } from '../../../electron/import';
import { PROJECT_CATEGORIES, PROJECT_COLUMNS, PROJECT_STAGES } from '../../../shared/projects';
import { freshDb } from '../../support/db';

const YEAR = 2025;

const fresh = () => freshDb({ identity: { name: '王五', unit: '省发展改革委' } });

function part(buf: Buffer, name: string): string {
  const f = XLSX.CFB.find(XLSX.CFB.read(buf, { type: 'buffer' }), name);
  assert.ok(f, `${name} in the xlsx`);
  return Buffer.from(f.content as Uint8Array).toString('utf8');
}
function sheetXml(buf: Buffer, sheetName: string): string {
  const wb = part(buf, '/xl/workbook.xml');
  const m = wb.match(new RegExp(`<sheet [^>]*name="${sheetName}"[^>]*r:id="(rId\\d+)"`));
  assert.ok(m, `sheet ${sheetName}`);
  const rels = part(buf, '/xl/_rels/workbook.xml.rels');
  const t = rels.match(new RegExp(`Id="${m[1]}"[^>]*Target="([^"]+)"`)) ?? rels.match(new RegExp(`Target="([^"]+)"[^>]*Id="${m[1]}"`));
  assert.ok(t);
  return part(buf, '/xl/' + t[1].replace(/^\/?xl\//, ''));
}
const col = (key: string) => PROJECT_COLUMNS.findIndex((c) => c.key === key);
const letter = (key: string) => XLSX.utils.encode_col(col(key));
const snapshot = (ctx: ServiceContext) => JSON.stringify(listProjects(ctx, { year: YEAR, includeDeleted: true })) + '|' + listAudit(ctx, undefined, 100000).length;

function soffice(dir: string, file: string): string {
  const out = path.join(dir, 'lo-' + randomUUID().slice(0, 8));
  execFileSync('soffice', [`-env:UserInstallation=file:///tmp/lo-${randomUUID()}`, '--headless', '--convert-to', 'xlsx', '--outdir', out, file], {
    stdio: 'pipe',
    timeout: 120000,
  });
  const made = fs.readdirSync(out);
  assert.equal(made.length, 1);
  return path.join(out, made[0]);
}

/** Change cells of the exported ledger with SheetJS, as a person would in a spreadsheet program. */
function editWithSheetJs(buf: Buffer, byId: Record<string, Record<string, string | number>>): Buffer {
  const wb = XLSX.read(buf, { type: 'buffer', cellStyles: true });
  const ws = wb.Sheets['重点建设项目台账'];
  const range = XLSX.utils.decode_range(ws['!ref']!);
  for (let r = HEADER_ROW; r <= range.e.r; r++) {
    const id = ws[XLSX.utils.encode_cell({ r, c: 0 })]?.v as string | undefined;
    for (const [key, v] of Object.entries(byId[id ?? ''] ?? {}))
      ws[XLSX.utils.encode_cell({ r, c: col(key) })] = typeof v === 'number' ? { t: 'n', v } : { t: 's', v };
  }
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** Some investment figures, so that the ledger is not blank. */
function seedFigures(ctx: ServiceContext) {
  const ps = listProjects(ctx, { year: YEAR });
  updateProjects(
    ctx,
    ps.slice(0, 4).map((p, i) => ({
      projectId: p.id,
      patch: { totalInvestment: 100 + i * 10.25, startYear: 2022, endYear: 2027, progressText: '路基完成', yearPlans: [{ year: YEAR, planned: 20 + i, completed: 5 + i }] },
    })),
    '编辑',
  );
  return listProjects(ctx, { year: YEAR });
}

test('project ledger: header from PROJECT_COLUMNS, rows = projects in scope, drop-downs, frozen pane, protection, hidden _meta', async () => {
  const { db, ctx } = fresh();
  const all = seedFigures(ctx);
  const out = await exportProjects(ctx, { year: YEAR });
  assert.equal(out.rows, all.length);
  assert.match(out.fileName, /^重点建设项目台账-全部-2025年度-\d{8}\.xlsx$/);
  const wb = XLSX.read(out.buffer, { type: 'buffer', cellFormula: false });
  assert.deepEqual(wb.SheetNames, ['重点建设项目台账', '_lists', '_meta']);
  const rows = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['重点建设项目台账'], { header: 1, raw: true, defval: '' });
  assert.match(String(rows[0][0]), /^长株潭都市圈重点建设项目台账（2025年度）$/);
  assert.deepEqual(rows[HEADER_ROW - 1], PROJECT_COLUMNS.map((c) => c.header));
  const data = rows.slice(HEADER_ROW).filter((r) => r.some((v) => v !== ''));
  assert.deepEqual(data.map((r) => r[0]), all.map((p) => p.id));
  const p0 = all[0];
  const r0 = data[0];
  assert.equal(r0[col('name')], p0.name);
  assert.equal(r0[col('totalInvestment')], 100);
  assert.equal(r0[col('yearPlanned')], 20);
  assert.equal(r0[col('yearCompleted')], 5);
  assert.equal(r0[col('stage')], p0.stage);
  assert.equal(r0[col('quote')], p0.quote);
  assert.equal(r0[col('lead')], ctx.q.dept(p0.leadId!)!.name);

  const xml = sheetXml(out.buffer, '重点建设项目台账');
  assert.match(xml, /<pane [^>]*xSplit="2"[^>]*ySplit="3"[^>]*state="frozen"/);
  assert.match(xml, /<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"/);
  const workbook = part(out.buffer, '/xl/workbook.xml');
  assert.match(workbook, /<definedName name="_xlnm.Print_Titles" localSheetId="0">(&apos;|')重点建设项目台账(&apos;|')!\$1:\$3<\/definedName>/);
  assert.match(workbook, /<sheet [^>]*name="_meta" state="veryHidden"/);
  assert.match(workbook, /<sheet [^>]*name="_lists" state="veryHidden"/);
  const dv = [...xml.matchAll(/<dataValidation ([^>]*)>(.*?)<\/dataValidation>/g)].map((m) => ({ attrs: m[1], formula: m[2] }));
  const dvFor = (key: string) => dv.find((v) => new RegExp(`sqref="${letter(key)}${HEADER_ROW + 1}:${letter(key)}\\d+"`).test(v.attrs));
  assert.ok(dvFor('category')!.formula.includes(PROJECT_CATEGORIES.join(',')), '类别 drop-down');
  assert.ok(dvFor('stage')!.formula.includes(PROJECT_STAGES.join(',')), '阶段 drop-down');
  assert.match(dvFor('lead')!.formula, /_lists.*!\$A\$1:\$A\$\d+/, '牵头单位 drop-down');
  assert.ok(dvFor('cities')!.formula.includes('长沙市,株洲市,湘潭市'), '所在城市 drop-down');
  assert.match(xml, /<sheetProtection [^>]*sheet="1"/);
  assert.doesNotMatch(xml, /<f>/);
  const styles = part(out.buffer, '/xl/styles.xml');
  const xfs = [...styles.match(/<cellXfs[^>]*>(.*?)<\/cellXfs>/s)![1].matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/gs)].map((m) => m[0]);
  const styleOf = (ref: string) => Number(xml.match(new RegExp(`<c r="${ref}" s="(\\d+)"`))![1]);
  const locked = (ref: string) => !/<protection locked="0"/.test(xfs[styleOf(ref)]);
  assert.ok(locked(`A${HEADER_ROW + 1}`), '项目编号 locked');
  for (const key of ['name', 'stage', 'progressText', 'yearCompleted']) assert.ok(!locked(`${letter(key)}${HEADER_ROW + 1}`), `${key} unlocked`);

  const meta = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['_meta'], { header: 1, raw: true });
  const kv = new Map(meta.filter((r) => r.length === 2).map((r) => [r[0], r[1]]));
  assert.equal(kv.get('kind'), 'projects');
  assert.equal(kv.get('year'), '2025');
  assert.ok(!Number.isNaN(Date.parse(kv.get('exportedAt')!)));
  const start = meta.findIndex((r) => r[0] === 'id');
  assert.equal(meta.length - start - 1, all.length);

  // scope: one city, one category, one lead department
  const fgw = findDepartment(ctx, '省交通运输厅')!;
  const byDept = await exportProjects(ctx, { deptId: fgw.id, year: YEAR });
  assert.equal(byDept.rows, all.filter((p) => p.leadId === fgw.id).length);
  const byCat = await exportProjects(ctx, { category: '能源', year: YEAR });
  assert.equal(byCat.rows, all.filter((p) => p.category === '能源').length);
  const byCity = await exportProjects(ctx, { city: '湘潭市', year: YEAR });
  assert.equal(byCity.rows, all.filter((p) => p.cities.includes('湘潭市')).length);
  assert.ok(byCity.rows > 0 && byCity.rows < all.length);
  await assert.rejects(exportProjects(ctx, { category: '不存在' }), ServiceError);
  db.close();
});

test('project ledger round trip: edited with SheetJS, re-saved by LibreOffice, previewed, applied in one operation', async () => {
  const { dir, db, ctx } = fresh();
  const all = seedFigures(ctx);
  const [a, b] = all;
  const out = await exportProjects(ctx, { year: YEAR });
  const edited = editWithSheetJs(out.buffer, {
    [a.id]: { stage: '建成', progressText: '=已全线通车', yearCompleted: 18.5 },
    [b.id]: { stage: '开工', progressText: '桥梁主体完工', yearCompleted: '7.25亿元' },
  });
  const src = path.join(dir, '项目台账.xlsx');
  fs.writeFileSync(src, edited);
  const file = soffice(dir, src);
  const bytes = fs.readFileSync(file);

  const p = previewImport(ctx, { name: path.basename(file), bytes });
  assert.equal(p.ledgerKind, 'projects');
  assert.equal(p.year, YEAR);
  assert.equal(p.mode, 'three-way', '_meta survives LibreOffice');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.conflicts, []);
  assert.equal(p.summary.changed, 2, JSON.stringify(p.changes));
  assert.equal(p.summary.unchanged, all.length - 2);
  const byId = new Map(p.changes.map((x) => [x.rowId, x]));
  assert.deepEqual(byId.get(a.id)!.changes.map((f) => [f.field, f.old, f.new]), [
    ['stage', a.stage, '建成'],
    ['yearCompleted', '5', '18.5'],
    ['progressText', '路基完成', '=已全线通车'],
  ]);
  assert.deepEqual(byId.get(b.id)!.changes.map((f) => [f.field, f.new]), [
    ['stage', '新开工'],
    ['yearCompleted', '7.25'],
    ['progressText', '桥梁主体完工'],
  ]);
  assert.ok(p.warnings.some((w) => w.includes('“开工”按“新开工”识别')));

  const before = listAudit(ctx, undefined, 100000).length;
  const sum = applyImport(ctx, JSON.parse(JSON.stringify(p)), { onConflict: 'keep' });
  assert.deepEqual(sum, { changed: 2, unchanged: all.length - 2, conflicts: 0, unknownIds: [], errors: [] });
  const after = new Map(listProjects(ctx, { year: YEAR }).map((x) => [x.id, x]));
  assert.equal(after.get(a.id)!.stage, '建成');
  assert.equal(after.get(a.id)!.progressText, '=已全线通车', 'formula-like text stays text');
  assert.equal(after.get(a.id)!.yearCompleted, 18.5);
  assert.equal(after.get(a.id)!.yearPlanned, 20, 'the plan of the year left alone');
  assert.equal(after.get(b.id)!.stage, '新开工');
  assert.equal(after.get(b.id)!.yearCompleted, 7.25);
  const audit = listAudit(ctx, undefined, 100000).slice(0, listAudit(ctx, undefined, 100000).length - before);
  assert.equal(audit.length, 6, 'one audit row per field');
  assert.ok(audit.every((x) => x.op === '导入项目台账' && x.actor === '王五'));
  assert.equal(new Set(audit.map((x) => x.opId)).size, 1, 'one operation');
  assert.ok(audit.some((x) => x.rowId === a.id && x.field === `yearPlan.${YEAR}.completed`));
  // the same file again: nothing left to do
  assert.equal(previewImport(ctx, { name: 'x.xlsx', bytes }).summary.changed, 0);
  fs.rmSync(dir, { recursive: true, force: true });
  db.close();
});

test('project ledger: conflicts, unknown ids, rows without an id, cell errors, all or nothing', async () => {
  const { db, ctx } = fresh();
  const all = seedFigures(ctx);
  const [a, b, c] = all;
  const out = await exportProjects(ctx, { year: YEAR });
  // here, after the export: the same field of a changed
  updateProjects(ctx, [{ projectId: a.id, patch: { progressText: '本库写的进度' } }], '编辑');
  const wb = XLSX.read(editWithSheetJs(out.buffer, { [a.id]: { progressText: '台账写的进度', problems: '资金缺口' }, [b.id]: { yearPlanned: 30 } }), { type: 'buffer' });
  const ws = wb.Sheets['重点建设项目台账'];
  const rows = XLSX.utils.sheet_to_json<(string | number)[]>(ws, { header: 1, raw: true, defval: '' });
  // an unknown id and a new project without an id, appended at the end
  const unknown = Array(PROJECT_COLUMNS.length).fill('');
  unknown[0] = 'P999';
  unknown[col('name')] = '不存在的项目';
  const added = Array(PROJECT_COLUMNS.length).fill('');
  added[col('name')] = '某新增物流园';
  added[col('category')] = '物流';
  XLSX.utils.sheet_add_aoa(ws, [unknown, added], { origin: rows.length });
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;

  const p = previewImport(ctx, { name: 'c.xlsx', bytes });
  assert.equal(p.ledgerKind, 'projects');
  assert.deepEqual(p.unknownIds, ['P999']);
  assert.deepEqual(p.newRows, [{ row: rows.length + 2, text: '某新增物流园' }]);
  assert.ok(p.warnings.some((w) => w.includes('不会新建项目')));
  assert.equal(p.conflicts.length, 1);
  assert.deepEqual(p.conflicts[0].fields.map((f) => [f.field, f.old, f.new, f.ours]), [['progressText', '路基完成', '台账写的进度', '本库写的进度']]);
  assert.deepEqual(p.changes.find((x) => x.rowId === a.id)!.changes.map((f) => f.field), ['problems']);
  applyImport(ctx, p, { onConflict: 'keep' });
  assert.equal(getProject(ctx, a.id).progressText, '本库写的进度');
  assert.equal(getProject(ctx, a.id).problems, '资金缺口');
  assert.equal(getProject(ctx, b.id, YEAR).yearPlanned, 30);
  assert.equal(listProjects(ctx).length, all.length, 'no project created');

  // take, per field
  const { db: db2, ctx: ctx2 } = fresh();
  seedFigures(ctx2);
  const out2 = await exportProjects(ctx2, { year: YEAR });
  updateProjects(ctx2, [{ projectId: a.id, patch: { progressText: '本库写的进度' } }], '编辑');
  const p2 = previewImport(ctx2, { name: 'c.xlsx', bytes: editWithSheetJs(out2.buffer, { [a.id]: { progressText: '台账写的进度' } }) });
  applyImport(ctx2, p2, { onConflict: 'keep', perField: { [a.id]: { progressText: 'take' } } });
  assert.equal(getProject(ctx2, a.id).progressText, '台账写的进度');
  db2.close();

  // cell errors: nothing written
  const bad = editWithSheetJs(out.buffer, { [b.id]: { stage: '差不多', totalInvestment: '三千万' }, [c.id]: { category: '交通类', startYear: '明年' } });
  const p3 = previewImport(ctx, { name: 'e.xlsx', bytes: bad });
  assert.deepEqual(p3.errors.map((e) => e.column).sort(), ['建设阶段', '开工年份', '总投资（亿元）'].sort());
  const snap = snapshot(ctx);
  assert.throws(() => applyImport(ctx, p3, { onConflict: 'take' }), (e: unknown) => e instanceof ServiceError && /3 处错误/.test(e.message));
  assert.equal(snapshot(ctx), snap);
  // the database moves between preview and apply: refused, nothing written
  const p4 = previewImport(ctx, { name: 'm.xlsx', bytes: editWithSheetJs(out.buffer, { [c.id]: { yearCompleted: 9 } }) });
  updateProjects(ctx, [{ projectId: c.id, patch: { yearPlans: [{ year: YEAR, completed: 1 }] } }], '编辑');
  const snap2 = snapshot(ctx);
  assert.throws(() => applyImport(ctx, p4, { onConflict: 'take' }), (e: unknown) => e instanceof ServiceError && /重新预览/.test(e.message));
  assert.equal(snapshot(ctx), snap2);
  db.close();
});

test('a project ledger without _meta (csv) is recognised by its headers; the indicators report is refused', async () => {
  const { db, ctx } = fresh();
  const all = seedFigures(ctx);
  const out = await exportProjects(ctx, { year: YEAR });
  const wb = XLSX.read(editWithSheetJs(out.buffer, { [all[1].id]: { stage: '建成' } }), { type: 'buffer' });
  const csv = XLSX.utils.sheet_to_csv(wb.Sheets['重点建设项目台账']);
  const p = previewImport(ctx, { name: 'p.csv', bytes: Buffer.from(csv) });
  assert.equal(p.ledgerKind, 'projects');
  assert.equal(p.mode, 'two-way');
  assert.equal(p.year, YEAR, 'the year from the title row');
  assert.deepEqual(p.changes.map((x) => [x.rowId, x.changes.map((f) => f.field)]), [[all[1].id, ['stage']]]);
  const ind = await exportIndicators(ctx);
  assert.throws(() => previewImport(ctx, { name: 'i.xlsx', bytes: ind.buffer }), (e: unknown) => e instanceof ServiceError && /目标指标表/.test(e.message));
  db.close();
});

test('indicators export: one row per indicator, a column per year 2021–2035 with the actuals, latest value and status', async () => {
  const { db, ctx } = fresh();
  setActual(ctx, 'I01', 2022, 81.3, '统计公报');
  setActual(ctx, 'I01', 2024, 82.1);
  setActual(ctx, 'I03', 2024, 70);
  const list = listIndicators(ctx);
  const out = await exportIndicators(ctx);
  assert.equal(out.rows, list.length);
  assert.match(out.fileName, /^目标指标表-\d{8}\.xlsx$/);
  const wb = XLSX.read(out.buffer, { type: 'buffer' });
  assert.deepEqual(wb.SheetNames, ['目标指标表', '_meta']);
  const rows = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['目标指标表'], { header: 1, raw: true, defval: '' });
  const head = rows[HEADER_ROW - 1];
  assert.deepEqual(head, [...INDICATOR_HEADERS]);
  assert.deepEqual(head.slice(1, 6), ['指标', '单位', '方向', '2025目标', '2021基期']);
  assert.deepEqual(head.slice(6, 21), Array.from({ length: 15 }, (_, i) => String(2021 + i)));
  assert.deepEqual(head.slice(21), ['最新值', '状态', '依据（规划原文）']);
  const data = rows.slice(HEADER_ROW).filter((r) => r[0] !== '');
  assert.deepEqual(data.map((r) => r[0]), list.map((i) => i.id));
  const i01 = data.find((r) => r[0] === 'I01')!;
  const y = (year: number) => head.indexOf(String(year));
  assert.equal(i01[1], '常住人口城镇化率');
  assert.equal(i01[3], '≈');
  assert.equal(i01[4], 82);
  assert.equal(i01[5], 80.9);
  assert.equal(i01[y(2022)], 81.3);
  assert.equal(i01[y(2023)], '');
  assert.equal(i01[y(2024)], 82.1);
  assert.equal(i01[head.indexOf('最新值')], '82.1（2024年）');
  assert.equal(i01[head.indexOf('状态')], '达标');
  assert.equal(data.find((r) => r[0] === 'I03')![head.indexOf('状态')], '滞后');
  assert.ok(String(i01[head.indexOf('依据（规划原文）')]).includes('常住人口城镇化率达到82%左右'));
  const qual = list.find((i) => i.kind === 'qualitative')!;
  assert.equal(data.find((r) => r[0] === qual.id)![head.indexOf('状态')], '定性');
  const xml = sheetXml(out.buffer, '目标指标表');
  assert.match(xml, /<pane [^>]*ySplit="3"[^>]*state="frozen"/);
  assert.match(xml, /<pageSetup [^>]*orientation="landscape"/);
  db.close();
});
