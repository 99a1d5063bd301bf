// Sandboxed preload: built to ONE CommonJS file that requires only 'electron'
// (tests/electron/preload-build.test.ts checks the built file). Exposes window.czt with
// invoke(channel, input), on(event, cb) and filePath(file) — never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENTS } from '../../shared/ipc/events';
import type { WorkbenchApi } from '../../shared/ipc/contract';

const allowedEvents: ReadonlySet<string> = new Set<string>(EVENTS);

const api: WorkbenchApi = {
  invoke: (channel, input) => ipcRenderer.invoke('czt:invoke', channel, input),
  on: (event, cb) => {
    if (typeof event !== 'string' || !allowedEvents.has(event) || typeof cb !== 'function') {
      throw new TypeError(`未知事件：${String(event)}`);
    }
    // the listener drops Electron's event object so nothing from ipcRenderer leaks out
    const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload);
    const name = `czt:event:${event}`;
    ipcRenderer.on(name, listener);
    return () => {
      ipcRenderer.removeListener(name, listener);
    };
  },
  // only a File the page holds (chosen or dropped by the person) has one
  filePath: (file) => {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('czt', api);
