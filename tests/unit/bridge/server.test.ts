import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startBridge } from '../../../electron/bridge/server';

function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

test('the bridge listens on 127.0.0.1 only, wants the token, and carries invoke to the services', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-br-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  const b = await startBridge({ dbPath: path.join(dir, 'w.db'), staticDir });
  try {
    const u = new URL(b.url);
    assert.equal(u.hostname, '127.0.0.1');
    const api = `${u.origin}/api/invoke`;
    const body = JSON.stringify({ channel: 'plan.search', input: { query: '湘江' } });
    const noToken = await request(api, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(noToken.status, 403);
    const wrong = await request(api, { method: 'POST', body, headers: { 'x-czt-token': 'x'.repeat(b.token.length) } });
    assert.equal(wrong.status, 403);
    const foreign = await request(api, { method: 'POST', body, headers: { 'x-czt-token': b.token, origin: 'http://evil.example' } });
    assert.equal(foreign.status, 403);
    const rebind = await request(api, { method: 'POST', body, headers: { 'x-czt-token': b.token, host: 'evil.example' } });
    assert.equal(rebind.status, 403);
    const ok = await request(api, { method: 'POST', body, headers: { 'x-czt-token': b.token } });
    assert.equal(ok.status, 200);
    const r = JSON.parse(ok.body);
    assert.equal(r.ok, true);
    assert.equal(r.value.total, 29);
    const bad = await request(api, { method: 'POST', body: '{not json', headers: { 'x-czt-token': b.token } });
    assert.equal(JSON.parse(bad.body).ok, false);
    const page = await request(`${u.origin}/`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const trav = await request(`${u.origin}/..%2fsecret.txt`);
    assert.equal(trav.status, 404);
  } finally {
    await b.close();
  }
});
