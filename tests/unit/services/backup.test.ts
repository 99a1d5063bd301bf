import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { initWorkbenchDb, openWorkbenchDb, WorkbenchDbError } from '../../../electron/db/open';
import { LATEST_VERSION, MIGRATIONS, type Migration } from '../../../electron/db/migrations';
import { contextFor } from '../../../electron/core/context';
import { applyEdits, getMeasure } from '../../../electron/services/measures';
import { backupDatabase, backupsDir, backupsToKeep, createBackup, latestGoodBackup, listBackups } from '../../../electron/db/backup';
import { recoverFromLatestBackup, restoreDatabase } from '../../../electron/services/backup';
import { createDispatcher } from '../../../electron/ipc/router';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'czt-bak-'));

test('online backup: a whole, self-contained, quick-checked file while the database is open', async () => {
  const dir = tmp();
  const f = path.join(dir, 'w.db');
  const db = initWorkbenchDb(f);
  applyEdits(contextFor(db), [{ measureId: '4.1.1.1', patch: { note: '在备份里' } }], '编辑');
  const r = await backupDatabase(db, path.join(dir, 'out', 'b.db'));
  assert.ok(r.bytes > 100000);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')), ['b.db'], 'no -wal/-shm/.part left');
  const b = new Database(r.file, { readonly: true });
  assert.equal(b.pragma('journal_mode', { simple: true }), 'delete');
  assert.equal(b.pragma('quick_check', { simple: true }), 'ok');
  assert.equal((b.prepare("SELECT note FROM measure WHERE id='4.1.1.1'").get() as { note: string }).note, '在备份里');
  b.close();
  db.close();
});

test('rotation keeps the 10 most recent plus one a day for 30 days, never fewer than 10', () => {
  const now = new Date(2025, 5, 30, 12);
  const list: { name: string; at: Date }[] = [];
  // 40 days, 5 a day
  for (let d = 0; d < 40; d++) for (let h = 0; h < 5; h++) list.push({ name: `b-${d}-${h}`, at: new Date(2025, 5, 30 - d, 8 + h) });
  const keep = backupsToKeep(list, now);
  // 10 recent (2 days' worth) + one per day for the other days within 30 days
  assert.ok(keep.has('b-0-4') && keep.has('b-1-0'));
  assert.ok(keep.has('b-29-4'));
  assert.ok(!keep.has('b-35-4'));
  assert.ok(!keep.has('b-5-3'));
  assert.equal(keep.size, 10 + 28 + 1);
  // old ones only: still 10 kept
  const old = Array.from({ length: 15 }, (_, i) => ({ name: `o${i}`, at: new Date(2024, 0, 1 + i) }));
  assert.equal(backupsToKeep(old, now).size, 10);
});

test('backups in backups/ with the kind in the name; before-migration replaces the old VACUUM INTO beside the file', async () => {
  const dir = tmp();
  const f = path.join(dir, 'w.db');
  initWorkbenchDb(f).close();
  const extra: Migration = { version: LATEST_VERSION + 1, name: 'x', up: (db) => db.exec('CREATE TABLE extra (x INTEGER) STRICT') };
  const db = openWorkbenchDb(f, { migrations: [...MIGRATIONS, extra] });
  await createBackup(db, f, 'manual');
  const list = listBackups(f);
  assert.deepEqual(list.map((b) => b.kind).sort(), ['before-migration', 'manual']);
  const mig = list.find((b) => b.kind === 'before-migration')!;
  assert.equal(mig.ok, true);
  assert.equal(mig.version, LATEST_VERSION);
  assert.match(mig.name, /^w-\d{8}-\d{6}-\d{3}-before-migration\.db$/);
  db.close();
});

test('restore: validates the source, keeps the current data as before-restore, replaces the content', async () => {
  const dir = tmp();
  const f = path.join(dir, 'w.db');
  let db = initWorkbenchDb(f);
  const ctx = contextFor(db);
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '旧' } }], '编辑');
  const b = await createBackup(db, f, 'manual');
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '新' } }], '编辑');
  db.close();
  // bad sources change nothing
  const garbage = path.join(dir, 'g.db');
  fs.writeFileSync(garbage, 'not a database at all'.repeat(100));
  await assert.rejects(restoreDatabase(f, garbage), /完整性检查|不能用于恢复/);
  const other = path.join(dir, 'o.db');
  new Database(other).exec('CREATE TABLE t (x)');
  await assert.rejects(restoreDatabase(f, other), /不是长株潭规划工作台的数据库/);
  const newer = path.join(dir, 'n.db');
  fs.copyFileSync(b.file, newer);
  const nd = new Database(newer);
  nd.pragma(`user_version = ${LATEST_VERSION + 5}`);
  nd.close();
  await assert.rejects(restoreDatabase(f, newer), /高于本程序支持的版本/);
  assert.equal(listBackups(f).length, 1);
  const r = await restoreDatabase(f, b.file);
  assert.ok(r.keptAs && fs.existsSync(r.keptAs));
  db = openWorkbenchDb(f);
  assert.equal(getMeasure(contextFor(db), '4.1.1.1').note, '旧');
  db.close();
  const kept = new Database(r.keptAs!, { readonly: true });
  assert.equal((kept.prepare("SELECT note FROM measure WHERE id='4.1.1.1'").get() as { note: string }).note, '新');
  kept.close();
});

test('backup.list / backup.create / backup.restore through the dispatcher, on the live connection', async () => {
  const dir = tmp();
  const f = path.join(dir, 'w.db');
  const db = initWorkbenchDb(f);
  const ctx = contextFor(db);
  const dispatch = createDispatcher(db, { shell: 'web', dbPath: f, version: 't' });
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '备份时' } }], '编辑');
  const c = await dispatch('backup.create', {});
  assert.equal(c.ok, true);
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '之后' } }], '编辑');
  const l = await dispatch('backup.list', {});
  assert.ok(l.ok);
  const entries = l.value as { name: string; kind: string; ok: boolean }[];
  assert.equal(entries.length, 1);
  assert.equal(entries[0].ok, true);
  assert.equal((await dispatch('backup.restore', { name: '../w.db' })).ok, false);
  assert.equal((await dispatch('backup.restore', { name: 'nope.db' })).ok, false);
  const r = await dispatch('backup.restore', { name: entries[0].name });
  assert.ok(r.ok, JSON.stringify(r));
  // the same connection now reads the restored data
  assert.equal(getMeasure(ctx, '4.1.1.1').note, '备份时');
  applyEdits(ctx, [{ measureId: '4.1.1.2', patch: { note: '恢复后可写' } }], '编辑');
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const kinds = ((await dispatch('backup.list', {})) as { value: { kind: string }[] }).value.map((e) => e.kind).sort();
  assert.deepEqual(kinds, ['before-restore', 'manual']);
  db.close();
});

test('start-up: a damaged file is refused as CORRUPT, and recovery restores the latest good backup keeping the damaged file', async () => {
  const dir = tmp();
  const f = path.join(dir, 'w.db');
  const db = initWorkbenchDb(f);
  await createBackup(db, f, 'auto');
  db.close();
  // damage the middle of the file
  const buf = fs.readFileSync(f);
  for (let i = 8192; i < buf.length - 4096; i += 4096) buf.fill(0x5a, i + 100, i + 1000);
  fs.writeFileSync(f, buf);
  assert.throws(
    () => openWorkbenchDb(f),
    (e: unknown) => e instanceof WorkbenchDbError && e.code === 'CORRUPT' && /损坏/.test(e.message),
  );
  assert.ok(latestGoodBackup(f));
  const r = await recoverFromLatestBackup(f);
  assert.ok(r && r.brokenAside && fs.existsSync(r.brokenAside));
  const again = openWorkbenchDb(f);
  assert.equal(again.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal((again.prepare('SELECT count(*) n FROM measure').get() as { n: number }).n, 357);
  again.close();
  assert.equal(fs.existsSync(backupsDir(f)), true);
});
