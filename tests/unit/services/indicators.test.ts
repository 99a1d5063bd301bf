import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePlan } from '../../../electron/seed/parser';
import { loadIndicatorSeeds } from '../../../electron/seed/projects';
import { listAudit } from '../../../electron/services/audit';
import { dumpIndicators, getIndicator, listIndicators, setActual } from '../../../electron/services/indicators';
import { INDICATOR_DIRECTIONS, indicatorStatus, latestActual, type Indicator } from '../../../shared/projects';
import { freshDb } from '../../support/db';

const SEEDS = path.join(__dirname, '..', '..', '..', 'seeds');
const plan = parsePlan(fs.readFileSync(path.join(SEEDS, 'plan.txt'), 'utf8'));
const seeds = loadIndicatorSeeds(SEEDS);
const task = (id: string) =>
  plan.chapters
    .flatMap((c) => c.sections.flatMap((s) => s.tasks))
    .find((t) => t.id === id)!
    .paragraphs.join('\n');
const targets = task('2.3.1');
const baselines = task('1.1.1') + '\n' + plan.foreword.paragraphs.join('\n');

const fresh = () => freshDb({ identity: { name: '王五', unit: '省统计局' } });

test('seeded indicators: verbatim quotes, targets from 第二章第三节, baselines from 第一章第一节 and the foreword', () => {
  const ids = seeds.map((i) => i.id);
  assert.equal(new Set(ids).size, ids.length);
  ids.forEach((id, i) => assert.equal(id, `I${String(i + 1).padStart(2, '0')}`));
  for (const i of seeds) {
    assert.ok(plan.repairedText.includes(i.quote), `${i.id}: ${i.quote}`);
    if (i.baselineQuote) assert.ok(baselines.includes(i.baselineQuote), `${i.id}: ${i.baselineQuote}`);
    if (i.target2025 !== null || i.kind === 'qualitative') assert.ok(targets.includes(i.quote), `${i.id}: target quote not in 2.3.1`);
    else assert.ok(baselines.includes(i.quote), `${i.id}: baseline quote not in 1.1.1 or the foreword`);
    if (i.kind === 'qualitative') {
      assert.equal(i.direction, null);
      assert.equal(i.target2025, null);
    }
    if (i.target2025 !== null) assert.ok(i.direction && (INDICATOR_DIRECTIONS as readonly string[]).includes(i.direction), i.id);
    if (i.direction === '≈') assert.ok(i.tolerance !== null && i.tolerance > 0, `${i.id}: ≈ needs a tolerance`);
    // every number stated appears in its quote as written
    if (i.target2025 !== null) assert.ok(i.quote.includes(String(i.target2025)), `${i.id}: ${i.target2025}`);
    if (i.baseline2021 !== null) assert.ok((i.baselineQuote ?? i.quote).includes(String(i.baseline2021)), `${i.id}: ${i.baseline2021}`);
  }
  const by = (name: string) => seeds.find((i) => i.name === name)!;
  assert.deepEqual([by('常住人口城镇化率').direction, by('常住人口城镇化率').target2025, by('常住人口城镇化率').baseline2021], ['≈', 82, 80.9]);
  assert.deepEqual([by('R&D经费占地区生产总值比重').direction, by('R&D经费占地区生产总值比重').target2025], ['≈', 3]);
  assert.deepEqual([by('城市空气质量优良天数比率').direction, by('城市空气质量优良天数比率').target2025], ['≥', 85]);
  assert.deepEqual([by('跨界河流断面水质达标率').direction, by('跨界河流断面水质达标率').target2025], ['=', 100]);
  assert.deepEqual([by('声环境功能区夜间达标率').direction, by('声环境功能区夜间达标率').target2025], ['≥', 85]);
  const qual = seeds.filter((i) => i.kind === 'qualitative').map((i) => i.quote);
  for (const q of ['“一小时通勤圈”全面形成', '全面完成自然保护地整合优化和勘界立标', '地级及以上城市实现功能区声环境质量自动监测']) assert.ok(qual.includes(q), q);
  const base = new Map(seeds.map((i) => [i.name, i.baseline2021]));
  assert.equal(base.get('地区生产总值'), 17893);
  assert.equal(base.get('工业增加值'), 5712);
  assert.equal(base.get('地方一般公共预算收入'), 1454);
  assert.equal(base.get('进出口总额'), 520);
  assert.equal(base.get('实际使用外资'), 20.7);
  assert.equal(base.get('常住人口'), 1484);
  assert.equal(base.get('湘江及其支流地表水达标率'), 99.7);
  assert.equal(base.get('城市空气质量优良天数比率'), 80);
  assert.equal(base.get('都市圈面积'), 1.89);
  assert.equal(base.get('经济总量'), 1.79);
});

const ind = (direction: Indicator['direction'], target: number | null, tolerance: number | null = null): Indicator => ({
  id: 'I99',
  name: 't',
  unit: '%',
  direction,
  target2025: target,
  baseline2021: null,
  tolerance,
  quote: 'q',
  baselineQuote: null,
  kind: 'quantitative',
  note: '',
});

test('status ≥ and ≤: at target 达标, within 5% 接近, beyond 滞后', () => {
  const ge = ind('≥', 85);
  assert.equal(indicatorStatus(ge, 85), '达标');
  assert.equal(indicatorStatus(ge, 90), '达标');
  assert.equal(indicatorStatus(ge, 84.99), '接近');
  assert.equal(indicatorStatus(ge, 80.75), '接近', 'exactly 5% below');
  assert.equal(indicatorStatus(ge, 80.74), '滞后');
  const le = ind('≤', 40);
  assert.equal(indicatorStatus(le, 40), '达标');
  assert.equal(indicatorStatus(le, 12), '达标');
  assert.equal(indicatorStatus(le, 42), '接近', 'exactly 5% above');
  assert.equal(indicatorStatus(le, 42.01), '滞后');
});

test('status ≈: within tolerance 达标, within twice 接近; binary rounding does not move a boundary', () => {
  const urban = ind('≈', 82, 0.5);
  assert.equal(indicatorStatus(urban, 82), '达标');
  assert.equal(indicatorStatus(urban, 82.5), '达标');
  assert.equal(indicatorStatus(urban, 81.5), '达标');
  assert.equal(indicatorStatus(urban, 81.49), '接近');
  assert.equal(indicatorStatus(urban, 81), '接近');
  assert.equal(indicatorStatus(urban, 80.99), '滞后');
  assert.equal(indicatorStatus(urban, 83.01), '滞后');
  const rd = ind('≈', 3, 0.2);
  assert.equal(indicatorStatus(rd, 3.2), '达标', '3.2 − 3 is 0.2000000000000002 in binary');
  assert.equal(indicatorStatus(rd, 2.8), '达标');
  assert.equal(indicatorStatus(rd, 3.4), '接近');
  assert.equal(indicatorStatus(rd, 2.59), '滞后');
  assert.equal(indicatorStatus(ind('≈', 3, null), 3), '达标', 'no tolerance: exact');
  assert.equal(indicatorStatus(ind('≈', 3, null), 3.01), '滞后');
});

test('status =: equal to 2 decimals 达标, within 1% 接近; no data, no target, qualitative', () => {
  const eq = ind('=', 100);
  assert.equal(indicatorStatus(eq, 100), '达标');
  assert.equal(indicatorStatus(eq, 99.996), '达标', 'equal to 2 decimals');
  assert.equal(indicatorStatus(eq, 99.99), '接近');
  assert.equal(indicatorStatus(eq, 99), '接近', 'exactly 1% off');
  assert.equal(indicatorStatus(eq, 98.99), '滞后');
  assert.equal(indicatorStatus(eq, null), '无数据');
  assert.equal(indicatorStatus(eq, undefined), '无数据');
  assert.equal(indicatorStatus(eq, { value: null }), '无数据');
  assert.equal(indicatorStatus(eq, { value: 100 }), '达标');
  assert.equal(indicatorStatus(ind(null, null), 17893), '无目标');
  assert.equal(indicatorStatus({ ...ind(null, null), kind: 'qualitative' }, 1), '定性');
  assert.deepEqual(latestActual([{ year: 2023, value: 1 }, { year: 2024, value: null }, { year: 2022, value: 3 }]), { year: 2023, value: 1 });
  assert.equal(latestActual([]), null);
});

test('actual values: audited, latest decides the status, cleared with null', () => {
  const { db, ctx } = fresh();
  assert.equal(listIndicators(ctx).length, seeds.length);
  assert.equal(getIndicator(ctx, 'I03').status, '无数据');
  assert.equal(getIndicator(ctx, 'I06').status, '定性');
  assert.equal(getIndicator(ctx, 'I17').status, '无目标');
  setActual(ctx, 'I03', 2022, 86.1, '省生态环境厅', '');
  let r = setActual(ctx, 'I03', 2023, 82.3, '省生态环境厅', '受不利气象条件影响');
  assert.equal(r.latest!.year, 2023);
  assert.equal(r.status, '接近');
  r = setActual(ctx, 'I03', 2023, 79, '省生态环境厅', '受不利气象条件影响');
  assert.equal(r.status, '滞后');
  const a = listAudit(ctx, 'I03');
  assert.ok(a.every((x) => x.table === 'indicator_actual' && x.actor === '王五'));
  assert.deepEqual(a.map((x) => x.field), ['2023.value', '2023.note', '2023.source', '2023.value', '2022.source', '2022.value']);
  assert.equal(a[0].oldValue, '82.3');
  assert.equal(a[0].newValue, '79');
  // the same again changes nothing
  setActual(ctx, 'I03', 2023, 79, '省生态环境厅', '受不利气象条件影响');
  assert.equal(listAudit(ctx, 'I03').length, a.length);
  // clearing 2023: 2022 is the latest again
  r = setActual(ctx, 'I03', 2023, null);
  assert.equal(r.latest!.year, 2022);
  assert.equal(r.status, '达标');
  assert.equal(listAudit(ctx, 'I03')[0].op, '清除指标数据');
  assert.deepEqual(dumpIndicators(ctx).find((i) => i.id === 'I03'), {
    id: 'I03',
    name: '城市空气质量优良天数比率',
    unit: '%',
    direction: '≥',
    target2025: 85,
    baseline2021: 80,
    quote: '城市空气质量优良天数比率保持在85%以上',
    actuals: { '2022': 86.1 },
  });
  db.close();
});

test('actual values: refused with a reason, nothing written', () => {
  const { db, ctx } = fresh();
  assert.throws(() => setActual(ctx, 'I99', 2023, 1), /没有编号为 I99 的指标/);
  assert.throws(() => setActual(ctx, 'I03', 2036, 1), /2021—2035/);
  assert.throws(() => setActual(ctx, 'I03', 2020, 1), /2021—2035/);
  assert.throws(() => setActual(ctx, 'I03', 2023, Number.NaN), /I03/);
  assert.throws(() => setActual(ctx, 'I06', 2023, 1), /定性指标/);
  assert.equal(listAudit(ctx).filter((a) => a.table === 'indicator_actual').length, 0);
  assert.ok(listIndicators(ctx).every((i) => i.actuals.length === 0));
  db.close();
});

test('qualitative indicators keep a yearly assessment (note) without a number; an empty one clears the year', () => {
  const { db, ctx } = fresh();
  assert.throws(() => setActual(ctx, 'I06', 2024, 1, '', ''), /定性指标/);
  const r = setActual(ctx, 'I06', 2024, null, '省交通运输厅评估', '长株潭主城区间已基本实现一小时通达');
  const a = r.actuals.find((x) => x.year === 2024)!;
  assert.equal(a.value, null);
  assert.equal(a.note, '长株潭主城区间已基本实现一小时通达');
  assert.equal(a.source, '省交通运输厅评估');
  assert.equal(r.status, '定性');
  const audit = listAudit(ctx, 'I06');
  assert.ok(audit.some((e) => e.field === '2024.note' && e.op === '填报指标数据'));
  // the database itself refuses a row with neither a number nor an assessment
  assert.throws(() => db.prepare("INSERT INTO indicator_actual (indicator_id, year, value, note) VALUES ('I06', 2023, NULL, '')").run(), /CHECK/);
  const cleared = setActual(ctx, 'I06', 2024, null, '', '');
  assert.equal(cleared.actuals.length, 0);
  db.close();
});
