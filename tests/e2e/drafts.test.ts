// End-to-end test of 方案起草 against the real services through the test bridge: a 生态环境
// draft made through the UI holds every task of 第六章 with its measures cited; editing saves;
// Alt+↑ and dragging move a section and renumber it; a citation through the search picker;
// a version saved, compared and restored; the gaps (a deleted citation, a changed lead); the
// Word export; and the screenshot-drafts.png of docs/ (`npm run screenshots`).
// Run: npx electron-vite build && npx tsx --test tests/e2e/drafts.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { appPerFile, waitFor, dismissToasts, screenshotFile, type App } from './harness';
import type { PlanTreeNode } from '../../shared/domain';
import type { Draft } from '../../shared/drafts';

let app: App;
let page: Page;
let draftId = 0;

const getDraft = (): Promise<Draft> => app.call('drafts.get', { id: draftId });
const block = (id: number) => page.locator(`[data-testid=draft-block][data-block-id="${id}"]`);
/** the DOM outline: id, type, number, heading/para text or measure id */
async function domOutline() {
  return page.$$eval('[data-testid=draft-block]', (els) =>
    els.map((el) => {
      const e = el as HTMLElement;
      const t = e.querySelector<HTMLInputElement | HTMLTextAreaElement>('[data-testid=block-text]');
      return { id: Number(e.dataset.blockId), type: e.dataset.type ?? '', number: e.dataset.number ?? '', text: t ? t.value : '', measureId: e.dataset.measureId ?? '' };
    }),
  );
}
function findNode(nodes: PlanTreeNode[], id: string): PlanTreeNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const f = findNode(n.children, id);
    if (f) return f;
  }
  return undefined;
}
function tasksOf(n: PlanTreeNode, out: PlanTreeNode[] = []): PlanTreeNode[] {
  for (const c of n.children) {
    if (c.kind === 'task') out.push(c);
    else tasksOf(c, out);
  }
  return out;
}

const { skip, exportDir } = appPerFile({ identity: { name: '王芳', unit: '省生态环境厅' }, width: 1600, height: 900, exports: 'drafts' }, async (a) => {
  app = a;
  page = a.page;
  await page.waitForSelector('[data-testid=nav-drafts]', { timeout: 20000 });
});

test('新建方案: a 生态环境 draft holds every task of 第六章 with its measures cited', { skip }, async () => {
  await page.click('[data-testid=nav-drafts]');
  await page.waitForSelector('[data-testid=drafts-page]');
  await page.click('[data-testid=draft-new]');
  await page.selectOption('[data-testid=draft-kind]', 'city');
  assert.equal(await page.locator('[data-testid=draft-city]').count(), 1, 'city select for a city plan');
  assert.equal(await page.locator('[data-testid=draft-field]').count(), 0);
  await page.selectOption('[data-testid=draft-kind]', 'field');
  await page.selectOption('[data-testid=draft-field]', '生态环境');
  await page.click('[data-testid=draft-create]');
  await page.waitForSelector('[data-testid=draft-block]', { timeout: 30000 });
  assert.equal(await page.locator('[data-testid=draft-new-dialog]').count(), 0, 'dialog closed');
  const item = page.locator('[data-testid=draft-list-item]');
  assert.equal(await item.count(), 1);
  draftId = Number(await item.first().getAttribute('data-draft-id'));
  assert.ok(draftId > 0);
  assert.match((await item.first().textContent()) ?? '', /生态环境/);

  const tree = await app.call('plan.tree', {});
  const ch6 = findNode(tree, '6');
  assert.ok(ch6, 'chapter 6 in the plan tree');
  const tasks = tasksOf(ch6);
  assert.ok(tasks.length >= 10, `chapter 6 has tasks (${tasks.length})`);
  const outline = await domOutline();
  const headings = outline.filter((b) => b.type === 'heading').map((b) => b.text);
  for (const t of tasks) assert.ok(headings.includes(t.title), `task ${t.id} ${t.title} in the draft`);
  // every actionable measure of chapter 6 cited
  const ch6Measures = (await app.call('measures.list', {})).filter((m) => m.chapterNo === 6);
  const cited = new Set(outline.filter((b) => b.type === 'citation').map((b) => b.measureId));
  for (const m of ch6Measures) assert.ok(cited.has(m.id), `measure ${m.id} cited`);
  // numbers shown before headings, citations show their source
  const first = outline.find((b) => b.type === 'heading')!;
  assert.equal(first.number, '一、');
  assert.equal(await block(first.id).locator('[data-testid=block-number]').textContent(), '一、');
  assert.match((await page.locator('[data-testid=block-citation]').first().textContent()) ?? '', /《长株潭都市圈发展规划》/);
  // the live tables in the 附件 part
  assert.equal(await page.locator('[data-testid=attachment-part]').count(), 1);
  assert.match((await page.locator('[data-testid=draft-block][data-type=table]').first().textContent()) ?? '', /导出时按最新数据生成/);
  // the outline says how many rows each live table has now (counted on the main side)
  const actionable = ch6Measures.filter((m) => m.actionable).length;
  const counts = await app.call('drafts.tableCounts', { draftId });
  assert.equal(counts.tasks, actionable, 'the tasks table: every actionable measure of chapter 6');
  assert.ok(counts.projects > 0, 'related projects');
  const tables = page.locator('[data-testid=draft-block][data-type=table]');
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=draft-block][data-type=table]')].some((e) => e.textContent?.includes(`当前 ${n} 行`)), actionable, { timeout: 10_000 });
  assert.ok((await tables.count()) >= 2);
});

test('editing a paragraph saves it (drafts.get) and shows 已保存', { skip }, async () => {
  const para = page.locator('[data-testid=draft-block][data-type=para]').first();
  const id = Number(await para.getAttribute('data-block-id'));
  const text = '全面落实《规划》部署，以生态绿心为核心，推动长株潭生态环境同城化（第一稿修改）。';
  await para.locator('[data-testid=block-text]').fill(text);
  await waitFor(async () => (await page.textContent('[data-testid=draft-save-state]'))?.startsWith('已保存') ?? false, '已保存 shown', 10000);
  const d = await getDraft();
  assert.equal(d.blocks.find((b) => b.id === id)?.text, text);
});

test('Alt+↑ moves a level-1 section and renumbers it; dragging moves it back', { skip }, async () => {
  let outline = await domOutline();
  const h5 = outline.find((b) => b.type === 'heading' && b.text === '保障措施')!;
  const h4 = outline.find((b) => b.type === 'heading' && b.text === '重点项目')!;
  assert.equal(h5.number, '五、');
  assert.equal(h4.number, '四、');
  const sub = outline[outline.findIndex((b) => b.id === h5.id) + 1];
  await block(h5.id).locator('[data-testid=block-text]').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await waitFor(async () => (await block(h5.id).getAttribute('data-number')) === '四、', '保障措施 renumbered 四、');
  assert.equal(await block(h4.id).getAttribute('data-number'), '五、');
  outline = await domOutline();
  const idx = (id: number) => outline.findIndex((b) => b.id === id);
  assert.ok(idx(h5.id) < idx(sub.id) && idx(sub.id) < idx(h4.id), 'the section moved with its heading');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('[data-testid=draft-block]')?.getAttribute('data-block-id')), String(h5.id), 'focus stays on the moved heading');
  const d = await getDraft();
  assert.equal(d.numbers[h5.id], '四、');
  assert.ok(d.blocks.findIndex((b) => b.id === h5.id) < d.blocks.findIndex((b) => b.id === h4.id));

  // drag 重点项目 (now 五、) above 保障措施 (now 四、)
  await block(h5.id).scrollIntoViewIfNeeded();
  await page.dragAndDrop(`[data-testid=draft-block][data-block-id="${h4.id}"] [data-testid=block-drag-handle]`, `[data-testid=draft-block][data-block-id="${h5.id}"]`, {
    targetPosition: { x: 60, y: 4 },
  });
  await waitFor(async () => (await block(h4.id).getAttribute('data-number')) === '四、', '重点项目 dragged back to 四、');
  assert.equal(await block(h5.id).getAttribute('data-number'), '五、');
});

let pickedId = '';
test('引用规划措施: search picker inserts a citation after the selected block', { skip }, async () => {
  const last = page.locator('[data-testid=draft-block][data-measure-id="6.5.1.5"]');
  await last.click({ position: { x: 4, y: 4 } });
  await page.click('[data-testid=insert-citation]');
  await page.fill('[data-testid=citation-search]', '湘江');
  await page.waitForSelector('[data-testid=citation-result]:not(.cited)', { timeout: 10000 });
  const pick = page.locator('[data-testid=citation-result]:not(.cited)').first();
  pickedId = (await pick.getAttribute('data-measure-id')) ?? '';
  assert.match(pickedId, /^\d+\.\d+\.\d+\.\d+$/);
  await pick.click();
  await page.waitForSelector(`[data-testid=draft-block][data-type=citation][data-measure-id="${pickedId}"]`);
  const outline = await domOutline();
  const i = outline.findIndex((b) => b.measureId === '6.5.1.5');
  assert.equal(outline[i + 1].measureId, pickedId, 'inserted right after the selected block');
  const d = await getDraft();
  const b = d.blocks.find((x) => x.measureId === pickedId);
  assert.ok(b?.citation?.includes('《长株潭都市圈发展规划》'), 'citation text from the main side');
  await dismissToasts(page);
});

test('版本: save, change, compare (changed row), restore', { skip }, async () => {
  await page.click('[data-testid=tab-versions]');
  await page.fill('[data-testid=version-name]', '初稿');
  await page.click('[data-testid=version-save]');
  await page.waitForSelector('[data-testid=version-item]');
  assert.match((await page.textContent('[data-testid=version-item]')) ?? '', /初稿/);

  const para = page.locator('[data-testid=draft-block][data-type=para]').nth(1);
  const id = Number(await para.getAttribute('data-block-id'));
  const before = await para.locator('[data-testid=block-text]').inputValue();
  const changed = '到2025年，长株潭都市圈生态环境同城化取得决定性进展（征求意见后修改）。';
  await para.locator('[data-testid=block-text]').fill(changed);
  await para.locator('[data-testid=block-text]').blur();
  await waitFor(async () => (await getDraft()).blocks.find((b) => b.id === id)?.text === changed, 'change saved');

  await page.click('[data-testid=version-compare]');
  await page.waitForSelector('[data-testid=compare-row]');
  const rows = page.locator('[data-testid=compare-row][data-kind=changed]');
  assert.ok((await rows.count()) >= 1, 'a changed row');
  const rowText = (await rows.first().textContent()) ?? '';
  assert.ok(rowText.includes('征求意见后修改') && rowText.includes(before.slice(0, 10)), 'old and new side by side');
  assert.ok((await page.locator('[data-testid=compare-row][data-kind=added]').count()) === 0, 'nothing added since the version');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=compare-modal]').waitFor({ state: 'detached' });

  await page.click('[data-testid=version-restore]');
  await page.click('[data-testid=restore-confirm-ok]');
  await waitFor(async () => (await getDraft()).blocks.some((b) => b.type === 'para' && b.text === before), 'restored on the main side');
  await waitFor(
    async () => (await page.$$eval('[data-testid=draft-block][data-type=para] [data-testid=block-text]', (els) => els.map((e) => (e as HTMLTextAreaElement).value))).includes(before),
    'restored text shown',
  );
  await dismissToasts(page);
});

test('缺漏检查: a deleted citation is uncovered, a changed lead is flagged', { skip }, async () => {
  await page.click('[data-testid=tab-gaps]');
  await page.waitForSelector('[data-testid=gaps-panel]');
  await waitFor(async () => (await page.locator('[data-testid=gaps-panel] .gaps-ok').count()) === 2, 'no gaps at first');

  const victim = '6.2.2.3';
  const cite = page.locator(`[data-testid=draft-block][data-measure-id="${victim}"]`);
  await cite.click({ position: { x: 4, y: 4 } });
  await page.keyboard.press('Delete');
  await page.click('[data-testid=block-delete-confirm] [data-testid=confirm-ok]');
  await cite.waitFor({ state: 'detached' });
  const gap = page.locator(`[data-testid=gaps-uncovered-item][data-measure-id="${victim}"]`);
  await gap.waitFor({ timeout: 10000 });
  // put it back from the gaps list: beside the citations of its task, in the plan's order
  await gap.click();
  await cite.waitFor();
  const outline = await domOutline();
  const i = outline.findIndex((b) => b.measureId === victim);
  assert.equal(outline[i - 1].measureId, '6.2.2.2', 'inserted after 6.2.2.2');
  await gap.waitFor({ state: 'detached', timeout: 10000 });

  // the lead of a cited measure changes in the ledger
  const m = (await app.call('measures.list', {})).find((x) => x.id === '6.1.1.1')!;
  const depts = await app.call('departments.list', {});
  const other = depts.find((d) => d.state === '在用' && d.id !== m.leadId && d.level === '省直')!;
  await app.call('measures.applyEdits', { edits: [{ measureId: '6.1.1.1', patch: { leadIds: [other.id] } }], op: '编辑' });
  await page.click('[data-testid=gaps-refresh]');
  const item = page.locator('[data-testid=gaps-changed-item][data-measure-id="6.1.1.1"]');
  await item.waitFor({ timeout: 10000 });
  assert.ok(((await item.textContent()) ?? '').includes(other.name), 'now: the new lead');
  const blockId = await item.getAttribute('data-block-id');
  await item.click();
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('data-block-id')), blockId, 'the citation focused');
  assert.equal(await block(Number(blockId)).locator('[data-testid=block-changed]').count(), 1, 'the block says so too');

  await dismissToasts(page);
  // the screenshot: from 三、重点任务 down, the changed citation in view, the gaps panel open
  await page.evaluate(() => {
    const h = [...document.querySelectorAll<HTMLElement>('[data-testid=draft-block][data-type=heading]')].find(
      (el) => el.querySelector<HTMLInputElement>('[data-testid=block-text]')?.value === '重点任务',
    );
    h?.scrollIntoView({ block: 'start' });
  });
  await page.locator('.outline-scroll').evaluate((el) => el.scrollBy({ top: -8 }));
  await page.screenshot({ path: screenshotFile('screenshot-drafts.png') });
});

test('导出 Word and the attachment tables', { skip }, async () => {
  await page.click('[data-testid=draft-export-docx]');
  await page.waitForSelector('[data-testid=draft-export-result]', { timeout: 60000 });
  const saved = ((await page.textContent('[data-testid=draft-export-path]')) ?? '').trim();
  assert.ok(saved.startsWith(exportDir), `saved in the export folder: ${saved}`);
  assert.ok(saved.endsWith('.docx'));
  assert.ok(fs.statSync(saved).size > 10_000, 'a real document');
  await page.click('[data-testid=draft-export-xlsx]');
  await waitFor(async () => ((await page.textContent('[data-testid=draft-export-path]')) ?? '').trim().endsWith('.xlsx'), 'tables exported', 60000);
  const xlsx = ((await page.textContent('[data-testid=draft-export-path]')) ?? '').trim();
  assert.ok(fs.statSync(xlsx).size > 5_000, 'a real workbook');
});

test('a blank draft is deleted after confirmation', { skip }, async () => {
  await page.click('[data-testid=draft-new]');
  await page.selectOption('[data-testid=draft-kind]', 'blank');
  await page.selectOption('[data-testid=draft-template]', 'empty');
  await page.fill('[data-testid=draft-title]', '临时草稿');
  await page.click('[data-testid=draft-create]');
  await waitFor(async () => (await page.locator('[data-testid=draft-list-item]').count()) === 2, 'two drafts');
  const tmp = page.locator('[data-testid=draft-list-item]', { hasText: '临时草稿' });
  const id = await tmp.getAttribute('data-draft-id');
  await page.locator(`[data-testid=draft-list-item][data-draft-id="${id}"] + [data-testid=draft-delete]`).click();
  await page.click('[data-testid=draft-delete-confirm] [data-testid=confirm-ok]');
  await waitFor(async () => (await page.locator('[data-testid=draft-list-item]').count()) === 1, 'deleted');
  assert.ok(!(await app.call('drafts.list', {})).some((d) => String(d.id) === id));
});
