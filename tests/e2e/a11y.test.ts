// Accessibility of every page of the renderer (WCAG 2.1 A and AA, as GB/T 37668-2019 asks):
// axe-core, injected into Chromium at 1366×768, over each of the 11 pages of the navigation and
// over the dialogs they open (bulk assignment, pickers, project card, new draft, citation picker,
// version compare, department rename/merge, backup restore, import conflict choices, …), with every
// rule of those tags (the experimental ones too) and nothing excluded; and the keyboard: Tab goes
// through each page reaching every control, each shows a visible focus indicator, and nothing that
// looks clickable is out of the keyboard's reach.
// Run: npx electron-vite build && node --import tsx --test tests/e2e/a11y.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import type { Page } from 'playwright-core';
import { appPerFile, waitFor, dismissToasts, ROOT, type App } from './harness';
import type { Department, MeasureRow } from '../../shared/domain';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** screenshots of the audited states, to look at (A11Y_SHOTS=dir) */
const SHOTS = process.env.A11Y_SHOTS;

let app: App;
let page: Page;
let depts: Department[] = [];

interface Violation {
  where: string;
  rule: string;
  impact: string;
  target: string;
  summary: string;
}

async function shot(name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name.replace(/[\s/·:]+/g, '_')}.png`) });
}

/** axe-core over the whole document as it is now; `where` names the page and dialog in the report. */
async function audit(where: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  await shot(where);
  const found = await page.evaluate(async (tags) => {
    type AxeResult = { violations: { id: string; impact?: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] };
    const axe = (window as unknown as { axe: { getRules(t: string[]): { ruleId: string }[]; run(ctx: Document, o: object): Promise<AxeResult> } }).axe;
    // every rule with one of the tags, the experimental ones (label-content-name-mismatch) included
    const rules = axe.getRules(tags).map((r) => r.ruleId);
    const r = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) =>
      v.nodes.map((n) => ({ rule: v.id, impact: v.impact ?? '', target: n.target.map(String).join(' '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ') })),
    );
  }, TAGS);
  return found.map((f) => ({ where, ...f }));
}

function assertNone(all: Violation[]) {
  // a dialog's audit sees the page behind it again: each node once, under the first state it was seen in
  const seen = new Set<string>();
  const found = all.filter((v) => {
    const k = `${v.rule} ${v.target}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (!found.length) return;
  const lines = found.map((v) => `  [${v.where}] ${v.rule} (${v.impact}) ${v.target}\n      ${v.summary.slice(0, 300)}`);
  const byRule = new Map<string, number>();
  for (const v of found) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
  assert.fail(`${found.length} axe-core violations (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}):\n${lines.join('\n')}`);
}

async function go(id: string) {
  await page.click(`[data-testid=nav-${id}]`);
  await page.waitForTimeout(300);
}
/** audit an open dialog, then close it with Escape (as a keyboard user would) */
async function dialog(found: Violation[], where: string, testId: string) {
  await page.waitForSelector(`[data-testid=${testId}]`, { timeout: 15000 });
  await page.waitForTimeout(200);
  found.push(...(await audit(where)));
  await page.keyboard.press('Escape');
  await page.waitForSelector(`[data-testid=${testId}]`, { state: 'detached', timeout: 5000 });
}

// ---------------------------------------------------------------- keyboard

interface KeyReport {
  reached: number;
  missed: string[];
  noFocusStyle: string[];
  mouseOnly: string[];
}

// Helpers run in the page. Plain JavaScript text, not functions passed to evaluate: the test
// runner's transpiler wraps named inner functions in a helper the page does not have.
const KIT = `window.__a11yKit = (() => {
  const controls = 'button, input:not([type=hidden]), select, textarea, a[href], [tabindex]:not([tabindex="-1"]), [contenteditable=true]';
  // the look of an element and of its three nearest ancestors (a radio's card, a checkbox's label)
  const snap = (el) => {
    const out = [];
    for (let e = el, i = 0; e && i < 4; e = e.parentElement, i++) {
      const s = getComputedStyle(e);
      out.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderTopColor, s.borderBottomColor, s.backgroundColor, s.textDecorationLine].join('|'));
    }
    // a tree item shows its focus on its own row
    if (el.firstElementChild) {
      const s = getComputedStyle(el.firstElementChild);
      out.push([s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor].join('|'));
    }
    // an SVG group shows its focus on the rectangle behind it
    const bg = el.querySelector('.chart-hover-bg');
    if (bg) out.push(getComputedStyle(bg).stroke + getComputedStyle(bg).fill);
    return out.join('#');
  };
  const describe = (el) => {
    const t = el.getAttribute('data-testid') || el.getAttribute('aria-label') || el.getAttribute('title') || (el.textContent || '').trim().slice(0, 20);
    return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + '[' + t + ']';
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || e.hasAttribute('hidden')) return false;
    }
    return true;
  };
  const st = { n: 0, focused: {} };
  return {
    reset() {
      if (document.activeElement) document.activeElement.blur();
      document.querySelectorAll('[data-a11y-key]').forEach((e) => e.removeAttribute('data-a11y-key'));
      st.n = 0;
      st.focused = {};
    },
    /** mark the focused element, remember how it looks focused; its key, or null on the body */
    step() {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      let k = el.getAttribute('data-a11y-key');
      if (!k) {
        k = String(st.n++);
        el.setAttribute('data-a11y-key', k);
        st.focused[k] = snap(el);
      }
      return k;
    },
    leaveGrid() {
      const grid = document.activeElement && document.activeElement.closest('[role=gridcell], .ag-full-width-row') && document.activeElement.closest('.ag-root-wrapper');
      if (!grid) return false;
      const stops = [...document.querySelectorAll(controls)].filter((el) => !grid.contains(el) && !el.disabled && el.tabIndex >= 0 && visible(el));
      // the next stop after the grid, or round to the first (the grid last on the page)
      const next = stops.find((el) => grid.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) || stops[0];
      if (!next) return false;
      next.focus();
      return true;
    },
    report() {
      if (document.activeElement) document.activeElement.blur();
      const noFocusStyle = [];
      for (const el of document.querySelectorAll('[data-a11y-key]')) {
        if (snap(el) === st.focused[el.getAttribute('data-a11y-key')]) noFocusStyle.push(describe(el));
      }
      const missed = [];
      for (const el of document.querySelectorAll(controls)) {
        if (el.disabled || !visible(el)) continue;
        // a grid's rows and what is in their cells are reached with the grid's own keys (arrows, Space, Enter)
        if (el.closest('[role=row]') || el.matches('.ag-tab-guard')) continue;
        // one radio of a group is the tab stop
        if (el.type === 'radio' && el.name && [...document.querySelectorAll('input[type=radio]')].some((g) => g.name === el.name && g.hasAttribute('data-a11y-key'))) continue;
        if (!el.hasAttribute('data-a11y-key')) missed.push(describe(el));
      }
      const mouseOnly = [];
      // inside a composite widget (grid, tree, listbox) the arrow keys move between the parts
      const reachable = controls + ', label, [role=gridcell], [role=columnheader], [role=row], [role=treeitem], [role=option], .ag-cell, .ag-header-cell';
      for (const el of document.querySelectorAll('body *')) {
        if (!(el instanceof HTMLElement) || !visible(el)) continue;
        if (getComputedStyle(el).cursor !== 'pointer') continue;
        if (el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer') continue; // the outermost only
        if (el.closest(reachable) || el.querySelector(controls)) continue;
        mouseOnly.push(describe(el));
      }
      return { reached: st.n, missed, noFocusStyle, mouseOnly };
    },
  };
})();`;

/**
 * Tab from the top of the document through the page (until focus comes back round), then check:
 * every visible, enabled control outside the grids' cells was reached; every reached element looks
 * different focused than unfocused (outline, box-shadow, border or background of it or of the
 * label/option around it); and no visible element with a pointer cursor sits outside every
 * keyboard-reachable control (a click-only action).
 */
async function keyboardWalk(maxTabs = 1500): Promise<KeyReport> {
  if (!(await page.evaluate(() => '__a11yKit' in window))) await page.addScriptTag({ content: KIT });
  type Kit = { reset(): void; step(): string | null; leaveGrid(): boolean; report(): KeyReport };
  await page.evaluate(() => (window as unknown as { __a11yKit: Kit }).__a11yKit.reset());
  let first: string | null = null;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    // the focused element; in a grid's body, where Tab goes cell by cell as in a spreadsheet and
    // leaves after the last cell, the walk carries on after the grid instead (and records that too)
    const [key, after] = await page.evaluate(() => {
      const kit = (window as unknown as { __a11yKit: Kit }).__a11yKit;
      const k = kit.step();
      return [k, k !== null && kit.leaveGrid() ? kit.step() : null];
    });
    if (key === null) continue;
    if (first === null) first = key;
    else if (key === first || after === first) break;
  }
  return page.evaluate(() => (window as unknown as { __a11yKit: Kit }).__a11yKit.report());
}

/** the keyboard walk over the page as it is now, then every axe finding and keyboard problem in one failure */
async function finish(where: string, found: Violation[]) {
  const r = await keyboardWalk();
  const problems = [
    ...r.missed.map((m) => `not reached by Tab: ${m}`),
    ...r.noFocusStyle.map((m) => `no visible focus: ${m}`),
    ...r.mouseOnly.map((m) => `clickable but not focusable: ${m}`),
  ];
  let axeMessage = '';
  try {
    assertNone(found);
  } catch (e) {
    axeMessage = (e as Error).message;
  }
  const keyMessage = problems.length ? `[${where}] keyboard (${r.reached} elements reached by Tab):\n  ${problems.join('\n  ')}` : '';
  assert.ok(!axeMessage && !keyMessage, [axeMessage, keyMessage].filter(Boolean).join('\n'));
  assert.ok(r.reached > 12, `[${where}] Tab reached ${r.reached} elements`);
}

// ---------------------------------------------------------------- setup

const { skip, exportDir } = appPerFile({ identity: { name: '李明', unit: '省发展改革委' }, width: 1366, height: 768, bypassCSP: true, exports: 'a11y' }, async (a) => {
  app = a;
  page = a.page;
  depts = await app.call('departments.list', { includeInactive: true });
  await page.waitForSelector('[data-testid=nav-dashboard]', { timeout: 20000 });
  // some progress so the dashboard's charts have more than one series to draw
  const ms = await app.call('measures.list', {});
  const acts = ms.filter((m: MeasureRow) => m.actionable).slice(0, 30);
  const statuses = ['推进中', '已完成', '滞后'] as const;
  await app.call('measures.applyEdits', {
    edits: acts.map((m, i) => ({ measureId: m.id, patch: { status: statuses[i % 3], progress: `第${i + 1}项已部署推进` } })),
    op: '编辑',
  });
  await page.reload();
  await page.waitForSelector('[data-testid=nav-dashboard]', { timeout: 20000 });
});

// ---------------------------------------------------------------- pages

test('统计看板: no axe violations; keyboard', { skip }, async () => {
  await go('dashboard');
  await page.waitForSelector('[data-testid=dash-status-chart]', { timeout: 20000 });
  await page.waitForTimeout(500);
  const found = await audit('统计看板');
  // the identity dialog, opened from the header
  await page.click('[data-testid=current-user]');
  await dialog(found, '统计看板 · 登记使用人', 'identity-modal');
  await finish('统计看板', found);
});

test('规划全文: no axe violations; keyboard', { skip }, async () => {
  await go('plan');
  await page.waitForSelector('[data-testid=plan-tree] [data-node-id="4"]');
  const found = await audit('规划全文');
  await page.click('[data-testid=plan-tree] [data-node-id="4"]');
  await page.click('[data-testid=plan-tree] [data-node-id="4.1"]');
  await page.click('[data-testid=plan-tree] [data-node-id="4.1.1"]');
  await page.waitForSelector('[data-testid=plan-text][data-node-id="4.1.1"]');
  found.push(...(await audit('规划全文 · 4.1.1')));
  await page.fill('[data-testid=plan-search-input]', '湘江');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=search-hit]');
  found.push(...(await audit('规划全文 · 检索 湘江')));
  await page.locator('[data-testid=search-hit]').nth(2).click();
  await page.waitForSelector('[data-testid=plan-text] mark[data-testid=search-mark]');
  found.push(...(await audit('规划全文 · 检索结果')));
  await dismissToasts(page);
  await page.getByText('返回目录').click();
  await finish('规划全文', found);
});

test('任务分工: no axe violations, with the bulk dialogs and the pickers open; keyboard', { skip }, async () => {
  await go('alloc');
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.1.1"]', { timeout: 30000 });
  const found = await audit('任务分工');
  // the other grouping (by chapter and task, with heading rows, or flat)
  await page.click('[data-testid=group-toggle]');
  await page.waitForTimeout(400);
  found.push(...(await audit(`任务分工 · ${(await page.isChecked('[data-testid=group-toggle]')) ? '按章节分组' : '不分组'}`)));
  await page.click('[data-testid=group-toggle]');
  await page.waitForSelector('[data-testid=alloc-grid] .ag-row[row-id="3.1.1.1"]');
  // select three rows, open each bulk dialog
  for (const id of ['3.1.1.1', '3.1.1.2', '3.1.1.3']) {
    await page.locator(`.ag-row[row-id="${id}"] .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]`).check();
  }
  await page.waitForSelector('[data-testid=bulk-lead]:not([disabled])');
  for (const [btn, title] of [
    ['bulk-lead', '批量设置牵头单位'],
    ['bulk-co', '批量添加配合单位'],
    ['bulk-cities', '批量设置涉及城市'],
    ['bulk-deadline', '批量设置完成时限'],
    ['bulk-status', '批量设置状态'],
  ] as const) {
    await page.click(`[data-testid=${btn}]`);
    await page.waitForSelector('.modal[role=dialog]');
    await page.waitForTimeout(200);
    found.push(...(await audit(`任务分工 · ${title}`)));
    await page.keyboard.press('Escape');
    await page.waitForSelector('.modal[role=dialog]', { state: 'detached' });
  }
  // the grid's own pickers: lead (department), cities, deadline
  for (const [col, picker] of [
    ['lead', 'dept-picker'],
    ['co', 'dept-picker'],
    ['cities', 'city-picker'],
  ] as const) {
    await page.locator(`.ag-row[row-id="3.1.1.2"] .ag-cell[col-id="${col}"]`).dblclick({ position: { x: 12, y: 12 } });
    await page.waitForSelector(`[data-testid=${picker}]`);
    await page.waitForTimeout(200);
    found.push(...(await audit(`任务分工 · 表格内 ${picker}`)));
    await page.keyboard.press('Escape');
    await page.waitForSelector(`[data-testid=${picker}]`, { state: 'detached' });
  }
  await page.locator('[data-testid=filter-text]').fill('');
  await finish('任务分工', found);
});

test('重点项目: no axe violations, with the project card, bulk and new-project dialogs; keyboard', { skip }, async () => {
  await go('projects');
  const row = '[data-testid=projects-grid] .ag-row[row-index="0"]';
  await page.waitForSelector(row, { timeout: 30000 });
  const found = await audit('重点项目');
  await page.locator(`${row} .ag-cell[col-id="id"]`).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Enter');
  await dialog(found, '重点项目 · 项目卡片', 'project-card');
  await page.locator(`${row} .ag-cell[col-id="ag-Grid-SelectionColumn"] input[type=checkbox]`).check();
  for (const btn of ['proj-bulk-stage', 'proj-bulk-lead', 'proj-bulk-category']) {
    await page.click(`[data-testid=${btn}]`);
    await page.waitForSelector('.modal[role=dialog]');
    await page.waitForTimeout(200);
    found.push(...(await audit(`重点项目 · ${btn}`)));
    await page.keyboard.press('Escape');
    await page.waitForSelector('.modal[role=dialog]', { state: 'detached' });
  }
  await page.click('[data-testid=project-delete]');
  await page.waitForSelector('.modal[role=dialog]');
  found.push(...(await audit('重点项目 · 删除确认')));
  await page.keyboard.press('Escape');
  await page.click('[data-testid=project-add]');
  await dialog(found, '重点项目 · 新增项目', 'project-add-form');
  await finish('重点项目', found);
});

test('目标指标: no axe violations; keyboard', { skip }, async () => {
  await go('indicators');
  await page.waitForSelector('.ind-list tbody tr', { timeout: 20000 });
  const found = await audit('目标指标');
  await page.locator('.ind-list tbody tr').nth(3).click();
  await page.waitForTimeout(300);
  found.push(...(await audit('目标指标 · 选中一项')));
  await finish('目标指标', found);
});

test('方案起草: no axe violations, with new draft, citation picker, versions and compare; keyboard', { skip }, async () => {
  await go('drafts');
  await page.waitForSelector('[data-testid=drafts-page]');
  const found = await audit('方案起草 · 无草稿');
  await page.click('[data-testid=draft-new]');
  await page.waitForSelector('[data-testid=draft-new-dialog]');
  await page.selectOption('[data-testid=draft-kind]', 'field');
  await page.selectOption('[data-testid=draft-field]', '生态环境');
  found.push(...(await audit('方案起草 · 新建草稿')));
  await page.click('[data-testid=draft-create]');
  await page.waitForSelector('[data-testid=draft-block]', { timeout: 30000 });
  await page.waitForTimeout(400);
  found.push(...(await audit('方案起草 · 草稿')));
  // citation picker
  await page.locator('[data-testid=draft-block]').last().click({ position: { x: 4, y: 4 } });
  await page.click('[data-testid=insert-citation]');
  await page.fill('[data-testid=citation-search]', '湘江');
  await page.waitForSelector('[data-testid=citation-result]', { timeout: 10000 });
  await dialog(found, '方案起草 · 引用规划措施', 'citation-picker');
  // mapping dialog
  await page.click('[data-testid=draft-mapping]');
  await dialog(found, '方案起草 · 对照表', 'mapping-dialog');
  // versions and compare
  await page.click('[data-testid=tab-versions]');
  await page.fill('[data-testid=version-name]', '初稿');
  await page.click('[data-testid=version-save]');
  await page.waitForSelector('[data-testid=version-item]');
  found.push(...(await audit('方案起草 · 版本')));
  await page.click('[data-testid=version-compare]');
  await dialog(found, '方案起草 · 版本比较', 'compare-modal');
  await page.click('[data-testid=version-restore]');
  await dialog(found, '方案起草 · 恢复版本', 'restore-confirm');
  await page.click('[data-testid=tab-gaps]');
  await page.waitForSelector('[data-testid=gaps-panel]');
  found.push(...(await audit('方案起草 · 缺项')));
  // deleting a block asks first
  const para = page.locator('[data-testid=draft-block]').nth(1);
  await para.click({ position: { x: 4, y: 4 } });
  await page.keyboard.press('Delete');
  if (await page.locator('[data-testid=block-delete-confirm]').count()) await dialog(found, '方案起草 · 删除段落', 'block-delete-confirm');
  // a heading's level: Alt+Shift+→/←; Tab leaves it as it is and moves on
  const heading = page.locator('[data-testid=draft-block][data-type=heading][data-level="2"]').first();
  const headingId = await heading.getAttribute('data-block-id');
  const block = page.locator(`[data-testid=draft-block][data-block-id="${headingId}"]`);
  await block.focus();
  await page.keyboard.press('Alt+Shift+ArrowRight');
  await waitFor(async () => (await block.getAttribute('data-level')) === '3', 'heading lowered to level 3');
  await page.keyboard.press('Alt+Shift+ArrowLeft');
  await waitFor(async () => (await block.getAttribute('data-level')) === '2', 'heading back to level 2');
  await page.keyboard.press('Tab');
  assert.equal(await block.getAttribute('data-level'), '2', 'Tab does not change the level');
  assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute('data-block-id')), headingId, 'Tab moved on');
  await page.locator('[data-testid=draft-delete]').first().click();
  await dialog(found, '方案起草 · 删除草稿', 'draft-delete-confirm');
  await finish('方案起草', found);
});

let ledgerPath = '';
let ledgerDept: Department;

test('导出: no axe violations, before and after an export; keyboard', { skip }, async () => {
  await go('export');
  await page.waitForSelector('[data-testid=export-kind]');
  const found = await audit('导出');
  // the department leading the most measures: its ledger comes back through 导入
  const counts = new Map<number, number>();
  for (const m of await app.call('measures.list', {})) if (m.actionable && m.leadId != null) counts.set(m.leadId, (counts.get(m.leadId) ?? 0) + 1);
  ledgerDept = depts.find((d) => d.id === [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0])!;
  await page.check('[data-testid=export-kind] input[value="ledger.xlsx"]');
  await page.click('[data-testid=export-dept]');
  await page.fill('[data-testid=export-dept]', ledgerDept.name);
  found.push(...(await audit('导出 · 选择部门')));
  await page.keyboard.press('Enter');
  await page.click('[data-testid=export-run]');
  await waitFor(async () => ((await page.locator('[data-testid=export-path]').first().textContent()) ?? '').trim().endsWith('.xlsx'), 'ledger exported', 60000);
  ledgerPath = ((await page.locator('[data-testid=export-path]').first().textContent()) ?? '').trim();
  await dismissToasts(page);
  found.push(...(await audit('导出 · 已导出')));
  await page.check('[data-testid=export-kind] input[value="briefing.docx"]');
  found.push(...(await audit('导出 · 工作进展报告')));
  await finish('导出', found);
});

test('导入: no axe violations, with a preview holding changes and conflict choices; keyboard', { skip }, async () => {
  assert.ok(ledgerPath, 'ledger exported');
  await go('import');
  await page.waitForSelector('[data-testid=import-page]');
  const found = await audit('导入');
  // the ledger edited elsewhere, and the same measure changed here meanwhile: a conflict
  const wb = XLSX.read(fs.readFileSync(ledgerPath), { type: 'buffer' });
  const ws = wb.Sheets['任务分工台账'];
  const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: false, blankrows: true, defval: '' });
  const hr = rows.findIndex((r) => r.includes('编号'));
  const header = rows[hr] as string[];
  const idCol = header.indexOf('编号');
  const progCol = header.indexOf('进展情况');
  const data = rows.map((r, i) => ({ r: r as string[], i })).filter(({ r, i }) => i > hr && /^\d+\.\d+\.\d+\.\d+$/.test(String(r[idCol])));
  const [a, c] = data;
  ws[XLSX.utils.encode_cell({ r: a.i, c: progCol })] = { t: 's', v: '台账：已完成前期研究' };
  ws[XLSX.utils.encode_cell({ r: c.i, c: progCol })] = { t: 's', v: '台账：已召开专题会议' };
  const file = path.join(exportDir, '填报.xlsx');
  fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  await app.call('measures.applyEdits', { edits: [{ measureId: c.r[idCol], patch: { progress: '本库：已印发工作方案' } }], op: '编辑' });
  await page.setInputFiles('[data-testid=import-file]', file);
  await page.waitForSelector('[data-testid=import-conflict]', { timeout: 30000 });
  await dismissToasts(page);
  found.push(...(await audit('导入 · 预览与冲突')));
  await finish('导入 · 预览', found);
});

test('部门管理: no axe violations, with add, rename, merge and retire dialogs; keyboard', { skip }, async () => {
  await go('depts');
  await page.waitForSelector('[data-testid=dept-grid] .ag-row', { timeout: 20000 });
  const found = await audit('部门管理');
  await page.click('[data-testid=dept-add]');
  await dialog(found, '部门管理 · 新增单位', 'dept-add-name');
  await page.locator('[data-testid=dept-grid] .ag-row[row-index="1"] .ag-cell').first().click();
  await page.click('[data-testid=dept-rename]');
  await dialog(found, '部门管理 · 重命名', 'dept-rename-name');
  await page.click('[data-testid=dept-merge]');
  await page.waitForSelector('[data-testid=dept-merge-into]');
  found.push(...(await audit('部门管理 · 合并到')));
  await page.locator('[data-testid=dept-merge-into]').click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  if (await page.locator('[data-testid=dept-merge-ok]:not([disabled])').count()) {
    await page.click('[data-testid=dept-merge-ok]');
    if (await page.locator('[data-testid=dept-merge-confirm]').count()) found.push(...(await audit('部门管理 · 合并确认')));
  }
  await page.keyboard.press('Escape');
  await page.waitForSelector('.modal[role=dialog]', { state: 'detached' });
  await page.click('[data-testid=dept-retire]');
  await dialog(found, '部门管理 · 撤销单位', 'dept-retire-ok');
  await finish('部门管理', found);
});

test('调度轮次: no axe violations, with the new-round dialog, the tracking page, 收取, 明细 and 对比上期; keyboard', { skip }, async () => {
  await go('rounds');
  await page.waitForSelector('[data-testid=round-new]');
  const found = await audit('调度轮次 · 无轮次');
  await page.click('[data-testid=round-new]');
  await page.fill('[data-testid=round-title]', '无障碍检查调度');
  await page.fill('[data-testid=round-period]', '2026-09-30');
  await page.fill('[data-testid=round-due]', '2026-10-10');
  found.push(...(await audit('调度轮次 · 新建调度轮次')));
  await page.click('[data-testid=round-create]');
  await page.waitForSelector('[data-testid=round-dept]', { timeout: 20000 });
  found.push(...(await audit('调度轮次 · 报送情况')));
  await page.click('[data-testid=round-collect]');
  await dialog(found, '调度轮次 · 收取', 'round-collect-dialog');
  await page.locator('[data-testid=round-dept] button', { hasText: '明细' }).first().click();
  await dialog(found, '调度轮次 · 报送明细', 'round-dept-reports');
  // 对比上期: this round closed, another closed after it, the two compared (by measure, then by department)
  await page.click('[data-testid=round-close]');
  await page.click('[data-testid=round-close-confirm]');
  await page.waitForSelector('[data-testid=round-distribute]', { state: 'detached', timeout: 20000 });
  const second = await app.call('rounds.create', { title: '无障碍检查调度（二）', periodEnd: '2026-12-31', dueDate: '2027-01-10' });
  await app.call('rounds.close', { roundId: second.round.id });
  await go('audit');
  await go('rounds');
  await page.selectOption('[data-testid=round-select]', String(second.round.id));
  await page.waitForSelector('[data-testid=cmp-summary]', { timeout: 20000 });
  found.push(...(await audit('调度轮次 · 对比上期')));
  await page.click('[data-testid=cmp-view-depts]');
  await page.waitForSelector('[data-testid=cmp-depts]');
  found.push(...(await audit('调度轮次 · 对比上期 · 按单位')));
  await finish('调度轮次', found);
});

test('操作记录: no axe violations; keyboard', { skip }, async () => {
  await go('audit');
  await page.waitForSelector('[data-testid=audit-grid] .ag-row', { timeout: 20000 });
  const found = await audit('操作记录');
  await page.locator('[data-testid=audit-grid] .ag-row[row-index="0"] .ag-cell').first().click({ force: true });
  await page.waitForTimeout(300);
  found.push(...(await audit('操作记录 · 选中一条')));
  await finish('操作记录', found);
});

test('设置: no axe violations, with a backup and the restore confirmation; keyboard', { skip }, async () => {
  await go('settings');
  await page.waitForSelector('[data-testid=backup-settings]', { timeout: 20000 });
  const found = await audit('设置');
  await page.click('[data-testid=backup-now]');
  await page.waitForSelector('[data-testid=backup-list] tbody tr', { timeout: 30000 });
  await dismissToasts(page);
  await page.locator('[data-testid=backup-list] tbody tr input[type=radio]').first().check();
  await page.click('[data-testid=backup-restore]');
  await dialog(found, '设置 · 恢复备份确认', 'backup-confirm');
  await finish('设置', found);
});
