// The import's read AND diff off the main thread: startImport has the worker open the database
// read-only and make the preview there. The preview is the one previewImport makes in-process;
// applying it writes the same; refusals keep their Chinese message; an in-memory database or a
// database file the worker cannot open falls back to diffing on the caller's connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { backupsDir } from '../../../electron/db/backup';
import { fromJsonText, joinSplitJson } from '../../../shared/ipc/json-text';
import { createDispatcher } from '../../../electron/ipc/router';
import * as XLSX from 'xlsx';
import { initWorkbenchDb } from '../../../electron/db/open';
import { contextFor, ServiceError } from '../../../electron/core/context';
import { findDepartment } from '../../../electron/services/departments';
import { applyEdits, getMeasure, listMeasures } from '../../../electron/services/measures';
import { setIdentity } from '../../../electron/services/settings';
import { exportLedger, HEADER_ROW } from '../../../electron/export/xlsx/ledger';
import { previewImport } from '../../../electron/import';
import { prepareReader, readAndPreviewOffThread, readerReady, readerWaiting, stopStandbyReader } from '../../../electron/import/offthread';
import { finishImport, startImport } from '../../../electron/ipc/transfers';
import { LEDGER_COLUMNS } from '../../../shared/ledger';
import type { ImportPreview } from '../../../shared/import';
import { dbHash, freshDb, isChinese } from '../../hostile/builders';

/** A department's returned ledger: progress and status changed on the first n rows. */
async function returned(ctx: Parameters<typeof exportLedger>[0], n: number): Promise<{ bytes: Buffer; ids: string[] }> {
  const buf = (await exportLedger(ctx, { deptId: findDepartment(ctx, '省发展改革委')!.id })).buffer;
  const wb = XLSX.read(buf, { type: 'buffer' });
  const ws = wb.Sheets['任务分工台账'];
  const col = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key);
  const ids: string[] = [];
  for (let r = HEADER_ROW; r < HEADER_ROW + n; r++) {
    ids.push(String(ws[XLSX.utils.encode_cell({ r, c: 0 })].v));
    ws[XLSX.utils.encode_cell({ r, c: col('progress') })] = { t: 's', v: `第${r}行：已完成年度目标` };
    ws[XLSX.utils.encode_cell({ r, c: col('status') })] = { t: 's', v: '推进中' };
  }
  return { bytes: XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer, ids };
}

const withoutId = <T extends { previewId?: string }>(p: T) => {
  const { previewId: _id, ...rest } = p;
  return rest;
};

test('the worker diffs against a read-only connection: the same preview as in-process, applied the same', async () => {
  const h = freshDb('czt-offthread-');
  setIdentity(h.ctx, { name: '测试员', unit: '测试处' });
  const { bytes, ids } = await returned(h.ctx, 5);
  const before = dbHash(h.db);
  const r = await readAndPreviewOffThread('回传.xlsx', bytes, { path: h.file });
  assert.ok(r.preview && !r.wb, 'the worker made the preview (as JSON text)');
  const here = previewImport(h.ctx, { name: '回传.xlsx', bytes });
  assert.deepEqual(joinSplitJson(r.preview!), JSON.parse(JSON.stringify(here)));
  assert.equal(r.errors, here.errors.length);
  assert.equal(here.changes.length, 5);

  const started = await startImport(h.ctx, '回传.xlsx', bytes);
  assert.deepEqual(withoutId(started), JSON.parse(JSON.stringify(here)));
  assert.equal(dbHash(h.db), before, 'previewing writes nothing');
  const sum = await finishImport(h.ctx, started.previewId, { onConflict: 'keep' });
  assert.equal(sum.changed, 5);
  for (const id of ids) {
    assert.equal(getMeasure(h.ctx, id).status, '推进中');
    assert.match(getMeasure(h.ctx, id).progress, /已完成年度目标/);
  }
  h.close();
});

test('a reader started ahead (import.prepare) takes the next file: the same preview, one file per thread, a bad file refused as before', async () => {
  const h = freshDb('czt-standby-');
  setIdentity(h.ctx, { name: '测试员', unit: '测试处' });
  const { bytes } = await returned(h.ctx, 4);
  const here = JSON.parse(JSON.stringify(previewImport(h.ctx, { name: '回传.xlsx', bytes })));
  try {
    assert.equal(readerWaiting(), false);
    assert.equal(prepareReader(), true);
    assert.equal(readerWaiting(), true);
    assert.equal(prepareReader(), true, 'asking again keeps the one waiting');
    const r = await readAndPreviewOffThread('回传.xlsx', bytes, { path: h.file });
    assert.equal(readerWaiting(), false, 'the waiting reader took the file (and is gone with it)');
    assert.deepEqual(joinSplitJson(r.preview!), here);
    // the next file without a spare reader: a thread of its own, the same answer
    const cold = await readAndPreviewOffThread('回传.xlsx', bytes, { path: h.file });
    assert.deepEqual(joinSplitJson(cold.preview!), here);
    // given the database, the spare reader warms up on a ledger of its own first: nothing written, the same answer
    const before = dbHash(h.db);
    assert.equal(prepareReader({ path: h.file }), true);
    await new Promise((r) => setTimeout(r, 300));
    const warm = await readAndPreviewOffThread('回传.xlsx', bytes, { path: h.file });
    assert.deepEqual(joinSplitJson(warm.preview!), here);
    assert.equal(dbHash(h.db), before, 'the warm-up wrote nothing');
    // a spare reader refuses a file that is no spreadsheet with the same Chinese message
    prepareReader();
    await assert.rejects(readAndPreviewOffThread('回传.xlsx', Buffer.from('这不是表格文件'), { path: h.file }), (e: Error) => e instanceof ServiceError && isChinese(e.message));
    assert.equal(readerWaiting(), false);
    prepareReader();
  } finally {
    await stopStandbyReader();
    assert.equal(readerWaiting(), false);
    h.close();
  }
});

test('a warmed reader uses the states it read ahead only while nothing has been committed since', async () => {
  const h = freshDb('czt-readahead-');
  setIdentity(h.ctx, { name: '测试员', unit: '测试处' });
  const { bytes, ids } = await returned(h.ctx, 4);
  try {
    // nothing changed since the read-ahead: used, and the same preview as in-process
    assert.equal(prepareReader({ path: h.file }), true);
    assert.equal(await readerReady(), true);
    const fresh = await readAndPreviewOffThread('回传.xlsx', bytes, { path: h.file });
    assert.equal(fresh.readAhead, true, 'the states read ahead were used');
    assert.deepEqual(joinSplitJson(fresh.preview!), JSON.parse(JSON.stringify(previewImport(h.ctx, { name: '回传.xlsx', bytes }))));

    // a measure the ledger changes is edited here after the read-ahead: the reader reads again, and
    // the preview shows what the database holds now (a conflict for that row, not a plain change)
    assert.equal(prepareReader({ path: h.file }), true);
    assert.equal(await readerReady(), true);
    applyEdits(h.ctx, [{ measureId: ids[0], patch: { progress: '本处刚改的进展' } }], '编辑');
    const after = await readAndPreviewOffThread('回传.xlsx', bytes, { path: h.file });
    assert.equal(after.readAhead, false, 'the states read ahead were dropped');
    const here = previewImport(h.ctx, { name: '回传.xlsx', bytes });
    assert.deepEqual(joinSplitJson(after.preview!), JSON.parse(JSON.stringify(here)));
    assert.ok(here.conflicts.some((c) => c.rowId === ids[0] && c.fields.some((f) => f.ours === '本处刚改的进展')), 'the edit made here is in the preview');
    assert.equal(joinSplitJson<ImportPreview>(fresh.preview!).conflicts.length, 0, 'before the edit there was no conflict');
    // applying an import stops a spare reader (its read-ahead would be stale; the page asks for a new one)
    assert.equal(prepareReader({ path: h.file }), true);
    const started = await startImport(h.ctx, '回传.xlsx', bytes);
    assert.equal(prepareReader({ path: h.file }), true);
    assert.equal(readerWaiting(), true);
    await finishImport(h.ctx, started.previewId, { onConflict: 'keep' });
    assert.equal(readerWaiting(), false, 'the apply stopped the spare reader');
  } finally {
    await stopStandbyReader();
    h.close();
  }
});

test('a refusal made by the diff in the worker keeps its Chinese message', async () => {
  const h = freshDb('czt-offthread-');
  const ws = XLSX.utils.aoa_to_sheet([
    ['序号', '金额'],
    [1, 2],
  ]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '其他表');
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  let inProcess = '';
  try {
    previewImport(h.ctx, { name: '其他.xlsx', bytes });
  } catch (e) {
    inProcess = (e as Error).message;
  }
  assert.ok(isChinese(inProcess));
  await assert.rejects(readAndPreviewOffThread('其他.xlsx', bytes, { path: h.file }), (e: unknown) => e instanceof ServiceError && e.message === inProcess);
  await assert.rejects(startImport(h.ctx, '其他.xlsx', bytes), (e: unknown) => e instanceof ServiceError && e.message === inProcess);
  h.close();
});

test('an in-memory database, or a file the worker cannot open: the diff is made on the caller connection', async () => {
  const h = freshDb('czt-offthread-');
  const { bytes } = await returned(h.ctx, 3);
  const gone = await readAndPreviewOffThread('回传.xlsx', bytes, { path: path.join(h.dir, '不存在.db') });
  assert.ok(gone.wb && gone.preview === undefined);
  h.close();

  const mem = initWorkbenchDb(':memory:');
  const ctx = contextFor(mem);
  const { bytes: memBytes, ids } = await returned(ctx, 3);
  const started = await startImport(ctx, '回传.xlsx', memBytes);
  assert.deepEqual(withoutId(started), JSON.parse(JSON.stringify(previewImport(ctx, { name: '回传.xlsx', bytes: memBytes }))));
  await finishImport(ctx, started.previewId, { onConflict: 'keep' });
  assert.ok(ids.every((id) => listMeasures(ctx).find((m) => m.id === id)!.status === '推进中'));
  mem.close();
});

test('apply runs in a worker with its own connection: same result as in-process, the caller connection writes nothing, its thread keeps ticking', async () => {
  const a = freshDb('czt-offthread-apply-');
  const b = freshDb('czt-offthread-apply-');
  for (const h of [a, b]) setIdentity(h.ctx, { name: '测试员', unit: '测试处' });
  const { bytes, ids } = await returned(a.ctx, 12);
  const startedA = await startImport(a.ctx, '回传.xlsx', bytes);
  const startedB = await startImport(b.ctx, '回传.xlsx', bytes);
  assert.equal(startedA.changes.length, 12);

  const changesBefore = (a.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const pending = finishImport(a.ctx, startedA.previewId, { onConflict: 'keep' });
  const sumA = await pending;
  clearInterval(timer);
  // every write went through the worker's connection, none through the caller's
  assert.equal((a.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n, changesBefore);
  assert.ok(ticks > 0, 'the caller thread ran timers while the worker applied');
  // the caller's connection sees the result at once (and the search index follows the log)
  for (const id of ids) assert.match(getMeasure(a.ctx, id).progress, /已完成年度目标/);

  const sumB = await finishImport(b.ctx, startedB.previewId, { onConflict: 'keep' }, { inProcess: true });
  assert.deepEqual(sumA, sumB);
  // each made its before-import backup (a's in the worker, before its writes): the measures as they were
  for (const h of [a, b]) {
    const dir = backupsDir(h.file);
    const made = fs.readdirSync(dir).filter((n) => n.includes('before-import'));
    assert.equal(made.length, 1, `${h.file}: ${fs.readdirSync(dir).join(', ')}`);
    const snap = new Database(path.join(dir, made[0]), { readonly: true });
    try {
      for (const id of ids) {
        const row = snap.prepare('SELECT progress FROM measure WHERE id = ?').get(id) as { progress: string };
        assert.doesNotMatch(row.progress, /已完成年度目标/, id);
      }
      assert.equal((snap.prepare("SELECT count(*) AS n FROM audit WHERE op LIKE '%导入%'").get() as { n: number }).n, 0);
    } finally {
      snap.close();
    }
  }
  const state = (h: typeof a) =>
    JSON.stringify(listMeasures(h.ctx).map((m) => [m.id, m.status, m.progress, m.note, m.leadId, m.coIds, m.cities, m.deadline]));
  assert.equal(state(a), state(b));
  const audit = (h: typeof a) =>
    h.db.prepare("SELECT tbl, row_id, field, old_value, new_value, actor, unit, op FROM audit WHERE op LIKE '%导入%' ORDER BY row_id, field").all();
  assert.deepEqual(audit(a), audit(b));
  assert.ok(audit(a).length >= 24, 'one audit row per changed field');
  // a preview is applied once
  await assert.rejects(finishImport(a.ctx, startedA.previewId, { onConflict: 'keep' }), /导入预览已失效/);
  a.close();
  b.close();
});

test('a before-import backup that cannot be made stops the import: nothing written, a Chinese reason, in the worker and in-process', async () => {
  for (const inProcess of [false, true]) {
    const h = freshDb('czt-offthread-nobackup-');
    setIdentity(h.ctx, { name: '测试员', unit: '测试处' });
    const { bytes } = await returned(h.ctx, 3);
    const started = await startImport(h.ctx, '回传.xlsx', bytes);
    assert.equal(started.changes.length, 3);
    // a file where the backups folder goes: the backup cannot be written
    fs.rmSync(backupsDir(h.file), { recursive: true, force: true });
    fs.writeFileSync(backupsDir(h.file), 'not a folder');
    const before = dbHash(h.db);
    await assert.rejects(finishImport(h.ctx, started.previewId, { onConflict: 'keep' }, { inProcess }), (e: Error) => {
      assert.match(e.message, /^导入前的备份未能完成，未写入任何内容/, `inProcess ${inProcess}`);
      assert.ok(isChinese(e.message));
      return true;
    });
    assert.equal(dbHash(h.db), before, `inProcess ${inProcess}: nothing written`);
    h.close();
  }
  // as the page sees it through the dispatcher: the reason itself, not an internal error
  const h = freshDb('czt-offthread-nobackup-');
  setIdentity(h.ctx, { name: '测试员', unit: '测试处' });
  const dsp = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 't' });
  const { bytes } = await returned(h.ctx, 3);
  const p = await dsp('import.preview', { fileName: '回传.xlsx', base64: bytes.toString('base64') });
  assert.ok(p.ok);
  fs.rmSync(backupsDir(h.file), { recursive: true, force: true });
  fs.writeFileSync(backupsDir(h.file), 'not a folder');
  const before = dbHash(h.db);
  const r = await dsp('import.apply', { previewId: fromJsonText<{ previewId: string }>(p.value as never).previewId, choices: { onConflict: 'keep' } });
  assert.ok(!r.ok && r.error.code === 'BACKUP_FAILED', JSON.stringify(r));
  assert.match(r.error.message, /^导入前的备份未能完成，未写入任何内容/);
  assert.equal(dbHash(h.db), before);
  h.close();
});
