// Electron main process: one hardened window, one IPC entry point, one database.
// Keep this file small and plain: it cannot be started on the build machines, so it is
// checked by typecheck, lint, the build tests and the _electron launch test in CI.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, Menu, type WebContents } from 'electron';
import type { IpcResult } from '../../shared/ipc/contract';
import { openWorkbenchDb } from '../db/open';
import { createDispatcher, type Platform } from '../services/dispatch';
import { APP_TITLE, buildMenu } from './menu';
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
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // keep our title even if the page sets <title>
  win.on('page-title-updated', (e) => e.preventDefault());
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

function openDatabase(): ReturnType<typeof openWorkbenchDb> | null {
  const dbPath = path.join(app.getPath('userData'), 'czt-workbench.db');
  const binding = electronNativeBindingPath(appRoot);
  try {
    return openWorkbenchDb(dbPath, {
      nativeBinding: fs.existsSync(binding) ? binding : undefined,
      seedIfEmpty: true,
      seedsDir: app.isPackaged ? path.join(process.resourcesPath, 'seeds') : path.join(appRoot, 'seeds'),
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const abiHint = /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF|not a valid Win32/i.test(msg)
      ? '\n\n数据库组件（better-sqlite3）不是为本版 Electron 编译的。请在项目目录运行 node scripts/electron-native.mjs 后重试。'
      : '';
    dialog.showErrorBox(
      '无法打开数据库',
      `长株潭规划工作台无法打开数据文件：\n${dbPath}\n\n原因：${msg}${abiHint}\n\n程序将退出。数据文件未被改动；如问题持续，请联系维护人员并附上本提示。`,
    );
    return null;
  }
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
      };
      const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      await fs.promises.writeFile(r.filePath, buffer);
      return r.filePath;
    },
    // only ever called with a path this session wrote (checked by the dispatcher)
    showInFolder: async (file) => {
      shell.showItemInFolder(file);
      return true;
    },
  };
}

function start(): void {
  const db = openDatabase();
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
  const dbPath = path.join(app.getPath('userData'), 'czt-workbench.db');
  const dispatch = createDispatcher(db, { shell: 'electron', dbPath, version: app.getVersion() }, desktopPlatform());

  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, input: unknown): Promise<IpcResult<unknown>> => {
    const frame = event.senderFrame;
    if (!frame || !isAppUrl(frame.url, devUrl)) return forbidden();
    try {
      return await dispatch(channel, input);
    } catch (err) {
      console.error('[czt] dispatch failed', err);
      return { ok: false, error: { code: 'INTERNAL', message: '内部错误，操作未完成' } };
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
  app.whenReady().then(start, (err: unknown) => {
    dialog.showErrorBox('启动失败', `长株潭规划工作台无法启动：${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
}
