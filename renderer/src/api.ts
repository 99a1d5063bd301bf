// The only way the renderer talks to the main side.
// In Electron the preload exposes window.czt (WorkbenchApi); in web mode (test bridge)
// we POST to /api/invoke with the session token from the page URL.
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  IpcResult,
  WorkbenchApi,
} from '../../shared/ipc/contract';

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
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'ApiError';
  }
}

async function invokeWeb<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
): Promise<IpcResult<ChannelOutput<C>>> {
  let res: Response;
  try {
    res = await fetch('/api/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-czt-token': webToken() },
      body: JSON.stringify({ channel, input }),
    });
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: '无法连接到服务，请检查程序是否仍在运行' } };
  }
  try {
    return (await res.json()) as IpcResult<ChannelOutput<C>>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: `服务返回了无法识别的结果（HTTP ${res.status}）` } };
  }
}

/** Call a channel; throws an ApiError carrying the Chinese message when the call fails. */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = window.czt ? await window.czt.invoke(channel, input) : await invokeWeb(channel, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}

// Web mode: one EventSource on /api/events (the bridge's Server-Sent Events) while anyone listens
// to an event the bridge sends (it has no menu: menu.command never comes).
const BRIDGE_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['export.progress']);
const webListeners = new Map<EventName, Set<(payload: unknown) => void>>();
let webStream: EventSource | null = null;

function webStreamListenerCount(): number {
  let n = 0;
  for (const set of webListeners.values()) n += set.size;
  return n;
}

function onEventWeb(event: EventName, cb: (payload: unknown) => void): () => void {
  if (!BRIDGE_EVENTS.has(event)) return () => {};
  let set = webListeners.get(event);
  if (!set) webListeners.set(event, (set = new Set()));
  set.add(cb);
  if (!webStream && typeof EventSource !== 'undefined') {
    webStream = new EventSource(`/api/events?token=${encodeURIComponent(webToken())}`);
    webStream.onmessage = (m: MessageEvent<string>) => {
      let msg: { event?: EventName; payload?: unknown };
      try {
        msg = JSON.parse(m.data) as typeof msg;
      } catch {
        return;
      }
      if (msg.event) for (const f of webListeners.get(msg.event) ?? []) f(msg.payload);
    };
  }
  return () => {
    set.delete(cb);
    if (webStreamListenerCount() === 0 && webStream) {
      webStream.close();
      webStream = null;
    }
  };
}

/** Subscribe to push events from the main side (Electron: the preload; web: the bridge's event stream). */
export function onEvent(event: EventName, cb: (payload: unknown) => void): () => void {
  if (window.czt) return window.czt.on(event, cb);
  return onEventWeb(event, cb);
}

/** Resolves once the web event stream is open (at once in Electron), so no early event is missed. */
export function eventsReady(): Promise<void> {
  const s = webStream;
  if (window.czt || !s || s.readyState === EventSource.OPEN) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      s.removeEventListener('open', done);
      s.removeEventListener('error', done);
      resolve();
    };
    s.addEventListener('open', done);
    s.addEventListener('error', done);
  });
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || '操作失败';
  return String(e);
}

// keep the token in sessionStorage from the first load
webToken();
