// Random URLs and raw request lines against the real web bridge (`npm run start:web`'s
// electron/bridge/start.ts, in a child process on 127.0.0.1 only): what any page in the browser,
// or any local process, could send without the token. Counts a crash whenever the bridge process
// ends, reports an error it had to swallow (start.ts's last resort), or stops answering a plain
// GET / between requests. Used by tests/fuzz/bridge.test.ts and `npm run reliability`.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import fc from 'fast-check';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface BridgeFuzzReport {
  tried: number;
  crashes: number;
  /** answers by status class (400, 403, 404, …; 0: closed without an answer) */
  statuses: Record<string, number>;
  details: string[];
}

/** Raw bytes to 127.0.0.1:port; what came back before the socket closed or `ms` passed. */
export function rawRequest(port: number, bytes: string | Buffer, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, ms);
    s.on('data', (d) => {
      got += d.toString('latin1');
      // one answer is enough (the bridge may keep the connection open), but not a 101's: an upgrade goes on
      if (got.includes('\r\n\r\n') && !got.startsWith('HTTP/1.1 101')) done();
    });
    s.on('error', done);
    s.on('close', done);
    s.write(bytes);
  });
}

const URL_CHARS = [...'%[]{}\\/?#@:;=&+$,!~*\'()<>"^`| .-_aZ09', '%2f', '%00', '%E0%A4%A', '%ZZ', '%%', '..', '//', '长', '\uD800', '\u0000', '\t', '\r', '\n', '\x7f', '\u202e'];
/** a URL path: mostly URL syntax gone wrong */
export const urlArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...URL_CHARS), maxLength: 40 }).map((s) => `/${s}`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('//[', '/%', '*', '', 'http://[::1', '/api/ws?token=%', '/api/events?token=', '/api/invoke', '/../../etc/passwd', '/%2e%2e/%2e%2e/'),
);

/** a whole request: method, target, version, headers — each may be malformed; Host is usually ours */
export function requestArb(host: string) {
  return fc
    .record({
      // mostly well-formed HTTP around a bad target, so that most requests reach the bridge's own code
      method: fc.oneof({ arbitrary: fc.constantFrom('GET', 'POST', 'HEAD'), weight: 8 }, { arbitrary: fc.constantFrom('PUT', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'PRI'), weight: 1 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }),
      target: urlArb,
      version: fc.oneof({ arbitrary: fc.constant('HTTP/1.1'), weight: 8 }, { arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9', '', 'http/1.1'), weight: 1 }),
      ourHost: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
      upgrade: fc.boolean(),
      headers: fc.oneof(
        { arbitrary: fc.array(fc.tuple(fc.constantFrom('X-Czt-Token', 'Origin', 'Content-Type', 'Cookie', 'Referer', 'Accept'), fc.string({ unit: fc.constantFrom(...'abc%[]/:.长 '), maxLength: 20 })), { maxLength: 3 }), weight: 4 },
        { arbitrary: fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })), { maxLength: 3 }), weight: 1 },
      ),
      body: fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.constantFrom('{"channel":"app.info","input":{}}', '{not json', '\u0000\u0000')),
      raw: fc.option(fc.uint8Array({ maxLength: 300 }), { freq: 6 }),
    })
    .map((r) => {
      if (r.raw) return Buffer.from(r.raw);
      const lines = [`${r.method} ${r.target} ${r.version}`.trimEnd()];
      if (r.ourHost) lines.push(`Host: ${host}`);
      if (r.upgrade) lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', `Origin: http://${host}`);
      for (const [k, v] of r.headers) lines.push(`${k}: ${v}`);
      if (r.body) lines.push(`Content-Length: ${Buffer.byteLength(r.body)}`);
      lines.push('Connection: close');
      return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${r.body}`);
    });
}

interface Running {
  child: ChildProcess;
  port: number;
  out: () => string;
  exited: () => boolean;
}

async function startBridgeProcess(dir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'bridge', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, CZT_DB: path.join(dir, 'w.db'), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = false;
  child.on('exit', () => (exited = true));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const t0 = Date.now();
  while (!/127\.0\.0\.1:\d+/.test(out) && !exited && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 100));
  const port = Number(out.match(/127\.0\.0\.1:(\d+)/)?.[1]);
  if (!port) throw new Error(`the bridge did not start: ${out.slice(0, 500)}`);
  return { child, port, out: () => out, exited: () => exited };
}

/**
 * `count` generated requests (seeded), in batches of 8 at once, against one bridge process (a new
 * one after a crash). Needs the built renderer (out/renderer).
 */
export async function fuzzBridge(opts: { count: number; seed?: number }): Promise<BridgeFuzzReport> {
  if (!fs.existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) throw new Error('out/renderer 未构建（npx electron-vite build）');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-bridge-fuzz-'));
  const report: BridgeFuzzReport = { tried: 0, crashes: 0, statuses: {}, details: [] };
  let b = await startBridgeProcess(dir);
  const swallowed = () => (b.out().match(/已忽略一次意外错误/g) ?? []).length;
  let seen = 0;
  try {
    const host = () => `127.0.0.1:${b.port}`;
    const all = fc.sample(requestArb('HOST_PLACEHOLDER'), { numRuns: opts.count, seed: opts.seed ?? 16 });
    for (let i = 0; i < all.length; i += 8) {
      const batch = all.slice(i, i + 8).map((x) => Buffer.from(x.toString('latin1').replaceAll('HOST_PLACEHOLDER', host()), 'latin1'));
      const answers = await Promise.all(batch.map((x) => rawRequest(b.port, x)));
      report.tried += batch.length;
      for (const a of answers) {
        const st = a.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? '0';
        report.statuses[st] = (report.statuses[st] ?? 0) + 1;
      }
      const health = await rawRequest(b.port, `GET / HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`, 5000);
      const now = swallowed();
      if (b.exited() || !/^HTTP\/1\.1 200/.test(health) || now > seen) {
        report.crashes++;
        report.details.push(`requests ${i}–${i + batch.length - 1}: ${b.exited() ? 'the bridge ended' : now > seen ? 'an error reached the last resort' : 'no answer to GET /'}: ${JSON.stringify(batch.map((x) => x.toString('latin1').slice(0, 80)))}`);
        seen = now;
        if (b.exited() || !/^HTTP\/1\.1 200/.test(health)) {
          b.child.kill('SIGKILL');
          b = await startBridgeProcess(dir);
          seen = 0;
        }
      }
    }
  } finally {
    if (!b.exited()) {
      b.child.kill('SIGTERM');
      await new Promise((r) => b.child.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
