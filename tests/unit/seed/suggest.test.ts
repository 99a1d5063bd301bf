// The suggestion rules' behaviours one by one, on the plan's own measures (and a few texts made
// for the case): the plan's words first, department names not read as keywords, subject over
// list items and purpose clauses, the notice's 责任主体 rule, railway, places and task titles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadSeeds } from '../../../electron/seed/build';
import { compileRules } from '../../../electron/seed/suggest';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const { plan, departments, rules } = loadSeeds(path.join(ROOT, 'seeds'));
const suggester = compileRules(rules, departments);
const all = plan.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures.map((m) => ({ ...m, task: t.title, chapter: c.no })))));
const byId = new Map(all.map((m) => [m.id, m]));
const sug = (id: string) => {
  const m = byId.get(id);
  assert.ok(m, id);
  return suggester.suggest({ id, text: m.text, taskTitle: m.task });
};

test('the plan names who is responsible: its words decide, the first named leads, the others follow in order', () => {
  const s = sug('9.1.1.2');
  assert.equal(s.lead, '省发展改革委');
  assert.deepEqual(s.alsoLeads, ['省工业和信息化厅', '省自然资源厅', '省生态环境厅', '省人力资源社会保障厅', '省商务厅']);
  assert.match(s.reason!, /规划原文点名负责/);
  assert.equal(s.unsure, false);
  const cities = sug('9.2.1.2');
  assert.equal(cities.lead, '长沙市人民政府');
  assert.deepEqual(cities.alsoLeads, ['株洲市人民政府', '湘潭市人民政府']);
  assert.deepEqual(cities.cities, ['长沙市', '株洲市', '湘潭市']);
});

test('a department name in the text is not read as a keyword (省人力资源社会保障厅 is not 人力资源)', () => {
  const s = suggester.suggest({ id: '6.3.4.9', text: '会同省人力资源社会保障厅等单位，加强生态环境联合执法。' });
  assert.equal(s.lead, '省生态环境厅');
});

test('the subject of the measure decides, not a word in a list, a framing or a purpose clause', () => {
  // 医共体 is the subject; 教学、文化与体育、社会保障 follow in later clauses
  assert.equal(sug('3.3.2.2').lead, '省卫生健康委');
  // 政府采购、首台（套）、技术标准 are the tools; 科研成果转化 is what the measure is for
  assert.equal(sug('5.2.3.4').lead, '省科技厅');
  // 依托…物流大数据平台 frames the measure; 城市共同配送 is its subject
  assert.equal(sug('4.2.2.2').lead, '省商务厅');
  // 就业、社保 are the criteria (以…为主要依据) of 落户, not its field
  assert.equal(sug('7.1.1.2').lead, '省公安厅');
  // a suggestion from a purpose clause or a close rival is marked unsure, with the rival named
  const weak = suggester.suggest({ id: '5.1.9.9', text: '完善有关工作机制，促进科研成果转化。' });
  assert.equal(weak.lead, '省科技厅');
  assert.equal(weak.unsure, true);
  assert.match(weak.reason!, /请核/);
});

test('the notice makes the three cities 责任主体: city work in 3.1 and 3.2 goes to the city government, jointly when all three', () => {
  const s = sug('3.1.1.3'); // 科技创新 is one of the functions listed; the measure is Changsha's central districts
  assert.equal(s.lead, '长沙市人民政府');
  assert.match(s.reason!, /责任主体/);
  assert.equal(sug('3.1.2.3').lead, '湘潭市人民政府');
  const east = sug('3.2.1.2'); // 湘江东岸 spans the three cities
  assert.equal(east.lead, '长沙市人民政府');
  assert.deepEqual(east.alsoLeads, ['株洲市人民政府', '湘潭市人民政府']);
  assert.match(east.reason!, /株洲市人民政府、湘潭市人民政府/);
  // a section rule more specific than the city rule still wins (县城城镇化: 省发展改革委)
  assert.equal(sug('3.1.3.2').lead, '省发展改革委');
});

test('railway and intercity rail in Hunan: 省发展改革委 (with 省交通运输厅), roads: 省交通运输厅', () => {
  for (const id of ['4.1.1.2', '4.1.1.3', '4.1.1.5', '4.1.5.2']) {
    const s = sug(id);
    assert.equal(s.lead, '省发展改革委', id);
    assert.deepEqual(s.alsoLeads, ['省交通运输厅'], id);
    assert.match(s.reason!, /铁路/, id);
  }
  assert.equal(sug('4.1.2.3').lead, '省交通运输厅');
});

test('cities: place names of each city, areas across all three, the task title when the measure names none, and what is not a place', () => {
  const cities = (id: string) => sug(id).cities;
  assert.deepEqual(cities('4.4.1.3'), ['长沙市'], '椒花水库');
  assert.ok(cities('4.4.1.1').includes('株洲市'), '渌水、官庄');
  assert.deepEqual(cities('7.3.1.1'), ['长沙市'], '湘雅');
  assert.deepEqual(cities('5.3.2.3'), ['长沙市'], '临空');
  assert.deepEqual(cities('3.2.4.1'), ['长沙市', '株洲市', '湘潭市'], '绿心');
  assert.deepEqual(cities('6.1.2.1'), ['长沙市', '株洲市', '湘潭市'], '城市中央公园');
  assert.deepEqual(cities('3.2.1.2'), ['长沙市', '株洲市', '湘潭市'], '湘江东岸');
  assert.deepEqual(cities('4.1.3.4'), ['长沙市'], 'task 建设长沙航空枢纽');
  // 承接长沙市产业转移 is 株洲 and 湘潭's work (their task), not Changsha's
  assert.deepEqual(cities('3.1.2.1'), ['株洲市', '湘潭市']);
  assert.ok(!cities('3.1.3.3').includes('长沙市'), '承接长沙市中心城区功能疏解');
  // 除长沙市市区外, 推广浏阳市经验 and a university's name are not places of the city
  assert.deepEqual(cities('3.3.1.1'), []);
  assert.deepEqual(cities('8.1.1.5'), []);
  assert.deepEqual(cities('7.2.1.3'), []);
});

test('every measure of chapters 3–9 gets a lead of the directory and a reason; the section defaults are marked unsure', () => {
  const names = new Set(departments.map((d) => d.name));
  let defaults = 0;
  for (const m of all.filter((x) => x.chapter >= 3)) {
    const s = suggester.suggest({ id: m.id, text: m.text, taskTitle: m.task });
    assert.ok(s.lead && names.has(s.lead), `${m.id}: ${s.lead}`);
    for (const n of s.alsoLeads) assert.ok(names.has(n), `${m.id}: ${n}`);
    assert.ok(s.reason && s.reason.length > 8, m.id);
    if (/措施未提及更具体的职能/.test(s.reason)) {
      defaults++;
      assert.equal(s.unsure, true, m.id);
    }
  }
  assert.ok(defaults > 0);
});
