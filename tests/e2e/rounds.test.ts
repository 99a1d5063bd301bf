// End-to-end test of 调度轮次 (issue 18) in Chromium against the real services through the test
// bridge: open a round in the dialog, 下发 (the packages in the export folder, with progress), three
// returned files made by editing the distributed ledgers with SheetJS (one late, one with a conflict,
// one for another round), 收取 (each file recognised or refused with its reason; the conflict taken),
// 采纳 / 退回, 结束轮次, 导出通报 (the file read back with python-docx). Screenshot of the tracking page
// (docs/screenshot-rounds.png with `npm run screenshots`).
// Run: npx electron-vite build && node --import tsx --test tests/e2e/rounds.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import type { Page } from 'playwright-core';
import { appPerFile, waitFor, dismissToasts, measureMap, screenshotFile, type App } from './harness';

let app: App;
let page: Page;
const PY = '/usr/bin/python3';

const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
const TITLE = '端到端第四季度调度';
const state = { roundId: 0, folder: '', files: [] as string[], conflictId: '', lateDept: '', conflictDept: '', onTimeDept: '' };

const { skip, exportDir } = appPerFile({ identity: { name: '王推进', unit: '省发展改革委' }, width: 1600, height: 1000, exports: 'rounds', needs: [PY] }, async (a) => {
  app = a;
  page = a.page;
  await page.waitForSelector('[data-testid=nav-rounds]', { timeout: 20000 });
});

/** A distributed ledger with its first measures' 进展情况 (and 状态) changed, as a department would in another program. */
function editLedger(file: string, out: string, progress: (id: string, i: number) => string | null): { ids: string[] } {
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer' });
  const ws = wb.Sheets['任务分工台账'];
  const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: '' });
  const hr = rows.findIndex((r) => (r as string[]).includes('编号'));
  const idCol = (rows[hr] as string[]).indexOf('编号');
  const progCol = (rows[hr] as string[]).indexOf('进展情况');
  assert.ok(hr >= 0 && progCol > 0, 'ledger has 编号 and 进展情况');
  const ids: string[] = [];
  rows.forEach((r, i) => {
    const id = String((r as string[])[idCol]);
    if (i <= hr || !/^\d+\.\d+\.\d+\.\d+$/.test(id)) return;
    const v = progress(id, ids.length);
    if (v === null) return;
    ids.push(id);
    ws[XLSX.utils.encode_cell({ r: i, c: progCol })] = { t: 's', v };
  });
  fs.writeFileSync(out, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return { ids };
}

test('新建调度轮次 in the dialog, then 下发 writes every department\'s package', { skip }, async () => {
  await page.click('[data-testid=nav-rounds]');
  await page.click('[data-testid=round-new]');
  await page.fill('[data-testid=round-title]', TITLE);
  await page.fill('[data-testid=round-period]', day(-10));
  await page.fill('[data-testid=round-due]', day(-5));
  await page.click('[data-testid=round-create]');
  await page.waitForSelector('[data-testid=round-tracking]');
  const rounds = await app.call('rounds.list', {});
  const r = rounds.find((x) => x.title === TITLE)!;
  assert.ok(r, 'round created');
  assert.deepEqual(r.scope.chapters, [3, 4, 5, 6, 7, 8, 9], 'default chapters 3–9');
  state.roundId = r.id;
  const rows = page.locator('[data-testid=round-dept]');
  assert.equal(await rows.count(), r.departments, 'one row per department');
  assert.equal(await page.locator('[data-testid=rate-report]').textContent(), '0%');

  await page.click('[data-testid=round-distribute]');
  await waitFor(async () => (await app.call('rounds.events', { roundId: r.id })).some((e) => e.kind === '下发'), '下发 recorded', 60_000);
  await waitFor(async () => (await page.locator('[data-testid=round-busy]').count()) === 0, 'distribute finished', 30_000);
  state.folder = path.join(exportDir, `${TITLE}-下发`);
  state.files = fs.readdirSync(state.folder).filter((f) => f.endsWith('.xlsx'));
  assert.equal(state.files.length, r.departments, 'a ledger per department');
  assert.equal(fs.readdirSync(state.folder).filter((f) => f.endsWith('-通知.docx')).length, r.departments, 'a notice per department');
  assert.match(state.files[0], new RegExp(`^01-.+-${TITLE}\\.xlsx$`), 'named so a person can tell them apart');
});

test('收取 three returned files: one on time with a conflict, one late, one for another round (refused)', { skip }, async () => {
  const st = await app.call('rounds.status', { roundId: state.roundId });
  const [a, b] = st.departments.filter((d) => d.measures >= 2);
  const fileOf = (name: string) => path.join(state.folder, state.files.find((f) => f.includes(`-${name}-`))!);
  const back = fs.mkdtempSync(path.join(exportDir, 'back-'));
  // A: progress on two measures; meanwhile the office changed the first one here (a conflict)
  const fa = path.join(back, `${a.name}-回传.xlsx`);
  const { ids } = editLedger(fileOf(a.name), fa, (_id, i) => (i < 2 ? `部门报送进展${i + 1}` : null));
  state.conflictId = ids[0];
  await app.call('measures.applyEdits', { edits: [{ measureId: ids[0], patch: { progress: '本办更新的进展' } }], op: '编辑' });
  // B: one measure, received late
  const fb = path.join(back, `${b.name}-回传.xlsx`);
  editLedger(fileOf(b.name), fb, (_id, i) => (i < 1 ? '逾期报送的进展' : null));
  // another round's ledger for department A
  const other = await app.call('rounds.create', { title: '另一轮调度', periodEnd: day(-10), dueDate: day(5) });
  const dist = await app.call('rounds.distribute', { roundId: other.round.id });
  const otherFile = path.join(back, '另一轮-回传.xlsx');
  editLedger(dist!.files.find((f) => f.endsWith('.xlsx') && f.includes(`-${a.name}-`))!, otherFile, (_id, i) => (i < 1 ? '另一轮的进展' : null));
  state.conflictDept = a.name;
  state.lateDept = b.name;

  await page.click('[data-testid=round-collect]');
  await page.fill('[data-testid=collect-received]', day(-6));
  await page.setInputFiles('[data-testid=collect-input]', [fa, otherFile]);
  await page.waitForSelector('[data-testid=collect-file] >> nth=1');
  const dialog = page.locator('[data-testid=round-collect-dialog]');
  const rowA = dialog.locator('[data-testid=collect-file]', { hasText: `${a.name}-回传` });
  assert.match((await rowA.textContent()) ?? '', new RegExp(`${a.name}.*可收取`), 'A recognised by its hidden sheet');
  assert.match((await dialog.locator('[data-testid=collect-file]', { hasText: '另一轮' }).textContent()) ?? '', /拒收：.*(另一|其他|轮)/, 'another round\'s file refused with the reason');
  await page.waitForSelector('[data-testid=collect-conflicts]');
  // for a round, the file's base values are those it was distributed with
  const heads = await dialog.locator('[data-testid=collect-conflicts] .diff-table thead th').allTextContents();
  assert.ok(heads.includes('下发时') && !heads.includes('导出时'), `conflict columns: ${heads.join('|')}`);
  await page.click('[data-testid=collect-conflict-take]');
  await page.click('[data-testid=collect-take]');
  await waitFor(async () => /已收取/.test((await rowA.textContent()) ?? ''), 'A taken in');
  await page.keyboard.press('Escape');

  await page.click('[data-testid=round-collect]');
  await page.fill('[data-testid=collect-received]', day(0));
  await page.setInputFiles('[data-testid=collect-input]', [fb]);
  await page.waitForSelector('[data-testid=collect-file]');
  await page.click('[data-testid=collect-take]');
  await waitFor(async () => /已收取（逾期 5 天）/.test((await page.locator('[data-testid=collect-file]').textContent()) ?? ''), 'B taken in, 5 days late');
  await page.keyboard.press('Escape');

  const after = await app.call('rounds.status', { roundId: state.roundId });
  const sa = after.departments.find((d) => d.name === a.name)!;
  const sb = after.departments.find((d) => d.name === b.name)!;
  assert.deepEqual([sa.state, sa.lateDays, sb.state, sb.lateDays], ['已报送', 0, '已报送', 5]);
  const rep = await app.call('rounds.reports', { roundId: state.roundId, deptId: sa.deptId });
  assert.equal(rep.find((x) => x.measureId === state.conflictId)!.progress, '部门报送进展1', 'the conflict taken from the file');
  // the other round got nothing
  assert.equal((await app.call('rounds.status', { roundId: other.round.id })).rates.reported, 0);
  await waitFor(async () => (await page.locator('[data-testid=round-dept][data-state=已报送]').count()) === 2, 'table shows two reported');
  assert.equal(await page.locator('[data-testid=rate-ontime]').textContent(), `${Math.round((1 / after.rates.departments) * 1000) / 10}%`);
});

test('收取 a file that lost its hidden sheet: refused until the person confirms the department it names, then taken in', { skip }, async () => {
  await dismissToasts(page);
  const st = await app.call('rounds.status', { roundId: state.roundId });
  const c = st.departments.find((d) => d.measures >= 2 && d.name !== state.conflictDept && d.name !== state.lateDept && d.state === '未报送')!;
  const other = st.departments.find((d) => d.deptId !== c.deptId)!;
  const back = fs.mkdtempSync(path.join(exportDir, 'nometa-'));
  const src = path.join(state.folder, state.files.find((f) => f.includes(`-${c.name}-`))!);
  const edited = path.join(back, 'edited.xlsx');
  editLedger(src, edited, (_id, i) => (i < 1 ? '无隐藏表的报送' : null));
  // the department's program saved it without the hidden sheet
  const wb = XLSX.read(fs.readFileSync(edited), { type: 'buffer' });
  delete wb.Sheets._meta;
  wb.SheetNames = wb.SheetNames.filter((n) => n !== '_meta');
  const file = path.join(back, `${c.name}-无隐藏表.xlsx`);
  fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

  await page.click('[data-testid=round-collect]');
  await page.setInputFiles('[data-testid=collect-input]', [file]);
  const row = page.locator('[data-testid=round-collect-dialog] [data-testid=collect-file]');
  await waitFor(async () => /拒收：.*无法自动确认报送单位/.test((await row.textContent()) ?? ''), 'refused until confirmed');
  const select = row.locator('[data-testid=collect-dept-select]');
  assert.equal(await select.inputValue(), String(c.deptId), 'the department the file names is offered first');
  // another department than the file names: refused, the choice stays open
  await select.selectOption(String(other.deptId));
  await row.locator('[data-testid=collect-dept-confirm]').click();
  await waitFor(async () => /与指定的单位不符/.test((await row.textContent()) ?? ''), 'a department the file does not name is refused');
  assert.equal((await app.call('rounds.status', { roundId: state.roundId })).departments.find((d) => d.deptId === c.deptId)!.state, '未报送', 'nothing taken in yet');
  await select.selectOption(String(c.deptId));
  await row.locator('[data-testid=collect-dept-confirm]').click();
  await waitFor(async () => /可收取.*按您确认的单位/.test((await row.textContent()) ?? ''), 'checked as the confirmed department');
  await page.click('[data-testid=collect-take]');
  await waitFor(async () => /已收取/.test((await row.textContent()) ?? ''), 'taken in');
  await page.keyboard.press('Escape');
  const after = (await app.call('rounds.status', { roundId: state.roundId })).departments.find((d) => d.deptId === c.deptId)!;
  assert.equal(after.state, '已报送');
  const rep = await app.call('rounds.reports', { roundId: state.roundId, deptId: c.deptId });
  assert.ok(rep.some((x) => x.progress === '无隐藏表的报送'), 'its report is in');

  // 明细: one measure's report accepted, another returned with its reason, each on its own
  await dismissToasts(page);
  await page.locator(`[data-testid=round-dept][data-dept="${c.name}"] button[aria-label="${c.name} 报送明细"]`).click();
  const first = rep.find((x) => x.progress === '无隐藏表的报送')!.measureId;
  const line = (id: string) => page.locator(`[data-testid=round-dept-reports] [data-testid=dept-report][data-measure-id="${id}"]`);
  await line(first).locator('[data-testid=report-accept]').click();
  await waitFor(async () => /已采纳/.test((await line(first).textContent()) ?? ''), 'one report accepted');
  assert.equal((await measureMap(app)).get(first)!.progress, '无隐藏表的报送', 'the accepted report is the measure\'s progress');
  const second = rep.find((x) => x.measureId !== first)!.measureId;
  await line(second).locator('[data-testid=report-return]').click();
  assert.equal(await line(second).locator('[data-testid=report-return-confirm]').isDisabled(), true, 'a reason is required');
  await line(second).locator('[data-testid=report-return-reason]').fill('请补充该项的量化进展');
  await line(second).locator('[data-testid=report-return-confirm]').click();
  await waitFor(async () => /已退回/.test((await line(second).textContent()) ?? ''), 'another returned');
  const states = new Map((await app.call('rounds.reports', { roundId: state.roundId, deptId: c.deptId })).map((x) => [x.measureId, x.state]));
  assert.equal(states.get(first), '已采纳');
  assert.equal(states.get(second), '已退回');
  await page.keyboard.press('Escape');
});

test('采纳 one, 退回 the other with a reason, 结束轮次, 导出通报 reads back', { skip }, async () => {
  await dismissToasts(page);
  await page.locator(`[data-testid=round-dept][data-dept="${state.conflictDept}"] [data-testid=dept-accept]`).click();
  await waitFor(async () => (await page.locator(`[data-testid=round-dept][data-dept="${state.conflictDept}"]`).getAttribute('data-state')) === '已采纳', 'accepted');
  const m = (await measureMap(app)).get(state.conflictId)!;
  assert.equal(m.progress, '部门报送进展1', 'accepted report is the measure\'s progress');

  await page.locator(`[data-testid=round-dept][data-dept="${state.lateDept}"] [data-testid=dept-return]`).click();
  assert.equal(await page.locator('[data-testid=return-confirm]').isDisabled(), true, 'a reason is required');
  await page.fill('[data-testid=return-reason]', '进展描述过于简略，请补充量化指标');
  await page.click('[data-testid=return-confirm]');
  await waitFor(async () => (await page.locator(`[data-testid=round-dept][data-dept="${state.lateDept}"]`).getAttribute('data-state')) === '已退回', 'returned');
  await waitFor(async () => (await app.call('export.list', {})).some((e) => e.kind === 'return-notice.docx'), 'return notice exported');

  await dismissToasts(page);
  fs.mkdirSync(path.dirname(screenshotFile('screenshot-rounds.png')), { recursive: true });
  await page.screenshot({ path: screenshotFile('screenshot-rounds.png') });

  await page.click('[data-testid=round-close]');
  await page.click('[data-testid=round-close-confirm]');
  await waitFor(async () => (await app.call('rounds.list', {})).find((r) => r.id === state.roundId)!.state === '已结束', 'closed');
  await page.waitForSelector('[data-testid=round-distribute]', { state: 'detached' });

  await page.click('[data-testid=round-export-briefing]');
  await waitFor(async () => (await app.call('export.list', {})).some((e) => e.kind === 'round-briefing.docx'), 'briefing exported', 60_000);
  const entry = (await app.call('export.list', {})).find((e) => e.kind === 'round-briefing.docx')!;
  assert.ok(entry.exists && entry.path.startsWith(exportDir), `saved: ${entry.path}`);
  const text = execFileSync(PY, ['-c', 'import sys, docx; d = docx.Document(sys.argv[1]); print("\\n".join(p.text for p in d.paragraphs) + "\\n".join(c.text for t in d.tables for r in t.rows for c in r.cells))', entry.path], { encoding: 'utf8' });
  assert.match(text, new RegExp(TITLE), 'names the round');
  assert.match(text, new RegExp(state.lateDept), 'names the late department');
  assert.match(text, /报送率/);
});
