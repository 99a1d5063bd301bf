// Measures the suggestion rules against an independent judgement: tests/fixtures/suggestion-judgements.json
// holds 105 measures of chapters 3–9 (in proportion to chapter size), each with the lead a provincial
// 任务分工方案 would name, acceptable alternatives, the cities and a reason. Prints right / acceptable /
// wrong overall and per chapter and the cities right, and fails below the target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadSeeds } from '../../../electron/seed/build';
import { compileRules } from '../../../electron/seed/suggest';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Judged {
  id: string;
  lead: string;
  with: string[];
  acceptable: string[];
  cities: string[];
  reason: string;
  text: string;
}

const readFixture = (name: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', name), 'utf8')) as { measures: Judged[] };
/** the sample the rules were tuned with in view */
const fixture = readFixture('suggestion-judgements.json');
/** judged after the first round of tuning, before its suggestions were seen; never tuned to */
const holdout = readFixture('suggestion-judgements-holdout.json');
const { plan, departments, rules } = loadSeeds(path.join(ROOT, 'seeds'));
const suggester = compileRules(rules, departments);
const measures = new Map(
  plan.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures.map((m) => [m.id, { text: m.text, task: t.title }] as const)))),
);

/** Targets of issue 21 on an independent judgement. */
const MIN_RIGHT_OR_ACCEPTABLE = 0.85;
const MAX_WRONG = 0.05;
const MIN_CITIES_RIGHT = 0.95;

test('the judged sample: at least 100 measures of chapters 3–9, each a measure of the plan with its text, naming units of the directory', () => {
  assert.ok(fixture.measures.length >= 100);
  const names = new Set(departments.map((d) => d.name));
  const ids = new Set<string>();
  for (const j of fixture.measures) {
    assert.ok(!ids.has(j.id), `${j.id} twice`);
    ids.add(j.id);
    const m = measures.get(j.id);
    assert.ok(m, `${j.id} is not a measure of the plan`);
    assert.equal(j.text, m.text, `${j.id}: text differs from the plan`);
    const ch = Number(j.id.split('.')[0]);
    assert.ok(ch >= 3 && ch <= 9, j.id);
    for (const n of [j.lead, ...j.with, ...j.acceptable]) assert.ok(names.has(n), `${j.id}: “${n}” is not in seeds/departments.json`);
    for (const c of j.cities) assert.ok(['长沙市', '株洲市', '湘潭市'].includes(c), `${j.id}: ${c}`);
    assert.ok(j.reason.length > 0, `${j.id}: no reason`);
  }
  // every chapter 3–9 is represented roughly in proportion to its size (±3 of its share)
  const all = plan.chapters.filter((c) => c.no >= 3);
  const total = all.reduce((n, c) => n + c.sections.reduce((k, s) => k + s.tasks.reduce((x, t) => x + t.measures.length, 0), 0), 0);
  for (const c of all) {
    const size = c.sections.reduce((k, s) => k + s.tasks.reduce((x, t) => x + t.measures.length, 0), 0);
    const share = (size / total) * fixture.measures.length;
    const n = fixture.measures.filter((j) => j.id.startsWith(`${c.no}.`)).length;
    assert.ok(Math.abs(n - share) <= 3, `chapter ${c.no}: ${n} judged, ${share.toFixed(1)} in proportion`);
  }
});

type Tally = { n: number; right: number; acceptable: number; wrong: number; cities: number; unsure: number; unsureWrong: number };

/** Suggest for every judged measure; the table and the misses as text, the tallies by chapter. */
function evaluate(title: string, judged: Judged[]): { all: Tally; text: string } {
  const tally = new Map<string, Tally>();
  const wrong: string[] = [];
  const cityMisses: string[] = [];
  for (const j of judged) {
    const m = measures.get(j.id);
    assert.ok(m, `${j.id} is not a measure of the plan`);
    const s = suggester.suggest({ id: j.id, text: m.text, taskTitle: m.task });
    assert.ok(s.lead && s.reason, `${j.id}: every suggestion has a lead and a reason`);
    const verdict = s.lead === j.lead ? 'right' : [...j.with, ...j.acceptable].includes(s.lead) ? 'acceptable' : 'wrong';
    const citiesRight = JSON.stringify(s.cities) === JSON.stringify(j.cities);
    for (const key of ['全部', `第${j.id.split('.')[0]}章`]) {
      const t = tally.get(key) ?? { n: 0, right: 0, acceptable: 0, wrong: 0, cities: 0, unsure: 0, unsureWrong: 0 };
      t.n++;
      t[verdict]++;
      if (citiesRight) t.cities++;
      if (s.unsure) t.unsure++;
      if (s.unsure && verdict === 'wrong') t.unsureWrong++;
      tally.set(key, t);
    }
    if (verdict === 'wrong') wrong.push(`  ${j.id} 建议 ${s.lead}（${s.reason}）；判断 ${j.lead}：${j.reason}`);
    if (!citiesRight) cityMisses.push(`  ${j.id} 建议 [${s.cities.join('、')}]；判断 [${j.cities.join('、')}]`);
  }
  const lines = ['', title, '范围      条数  对        可接受     错        城市对   待核（其中错）'];
  const keys = ['全部', ...[...tally.keys()].filter((k) => k !== '全部').sort()];
  for (const k of keys) {
    const t = tally.get(k)!;
    lines.push(
      `${k.padEnd(6, '　')} ${String(t.n).padStart(4)}  ${String(t.right).padStart(3)} ${pct(t.right, t.n)}  ${String(t.acceptable).padStart(3)} ${pct(t.acceptable, t.n)}  ${String(t.wrong).padStart(3)} ${pct(t.wrong, t.n)}  ${pct(t.cities, t.n)}    ${t.unsure}（${t.unsureWrong}）`,
    );
  }
  if (wrong.length) lines.push('错的建议：', ...wrong);
  if (cityMisses.length) lines.push('城市不对：', ...cityMisses);
  return { all: tally.get('全部')!, text: lines.join('\n') };
}

const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(0)}%`.padStart(4);

function assertTarget(t: Tally, what: string): void {
  assert.ok((t.right + t.acceptable) / t.n >= MIN_RIGHT_OR_ACCEPTABLE, `${what}: right or acceptable ${pct(t.right + t.acceptable, t.n)} < 85%`);
  assert.ok(t.wrong / t.n <= MAX_WRONG, `${what}: wrong ${pct(t.wrong, t.n)} > 5%`);
  assert.ok(t.cities / t.n >= MIN_CITIES_RIGHT, `${what}: cities right ${pct(t.cities, t.n)} < 95%`);
}

test('suggestions against the judged sample: right / acceptable / wrong and cities, overall and per chapter', () => {
  const r = evaluate(`判断样本（${fixture.measures.length} 条，规则按它调整过）`, fixture.measures);
  console.log(r.text);
  assertTarget(r.all, 'judged sample');
});

test('suggestions against the held-out sample (never tuned to), and both samples together', () => {
  const ids = new Set(fixture.measures.map((j) => j.id));
  assert.ok(holdout.measures.every((j) => !ids.has(j.id)), 'the held-out measures are not in the first sample');
  const h = evaluate(`留出样本（${holdout.measures.length} 条，未据以调整规则）`, holdout.measures);
  const both = evaluate(`两份样本合计（${fixture.measures.length + holdout.measures.length} 条）`, [...fixture.measures, ...holdout.measures]);
  console.log(h.text);
  console.log(both.text.split('\n').slice(0, 4).join('\n'));
  assertTarget(both.all, 'both samples');
});
