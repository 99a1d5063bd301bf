// 导出中心 with a large ledger (20,000 generated measures), through the bridge: the export runs in
// the worker, the page shows its progress (n / total 行, the bar filling), and 取消 stops it with
// 已取消导出 and no file. (How long the UI freezes meanwhile is a benchmark figure:
// electron/bench/freeze.ts, not a timed test.)
// Run: npx electron-vite build && node scripts/run-tests.mjs tests/e2e/export-progress.test.ts
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { haveChromium, startApp, type App } from './harness';
import { generateDatabase } from '../../electron/bench/generate';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { setIdentity } from '../../electron/services/settings';

const skip = haveChromium() ? false : 'Chromium not installed';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-e2e-xp-'));
const exportDir = path.join(work, 'exports');
// the bridge writes exports here: set before it starts
process.env.CZT_EXPORT_DIR = exportDir;
const files = () => (fs.existsSync(exportDir) ? fs.readdirSync(exportDir) : []);

let app: App;
let page: Page;

before(async () => {
  if (skip) return;
  const dbPath = path.join(work, 'big.db');
  generateDatabase(dbPath, { measures: 20_000, projects: 200, seed: 7 });
  const db = openWorkbenchDb(dbPath, { quickCheck: false });
  setIdentity(contextFor(db), { name: '李娜', unit: '省发展改革委' });
  db.close();
  app = await startApp({ dbPath });
  page = app.page;
  await page.waitForSelector('[data-testid=nav-export]', { timeout: 60000 });
  await page.click('[data-testid=nav-export]');
  await page.check('[data-testid=export-kind] input[value="ledger.xlsx"]');
});

after(async () => {
  if (app) await app.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('the ledger export shows rows written of the total on a filling bar, then the result', { skip }, async () => {
  // record what the progress line and the bar show, from inside the page
  await page.evaluate(() => {
    const w = window as unknown as { __seen: { text: string; value: string | null }[] };
    w.__seen = [];
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid=export-progress-text]');
      const bar = document.querySelector('[data-testid=export-progress-bar]');
      if (t) w.__seen.push({ text: t.textContent ?? '', value: bar?.getAttribute('aria-valuenow') ?? null });
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.click('[data-testid=export-run]');
  await page.waitForSelector('[data-testid=export-cancel]', { timeout: 10000 });
  await page.waitForSelector('[data-testid=export-result]', { timeout: 180000 });
  assert.equal(await page.locator('[data-testid=export-progress]').count(), 0, 'progress gone when done');
  const seen = await page.evaluate(() => (window as unknown as { __seen: { text: string; value: string | null }[] }).__seen);
  const rowsLines = seen.filter((s) => /正在写入《任务分工台账》：[\d,]+ \/ [\d,]+ 行/.test(s.text));
  assert.ok(rowsLines.length >= 1, `row progress shown: ${JSON.stringify(seen.slice(0, 20))}`);
  const values = seen.map((s) => Number(s.value)).filter((v) => Number.isFinite(v) && v > 0);
  assert.ok(values.length >= 1, 'the bar has a value while rows are written');
  const total = Number(rowsLines[0].text.match(/\/ ([\d,]+) 行/)![1].replace(/,/g, ''));
  assert.ok(total > 20_000);
  assert.match((await page.locator('[data-testid=export-result]').textContent()) ?? '', new RegExp(`${total} 行措施`));
  assert.equal(files().length, 1);
});

test('取消 stops the export: 已取消导出, no file written, and exporting again works', { skip }, async () => {
  const before = files();
  await page.click('[data-testid=export-run]');
  await page.waitForSelector('[data-testid=export-cancel]', { timeout: 10000 });
  await page.click('[data-testid=export-cancel]');
  await page.waitForSelector('[data-testid=export-cancelled]', { timeout: 30000 });
  assert.match((await page.locator('[data-testid=export-cancelled]').textContent()) ?? '', /已取消导出/);
  assert.equal(await page.locator('[data-testid=export-progress]').count(), 0);
  assert.equal(await page.locator('[data-testid=export-error]').count(), 0);
  await page.waitForTimeout(1000);
  assert.deepEqual(files(), before, 'nothing written');
  assert.equal(await page.locator('[data-testid=export-run]').isEnabled(), true);
});
