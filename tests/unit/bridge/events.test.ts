// The bridge's event stream (/api/events, Server-Sent Events): the token is required, and an
// export run through /api/invoke pushes its export.progress events to the stream; export.cancel
// through /api/invoke stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startBridge } from '../../../electron/bridge/server';
import type { ExportProgressEvent } from '../../../shared/ipc/contract';

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** Open the stream; frames are parsed into {event, payload} as they come. */
function stream(url: string): Promise<{ frames: { event: string; payload: unknown }[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const frames: { event: string; payload: unknown }[] = [];
    const req = http.get(url, (res) => {
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/event-stream/);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data) frames.push(JSON.parse(data) as { event: string; payload: unknown });
        }
      });
      resolve({ frames, close: () => req.destroy() });
    });
    req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
  });
}

test('the bridge streams export.progress to the page and carries export.cancel', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-bre-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const b = await startBridge({ dbPath: path.join(dir, 'w.db'), staticDir });
  const { origin } = new URL(b.url);
  const invoke = (channel: string, input: unknown) =>
    new Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>((resolve, reject) => {
      const req = http.request(`${origin}/api/invoke`, { method: 'POST', headers: { 'x-czt-token': b.token, 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(JSON.parse(body)));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ channel, input }));
    });
  try {
    assert.equal(await get(`${origin}/api/events`), 403, 'no token');
    assert.equal(await get(`${origin}/api/events?token=${'x'.repeat(b.token.length)}`), 403, 'wrong token');
    const s = await stream(`${origin}/api/events?token=${b.token}`);

    const r = await invoke('export.run', { kind: 'ledger.xlsx', exportId: 'web-1' });
    assert.equal(r.ok, true, JSON.stringify(r));
    const mine = s.frames.filter((f) => (f.payload as ExportProgressEvent).exportId === 'web-1');
    assert.ok(mine.length >= 2, JSON.stringify(s.frames));
    assert.ok(mine.every((f) => f.event === 'export.progress'));
    assert.equal((mine[0].payload as ExportProgressEvent).phase, 'read');
    assert.equal((mine.at(-1)!.payload as ExportProgressEvent).phase, 'pack');

    // cancel as soon as its first event arrives
    const run = invoke('export.run', { kind: 'ledger.xlsx', exportId: 'web-2' });
    const end = Date.now() + 30000;
    while (!s.frames.some((f) => (f.payload as ExportProgressEvent).exportId === 'web-2') && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    assert.deepEqual(await invoke('export.cancel', { exportId: 'web-2' }), { ok: true, value: { cancelled: true } });
    assert.deepEqual(await run, { ok: false, error: { code: 'CANCELLED', message: '已取消导出' } });
    s.close();
  } finally {
    await b.close();
  }
});
