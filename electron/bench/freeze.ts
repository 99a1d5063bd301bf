/* eslint-disable no-restricted-globals -- the functions handed to page.evaluate run in Chromium, not in Node */
// How long the UI freezes during an export and an import, as the person would feel it. The real
// renderer (out/renderer) runs in Chromium against the web bridge started IN THIS PROCESS, so
// this process is the one that serves IPC (as the Electron main process does in the app). While
// the person's action runs (clicking 导出 in 导出中心; choosing a returned ledger in 导入 and
// applying it) we record:
// - the event-loop delay of this process: a 10 ms setInterval whose late firings are the delay,
//   cross-checked with perf_hooks.monitorEventLoopDelay; the maximum is reported;
// - in the page, every 'longtask' (PerformanceObserver, tasks over 50 ms on the renderer's main
//   thread); the longest is reported.
// For comparison, the same export run in-process on this thread (how exports ran before
// electron/export/worker.ts) is sampled the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { startBridge } from '../bridge/server';
import { openWorkbenchDb } from '../db/open';
import { contextFor } from '../core/context';
import { setIdentity } from '../services/settings';
import { produceExport } from '../ipc/transfers';
import { CHROMIUM } from './browser';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export interface FreezeFigure {
  /** wall time of the action, click → result shown */
  ms: number;
  /** largest event-loop delay of the IPC-serving process (setInterval sampler) */
  mainMaxMs: number;
  /** the same from monitorEventLoopDelay (its max, less its 10 ms resolution) */
  mainHistMaxMs: number;
  /** longest task on the renderer's main thread (0: none over 50 ms) */
  rendererLongestMs: number;
  rendererLongTasks: number;
}

export interface FreezeFigures {
  /** the same sampling for 3 s with nothing to do, on the export page: the machine's noise floor */
  idle: FreezeFigure;
  exportLedger: FreezeFigure & { rows: number };
  /** the same export on this thread (before the worker): what the IPC process would have felt */
  exportInProcess: { ms: number; mainMaxMs: number };
  importPreview: FreezeFigure & { rows: number };
  importApply: FreezeFigure;
}

/** Samples this process's event loop until stop(). */
function sampleEventLoop() {
  const hist = monitorEventLoopDelay({ resolution: 10 });
  hist.enable();
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    max = Math.max(max, t - last - 10);
    last = t;
  }, 10);
  return {
    stop(): { mainMaxMs: number; mainHistMaxMs: number } {
      clearInterval(timer);
      // a delay still under way when the action ended counts too
      max = Math.max(max, performance.now() - last - 10);
      hist.disable();
      return { mainMaxMs: Math.max(0, max), mainHistMaxMs: Math.max(0, hist.max / 1e6 - 10) };
    },
  };
}

/** Installed before the app's scripts: collects long tasks into window.__longTasks. */
function watchLongTasks() {
  const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Run action (in the page) while sampling both sides; long tasks counted from its start. */
async function during(page: Page, action: () => Promise<void>): Promise<FreezeFigure> {
  const from = await page.evaluate(() => performance.now());
  const s = sampleEventLoop();
  const t0 = performance.now();
  await action();
  const ms = performance.now() - t0;
  // a long task is reported after it ends: give the observer a frame
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  const main = s.stop();
  const tasks = await page.evaluate((since) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start + t.duration >= since), from);
  return { ms, ...main, rendererLongestMs: Math.max(0, ...tasks.map((t) => t.duration)), rendererLongTasks: tasks.length };
}

export interface FreezeOptions {
  /** the database the ledger export runs on (the benchmark: 100,000 measures) */
  exportDb: string;
  /** the database and returned ledger the import runs on (10,000 changed rows) */
  importDb: string;
  returnedLedger: string;
}

export async function measureFreeze(opts: FreezeOptions): Promise<FreezeFigures> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-freeze-'));
  const prevExportDir = process.env.CZT_EXPORT_DIR;
  process.env.CZT_EXPORT_DIR = path.join(work, 'exports');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    // ---- export: 导出中心 → 任务分工台账 (all measures)
    const exportDb = path.join(work, 'export.db');
    fs.copyFileSync(opts.exportDb, exportDb);
    const exportFigure = await withApp(browser, exportDb, async (page) => {
      await page.click('[data-testid=nav-export]');
      await page.check('[data-testid=export-kind] input[value="ledger.xlsx"]');
      const idle = await during(page, () => page.waitForTimeout(3000));
      const f = await during(page, async () => {
        await page.click('[data-testid=export-run]');
        await page.waitForSelector('[data-testid=export-result]', { timeout: 300_000 });
      });
      const rows = Number(((await page.locator('[data-testid=export-result]').textContent()) ?? '').match(/([\d,]+)\s*行措施/)?.[1]?.replace(/,/g, '') ?? NaN);
      return { idle, f: { ...f, rows } };
    });

    // ---- the same export on this thread (before)
    const inProcess = await (async () => {
      const db = openWorkbenchDb(exportDb, { quickCheck: false });
      try {
        const s = sampleEventLoop();
        const t0 = performance.now();
        await produceExport(contextFor(db), { kind: 'ledger.xlsx' });
        const ms = performance.now() - t0;
        return { ms, mainMaxMs: s.stop().mainMaxMs };
      } finally {
        db.close();
      }
    })();

    // ---- import: 导入 → choose the returned ledger → preview → apply
    const importDb = path.join(work, 'import.db');
    fs.copyFileSync(opts.importDb, importDb);
    const [preview, apply] = await withApp(browser, importDb, async (page) => {
      await page.click('[data-testid=nav-import]');
      // the page starts a reader thread as it opens (import.prepare), which warms up; a person takes
      // longer than this to choose a file
      await page.waitForTimeout(3000);
      const p = await during(page, async () => {
        await page.setInputFiles('[data-testid=import-file]', opts.returnedLedger);
        await page.waitForSelector('[data-testid=import-preview]', { timeout: 300_000 });
      });
      // the preview's own counts (the page draws the changes a page at a time)
      const counted = await page.locator('[data-testid=import-counts] .count b').allTextContents();
      const rows = Number(counted[0] ?? NaN);
      const a = await during(page, async () => {
        await page.click('[data-testid=import-apply]');
        await page.waitForSelector('[data-testid=import-summary]', { timeout: 300_000 });
      });
      return [{ ...p, rows }, a] as const;
    });
    return { idle: exportFigure.idle, exportLedger: exportFigure.f, exportInProcess: inProcess, importPreview: preview, importApply: apply };
  } finally {
    await browser.close();
    if (prevExportDir === undefined) delete process.env.CZT_EXPORT_DIR;
    else process.env.CZT_EXPORT_DIR = prevExportDir;
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function withApp<T>(browser: Awaited<ReturnType<typeof chromium.launch>>, dbPath: string, fn: (page: Page) => Promise<T>): Promise<T> {
  {
    const db = openWorkbenchDb(dbPath, { quickCheck: false });
    setIdentity(contextFor(db), { name: '基准测试', unit: '基准测试' });
    db.close();
  }
  const bridge = await startBridge({ dbPath, staticDir: path.join(path.resolve(import.meta.dirname, '..', '..'), 'out', 'renderer') });
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(`(${watchLongTasks.toString()})()`);
    await page.goto(bridge.url);
    await page.waitForSelector('[data-testid=nav-export]', { timeout: 120_000 });
    // let the start-up work finish before measuring (the dashboard's counts; the allocation grid is
    // mounted only when opened, so no ledger is read in the background any more)
    await page.waitForSelector('[data-testid=dashboard]', { timeout: 120_000 });
    await page.waitForTimeout(1500);
    return await fn(page);
  } finally {
    await context.close();
    await bridge.close();
  }
}

/** `tsx electron/bench/freeze.ts EXPORT_DB IMPORT_DB RETURNED_XLSX`: the figures as JSON. */
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  const [exportDb, importDb, returnedLedger] = process.argv.slice(2);
  measureFreeze({ exportDb, importDb, returnedLedger }).then(
    (r) => process.stdout.write(JSON.stringify(r, null, 1) + '\n'),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
