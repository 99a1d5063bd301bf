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

/** Subscribe to push events from the main side (Electron only; no-op on the web). */
export function onEvent(event: EventName, cb: (payload: unknown) => void): () => void {
  if (window.czt) return window.czt.on(event, cb);
  return () => {};
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || '操作失败';
  return String(e);
}

// keep the token in sessionStorage from the first load
webToken();
