/* eslint-disable no-restricted-globals -- the functions handed to page.evaluate run in Chromium, not in Node */
// The browser half of the benchmark: the real renderer (out/renderer) in Debian's Chromium,
// against the real services through the test bridge, on a given database. Times are taken
// inside the page (performance.now()), so Playwright's round trips are not in them.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startBridge } from '../bridge/server';
import { openWorkbenchDb } from '../db/open';
import { contextFor } from '../core/context';
import { setIdentity } from '../services/settings';
import { descendants, median, percentile, vmHwmMb } from './measure';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export interface BrowserFigures {
  /** navigation start → DOMContentLoaded (the window is ready) */
  windowReadyMs: number;
  /** navigation start → first measure rows rendered in the allocation grid */
  firstRowsMs: number;
  /** DOMContentLoaded → first measure rows */
  firstRowsAfterReadyMs: number;
  /** DOMContentLoaded → every measure loaded into the grid (rows arrive a page at a time) */
  allRowsAfterReadyMs: number;
  scrollFrameP50: number;
  scrollFrameP95: number;
  scrollFrameMax: number;
  /** typing a filter → rows updated (median over the terms and repeats) */
  filter2Ms: number;
  filter4Ms: number;
  filterClearMs: number;
  /** Enter pressed right after the text is typed (as fast as Playwright types) */
  editP50: number;
  editP95: number;
  edits: number;
  /** Enter pressed once the typed text is drawn (as a person presses it, having seen the text) */
  editSettledP50: number;
  editSettledP95: number;
  editsSettled: number;
  /** peak resident memory of the largest Chromium process (the renderer) and of all of them */
  chromiumRendererPeakMb: number | null;
  chromiumTotalPeakMb: number | null;
}

export interface BrowserOptions {
  dbPath: string;
  rootDir: string;
  edits?: number;
  filterRepeats?: number;
  scrollMs?: number;
}

const FIRST_ROW = '[data-testid=alloc-grid] .ag-row[row-id*="."]';

/** Installed before the app's scripts: notes when the first measure rows appear. */
function watchFirstRows(sel: string) {
  const w = window as unknown as { __firstRows?: number };
  const check = () => {
    if (w.__firstRows === undefined && document.querySelector(sel)) {
      w.__firstRows = performance.now();
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  document.addEventListener('DOMContentLoaded', () => {
    obs.observe(document.body, { childList: true, subtree: true });
    check();
  });
}

async function scrollFrames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(async (dur) => {
    const vp = (document.querySelector('[data-testid=alloc-grid] .ag-body-viewport') ?? document.querySelector('[data-testid=alloc-grid] .ag-body-vertical-scroll-viewport')) as HTMLElement;
    const frames: number[] = [];
    let last = performance.now();
    const end = last + dur;
    await new Promise<void>((resolve) => {
      const step = (t: number) => {
        frames.push(t - last);
        last = t;
        vp.scrollTop += 400;
        if (t < end) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    vp.scrollTop = 0;
    return frames.slice(1);
  }, ms);
}

/**
 * Type a filter (one input event, as a paste or the last keystroke) and wait for the rows. Each
 * term is typed after a pause (a person reads the rows before typing the next term): the grid
 * gathers keystrokes that come faster than its last filter took, and this times one filter.
 */
async function timeFilter(page: Page, text: string): Promise<number> {
  await page.waitForTimeout(400);
  return page.evaluate(async (value) => {
    const input = document.querySelector('[data-testid=filter-text]') as HTMLInputElement;
    const status = document.querySelector('[data-testid=alloc-status]') as HTMLElement;
    const before = status.textContent;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const t0 = performance.now();
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // the status line changes with the row count; two filters with the same count leave it as it was,
    // so the wait is bounded (the figure then includes at most 3 s of waiting and is visibly off)
    await new Promise<void>((resolve) => {
      const poll = () => (status.textContent !== before || performance.now() - t0 > 3000 ? resolve() : requestAnimationFrame(poll));
      poll();
    });
    // the grid paints its new rows in the frames after React's commit
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  }, text);
}

export async function measureBrowser(opts: BrowserOptions): Promise<BrowserFigures> {
  const staticDir = path.join(opts.rootDir, 'out', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build` first');
  {
    const db = openWorkbenchDb(opts.dbPath, { quickCheck: false });
    setIdentity(contextFor(db), { name: '基准测试', unit: '基准测试' });
    db.close();
  }
  const bridge = await startBridge({ dbPath: opts.dbPath, staticDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    // tsx (esbuild keepNames) wraps named functions in __name(): the functions we hand to the page need it
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(`(${watchFirstRows.toString()})(${JSON.stringify(FIRST_ROW)})`);
    await page.goto(`${bridge.url}#alloc`);
    await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined, undefined, { timeout: 120_000 });
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { ready: n.domContentLoadedEventEnd, first: (window as unknown as { __firstRows: number }).__firstRows };
    });

    // the rest of the ledger streams in behind the first screenful: the figures below are taken on all of it
    await page
      .waitForSelector('[data-testid=alloc-status][data-complete=true]', { timeout: 300_000 })
      .catch((e: Error) => {
        throw new Error(`the grid did not finish loading within 300 s (${e.message.split('\n')[0]})`);
      });
    const allRows = await page.evaluate(() => performance.now());

    const frames = await scrollFrames(page, opts.scrollMs ?? 2000);

    const f2: number[] = [];
    const f4: number[] = [];
    const fClear: number[] = [];
    for (let i = 0; i < (opts.filterRepeats ?? 3); i++) {
      for (const t of ['湘江', '轨道交通']) {
        (t.length === 2 ? f2 : f4).push(await timeFilter(page, t));
        fClear.push(await timeFilter(page, ''));
      }
    }

    // edits: keypress (Enter that ends the editor) → the row shows the committed value. Taken two
    // ways, edit by edit in turn: Enter right after the text is typed (a frame drawing the typed
    // text is then often still due, and falls inside the edit's time), and Enter once the typed text
    // has been drawn (as a person presses it, having seen what they typed)
    const editTimes: number[] = [];
    const settledTimes: number[] = [];
    let lostEdits = 0;
    const n = (opts.edits ?? 50) * 2;
    for (let i = 0; i < n; i++) {
      const settle = i % 2 === 1;
      // one of the measure rows at the top of the grid whose 备注 cell is wholly inside the
      // scrolling viewport (not under the header, not cut off at the bottom or the right)
      const target = await page.evaluate(
        async ({ sel, i }) => {
          // each Enter moves the focus down: bring the top of the grid back into view first
          const grid = document.querySelector('[data-testid=alloc-grid]');
          const scroller = grid?.querySelector('.ag-body-viewport') ?? grid?.querySelector('.ag-body-vertical-scroll-viewport');
          const header = grid?.querySelector('.ag-header');
          if (!grid || !scroller || !header) throw new Error('the grid has no vertical scroller or no header');
          scroller.scrollTop = 0;
          // rows may still be moving into place after a filter (row animation): wait up to 3 s for one in view
          const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          await frame();
          const t0 = performance.now();
          for (;;) {
            const box = grid.querySelector('.ag-row[row-id*="."] .ag-cell[col-id="note"]')?.getBoundingClientRect();
            const top = grid.querySelector('.ag-header')!.getBoundingClientRect().bottom;
            if ((box && box.top >= top && box.top < top + 400) || performance.now() - t0 > 3000) break;
            await frame();
          }
          const hscroll = grid.querySelector('.ag-body-horizontal-scroll')?.getBoundingClientRect();
          const v = { top: header.getBoundingClientRect().bottom, bottom: hscroll && hscroll.height > 0 ? hscroll.top : grid.getBoundingClientRect().bottom };
          const center = grid.querySelector('.ag-center-cols-viewport')?.getBoundingClientRect() ?? grid.getBoundingClientRect();
          const all = [...document.querySelectorAll(sel)]
            .map((r) => ({ r, cell: r.querySelector('.ag-cell[col-id="note"]') }))
            .filter((x): x is { r: Element; cell: Element } => !!x.cell)
            .map(({ r, cell }) => ({ id: r.getAttribute('row-id')!, at: Number(r.getAttribute('row-index')), box: cell.getBoundingClientRect() }));
          // wholly inside vertically; horizontally at least 20 px of it visible (we click there)
          const rows = all
            .map((x) => ({ ...x, left: Math.max(x.box.left, center.left), right: Math.min(x.box.right, center.right) }))
            .filter(({ box, left, right }) => box.top >= v.top && box.bottom <= v.bottom && right - left >= 20)
            .sort((a, b) => a.at - b.at);
          if (!rows.length) {
            const seen = all.slice(0, 3).map((x) => `${x.id}@${Math.round(x.box.left)},${Math.round(x.box.top)}–${Math.round(x.box.right)},${Math.round(x.box.bottom)}`);
            throw new Error(`no measure row with a 备注 cell in view (body ${Math.round(v.top)}–${Math.round(v.bottom)}, columns ${Math.round(center.left)}–${Math.round(center.right)}; rendered: ${seen.join(' ') || 'none'})`);
          }
          const row = rows[i % rows.length];
          return { id: row.id, x: (row.left + row.right) / 2, y: row.box.top + row.box.height / 2 };
        },
        { sel: FIRST_ROW, i },
      );
      const rowId = target.id;
      await page.mouse.click(target.x, target.y);
      await page.keyboard.press('Enter');
      await page.waitForSelector('.ag-large-text textarea, .ag-popup-editor textarea', { timeout: 10_000 }).catch((e: Error) => {
        throw new Error(`edit ${i}: the 备注 editor of ${rowId} did not open within 10 s (${e.message.split('\n')[0]})`);
      });
      await page.keyboard.press('Control+A');
      const text = `基准编辑${i}-${Date.now() % 100000}`;
      await page.keyboard.insertText(text);
      await page.evaluate(
        ({ rowId, text }) => {
          const w = window as unknown as { __edit?: Promise<number> };
          w.__edit = new Promise<number>((resolve) => {
            let t0 = 0;
            window.addEventListener('keydown', (e) => e.key === 'Enter' && !t0 && (t0 = performance.now()), { capture: true, once: true });
            const sel = `[data-testid=alloc-grid] .ag-row[row-id="${rowId}"] .ag-cell[col-id="note"]`;
            const done = () => {
              const el = document.querySelector(sel);
              if (t0 && el && el.textContent?.includes(text) && !document.querySelector('.ag-popup-editor')) {
                obs.disconnect();
                resolve(performance.now() - t0);
                return true;
              }
              return false;
            };
            const obs = new MutationObserver(() => void done());
            obs.observe(document.body, { childList: true, subtree: true, characterData: true });
            // an edit that never shows up must not stall the run: NaN, counted and left out of the figures
            setTimeout(() => {
              obs.disconnect();
              resolve(Number.NaN);
            }, 10_000);
          });
        },
        { rowId, text },
      );
      // two animation frames: the one that draws the typed text has run
      if (settle) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.keyboard.press('Enter');
      const ms = await page.evaluate(() => (window as unknown as { __edit: Promise<number> }).__edit);
      if (Number.isFinite(ms)) (settle ? settledTimes : editTimes).push(ms);
      else lostEdits++;
      await page.keyboard.press('Escape');
    }
    if (lostEdits) console.error(`[bench] ${lostEdits} edit(s) did not show up within 10 s and are left out`);

    let rendererPeak: number | null = null;
    let totalPeak: number | null = null;
    {
      // the Chromium processes are this process's descendants
      const mine = descendants(process.pid).filter((p) => {
        try {
          return /chrom/i.test(fs.readFileSync(`/proc/${p}/comm`, 'utf8'));
        } catch {
          return false;
        }
      });
      const peaks = mine.map((p) => vmHwmMb(p)).filter((x): x is number => x !== null);
      if (peaks.length) {
        rendererPeak = Math.max(...peaks);
        totalPeak = peaks.reduce((s, x) => s + x, 0);
      }
    }
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      windowReadyMs: r1(nav.ready),
      firstRowsMs: r1(nav.first),
      firstRowsAfterReadyMs: r1(nav.first - nav.ready),
      allRowsAfterReadyMs: r1(allRows - nav.ready),
      scrollFrameP50: r1(median(frames)),
      scrollFrameP95: r1(percentile(frames, 95)),
      scrollFrameMax: r1(Math.max(...frames)),
      filter2Ms: r1(median(f2)),
      filter4Ms: r1(median(f4)),
      filterClearMs: r1(median(fClear)),
      editP50: r1(median(editTimes)),
      editP95: r1(percentile(editTimes, 95)),
      edits: editTimes.length,
      editSettledP50: r1(median(settledTimes)),
      editSettledP95: r1(percentile(settledTimes, 95)),
      editsSettled: settledTimes.length,
      chromiumRendererPeakMb: rendererPeak,
      chromiumTotalPeakMb: totalPeak,
    };
  } finally {
    await browser.close();
    await bridge.close();
  }
}
