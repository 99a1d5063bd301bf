// Electron main process: one hardened window, one IPC entry point, one database.
// Keep this file small and plain: it cannot be started on the build machines, so it is
// checked by typecheck, lint, the build tests and the _electron launch test in CI.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, Menu, type WebContents } from 'electron';
import type { IpcResult } from '../../shared/ipc/contract';
import { openWorkbenchDb } from '../db/open';
import { createDispatcher } from '../ipc/router';
import type { Platform } from '../ipc/platform';
import { desktopUpdater } from './updates';
import { changeMark, createBackup, useNativeBinding } from '../db/backup';
import { openWithRecovery } from './recovery';
import { useExportNativeBinding } from '../export/offthread';
import type { Database } from 'better-sqlite3';
import { APP_TITLE, buildMenu, devToolsEnabled } from './menu';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CSP,
  devCsp,
  electronNativeBindingPath,
  isAppUrl,
  mimeOf,
  resolveAppFile,
} from './security';

const INVOKE_CHANNEL = 'czt:invoke';

/** out/main (the built file's folder); in CommonJS output electron-vite maps this to __dirname */
const mainDir = import.meta.dirname;
const rendererDir = path.join(mainDir, '..', 'renderer');
const preloadFile = path.join(mainDir, '..', 'preload', 'index.js');
/** project root in development (out/main/../..), the app folder when packaged */
const appRoot = app.isPackaged ? app.getAppPath() : path.resolve(mainDir, '..', '..');
/** in development electron-vite serves the renderer from this URL */
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

// Tests (and careful users) can point the app at another data folder. Must happen before
// 'ready' and before the single-instance lock, which is keyed on userData.
if (process.env.CZT_USER_DATA) {
  fs.mkdirSync(process.env.CZT_USER_DATA, { recursive: true });
  app.setPath('userData', path.resolve(process.env.CZT_USER_DATA));
}

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;
let closeDb: (() => void) | null = null;
/** calls from the page being answered now (the window waits for them before it closes) */
let callsInFlight = 0;
/** after asking the page to save: how long its saves take to arrive at most, and the longest wait */
const CLOSE_GRACE_MS = 250;
const CLOSE_LIMIT_MS = 5000;

/** Resolves once the page's calls have arrived and been answered (or after CLOSE_LIMIT_MS). */
async function callsSettled(): Promise<void> {
  const end = Date.now() + CLOSE_LIMIT_MS;
  await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS));
  while (callsInFlight > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

function forbidden(): IpcResult<never> {
  return { ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知来源的请求' } };
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: APP_TITLE,
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    webPreferences: {
      // electronegativity PRELOAD_JS_CHECK: the sandboxed preload exposes only invoke(channel, input) and on(event, cb) through contextBridge, never ipcRenderer (electron/preload/index.ts; its built file is checked by tests/electron/preload-build.test.ts)
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // outside development no devtools at all (not only no menu item: no shortcut either)
      devTools: devToolsEnabled(),
      spellcheck: false,
      navigateOnDragDrop: false,
      // no middle-click opening links in new windows (fixes electronegativity's AUXCLICK_JS_CHECK)
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  // keep our title even if the page sets <title>
  win.on('page-title-updated', (e) => e.preventDefault());
  // Before the window goes, the page is asked to send what it has not saved yet (a draft's text
  // inside its pause before saving, a title not yet left): its saves arrive as ordinary calls while
  // the window still exists. Calls sent while a page is torn down can come from a frame already gone,
  // and are refused by the origin check.
  let flushed = false;
  let flushing = false;
  win.on('close', (event) => {
    if (flushed || win.webContents.isDestroyed()) return;
    event.preventDefault();
    if (flushing) return;
    flushing = true;
    win.webContents.send('czt:event:app.closing', null);
    void callsSettled().finally(() => {
      flushed = true;
      if (!win.isDestroyed()) win.close();
    });
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devUrl ?? APP_ENTRY_URL);
  return win;
}

/** Every web contents (window, devtools aside) gets the same locks. */
function harden(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    // in-page navigation (hash/history) does not come here; full navigations are refused
    event.preventDefault();
    console.warn(`[czt] navigation refused: ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    console.warn(`[czt] window.open refused: ${url}`);
    return { action: 'deny' };
  });
}

function setUpSession(): void {
  const ses = session.defaultSession;
  // No camera, microphone, geolocation, notifications, …; only writing text to the
  // clipboard (copying a plan citation) from our own pages.
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const ok = permission === 'clipboard-sanitized-write' && isAppUrl(details.requestingUrl ?? wc.getURL(), devUrl);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => {
    return permission === 'clipboard-sanitized-write' && isAppUrl(requestingOrigin, devUrl);
  });
  // No remote content: only our protocol (and the dev server in development).
  ses.webRequest.onBeforeRequest({ urls: ['*://*/*'] } /* http, https, ws, wss */, (details, cb) => {
    cb({ cancel: !isAppUrl(details.url, devUrl) });
  });
  if (devUrl) {
    const policy = devCsp(devUrl);
    ses.webRequest.onHeadersReceived((details, cb) => {
      const headers = { ...details.responseHeaders };
      // electronegativity CSP_GLOBAL_CHECK: development only; the policy is devCsp() from security.ts, a constant list of directives (no unsafe-eval) that the checker cannot read through a variable; the built app sends CSP from security.ts, covered by tests/electron/security.test.ts
      if (isAppUrl(details.url, devUrl)) headers['Content-Security-Policy'] = [policy];
      cb({ responseHeaders: headers });
    });
  }
  // app://workbench/… -> files under out/renderer, nothing else
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Forbidden', { status: 403 });
    try {
      const body = await fs.promises.readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': mimeOf(file),
          'Content-Security-Policy': CSP,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-cache',
        },
      });
    } catch {
      return new Response('Not Found', { status: 404 });
    }
  });
}

const DB_FILE = 'czt-workbench.db';

/** Open the database; a damaged one gets the recovery dialog (recovery.ts), never a crash loop. */
async function openDatabase(): Promise<ReturnType<typeof openWorkbenchDb> | null> {
  const dbPath = path.join(app.getPath('userData'), DB_FILE);
  // packaged: better-sqlite3 built for Electron's ABI sits outside app.asar (electron-builder.yml,
  // extraResources); in development scripts/electron-native.mjs builds it into build-electron/
  const binding = app.isPackaged ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node') : electronNativeBindingPath(appRoot);
  const nativeBinding = fs.existsSync(binding) ? binding : undefined;
  // backups and restores open extra connections: with the same native build
  useNativeBinding(nativeBinding);
  // and so does the export worker's read-only connection
  useExportNativeBinding(nativeBinding);
  const open = () =>
    openWorkbenchDb(dbPath, {
      nativeBinding,
      seedIfEmpty: true,
      seedsDir: app.isPackaged ? path.join(process.resourcesPath, 'seeds') : path.join(appRoot, 'seeds'),
    });
  let abiHint = '';
  try {
    return open();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    abiHint = /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF|not a valid Win32/i.test(msg)
      ? '\n\n数据库组件（better-sqlite3）不是为本版 Electron 编译的。请在项目目录运行 node scripts/electron-native.mjs 后重试。'
      : '';
  }
  return openWithRecovery(dbPath, open, abiHint);
}

/** Every 30 minutes while the app runs, a backup if anything changed since the last one. */
const AUTO_BACKUP_MS = 30 * 60 * 1000;
let lastBackupMark = '';
let backupBusy: Promise<unknown> | null = null;
let exitBackupDone = false;

function backupIfChanged(db: Database, dbPath: string, kind: 'auto' | 'on-exit'): Promise<unknown> {
  if (backupBusy) return backupBusy;
  let mark: string;
  try {
    mark = changeMark(db);
  } catch {
    return Promise.resolve();
  }
  if (mark === lastBackupMark) return Promise.resolve();
  backupBusy = createBackup(db, dbPath, kind)
    .then(() => {
      lastBackupMark = mark;
    })
    .catch((e: unknown) => console.error(`[czt] ${kind} backup failed`, e))
    .finally(() => {
      backupBusy = null;
    });
  return backupBusy;
}

/** Files go where the person says in a native save dialog; the folder opens in the file manager. */
function desktopPlatform(): Platform {
  return {
    saveFile: async (fileName, buffer) => {
      const ext = path.extname(fileName).slice(1);
      const options = {
        title: '保存导出文件',
        defaultPath: path.join(app.getPath('documents'), fileName),
        filters: [{ name: ext === 'docx' ? 'Word 文档' : 'Excel 工作簿', extensions: [ext] }],
        // Linux's dialog replaces an existing file silently unless asked to confirm
        properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
      };
      const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      await fs.promises.writeFile(r.filePath, buffer);
      return r.filePath;
    },
    chooseFolder: async (suggestedName) => {
      const options = { title: '选择下发文件夹（将在其中新建一个文件夹）', defaultPath: app.getPath('documents'), properties: ['openDirectory' as const, 'createDirectory' as const] };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      if (r.canceled || !r.filePaths[0]) return null;
      return path.join(r.filePaths[0], suggestedName);
    },
    // 佐证材料: only a copy the dispatcher wrote to a temporary folder, its extension that of its checked type
    openFile: async (file) => (await shell.openPath(file)) === '',
    // only ever called with a path this session wrote (checked by the dispatcher)
    showInFolder: async (file) => {
      shell.showItemInFolder(file);
      return true;
    },
    // export.progress and the like: to the one window (the preload passes on only EVENTS)
    emit: (event, payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(`czt:event:${event}`, payload);
    },
    updater: desktopUpdater(),
  };
}

async function start(): Promise<void> {
  const db = await openDatabase();
  if (!db) {
    // no window, no retry loop: leave with an error code
    app.exit(1);
    return;
  }
  closeDb = () => {
    try {
      db.close();
    } catch {
      /* already closed */
    }
  };
  const dbPath = path.join(app.getPath('userData'), DB_FILE);
  const dispatch = createDispatcher(db, { shell: 'electron', dbPath, version: app.getVersion() }, desktopPlatform());

  // what is in the file now needs no backup until something changes
  try {
    lastBackupMark = changeMark(db);
  } catch {
    /* the first change triggers one */
  }
  const timer = setInterval(() => void backupIfChanged(db, dbPath, 'auto'), AUTO_BACKUP_MS);
  timer.unref?.();
  // on exit: one quick online backup if anything changed (seconds at most for our sizes)
  app.on('before-quit', (event) => {
    if (exitBackupDone) return;
    event.preventDefault();
    exitBackupDone = true;
    clearInterval(timer);
    const limit = new Promise((r) => setTimeout(r, 15000));
    void Promise.race([backupIfChanged(db, dbPath, 'on-exit'), limit]).finally(() => app.quit());
  });

  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<IpcResult<unknown>> => {
    const frame = event.senderFrame;
    if (!frame || !isAppUrl(frame.url, devUrl)) return forbidden();
    callsInFlight++;
    try {
      const res = await dispatch(channel, input);
      if (channel === 'backup.restore' && res.ok) {
        // the restored data is in the file; start afresh on it (no exit backup: the replaced data is kept as before-restore)
        exitBackupDone = true;
        setTimeout(() => {
          closeDb?.();
          app.relaunch();
          app.exit(0);
        }, 800);
      }
      return res;
    } catch (err) {
      console.error('[czt] dispatch failed', err);
      return { ok: false, error: { code: 'INTERNAL', message: '内部错误，操作未完成' } };
    } finally {
      callsInFlight--;
    }
  });

  setUpSession();
  Menu.setApplicationMenu(buildMenu(() => mainWindow));
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_e, contents) => harden(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (app.isReady() && closeDb && !mainWindow) mainWindow = createWindow();
  });
  app.on('will-quit', () => closeDb?.());
  app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('启动失败', `长株潭规划工作台无法启动：${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
}
