import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { planNode, planTree, searchPlan } from '../../../electron/services/plan';
import { applyEdits, confirmSuggestions, getMeasure, listMeasures, searchMeasures } from '../../../electron/services/measures';
import {
  addDepartment,
  findDepartment,
  listDepartments,
  mergeDepartments,
  renameDepartment,
  restoreDepartment,
  retireDepartment,
} from '../../../electron/services/departments';
import { listAudit } from '../../../electron/services/audit';
import { createDispatcher } from '../../../electron/ipc/router';
import { freshDb } from '../../support/db';

const fresh = () => freshDb({ identity: { name: '张三', unit: '省发展改革委' } });
const dept = (ctx: ReturnType<typeof fresh>['ctx'], name: string) => findDepartment(ctx, name)!.id;

test('tree: 通知 / 前言 / 第一章…第九章 / 附图, sections and tasks below', () => {
  const { ctx, db } = fresh();
  const tree = planTree(ctx);
  assert.deepEqual(tree.map((n) => n.label).slice(0, 3), ['通知', '前言', '第一章 规划背景']);
  assert.equal(tree.filter((n) => n.kind === 'chapter').length, 9);
  assert.equal(tree[tree.length - 1].label, '附图');
  assert.equal(tree[tree.length - 1].children.length, 5);
  const ch4 = tree.find((n) => n.id === '4')!;
  assert.equal(ch4.children[0].label, '第一节 构建一体化综合交通网络');
  assert.equal(ch4.children[0].children[0].label, '4.1.1 打造轨道上的长株潭');
  db.close();
});

test('node detail: text as published, measures, exact citation', () => {
  const { ctx, db } = fresh();
  const n = planNode(ctx, '4.1.1');
  assert.equal(n.paragraphs.length, 1);
  assert.ok(n.paragraphs[0].text.startsWith('打造轨道上的长株潭。编制长株潭都市圈多层次轨道交通规划'));
  assert.equal(n.measures.length, 8);
  assert.equal(n.citation, '《长株潭都市圈发展规划》第四章第一节“打造轨道上的长株潭”');
  assert.deepEqual(n.path, ['第四章 一体化推动基础设施互联互通', '第一节 构建一体化综合交通网络', '4.1.1 打造轨道上的长株潭']);
  assert.equal(planNode(ctx, '4.3.1').citation, '《长株潭都市圈发展规划》第四章第三节');
  assert.match(planNode(ctx, 'notice').citation, /湘政发〔2022〕6号/);
  assert.throws(() => planNode(ctx, '99.1'), /没有编号为 99.1/);
  db.close();
});

test('search finds two-character words everywhere and points at the exact place', () => {
  const { ctx, db } = fresh();
  const r = searchPlan(ctx, '湘江', 1000);
  // as often as the published text has it (none is cut by a page break)
  const inFile = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'seeds', 'plan.txt'), 'utf8').split('湘江').length - 1;
  assert.equal(r.total, inFile);
  for (const h of r.hits) {
    const text = h.paraOrd < 0 ? planNode(ctx, h.nodeId).label : planNode(ctx, h.nodeId).paragraphs.find((p) => p.ord === h.paraOrd)!.text;
    assert.equal(text.slice(h.offset, h.offset + h.length), '湘江');
    assert.equal(h.snippet.slice(h.snippetOffset, h.snippetOffset + h.length), '湘江');
  }
  // each paragraph listed once, with how many matches it has: the counts add up to the total
  const places = r.hits.map((h) => `${h.nodeId}#${h.paraOrd}`);
  assert.equal(new Set(places).size, places.length, 'no paragraph listed twice');
  assert.equal(r.hits.reduce((n, h) => n + h.count, 0), r.total);
  assert.ok(r.hits.some((h) => h.count > 1), 'some paragraph names 湘江 more than once');
  // the notice's title, printed twice in the published text, is listed once
  const title = searchPlan(ctx, '关于印发', 1000);
  assert.equal(title.total, 2);
  assert.deepEqual(title.hits.map((h) => [h.nodeId, h.paraOrd, h.count]), [['notice', 0, 1]]);
  // reading order: the foreword comes before chapter 3
  const first = r.hits.findIndex((h) => h.nodeId === 'foreword');
  const later = r.hits.findIndex((h) => h.nodeId.startsWith('3.'));
  assert.ok(first >= 0 && first < later);
  // a word across a repaired page break is found
  assert.equal(searchPlan(ctx, '国内外企业运营中心').total, 1);
  assert.equal(searchPlan(ctx, '重污染天气').total, 1);
  assert.equal(searchPlan(ctx, '  ').total, 0);
  assert.equal(searchPlan(ctx, '不存在的词语组合').total, 0);
  assert.ok(searchPlan(ctx, 'igbt').total >= 1, 'latin search ignores case');
  db.close();
});

test('suggested leads for every actionable measure, shown as suggestions, with cities named in the text', () => {
  const { ctx, db } = fresh();
  const rows = listMeasures(ctx);
  const actionable = rows.filter((r) => r.actionable);
  assert.equal(actionable.length, 314);
  assert.ok(actionable.every((r) => r.leadId !== null && !r.leadConfirmed && r.suggestReason));
  assert.ok(rows.filter((r) => !r.actionable).every((r) => r.leadId === null));
  const name = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  // 第九章第一节 names the field leads, used where no more specific rule applies
  const fieldLead: Record<number, string> = { 3: '省自然资源厅', 4: '省发展改革委', 5: '省工业和信息化厅', 6: '省生态环境厅', 7: '省人力资源社会保障厅' };
  const byField = rows.filter((r) => /第九章第一节/.test(r.suggestReason ?? ''));
  assert.ok(byField.length >= 1);
  for (const r of byField) assert.equal(name.get(r.leadId!), fieldLead[r.chapterNo], r.id);
  // railway projects in Hunan: 省发展改革委, not the generic 交通 keyword
  const rail = rows.find((r) => r.id === '4.1.1.2')!;
  assert.equal(name.get(rail.leadId!), '省发展改革委');
  assert.match(rail.suggestReason!, /铁路/);
  // cities where the text names them
  const liling = rows.find((r) => r.text.includes('醴陵城镇组团'))!;
  assert.deepEqual(liling.cities, ['株洲市']);
  const three = rows.find((r) => r.text.includes('构建三市共享服务平台'))!;
  assert.deepEqual(three.cities, ['长沙市', '株洲市', '湘潭市']);
  db.close();
});

test('edits are saved with an audit row per field, and survive a restart', () => {
  const { file: f, db, ctx } = fresh();
  // not 4.1.1.1's suggested lead (省发展改革委), so the lead changes
  const lead = dept(ctx, '省交通运输厅');
  const co = [dept(ctx, '长沙市人民政府'), dept(ctx, '省财政厅')];
  const [row] = applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { leadIds: [lead], coIds: co, deadline: '2025-12-31', status: '推进中', progress: '已印发规划' } }], '编辑');
  assert.equal(row.leadId, lead);
  assert.equal(row.leadConfirmed, true);
  assert.deepEqual(row.coIds, co);
  const audit = listAudit(ctx, '4.1.1.1');
  assert.deepEqual(audit.map((a) => a.field).sort(), ['coIds', 'deadline', 'leadConfirmed', 'leadIds', 'progress', 'status']);
  assert.ok(audit.every((a) => a.actor === '张三' && a.unit === '省发展改革委' && a.op === '编辑'));
  assert.equal(audit.find((a) => a.field === 'status')!.oldValue, '未启动');
  db.close();
  const again = openWorkbenchDb(f);
  const m = getMeasure(contextFor(again), '4.1.1.1');
  assert.equal(m.progress, '已印发规划');
  assert.equal(m.deadline, '2025-12-31');
  again.close();
});

test('a batch is all or nothing', () => {
  const { db, ctx } = fresh();
  const before = listMeasures(ctx);
  const x = dept(ctx, '省教育厅');
  assert.throws(
    () => applyEdits(ctx, [
      { measureId: '4.1.1.1', patch: { leadIds: [x], progress: '第一条' } },
      { measureId: '4.1.1.2', patch: { leadIds: [99999] } },
    ], '批量设置'),
    /4\.1\.1\.2：牵头单位编号 99999 不存在/,
  );
  assert.throws(() => applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { progress: 'x' } }, { measureId: '9.9.9.9', patch: { note: 'y' } }], '粘贴'), /没有编号为 9.9.9.9/);
  assert.deepEqual(listMeasures(ctx), before);
  assert.equal(listAudit(ctx).filter((a) => a.table === 'measure').length, 0);
  db.close();
});

test('one department is never both lead and co-operator; suggestions confirmed in bulk', () => {
  const { db, ctx } = fresh();
  const a = dept(ctx, '省发展改革委');
  const b = dept(ctx, '长沙市人民政府');
  const [r] = applyEdits(ctx, [{ measureId: '4.1.1.2', patch: { coIds: [a, b, b] } }], '编辑');
  assert.deepEqual(r.coIds, [b], 'the suggested lead 省发展改革委 is not added as co');
  const done = confirmSuggestions(ctx, ['4.1.1.3', '4.1.1.4', '1.1.1.1']);
  assert.deepEqual(done.map((m) => m.id), ['4.1.1.3', '4.1.1.4']);
  assert.ok(done.every((m) => m.leadConfirmed && m.suggestReason === null));
  db.close();
});

test('departments: add, rename (old name still matches), merge, retire, restore — allocations intact', () => {
  const { db, ctx } = fresh();
  const added = addDepartment(ctx, '省大数据中心', '省直', null);
  assert.throws(() => addDepartment(ctx, '省大数据中心', '省直', null), /已有名为/);
  assert.throws(() => addDepartment(ctx, '湖南省发展和改革委员会', '省直', null), /别名/);
  assert.throws(() => addDepartment(ctx, '某市直部门', '市直', null), /所属城市/);

  const edu = dept(ctx, '省教育厅');
  applyEdits(ctx, [{ measureId: '7.2.1.1', patch: { leadIds: [edu], coIds: [added.id] } }], '编辑');
  const renamed = renameDepartment(ctx, edu, '湖南省教育厅（新）');
  assert.equal(findDepartment(ctx, '省教育厅')!.id, edu, 'the former name is an alias');
  assert.equal(renamed.name, '湖南省教育厅（新）');
  assert.equal(getMeasure(ctx, '7.2.1.1').leadId, edu);

  // merge 省大数据中心 into 省数据局: its co-operations move, no duplicates, it stays as 已合并
  const gov = dept(ctx, '省数据局');
  applyEdits(ctx, [{ measureId: '7.2.1.2', patch: { leadIds: [added.id], coIds: [gov] } }], '编辑');
  const res = mergeDepartments(ctx, added.id, gov);
  assert.equal(res.movedLead, 1);
  assert.equal(res.movedCo, 1);
  assert.equal(res.from.state, '已合并');
  assert.deepEqual(getMeasure(ctx, '7.2.1.1').coIds, [gov]);
  const m2 = getMeasure(ctx, '7.2.1.2');
  assert.equal(m2.leadId, gov);
  assert.deepEqual(m2.coIds, [], 'the merged target is not also its own co-operator');
  assert.equal(findDepartment(ctx, '省大数据中心')!.id, gov);
  assert.throws(() => restoreDepartment(ctx, added.id), /不能恢复/);

  // retire: the measure keeps it; it can't be newly assigned; restore brings it back
  const sport = dept(ctx, '省体育局');
  applyEdits(ctx, [{ measureId: '7.4.1.2', patch: { leadIds: [sport] } }], '编辑');
  retireDepartment(ctx, sport);
  assert.equal(getMeasure(ctx, '7.4.1.2').leadId, sport);
  assert.ok(!listDepartments(ctx).some((d) => d.id === sport));
  assert.throws(() => applyEdits(ctx, [{ measureId: '7.4.1.3', patch: { leadIds: [sport] } }], '编辑'), /已撤销/);
  applyEdits(ctx, [{ measureId: '7.4.1.2', patch: { progress: '仍可编辑其他字段' } }], '编辑');
  restoreDepartment(ctx, sport);
  applyEdits(ctx, [{ measureId: '7.4.1.3', patch: { leadIds: [sport] } }], '编辑');
  const ops = new Set(listAudit(ctx).map((a) => a.op));
  for (const op of ['新增部门', '部门更名', '合并部门', '撤销部门', '恢复部门']) assert.ok(ops.has(op), op);
  db.close();
});

test('dispatcher: schema-checked input, Chinese errors, unknown channels refused', async () => {
  const { db } = fresh();
  const d = createDispatcher(db, { shell: 'web', dbPath: 'x', version: '0' });
  const bad = await d('measures.applyEdits', { edits: [{ measureId: '4.1.1.1', patch: { deadline: '2025-13-01' } }], op: '编辑' });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, 'VALIDATION');
    assert.match(bad.error.message, /日期/);
  }
  const extra = await d('measures.applyEdits', { edits: [{ measureId: '4.1.1.1', patch: { sql: 'drop' } }], op: '编辑' });
  assert.equal(extra.ok, false);
  // a name of control characters only (SQLite's length() stops at NUL): refused, never an internal error
  for (const name of ['\u0000', '\u0000省某厅', '省某\n厅']) {
    const r = await d('departments.add', { name, level: '省直', city: null });
    assert.equal(r.ok, false, JSON.stringify(name));
    if (!r.ok) {
      assert.equal(r.error.code, 'VALIDATION');
      assert.match(r.error.message, /控制字符/);
    }
  }
  // zod's own messages are Chinese too: no English sentence after 输入有误
  const wrongType = await d('measures.applyEdits', { edits: [{ measureId: 4, patch: { note: 5 } }], op: '编辑' });
  assert.equal(wrongType.ok, false);
  for (const r of [extra, wrongType])
    if (!r.ok) {
      assert.match(r.error.message, /^输入有误：/);
      assert.doesNotMatch(r.error.message, /expected|Invalid|Unrecognized|received/i, r.error.message);
    }
  const unknown = await d('fs.readFile', { path: '/etc/passwd' });
  assert.deepEqual(unknown.ok, false);
  if (!unknown.ok) assert.equal(unknown.error.code, 'UNKNOWN_CHANNEL');
  const nf = await d('plan.node', { id: 'nope' });
  assert.equal(nf.ok, false);
  if (!nf.ok) assert.equal(nf.error.code, 'NOT_FOUND');
  const info = await d('app.info', {});
  assert.ok(info.ok && (info.value as { measureCount: number }).measureCount === 357);
  db.close();
});

test('measure search: two-character terms over text, progress and note; sees edits at once', () => {
  const { db, ctx } = fresh();
  const all = listMeasures(ctx);
  const r = searchMeasures(ctx, '湘江', 2000);
  assert.equal(r.total, all.filter((m) => m.text.includes('湘江')).length);
  assert.ok(r.total > 0);
  assert.ok(r.hits.every((h) => all.find((m) => m.id === h.id)!.text.includes('湘江')));
  assert.equal(searchMeasures(ctx, '株洲西').total, all.filter((m) => m.text.includes('株洲西')).length);
  applyEdits(ctx, [{ measureId: '6.3.1.2', patch: { progress: '已完成钢铁企业超低排放验收' } }], '编辑');
  const after = searchMeasures(ctx, '超低排放验收');
  assert.deepEqual(after.hits.map((h) => [h.id, h.field]), [['6.3.1.2', 'progress']]);
  assert.equal(searchMeasures(ctx, '').total, 0);
  db.close();
});
