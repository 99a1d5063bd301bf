// Checks the BUILT preload (out/preload/index.js, from `npx electron-vite build`): a sandboxed
// preload must be one CommonJS script that requires only 'electron', and it must expose
// window.czt = { invoke, on, filePath } and never ipcRenderer itself. The file is also executed in a
// vm context against a fake 'electron' to check what it really exposes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const root = path.resolve(import.meta.dirname, '..', '..');
const file = path.join(root, 'out', 'preload', 'index.js');

function readBuilt(): string {
  assert.ok(fs.existsSync(file), `${path.relative(root, file)} is missing: run \`npx electron-vite build\` first`);
  return fs.readFileSync(file, 'utf8');
}

test('the preload is a single file', () => {
  readBuilt();
  const files = fs.readdirSync(path.dirname(file)).filter((f) => /\.(c|m)?js$/.test(f));
  assert.deepEqual(files, ['index.js'], 'out/preload must hold exactly one script (no chunks)');
});

test('the preload is CommonJS: it compiles as a classic script (no import/export, no import.meta)', () => {
  const code = readBuilt();
  assert.doesNotThrow(
    () => new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${code}\n})`, { filename: file }),
    'out/preload/index.js must not contain ES module syntax',
  );
  assert.doesNotMatch(code, /^\s*(import|export)\s[^(]/m, 'no top-level import/export statement');
  assert.doesNotMatch(code, /\bimport\s*\(/, 'no dynamic import()');
});

test("every require() in the preload is require('electron')", () => {
  const code = readBuilt();
  const requires = [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1].trim());
  assert.ok(requires.length >= 1, 'the preload should require electron');
  for (const r of requires) assert.match(r, /^["']electron["']$/, `unexpected require(${r})`);
});

test('the preload exposes czt = { invoke, on, filePath } through contextBridge, never ipcRenderer', async () => {
  const code = readBuilt();
  assert.doesNotMatch(code, /exposeInMainWorld\([^)]*ipcRenderer\s*\)/, 'ipcRenderer passed to exposeInMainWorld');

  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: 'pong' };
    },
    on: (ch: string, fn: (...a: unknown[]) => void) => {
      if (!listeners.has(ch)) listeners.set(ch, new Set());
      listeners.get(ch)!.add(fn);
    },
    removeListener: (ch: string, fn: (...a: unknown[]) => void) => listeners.get(ch)?.delete(fn),
    send: () => assert.fail('send must not be used'),
    sendSync: () => assert.fail('sendSync must not be used'),
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => {
        exposed[key] = value;
      },
    },
    ipcRenderer,
    webUtils: { getPathForFile: (f: { path?: string }) => f.path ?? '' },
  };
  const fakeRequire = (id: string) => {
    assert.equal(id, 'electron', `the preload required '${id}'`);
    return electron;
  };
  const mod = { exports: {} };
  const sandbox = vm.createContext({ console, Promise, Set, Map, TypeError, Error, Object, Array, JSON, Symbol, Reflect });
  const fn = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {\n${code}\n})`, sandbox, {
    filename: file,
  }) as (...a: unknown[]) => void;
  fn(mod.exports, fakeRequire, mod, file, path.dirname(file));

  assert.deepEqual(Object.keys(exposed), ['czt'], 'exactly one global is exposed: czt');
  const api = exposed.czt as Record<string, unknown>;
  assert.deepEqual(Object.keys(api).sort(), ['filePath', 'invoke', 'on']);
  for (const v of Object.values(api)) {
    assert.notEqual(v, ipcRenderer);
    assert.notEqual(v, ipcRenderer.invoke);
    assert.notEqual(v, ipcRenderer.on);
  }

  // a chosen file's path, through webUtils (so a returned ledger is read by the main side, not sent over IPC)
  const filePath = api.filePath as (f: unknown) => string;
  assert.equal(filePath({ path: '/home/u/报送.xlsx' }), '/home/u/报送.xlsx');

  const invoke = api.invoke as (c: string, i: unknown) => Promise<unknown>;
  assert.deepEqual(await invoke('app.info', {}), { ok: true, value: 'pong' });
  assert.deepEqual(invoked, [['czt:invoke', 'app.info', {}]]);

  const on = api.on as (e: string, cb: (p: unknown) => void) => () => void;
  const got: unknown[] = [];
  const off = on('menu.command', (p) => got.push(p));
  const set = listeners.get('czt:event:menu.command');
  assert.equal(set?.size, 1);
  for (const l of set!) l({ sender: ipcRenderer }, { command: 'x' });
  assert.deepEqual(got, [{ command: 'x' }], 'the callback gets the payload only, not the Electron event');
  off();
  assert.equal(set!.size, 0, 'unsubscribe removes the listener');
  assert.throws(() => on('czt:invoke', () => {}), /未知事件/);
  assert.throws(() => on('__proto__', () => {}), /未知事件/);
});
