// Word exports read back with an independent reader (SheetJS's zip reader, not the docx package)
// and checked on the XML: page, margins, fonts, page numbers, table rows = measures in scope,
// and the briefing's history.
import { correctedWithNote } from '../../../shared/corrections';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { applyEdits, listMeasures } from '../../../electron/services/measures';
import { findDepartment } from '../../../electron/services/departments';
import { listAudit } from '../../../electron/services/audit';
import { endOfChinaDay, listReportLog, measuresAsOf } from '../../../electron/services/reports';
import { exportDocx } from '../../../electron/export/docx';
import { getTemplate, setTemplate } from '../../../electron/services/templates';
import { DEFAULT_TEMPLATE, docTemplateSchema } from '../../../shared/template';
import { chineseNumber, deadlineText, splitTitle } from '../../../electron/export/docx/gbt9704';
import { freshDb } from '../../support/db';

const OUT = process.env.DOCX_TEST_OUT; // set to keep the files for looking at them

const fresh = () => freshDb({ identity: { name: '李四', unit: '省发展改革委' } });

type Zip = ReturnType<typeof XLSX.CFB.read>;
function unzip(buf: Buffer): Zip {
  return XLSX.CFB.read(buf, { type: 'buffer' });
}
function part(zip: Zip, name: string): string {
  const e = XLSX.CFB.find(zip, `/${name}`);
  assert.ok(e, `${name} is in the package`);
  return Buffer.from(e.content as Uint8Array).toString('utf8');
}
/** The text of each paragraph, in order. */
function paragraphs(xml: string): string[] {
  return xml
    .split('</w:p>')
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .filter((s) => s.length > 0);
}
function tables(xml: string): string[] {
  return [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
}
function rowsOf(tbl: string): string[] {
  return [...tbl.matchAll(/<w:tr>[\s\S]*?<\/w:tr>|<w:tr [\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
}
/** Body rows over all tables: every row but the repeated header rows. */
function bodyRows(xml: string): string[][] {
  const out: string[][] = [];
  for (const t of tables(xml)) {
    const rows = rowsOf(t);
    assert.match(rows[0], /<w:tblHeader\/>/, 'the first row repeats as header');
    for (const r of rows) assert.match(r, /<w:cantSplit\/>/, 'rows do not split across pages');
    for (const r of rows.slice(1)) {
      assert.doesNotMatch(r, /<w:tblHeader/);
      out.push([...r.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => paragraphs(c[0]).join('\n')));
    }
  }
  return out;
}
function save(name: string, buf: Buffer) {
  if (OUT) {
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, name), buf);
  }
}

function checkPage(zip: Zip) {
  const doc = part(zip, 'word/document.xml');
  const sizes = [...doc.matchAll(/<w:pgSz ([^>]*)\/>/g)].map((m) => m[1]);
  assert.ok(sizes.length >= 1);
  for (const s of sizes) {
    const w = Number(/w:w="(\d+)"/.exec(s)![1]);
    const h = Number(/w:h="(\d+)"/.exec(s)![1]);
    assert.ok((w === 11906 && h === 16838) || (w === 16838 && h === 11906 && /landscape/.test(s)), `A4: ${s}`);
  }
  assert.match(sizes[0], /w:w="11906" w:h="16838"/, 'the document starts portrait');
  for (const m of doc.matchAll(/<w:pgMar ([^>]*)\/>/g)) {
    // 37, 35, 28, 26 mm
    assert.match(m[1], /w:top="2098"/);
    assert.match(m[1], /w:bottom="1984"/);
    assert.match(m[1], /w:left="1587"/);
    assert.match(m[1], /w:right="1474"/);
  }
  // 22 lines: (297 − 37 − 35) mm / 22 = 579 twips
  for (const g of doc.matchAll(/<w:docGrid ([^>]*)\/>/g)) assert.match(g[1], /w:linePitch="579"/);

  const styles = part(zip, 'word/styles.xml');
  const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)![0];
  assert.match(defaults, /w:eastAsia="仿宋_GB2312"/);
  assert.match(defaults, /w:ascii="Times New Roman"/);
  assert.match(defaults, /<w:sz w:val="32"\/>/);
  const style = (id: string) => new RegExp(`<w:style [^>]*w:styleId="${id}"[\\s\\S]*?</w:style>`).exec(styles)?.[0] ?? '';
  assert.match(style('Normal'), /w:eastAsia="仿宋_GB2312"[\s\S]*<w:sz w:val="32"\/>/);
  assert.match(style('Normal'), /w:firstLineChars="200"/);
  assert.match(style('Normal'), /w:line="579" w:lineRule="exact"/);
  assert.match(style('Heading1'), /w:eastAsia="黑体"/);
  assert.match(style('Heading2'), /w:eastAsia="楷体_GB2312"/);
  assert.match(style('Heading3'), /w:eastAsia="仿宋_GB2312"[\s\S]*<w:b\/>/);
  assert.match(style('GbTitle'), /w:eastAsia="方正小标宋简体"[\s\S]*<w:sz w:val="44"\/>/);
  assert.match(style('GbTableText'), /w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"|w:eastAsia="仿宋_GB2312"/);
  assert.match(style('GbTableText'), /w:ascii="Times New Roman"/);
  assert.match(style('GbTableText'), /<w:sz w:val="21"\/>/);
  // every rFonts in the styles names the East Asian face and a Latin one
  for (const f of styles.matchAll(/<w:rFonts [^>]*\/>/g)) assert.match(f[0], /w:eastAsia="[^"]+"[\s\S]*|w:ascii="[^"]+"/);

  // page numbers: — 1 — in 宋体 14 pt, odd pages right, even pages left
  assert.match(part(zip, 'word/settings.xml'), /<w:evenAndOddHeaders\/>/);
  const rels = part(zip, 'word/_rels/document.xml.rels');
  const target = (rid: string) => new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)![1];
  const refs = [...doc.matchAll(/<w:footerReference w:type="(default|even)" r:id="(rId\d+)"\/>/g)];
  assert.ok(refs.some((r) => r[1] === 'default') && refs.some((r) => r[1] === 'even'));
  for (const [, type, rid] of refs) {
    const footer = part(zip, `word/${target(rid)}`);
    assert.match(footer, type === 'default' ? /<w:jc w:val="right"\/>/ : /<w:jc w:val="left"\/>/, `${type} footer alignment`);
    const text = footer.replace(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/g, '«PAGE»').replace(/<w:fldSimple[^>]*PAGE[^>]*>/g, '«PAGE»');
    const plain = [...text.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|«PAGE»/g)].map((m) => m[1] ?? '«PAGE»').join('');
    assert.equal(plain, '— «PAGE» —');
    assert.match(footer, /<w:rFonts [^>]*w:eastAsia="宋体"/, 'footer runs name the East Asian face');
    assert.match(footer, /<w:sz w:val="28"\/>/);
  }
}

test('template: defaults are GB/T 9704-2012, invalid values get Chinese messages, changes are audited', () => {
  const { db, ctx } = fresh();
  assert.deepEqual(getTemplate(ctx), DEFAULT_TEMPLATE);
  assert.ok(docTemplateSchema.safeParse(DEFAULT_TEMPLATE).success);
  const bad = docTemplateSchema.safeParse({ ...DEFAULT_TEMPLATE, marginTopMm: 5, bodyFont: '' });
  assert.ok(!bad.success);
  const msgs = bad.error!.issues.map((i) => i.message).join('；');
  assert.match(msgs, /上边距不能小于10毫米/);
  assert.match(msgs, /正文字体不能为空/);
  assert.match(docTemplateSchema.safeParse({ ...DEFAULT_TEMPLATE, linesPerPage: 40 }).error!.issues[0].message, /放不下/);
  assert.throws(() => setTemplate(ctx, { ...DEFAULT_TEMPLATE, charsPerLine: 99 }), /每行字数不能多于40字/);
  setTemplate(ctx, { ...DEFAULT_TEMPLATE, organ: '长沙市发展和改革委员会', marginTopMm: 35 });
  assert.equal(getTemplate(ctx).organ, '长沙市发展和改革委员会');
  const audit = listAudit(ctx).filter((a) => a.op === '修改公文模板');
  assert.deepEqual(audit.map((a) => a.field).sort(), ['marginTopMm', 'organ']);
  db.close();
});

test('helpers: Chinese numbers, deadlines, balanced titles', () => {
  assert.deepEqual([1, 9, 10, 11, 20, 23].map(chineseNumber), ['一', '九', '十', '十一', '二十', '二十三']);
  assert.equal(deadlineText('2025-12-31'), '2025年底');
  assert.equal(deadlineText('2026-06-30'), '2026年6月底');
  assert.equal(deadlineText('2026-06-15'), '2026年6月15日');
  assert.equal(deadlineText(null), '');
  assert.deepEqual(splitTitle('长株潭都市圈发展规划重点任务分工方案', 20), ['长株潭都市圈发展规划重点任务分工方案']);
  assert.deepEqual(splitTitle('长株潭都市圈发展规划重点任务分工方案（省发展改革委牵头）', 20), ['长株潭都市圈发展规划重点任务分工方案', '（省发展改革委牵头）']);
  assert.deepEqual(splitTitle('关于报送长株潭都市圈发展规划重点任务落实情况的通知', 20), ['关于报送长株潭都市圈发展规划', '重点任务落实情况的通知']);
});

test('allocation scheme: whole plan, A4, GB/T 9704 type, one row per actionable measure', async () => {
  const { db, ctx } = fresh();
  const r = await exportDocx(ctx, 'allocation', { date: '2026-11-28' });
  save('allocation-all.docx', r.buffer);
  assert.equal(r.fileName, '任务分工方案-20261128.docx');
  const zip = unzip(r.buffer);
  checkPage(zip);
  const doc = part(zip, 'word/document.xml');
  const measures = listMeasures(ctx).filter((m) => m.actionable);
  assert.equal(measures.length, 314);
  // the first table is the overview by chapter, then one table per chapter
  const overview = bodyRows(tables(doc)[0]);
  assert.deepEqual(overview.at(-1)!.slice(0, 2), ['合计', '314']);
  const rows = bodyRows(tables(doc).slice(1).join(''));
  assert.equal(rows.length, measures.length);
  assert.equal(r.rows, measures.length);
  // the rows are the measures, in order, numbered 1…n
  rows.forEach((row, i) => {
    assert.equal(row[0], String(i + 1));
    // the plan's evident misprints are corrected with a note (PM2.5和03 → O₃), every other text verbatim
    assert.equal(row[2], correctedWithNote(measures[i].text));
    // every row names its task (a merged cell was blank on continuation pages) and marks a suggested lead
    assert.equal(row[1], measures[i].taskTitle);
    assert.ok(row[3].endsWith('（建议）') === !measures[i].leadConfirmed, `${measures[i].id} lead ${row[3]}`);
  });
  assert.ok(rows.some((row) => row[2].includes('PM2.5和O₃') && row[2].includes('〔注：原文作“PM2.5和03”')));
  assert.deepEqual(rows[0].slice(0), [rows[0][0], measures[0].taskTitle, measures[0].text, rows[0][3], '', '']);
  const paras = paragraphs(doc);
  assert.equal(paras[0], '长株潭都市圈发展规划重点任务分工方案');
  assert.match(paras[1], /湘政发〔2022〕6号/);
  assert.ok(paras.includes('一、一体化优化都市圈发展布局（第三章，41项）'));
  assert.ok(paras.includes('七、推进规划实施（第九章，12项）'));
  assert.equal(paras.at(-1), '2026年11月28日');
  assert.equal(paras.at(-2), '长株潭一体化发展领导小组办公室');
  // the tables sit in a landscape section
  assert.match(doc, /<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
  db.close();
});

test('allocation scheme: one department lead-only, one city, one chapter, custom preamble', async () => {
  const { db, ctx } = fresh();
  const ndrc = findDepartment(ctx, '省发展改革委')!.id;
  const all = listMeasures(ctx).filter((m) => m.actionable);
  const lead = await exportDocx(ctx, 'allocation', { deptId: ndrc, role: 'lead', date: '2026-11-28', preamble: '第一段。\n第二段。' });
  save('allocation-ndrc-lead.docx', lead.buffer);
  const expected = all.filter((m) => m.leadId === ndrc);
  assert.ok(expected.length > 5);
  const doc = part(unzip(lead.buffer), 'word/document.xml');
  const rows = bodyRows(tables(doc).slice(1).join(''));
  assert.equal(rows.length, expected.length);
  assert.deepEqual(rows.map((r) => r[2]), expected.map((m) => m.text));
  // a suggested lead is marked where it is named (issue 23)
  assert.deepEqual(rows.map((r) => r[3]), expected.map((m) => (m.leadConfirmed ? '省发展改革委' : '省发展改革委（建议）')));
  const paras = paragraphs(doc);
  assert.equal(paras.slice(0, 2).join(''), '长株潭都市圈发展规划重点任务分工方案（省发展改革委牵头）');
  assert.deepEqual(paras.slice(2, 4), ['第一段。', '第二段。']);
  assert.equal(lead.fileName, '任务分工方案-省发展改革委牵头-20261128.docx');

  // co-operated only: the department is never the lead of those rows
  const coId = findDepartment(ctx, '省财政厅')!.id;
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { coIds: [coId] } }], '编辑');
  const co = await exportDocx(ctx, 'allocation', { deptId: coId, role: 'co', date: '2026-11-28' });
  const coRows = bodyRows(tables(part(unzip(co.buffer), 'word/document.xml')).slice(1).join(''));
  assert.equal(coRows.length, listMeasures(ctx).filter((m) => m.actionable && m.coIds.includes(coId)).length);
  assert.ok(coRows.length >= 1 && coRows.every((r) => r[3] !== '省财政厅' && r[4].includes('省财政厅')));

  const city = await exportDocx(ctx, 'allocation', { city: '长沙市', date: '2026-11-28' });
  save('allocation-changsha.docx', city.buffer);
  const cityRows = bodyRows(tables(part(unzip(city.buffer), 'word/document.xml')).slice(1).join(''));
  const inCity = all.filter((m) => m.cities.includes('长沙市'));
  assert.ok(inCity.length > 0 && inCity.length < all.length);
  assert.equal(cityRows.length, inCity.length);
  assert.equal(city.rows, inCity.length);

  const ch = await exportDocx(ctx, 'allocation', { chapter: 4, date: '2026-11-28' });
  assert.equal(bodyRows(tables(part(unzip(ch.buffer), 'word/document.xml')).slice(1).join('')).length, 53);
  await assert.rejects(exportDocx(ctx, 'allocation', { chapter: 1 }), /第三章至第九章/);
  db.close();
});

test('department letter: 主送 the department, its led and co-operated measures as two tables', async () => {
  const { db, ctx } = fresh();
  const dept = findDepartment(ctx, '省交通运输厅')!.id;
  const other = findDepartment(ctx, '省发展改革委')!.id;
  const coMeasure = listMeasures(ctx).find((m) => m.actionable && m.leadId === other)!;
  applyEdits(ctx, [{ measureId: coMeasure.id, patch: { coIds: [dept], deadline: '2026-12-31' } }], '编辑');
  const r = await exportDocx(ctx, 'dept-letter', { deptId: dept, date: '2026-11-28' });
  save('dept-letter.docx', r.buffer);
  const zip = unzip(r.buffer);
  checkPage(zip);
  const doc = part(zip, 'word/document.xml');
  const led = listMeasures(ctx).filter((m) => m.actionable && m.leadId === dept);
  const co = listMeasures(ctx).filter((m) => m.actionable && m.coIds.includes(dept));
  assert.ok(led.length > 0 && co.length === 1);
  const ts = tables(doc);
  assert.equal(ts.length, 2);
  assert.equal(rowsOf(ts[0]).length - 1, led.length);
  assert.equal(rowsOf(ts[1]).length - 1, co.length);
  assert.equal(r.rows, led.length + co.length);
  const rows = bodyRows(doc);
  assert.deepEqual(rows.at(-1), ['1', coMeasure.id, coMeasure.text, coMeasure.leadConfirmed ? '省发展改革委' : '省发展改革委（建议）', '2026年底']);
  const paras = paragraphs(doc);
  assert.ok(paras.includes('省交通运输厅：'));
  assert.ok(paras.some((p) => /于2026年12月13日前/.test(p)));
  assert.ok(paras.includes('附件1'));
  assert.equal(r.fileName, '任务清单-省交通运输厅-20261128.docx');
  assert.match(doc, /w:rStyle w:val="GbPlaceholder"/);
  db.close();
});

test('briefing: status and progress as they stood on each date, and what moved since the previous report', async () => {
  const { db, ctx } = fresh();
  const setAt = (at: string, where: string) => db.prepare(`UPDATE audit SET at = ? WHERE tbl = 'measure' AND ${where}`).run(at);
  const ndrc = findDepartment(ctx, '省发展改革委')!.id;
  const transport = findDepartment(ctx, '省交通运输厅')!.id;

  // first edits: on 10 March 2026, 01:30 China time (still 9 March in UTC)
  applyEdits(
    ctx,
    [
      { measureId: '4.1.1.1', patch: { leadIds: [ndrc], status: '推进中', progress: '已编制规划初稿' } },
      { measureId: '4.1.1.2', patch: { leadIds: [transport], status: '滞后', deadline: '2026-06-30', progress: '前期工作进度偏慢' } },
    ],
    '编辑',
  );
  setAt('2026-03-09T17:30:00.000Z', '1 = 1');
  // later edits: 15 July 2026
  applyEdits(
    ctx,
    [
      { measureId: '4.1.1.1', patch: { status: '已完成', progress: '规划已印发实施' } },
      { measureId: '4.1.1.3', patch: { status: '推进中', progress: '已完成可行性研究' } },
    ],
    '编辑',
  );
  setAt('2026-07-15T03:00:00.000Z', "at NOT LIKE '2026-03-09%'");

  assert.equal(endOfChinaDay('2026-03-09'), '2026-03-09T16:00:00.000Z');
  const on9 = new Map(measuresAsOf(ctx, '2026-03-09').map((m) => [m.id, m]));
  assert.equal(on9.get('4.1.1.1')!.status, '未启动', 'an edit at 01:30 China time on the 10th is not yet there on the 9th');
  assert.equal(on9.get('4.1.1.1')!.progress, '');
  assert.equal(on9.get('4.1.1.2')!.deadline, null);
  const on10 = new Map(measuresAsOf(ctx, '2026-03-10').map((m) => [m.id, m]));
  assert.equal(on10.get('4.1.1.1')!.status, '推进中');
  assert.equal(on10.get('4.1.1.1')!.progress, '已编制规划初稿');
  assert.equal(on10.get('4.1.1.2')!.leadId, transport);
  assert.equal(on10.get('4.1.1.3')!.status, '未启动');

  // report 1, 31 March: the first report
  const r1 = await exportDocx(ctx, 'briefing', { date: '2026-03-31' });
  save('briefing-0331.docx', r1.buffer);
  assert.equal(r1.fileName, '工作进展情况报告-20260331.docx');
  const z1 = unzip(r1.buffer);
  checkPage(z1);
  const p1 = paragraphs(part(z1, 'word/document.xml'));
  const t1 = p1.join('\n');
  assert.match(t1, /本报告为首次报告/);
  assert.match(t1, /共314项，其中未启动312项、推进中1项、已完成0项、滞后1项/);
  assert.doesNotMatch(t1, /较上次报告（/);
  assert.ok(p1.includes('一、总体进展情况') && p1.includes('二、存在的主要问题') && p1.includes('三、下一步工作安排'));
  assert.match(t1, /共有1项措施推进滞后，涉及省交通运输厅1项/);
  assert.match(t1, /没有超过完成时限仍未完成的措施/);
  assert.match(t1, /已编制规划初稿/);
  assert.match(t1, /【请在此处填写下一步工作安排……】/);

  // report 2, 31 July: compared with 31 March
  const r2 = await exportDocx(ctx, 'briefing', { date: '2026-07-31' });
  save('briefing-0731.docx', r2.buffer);
  const doc2 = part(unzip(r2.buffer), 'word/document.xml');
  const t2 = paragraphs(doc2).join('\n');
  assert.match(t2, /其中未启动311项、推进中1项、已完成1项、滞后1项/);
  assert.match(t2, /较上次报告（截至2026年3月31日），已完成增加1项、推进中持平、未启动减少1项、滞后持平/);
  assert.match(t2, /共有1项措施已超过完成时限仍未完成，涉及省交通运输厅1项/);
  assert.match(t2, /完成时限：2026年6月底，目前滞后/);
  assert.match(t2, /本期新完成措施1项/);
  assert.match(t2, /规划已印发实施/);
  assert.match(t2, /已完成可行性研究/);
  assert.doesNotMatch(t2, /前期工作进度偏慢/, 'unchanged progress is not a highlight');
  // the status table: 状态 / 措施数 / 占比 / 较上次报告
  const statusRows = bodyRows(tables(doc2)[0]);
  assert.deepEqual(statusRows.map((r) => [r[0], r[1], r[3]]), [
    ['未启动', '311', '减少1项'],
    ['推进中', '1', '持平'],
    ['已完成', '1', '增加1项'],
    ['滞后', '1', '持平'],
    ['合计', '314', '持平'],
  ]);
  // the per-department table adds up to the whole
  const deptRows = bodyRows(tables(doc2)[1]);
  const total = deptRows.at(-1)!;
  assert.deepEqual(total.slice(1), ['合计', '314', '1', '1', '311', '1']);
  // 省发展改革委（含建议N项）: the suggestions among its measures are counted in the name cell
  const ndrcRow = deptRows.find((r) => r[1].replace(/（含建议\d+项）$/, '') === '省发展改革委')!;
  assert.equal(ndrcRow[3], '1');
  const sum = (i: number) => deptRows.slice(0, -1).reduce((s, r) => s + Number(r[i]), 0);
  assert.equal(sum(2), 314);
  assert.equal(sum(3) + sum(4) + sum(5) + sum(6), 314);

  // a date before any edit shows the seeded state; its previous report is none (first report)
  const r0 = await exportDocx(ctx, 'briefing', { date: '2026-03-01' });
  const t0 = paragraphs(part(unzip(r0.buffer), 'word/document.xml')).join('\n');
  assert.match(t0, /其中未启动314项、推进中0项、已完成0项、滞后0项/);
  assert.match(t0, /本报告为首次报告/);

  const log = listReportLog(ctx, 'briefing');
  assert.deepEqual(log.map((l) => l.asOf), ['2026-03-01', '2026-07-31', '2026-03-31']);
  assert.equal(log[0].actor, '李四');
  db.close();
});
