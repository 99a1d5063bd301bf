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
import { contextFor } from '../../electron/core/context';
import { createDraft } from '../../electron/services/drafts';
import type { ChannelInput } from '../../shared/ipc/contract';

type ExportRequest = ChannelInput<'export.run'>;

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

/** runs the built worker on a database file the way electron/export/offthread.ts does; its messages */
async function runWorker(dbFile: string, req: ExportRequest): Promise<ExportWorkerMessage[]> {
  const data: ExportWorkerData = { kind: EXPORT_WORKER_KIND, dbFile, req };
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
  return messages;
}

test('the built worker exports a ledger from a database file, with progress, and hands back the bytes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-xwb-'));
  const dbFile = path.join(dir, 'w.db');
  initWorkbenchDb(dbFile).close();
  const messages = await runWorker(dbFile, { kind: 'ledger.xlsx' });
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

// The worker's libraries (docx, exceljs, SheetJS) are bundled into out/main rather than loaded from
// node_modules, which the packaged app does not carry: each kind of writer must work from the bundle.
test('the built worker writes Word (docx) and exceljs workbooks from its bundled libraries', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-xwb-'));
  const dbFile = path.join(dir, 'w.db');
  const db = initWorkbenchDb(dbFile);
  const draft = createDraft(contextFor(db), { kind: 'field', field: '生态环境', template: 'standard' });
  db.close();
  const cases: [ExportRequest, string][] = [
    [{ kind: 'allocation.docx' }, 'word/document.xml'],
    [{ kind: 'special-plan.docx', draftId: draft.id }, 'word/document.xml'],
    [{ kind: 'draft-tables.xlsx', draftId: draft.id }, 'xl/workbook.xml'],
    [{ kind: 'projects.xlsx' }, 'xl/workbook.xml'],
  ];
  for (const [req, part] of cases) {
    const last = (await runWorker(dbFile, req)).at(-1)!;
    assert.equal(last.type, 'done', `${req.kind}: ${JSON.stringify(last)}`);
    if (last.type !== 'done') continue;
    const bytes = Buffer.from(last.bytes);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', `${req.kind} is a zip package`);
    assert.ok(bytes.includes(Buffer.from(part)), `${req.kind} holds ${part}`);
  }
});
