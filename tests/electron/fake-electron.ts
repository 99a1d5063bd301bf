// A fake 'electron' module for running the BUILT main process under plain Node, where Electron
// itself cannot start: it records what main asks of Electron (windows, IPC handlers, protocol
// handlers, menus, error boxes) so that a test can look and call in. Used by
// tests/electron/main-fake.test.ts (the development build) and scripts/pack-check.ts (the packaged app).
import os from 'node:os';
import path from 'node:path';
import Module, { builtinModules, createRequire } from 'node:module';

export type Handler = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FakeWorld {
  electron: Record<string, unknown>;
  appEvents: Map<string, Handler[]>;
  windows: { options: any; url?: string; shown: boolean; handlers: Map<string, Handler[]>; closeCalls: number }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  sent: [string, unknown][];
  ipc: Map<string, Handler>;
  errorBoxes: { title: string; content: string }[];
  exits: number[];
  quits: number;
  protocolHandlers: Map<string, Handler>;
  permissionRequest?: Handler;
  permissionCheck?: Handler;
  beforeRequest?: Handler;
  menuTemplate?: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  saveDialogs: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  privileged: unknown[];
  paths: Map<string, string>;
  ready: () => void;
}

export function makeFakeElectron(appPath: string, userData: string, opts: { isPackaged?: boolean } = {}): FakeWorld {
  const appEvents = new Map<string, Handler[]>();
  let readyResolve!: () => void;
  const readyPromise = new Promise<void>((r) => (readyResolve = r));
  let isReady = false;
  const world: FakeWorld = {
    electron: {},
    appEvents,
    windows: [],
    sent: [],
    ipc: new Map(),
    errorBoxes: [],
    exits: [],
    quits: 0,
    protocolHandlers: new Map(),
    saveDialogs: [],
    privileged: [],
    paths: new Map([['userData', userData]]),
    ready: () => {
      isReady = true;
      readyResolve();
    },
  };
  const app = {
    isPackaged: opts.isPackaged ?? false,
    getAppPath: () => appPath,
    getPath: (n: string) => world.paths.get(n) ?? path.join(os.tmpdir(), n),
    setPath: (n: string, p: string) => world.paths.set(n, p),
    getVersion: () => '0.0.0-test',
    enableSandbox: () => {},
    requestSingleInstanceLock: () => true,
    on: (ev: string, fn: Handler) => {
      if (!appEvents.has(ev)) appEvents.set(ev, []);
      appEvents.get(ev)!.push(fn);
      return app;
    },
    whenReady: () => readyPromise,
    isReady: () => isReady,
    quit: () => {
      world.quits++;
    },
    exit: (code = 0) => {
      world.exits.push(code);
    },
  };
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    rec: FakeWorld['windows'][number];
    webContents = { send: (channel: string, payload: unknown) => world.sent.push([channel, payload]), isDestroyed: () => false };
    constructor(options: unknown) {
      this.rec = { options, shown: false, handlers: new Map(), closeCalls: 0 };
      world.windows.push(this.rec);
      BrowserWindow.all.push(this);
    }
    once(ev: string, fn: Handler) {
      if (ev === 'ready-to-show') queueMicrotask(() => fn());
      return this;
    }
    on(ev: string, fn: Handler) {
      if (!this.rec.handlers.has(ev)) this.rec.handlers.set(ev, []);
      this.rec.handlers.get(ev)!.push(fn);
      return this;
    }
    close() {
      this.rec.closeCalls++;
    }
    isDestroyed() {
      return false;
    }
    show() {
      this.rec.shown = true;
    }
    focus() {}
    isMinimized() {
      return false;
    }
    restore() {}
    async loadURL(url: string) {
      this.rec.url = url;
    }
  }
  const ses = {
    setPermissionRequestHandler: (fn: Handler) => (world.permissionRequest = fn),
    setPermissionCheckHandler: (fn: Handler) => (world.permissionCheck = fn),
    webRequest: {
      onBeforeRequest: (_filter: unknown, fn: Handler) => (world.beforeRequest = fn),
      onHeadersReceived: () => {},
    },
    protocol: { handle: (scheme: string, fn: Handler) => world.protocolHandlers.set(scheme, fn) },
  };
  world.electron = {
    app,
    BrowserWindow,
    dialog: {
      showErrorBox: (title: string, content: string) => world.errorBoxes.push({ title, content }),
      showMessageBox: async () => ({ response: 0 }),
      // the options the save dialog was opened with; the person cancels
      showSaveDialog: async (...args: unknown[]) => {
        world.saveDialogs.push(args.at(-1));
        return { canceled: true };
      },
    },
    ipcMain: { handle: (ch: string, fn: Handler) => world.ipc.set(ch, fn) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => world.privileged.push(...s),
      handle: (scheme: string, fn: Handler) => world.protocolHandlers.set(scheme, fn),
    },
    session: { defaultSession: ses },
    Menu: {
      buildFromTemplate: (t: unknown[]) => {
        world.menuTemplate = t;
        return { template: t };
      },
      setApplicationMenu: () => {},
    },
  };
  return world;
}

/**
 * Loads the main bundle at `mainFile` with `world`'s fake electron in place of the real one.
 * `resolveDep` may redirect an npm package the bundle requires (e.g. to the project's node_modules
 * for a copied build); by default packages resolve from where the bundle is.
 */
export function loadMain(mainFile: string, world: FakeWorld, resolveDep?: (request: string) => string): void {
  const builtins = new Set(builtinModules);
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const origLoad = M._load;
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'electron') return world.electron;
    const from = (parent as { filename?: string } | null)?.filename;
    if (resolveDep && from && from.startsWith(path.dirname(mainFile) + path.sep) && !request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('node:') && !builtins.has(request)) {
      return origLoad.call(this, resolveDep(request), parent, isMain);
    }
    return origLoad.call(this, request, parent, isMain);
  };
  try {
    createRequire(mainFile)(mainFile);
  } finally {
    M._load = origLoad;
  }
}
