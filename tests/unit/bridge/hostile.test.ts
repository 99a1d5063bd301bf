// Requests no page of ours would send, against the web bridge (issue 16 item 1): a malformed
// escape (`/%`), a URL that is not one (`//[`), an upgrade with either, sent raw without the
// token as any other page in the browser could send them blind. Each gets a 400 (or the
// refusal the bridge gives anything without its token) and the bridge goes on serving; the
// `npm run start:web` process itself is run once to show it survives the same lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startBridge } from '../../../electron/bridge/server';
import { rawRequest } from '../../hostile/bridge-fuzz';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

export const HOSTILE_LINES = ['/%', '//[', '/%E0%A4%A', '/%ZZ', '/%00', '/api/%', '/api/events?token=%', '/..%2f..%2f%', '/\uD800'];

function site() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-brh-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  return { dir, staticDir };
}

const status = (answer: string) => Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);

test('a malformed URL or escape gets 400 and the bridge goes on (plain requests and upgrades)', async () => {
  const { dir, staticDir } = site();
  const b = await startBridge({ dbPath: path.join(dir, 'w.db'), staticDir });
  const port = Number(new URL(b.url).port);
  const host = `127.0.0.1:${port}`;
  try {
    for (const line of HOSTILE_LINES) {
      const get = await rawRequest(port, Buffer.from(`GET ${line} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
      assert.ok([400, 403, 404].includes(status(get)), `GET ${JSON.stringify(line)}: ${get.slice(0, 80)}`);
      const up = await rawRequest(
        port,
        Buffer.from(`GET ${line} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
      );
      assert.ok([400, 403].includes(status(up)), `upgrade ${JSON.stringify(line)}: ${up.slice(0, 80)}`);
    }
    assert.equal(status(await rawRequest(port, `GET /% HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)), 400);
    const page = await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    assert.equal(status(page), 200, 'still serving');
  } finally {
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm run start:web survives the same requests', { timeout: 120_000 }, async (t) => {
  if (!fs.existsSync(path.join(root, 'out', 'renderer', 'index.html'))) return t.skip('the renderer is not built (npx electron-vite build)');
  const { dir } = site();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron', 'bridge', 'start.ts')], {
    cwd: root,
    env: { ...process.env, CZT_DB: path.join(dir, 'w.db'), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    const t0 = Date.now();
    while (!/127\.0\.0\.1:\d+/.test(out) && exited === undefined && Date.now() - t0 < 90_000) await new Promise((r) => setTimeout(r, 100));
    const port = Number(out.match(/127\.0\.0\.1:(\d+)/)?.[1]);
    assert.ok(port > 0, out);
    const host = `127.0.0.1:${port}`;
    for (const line of ['/%', '//[']) {
      const a = await rawRequest(port, `GET ${line} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      assert.equal(status(a), 400, a.slice(0, 80));
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(exited, undefined, `the bridge ended: ${out}`);
    assert.equal(status(await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)), 200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (exited !== undefined ? r(null) : child.once('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
