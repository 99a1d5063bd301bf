// Launches an INSTALLED app (the installers workflow sets CZT_PACKAGED_EXE after installing the
// .deb, the AppImage or the NSIS installer) on a fresh database and checks that its window opens,
// loads from app:// and answers over IPC. The packaged executable has its fuses flipped (no Node
// inspector, no RunAsNode), so Playwright's _electron cannot attach; Chromium's DevTools protocol
// (--remote-debugging-port) can, and that is what this test uses. Skipped where no installed app is
// named (the build machines, and npm test everywhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const exe = process.env.CZT_PACKAGED_EXE;

test('the installed app opens its window on a fresh database and answers over IPC', { skip: !exe && 'CZT_PACKAGED_EXE not set: runs in the installers workflow after installing', timeout: 180_000 }, async () => {
  assert.ok(fs.existsSync(exe!), `${exe} is not installed`);
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-installed-'));
  const port = 9300 + Math.floor(Math.random() * 500);
  const child = spawn(exe!, [`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'], {
    env: { ...process.env, CZT_USER_DATA: userData, ELECTRON_RUN_AS_NODE: '' },
    stdio: 'inherit',
  });
  try {
    let browser;
    for (let i = 0; i < 120 && !browser; i++) {
      browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => undefined);
      if (!browser) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(browser, 'the app opened a DevTools endpoint');
    const page = await (async () => {
      for (let i = 0; i < 120; i++) {
        const p = browser.contexts().flatMap((c) => c.pages()).find((pg) => pg.url().startsWith('app://'));
        if (p) return p;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error('no window loaded from app://');
    })();
    await page.getByText('任务分工').first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await page.title(), '长株潭规划工作台');
    const info = (await page.evaluate(async () => {
      const g = globalThis as unknown as { czt: { invoke: (c: string, i: unknown) => Promise<unknown> } };
      return g.czt.invoke('app.info', {});
    })) as { ok: boolean; value?: { shell: string; dbPath: string } };
    assert.equal(info.ok, true, JSON.stringify(info));
    assert.equal(info.value?.shell, 'electron');
    assert.equal(path.dirname(info.value!.dbPath), path.resolve(userData), 'the database lives under userData');
    assert.equal(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).require), 'undefined');
    await browser.close();
  } finally {
    child.kill();
    fs.rmSync(userData, { recursive: true, force: true });
  }
});
