// Checks the BUILT main process (out/main/index.js) and its source: better-sqlite3 stays an
// external require (it is native and loaded with an Electron-ABI nativeBinding), and the window
// keeps its hardening flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const built = path.join(root, 'out', 'main', 'index.js');
const source = path.join(root, 'electron', 'main', 'index.ts');

function read(file: string): string {
  assert.ok(fs.existsSync(file), `${path.relative(root, file)} is missing${file === built ? ': run `npx electron-vite build` first' : ''}`);
  return fs.readFileSync(file, 'utf8');
}

test('out/main/index.js exists and is CommonJS', () => {
  const code = read(built);
  assert.match(code, /require\(["']electron["']\)/);
  assert.doesNotMatch(code, /^\s*import\s[^(]/m);
  assert.doesNotMatch(code, /^\s*export\s/m);
  assert.doesNotMatch(code, /\bimport\.meta\b/, 'import.meta must be rewritten in CommonJS output');
});

/** index.js and the chunks it shares with the worker entries */
function mainBundle(): string {
  const chunks = path.join(root, 'out', 'main', 'chunks');
  const files = fs.existsSync(chunks) ? fs.readdirSync(chunks).filter((f) => f.endsWith('.js')).map((f) => path.join(chunks, f)) : [];
  return [built, ...files].map(read).join('\n');
}

test('better-sqlite3 stays external (native module, not bundled)', () => {
  const code = mainBundle();
  assert.match(code, /require\(["']better-sqlite3["']\)/, 'better-sqlite3 must be required at run time');
  assert.doesNotMatch(code, /node_modules\/better-sqlite3\/lib/, 'better-sqlite3 sources must not be bundled');
  assert.doesNotMatch(code, /require\(["']bindings["']\)/, "better-sqlite3's loader must not be bundled");
});

test('the window keeps its hardening, in the source and in the build', () => {
  for (const [label, code] of [
    ['source', read(source)],
    ['build', read(built)],
  ] as const) {
    for (const re of [
      /contextIsolation:\s*true/,
      /sandbox:\s*true/,
      /nodeIntegration:\s*false/,
      /webSecurity:\s*true/,
      /webviewTag:\s*false/,
    ]) {
      assert.match(code, re, `${label}: ${re}`);
    }
    assert.doesNotMatch(code, /nodeIntegration:\s*true/, `${label}: nodeIntegration must never be true`);
    assert.doesNotMatch(code, /contextIsolation:\s*false/, `${label}: contextIsolation must never be false`);
    assert.doesNotMatch(code, /sandbox:\s*false/, `${label}: sandbox must never be false`);
    assert.doesNotMatch(code, /webSecurity:\s*false/, `${label}: webSecurity must never be false`);
  }
});

test('the main process locks navigation, new windows, permissions, webviews and IPC senders', () => {
  const code = read(source);
  for (const needle of [
    'requestSingleInstanceLock',
    "'second-instance'",
    "'will-navigate'",
    "'will-attach-webview'",
    'setWindowOpenHandler',
    "action: 'deny'",
    'setPermissionRequestHandler',
    'registerSchemesAsPrivileged',
    'protocol.handle',
    "'Content-Security-Policy'",
    "ipcMain.handle(INVOKE_CHANNEL",
    'senderFrame',
    "'FORBIDDEN'",
    'showErrorBox',
    "'czt-workbench.db'",
    "getPath('userData')",
    'CZT_USER_DATA',
  ]) {
    assert.ok(code.includes(needle), `electron/main/index.ts should contain ${needle}`);
  }
  assert.doesNotMatch(code, /exposeInMainWorld|remote\b.*require/, 'no remote module, no exposure from main');
});

test('the preload path and the renderer folder the build points at exist', () => {
  assert.ok(fs.existsSync(path.join(root, 'out', 'preload', 'index.js')), 'out/preload/index.js');
  assert.ok(fs.existsSync(path.join(root, 'out', 'renderer', 'index.html')), 'out/renderer/index.html');
  const html = fs.readFileSync(path.join(root, 'out', 'renderer', 'index.html'), 'utf8');
  assert.doesNotMatch(html, /(src|href)="\/(?!\/)/, 'renderer assets must be relative (base "./") to load from app://');
});
