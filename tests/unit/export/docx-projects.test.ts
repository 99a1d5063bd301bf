// The briefing's 重点项目推进情况: counts by stage, investment totals and this year's completion
// rate, a table by category and the projects with problems, read back from the docx XML with
// SheetJS's zip reader; expected values computed from listProjects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as XLSX from 'xlsx';
import { listProjects, updateProjects } from '../../../electron/services/projects';
import { exportDocx } from '../../../electron/export/docx';
import { PROJECT_CATEGORIES, PROJECT_STAGES } from '../../../shared/projects';
import { freshDb } from '../../support/db';

const YEAR = 2026;

function docXml(buf: Buffer): string {
  const e = XLSX.CFB.find(XLSX.CFB.read(buf, { type: 'buffer' }), '/word/document.xml');
  assert.ok(e);
  return Buffer.from(e.content as Uint8Array).toString('utf8');
}
const texts = (xml: string) =>
  xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .filter(Boolean);
const tables = (xml: string) => [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
const cells = (tbl: string) =>
  [...tbl.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => texts(c[0]).join('')));
const yi = (n: number) => String(Math.round(n * 100) / 100);

test('briefing: 重点项目推进情况 with stage counts, investment, completion rate, category table and problems', async () => {
  const { dir, db, ctx } = freshDb({ identity: { name: '李四', unit: '省发展改革委' } });
  const ps = listProjects(ctx, { year: YEAR });
  updateProjects(
    ctx,
    ps
      .filter((_, i) => i % 7 === 0)
      .map((p, i) => ({
        projectId: p.id,
        patch: {
          totalInvestment: 50 + i * 12.5,
          stage: i % 2 ? '续建' : '新开工',
          problems: i % 5 === 1 ? '用地指标不足' : '',
          yearPlans: [{ year: YEAR, planned: 10 + i, completed: 2.5 + i / 2 }, { year: YEAR - 1, planned: 3, completed: 3 }],
        },
      })),
    '编辑',
  );
  const all = listProjects(ctx, { year: YEAR });
  const sum = (f: (p: (typeof all)[number]) => number | null) => all.reduce((s, p) => s + (f(p) ?? 0), 0);
  const planned = sum((p) => p.yearPlanned);
  const done = sum((p) => p.yearCompleted);
  const r = await exportDocx(ctx, 'briefing', { date: `${YEAR}-11-30` });
  const xml = docXml(r.buffer);
  const ps2 = texts(xml);
  const t = ps2.join('\n');
  assert.ok(ps2.includes('（三）重点项目推进情况'), 'the section heading');
  const stages = PROJECT_STAGES.filter((s) => all.some((p) => p.stage === s)).map((s) => `${s}${all.filter((p) => p.stage === s).length}个`);
  assert.ok(t.includes(`纳入重点建设项目清单的项目共${all.length}个`));
  assert.ok(t.includes(`按建设阶段分，${stages.join('、')}。`), stages.join('、'));
  const withTotal = all.filter((p) => p.totalInvestment !== null).length;
  assert.ok(t.includes(`已填报总投资的${withTotal}个项目总投资${yi(sum((p) => p.totalInvestment))}亿元`));
  assert.ok(t.includes(`累计完成投资${yi(sum((p) => p.completedTotal))}亿元`));
  assert.ok(
    t.includes(`${YEAR}年，${withTotal}个项目安排年度计划投资${yi(planned)}亿元，已完成投资${yi(done)}亿元，完成年度计划的${((done / planned) * 100).toFixed(1)}%`),
  );
  // the table by category: the third table of the report (after the status and department tables)
  const tbl = cells(tables(xml)[2]);
  assert.deepEqual(tbl[0], ['序号', '类别', '项目数（个）', '总投资（亿元）', `${YEAR}年计划投资（亿元）`, `${YEAR}年完成投资（亿元）`, '完成率']);
  const cats = PROJECT_CATEGORIES.filter((c) => all.some((p) => p.category === c));
  assert.deepEqual(tbl.slice(1, -1).map((r) => r[1]), cats);
  for (const row of tbl.slice(1, -1)) {
    const mine = all.filter((p) => p.category === row[1]);
    assert.equal(row[2], String(mine.length));
    if (mine.some((p) => p.yearPlanned !== null)) assert.equal(row[4], mine.reduce((s, p) => s + (p.yearPlanned ?? 0), 0).toFixed(2));
    else assert.equal(row[4], '—');
  }
  assert.deepEqual(tbl.at(-1)!.slice(1), ['合计', String(all.length), sum((p) => p.totalInvestment).toFixed(2), planned.toFixed(2), done.toFixed(2), `${((done / planned) * 100).toFixed(1)}%`]);
  // problems, with their lead departments
  const troubled = all.filter((p) => p.problems);
  assert.ok(troubled.length > 0);
  assert.ok(t.includes(`${troubled.length}个项目报告了存在的问题`));
  for (const p of troubled) {
    const lead = ctx.q.dept(p.leadId!)!.name;
    assert.ok(t.includes(`${p.name}（${p.id}，${lead}牵头，${p.stage}）。用地指标不足。`), p.name);
  }
  // the existing sections are still there, in order
  const i1 = ps2.indexOf('一、总体进展情况');
  const i2 = ps2.indexOf('（三）重点项目推进情况');
  const i3 = ps2.indexOf('二、存在的主要问题');
  assert.ok(i1 >= 0 && i1 < i2 && i2 < i3);

  // one city's briefing: only that city's projects
  const rc = await exportDocx(ctx, 'briefing', { date: `${YEAR}-11-30`, city: '湘潭市' });
  const n = all.filter((p) => p.cities.includes('湘潭市')).length;
  assert.ok(texts(docXml(rc.buffer)).join('\n').includes(`纳入重点建设项目清单的项目共${n}个`));
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
