// The page's socket to the bridge (/api/ws): refused without the token, from another origin or
// under another host name; once open it carries calls ({id, channel, input} → {id, result}),
// answers a bad frame with a Chinese refusal, and pushes export.progress events on the same socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { startBridge } from '../../../electron/bridge/server';
import type { ExportProgressEvent } from '../../../shared/ipc/contract';
import * as XLSX from 'xlsx';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { exportLedger, HEADER_ROW } from '../../../electron/export/xlsx/ledger';
import { LEDGER_COLUMNS } from '../../../shared/ledger';
import { fromJsonText, isJsonText } from '../../../shared/ipc/json-text';
import { callFrames, FrameReader, messageFrames } from '../../../shared/ipc/socket-frames';
import type { ImportPreview } from '../../../shared/import';

type Msg = { id?: number | null; result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } }; event?: string; payload?: unknown };

/** Resolves with the socket once open, or with the HTTP status the server refused it with. */
function connect(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; msgs: Msg[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    const msgs: Msg[] = [];
    ws.on('message', (d) => msgs.push(JSON.parse(String(d)) as Msg));
    ws.on('open', () => resolve({ ws, msgs }));
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ refused: -1 }));
  });
}

/** A folder for a bridge's database, with a page for it to serve. */
function tempSite(): { dir: string; staticDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-brs-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  return { dir, staticDir };
}

async function next(msgs: Msg[], pred: (m: Msg) => boolean, ms = 10_000): Promise<Msg> {
  const t0 = Date.now();
  for (;;) {
    const m = msgs.find(pred);
    if (m) return m;
    if (Date.now() - t0 > ms) throw new Error(`no such message within ${ms} ms: ${JSON.stringify(msgs).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the bridge socket wants the token and this origin, carries calls and pushes events', async () => {
  const { dir, staticDir } = tempSite();
  const b = await startBridge({ dbPath: path.join(dir, 'w.db'), staticDir });
  const { origin, host } = new URL(b.url);
  const ws = `ws://${host}/api/ws`;
  try {
    assert.deepEqual(await connect(ws, { origin }), { refused: 403 }, 'no token');
    assert.deepEqual(await connect(`${ws}?token=${'x'.repeat(b.token.length)}`, { origin }), { refused: 403 }, 'wrong token');
    assert.deepEqual(await connect(`${ws}?token=${b.token}`, { origin: 'http://evil.example' }), { refused: 403 }, 'another origin');
    assert.deepEqual(await connect(`${ws}?token=${b.token}`, {}), { refused: 403 }, 'no origin');
    assert.deepEqual(await connect(`${ws}?token=${b.token}`, { origin, host: 'evil.example' }), { refused: 403 }, 'another host name');
    assert.deepEqual(await connect(`ws://${host}/api/other?token=${b.token}`, { origin }), { refused: 403 }, 'another path');

    const c = await connect(`${ws}?token=${b.token}`, { origin });
    assert.ok('ws' in c, 'the page’s own socket opens');
    c.ws.send(JSON.stringify({ id: 1, channel: 'plan.search', input: { query: '湘江' } }));
    c.ws.send(JSON.stringify({ id: 2, channel: 'plan.search', input: { query: 5 } }));
    c.ws.send('{not json');
    const r1 = await next(c.msgs, (m) => m.id === 1);
    assert.equal(r1.result?.ok, true);
    assert.equal((r1.result?.value as { total: number }).total, 29);
    const r2 = await next(c.msgs, (m) => m.id === 2);
    assert.equal(r2.result?.ok, false);
    assert.equal(r2.result?.error?.code, 'VALIDATION');
    assert.match(r2.result?.error?.message ?? '', /[\u4e00-\u9fff]/, 'a Chinese message');
    const r3 = await next(c.msgs, (m) => m.id === null);
    assert.equal(r3.result?.ok, false);
    assert.match(r3.result?.error?.message ?? '', /不是有效的 JSON/);

    c.ws.send(JSON.stringify({ id: 3, channel: 'export.run', input: { kind: 'ledger.xlsx', exportId: 'ws-1' } }));
    const r4 = await next(c.msgs, (m) => m.id === 3, 60_000);
    assert.equal(r4.result?.ok, true, JSON.stringify(r4.result));
    const mine = c.msgs.filter((m) => m.event === 'export.progress' && (m.payload as ExportProgressEvent).exportId === 'ws-1');
    assert.ok(mine.length >= 2, 'progress events came on the socket before the answer');
    assert.ok(c.msgs.indexOf(mine.at(-1)!) < c.msgs.indexOf(r4), 'every progress event before the answer');
    c.ws.close();
  } finally {
    await b.close();
  }
});

test('a large answer comes in several frames ({"parts":n} then the pieces), never split inside a surrogate pair', async () => {
  const { dir, staticDir } = tempSite();
  const b = await startBridge({ dbPath: path.join(dir, 'w.db'), staticDir, frameChars: 61 });
  const { origin, host } = new URL(b.url);
  try {
    const note = '进展😀𠀀'.repeat(40);
    const edit = await b.dispatch('measures.applyEdits', { edits: [{ measureId: '4.1.1.1', patch: { note } }], op: '编辑' });
    assert.equal(edit.ok, true);
    const ws = new WebSocket(`ws://${host}/api/ws?token=${b.token}`, { headers: { origin } });
    const frames: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    ws.on('message', (d) => frames.push(String(d)));
    ws.send(JSON.stringify({ id: 7, channel: 'measures.get', input: { ids: ['4.1.1.1'] } }));
    // the page's reassembly (renderer/src/api.ts): a header, then exactly that many pieces
    const t0 = Date.now();
    let whole: string | null = null;
    while (!whole && Date.now() - t0 < 10_000) {
      await new Promise((r) => setTimeout(r, 10));
      if (!frames.length) continue;
      const head = JSON.parse(frames[0]) as { parts?: number };
      assert.ok(typeof head.parts === 'number' && head.parts > 1, `a header frame first: ${frames[0].slice(0, 80)}`);
      if (frames.length === head.parts + 1) whole = frames.slice(1).join('');
    }
    assert.ok(whole, 'every piece arrived');
    assert.ok(frames.slice(1).every((f) => !f.includes('\ufffd')), 'no piece carries a broken character');
    const msg = JSON.parse(whole) as { id: number; result: { ok: true; value: { note: string }[] } };
    assert.equal(msg.id, 7);
    assert.equal(msg.result.value[0].note, note, 'the text arrives whole');
    ws.close();
  } finally {
    await b.close();
  }
});

test('an import over the socket: the file goes up in frames, the preview comes back as raw JSON text in frames, the same as the dispatcher gives', async () => {
  const { dir, staticDir } = tempSite();
  const dbPath = path.join(dir, 'w.db');
  const b = await startBridge({ dbPath, staticDir, frameChars: 4096 });
  const { origin, host } = new URL(b.url);
  try {
    // a returned ledger changing every row's progress (a second connection to the same file)
    const db2 = openWorkbenchDb(dbPath, { quickCheck: false });
    const wb = XLSX.read((await exportLedger(contextFor(db2))).buffer, { type: 'buffer' });
    db2.close();
    const ws0 = wb.Sheets['任务分工台账'];
    const last = XLSX.utils.decode_range(ws0['!ref']!).e.r;
    const col = LEDGER_COLUMNS.findIndex((c) => c.key === 'progress');
    for (let r = HEADER_ROW; r <= last; r++) ws0[XLSX.utils.encode_cell({ r, c: col })] = { t: 's', v: `第${r}行：已完成年度目标😀` };
    const base64 = (XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');

    const ws = new WebSocket(`ws://${host}/api/ws?token=${b.token}`, { headers: { origin } });
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    const reader = new FrameReader();
    const got: unknown[] = [];
    let frames = 0;
    ws.on('message', (d) => {
      frames++;
      const m = reader.push(String(d));
      if (m !== undefined) got.push(m);
    });
    // the page's way: the base64 raw after a short header
    const up = callFrames(5, 'import.preview', { fileName: '回传.xlsx', base64 }, 4096);
    assert.ok(up.length > 10 && JSON.parse(up[0]).raw, `the call in frames: ${up.length}`);
    for (const f of up) ws.send(f);
    // a long call with no long text in it: {"parts":n} and pieces
    const longSearch = messageFrames(JSON.stringify({ id: 8, channel: 'plan.search', input: { query: '湘江', pad: 'x'.repeat(9000) } }), 4096);
    assert.match(longSearch[0], /^\{"parts":\d+\}$/);
    for (const f of longSearch) ws.send(f);
    ws.send(JSON.stringify({ id: 6, channel: 'plan.search', input: { query: '湘江' } }));
    const t0 = Date.now();
    while (got.length < 3 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    const a = got.find((m) => (m as { id: number }).id === 5) as { result: { ok: boolean; value: unknown } };
    assert.ok(a?.result.ok, JSON.stringify(a).slice(0, 300));
    assert.ok(isJsonText(a.result.value) && a.result.value.arrays?.changes.length, 'the preview as JSON text, its changes apart');
    assert.ok(frames > 20, `the answer came in frames: ${frames}`);
    const viaSocket = fromJsonText<unknown>(a.result.value) as ImportPreview & { previewId: string };
    assert.equal(viaSocket.changes.length, last - HEADER_ROW + 1);
    assert.ok(viaSocket.changes.every((c) => c.changes.some((f) => /已完成年度目标😀$/.test(f.new))), "each row’s new progress, emoji and all");
    const s = got.find((m) => (m as { id: number }).id === 6) as { result: { ok: boolean; value: { total: number } } };
    assert.equal(s.result.value.total, 29, 'the call sent after it was answered too');
    const l = got.find((m) => (m as { id: number }).id === 8) as { result: { ok: boolean; error?: { message: string } } };
    assert.ok(l, 'the call in parts was put back together and answered');

    const direct = await b.dispatch('import.preview', { fileName: '回传.xlsx', base64 });
    assert.ok(direct.ok);
    const { previewId: _a, ...x } = viaSocket;
    const { previewId: _b, ...y } = fromJsonText(direct.value) as ImportPreview & { previewId: string };
    assert.deepEqual(x, y);
    // and it applies (the preview's id came through)
    const apply = await new Promise<unknown>((resolve) => {
      ws.send(JSON.stringify({ id: 7, channel: 'import.apply', input: { previewId: viaSocket.previewId, choices: { onConflict: 'keep' } } }));
      const t = setInterval(() => {
        const m = got.find((g) => (g as { id: number }).id === 7);
        if (m) {
          clearInterval(t);
          resolve(m);
        }
      }, 20);
    });
    assert.equal((apply as { result: { ok: boolean; value: { changed: number } } }).result.value.changed, viaSocket.changes.length);
    ws.close();
  } finally {
    await b.close();
  }
});

test('the bridge takes a long call a frame per turn of its event loop (megabytes of frames were one long block)', async () => {
  const { dir, staticDir } = tempSite();
  let turns = 0;
  const turnOfFrame: number[] = [];
  const b = await startBridge({ dbPath: path.join(dir, 'w.db'), staticDir, onFrame: () => turnOfFrame.push(turns) });
  const { origin, host } = new URL(b.url);
  try {
    // the page is another process: its frames (6 M characters of base64, not a spreadsheet, in
    // frames of 256 K) reach this one's socket together, as Chromium's do
    const frames = callFrames(1, 'import.preview', { fileName: 'x.xlsx', base64: 'QUJD'.repeat(1_500_000) });
    const framesFile = path.join(dir, 'frames.json');
    fs.writeFileSync(framesFile, JSON.stringify(frames));
    const client = `
      const { WebSocket } = require('ws');
      const frames = JSON.parse(require('fs').readFileSync(${JSON.stringify(framesFile)}, 'utf8'));
      const ws = new WebSocket(${JSON.stringify(`ws://${host}/api/ws?token=${b.token}`)}, { headers: { origin: ${JSON.stringify(origin)} } });
      ws.on('open', () => { for (const f of frames) ws.send(f); });
      ws.on('message', (d) => { process.stdout.write(String(d)); ws.close(); });
    `;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ['-e', client], { cwd: path.resolve(__dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      p.stdout.on('data', (d) => (text += String(d)));
      p.on('error', reject);
      p.on('exit', () => resolve(text));
    });
    ticking = false;
    const m = JSON.parse(out) as Msg;
    assert.equal(m.id, 1);
    assert.equal(m.result?.ok, false, 'refused as a file, with a Chinese reason');
    assert.match(m.result?.error?.message ?? '', /[\u4e00-\u9fff]/);
    if (process.env.DEBUG_TURNS) console.log(turnOfFrame.join(","));
    assert.equal(turnOfFrame.length, frames.length);
    const shared = turnOfFrame.filter((t, i) => i > 0 && t === turnOfFrame[i - 1]).length;
    assert.equal(shared, 0, `a frame per turn: ${shared} of ${frames.length} came in the same turn as the one before`);
  } finally {
    await b.close();
  }
});
