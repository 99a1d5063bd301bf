// The test bridge: serves the built renderer and carries `invoke` on 127.0.0.1 to the same
// dispatcher Electron's IPC uses. Only the transport differs from the app: the page keeps one
// WebSocket (/api/ws) open for its calls and the push events, as Electron keeps one IPC pipe
// (a fetch per call cost the page time in Chromium's network stack, and the grid's edit is timed
// through it: docs/bench.md); POST /api/invoke and the /api/events stream serve other clients (tools, tests).
// A random per-run token is required on every call and every socket, and Host/Origin must be
// this server, since any local web page could otherwise reach a loopback port.
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { openWorkbenchDb } from '../db/open';
import { createDispatcher, type Dispatch } from '../ipc/router';
import { folderPlatform } from '../ipc/platform';
import { defaultExportDir, listExports } from '../ipc/transfers';
import { contextFor } from '../core/context';
import type { EventName } from '../../shared/ipc/contract';
import { stopStandbyReader } from '../import/offthread';
import { stopRoundWorker } from '../import/round-offthread';
import { answerFrames, FRAME_CHARS, RequestAssembler } from '../../shared/ipc/socket-frames';

export interface BridgeOptions {
  dbPath: string;
  staticDir: string;
  port?: number;
  token?: string;
  version?: string;
  /** tests: the length above which a message is split into frames */
  frameChars?: number;
  /** tests: called as the socket takes each frame from the page */
  onFrame?: () => void;
}

export interface Bridge {
  url: string;
  token: string;
  dispatch: Dispatch;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** Bad request: a URL or path nothing can make sense of. The bridge answers and goes on. */
const BAD_REQUEST = JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '请求无效' } });

/**
 * The request's URL, or null when it is not one: `//[`, `/%`, a lone surrogate … come from any
 * page in the browser (a blind sweep of loopback ports needs no token), and one throw here
 * would end the bridge.
 */
export function requestUrl(raw: string | undefined, origin: string): URL | null {
  try {
    return new URL(raw ?? '/', origin || 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** A URL path decoded, or null when its escapes are malformed (decodeURIComponent throws URIError). */
export function decodePath(p: string): string | null {
  try {
    const d = decodeURIComponent(p);
    return d.includes('\0') ? null : d;
  } catch {
    return null;
  }
}

function tokenOk(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const db = openWorkbenchDb(opts.dbPath, { seedIfEmpty: true });
  // push events (export progress) go to every open /api/events stream (Server-Sent Events)
  const streams = new Set<http.ServerResponse>();
  const sockets = new Set<WebSocket>();
  const emit = (event: EventName, payload: unknown) => {
    const json = JSON.stringify({ event, payload });
    const frame = `data: ${json}\n\n`;
    for (const r of streams) r.write(frame);
    for (const ws of sockets) ws.send(json);
  };
  const dispatch = createDispatcher(db, { shell: 'web', dbPath: opts.dbPath, version: opts.version ?? '' }, { ...folderPlatform(opts.dbPath), emit });
  const token = opts.token ?? randomBytes(24).toString('hex');
  const root = path.resolve(opts.staticDir);
  let origin = '';

  /**
   * An exported file as a download: the browser version cannot show a folder, so the page fetches
   * the file from here. Only files in the list of exports (export.list), only in the export folder,
   * only with the token (in the query string: a download link cannot send a header).
   */
  const download = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const o = req.headers.origin;
    if (req.method !== 'GET' || (o && o !== origin) || !tokenOk(url.searchParams.get('token') ?? undefined, token)) {
      return send(res, 403, JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知来源的请求' } }));
    }
    const id = Number(url.searchParams.get('id'));
    const entry = listExports(contextFor(db)).find((e) => e.id === id);
    const dir = path.resolve(defaultExportDir(opts.dbPath));
    const file = entry ? path.resolve(entry.path) : '';
    if (!entry || !file.startsWith(dir + path.sep) || !fs.existsSync(file)) {
      return send(res, 404, JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: '导出的文件已不存在' } }));
    }
    const name = path.basename(file);
    res.writeHead(200, {
      'content-type': name.endsWith('.docx')
        ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      // RFC 6266: an ASCII fallback and the Chinese name in UTF-8
      'content-disposition': `attachment; filename="${name.endsWith('.docx') ? 'export.docx' : 'export.xlsx'}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'content-length': String(fs.statSync(file).size),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  };

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      // last resort: whatever a request holds, it gets an answer and the bridge goes on
      console.error('[czt] bridge: request failed', (e as Error)?.name);
      if (!res.headersSent) send(res, 400, BAD_REQUEST);
      else res.destroy();
    }
  });
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = req.headers.host ?? '';
    if (`http://${host}` !== origin) return send(res, 403, JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝：主机名不符' } }));
    const url = requestUrl(req.url, origin);
    if (!url) return send(res, 400, BAD_REQUEST);
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') return send(res, 405, '{}');
      const o = req.headers.origin;
      if ((o && o !== origin) || !tokenOk(req.headers['x-czt-token'] as string | undefined, token)) {
        return send(res, 403, JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知来源的请求' } }));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          send(res, 413, JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '请求过大' } }));
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => {
        if (res.writableEnded) return;
        let msg: { channel?: unknown; input?: unknown };
        try {
          msg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(res, 400, JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '请求不是有效的 JSON' } }));
        }
        dispatch(msg.channel, msg.input).then(
          (r) => send(res, 200, JSON.stringify(r)),
          (e: Error) => send(res, 500, JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: e.message } })),
        );
      });
      return;
    }
    if (url.pathname === '/api/events') {
      // EventSource cannot send headers: the token comes in the query string
      const o = req.headers.origin;
      if (req.method !== 'GET' || (o && o !== origin) || !tokenOk(url.searchParams.get('token') ?? undefined, token)) {
        return send(res, 403, JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自未知来源的请求' } }));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
      res.write(': ok\n\n');
      streams.add(res);
      const keepAlive = setInterval(() => res.write(': \n\n'), 15_000);
      req.on('close', () => {
        clearInterval(keepAlive);
        streams.delete(res);
      });
      return;
    }
    if (url.pathname === '/api/download') return download(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{}');
    const rel = decodePath(url.pathname === '/' ? '/index.html' : url.pathname);
    if (rel === null) return send(res, 400, BAD_REQUEST);
    const file = path.resolve(root, '.' + rel);
    let isFile = false;
    try {
      isFile = file.startsWith(root + path.sep) && fs.statSync(file).isFile();
    } catch {
      /* no such file */
    }
    if (!isFile) return send(res, 404, 'not found', 'text/plain');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    // a file removed between the stat and the read: the answer ends, the bridge goes on
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  // the page's socket: {id, channel, input} in, {id, result} out, {event, payload} pushed
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY, perMessageDeflate: false });
  const frameChars = opts.frameChars ?? FRAME_CHARS;
  server.on('upgrade', (req, socket, head) => {
    // an upgrade's socket is ours alone: a reset from the other side must not be an unhandled 'error'
    socket.on('error', () => socket.destroy());
    const refuse = () => {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
    };
    if (`http://${req.headers.host ?? ''}` !== origin) return refuse();
    const url = requestUrl(req.url, origin);
    if (!url) return socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    // a browser always sends Origin with a WebSocket: it must be this page
    if (url.pathname !== '/api/ws' || req.headers.origin !== origin || !tokenOk(url.searchParams.get('token') ?? undefined, token)) return refuse();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      // a long call (an import's file as base64: megabytes) comes in several frames (shared/ipc/socket-frames.ts)
      const incoming = new RequestAssembler(MAX_BODY);
      const reply = (id: number | null, result: unknown) => {
        if (ws.readyState !== ws.OPEN) return;
        for (const f of answerFrames(id, result, frameChars)) ws.send(f);
      };
      ws.on('message', (data, isBinary) => {
        opts.onFrame?.();
        const whole = incoming.push(isBinary ? '' : String(data));
        if (!whole) {
          // more frames of this message to come: let the rest of the loop run before the next one
          // (libuv reads up to ~2 MB from a socket in one go: megabytes of frames were one long block, docs/bench.md)
          ws.pause();
          setImmediate(() => ws.resume());
          return;
        }
        if ('tooLarge' in whole) return reply(null, { ok: false, error: { code: 'VALIDATION', message: '请求过大' } });
        const msg = ('msg' in whole ? whole.msg : null) as { id?: unknown; channel?: unknown; input?: unknown } | null;
        const id = typeof msg?.id === 'number' ? msg.id : null;
        if (!msg || id === null) return reply(null, { ok: false, error: { code: 'VALIDATION', message: '请求不是有效的 JSON' } });
        dispatch(msg.channel, msg.input).then(
          (r) => reply(id, r),
          (e: Error) => reply(id, { ok: false, error: { code: 'INTERNAL', message: e.message } }),
        );
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    token,
    dispatch,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => {
          // the 导入 page's spare reader and the collect worker have their own connections to this database: stopped with it
          void Promise.allSettled([stopStandbyReader(), stopRoundWorker()]).finally(() => {
            db.close();
            resolve();
          });
        });
      }),
  };
}
