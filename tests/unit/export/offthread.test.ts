// Exports in a worker thread (electron/export/offthread.ts + worker.ts) through the same
// dispatcher the app and the bridge use: the same workbook as in-process, progress events,
// cancel (nothing written, nothing logged), the same Chinese errors, and a main thread that keeps
// running while the rows are written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { createDispatcher } from '../../../electron/ipc/router';
import { folderPlatform } from '../../../electron/ipc/platform';
import { produceExport, produceExportOffThread } from '../../../electron/ipc/transfers';
import { ExportCancelledError } from '../../../electron/export/offthread';
import { META_SHEET, LEDGER_SHEET } from '../../../electron/export/xlsx/ledger';
import type { ExportProgressEvent, IpcResult } from '../../../shared/ipc/contract';
import { generatedLedger } from '../../support/db';

const MEASURES = 4000;

/** A copy of one generated database (4,000 measures more than the plan's own) in a fresh folder. */
const dbCopy = () => generatedLedger({ measures: MEASURES, projects: 100, seed: 3 });

function setup() {
  const { dir, file } = dbCopy();
  const db = openWorkbenchDb(file, { quickCheck: false });
  const events: ExportProgressEvent[] = [];
  const listeners: ((p: ExportProgressEvent) => void)[] = [];
  const dispatch = createDispatcher(
    db,
    { shell: 'web', dbPath: file, version: 'test' },
    {
      ...folderPlatform(file),
      emit: (event, payload) => {
        assert.equal(event, 'export.progress');
        events.push(payload as ExportProgressEvent);
        for (const l of listeners) l(payload as ExportProgressEvent);
      },
    },
  );
  const exportDir = path.join(dir, '导出');
  const filesWritten = () => (fs.existsSync(exportDir) ? fs.readdirSync(exportDir) : []);
  return { db, ctx: contextFor(db), dispatch, events, onProgress: (l: (p: ExportProgressEvent) => void) => listeners.push(l), filesWritten };
}

/** Every sheet's rows as SheetJS reads them, minus the two cells that carry the export time. */
function readBack(buf: Buffer): Record<string, unknown[][]> {
  const wb = XLSX.read(buf, { type: 'buffer' });
  const out: Record<string, unknown[][]> = {};
  for (const name of wb.SheetNames) {
    let rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name], { header: 1, defval: '' });
    if (name === LEDGER_SHEET) rows = rows.filter((r) => !String(r[0]).startsWith('导出时间'));
    if (name === META_SHEET) rows = rows.filter((r) => r[0] !== 'exportedAt');
    out[name] = rows;
  }
  return out;
}

test('a ledger exported in the worker reads back the same as in-process; progress arrives; the main thread keeps ticking', async () => {
  const { db, ctx, dispatch, events, onProgress, filesWritten } = setup();
  // a 10 ms timer on this (the IPC) thread, counted while the worker writes the rows
  let ticks = 0;
  let ticksWhileWriting: number | null = null;
  let writing = false;
  const timer = setInterval(() => ticks++, 10);
  let atFirstRows = 0;
  onProgress((p) => {
    if (p.phase === 'rows' && !writing) {
      writing = true;
      atFirstRows = ticks;
    }
    if (p.phase === 'pack' && writing && ticksWhileWriting === null) ticksWhileWriting = ticks - atFirstRows;
  });
  const r = (await dispatch('export.run', { kind: 'ledger.xlsx', exportId: 'ledger-1' })) as IpcResult<{ path: string; rows: number; bytes: number }>;
  clearInterval(timer);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(filesWritten(), [path.basename(r.value.path)]);
  const viaWorker = fs.readFileSync(r.value.path);
  assert.equal(viaWorker.length, r.value.bytes);

  const inProcess = await produceExport(ctx, { kind: 'ledger.xlsx' });
  assert.equal(r.value.rows, inProcess.rows);
  assert.ok(r.value.rows > MEASURES);
  assert.deepEqual(readBack(viaWorker), readBack(inProcess.buffer));

  // progress: this export's id, read → rows (done rising to the total) → pack
  assert.ok(events.length >= 3, JSON.stringify(events));
  assert.ok(events.every((e) => e.exportId === 'ledger-1'));
  assert.equal(events[0].phase, 'read');
  const rows = events.filter((e) => e.phase === 'rows');
  assert.ok(rows.length >= 1);
  assert.ok(rows.every((e) => e.total === r.value.rows));
  assert.deepEqual(
    rows.map((e) => e.done),
    rows.map((e) => e.done).sort((a, b) => a - b),
  );
  assert.deepEqual(events.at(-1), { exportId: 'ledger-1', phase: 'pack', done: r.value.rows, total: r.value.rows });

  // the rows were written while this thread's timer kept firing (in-process it could not fire at all)
  assert.notEqual(ticksWhileWriting, null);
  assert.ok(ticksWhileWriting! >= 3, `timer ticked ${ticksWhileWriting} times while the rows were written`);

  // the export is over: nothing left to cancel
  assert.deepEqual(await dispatch('export.cancel', { exportId: 'ledger-1' }), { ok: true, value: { cancelled: false } });
  db.close();
});

test('cancel stops the worker: CANCELLED, no file written, and the next export works', async () => {
  const { db, dispatch, onProgress, filesWritten } = setup();
  let cancelReply: unknown = null;
  onProgress((p) => {
    if (p.exportId === 'c-1' && cancelReply === null) cancelReply = dispatch('export.cancel', { exportId: 'c-1' });
  });
  const r = await dispatch('export.run', { kind: 'ledger.xlsx', exportId: 'c-1' });
  assert.deepEqual(await cancelReply, { ok: true, value: { cancelled: true } });
  assert.deepEqual(r, { ok: false, error: { code: 'CANCELLED', message: '已取消导出' } });
  // give a terminated worker every chance to have written something
  await new Promise((res) => setTimeout(res, 300));
  assert.deepEqual(filesWritten(), []);

  // an unknown id is not an error, just nothing to cancel; a bad one is refused
  assert.deepEqual(await dispatch('export.cancel', { exportId: 'nope' }), { ok: true, value: { cancelled: false } });
  const bad = (await dispatch('export.cancel', { exportId: '../x' })) as IpcResult<unknown>;
  assert.equal(bad.ok, false);

  const again = (await dispatch('export.run', { kind: 'indicators.xlsx', exportId: 'c-2' })) as IpcResult<{ path: string }>;
  assert.ok(again.ok, JSON.stringify(again));
  assert.deepEqual(filesWritten(), [path.basename(again.value.path)]);
  db.close();
});

test('a briefing made in the worker is logged once on the main connection; a cancelled one is not logged', async () => {
  const { db, dispatch, onProgress, filesWritten } = setup();
  const logged = async () => {
    const r = (await dispatch('reports.list', { kind: 'briefing' })) as IpcResult<unknown[]>;
    assert.ok(r.ok);
    return r.value.length;
  };
  const before = await logged();
  let cancelled: unknown = null;
  onProgress((p) => {
    if (p.exportId === 'b-1' && cancelled === null) cancelled = dispatch('export.cancel', { exportId: 'b-1' });
  });
  const c = (await dispatch('export.run', { kind: 'briefing.docx', date: '2026-06-30', exportId: 'b-1' })) as IpcResult<unknown>;
  assert.deepEqual(await cancelled, { ok: true, value: { cancelled: true } });
  assert.equal(c.ok, false);
  assert.equal(await logged(), before);
  assert.deepEqual(filesWritten(), []);

  const r = (await dispatch('export.run', { kind: 'briefing.docx', date: '2026-06-30', exportId: 'b-2' })) as IpcResult<{ path: string; rows: number }>;
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(await logged(), before + 1);
  const rows = db.prepare("SELECT as_of, params FROM report_log WHERE kind = 'briefing' ORDER BY id DESC LIMIT 1").get() as { as_of: string; params: string };
  assert.equal(rows.as_of, '2026-06-30');
  assert.equal(JSON.parse(rows.params).total, r.value.rows);
  const zip = XLSX.CFB.read(fs.readFileSync(r.value.path), { type: 'buffer' });
  assert.ok(XLSX.CFB.find(zip, '/word/document.xml'));
  db.close();
});

test('errors from the worker are the same Chinese ServiceErrors as in-process', async () => {
  const { db, ctx, dispatch, filesWritten } = setup();
  const viaWorker = (await dispatch('export.run', { kind: 'dept-letter.docx', deptId: 99999, exportId: 'e-1' })) as IpcResult<unknown>;
  const inProcess = await produceExport(ctx, { kind: 'dept-letter.docx', deptId: 99999 }).then(
    () => assert.fail('should fail'),
    (e: Error & { code: string }) => ({ code: e.code, message: e.message }),
  );
  assert.deepEqual(viaWorker, { ok: false, error: inProcess });
  assert.equal(inProcess.code, 'NOT_FOUND');
  assert.match(inProcess.message, /没有编号为 99999 的部门/);
  // thrown inside the exporter (chapter out of range), not by the early check
  const ch = (await dispatch('export.run', { kind: 'allocation.docx', chapter: 1, exportId: 'e-2' })) as IpcResult<unknown>;
  assert.equal(ch.ok, false);
  if (!ch.ok) {
    assert.equal(ch.error.code, 'VALIDATION');
    assert.match(ch.error.message, /第三章至第九章/);
  }
  assert.deepEqual(filesWritten(), []);
  db.close();
});

test('an in-memory database exports in-process, and a cancel still drops the file', async () => {
  const db = openWorkbenchDb(':memory:', { seedIfEmpty: true, quickCheck: false });
  const ctx = contextFor(db);
  const seen: string[] = [];
  const f = await produceExportOffThread(ctx, { kind: 'indicators.xlsx' }, { exportId: 'm-1', onProgress: (p) => seen.push(p.phase) });
  assert.ok(f.rows > 0);
  assert.deepEqual(seen, ['read']);
  const { cancelExport } = await import('../../../electron/ipc/transfers');
  const p = produceExportOffThread(ctx, { kind: 'indicators.xlsx' }, { exportId: 'm-2' });
  assert.equal(cancelExport('m-2'), true);
  await assert.rejects(p, ExportCancelledError);
  db.close();
});
