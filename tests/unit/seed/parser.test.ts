import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePlan, splitSentences, headingOf } from '../../../electron/seed/parser';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const raw = fs.readFileSync(path.join(ROOT, 'seeds', 'plan.txt'), 'utf8');
const plan = parsePlan(raw);
const measures = plan.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)));

test('seeds/plan.txt is the published text, unchanged', () => {
  const shared = path.join(ROOT, '..', 'shared', 'seeds', '000_dfdf75a015612ed5.txt');
  if (fs.existsSync(shared)) assert.equal(raw, fs.readFileSync(shared, 'utf8'));
  assert.ok(raw.includes('湘政发〔2022〕6号'));
});

test('nine chapters with their titles, without the 第X章 prefix', () => {
  assert.deepEqual(
    plan.chapters.map((c) => c.title),
    [
      '规划背景',
      '总体要求',
      '一体化优化都市圈发展布局',
      '一体化推动基础设施互联互通',
      '一体化打造科技创新产业体系',
      '一体化推动生态环境共保共治',
      '一体化推动公共服务共建共享',
      '一体化推进高标准市场体系建设',
      '推进规划实施',
    ],
  );
  assert.deepEqual(plan.chapters.map((c) => c.no), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('section counts and titles', () => {
  assert.deepEqual(plan.chapters.map((c) => c.sections.length), [2, 3, 3, 4, 3, 5, 5, 3, 4]);
  assert.equal(plan.chapters[0].sections[0].title, '发展基础');
  assert.equal(plan.chapters[3].sections[0].title, '构建一体化综合交通网络');
  assert.equal(plan.chapters[6].sections[4].title, '健全城市安全防控体系');
  assert.equal(plan.chapters[8].sections[3].title, '抓好督促落实');
  for (const c of plan.chapters) c.sections.forEach((s, i) => assert.equal(s.id, `${c.no}.${i + 1}`));
});

test('key tasks are titled by their heading sentence; a section without headings is one task', () => {
  const t = plan.chapters[3].sections[0].tasks;
  assert.deepEqual(
    t.map((x) => x.title),
    ['打造轨道上的长株潭', '完善提升道路运输网', '建设长沙航空枢纽', '增强水路运输能力', '畅通区域交通微循环'],
  );
  assert.equal(t[0].id, '4.1.1');
  const energy = plan.chapters[3].sections[2];
  assert.equal(energy.tasks.length, 1);
  assert.equal(energy.tasks[0].sectionAsTask, true);
  assert.equal(energy.tasks[0].title, '建立安全可靠能源保障体系');
  assert.equal(plan.chapters.reduce((n, c) => n + c.sections.reduce((k, s) => k + s.tasks.length, 0), 0), 85);
  // section lead paragraphs are not tasks
  assert.equal(plan.chapters[2].sections[1].lead.length, 1);
  assert.ok(plan.chapters[2].sections[1].lead[0].startsWith('依托湘江黄金水道'));
});

test('measures: the sentences after the heading, with stable ids', () => {
  assert.equal(measures.length, 357);
  const rail = plan.chapters[3].sections[0].tasks[0].measures;
  assert.equal(rail.length, 8);
  assert.equal(rail[0].id, '4.1.1.1');
  assert.equal(rail[0].text, '编制长株潭都市圈多层次轨道交通规划，统筹区域内干线铁路、城际铁路、市域（郊）铁路、城市轨道交通布局，打造多层次、优衔接、同城化、高品质的长株潭都市圈轨道交通网络。');
  assert.ok(rail[7].text.startsWith('充分发挥技术、产业等优势，研究推广中低速磁悬浮系统制式的应用'));
  const ids = new Set(measures.map((m) => m.id));
  assert.equal(ids.size, measures.length);
});

test('every page-break artefact is repaired', () => {
  assert.deepEqual(
    plan.repairs.map((r) => [r.line, r.before + '|' + r.after]),
    [
      [55, '国性综合交通|物流枢纽。'],
      [87, '吸引国内外企|业运营中心、'],
      [99, '强化重污染天|气应急响应。'],
      [140, '反不正当竞争|部门协调联动'],
    ],
  );
  for (const w of ['全国性综合交通物流枢纽', '积极吸引国内外企业运营中心', '强化重污染天气应急响应', '建立反不正当竞争部门协调联动机制']) {
    assert.ok(plan.repairedText.includes(w), w);
  }
  const ch4 = plan.chapters[3];
  assert.ok(ch4.lead[0].endsWith('着力建设全国性综合交通物流枢纽。'));
});

test('no stored paragraph or measure contains a line break; every measure is verbatim in the repaired plan', () => {
  const paras = [
    ...plan.notice.paragraphs,
    ...plan.foreword.paragraphs,
    ...plan.chapters.flatMap((c) => [...c.lead, ...c.sections.flatMap((s) => [...s.lead, ...s.tasks.flatMap((t) => t.paragraphs)])]),
  ];
  for (const p of paras) assert.ok(!/[\r\n]/.test(p), p.slice(0, 30));
  for (const m of measures) {
    assert.ok(!/[\r\n]/.test(m.text), m.id);
    assert.ok(plan.repairedText.includes(m.text), `${m.id} not verbatim`);
  }
  // nothing of the body is lost: every repaired body line is a stored paragraph or heading
  const stored = new Set(paras);
  for (const line of plan.repairedText.split('\n').slice(plan.repairedText.split('\n').indexOf('前言'))) {
    if (!line || /^第[一二三四五六七八九十]+[章节]/.test(line) || /^图\d/.test(line) || line === '前言') continue;
    assert.ok(stored.has(line), line.slice(0, 30));
  }
});

test('notice, foreword, chapter 2 principles and targets, figures 1–5 are kept', () => {
  assert.ok(plan.notice.paragraphs.some((p) => p.includes('湘政发〔2022〕6号')));
  assert.ok(plan.notice.paragraphs.includes('（此件主动公开）'));
  assert.equal(plan.foreword.paragraphs.length, 4);
  assert.ok(plan.foreword.paragraphs[2].includes('面积1.89万平方公里'));
  const ch2 = plan.chapters[1];
  assert.deepEqual(ch2.sections[1].tasks.map((t) => t.title), ['坚持协调发展', '坚持协同创新', '坚持绿色低碳', '坚持开放合作', '坚持民生共享']);
  assert.ok(ch2.sections[2].tasks[0].paragraphs[0].includes('常住人口城镇化率达到82%左右'));
  assert.deepEqual(plan.figures.map((f) => `图${f.no}${f.title}`), [
    '图1长株潭都市圈区域范围',
    '图2长株潭都市圈空间格局示意图',
    '图3铁路规划示意图',
    '图4高速公路规划示意图',
    '图5航道和港口规划示意图',
  ]);
});

test('sentence splitting and heading detection', () => {
  assert.deepEqual(splitSentences('甲。乙“丙。丁”戊。'), ['甲。', '乙“丙。丁”戊。']);
  assert.equal(headingOf('打造轨道上的长株潭。编制规划。'), '打造轨道上的长株潭');
  assert.equal(headingOf('到2025年，长株潭显著增强。其他。'), null);
  assert.equal(headingOf('只有一句。'), null);
});
