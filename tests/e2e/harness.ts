// Starts the real app for a browser test: a fresh database from seeds/, the test bridge
// serving the built renderer, and Debian's Chromium driven by Playwright.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../electron/bridge/server';
import { initWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/services/context';
import { setIdentity } from '../../electron/services/settings';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { fromJsonText } from '../../shared/ipc/json-text';

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

export async function startApp(
  opts: {
    identity?: { name: string; unit: string };
    dbPath?: string;
    width?: number;
    height?: number;
    /** let a test inject a script tag (axe-core) past the renderer's Content-Security-Policy */
    bypassCSP?: boolean;
  } = {},
): Promise<App> {
  const staticDir = path.join(ROOT, 'out', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-e2e-'));
  const dbPath = opts.dbPath ?? path.join(dir, 'workbench.db');
  if (!opts.dbPath) {
    const db = initWorkbenchDb(dbPath);
    if (opts.identity) setIdentity(contextFor(db), opts.identity);
    db.close();
  }
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
