// End-to-end test of 统计看板, 重点项目 and 目标指标 against the real services through the test bridge:
// counts on the dashboard match the database, the red light and a status bar open the allocation
// grid on exactly those rows, a project's stage edited in the grid is saved, the project card shows
// the plan's words, an indicator value entered changes its status; two screenshots (docs/ with `npm run screenshots`).
// Run: npx electron-vite build && npx tsx --test tests/e2e/dashboard.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { appPerFile, waitFor, dismissToasts, screenshotFile, type App } from './harness';
import type { MeasureRow } from '../../shared/domain';

let app: App;
let page: Page;

function iso(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function daysFromToday(n: number): string {
  const d = new Date();
  return iso(new Date(d.getFullYear(), d.getMonth(), d.getDate() + n));
}
const TODAY = daysFromToday(0);

/** Every measure row id the allocation grid shows, scrolling through it (rows are virtualised). */
async function gridMeasureIds(grid = '[data-testid=alloc-grid]'): Promise<string[]> {
  const seen = new Set<string>();
  // whatever element of the grid scrolls vertically (AG Grid's own class names change between versions)
  const scroll = (to: 'top' | 'next') =>
    page.evaluate(
      ({ grid, to }) => {
        const root = document.querySelector(grid);
        if (!root) return false;
        const el = [...root.querySelectorAll<HTMLElement>('*')].find((e) => {
          const oy = getComputedStyle(e).overflowY;
          return (oy === 'auto' || oy === 'scroll') && e.scrollHeight > e.clientHeight + 2;
        });
        if (!el) return false;
        const before = el.scrollTop;
        el.scrollTop = to === 'top' ? 0 : before + el.clientHeight * 0.8;
        return el.scrollTop !== before;
      },
      { grid, to },
    );
  await scroll('top');
  await page.waitForTimeout(100);
  for (let i = 0; i < 200; i++) {
    const ids = await page.$$eval(`${grid} .ag-row[row-id]`, (els) => els.map((e) => e.getAttribute('row-id') ?? ''));
    for (const id of ids) if (/^\d+\.\d+\.\d+\.\d+$/.test(id)) seen.add(id);
    if (!(await scroll('next'))) break;
    await page.waitForTimeout(150);
  }
  await scroll('top');
  return [...seen].sort();
}

/** The light rule as supervision systems use it, computed here independently of the renderer. */
function isRed(m: MeasureRow): boolean {
  return m.actionable && m.status !== '已完成' && (m.status === '滞后' || (m.deadline !== null && m.deadline < TODAY));
}
function isYellow(m: MeasureRow): boolean {
  return m.actionable && m.status !== '已完成' && !isRed(m) && m.deadline !== null && m.deadline <= daysFromToday(30);
}

async function count(loc: Locator): Promise<number> {
  return Number(await loc.getAttribute('data-count'));
}

let LAG: string[] = [];
let PAST: string[] = [];
let SOON: string[] = [];
let DONE_PAST = '';

const { skip } = appPerFile({ width: 1600, height: 900, identity: { name: '王芳', unit: '省发展改革委' } }, async (a) => {
  app = a;
  page = a.page;

  // ---- prepare data exactly as staff would, through the services
  const all = (await app.call('measures.list', {})).filter((m) => m.actionable);
  // spread over chapters so the chapter chart and grouping have something to show
  const byChapter = new Map<number, MeasureRow[]>();
  for (const m of all) (byChapter.get(m.chapterNo) ?? byChapter.set(m.chapterNo, []).get(m.chapterNo)!).push(m);
  const pick = (ch: number, i: number) => byChapter.get(ch)![i].id;
  LAG = [pick(3, 0), pick(5, 2), pick(7, 1)];
  PAST = [pick(4, 0), pick(6, 3), pick(8, 0)];
  SOON = [pick(4, 5), pick(9, 1)];
  DONE_PAST = pick(3, 4);
  const progressing = [pick(3, 1), pick(3, 2), pick(5, 0), pick(6, 0), pick(7, 3), pick(8, 2)];
  await app.call('measures.applyEdits', {
    op: '编辑',
    edits: [
      ...LAG.map((id) => ({ measureId: id, patch: { status: '滞后' as const, deadline: daysFromToday(90) } })),
      ...PAST.map((id, i) => ({ measureId: id, patch: { status: '推进中' as const, deadline: daysFromToday(-5 - i * 20) } })),
      ...SOON.map((id, i) => ({ measureId: id, patch: { status: '未启动' as const, deadline: daysFromToday(3 + i * 12) } })),
      { measureId: DONE_PAST, patch: { status: '已完成' as const, deadline: daysFromToday(-30) } },
      ...progressing.map((id) => ({ measureId: id, patch: { status: '推进中' as const, deadline: daysFromToday(200) } })),
    ],
  });

  // an actual value for a ≥ indicator
  const inds = await app.call('indicators.list', {});
  const ge = inds.find((i) => i.kind === 'quantitative' && i.direction === '≥' && i.target2025 !== null)!;
  await app.call('indicators.setActual', { indicatorId: ge.id, year: 2023, value: ge.target2025!, source: '统计公报', note: '' });

  // year plans for a few projects (this year and totals), and progress as staff write it
  const projects = await app.call('projects.list', {});
  const year = projects[0].year;
  const plan: [string, number, number, number][] = [];
  projects.slice(0, 24).forEach((p, i) => plan.push([p.id, 8 + (i % 5) * 6, 3 + (i % 4) * 4, 40 + i * 15]));
  await app.call('projects.update', {
    op: '编辑',
    edits: plan.map(([id, planned, completed, total]) => ({
      projectId: id,
      patch: {
        totalInvestment: total,
        progressText: `完成年度计划的${Math.round((completed / planned) * 100)}%，主体工程有序推进。`,
        yearPlans: [
          { year: year - 1, planned: planned * 0.8, completed: planned * 0.7 },
          { year, planned, completed },
        ],
      },
    })),
  });
});

test('the app opens on the dashboard and its counts match the database', { skip }, async () => {
  await page.waitForSelector('[data-testid=dashboard] [data-testid=dash-light-red]', { timeout: 20000 });
  assert.equal(await page.locator('[data-testid=nav-dashboard]').getAttribute('aria-current'), 'page');
  const navOrder = await page.$$eval('.side-nav .nav-item', (els) => els.map((e) => e.getAttribute('data-testid')));
  assert.equal(navOrder[0], 'nav-dashboard', 'the dashboard is the first nav entry');

  const ms = (await app.call('measures.list', {})).filter((m) => m.actionable);
  const red = ms.filter(isRed).map((m) => m.id).sort();
  const yellow = ms.filter(isYellow).map((m) => m.id).sort();
  assert.deepEqual(red, [...LAG, ...PAST].sort(), 'prepared red set');
  assert.deepEqual(yellow, [...SOON].sort(), 'prepared yellow set');
  assert.ok(!red.includes(DONE_PAST), '已完成 is never red');

  const redLight = page.locator('[data-testid=dash-light-red]');
  await waitFor(async () => (await count(redLight)) === red.length, 'red light count');
  assert.match((await redLight.textContent()) ?? '', new RegExp(`^${red.length}`));
  assert.equal(await count(page.locator('[data-testid=dash-light-yellow]')), yellow.length);
  // neither red nor yellow: without a confirmed lead 待确认, then without a deadline 未排期, else green
  const rest = ms.filter((m) => m.status !== '已完成' && !isRed(m) && !isYellow(m));
  const unconfirmed = rest.filter((m) => m.leadId === null || !m.leadConfirmed);
  const unscheduled = rest.filter((m) => !unconfirmed.includes(m) && m.deadline === null);
  assert.equal(await count(page.locator('[data-testid=dash-light-unconfirmed]')), unconfirmed.length);
  assert.equal(await count(page.locator('[data-testid=dash-light-unscheduled]')), unscheduled.length);
  assert.equal(await count(page.locator('[data-testid=dash-light-green]')), rest.length - unconfirmed.length - unscheduled.length);
  for (const s of ['未启动', '推进中', '已完成', '滞后'] as const) {
    assert.equal(await count(page.locator(`[data-testid="dash-status-bar-${s}"]`)), ms.filter((m) => m.status === s).length, `status ${s}`);
  }
  // overdue list: exactly the red measures
  const overdue = await page.$$eval('[data-testid=dash-overdue-row]', (els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  assert.deepEqual([...overdue].sort(), red);
  const soon = await page.$$eval('[data-testid=dash-due-row]', (els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  assert.deepEqual([...soon].sort(), yellow);

  // lead bars: top 15, counts as in the database
  const bars = await page.$$eval('[data-testid=dash-lead-bar]', (els) =>
    els.map((e) => ({ id: Number(e.getAttribute('data-lead-id')), n: Number(e.getAttribute('data-count')) })),
  );
  assert.ok(bars.length > 0 && bars.length <= 15, `lead bars (${bars.length})`);
  // a measure counts for each of its leads (共同牵头)
  for (const b of bars) assert.equal(b.n, ms.filter((m) => m.leadIds.includes(b.id)).length, `lead ${b.id}`);
  for (let i = 1; i < bars.length; i++) assert.ok(bars[i - 1].n >= bars[i].n, 'lead bars sorted');

  // indicator status counts
  const inds = await app.call('indicators.list', {});
  for (const s of ['达标', '接近', '滞后', '无数据', '无目标', '定性']) {
    assert.equal(await count(page.locator(`[data-testid="dash-ind-${s}"]`)), inds.filter((i) => i.status === s).length, `indicator ${s}`);
  }
  assert.ok(inds.some((i) => i.status === '达标'), 'the entered actual makes one indicator 达标');

  await page.mouse.move(5, 890);
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotFile('screenshot-dashboard.png') });
  // the lower half, for looking at while developing (not kept in docs/)
  await page.locator('.dash-page').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(os.tmpdir(), 'czt-dashboard-lower.png') });
  await page.locator('.dash-page').evaluate((el) => (el.scrollTop = 0));
});

test('clicking the red light opens the allocation grid on exactly the overdue and 滞后 rows', { skip }, async () => {
  const ms = await app.call('measures.list', {});
  const red = ms.filter(isRed).map((m) => m.id).sort();
  await page.click('[data-testid=dash-light-red]');
  await page.waitForSelector('[data-testid=alloc-external-filter]');
  assert.equal(await page.locator('[data-testid=nav-alloc]').getAttribute('aria-current'), 'page');
  assert.match((await page.textContent('[data-testid=alloc-external-filter]')) ?? '', /来自统计看板：红灯/);
  await waitFor(async () => (await gridMeasureIds()).length === red.length, 'grid rows');
  assert.deepEqual(await gridMeasureIds(), red);
  assert.match((await page.textContent('[data-testid=alloc-status]')) ?? '', new RegExp(`已筛选 ${red.length} 条`));

  // clearing the chip shows all rows again
  await page.click('[data-testid=alloc-external-filter-clear]');
  await page.waitForSelector('[data-testid=alloc-external-filter]', { state: 'detached' });
  assert.doesNotMatch((await page.textContent('[data-testid=alloc-status]')) ?? '', new RegExp(`已筛选 ${red.length} 条`));
});

test('clicking a status bar opens the grid on that status; a lead bar on that department', { skip }, async () => {
  await page.click('[data-testid=nav-dashboard]');
  const bar = page.locator('[data-testid="dash-status-bar-推进中"]');
  await bar.waitFor();
  const ms = (await app.call('measures.list', {})).filter((m) => m.actionable);
  const want = ms.filter((m) => m.status === '推进中').map((m) => m.id).sort();
  await waitFor(async () => (await count(bar)) === want.length, 'bar count');
  await bar.click();
  await page.waitForSelector('[data-testid=alloc-external-filter]');
  assert.match((await page.textContent('[data-testid=alloc-external-filter]')) ?? '', /状态：推进中/);
  assert.equal(await page.locator('[data-testid=filter-status]').inputValue(), '推进中');
  await waitFor(async () => (await gridMeasureIds()).length === want.length, 'grid rows for 推进中');
  assert.deepEqual(await gridMeasureIds(), want);

  // a lead department bar
  await page.click('[data-testid=nav-dashboard]');
  const lead = page.locator('[data-testid=dash-lead-bar]').first();
  const leadId = Number(await lead.getAttribute('data-lead-id'));
  const wantLead = ms.filter((m) => m.leadIds.includes(leadId)).map((m) => m.id).sort();
  await lead.click();
  await page.waitForSelector('[data-testid=alloc-external-filter]');
  await waitFor(async () => (await gridMeasureIds()).length === wantLead.length, 'grid rows for the lead');
  assert.deepEqual(await gridMeasureIds(), wantLead);
  await page.click('[data-testid=alloc-external-filter-clear]');
});

test('projects grid: edit a stage, it is saved; the card shows the verbatim quote', { skip }, async () => {
  await page.click('[data-testid=nav-projects]');
  const projects = await app.call('projects.list', {});
  const p = projects.find((x) => x.source === 'plan' && x.stage !== '新开工' && x.quote)!;
  const row = `[data-testid=projects-grid] .ag-row[row-id="${p.id}"]`;
  await page.waitForSelector(row);
  assert.ok((await page.locator(`${row} [data-testid=badge-plan]`).count()) === 1, '规划 badge');
  // edit the stage with the grid's select editor
  const stageCell = page.locator(`${row} .ag-cell[col-id="stage"]`);
  await stageCell.dblclick();
  // AG Grid's select editor opens collapsed: open its list, pick the value
  await page.locator('.ag-cell-inline-editing .ag-picker-field-wrapper').click();
  const option = page.locator('.ag-select-list-item-text', { hasText: /^新开工$/ });
  await option.waitFor({ timeout: 5000 });
  await option.click();
  await waitFor(async () => (await app.call('projects.list', {})).find((x) => x.id === p.id)!.stage === '新开工', 'stage saved');
  await waitFor(async () => ((await stageCell.textContent()) ?? '').trim() === '新开工', 'cell shows the new stage');

  // Ctrl+Z undoes it
  await page.locator(`${row} .ag-cell[col-id="id"]`).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await waitFor(async () => (await app.call('projects.list', {})).find((x) => x.id === p.id)!.stage === p.stage, 'stage undone');
  await page.locator('[data-testid=proj-redo]:not([disabled])').waitFor();
  await page.keyboard.press('Control+y');
  await waitFor(async () => (await app.call('projects.list', {})).find((x) => x.id === p.id)!.stage === '新开工', 'stage redone');

  // Enter on the (read-only) id cell opens the card
  await page.locator(`${row} .ag-cell[col-id="id"]`).click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=project-card]');
  const quote = (await page.textContent('[data-testid=project-quote] blockquote')) ?? '';
  assert.equal(quote, p.quote, 'verbatim plan quote');
  assert.match((await page.textContent('[data-testid=project-quote] figcaption')) ?? '', new RegExp(p.taskId!.replace(/\./g, '\\.')));
  if (p.taskTitle) assert.match((await page.textContent('[data-testid=project-quote] figcaption')) ?? '', new RegExp(p.taskTitle.slice(0, 6)));
  assert.equal(((await page.textContent('[data-testid=project-card-stage]')) ?? '').trim(), '新开工');

  // edit this year's completed investment in the card
  const yr = p.year;
  const yrRow = page.locator(`[data-testid=project-card] [data-testid=project-year-${yr}]`);
  await yrRow.locator('[data-testid=year-planned]').fill('12.5');
  await yrRow.locator('[data-testid=year-completed]').fill('4');
  await page.click('[data-testid=project-card-save]');
  await waitFor(async () => {
    const q = (await app.call('projects.list', {})).find((x) => x.id === p.id)!;
    return q.yearPlanned === 12.5 && q.yearCompleted === 4;
  }, 'year plan saved');
  await dismissToasts(page);
  await page.mouse.move(5, 890);
  await page.waitForTimeout(300);
  // the card, for looking at while developing (not kept in docs/)
  await page.screenshot({ path: path.join(os.tmpdir(), 'czt-project-card.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=project-card]', { state: 'detached' });

  // a project the plan does not name: added through the form, marked 新增
  await page.click('[data-testid=project-add]');
  await page.waitForSelector('[data-testid=project-add-form]');
  await page.fill('[data-testid=new-project-name]', '湘潭经开区智能制造产业园二期');
  await page.selectOption('[data-testid=new-project-category]', '产业');
  await page.click('[data-testid=new-project-save]');
  await page.waitForSelector('[data-testid=project-add-form]', { state: 'detached' });
  const added = (await app.call('projects.list', {})).find((x) => x.name === '湘潭经开区智能制造产业园二期');
  assert.ok(added && added.added && added.source === 'user' && added.category === '产业', 'added project saved as 新增');
  await page.waitForSelector(`[data-testid=projects-grid] .ag-row[row-id="${added.id}"] [data-testid=badge-added]`);

  await page.locator(`${row} .ag-cell[col-id="id"]`).click({ position: { x: 10, y: 10 } });
  await dismissToasts(page);
  await page.mouse.move(5, 890);
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotFile('screenshot-projects.png') });
});

test('projects: a paste with one bad cell changes nothing; dashboard project bars open the filtered grid', { skip }, async () => {
  const before = await app.call('projects.list', {});
  const [a, b] = before;
  await page.locator(`[data-testid=projects-grid] .ag-row[row-id="${a.id}"] .ag-cell[col-id="stage"]`).click();
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, '续建\r\n开工了\r\n');
  await page.locator('[data-testid=toast]', { hasText: '未粘贴任何内容' }).waitFor();
  const after1 = await app.call('projects.list', {});
  assert.equal(after1.find((x) => x.id === a.id)!.stage, a.stage);
  assert.equal(after1.find((x) => x.id === b.id)!.stage, b.stage);
  await dismissToasts(page);

  await page.click('[data-testid=nav-dashboard]');
  const bar = page.locator('[data-testid=dash-invest-bar]').first();
  await bar.waitFor();
  const category = await bar.getAttribute('data-category');
  await bar.click();
  await page.waitForSelector('[data-testid=projects-external-filter]');
  const want = (await app.call('projects.list', {})).filter((p) => p.category === category).map((p) => p.id).sort();
  await waitFor(async () => /已筛选 (\d+) 个/.exec((await page.textContent('[data-testid=projects-status]')) ?? '')?.[1] === String(want.length), 'filtered project count');
  await page.click('[data-testid=projects-external-filter] button');
});

test('indicators: entering a value changes the status; the chart and years are shown', { skip }, async () => {
  await page.click('[data-testid=nav-indicators]');
  await page.waitForSelector('[data-testid=indicators-list] [data-testid=indicator-row]');
  const inds = await app.call('indicators.list', {});
  const i01 = inds.find((i) => i.name.includes('城镇化率') && i.direction === '≈')!;
  assert.equal(i01.status, '无数据');
  await page.click(`[data-testid=indicator-row][data-id="${i01.id}"]`);
  await page.waitForSelector(`[data-testid=indicator-detail][data-id="${i01.id}"]`);
  assert.equal(await page.locator('[data-testid=indicator-chart]').count(), 1);
  assert.equal(((await page.textContent('[data-testid=indicator-quote] blockquote')) ?? '').trim(), i01.quote);

  // far below the target: 滞后
  const y24 = page.locator('[data-testid=indicator-year-2024]');
  await y24.locator('[data-testid=year-value]').fill('80');
  await y24.locator('[data-testid=year-source]').fill('省统计公报');
  await y24.locator('[data-testid=year-value]').press('Enter');
  await waitFor(async () => ((await page.textContent('[data-testid=indicator-detail-status]')) ?? '') === '滞后', 'status 滞后');
  // 2025 at the target: 达标
  const y25 = page.locator('[data-testid=indicator-year-2025]');
  await y25.locator('[data-testid=year-value]').fill('81.8');
  await y25.locator('[data-testid=year-save]').click();
  await waitFor(async () => ((await page.textContent('[data-testid=indicator-detail-status]')) ?? '') === '达标', 'status 达标');
  assert.equal(
    await page.locator(`[data-testid=indicator-row][data-id="${i01.id}"]`).getAttribute('data-status'),
    '达标',
    'the list shows the new status',
  );
  const saved = (await app.call('indicators.list', {})).find((i) => i.id === i01.id)!;
  assert.equal(saved.status, '达标');
  assert.deepEqual(saved.actuals.map((a) => [a.year, a.value, a.source]), [
    [2024, 80, '省统计公报'],
    [2025, 81.8, ''],
  ]);
  assert.equal(await page.locator('[data-testid=indicator-chart] [data-testid=chart-point]').count(), 2);

  // empty clears a year
  await y25.locator('[data-testid=year-value]').fill('');
  await y25.locator('[data-testid=year-save]').click();
  await waitFor(async () => ((await page.textContent('[data-testid=indicator-detail-status]')) ?? '') === '滞后', 'back to 滞后');
  assert.equal((await app.call('indicators.list', {})).find((i) => i.id === i01.id)!.actuals.length, 1);

  // qualitative indicators take no number
  const q = inds.find((i) => i.kind === 'qualitative');
  if (q) {
    await page.click(`[data-testid=indicator-row][data-id="${q.id}"]`);
    await page.waitForSelector('[data-testid=indicator-qualitative]');
    assert.ok(await page.locator('[data-testid=indicator-year-2024] [data-testid=year-value]').isDisabled());
  }
  await dismissToasts(page);
});
