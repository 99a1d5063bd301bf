// The BUILT export worker (out/main/export-worker.js, the third main entry of
// electron.vite.config.ts): present, CommonJS, better-sqlite3 external, found by the launcher in
// the main bundle, and it really exports from a database file when started the way
// electron/export/offthread.ts starts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as XLSX from 'xlsx';
import { initWorkbenchDb } from '../../electron/db/open';
import { EXPORT_WORKER_KIND, type ExportWorkerData, type ExportWorkerMessage } from '../../electron/export/worker-protocol';

const root = path.resolve(import.meta.dirname, '..', '..');
const workerFile = path.join(root, 'out', 'main', 'export-worker.js');
const mainFile = path.join(root, 'out', 'main', 'index.js');

test('out/main/export-worker.js is built as CommonJS with better-sqlite3 external, and the main bundle looks for it', () => {
  assert.ok(fs.existsSync(workerFile), 'out/main/export-worker.js is missing: run `npx electron-vite build` first');
  const code = fs.readFileSync(workerFile, 'utf8');
  assert.match(code, /require\(["']better-sqlite3["']\)/);
  assert.doesNotMatch(code, /^\s*import\s[^(]/m);
  assert.doesNotMatch(code, /\bimport\.meta\b/);
  assert.doesNotMatch(code, /require\(["']electron["']\)/, 'the worker must not load electron');
  assert.ok(fs.readFileSync(mainFile, 'utf8').includes('export-worker.js'), 'the main bundle starts the bundled worker');
});

test('the built worker exports a ledger from a database file, with progress, and hands back the bytes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-xwb-'));
  const dbFile = path.join(dir, 'w.db');
  initWorkbenchDb(dbFile).close();
  const data: ExportWorkerData = { kind: EXPORT_WORKER_KIND, dbFile, req: { kind: 'ledger.xlsx' } };
  const worker = new Worker(`require(${JSON.stringify(workerFile)});`, { eval: true, workerData: data });
  const messages: ExportWorkerMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: ExportWorkerMessage) => {
      messages.push(m);
      if (m.type !== 'progress') resolve();
    });
    worker.once('error', reject);
  });
  await worker.terminate();
  const last = messages.at(-1)!;
  assert.equal(last.type, 'done', JSON.stringify(last));
  if (last.type !== 'done') return;
  assert.ok(messages.some((m) => m.type === 'progress' && m.phase === 'rows'));
  const wb = XLSX.read(Buffer.from(last.bytes), { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1 });
  assert.ok(rows.length > last.rows, 'title, note, header and the rows');
  assert.ok(last.rows > 100);
  assert.match(last.fileName, /^任务分工台账-全部-\d{8}\.xlsx$/);
});
