// End-to-end tests of the pages around the grid, as a person at 1366×768 sees them (issue 23):
// 操作记录 shows its rows and restores a value; Back/Forward move between pages and drill-downs
// and never leave the app; the grid's filters survive a reload; draft text typed just before a
// reload is kept; a misspelt department in an imported ledger gets a near-miss suggestion and can be
// mapped for that file; plan search lists each paragraph once.
// Run: npx electron-vite build && node --import tsx --test tests/e2e/pages.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import type { Page } from 'playwright-core';
import { appPerFile, waitFor, screenshotFile, type App } from './harness';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { exportLedger } from '../../electron/export/xlsx/ledger';

let app: App;
let page: Page;

const { skip } = appPerFile({ identity: { name: '王芳', unit: '省发展改革委' }, width: 1366, height: 768 }, (a) => {
  app = a;
  page = a.page;
});

/** rows of an AG Grid that a person can actually see: inside the grid's viewport, with some height */
async function visibleGridRows(gridTestId: string): Promise<number> {
  return page.evaluate((tid) => {
    const grid = document.querySelector(`[data-testid=${tid}]`);
    const header = grid?.querySelector('.ag-header');
    if (!grid || !header) return 0;
    const g = grid.getBoundingClientRect();
    const top = header.getBoundingClientRect().bottom;
    const bottom = Math.min(g.bottom, window.innerHeight);
    const seen = new Set<string>();
    for (const r of grid.querySelectorAll('.ag-row')) {
      const b = r.getBoundingClientRect();
      if (b.height > 10 && b.top >= top - 1 && b.bottom <= bottom + 1) seen.add(r.getAttribute('row-index') ?? '');
    }
    return seen.size;
  }, gridTestId);
}

test('操作记录 shows its rows at 1366×768 and 1920×1080, and 恢复为修改前的值 works', { skip }, async () => {
  // 1,225 changes, as in the report: progress written on 1,225 measure edits in batches
  const list = await app.call('measures.list', {});
  const ids = list.filter((m) => /^\d+\.\d+\.\d+\.\d+$/.test(m.id)).map((m) => m.id);
  let n = 0;
  for (let round = 0; n < 1225; round++) {
    const edits = ids.slice(0, Math.min(ids.length, 1225 - n)).map((id) => ({ measureId: id, patch: { progress: `第${round + 1}轮进展 ${id}` } }));
    await app.call('measures.applyEdits', { edits, op: '编辑' });
    n += edits.length;
  }
  const target = '3.1.1.1';
  assert.ok(ids.includes(target));
  await page.click('[data-testid=nav-audit]');
  await page.waitForSelector('[data-testid=audit-page]', { state: 'attached' });
  await waitFor(async () => Number(/共 (\d+) 条/.exec((await page.textContent('[data-testid=audit-page] .page-head')) ?? '')?.[1] ?? 0) >= 1225, '共 1225 条 or more');
  await waitFor(async () => (await visibleGridRows('audit-grid')) >= 10, 'ten or more rows visible at 1366×768');
  const box = await page.locator('[data-testid=audit-grid]').boundingBox();
  assert.ok(box && box.height > 300, `the audit grid fills the page (height ${box?.height})`);
  assert.ok(box.y + box.height <= 768 + 1, 'the grid ends inside the window');
  await page.screenshot({ path: screenshotFile('history-1366.png') });

  // the newest change of 3.x.x.x: pick its row by the 编号 column, restore, and see the result
  await page.fill('[data-testid=audit-filters] input[placeholder^=编号]', target);
  const rowIds = () => page.locator('[data-testid=audit-grid] .ag-cell[col-id=rowId]').allTextContents();
  await waitFor(async () => {
    const shown = await rowIds();
    return shown.length > 0 && shown.every((x) => x === target);
  }, `only the changes of ${target} listed`);
  const before = (await app.call('measures.get', { ids: [target] }))[0]!.progress;
  const firstRow = page.locator('[data-testid=audit-grid] .ag-row[row-index="0"]');
  const oldText = (await firstRow.locator('.ag-cell[col-id=old]').textContent()) ?? '';
  assert.notEqual(oldText, before, 'the newest change has an earlier value');
  await firstRow.locator('.ag-cell[col-id=field]').click();
  const restore = page.locator('[data-testid=audit-restore]');
  await waitFor(async () => restore.isEnabled(), 'restore enabled once a row is chosen');
  await restore.click();
  await page.getByText(/已恢复“进展情况”为/).waitFor();
  const after = (await app.call('measures.get', { ids: [target] }))[0]!.progress;
  assert.equal(after, oldText, 'the measure has its earlier progress again');
  // the restore itself is listed as the newest entry
  await waitFor(async () => ((await firstRow.locator('.ag-cell[col-id=new]').textContent()) ?? '') === oldText, 'the restore listed first');

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.fill('[data-testid=audit-filters] input[placeholder^=编号]', '');
  await waitFor(async () => (await visibleGridRows('audit-grid')) >= 20, 'twenty or more rows visible at 1920×1080');
  await page.screenshot({ path: screenshotFile('history-1920.png') });
  await page.setViewportSize({ width: 1366, height: 768 });
});

test('plan search lists each paragraph once, with how often it names the words', { skip }, async () => {
  await page.click('[data-testid=nav-plan]');
  const search = async (q: string) => {
    await page.fill('[data-testid=plan-search-input]', q);
    await page.keyboard.press('Enter');
    await waitFor(async () => new RegExp(`“${q}” 共`).test((await page.textContent('.search-summary')) ?? ''), `results for ${q}`);
  };
  const listed = async () =>
    page.locator('[data-testid=search-hit]').evaluateAll((els) => els.map((e) => `${e.querySelector('.hit-path')?.firstChild?.textContent ?? ''}|${e.querySelector('.hit-snippet')?.textContent ?? ''}`));
  // 长株潭: the notice's title (page title and document title, word for word) came first, twice
  await search('长株潭');
  const all = await listed();
  assert.equal(new Set(all).size, all.length, `no entry listed twice: ${all.filter((x, i) => all.indexOf(x) !== i).join(' / ')}`);
  assert.equal(all.filter((x) => x.includes('关于印发《长株潭都市圈发展规划》的通知')).length, 1);

  // 湘江: the paragraph of 3.2.1 names it seven times and is one entry saying so
  await search('湘江');
  const total = Number(await page.textContent('[data-testid=search-total]'));
  const entries = await page.locator('[data-testid=search-hit]').count();
  assert.ok(entries < total, `fewer entries (${entries}) than matches (${total})`);
  const paths = (await listed()).map((x) => x.split('|')[0]);
  const withPath = paths.filter((p) => p.includes('3.2.1 '));
  assert.equal(withPath.length, 1, '3.2.1 listed once');
  const hit = page.locator('[data-testid=search-hit]', { hasText: '3.2.1 ' });
  assert.equal(await hit.locator('[data-testid=search-hit-count]').textContent(), '本段 7 处');
  await page.screenshot({ path: screenshotFile('plan-search-1366.png') });
  await hit.click();
  await page.locator('[data-testid=plan-text] mark[data-testid=search-mark]').waitFor();
  assert.equal(await page.locator('[data-testid=plan-text] mark').count(), 7, 'all seven marked in the text');
  await page.getByText('返回目录').click();
});

const shownPage = async () => page.locator('.side-nav [aria-current=page]').getAttribute('data-testid');
const filtered = async () => /已筛选 (\d+) 条/.exec((await page.textContent('[data-testid=alloc-status]')) ?? '')?.[1] ?? '';

test('Back and Forward move between pages and the dashboard drill-down, and never leave the app', { skip }, async () => {
  const origin = new URL(app.url).origin;
  await page.click('[data-testid=nav-dashboard]');
  const bar = page.locator('[data-testid=dash-lead-bar]').first();
  await bar.waitFor();
  const n = await bar.getAttribute('data-count');
  await bar.click();
  await page.waitForSelector('[data-testid=alloc-external-filter]');
  await waitFor(async () => (await filtered()) === n, `grid filtered to the bar's ${n} rows`);
  assert.equal(await shownPage(), 'nav-alloc');

  await page.goBack();
  await waitFor(async () => (await shownPage()) === 'nav-dashboard', 'Back returns to the dashboard');
  assert.ok(await page.locator('[data-testid=dash-lead-bar]').first().isVisible(), 'the dashboard is shown');
  await page.goForward();
  await waitFor(async () => (await shownPage()) === 'nav-alloc', 'Forward opens the filtered grid again');
  assert.ok(await page.locator('[data-testid=alloc-external-filter]').isVisible());
  assert.equal(await filtered(), n);

  // the earlier pages of this session, then no further: Back stays in the app
  await page.goBack();
  await page.goBack();
  await waitFor(async () => (await shownPage()) === 'nav-plan', 'Back again: the plan search of the test before');
  // a person pressing Back again and again, each time once the page has answered
  for (let i = 0; i < 8; i++) {
    await page.goBack().catch(() => null);
    await waitFor(async () => page.evaluate(() => (history.state as { czt?: string } | null)?.czt !== 'guard').catch(() => true), 'Back answered');
  }
  assert.equal(new URL(page.url()).origin, origin, `still in the app after many Backs (${page.url()})`);
  assert.ok(await page.locator('[data-testid=nav-alloc]').isVisible(), 'the app is shown');
  await page.screenshot({ path: screenshotFile('back-1366.png') });
});

test('the grid keeps its filters, and the dashboard chip, over a reload', { skip }, async () => {
  await page.click('[data-testid=nav-dashboard]');
  const bar = page.locator('[data-testid=dash-lead-bar]').nth(1);
  await bar.waitFor();
  const n = await bar.getAttribute('data-count');
  await bar.click();
  await page.waitForSelector('[data-testid=alloc-external-filter]');
  await waitFor(async () => (await filtered()) === n, 'filtered by the dashboard');
  const chip = (await page.textContent('[data-testid=alloc-external-filter]')) ?? '';
  await page.reload();
  await page.waitForSelector('[data-testid=alloc-external-filter]');
  assert.equal(await shownPage(), 'nav-alloc', 'the reload shows the same page');
  assert.equal(await page.textContent('[data-testid=alloc-external-filter]'), chip);
  await waitFor(async () => (await filtered()) === n, `still ${n} rows after the reload`);

  // the person's own filters: chapter, status and text
  await page.click('[data-testid=alloc-external-filter-clear]');
  await page.selectOption('[data-testid=filter-chapter]', '4');
  await page.fill('[data-testid=filter-text]', '铁路');
  await waitFor(async () => Number(await filtered()) > 0 && (await page.locator('[data-testid=alloc-grid] .ag-row[row-id^="4."]').count()) > 0, 'chapter 4 rows with 铁路');
  const m = await filtered();
  const want = (await app.call('measures.list', {})).filter((x) => x.actionable && x.id.startsWith('4.') && x.text.includes('铁路')).length;
  assert.equal(Number(m), want);
  await page.reload();
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row');
  assert.equal(await page.inputValue('[data-testid=filter-chapter]'), '4');
  assert.equal(await page.inputValue('[data-testid=filter-text]'), '铁路');
  await waitFor(async () => (await filtered()) === m, `still ${m} rows after the reload`);
  await page.screenshot({ path: screenshotFile('alloc-reload-1366.png') });
  await page.fill('[data-testid=filter-text]', '');
  await page.selectOption('[data-testid=filter-chapter]', '');
});

test('draft text and title typed just before a reload are kept', { skip }, async () => {
  const created = await app.call('drafts.create', { kind: 'field', field: '生态环境' });
  await page.click('[data-testid=nav-drafts]');
  await page.locator(`[data-testid=draft-list-item][data-draft-id="${created.id}"]`).click();
  const para = page.locator('[data-testid=draft-block][data-type=para]').first();
  await para.waitFor();
  const blockId = Number(await para.getAttribute('data-block-id'));
  const area = para.locator('[data-testid=block-text]');
  await area.click();
  await page.keyboard.press('Control+End');
  const before = await area.inputValue();
  await page.keyboard.type('刷新前最后一句。');
  await page.reload();
  await page.waitForSelector('[data-testid=drafts-page]', { state: 'attached' });
  await page.locator(`[data-testid=draft-list-item][data-draft-id="${created.id}"]`).click();
  const again = page.locator(`[data-testid=draft-block][data-block-id="${blockId}"] [data-testid=block-text]`);
  await again.waitFor();
  assert.equal(await again.inputValue(), `${before}刷新前最后一句。`, 'the text typed just before the reload is there');
  assert.equal((await app.call('drafts.get', { id: created.id })).blocks.find((b) => b.id === blockId)?.text, `${before}刷新前最后一句。`);

  // the title is saved on leaving the field: a reload leaves none
  const title = page.locator('[data-testid=draft-title-input]');
  await title.click();
  await page.keyboard.press('End');
  await page.keyboard.type('（征求意见稿）');
  await page.reload();
  await page.locator(`[data-testid=draft-list-item][data-draft-id="${created.id}"]`).click();
  await waitFor(async () => (await page.locator('[data-testid=draft-title-input]').inputValue()).endsWith('（征求意见稿）'), 'the title typed before the reload');
  await page.screenshot({ path: screenshotFile('draft-reload-1366.png') });
});

test('导入: a misspelt department (省水力厅) is suggested, chosen for this file, and the import goes through', { skip }, async () => {
  const db = openWorkbenchDb(app.dbPath);
  const depts = await app.call('departments.list', { includeInactive: true });
  const fgw = depts.find((d) => d.name === '省发展改革委')!.id;
  const slt = depts.find((d) => d.name === '省水利厅')!.id;
  const { buffer } = await exportLedger(contextFor(db), { deptId: fgw });
  db.close();
  const wb = XLSX.read(buffer, { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]];
  const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false });
  const hr = rows.findIndex((r) => r.includes('编号'));
  const idCol = rows[hr].indexOf('编号');
  const leadCol = rows[hr].indexOf('牵头单位');
  const progCol = rows[hr].indexOf('进展情况');
  const dataRows = rows.map((r, i) => [i, String(r[idCol] ?? '')] as const).filter(([i, id]) => i > hr && /^\d+(\.\d+){3}$/.test(id));
  const [typo1, typo2, other] = dataRows;
  for (const [i] of [typo1, typo2]) ws[XLSX.utils.encode_cell({ r: i, c: leadCol })] = { t: 's', v: '省水力厅' };
  ws[XLSX.utils.encode_cell({ r: other[0], c: progCol })] = { t: 's', v: '已完成前期研究' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-e2e-typo-'));
  const file = path.join(dir, '省发展改革委返回台账.xlsx');
  fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

  await page.click('[data-testid=nav-import]');
  await page.setInputFiles('[data-testid=import-file]', file);
  await page.waitForSelector('[data-testid=import-preview]', { timeout: 60_000 });
  // the errors say what it may be, and block the import until resolved
  const errs = page.locator('[data-testid=import-error]');
  assert.equal(await errs.count(), 2);
  assert.match((await errs.first().textContent()) ?? '', /省水力厅[\s\S]*省水利厅/);
  assert.ok(await page.locator('[data-testid=import-apply]').isDisabled());
  const row = page.locator('[data-testid=import-unknown-dept][data-name=省水力厅]');
  assert.match((await row.textContent()) ?? '', /2 处/);
  const select = row.locator('[data-testid=import-dept-choice]');
  assert.equal(await select.inputValue(), '', 'nothing chosen for the person');
  assert.deepEqual(await select.locator('optgroup[label=可能是] option').allTextContents(), ['省水利厅']);
  await select.selectOption(String(slt));
  await page.screenshot({ path: screenshotFile('import-typo-1366.png'), fullPage: true });
  await page.click('[data-testid=import-dept-remap]');
  await page.locator('[data-testid=import-dept-applied]').waitFor();
  assert.match((await page.textContent('[data-testid=import-dept-applied]')) ?? '', /“省水力厅”视为省水利厅/);
  assert.equal(await errs.count(), 0, 'no errors left');
  assert.ok(await page.locator('[data-testid=import-change][data-measure-id="' + typo1[1] + '"]').isVisible());
  assert.match((await page.locator('[data-testid=import-change][data-measure-id="' + typo1[1] + '"]').textContent()) ?? '', /省水利厅/);
  await page.click('[data-testid=import-apply]');
  await page.waitForSelector('[data-testid=import-summary]', { timeout: 60_000 });
  const after = new Map((await app.call('measures.list', {})).map((m) => [m.id, m]));
  assert.equal(after.get(typo1[1])!.leadId, slt);
  assert.equal(after.get(typo2[1])!.leadId, slt);
  assert.equal(after.get(other[1])!.progress, '已完成前期研究');
  // the directory is as it was: 省水力厅 is not an alias
  const again = await app.call('departments.list', { includeInactive: true });
  assert.ok(!again.some((d) => d.name === '省水力厅' || d.aliases.includes('省水力厅')));
  fs.rmSync(dir, { recursive: true, force: true });
});
