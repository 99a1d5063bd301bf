// Launches the real desktop app with Playwright's _electron, where the Electron binary exists
// (CI: .github/workflows/ci.yml runs this under xvfb-run). Elsewhere it reports itself skipped.
// Needs `npx electron-vite build` and, for the database, `node scripts/electron-native.mjs`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const SKIP_REASON =
  'Electron binary not installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); launch test runs where it is';


type Probe = { czt: string; invoke: string; on: string; require: string; process: string; ipcRenderer: string };

test('the desktop app starts, shows its window and answers over IPC', { timeout: 180_000 }, async (t) => {
  const bin = electronBinary(root);
  if (!bin) {
    t.skip(SKIP_REASON);
    return;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    t.skip('no display: run this test under xvfb-run (xvfb-run -a npx tsx --test tests/electron/launch.test.ts)');
    return;
  }
  assert.ok(fs.existsSync(path.join(root, 'out', 'main', 'index.js')), 'run `npx electron-vite build` first');
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL;
  env.CZT_USER_DATA = userData;

  // args [root]: Electron reads package.json "main" (out/main/index.js), so app.getAppPath()
  // is the project folder as with `npm start`
  const app = await _electron.launch({ executablePath: bin, args: [root], env, cwd: root, timeout: 90_000 });
  try {
    const win = await app.firstWindow({ timeout: 90_000 });
    await win.waitForLoadState('domcontentloaded');

    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    assert.equal(title, '长株潭规划工作台');
    assert.match(win.url(), /^app:\/\/workbench\//, 'the renderer loads from the app:// protocol');

    await win.getByText('任务分工').first().waitFor({ state: 'visible', timeout: 60_000 });

    const probe = (await win.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const czt = g.czt as Record<string, unknown> | undefined;
      return {
        czt: typeof czt,
        invoke: typeof czt?.invoke,
        on: typeof czt?.on,
        require: typeof g.require,
        process: typeof g.process,
        ipcRenderer: typeof czt?.ipcRenderer,
      };
    })) as Probe;
    assert.deepEqual(probe, {
      czt: 'object',
      invoke: 'function',
      on: 'function',
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
    });

    const info = (await win.evaluate(async () => {
      const g = globalThis as unknown as { czt: { invoke: (c: string, i: unknown) => Promise<unknown> } };
      return g.czt.invoke('app.info', {});
    })) as { ok: boolean; value?: { shell: string; dbPath: string; measureCount: number } };
    assert.equal(info.ok, true, JSON.stringify(info));
    assert.equal(info.value?.shell, 'electron');
    assert.equal(path.dirname(info.value!.dbPath), path.resolve(userData), 'the database lives under userData');
    assert.ok(fs.existsSync(path.join(userData, 'czt-workbench.db')));

    const unknown = (await win.evaluate(async () => {
      const g = globalThis as unknown as { czt: { invoke: (c: string, i: unknown) => Promise<unknown> } };
      return g.czt.invoke('no.such.channel', {});
    })) as { ok: boolean; error?: { code: string } };
    assert.equal(unknown.ok, false);

    const opened = await win.evaluate(() => {
      const g = globalThis as unknown as { open: (u: string) => unknown };
      return g.open('https://example.com/') === null;
    });
    assert.equal(opened, true, 'window.open is denied');
    assert.equal(app.windows().length, 1);
  } finally {
    await app.close().catch(() => {});
    fs.rmSync(userData, { recursive: true, force: true });
  }
});
