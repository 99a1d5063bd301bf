// Joint leads (issue 21, item 1) in the browser: two leads picked in the grid's department picker
// in order (the first ticked is 主责), shown 省交通运输厅、省发展改革委, undone whole by Ctrl+Z; a pasted
// list; the lead filter matches any lead; the dashboard counts each lead and says so.
// Run: npx electron-vite build && node --import tsx --test tests/e2e/joint-leads.test.ts
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { haveChromium, startApp, type App } from './harness';
import type { Department, MeasureRow } from '../../shared/domain';

const skip = haveChromium() ? false : 'Chromium not installed';
let app: App;
let page: Page;
let depts: Department[] = [];

const cell = (rowId: string, colId: string) => page.locator(`[data-testid=alloc-grid] .ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`);
const seen = async (rowId: string, colId: string) => ((await cell(rowId, colId).innerText()) ?? '').trim();
const deptId = (name: string) => depts.find((d) => d.name === name)!.id;
async function measures(): Promise<Map<string, MeasureRow>> {
  return new Map((await app.call('measures.list', {})).map((m) => [m.id, m]));
}
async function waitFor(fn: () => Promise<boolean>, what: string, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}
async function pasteText(text: string) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}
/** focus a lead cell by keyboard (a click on it could hit its ✓) */
async function focusLead(rowId: string) {
  await cell(rowId, 'id').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
}
async function shot(name: string) {
  if (process.env.GRID_SHOTS === '1') await page.screenshot({ path: path.join(os.tmpdir(), `joint-leads-${name}.png`) });
}

before(async () => {
  if (skip) return;
  app = await startApp({ width: 1366, height: 768, identity: { name: '李明', unit: '省发展改革委' } });
  page = app.page;
  depts = await app.call('departments.list', { includeInactive: true });
  await page.click('[data-testid=nav-alloc]');
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.1.1"]');
});

after(async () => {
  if (app) await app.close();
});

test('pick two leads in order: the first is 主责, the cell shows both, Ctrl+Z restores the list', { skip }, async () => {
  const before = (await measures()).get('3.1.1.1')!;
  const picker = page.locator('[data-testid=dept-picker]');
  await cell('3.1.1.1', 'lead').dblclick({ position: { x: 12, y: 12 } });
  await picker.waitFor();
  assert.match((await page.textContent('[data-testid=dept-picker-hint]'))!, /系统建议：.*未勾选/);
  await page.fill('[data-testid=dept-picker-search]', '交通运输');
  await picker.locator('[data-testid=dept-option]', { hasText: /^省交通运输厅$/ }).click();
  await page.fill('[data-testid=dept-picker-search]', '发展改革');
  await picker.locator('[data-testid=dept-option]', { hasText: /^省发展改革委$/ }).click();
  await page.fill('[data-testid=dept-picker-search]', '');
  // the order shows where each one stands
  const order = async (name: string) =>
    (await picker.locator('.picker-option', { has: page.locator('[data-testid=dept-option]', { hasText: new RegExp(`^${name}$`) }) }).locator('[data-testid=dept-order]').textContent())?.trim();
  assert.equal(await order('省交通运输厅'), '主责');
  assert.equal(await order('省发展改革委'), '共同牵头 2');
  assert.match((await page.textContent('[data-testid=dept-picker-chosen]'))!, /第一个为主责）：省交通运输厅、省发展改革委/);
  await shot('picker');
  await page.click('[data-testid=dept-picker-ok]');
  await picker.waitFor({ state: 'detached' });
  await waitFor(async () => (await seen('3.1.1.1', 'lead')) === '省交通运输厅、省发展改革委', 'both leads shown, 主责 first');
  await shot('cell');
  const m = (await measures()).get('3.1.1.1')!;
  assert.deepEqual(m.leadIds, [deptId('省交通运输厅'), deptId('省发展改革委')]);
  assert.equal(m.leadId, deptId('省交通运输厅'));
  assert.equal(m.leadConfirmed, true);
  assert.equal(await cell('3.1.1.1', 'lead').locator('.badge-suggest').count(), 0);

  // Ctrl+Z: the list as it was (the suggestion, unconfirmed)
  await cell('3.1.1.1', 'id').click();
  await page.keyboard.press('Control+z');
  await waitFor(async () => JSON.stringify((await measures()).get('3.1.1.1')!.leadIds) === JSON.stringify(before.leadIds), 'undone');
  const undone = (await measures()).get('3.1.1.1')!;
  assert.equal(undone.leadConfirmed, before.leadConfirmed);
  await waitFor(async () => (await cell('3.1.1.1', 'lead').locator('.badge-suggest').count()) === 1, 'the suggestion shows again');
  // and Ctrl+Y brings the two back in their order
  await page.keyboard.press('Control+y');
  await waitFor(async () => (await seen('3.1.1.1', 'lead')) === '省交通运输厅、省发展改革委', 'redone');
});

test('paste a list of leads with the separators people type; the lead filter matches any lead', { skip }, async () => {
  await focusLead('3.1.1.2');
  await pasteText('湖南省发展和改革委员会；省交通运输厅');
  await waitFor(async () => (await seen('3.1.1.2', 'lead')) === '省发展改革委、省交通运输厅', 'pasted list shown');
  const m = (await measures()).get('3.1.1.2')!;
  assert.deepEqual(m.leadIds, [deptId('省发展改革委'), deptId('省交通运输厅')]);
  assert.equal(m.leadConfirmed, true);
  // a name that is no department: refused with the reason, nothing saved
  await focusLead('3.1.1.3');
  const was = (await measures()).get('3.1.1.3')!.leadIds;
  await pasteText('省交通运输厅、省不存在厅');
  await page.locator('[data-testid=toast]', { hasText: '省不存在厅' }).waitFor();
  assert.deepEqual((await measures()).get('3.1.1.3')!.leadIds, was);

  // filter by 省交通运输厅: both rows where it leads second or first
  await page.selectOption('[data-testid=filter-lead]', String(deptId('省交通运输厅')));
  await waitFor(async () => (await cell('3.1.1.2', 'lead').count()) === 1, '3.1.1.2 kept by the filter (second lead)');
  assert.equal(await cell('3.1.1.1', 'lead').count(), 1, '3.1.1.1 kept (主责)');
  await page.selectOption('[data-testid=filter-lead]', '');
});

test('the dashboard counts a measure for each of its leads and says so', { skip }, async () => {
  const ms = [...(await measures()).values()].filter((m) => m.actionable);
  await page.click('[data-testid=nav-dashboard]');
  await page.waitForSelector('[data-testid=dash-lead-bar]');
  assert.equal((await page.textContent('[data-testid=dash-joint-note]'))!.trim(), '共同牵头的措施计入每个牵头单位');
  const bars = await page.$$eval('[data-testid=dash-lead-bar]', (els) => els.map((e) => ({ id: Number(e.getAttribute('data-lead-id')), n: Number(e.getAttribute('data-count')) })));
  const jt = bars.find((b) => b.id === deptId('省交通运输厅'));
  assert.ok(jt, 'the department is among the top bars');
  assert.equal(jt.n, ms.filter((m) => m.leadIds.includes(jt.id)).length);
  assert.ok(ms.some((m) => m.leadIds.includes(jt.id) && m.leadId !== jt.id), 'it counts a measure where it is the second lead');
});
