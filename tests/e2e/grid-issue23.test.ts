// End-to-end tests of the allocation grid as a new user meets it at 1366×768 (issue 23 items 3–8
// and the grid's polish): what a person sees after confirming a suggestion, choosing a lead by
// keyboard, extending a selection, typing a deadline, pasting many rows and typing past a limit.
// Run: npx electron-vite build && node --import tsx --test tests/e2e/grid-issue23.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import os from 'node:os';
import path from 'node:path';
import { appPerFile, waitFor, measureMap, type App } from './harness';
import type { Department } from '../../shared/domain';

let app: App;
let page: Page;
let depts: Department[] = [];

const row = (id: string) => page.locator(`[data-testid=alloc-grid] .ag-row[row-id="${id}"]`).first();
const cell = (rowId: string, colId: string) => page.locator(`[data-testid=alloc-grid] .ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`);
const status = async () => (await page.textContent('[data-testid=alloc-status]')) ?? '';
const deptId = (name: string) => {
  const d = depts.find((x) => x.name === name);
  assert.ok(d, `department ${name} exists`);
  return d.id;
};
async function dismissToasts() {
  for (const b of await page.locator('[data-testid=toast] .toast-close').all()) await b.click().catch(() => {});
  await page.locator('[data-testid=toast]').first().waitFor({ state: 'detached', timeout: 3000 }).catch(() => {});
}
/** a picture of the page to look at (GRID_SHOTS=1; into the temporary folder) */
async function shot(name: string) {
  if (process.env.GRID_SHOTS === '1') await page.screenshot({ path: path.join(os.tmpdir(), `grid-issue23-${name}.png`) });
}
/** the text a person reads in a cell */
const seen = async (rowId: string, colId: string) => ((await cell(rowId, colId).innerText()) ?? '').trim();
async function pasteText(text: string) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}
/** back to the grid with no filter, no selection, no dialog */
async function fresh() {
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '刷新' }).click();
  await waitFor(async () => (await page.getAttribute('[data-testid=alloc-status]', 'data-complete')) === 'true', 'grid loaded');
  await reveal('3.1.1.1');
  await dismissToasts();
}

const measures = () => measureMap(app);
const { skip } = appPerFile({ width: 1366, height: 768, identity: { name: '李明', unit: '省发展改革委' } }, async (a) => {
  app = a;
  page = a.page;
  depts = await app.call('departments.list', { includeInactive: true });
  await page.click('[data-testid=nav-alloc]');
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.1.1"]');
});

test('item 3: a confirmed suggestion loses its 建议 badge at once (✓, bulk 确认建议, same department)', { skip }, async () => {
  await fresh();
  const before = await measures();
  const suggested = [...before.values()].filter((m) => m.actionable && m.leadId != null && !m.leadConfirmed).map((m) => m.id);
  assert.ok(suggested.length > 5, 'the seed has suggestions');
  const badge = (id: string) => cell(id, 'lead').locator('.badge-suggest');
  // ✓ on the row
  const a = suggested[0];
  await row(a).scrollIntoViewIfNeeded();
  assert.equal(await badge(a).count(), 1, `${a} shows 建议`);
  await cell(a, 'lead').hover();
  await cell(a, 'lead').locator('[data-testid=confirm-one]').click();
  await waitFor(async () => (await badge(a).count()) === 0, `${a}: badge gone after ✓`);
  assert.equal(await seen(a, 'lead'), before.get(a)!.leadId != null ? depts.find((d) => d.id === before.get(a)!.leadId)!.name : '');

  // bulk 确认建议 on two rows
  const two = suggested.slice(1, 3);
  for (const id of two) {
    await row(id).scrollIntoViewIfNeeded();
    await cell(id, 'ag-Grid-SelectionColumn').locator('input[type=checkbox]').check();
  }
  await waitFor(async () => /已选 2 条/.test(await status()), '2 selected');
  await page.click('[data-testid=confirm-suggestions]');
  await page.waitForSelector('[data-testid=toast]:has-text("已确认 2 条")');
  for (const id of two) await waitFor(async () => (await badge(id).count()) === 0, `${id}: badge gone after 确认建议`);

  // pasting the department it already suggests
  const c = suggested[3];
  const name = depts.find((d) => d.id === before.get(c)!.leadId)!.name;
  await row(c).scrollIntoViewIfNeeded();
  await cell(c, 'lead').click({ position: { x: 150, y: 10 } });
  await pasteText(name);
  await waitFor(async () => (await measures()).get(c)!.leadConfirmed, `${c} saved as confirmed`);
  await waitFor(async () => (await badge(c).count()) === 0, `${c}: badge gone after pasting the same department`);
  assert.equal(await seen(c, 'lead'), name);
});

/** scroll the grid until a row is drawn (the grid draws only the rows near the screen) */
async function reveal(rowId: string) {
  for (let i = 0; i < 200 && !(await row(rowId).count()); i++) {
    await page.evaluate((first) => {
      const root = document.querySelector('[data-testid=alloc-grid]')!;
      const el = [...root.querySelectorAll<HTMLElement>('*')].find((e) => {
        const oy = getComputedStyle(e).overflowY;
        return (oy === 'auto' || oy === 'scroll') && e.scrollHeight > e.clientHeight + 2;
      });
      if (el) el.scrollTop = first ? 0 : el.scrollTop + 500;
    }, i === 0);
    await page.waitForTimeout(50);
  }
  await row(rowId).scrollIntoViewIfNeeded();
}
const COLS = ['id', 'text', 'lead', 'co', 'cities', 'deadline', 'status', 'progress', 'note'];
/** focus a cell by keyboard (a click on the row's 编号, then → to the column: a click on a lead cell could hit its ✓) */
async function focusCell(rowId: string, colId: string) {
  await reveal(rowId);
  await cell(rowId, 'id').click();
  for (let i = 0; i < COLS.indexOf(colId); i++) await page.keyboard.press('ArrowRight');
}
/** … and open its editor with Enter */
async function openEditor(rowId: string, colId: string) {
  await focusCell(rowId, colId);
  await page.keyboard.press('Enter');
}

test('item 4: the grid department picker answers the keyboard (Enter takes the only match, arrows move, Esc cancels, no match is said)', { skip }, async () => {
  await fresh();
  const picker = page.locator('[data-testid=alloc-grid] [data-testid=dept-picker], .ag-popup [data-testid=dept-picker]');
  const before = await measures();

  // typed name, one match, Enter: ticked (leads are a list, as 配合单位); Enter again: taken and confirmed
  await openEditor('3.1.1.2', 'lead');
  await picker.waitFor();
  await page.keyboard.type('省生态环境厅');
  await page.keyboard.press('Enter');
  // leads are a list: a confirmed lead stays ticked and the new one joins it; a suggestion is not ticked and is replaced
  const kept = (id: string) => (before.get(id)!.leadConfirmed ? before.get(id)!.leadIds.map((d) => depts.find((x) => x.id === d)!.name) : []);
  const want2 = [...kept('3.1.1.2'), '省生态环境厅'].join('、');
  assert.ok((await page.textContent('[data-testid=dept-picker-chosen]'))!.endsWith(`：${want2}`), 'ticked in order');
  await page.keyboard.press('Enter');
  await picker.waitFor({ state: 'detached' });
  await waitFor(async () => (await seen('3.1.1.2', 'lead')) === want2, 'lead taken by Enter');
  assert.equal(await cell('3.1.1.2', 'lead').locator('.badge-suggest').count(), 0, 'chosen, not a suggestion');
  assert.equal((await measures()).get('3.1.1.2')!.leadIds.at(-1), deptId('省生态环境厅'));

  // arrows move the highlight; Enter takes the highlighted one
  await openEditor('3.1.1.3', 'lead');
  await picker.waitFor();
  await page.keyboard.type('市人民政府');
  const options = picker.locator('[data-testid=dept-option]');
  assert.ok((await options.count()) >= 3, 'several matches');
  const third = (await options.nth(2).textContent())!;
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await picker.locator('.picker-option.hi [data-testid=dept-option]').textContent(), third, 'the third match is highlighted');
  await shot('picker-arrows');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await picker.waitFor({ state: 'detached' });
  await waitFor(async () => (await seen('3.1.1.3', 'lead')) === [...kept('3.1.1.3').filter((n) => n !== third), third].join('、'), 'highlighted lead taken');

  // text that matches nothing: the picker stays and says so; Esc then leaves the cell as it was
  const was = await seen('3.1.1.4', 'lead');
  await openEditor('3.1.1.4', 'lead');
  await picker.waitFor();
  await page.keyboard.type('省水力厅');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=dept-picker-note]', { hasText: '没有与“省水力厅”匹配' }).waitFor();
  await shot('picker-nomatch');
  assert.ok(await picker.isVisible(), 'the picker stays open');
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });
  // Esc after typing a real name cancels too
  await openEditor('3.1.1.4', 'lead');
  await picker.waitFor();
  await page.keyboard.type('省财政厅');
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
  assert.equal(await seen('3.1.1.4', 'lead'), was, 'Esc changed nothing');
  const m4 = (await measures()).get('3.1.1.4')!;
  assert.equal(m4.leadId, before.get('3.1.1.4')!.leadId);
  assert.equal(m4.leadConfirmed, before.get('3.1.1.4')!.leadConfirmed);
});

test('item 6: the deadline editor reads what the importer reads, shows it, and refuses the rest with a message', { skip }, async () => {
  await fresh();
  const picker = page.locator('[data-testid=date-picker]');
  const box = page.locator('[data-testid=date-input]');
  const type = async (text: string) => {
    await box.press('Control+a');
    await page.keyboard.type(text);
  };
  await openEditor('3.1.2.3', 'deadline');
  await picker.waitFor();
  // a box wide enough to read, on the screen, not a native mm/dd/yyyy field
  const bb = (await box.boundingBox())!;
  assert.ok(bb.width >= 200 && bb.x >= 0 && bb.x + bb.width <= 1366 && bb.y + bb.height <= 768, `editor fits (${JSON.stringify(bb)})`);
  assert.equal(await box.getAttribute('type'), null);
  await type('2025年底');
  assert.equal(await page.textContent('[data-testid=date-read]'), '读作：2025年12月31日（2025-12-31）');
  await shot('date-read');
  await page.keyboard.press('Enter');
  await picker.waitFor({ state: 'detached' });
  await waitFor(async () => (await seen('3.1.2.3', 'deadline')) === '2025-12-31', '2025年底 saved');

  await openEditor('3.1.2.3', 'deadline');
  await type('2025年6月底');
  assert.match((await page.textContent('[data-testid=date-read]'))!, /2025年6月30日/);
  await page.keyboard.press('Enter');
  await waitFor(async () => (await seen('3.1.2.3', 'deadline')) === '2025-06-30', '2025年6月底 saved');

  // typed straight into the focused cell, as in a spreadsheet
  await focusCell('3.1.2.4', 'deadline');
  await page.keyboard.type('2026/3/15');
  await picker.waitFor();
  assert.equal(await box.inputValue(), '2026/3/15');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await seen('3.1.2.4', 'deadline')) === '2026-03-15', 'typed into the cell');

  // not a date: the editor stays, says why, and Esc leaves the value as it was
  await openEditor('3.1.2.3', 'deadline');
  await type('明年春天');
  await page.keyboard.press('Enter');
  const err = page.locator('[data-testid=date-error][role=alert]');
  await err.waitFor();
  assert.match((await err.textContent())!, /未保存.*明年春天.*无法识别/);
  assert.ok(await picker.isVisible(), 'still open');
  await shot('date-refused');
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });
  assert.equal(await seen('3.1.2.3', 'deadline'), '2025-06-30');
  assert.equal((await measures()).get('3.1.2.3')!.deadline, '2025-06-30');

  // a paste reads the same way
  await focusCell('3.1.2.3', 'deadline');
  await pasteText('2027年上半年');
  await waitFor(async () => (await seen('3.1.2.3', 'deadline')) === '2027-06-30', 'pasted 2027年上半年');
});

test('item 7: a paste over many rows or over a confirmed lead shows what it will change and asks; cancel changes nothing', { skip }, async () => {
  // 3.2.1.1 has a confirmed lead
  await app.call('measures.applyEdits', { op: '编辑', edits: [{ measureId: '3.2.1.1', patch: { leadIds: [deptId('省自然资源厅')], leadConfirmed: true } }] });
  await fresh();
  const ask = page.locator('[data-testid=paste-confirm]');
  const before = await measures();

  // 25 statuses from 3.1.1.1 down: more rows than a screen shows
  const ids = [...before.values()].filter((m) => m.actionable).map((m) => m.id);
  const start = ids.indexOf('3.1.1.1');
  const targets = ids.slice(start, start + 25);
  await focusCell('3.1.1.1', 'status');
  await pasteText(Array(25).fill('推进中').join('\r\n'));
  await ask.waitFor();
  assert.match((await page.textContent('[data-testid=paste-summary]'))!, /将修改 25 条措施/);
  const sample = (await page.textContent('[data-testid=paste-sample]'))!;
  assert.match(sample, /3\.1\.1\.1.*状态.*未启动.*→.*推进中/);
  await shot('paste-many');
  await page.click('[data-testid=paste-cancel]');
  await ask.waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
  assert.equal(await seen('3.1.1.1', 'status'), '未启动', 'cancel: the cell is as it was');
  const afterCancel = await measures();
  for (const id of targets) assert.equal(afterCancel.get(id)!.status, before.get(id)!.status, `${id} unchanged`);

  // asked again, and confirmed
  await focusCell('3.1.1.1', 'status');
  await pasteText(Array(25).fill('推进中').join('\r\n'));
  await ask.waitFor();
  await page.click('[data-testid=paste-ok]');
  await ask.waitFor({ state: 'detached' });
  await waitFor(async () => (await seen('3.1.1.1', 'status')) === '推进中', 'pasted after asking');
  const done = await measures();
  for (const id of targets) assert.equal(done.get(id)!.status, '推进中', `${id} pasted`);

  // one cell, but it replaces a confirmed lead: asked, and Esc cancels
  await focusCell('3.2.1.1', 'lead');
  await pasteText('省财政厅');
  await ask.waitFor();
  assert.match((await page.textContent('[data-testid=paste-confirmed-lost]'))!, /1 条已确认的牵头单位将被替换/);
  assert.match((await page.textContent('[data-testid=paste-sample]'))!, /3\.2\.1\.1.*牵头单位.*省自然资源厅（已确认）.*→.*省财政厅/);
  await shot('paste-confirmed');
  await page.keyboard.press('Escape');
  await ask.waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
  assert.equal(await seen('3.2.1.1', 'lead'), '省自然资源厅');
  assert.equal((await measures()).get('3.2.1.1')!.leadId, deptId('省自然资源厅'));

  // a small paste over suggestions goes through without a question
  await focusCell('3.1.2.1', 'note');
  await pasteText('甲\r\n乙');
  await waitFor(async () => (await seen('3.1.2.2', 'note')) === '乙', 'small paste applied');
  assert.equal(await ask.count(), 0);
});

test('item 8: long progress and a long draft title are never cut: a counter, a message, not saved', { skip }, async () => {
  await fresh();
  const before = (await measures()).get('3.1.3.1')!;
  // 33,000 characters with words in them: cut at 20,000 it would end mid-word
  const long = '推进湘江新区科创走廊建设，完成年度投资。'.repeat(1650);
  assert.equal(long.length, 33000);
  await openEditor('3.1.3.1', 'progress');
  const editor = page.locator('[data-testid=longtext-editor]');
  await editor.waitFor();
  await page.keyboard.insertText(long);
  const area = editor.locator('textarea');
  assert.equal((await area.inputValue()).length, 33000, 'nothing cut in the box');
  assert.equal((await page.textContent('[data-testid=longtext-count]'))!.replace(/\s/g, ''), '33,000/20,000字');
  assert.match((await page.getAttribute('[data-testid=longtext-count]', 'class'))!, /over/);
  await page.keyboard.press('Enter');
  const msg = page.locator('[data-testid=longtext-over][role=alert]');
  await msg.waitFor();
  assert.match((await msg.textContent())!, /进展情况不能超过 20,000 字，现有 33,000 字（超出 13,000 字），未保存/);
  await shot('longtext-over');
  assert.ok(await editor.isVisible(), 'the editor stays open with the text');
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });
  assert.equal((await measures()).get('3.1.3.1')!.progress, before.progress, 'not saved, not cut');

  // within the limit: Enter saves and the cell shows it
  await openEditor('3.1.3.1', 'progress');
  await editor.waitFor();
  await page.keyboard.insertText('已完成方案初稿');
  assert.match((await page.textContent('[data-testid=longtext-count]'))!, /^7 \/ 20,000 字$/);
  await page.keyboard.press('Enter');
  await editor.waitFor({ state: 'detached' });
  await waitFor(async () => (await seen('3.1.3.1', 'progress')) === '已完成方案初稿', 'short progress saved');

  // the same text pasted onto the cell: refused with the reason, nothing cut or saved
  await dismissToasts();
  await focusCell('3.1.3.1', 'progress');
  await pasteText(`"${long}"`);
  await page.locator('[data-testid=toast]', { hasText: '33000 字，超过 20000 字的上限' }).waitFor();
  assert.equal((await measures()).get('3.1.3.1')!.progress, '已完成方案初稿');

  // a 213-character draft title: counted, refused with a message, never cut to 100
  const title = '长株潭都市圈生态环境共保联治专项推进方案'.repeat(11).slice(0, 213);
  await page.click('[data-testid=nav-drafts]');
  await page.waitForSelector('[data-testid=drafts-page]');
  await page.click('[data-testid=draft-new]');
  await page.selectOption('[data-testid=draft-kind]', 'blank');
  await page.fill('[data-testid=draft-title]', title);
  assert.equal((await page.inputValue('[data-testid=draft-title]')).length, 213, 'the box keeps all 213');
  assert.equal((await page.textContent('[data-testid=draft-title-count]'))!.replace(/\s/g, ''), '213/100字');
  await page.click('[data-testid=draft-create]');
  await page.locator('[data-testid=draft-new-error]', { hasText: '标题不能超过 100 字，现有 213 字' }).waitFor();
  await shot('draft-title-over');
  assert.equal((await app.call('drafts.list', {})).length, 0, 'no draft made with a cut title');
  // shortened to 100: made
  await page.fill('[data-testid=draft-title]', title.slice(0, 100));
  await page.click('[data-testid=draft-create]');
  await page.locator('[data-testid=draft-new-dialog]').waitFor({ state: 'detached' });
  // renamed in the header past the limit: said there, not saved
  const head = page.locator('[data-testid=draft-title-input]');
  await head.fill(title);
  await head.press('Enter');
  await page.locator('[data-testid=draft-title-over]', { hasText: '现有 213 字，未保存' }).waitFor();
  assert.equal((await head.inputValue()).length, 213, 'kept as typed');
  const drafts = await app.call('drafts.list', {});
  assert.equal(drafts.length, 1);
  assert.equal(drafts[0].title, title.slice(0, 100));
  await page.click('[data-testid=nav-alloc]');
});

const ticked = async (id: string) => cell(id, 'ag-Grid-SelectionColumn').locator('input[type=checkbox]').isChecked();
const focusedText = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? '');

test('item 5: Shift+↓/↑ extend the selection, F6 reaches the bulk toolbar and back, ? lists the shortcuts', { skip }, async () => {
  await fresh();
  const before = await measures();
  await focusCell('3.1.1.1', 'id');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
  await waitFor(async () => /已选 4 条/.test(await status()), '4 selected by Shift+↓');
  for (const id of ['3.1.1.1', '3.1.1.2', '3.1.1.3', '3.1.1.4']) assert.ok(await ticked(id), `${id} ticked`);
  assert.equal(await ticked('3.1.1.5'), false);
  await page.keyboard.press('Shift+ArrowUp');
  await waitFor(async () => /已选 3 条/.test(await status()), 'Shift+↑ gives one back');
  assert.equal(await ticked('3.1.1.4'), false, '3.1.1.4 unticked again');
  // on over the task header between 3.1.1.5 and 3.1.2.1
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
  await waitFor(async () => /已选 6 条/.test(await status()), '6 selected across a header');
  assert.ok(await ticked('3.1.2.1'), '3.1.2.1 ticked');
  await shot('shift-select');

  // F6: to the bulk toolbar; → to 设置状态; Enter opens its dialog with nothing chosen
  await page.keyboard.press('F6');
  assert.equal(await focusedText(), '设置牵头单位');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await focusedText(), '设置状态');
  await page.keyboard.press('Enter');
  const dialog = page.locator('[data-testid=status-picker]');
  await dialog.waitFor();
  assert.equal(await page.locator('[data-testid=status-option]:checked').count(), 0, 'no status chosen in advance');
  assert.ok(await page.isDisabled('[data-testid=status-picker-ok]'), '确定 waits for a choice');
  await shot('status-none');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=status-picker-hint][role=alert]', { hasText: '请选择一个状态' }).waitFor();
  await page.keyboard.press('ArrowDown'); // 未启动 → 推进中
  await page.keyboard.press('ArrowDown'); // → 已完成
  assert.match((await page.textContent('[data-testid=status-picker-hint]'))!, /将设为：已完成/);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  for (const id of ['3.1.1.1', '3.1.1.2', '3.1.1.3', '3.1.1.4', '3.1.1.5', '3.1.2.1'])
    await waitFor(async () => (await seen(id, 'status')) === '已完成', `${id} shows 已完成`);
  assert.equal(await seen('3.1.2.2', 'status'), before.get('3.1.2.2')!.status, 'the unselected row is untouched');

  // back in the grid: F6 from the toolbar returns to the cell it left
  await page.keyboard.press('F6');
  assert.equal(await focusedText(), '设置牵头单位');
  await page.keyboard.press('F6');
  await waitFor(async () => (await page.evaluate(() => document.activeElement?.closest('.ag-row')?.getAttribute('row-id') ?? '')) === '3.1.2.1', 'focus back on the row');
  // Space unticks the focused row
  await page.keyboard.press('Space');
  await waitFor(async () => /已选 5 条/.test(await status()), 'Space unticks');

  // ? lists the shortcuts; Esc closes
  await page.keyboard.press('?');
  const help = page.locator('[data-testid=shortcut-help]');
  await help.waitFor();
  const text = (await help.textContent())!;
  for (const k of ['Shift+↓', 'F6', 'Ctrl+V', 'Ctrl+Z', 'Space']) assert.ok(text.includes(k), `help lists ${k}`);
  await shot('help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.ag-popup-editor').count(), 0, '? did not start editing a cell');
});

test('polish: the 来自统计看板 chip leaves the search box usable; an empty grid offers 清除筛选', { skip }, async () => {
  await page.click('[data-testid=nav-dashboard]');
  const lead = page.locator('[data-testid=dash-lead-bar]').first();
  await lead.waitFor();
  await lead.click();
  const chip = page.locator('[data-testid=alloc-external-filter]');
  await chip.waitFor();
  const search = (await page.locator('[data-testid=filter-text]').boundingBox())!;
  assert.ok(search.width >= 200, `search box ${Math.round(search.width)} px wide`);
  const c = (await chip.boundingBox())!;
  assert.ok(c.x + c.width <= 1366, 'chip on the screen');
  await shot('chip');

  // a filter that matches nothing: said, with a way out
  await page.fill('[data-testid=filter-text]', '没有这样的措施文字');
  const empty = page.locator('[data-testid=alloc-empty]');
  await empty.waitFor();
  assert.match((await empty.textContent())!, /没有符合当前筛选条件的措施/);
  assert.equal(await page.getByText('无匹配行').count(), 0, 'not the grid’s bare 无匹配行');
  await shot('empty');
  await page.click('[data-testid=alloc-empty-clear]');
  await empty.waitFor({ state: 'detached' });
  await chip.waitFor({ state: 'detached' });
  assert.equal(await page.inputValue('[data-testid=filter-text]'), '');
  await waitFor(async () => /已筛选 314 条/.test(await status()), 'all actionable measures shown again');
});

test('item 8 in the project grid: the same long-text editor counts, refuses over 20,000, saves within', { skip }, async () => {
  await page.click('[data-testid=nav-projects]');
  const p = (await app.call('projects.list', {}))[0];
  const rowSel = `[data-testid=projects-grid] .ag-row[row-id="${p.id}"]`;
  const progress = page.locator(`${rowSel} .ag-cell[col-id="progressText"]`);
  // to the column by keyboard (it is off to the right at 1366 px), then Enter
  await page.locator(`${rowSel} .ag-cell[col-id="id"]`).click({ position: { x: 10, y: 10 } });
  for (let i = 0; i < 30; i++) {
    if ((await page.evaluate(() => document.activeElement?.closest('.ag-cell')?.getAttribute('col-id'))) === 'progressText') break;
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Enter');
  const editor = page.locator('[data-testid=longtext-editor]');
  await editor.waitFor();
  await page.keyboard.insertText('征地拆迁完成'.repeat(4000));
  assert.equal((await page.textContent('[data-testid=longtext-count]'))!.replace(/\s/g, ''), '24,000/20,000字');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=longtext-over][role=alert]', { hasText: '现有 24,000 字' }).waitFor();
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });
  assert.equal((await app.call('projects.list', {})).find((x) => x.id === p.id)!.progressText, p.progressText, 'not saved, not cut');
  await progress.click();
  await page.keyboard.press('Enter');
  await editor.waitFor();
  await editor.locator('textarea').fill('主体完工');
  await page.keyboard.press('Enter');
  await editor.waitFor({ state: 'detached' });
  await waitFor(async () => (await app.call('projects.list', {})).find((x) => x.id === p.id)!.progressText === '主体完工', 'saved');
  await waitFor(async () => ((await progress.innerText()) ?? '').trim() === '主体完工', 'the cell shows it');
  await page.click('[data-testid=nav-alloc]');
});
