// Reading imports off the main thread (electron/import/worker.ts): the same result as reading
// in-process, a time limit and a heap limit with Chinese messages, and the main thread free
// while a file is being read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSpreadsheetOffThread, workerEntry } from '../../electron/import/offthread';
import { readSpreadsheet } from '../../electron/import/read';
import { ServiceError } from '../../electron/core/context';
import { findDepartment } from '../../electron/services/departments';
import { exportLedger } from '../../electron/export/xlsx/ledger';
import { createDispatcher } from '../../electron/ipc/router';
import { dbHash, freshDb, isChinese } from './builders';

test('the worker reads a ledger exactly as the in-process reader does', async () => {
  const h = freshDb();
  const good = (await exportLedger(h.ctx, { deptId: findDepartment(h.ctx, '省发展改革委')!.id })).buffer;
  assert.ok(workerEntry()?.file.endsWith('worker.ts'), 'from sources the worker is this .ts through tsx');
  assert.deepEqual(await readSpreadsheetOffThread('a.xlsx', good), readSpreadsheet('a.xlsx', good));
  // a ServiceError from inside the worker arrives as a ServiceError with its message
  await assert.rejects(readSpreadsheetOffThread('a.xlsx', good.subarray(0, 500)), (e: unknown) => e instanceof ServiceError && e.code === 'VALIDATION' && /损坏|不完整/.test(e.message));
  h.close();
});

test('time limit and heap limit end the worker with a Chinese message', async () => {
  const csv = Buffer.from('编号,状态\n' + '4.1.1.1,未启动\n'.repeat(150_000));
  await assert.rejects(readSpreadsheetOffThread('big.csv', csv, { timeoutMs: 50 }), (e: unknown) => e instanceof ServiceError && /超过 0 秒|秒仍未完成/.test(e.message) && isChinese(e.message));
  await assert.rejects(readSpreadsheetOffThread('big.csv', csv, { maxOldGenerationSizeMb: 8 }), (e: unknown) => e instanceof ServiceError && /内存上限/.test(e.message));
});

test('the main thread keeps running while a big file is read; import.preview through the dispatcher uses the worker', async () => {
  const h = freshDb();
  const before = dbHash(h.db);
  const csv = Buffer.from('编号,状态\n' + '4.1.1.1,未启动\n'.repeat(190_000));
  let ticks = 0;
  const iv = setInterval(() => ticks++, 10);
  const dispatch = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 't' });
  const t = Date.now();
  const r = await dispatch('import.preview', { fileName: 'big.csv', base64: csv.toString('base64') });
  clearInterval(iv);
  const ms = Date.now() - t;
  assert.ok(r.ok || isChinese(r.error.message), JSON.stringify(r).slice(0, 300));
  // the reading part ran elsewhere: the event loop ticked during it
  assert.ok(ticks > 3, `${ticks} ticks in ${ms} ms`);
  assert.equal(dbHash(h.db), before);
  h.close();
});
