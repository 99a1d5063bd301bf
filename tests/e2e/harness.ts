// Starts the real app for a browser test: a fresh database from seeds/, the test bridge
// serving the built renderer, and Debian's Chromium driven by Playwright. appPerFile is the
// start-up every browser test file shares (skip without Chromium, start in before(), close in
// after(), an export folder); waitFor and measureMap are the helpers they all use.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../electron/bridge/server';
import type { MeasureRow } from '../../shared/domain';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { fromJsonText } from '../../shared/ipc/json-text';
import { freshDb } from '../support/db';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Where a screenshot for the README goes: docs/ when asked for (UPDATE_SCREENSHOTS=1, as
 * `npm run screenshots` sets it), else a temporary folder, so that a test run leaves the work tree
 * as it found it.
 */
export function screenshotFile(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs') : path.join(os.tmpdir(), 'czt-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export interface App {
  page: Page;
  browser: Browser;
  url: string;
  dbPath: string;
  bridge: Bridge;
  /** call a service exactly as the renderer does, throwing on { ok: false } */
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  dispatch: Bridge['dispatch'];
  close(): Promise<void>;
}

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export interface StartOptions {
  identity?: { name: string; unit: string };
  dbPath?: string;
  width?: number;
  height?: number;
  /** let a test inject a script tag (axe-core) past the renderer's Content-Security-Policy */
  bypassCSP?: boolean;
}

export async function startApp(opts: StartOptions = {}): Promise<App> {
  const staticDir = path.join(ROOT, 'out', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build` first');
  // the shared fresh database (nobody signed in unless asked: the first start's question)
  const fresh = opts.dbPath ? null : freshDb({ identity: opts.identity ?? null, prefix: 'czt-e2e-' });
  fresh?.db.close();
  const dir = fresh?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'czt-e2e-'));
  const dbPath = opts.dbPath ?? fresh!.file;
  const bridge = await startBridge({ dbPath, staticDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1600, height: opts.height ?? 900 }, locale: 'zh-CN', bypassCSP: opts.bypassCSP ?? false });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(bridge.url);
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>) => {
    const r = await bridge.dispatch(channel, input);
    if (!r.ok) throw new Error(r.error.message);
    return fromJsonText(r.value) as ChannelOutput<C>;
  };
  return {
    page,
    browser,
    url: bridge.url,
    dbPath,
    bridge,
    call,
    dispatch: bridge.dispatch,
    close: async () => {
      await browser.close();
      await bridge.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface AppFileOptions extends Omit<StartOptions, 'dbPath'> {
  /**
   * a folder for the bridge's exports (CZT_EXPORT_DIR, read when the bridge starts, so set here,
   * while the file loads), named after this; removed after the file's tests
   */
  exports?: string;
  /** programs the tests also need (/usr/bin/python3): without one they are skipped, saying which */
  needs?: string[];
  /** make the database the app opens (a generated ledger); by default a fresh one from seeds/ */
  database?: () => string | Promise<string>;
}

export interface AppFile {
  /** false, or why this file's tests are skipped: pass it as each test's `skip` */
  skip: string | false;
  /** the folder the bridge writes exports to ('' unless `exports` was given) */
  exportDir: string;
}

/**
 * One app for the tests of a file: started in before() (then `started` runs, where the file keeps
 * the app and page and prepares its data as staff would, through the services) and closed in
 * after(), with its export folder. Nothing starts when the tests are skipped. The preparation goes
 * in `started` rather than in a before() of the file's own: Node 20 starts a file's before() hooks
 * together, so a second one would not wait for the app.
 */
export function appPerFile(opts: AppFileOptions, started: (app: App) => void | Promise<void>): AppFile {
  const missing = [CHROMIUM, ...(opts.needs ?? [])].filter((p) => !fs.existsSync(p));
  const skip = missing.length ? `not installed: ${missing.join(', ')}` : false;
  const exportDir = opts.exports ? fs.mkdtempSync(path.join(os.tmpdir(), `czt-e2e-${opts.exports}-`)) : '';
  if (exportDir) process.env.CZT_EXPORT_DIR = exportDir;
  let app: App | undefined;
  before(async () => {
    if (skip) return;
    const { exports: _exports, needs: _needs, database, ...start } = opts;
    const dbPath = database ? await database() : undefined;
    app = await startApp({ ...start, ...(dbPath ? { dbPath } : {}) });
    await started(app);
  });
  after(async () => {
    if (app) await app.close();
    if (exportDir) fs.rmSync(exportDir, { recursive: true, force: true });
  });
  return { skip, exportDir };
}

/** Polls `fn` every 100 ms until it holds; fails the test naming `what` after `ms`. */
export async function waitFor(fn: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Every measure of the ledger by id, read through the services as the grid reads it. */
export async function measureMap(app: App): Promise<Map<string, MeasureRow>> {
  const list = await app.call('measures.list', {});
  return new Map(list.map((m) => [m.id, m]));
}

/** Closes the toasts on screen, so that they cover nothing a test clicks or photographs next. */
export async function dismissToasts(page: Page): Promise<void> {
  for (const b of await page.locator('[data-testid=toast] .toast-close').all()) await b.click({ timeout: 1000 }).catch(() => {});
  await page.locator('[data-testid=toast]').first().waitFor({ state: 'detached', timeout: 3000 }).catch(() => {});
}
