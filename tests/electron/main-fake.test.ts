// Runs the BUILT main process (out/main/index.js) under plain Node against a fake 'electron'
// module, with the real database code and the Node build of better-sqlite3. Electron itself
// cannot start on the build machines; this exercises everything main does around it: the
// startup order, the window options, the app:// protocol handler and its CSP, the IPC origin
// check, the navigation/permission locks, the menu, and the error box on a bad database.
//
// The built file is copied into a temp project (tmp/out/main/index.js) so that app.getAppPath()
// is the temp folder: no build-electron/ there, so better-sqlite3 loads its Node build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadMain, makeFakeElectron, type Handler } from './fake-electron';

const root = path.resolve(import.meta.dirname, '..', '..');
const builtMain = path.join(root, 'out', 'main', 'index.js');
const rootRequire = createRequire(path.join(root, 'package.json'));

/** Load a fresh copy of the built main with the fake electron; returns the world. */
async function bootMain(opts: { prepareUserData?: (dir: string) => void } = {}) {
  assert.ok(fs.existsSync(builtMain), 'run `npx electron-vite build` first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-main-'));
  fs.mkdirSync(path.join(tmp, 'out', 'main'), { recursive: true });
  const mainFile = path.join(tmp, 'out', 'main', 'index.js');
  // the whole build folder: index.js, the import worker and the chunks they share
  fs.cpSync(path.dirname(builtMain), path.dirname(mainFile), { recursive: true });
  fs.symlinkSync(path.join(root, 'out', 'renderer'), path.join(tmp, 'out', 'renderer'), 'junction');
  fs.symlinkSync(path.join(root, 'out', 'preload'), path.join(tmp, 'out', 'preload'), 'junction');
  fs.symlinkSync(path.join(root, 'seeds'), path.join(tmp, 'seeds'), 'junction');
  // the worker threads (export, import) resolve their dependencies from the copied folder
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'junction');
  const userData = path.join(tmp, 'userData');
  fs.mkdirSync(userData);
  opts.prepareUserData?.(userData);

  const world = makeFakeElectron(tmp, path.join(tmp, 'wrong-userData'));
  const prevEnv = process.env.CZT_USER_DATA;
  process.env.CZT_USER_DATA = userData;
  try {
    // npm dependencies of the copied main come from the real project
    loadMain(mainFile, world, (request) => rootRequire.resolve(request));
  } finally {
    if (prevEnv === undefined) delete process.env.CZT_USER_DATA;
    else process.env.CZT_USER_DATA = prevEnv;
  }
  const cleanup = () => {
    for (const fn of world.appEvents.get('will-quit') ?? []) fn();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { world, tmp, userData, cleanup };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

test('main under a fake Electron: startup, window, protocol, IPC, locks, menu', async () => {
  const { world, userData, cleanup } = await bootMain();
  try {
    // before ready: userData from CZT_USER_DATA, app:// privileged, no window yet
    assert.equal(world.paths.get('userData'), userData);
    assert.deepEqual(
      (world.privileged as { scheme: string }[]).map((p) => p.scheme),
      ['app'],
    );
    assert.equal(world.windows.length, 0);
    assert.ok(world.appEvents.has('second-instance'));
    assert.ok(world.appEvents.has('web-contents-created'));

    world.ready();
    await tick();
    assert.deepEqual(world.errorBoxes, [], 'no error box on a normal start');
    assert.deepEqual(world.exits, []);
    assert.ok(fs.existsSync(path.join(userData, 'czt-workbench.db')), 'the database is created under userData');

    // the window
    assert.equal(world.windows.length, 1);
    const w = world.windows[0];
    assert.equal(w.options.title, '长株潭规划工作台');
    assert.equal(w.options.width, 1400);
    assert.equal(w.options.height, 900);
    const wp = w.options.webPreferences;
    assert.equal(wp.contextIsolation, true);
    assert.equal(wp.sandbox, true);
    assert.equal(wp.nodeIntegration, false);
    assert.equal(wp.webSecurity, true);
    assert.ok(fs.existsSync(wp.preload), `preload ${wp.preload} exists`);
    assert.equal(w.url, 'app://workbench/index.html');
    assert.equal(w.shown, true);

    // app:// protocol
    const handle = world.protocolHandlers.get('app');
    assert.ok(handle, 'app:// handler registered');
    const res = (await handle({ url: 'app://workbench/index.html' })) as Response;
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'; script-src 'self';/);
    assert.match(await res.text(), /长株潭规划工作台/);
    for (const bad of ['app://workbench/../../package.json', 'app://workbench/..%2f..%2fpackage.json', 'app://other/index.html']) {
      const r = (await handle({ url: bad })) as Response;
      assert.ok(r.status === 403 || r.status === 404, `${bad} -> ${r.status}`);
      assert.doesNotMatch(await r.text(), /czt-plan-workbench/);
    }
    assert.equal(((await handle({ url: 'app://workbench/nope.js' })) as Response).status, 404);

    // IPC: one channel, origin-checked, then the real dispatcher
    assert.deepEqual([...world.ipc.keys()], ['czt:invoke']);
    const invoke = world.ipc.get('czt:invoke')!;
    const forbidden = await invoke({ senderFrame: { url: 'https://evil.example/' } }, 'app.info', {});
    assert.deepEqual(forbidden, { ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知来源的请求' } });
    assert.equal((await invoke({ senderFrame: null }, 'app.info', {})).ok, false);
    assert.equal((await invoke({ senderFrame: { url: 'file:///etc/passwd' } }, 'app.info', {})).ok, false);
    const info = await invoke({ senderFrame: { url: 'app://workbench/index.html' } }, 'app.info', {});
    assert.equal(info.ok, true, JSON.stringify(info));
    assert.equal(info.value.shell, 'electron');
    assert.equal(info.value.dbPath, path.join(userData, 'czt-workbench.db'));
    assert.equal(info.value.version, '0.0.0-test');
    const unknown = await invoke({ senderFrame: { url: 'app://workbench/index.html' } }, 'no.such', {});
    assert.equal(unknown.ok, false);
    // an export goes through the save dialog, which asks before replacing a file (Linux does not by default)
    const saved = await invoke({ senderFrame: { url: 'app://workbench/index.html' } }, 'export.run', { kind: 'indicators.xlsx' });
    assert.deepEqual(saved, { ok: true, value: null }, JSON.stringify(saved));
    assert.equal(world.saveDialogs.length, 1);
    assert.ok(world.saveDialogs[0].properties.includes('showOverwriteConfirmation'), JSON.stringify(world.saveDialogs[0]));

    // permissions and remote content
    const answers: boolean[] = [];
    world.permissionRequest!({ getURL: () => 'app://workbench/index.html' }, 'media', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'app://workbench/index.html',
    });
    world.permissionRequest!({ getURL: () => 'https://evil/' }, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'https://evil/',
    });
    assert.deepEqual(answers, [false, false]);
    const cancel: boolean[] = [];
    world.beforeRequest!({ url: 'https://example.com/x.js' }, (r: { cancel: boolean }) => cancel.push(r.cancel));
    assert.deepEqual(cancel, [true]);

    // every web contents: navigation, window.open and webviews refused
    const events = new Map<string, Handler>();
    let openHandler: Handler | undefined;
    const contents = { on: (ev: string, fn: Handler) => events.set(ev, fn), setWindowOpenHandler: (fn: Handler) => (openHandler = fn) };
    for (const fn of world.appEvents.get('web-contents-created')!) fn({}, contents);
    let prevented = 0;
    const ev = { preventDefault: () => prevented++ };
    events.get('will-navigate')!(ev, 'https://example.com/');
    events.get('will-attach-webview')!(ev, {}, {});
    assert.equal(prevented, 2);
    assert.deepEqual(openHandler!({ url: 'https://example.com/' }), { action: 'deny' });

    // the Chinese menu
    const labels = world.menuTemplate!.map((m: { label: string }) => m.label).filter((l: string) => l !== '长株潭规划工作台');
    assert.deepEqual(labels, ['文件', '编辑', '转到', '视图', '帮助']);
    const sub = (i: number) => world.menuTemplate!.find((m: { label: string }) => m.label === labels[i]).submenu.map((s: { label?: string }) => s.label).filter(Boolean);
    assert.deepEqual(sub(0), ['退出']);
    assert.deepEqual(sub(1), ['撤销', '重做', '剪切', '复制', '粘贴', '全选']);
    assert.deepEqual(sub(2), ['统计看板', '规划全文', '任务分工', '重点项目', '目标指标', '方案起草', '导出', '导入', '部门管理', '操作记录', '设置', '检索规划全文']);
    assert.deepEqual(sub(3).slice(0, 5), ['重新加载', '实际大小', '放大', '缩小', '全屏']);
    // not packaged is not development: no devtools without CZT_DEVTOOLS=1 or electron-vite dev
    assert.ok(!sub(3).includes('开发者工具'), JSON.stringify(sub(3)));
    assert.equal(w.options.webPreferences.devTools, false);
    assert.deepEqual(sub(4), ['关于']);
    // 撤销 goes to the renderer (grid undo or a text field's own), its accelerator left to the page
    const undo = world.menuTemplate!.find((m: { label: string }) => m.label === '编辑').submenu[0];
    assert.equal(undo.registerAccelerator, false);
    undo.click();
    assert.deepEqual(world.sent.at(-1), ['czt:event:menu.command', 'undo']);

    // closing the window: held until the page has sent its unsaved edits and they are answered
    const closeHandlers = w.handlers.get('close') ?? [];
    assert.equal(closeHandlers.length, 1, 'a close handler');
    let held = 0;
    closeHandlers[0]({ preventDefault: () => held++ });
    assert.equal(held, 1, 'the first close is held');
    assert.deepEqual(world.sent.at(-1), ['czt:event:app.closing', null], 'the page is asked to save');
    // the page's save arrives after the request, and is answered before the window closes
    const save = invoke({ senderFrame: { url: 'app://workbench/index.html' } }, 'app.info', {});
    closeHandlers[0]({ preventDefault: () => held++ });
    assert.equal(held, 2, 'a second close while waiting is held too, without asking again');
    assert.equal(world.sent.filter(([c]) => c === 'czt:event:app.closing').length, 1);
    assert.equal((await save).ok, true);
    for (let i = 0; i < 100 && w.closeCalls === 0; i++) await tick();
    assert.equal(w.closeCalls, 1, 'then the window is closed');
    closeHandlers[0]({ preventDefault: () => held++ });
    assert.equal(held, 2, 'that close goes through');
  } finally {
    cleanup();
  }
});

test('main under a fake Electron: a database that cannot be opened gives a Chinese error box and exits once', async () => {
  const { world, cleanup } = await bootMain({
    // a folder where the database file should be: SQLite cannot open it
    prepareUserData: (dir) => fs.mkdirSync(path.join(dir, 'czt-workbench.db')),
  });
  try {
    world.ready();
    await tick();
    assert.equal(world.errorBoxes.length, 1, 'one error box');
    assert.equal(world.errorBoxes[0].title, '无法打开数据库');
    assert.match(world.errorBoxes[0].content, /czt-workbench\.db/);
    assert.match(world.errorBoxes[0].content, /程序将退出/);
    assert.deepEqual(world.exits, [1], 'exits with code 1, once');
    assert.equal(world.windows.length, 0, 'no window');
    assert.equal(world.ipc.size, 0, 'no IPC handler');
  } finally {
    cleanup();
  }
});
