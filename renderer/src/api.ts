// The only way the renderer talks to the main side.
// In Electron the preload exposes window.czt (WorkbenchApi); in web mode (test bridge)
// we POST to /api/invoke with the session token from the page URL.
import type {
  IpcErrorCode,
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  IpcResult,
  WorkbenchApi,
} from '../../shared/ipc/contract';
import { fromJsonTextInTasks } from '../../shared/ipc/json-text';
import { callFrames, FrameReader } from '../../shared/ipc/socket-frames';

declare global {
  interface Window {
    czt?: WorkbenchApi;
  }
}

const TOKEN_KEY = 'czt-token';

function webToken(): string {
  try {
    const q = new URLSearchParams(window.location.search).get('token');
    if (q) {
      sessionStorage.setItem(TOKEN_KEY, q);
      return q;
    }
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

export class ApiError extends Error {
  code: IpcErrorCode;
  constructor(code: IpcErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'ApiError';
  }
}

// Web mode: one WebSocket to the bridge carries every call and the push events (as Electron's one
// IPC pipe does); opened on first use, opened again on the next call after it closed.
type Reply = IpcResult<unknown>;
let socket: WebSocket | null = null;
let socketOpen: Promise<WebSocket> | null = null;
let nextId = 1;
const pending = new Map<number, (r: Reply) => void>();

function failAll(message: string) {
  for (const [id, done] of pending) {
    pending.delete(id);
    done({ ok: false, error: { code: 'NETWORK', message } });
  }
}

function openSocket(): Promise<WebSocket> {
  if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
  if (socketOpen) return socketOpen;
  socketOpen = new Promise<WebSocket>((resolve, reject) => {
    const url = new URL('/api/ws', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', webToken());
    const ws = new WebSocket(url);
    ws.onopen = () => {
      socket = ws;
      socketOpen = null;
      resolve(ws);
    };
    // a long answer comes in several frames (shared/ipc/socket-frames.ts)
    const reader = new FrameReader();
    ws.onmessage = (m: MessageEvent<string>) => {
      const msg = reader.push(m.data) as { id?: number; result?: Reply; event?: EventName; payload?: unknown } | undefined;
      if (!msg) return;
      if (typeof msg.id === 'number') {
        const done = pending.get(msg.id);
        pending.delete(msg.id);
        done?.(msg.result ?? { ok: false, error: { code: 'INTERNAL', message: '服务返回了无法识别的结果' } });
      } else if (msg.event) for (const f of webListeners.get(msg.event) ?? []) f(msg.payload);
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      if (socketOpen) {
        socketOpen = null;
        reject(new Error('closed'));
      }
      failAll('与服务的连接已断开，请检查程序是否仍在运行');
    };
  });
  return socketOpen;
}

async function invokeWeb<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
): Promise<IpcResult<ChannelOutput<C>>> {
  let ws: WebSocket;
  try {
    ws = await openSocket();
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: '无法连接到服务，请检查程序是否仍在运行' } };
  }
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve as (r: Reply) => void);
    sendFrames(ws, callFrames(id, channel, input));
  });
}

/**
 * The frames of one message, in order: a long one (an import's file, megabytes of base64) a frame
 * per task, so sending it is no long task; the messages after it wait their turn.
 */
let sending: Promise<void> = Promise.resolve();
function sendFrames(ws: WebSocket, frames: string[]) {
  const send = async () => {
    for (let i = 0; i < frames.length; i++) {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.send(frames[i]);
      if (i < frames.length - 1) await nextTask();
    }
  };
  // a send that fails (the socket closed: its calls are failed by onclose) does not stop the next ones
  sending = sending.then(send).catch(() => undefined);
}

/** Resolves in a later task (a message to ourselves: no 4 ms timer clamp), so the page can draw and take input between. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** Call a channel; throws an ApiError carrying the Chinese message when the call fails. */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = window.czt ? await window.czt.invoke(channel, input) : await invokeWeb(channel, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  // a large result (an import preview) comes as JSON text, its long arrays parsed a piece per task
  return fromJsonTextInTasks(result.value, nextTask);
}

// Web mode: push events come over the same socket (the bridge has no menu: menu.command never comes).
const BRIDGE_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['export.progress']);
const webListeners = new Map<EventName, Set<(payload: unknown) => void>>();

function onEventWeb(event: EventName, cb: (payload: unknown) => void): () => void {
  if (!BRIDGE_EVENTS.has(event)) return () => {};
  let set = webListeners.get(event);
  if (!set) webListeners.set(event, (set = new Set()));
  set.add(cb);
  // open the socket now, so that the events of a call made next are not missed
  void openSocket().catch(() => undefined);
  return () => set.delete(cb);
}

/** Subscribe to push events from the main side (Electron: the preload; web: the bridge's event stream). */
export function onEvent(event: EventName, cb: (payload: unknown) => void): () => void {
  if (window.czt) return window.czt.on(event, cb);
  return onEventWeb(event, cb);
}

/** Resolves once the web socket is open (at once in Electron), so no early event is missed. */
export function eventsReady(): Promise<void> {
  if (window.czt) return Promise.resolve();
  return openSocket().then(
    () => undefined,
    () => undefined,
  );
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || '操作失败';
  return String(e);
}

// keep the token in sessionStorage from the first load
webToken();

/**
 * The address of an exported file as a download from the web bridge (its list entry, with the
 * session token: a link cannot send a header); null inside Electron, where files are saved by
 * the save dialog and shown in their folder.
 */
export function exportDownloadUrl(id: number): string | null {
  if (window.czt) return null;
  const url = new URL('/api/download', window.location.href);
  url.searchParams.set('id', String(id));
  url.searchParams.set('token', webToken());
  return url.pathname + url.search;
}

/**
 * A chosen file as a call sends it: in Electron its path (the main side reads it, the bytes do not
 * cross IPC), in web mode (no paths) its content as base64.
 */
export async function fileForCall(f: File, base64: (f: File) => Promise<string>): Promise<{ name: string; path: string } | { name: string; base64: string }> {
  const p = window.czt?.filePath?.(f);
  return p ? { name: f.name, path: p } : { name: f.name, base64: await base64(f) };
}
