// End-to-end test of the renderer against the real services through the test bridge:
// identity, plan reader search, tree, the allocation grid (picker edit, bulk, paste, undo)
// and the two screenshots (docs/ with `npm run screenshots`).
// Run: npx electron-vite build && npx tsx --test tests/e2e/ui.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { appPerFile, waitFor, measureMap, screenshotFile, type App } from './harness';
import type { Department } from '../../shared/domain';

let app: App;
let page: Page;
let depts: Department[] = [];

const cell = (rowId: string, colId: string) => page.locator(`.ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`);
const deptId = (name: string) => {
  const d = depts.find((x) => x.name === name);
  assert.ok(d, `department ${name} exists`);
  return d.id;
};
async function dismissToasts() {
  for (const b of await page.locator('[data-testid=toast] .toast-close').all()) await b.click().catch(() => {});
  await page.locator('[data-testid=toast]').first().waitFor({ state: 'detached', timeout: 3000 }).catch(() => {});
}

const measures = () => measureMap(app);
const { skip } = appPerFile({ width: 1600, height: 900 }, async (a) => {
  app = a;
  page = a.page;
  depts = await app.call('departments.list', { includeInactive: true });
});

test('first start asks for identity and shows it in the header', { skip }, async () => {
  await page.waitForSelector('[data-testid=identity-name]', { timeout: 20000 });
  await page.fill('[data-testid=identity-name]', '李明');
  await page.fill('[data-testid=identity-unit]', '省发展改革委');
  await page.click('[data-testid=identity-save]');
  await page.waitForSelector('[data-testid=identity-name]', { state: 'detached' });
  assert.match((await page.textContent('[data-testid=current-user]')) ?? '', /李明.*省发展改革委/);
  assert.deepEqual(await app.call('settings.getIdentity', {}), { name: '李明', unit: '省发展改革委' });
});

test('plan reader: search 湘江, open a hit, see the mark; open a task from the tree', { skip }, async () => {
  await page.click('[data-testid=nav-plan]');
  await page.waitForSelector('[data-testid=plan-tree] [data-node-id="4"]');
  // Ctrl+F focuses the search box
  await page.locator('[data-testid=plan-text]').click();
  await page.keyboard.press('Control+f');
  await waitFor(
    async () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'plan-search-input'),
    'search box focused',
  );
  await page.keyboard.type('湘江');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=search-hit]');
  const hits = await page.locator('[data-testid=search-hit]').count();
  assert.ok(hits > 5, `湘江 has many hits (${hits})`);
  await page.locator('[data-testid=search-hit]').nth(4).click();
  const mark = page.locator('[data-testid=plan-text] mark[data-testid=search-mark]');
  await mark.waitFor({ state: 'visible' });
  assert.equal(await mark.textContent(), '湘江');
  assert.ok(await mark.isVisible());
  await dismissToasts();
  await page.screenshot({ path: screenshotFile('screenshot-plan.png') });

  // back to the tree; open 第四章 → 第一节 → first task
  await page.getByText('返回目录').click();
  await page.click('[data-testid=plan-tree] [data-node-id="4"]');
  const section = page.locator('[data-testid=plan-tree] [data-node-id="4.1"]');
  await section.click();
  await page.click('[data-testid=plan-tree] [data-node-id="4.1.1"]');
  await page.waitForSelector('[data-testid=plan-text][data-node-id="4.1.1"]');
  const text = (await page.textContent('[data-testid=plan-text]')) ?? '';
  assert.match(text, /第四章/);
  assert.match(text, /4\.1\.1\.1/);
  await page.waitForSelector('[data-testid=copy-citation]');
});

test('allocation grid: change a lead through the picker and it survives a reload', { skip }, async () => {
  await page.click('[data-testid=nav-alloc]');
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.1.1"]');
  assert.match((await page.textContent('[data-testid=alloc-status]')) ?? '', /共 \d+ 条措施，已筛选 \d+ 条，已选 0 条，待确认建议 \d+ 条/);
  const lead = cell('3.1.1.1', 'lead');
  await lead.dblclick({ position: { x: 12, y: 12 } });
  await page.waitForSelector('[data-testid=dept-picker]');
  await page.fill('[data-testid=dept-picker-search]', '住房');
  await page.locator('[data-testid=dept-option]', { hasText: /^省住房城乡建设厅$/ }).click();
  await page.click('[data-testid=dept-picker-ok]');
  await page.waitForSelector('[data-testid=dept-picker]', { state: 'detached' });
  await waitFor(async () => ((await lead.textContent()) ?? '') === '省住房城乡建设厅', 'lead cell updated');
  const m = (await measures()).get('3.1.1.1')!;
  assert.equal(m.leadId, deptId('省住房城乡建设厅'));
  assert.equal(m.leadConfirmed, true);

  await page.reload();
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.1.1"]');
  assert.equal(await page.locator('[data-testid=identity-name]').count(), 0, 'identity is not asked again');
  await waitFor(async () => ((await cell('3.1.1.1', 'lead').textContent()) ?? '') === '省住房城乡建设厅', 'lead kept after reload');
});

const FIVE = ['3.1.1.1', '3.1.1.2', '3.1.1.3', '3.1.1.4', '3.1.1.5'];

test('allocation grid: bulk-add two co-operating departments to five selected rows', { skip }, async () => {
  for (const id of FIVE) {
    await page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]`).click();
  }
  await waitFor(async () => /已选 5 条/.test((await page.textContent('[data-testid=alloc-status]')) ?? ''), '5 selected');
  await page.click('[data-testid=bulk-co]');
  await page.waitForSelector('[data-testid=dept-picker]');
  // not 长沙市人民政府: it is these measures' suggested lead (the notice's 责任主体 rule), never also a co-operator
  await page.fill('[data-testid=dept-picker-search]', '株洲市');
  await page.locator('[data-testid=dept-option]', { hasText: /^株洲市人民政府$/ }).click();
  await page.fill('[data-testid=dept-picker-search]', '湘潭市');
  await page.locator('[data-testid=dept-option]', { hasText: /^湘潭市人民政府$/ }).click();
  await page.click('[data-testid=dept-picker-ok]');
  await page.waitForSelector('[data-testid=dept-picker]', { state: 'detached' });
  const want = [deptId('株洲市人民政府'), deptId('湘潭市人民政府')];
  await waitFor(async () => {
    const ms = await measures();
    return FIVE.every((id) => want.every((w) => ms.get(id)!.coIds.includes(w)));
  }, 'co ids saved');
  for (const id of FIVE) {
    const t = (await cell(id, 'co').textContent()) ?? '';
    assert.match(t, /株洲市人民政府/);
    assert.match(t, /湘潭市人民政府/);
  }
  // one audit operation for the whole batch
  const audit = await app.call('audit.list', { limit: 500 });
  const bulk = audit.filter((a) => a.op === '批量设置');
  assert.ok(bulk.length >= 5, `audit has the bulk edits (${bulk.length})`);
  assert.equal(new Set(bulk.map((a) => a.opId)).size, 1, 'one operation for the whole batch');
  // clear the selection again
  for (const id of FIVE) {
    await page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]`).uncheck();
  }
  await waitFor(async () => /已选 0 条/.test((await page.textContent('[data-testid=alloc-status]')) ?? ''), 'selection cleared');
});

test('allocation grid: the header checkbox selects exactly the filtered measures, then clears them', { skip }, async () => {
  const status = async () => (await page.textContent('[data-testid=alloc-status]')) ?? '';
  const box = page.locator('[data-testid=alloc-select-all]');
  await page.fill('[data-testid=filter-text]', '湘江');
  await waitFor(async () => /已筛选 (\d+) 条/.test(await status()) && !/已筛选 0 条/.test(await status()), 'filtered');
  await page.waitForTimeout(300);
  const filtered = Number(/已筛选 (\d+) 条/.exec(await status())![1]);
  const all = Number(/共 (\d+) 条措施/.exec(await status())![1]);
  assert.ok(filtered > 0 && filtered < all, `a real subset (${filtered} of ${all})`);
  assert.equal(await box.isChecked(), false);
  await box.check();
  await waitFor(async () => new RegExp(`已选 ${filtered} 条`).test(await status()), `${filtered} selected`);
  // one row fewer: the box shows a partial selection
  const first = page.locator('.ag-row[row-id*="."] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]').first();
  await first.uncheck();
  await waitFor(async () => new RegExp(`已选 ${filtered - 1} 条`).test(await status()), 'one fewer');
  assert.equal(await box.evaluate((e) => (e as HTMLInputElement).indeterminate), true, 'partly selected');
  await box.click();
  await waitFor(async () => new RegExp(`已选 ${filtered} 条`).test(await status()), 'all again');
  await box.uncheck();
  await waitFor(async () => /已选 0 条/.test(await status()), 'cleared');
  await page.fill('[data-testid=filter-text]', '');
  await waitFor(async () => !new RegExp(`已筛选 ${filtered} 条`).test(await status()), 'filter cleared');
});

test('allocation grid: ✓ 确认建议 confirms the suggested leads of the selected rows only', { skip }, async () => {
  const status = async () => (await page.textContent('[data-testid=alloc-status]')) ?? '';
  await page.selectOption('[data-testid=filter-lead]', 'suggested');
  await waitFor(async () => !/已筛选 0 条/.test(await status()), 'suggested rows shown');
  await page.waitForTimeout(300);
  const boxes = page.locator('.ag-row[row-id*="."] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]');
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    ids.push((await boxes.nth(i).locator('xpath=ancestor::div[@role="row"]').getAttribute('row-id'))!);
    await boxes.nth(i).check();
  }
  await waitFor(async () => /已选 2 条/.test(await status()), '2 selected');
  const before = await measures();
  for (const id of ids) assert.equal(before.get(id)!.leadConfirmed, false, `${id} is a suggestion`);
  await page.click('[data-testid=confirm-suggestions]');
  await page.waitForSelector('[data-testid=toast]:has-text("已确认 2 条牵头单位建议")');
  const after = await measures();
  for (const id of ids) {
    assert.equal(after.get(id)!.leadConfirmed, true, `${id} confirmed`);
    assert.equal(after.get(id)!.leadId, before.get(id)!.leadId, 'the suggested lead kept');
  }
  const others = [...before.values()].filter((m) => !ids.includes(m.id) && m.leadId != null && !m.leadConfirmed);
  assert.ok(others.every((m) => after.get(m.id)!.leadConfirmed === false), 'no other row confirmed');
  // the page is usable afterwards: the buttons are enabled again once the save is done
  await waitFor(async () => !(await page.isDisabled('[data-testid=bulk-status]')), 'buttons enabled');
  await dismissToasts();
  await page.selectOption('[data-testid=filter-lead]', '');
  for (const id of ids) {
    const row = page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]`);
    if (await row.count()) await row.uncheck();
  }
  await waitFor(async () => /已选 0 条/.test(await status()), 'selection cleared');
});

async function pasteText(text: string) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

test('allocation grid: paste a 2-cell block from Excel, reject bad input, undo with Ctrl+Z', { skip }, async () => {
  const before = await measures();
  const a = before.get('3.1.2.1')!;
  const b = before.get('3.1.2.2')!;
  // a column of two cells: deadline of 3.1.2.1 and 3.1.2.2 (the task header row between groups is skipped)
  await cell('3.1.2.1', 'deadline').click();
  // an invalid block first: nothing may change
  await pasteText('2025/6/31\r\n2025.12.31\r\n');
  await page.locator('[data-testid=toast]', { hasText: '3.1.2.1' }).waitFor();
  assert.deepEqual((await measures()).get('3.1.2.1')!.deadline, a.deadline);

  await cell('3.1.2.1', 'deadline').click();
  await pasteText('2025/6/30\t推进中\r\n"2025.12.31"\t已完成\r\n');
  await waitFor(async () => {
    const ms = await measures();
    return ms.get('3.1.2.1')!.deadline === '2025-06-30' && ms.get('3.1.2.2')!.deadline === '2025-12-31';
  }, 'pasted deadlines saved');
  const after = await measures();
  assert.equal(after.get('3.1.2.1')!.status, '推进中');
  assert.equal(after.get('3.1.2.2')!.status, '已完成');
  await waitFor(async () => ((await cell('3.1.2.2', 'deadline').textContent()) ?? '') === '2025-12-31', 'grid shows pasted date');

  // Ctrl+Z undoes the whole paste
  await cell('3.1.2.2', 'id').click();
  await page.keyboard.press('Control+z');
  await waitFor(async () => {
    const ms = await measures();
    return ms.get('3.1.2.1')!.deadline === a.deadline && ms.get('3.1.2.2')!.deadline === b.deadline;
  }, 'paste undone');
  const undone = await measures();
  assert.equal(undone.get('3.1.2.1')!.status, a.status);
  assert.equal(undone.get('3.1.2.2')!.status, b.status);
  // and Ctrl+Y redoes it
  await page.keyboard.press('Control+y');
  await waitFor(async () => (await measures()).get('3.1.2.1')!.deadline === '2025-06-30', 'paste redone');

  // undo is kept by the database, per person: after a reload (as after a restart) Ctrl+Z still undoes the paste
  await page.reload();
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.2.2"]');
  await waitFor(async () => !(await page.locator('[data-testid=undo]').isDisabled()), 'undo available after reload');
  await cell('3.1.2.2', 'id').click();
  await page.keyboard.press('Control+z');
  await waitFor(async () => (await measures()).get('3.1.2.1')!.deadline === a.deadline, 'paste undone after reload');
});

test('allocation grid screenshot', { skip }, async () => {
  // fill a few more rows so the screenshot looks like real work
  const sheng = deptId('省住房城乡建设厅');
  await app.call('measures.applyEdits', {
    op: '编辑',
    edits: [
      { measureId: '3.1.1.2', patch: { status: '推进中', deadline: '2025-09-30', progress: '已完成疏解方案初稿，正征求三市意见。' } },
      { measureId: '3.1.1.3', patch: { status: '已完成', deadline: '2024-12-31', progress: '湘江新区科创功能区规划已印发。', leadIds: [sheng], leadConfirmed: true } },
      { measureId: '3.1.1.4', patch: { status: '滞后', deadline: '2025-06-30', note: '需省财政厅支持' } },
    ],
  });
  await page.getByRole('button', { name: '刷新' }).click();
  await waitFor(async () => ((await cell('3.1.1.4', 'status').textContent()) ?? '') === '滞后', 'refreshed');
  await page.mouse.move(5, 890);
  await dismissToasts();
  await page.waitForTimeout(400);
  await page.screenshot({ path: screenshotFile('screenshot-allocation.png') });
});

test('allocation grid: sorting keeps rows inside their chapter / task groups', { skip }, async () => {
  const order = async () =>
    page.evaluate(() => {
      const seen = new Map<number, string>();
      for (const el of document.querySelectorAll('[data-testid=alloc-grid] .ag-row[row-id]')) {
        const i = Number(el.getAttribute('row-index'));
        if (!seen.has(i)) seen.set(i, el.getAttribute('row-id') ?? '');
      }
      return [...seen.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    });
  await page.locator('.ag-header-cell[col-id="lead"]').click(); // ascending
  await page.locator('.ag-header-cell[col-id="lead"]').click(); // descending
  await page.waitForTimeout(300);
  const ids = await order();
  assert.equal(ids[0], 'ch-3');
  assert.equal(ids[1], 'task-3.1.1');
  const firstTask = ids.slice(2, ids.indexOf('task-3.1.2'));
  assert.deepEqual([...firstTask].sort(), ['3.1.1.1', '3.1.1.2', '3.1.1.3', '3.1.1.4', '3.1.1.5']);
  assert.notDeepEqual(firstTask, ['3.1.1.1', '3.1.1.2', '3.1.1.3', '3.1.1.4', '3.1.1.5'], 'sorted inside the group');
  await page.locator('.ag-header-cell[col-id="lead"]').click(); // back to unsorted
});

test('allocation grid: a suggestion the rules are unsure of carries 待核 beside 建议, the reason in its tooltip', { skip }, async () => {
  const list = [...(await measures()).values()].filter((m) => m.actionable && !m.leadConfirmed && m.leadId !== null);
  const unsure = list.find((m) => m.suggestUnsure);
  const sure = list.find((m) => !m.suggestUnsure);
  assert.ok(unsure && sure, 'the seeded plan has suggestions of both kinds');
  await page.click('[data-testid=nav-alloc]');
  for (const [m, marked] of [
    [unsure, true],
    [sure, false],
  ] as const) {
    await page.fill('[data-testid=filter-text]', m.text.slice(0, 20));
    const lead = cell(m.id, 'lead');
    await lead.locator('.badge-suggest').waitFor({ timeout: 8000 });
    assert.equal(await lead.locator('[data-testid=suggest-unsure]').count(), marked ? 1 : 0, m.id);
    const title = (await lead.locator('.lead-suggest').getAttribute('title')) ?? '';
    assert.equal(title.includes('请重点核对'), marked, title);
    assert.ok(title.includes(`依据：${m.suggestReason}`), title);
  }
  await page.fill('[data-testid=filter-text]', '');
});
