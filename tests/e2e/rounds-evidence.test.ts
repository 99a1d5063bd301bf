// End-to-end, in Chromium through the test bridge, of what 调度轮次 offers beyond the round itself
// (issue 18): 佐证材料 attached in a department's 报送明细 (listed with type and size, counted per
// measure, in the round briefing, opened — the browser version downloads it — and taken off), a
// hostile attachment refused with its Chinese reason and nothing stored; 收取 of a folder (a
// sub-folder per department) with a file holding two conflicts, one kept and one taken field by
// field, ending with exactly that in the database, an attachment named by measure id taken along; a
// reminder whose notice could not be saved leaves no 催办 on record. axe-core over the new dialogs.
// Screenshots in the temporary folder (screenshotFile) to look at.
// Run: npx electron-vite build && node --import tsx --test tests/e2e/rounds-evidence.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import type { Page } from 'playwright-core';
import { appPerFile, waitFor, dismissToasts, ROOT, screenshotFile, type App } from './harness';
import { bombStream, zipOf, CONTENT_TYPES } from '../hostile/builders';

let app: App;
let page: Page;
const PY = '/usr/bin/python3';
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
const TITLE = '佐证端到端调度';
const s = { roundId: 0, folder: '', files: [] as string[], a: { deptId: 0, name: '' }, b: { deptId: 0, name: '' }, measureA: '' };

const { skip, exportDir } = appPerFile({ identity: { name: '王推进', unit: '省发展改革委' }, width: 1500, height: 1000, exports: 'rounds-evidence', needs: [PY], bypassCSP: true }, async (a) => {
  app = a;
  page = a.page;
  await page.waitForSelector('[data-testid=nav-rounds]', { timeout: 20000 });
  // a round over chapter 4, distributed; department A's ledger taken in as sent (so its measures have reports)
  const { round } = await app.call('rounds.create', { title: TITLE, periodEnd: day(-10), dueDate: day(5), chapters: [4] });
  s.roundId = round.id;
  const dist = (await app.call('rounds.distribute', { roundId: round.id }))!;
  s.files = dist.files.filter((f) => f.endsWith('.xlsx'));
  const st = await app.call('rounds.status', { roundId: round.id });
  const [da, db] = st.departments.filter((d) => d.measures >= 2);
  s.a = { deptId: da.deptId, name: da.name };
  s.b = { deptId: db.deptId, name: db.name };
  const fa = s.files.find((f) => f.includes(`-${da.name}-`))!;
  const [r] = await app.call('rounds.collect', { roundId: round.id, files: [{ name: path.basename(fa), base64: fs.readFileSync(fa).toString('base64') }] });
  assert.equal(r.refused, null, 'A taken in');
  s.measureA = (await app.call('rounds.reports', { roundId: round.id, deptId: da.deptId }))[0].measureId;
});

/** axe-core over the document as it is now: the rule ids and targets of every violation. */
async function axe(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type AxeResult = { violations: { id: string; nodes: { target: unknown[] }[] }[] };
    const a = (window as unknown as { axe: { getRules(t: string[]): { ruleId: string }[]; run(ctx: Document, o: object): Promise<AxeResult> } }).axe;
    const rules = a.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).map((r) => r.ruleId);
    const r = await a.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.map(String).join(' ')}`));
  });
}

const docxText = (file: string) =>
  execFileSync(PY, ['-c', 'import sys, docx; d = docx.Document(sys.argv[1]); print("\\n".join(p.text for p in d.paragraphs))', file], { encoding: 'utf8' });
const storedFiles = () => {
  const dir = path.join(path.dirname(app.dbPath), 'evidence');
  return fs.existsSync(dir) ? fs.readdirSync(dir).flatMap((d) => fs.readdirSync(path.join(dir, d))) : [];
};
const count = async () => (await app.call('rounds.evidence', { roundId: s.roundId })).length;

test('佐证材料 in 报送明细: attached to a measure, listed with type and size, counted, in the briefing, opened as a download, taken off; hostile files refused in Chinese, nothing stored', { skip }, async () => {
  await page.click('[data-testid=nav-rounds]');
  await page.locator(`[data-testid=round-dept][data-dept="${s.a.name}"]`).getByRole('button', { name: `${s.a.name} 报送明细` }).click();
  const dialog = page.locator('[data-testid=round-dept-reports]');
  await dialog.locator('[data-testid=dept-report]').first().waitFor();
  const row = dialog.locator(`[data-testid=dept-report][data-measure-id="${s.measureA}"]`);
  await row.locator('[data-testid=report-evidence]').click();
  assert.equal(await dialog.locator('[data-testid=evidence-target]').inputValue(), s.measureA, 'the 佐证 column chooses the measure to attach to');
  await page.setInputFiles('[data-testid=evidence-input]', [{ name: '验收报告.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  await dialog.locator('[data-testid=evidence-item]').first().waitFor();
  const item = dialog.locator('[data-testid=evidence-item]').first();
  assert.match((await item.textContent()) ?? '', new RegExp(`验收报告\\.pdf${s.measureA.replace(/\./g, '\\.')}PDF${PDF.length} 字节`));
  assert.equal((await row.locator('[data-testid=report-evidence]').textContent())?.trim(), '1 份', 'counted on the measure');
  const listed = await app.call('rounds.evidence', { roundId: s.roundId });
  assert.deepEqual(listed.map((e) => [e.name, e.measureId, e.dept, e.bytes]), [['验收报告.pdf', s.measureA, s.a.name, PDF.length]]);

  // hostile: an executable renamed .pdf, a zip bomb as .docx — each refused with its reason, nothing stored
  const before = storedFiles();
  const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(400, 0x90)]);
  const bomb = zipOf([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'word/document.xml', data: Buffer.alloc(0), raw: bombStream(400, 0x00), declared: 1000 },
  ]);
  await page.setInputFiles('[data-testid=evidence-input]', [
    { name: '会议纪要.pdf', mimeType: 'application/pdf', buffer: mz },
    { name: '材料.docx', mimeType: 'application/octet-stream', buffer: bomb },
  ]);
  const refused = dialog.locator('[data-testid=evidence-refused]');
  await refused.waitFor();
  const why = (await refused.textContent()) ?? '';
  assert.match(why, /拒收“会议纪要\.pdf”：文件内容是可执行程序或脚本，不是PDF/);
  assert.match(why, /拒收“材料\.docx”：.*(压缩|超过)/);
  assert.equal(await count(), 1, 'nothing listed for them');
  assert.deepEqual(storedFiles(), before, 'nothing stored for them');
  assert.equal(await dialog.locator('[data-testid=evidence-item]').count(), 1);
  const violations = await axe();
  await page.screenshot({ path: screenshotFile('rounds-evidence-panel.png') });
  assert.deepEqual(violations, [], 'axe: 报送明细 with the 佐证 panel');

  // 打开: the browser version downloads the stored file under its name
  const [download] = await Promise.all([page.waitForEvent('download'), item.locator('[data-testid=evidence-open]').click()]);
  assert.equal(download.suggestedFilename(), '验收报告.pdf');
  assert.ok(fs.readFileSync((await download.path())!).equals(PDF), 'the bytes as stored');

  // in the round's briefing as the backend counts them
  await page.keyboard.press('Escape');
  await dismissToasts(page);
  await page.click('[data-testid=round-export-briefing]');
  await waitFor(async () => (await app.call('export.list', {})).some((e) => e.kind === 'round-briefing.docx'), 'briefing exported', 60_000);
  const briefing = (await app.call('export.list', {})).find((e) => e.kind === 'round-briefing.docx')!;
  assert.match(docxText(briefing.path), /佐证材料1份（1个单位）/);

  // taken off after a confirmation: gone from the list
  await page.locator(`[data-testid=round-dept][data-dept="${s.a.name}"]`).getByRole('button', { name: `${s.a.name} 报送明细` }).click();
  await dialog.locator('[data-testid=evidence-remove]').click();
  await dialog.locator('[data-testid=evidence-remove-confirm]').click();
  await dialog.locator('[data-testid=evidence-item]').waitFor({ state: 'detached' });
  assert.equal(await count(), 0);
  assert.equal((await row.locator('[data-testid=report-evidence]').textContent())?.trim(), '添加');
  await page.keyboard.press('Escape');
});

/** B's distributed ledger with 进展情况 of its first two measures filled in. */
function editLedger(file: string, out: string): string[] {
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer' });
  const ws = wb.Sheets['任务分工台账'];
  const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, defval: '' });
  const hr = rows.findIndex((r) => r.includes('编号'));
  const idCol = rows[hr].indexOf('编号');
  const progCol = rows[hr].indexOf('进展情况');
  const ids: string[] = [];
  rows.forEach((r, i) => {
    if (i <= hr || !/^\d+\.\d+\.\d+\.\d+$/.test(String(r[idCol])) || ids.length >= 2) return;
    ids.push(String(r[idCol]));
    ws[XLSX.utils.encode_cell({ r: i, c: progCol })] = { t: 's', v: `报送进展${ids.length}` };
  });
  fs.writeFileSync(out, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return ids;
}

test('收取 of a folder with two conflicts: one kept, one taken field by field; exactly that in the database; an attachment named by measure id taken along', { skip }, async () => {
  // what came back, as a folder with a sub-folder per department
  const back = fs.mkdtempSync(path.join(exportDir, 'back-'));
  fs.mkdirSync(path.join(back, s.b.name));
  const fb = path.join(back, s.b.name, `${s.b.name}-回传.xlsx`);
  const [m1, m2] = editLedger(s.files.find((f) => f.includes(`-${s.b.name}-`))!, fb);
  // meanwhile the office changed both measures here: two conflicts
  await app.call('measures.applyEdits', { edits: [{ measureId: m1, patch: { progress: '本办进展1' } }, { measureId: m2, patch: { progress: '本办进展2' } }], op: '编辑' });
  const ev = path.join(back, s.b.name, `${m2}-现场照片.pdf`);
  fs.writeFileSync(ev, PDF);

  await page.click('[data-testid=round-collect]');
  const dialog = page.locator('[data-testid=round-collect-dialog]');
  await page.setInputFiles('[data-testid=collect-folder]', back);
  await dialog.locator('[data-testid=collect-conflicts]').waitFor({ timeout: 60_000 });
  assert.equal(await dialog.locator('[data-testid=import-conflict]').count(), 2, 'each conflict shown');
  assert.match((await dialog.locator('[data-testid=collect-evidence-file]').textContent()) ?? '', new RegExp(`${m2.replace(/\./g, '\\.')}.*${s.b.name}.*可添加`));
  // all taken, then the first kept again, field by field
  await dialog.locator('[data-testid=collect-conflict-take]').click();
  await dialog.locator(`[data-testid=import-conflict][data-measure-id="${m1}"] [data-testid=conflict-keep]`).check();
  assert.equal(await dialog.locator(`[data-testid=import-conflict][data-measure-id="${m2}"] [data-testid=conflict-take]`).isChecked(), true);
  const violations = await axe();
  await page.screenshot({ path: screenshotFile('rounds-collect-conflicts.png') });
  assert.deepEqual(violations, [], 'axe: 收取 with conflict choices and an attachment');
  await dialog.locator('[data-testid=collect-take]').click();
  await waitFor(async () => /已收取/.test((await dialog.locator('[data-testid=collect-file]').textContent()) ?? ''), 'B taken in', 60_000);
  assert.match((await dialog.locator('[data-testid=collect-evidence-file]').textContent()) ?? '', /已添加/);
  await page.keyboard.press('Escape');

  const reps = await app.call('rounds.reports', { roundId: s.roundId, deptId: s.b.deptId });
  const of = (id: string) => reps.find((r) => r.measureId === id)!;
  assert.deepEqual([of(m1).progress, of(m1).changed], ['本办进展1', []], 'kept: this database\'s value, no change reported');
  assert.deepEqual([of(m2).progress, of(m2).changed], ['报送进展2', ['progress']], 'taken: the file\'s value');
  await app.call('rounds.review', { roundId: s.roundId, deptId: s.b.deptId, action: 'accept' });
  const ms = new Map((await app.call('measures.list', {})).map((m) => [m.id, m.progress]));
  assert.deepEqual([ms.get(m1), ms.get(m2)], ['本办进展1', '报送进展2'], 'accepted: exactly the choices in the measures');
  assert.deepEqual((await app.call('rounds.evidence', { roundId: s.roundId, deptId: s.b.deptId })).map((e) => [e.name, e.measureId]), [[path.basename(ev), m2]]);
});

test('催办 whose notice could not be saved records nothing; saved, it is recorded', { skip }, async () => {
  await dismissToasts(page);
  const pending = (await app.call('rounds.status', { roundId: s.roundId })).departments.filter((d) => d.state === '未报送');
  assert.ok(pending.length > 0);
  const reminded = async () => (await app.call('rounds.events', { roundId: s.roundId })).filter((e) => e.kind === '催办').length;
  // the export folder cannot be made (its parent is a file): the save fails
  const saved = process.env.CZT_EXPORT_DIR;
  const blocker = path.join(exportDir, 'not-a-folder');
  fs.writeFileSync(blocker, '');
  process.env.CZT_EXPORT_DIR = path.join(blocker, '导出');
  try {
    await page.click('[data-testid=round-remind-all]');
    await page.locator('[data-testid=toast]', { hasText: /错误|失败|ENOTDIR|not a directory/i }).first().waitFor();
  } finally {
    process.env.CZT_EXPORT_DIR = saved;
  }
  assert.equal(await reminded(), 0, 'no 催办 recorded');
  assert.ok((await app.call('rounds.status', { roundId: s.roundId })).departments.every((d) => d.reminders === 0));
  assert.ok(!(await app.call('export.list', {})).some((e) => e.kind === 'reminder.docx'));

  await dismissToasts(page);
  await page.click('[data-testid=round-remind-all]');
  await page.locator('[data-testid=toast]', { hasText: '已保存催办通知 1 份，已记录催办' }).waitFor();
  assert.equal(await reminded(), pending.length);
  assert.ok((await app.call('export.list', {})).some((e) => e.kind === 'reminder.docx'));
});

test('佐证材料 from the 分工台账: the selected measure in the round under way, attached for the department reporting it', { skip }, async () => {
  await dismissToasts(page);
  await page.click('[data-testid=nav-alloc]');
  await page.selectOption('[data-testid=filter-chapter]', '4');
  const box = page.locator(`.ag-row[row-id="${s.measureA}"] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]`);
  await box.check();
  await page.waitForSelector('[data-testid=measure-evidence]:not([disabled])');
  await page.click('[data-testid=measure-evidence]');
  const dialog = page.locator('[data-testid=measure-evidence-dialog]');
  await dialog.locator('[data-testid=evidence-panel]').waitFor();
  assert.match((await dialog.textContent()) ?? '', new RegExp(`${TITLE}.*报送单位：${s.a.name}`));
  assert.equal(await dialog.locator('[data-testid=evidence-target]').inputValue(), s.measureA);
  await page.setInputFiles('[data-testid=evidence-input]', [{ name: '台账佐证.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  await dialog.locator('[data-testid=evidence-item][data-name="台账佐证.pdf"]').waitFor();
  const violations = await axe();
  await page.screenshot({ path: screenshotFile('rounds-evidence-alloc.png') });
  assert.deepEqual(violations, [], 'axe: 佐证材料 from the 分工台账');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual((await app.call('rounds.evidence', { roundId: s.roundId, deptId: s.a.deptId })).filter((e) => e.name === '台账佐证.pdf').map((e) => e.measureId), [s.measureA]);
  await box.uncheck();
  await page.selectOption('[data-testid=filter-chapter]', '');
});
