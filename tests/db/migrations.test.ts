import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, LATEST_VERSION, type Migration } from '../../electron/db/migrations';
import { openWorkbenchDb, initWorkbenchDb, WorkbenchDbError } from '../../electron/db/open';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'czt-db-'));

test('versions increase by one from 1', () => {
  MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1));
  assert.equal(LATEST_VERSION, MIGRATIONS.length);
});

test('a new database is migrated to the latest version with WAL, foreign keys and STRICT tables', () => {
  const f = path.join(tmp(), 'a.db');
  const db = openWorkbenchDb(f);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('synchronous', { simple: true }), 2); // FULL
  // SQLite's own tables (sqlite_sequence for AUTOINCREMENT) are not ours to declare STRICT
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
  for (const t of tables) assert.match(t.sql, /STRICT/, t.name);
  assert.throws(() => db.prepare("INSERT INTO measure_city (measure_id, city) VALUES ('x', '长沙市')").run(), /FOREIGN KEY/);
  db.close();
});

test('migration N-1 → N keeps the data (each migration: migrate to N-1, insert, migrate to N, compare)', () => {
  // with one migration so far, N-1 is the empty database: the test runs the same way for later ones
  for (let n = 1; n <= LATEST_VERSION; n++) {
    const f = path.join(tmp(), `m${n}.db`);
    const before = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, n - 1), seedIfEmpty: n - 1 >= 1 });
    const countsBefore = n - 1 >= 1 ? (before.prepare('SELECT count(*) n FROM measure').get() as { n: number }).n : 0;
    before.close();
    const after = openWorkbenchDb(f, { seedIfEmpty: true });
    assert.equal(after.pragma('user_version', { simple: true }), LATEST_VERSION);
    const countsAfter = (after.prepare('SELECT count(*) n FROM measure').get() as { n: number }).n;
    if (countsBefore) assert.equal(countsAfter, countsBefore);
    assert.equal(countsAfter, 357);
    after.close();
  }
});

test('migration 8 drops audit_row; a row\'s history is still read through an index (audit_field), not a scan', () => {
  const f = path.join(tmp(), 'idx.db');
  const v7 = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, 7), seedIfEmpty: true });
  const idx = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='audit'").all() as { name: string }[]).map((r) => r.name).sort();
  assert.deepEqual(idx(v7), ['audit_actor', 'audit_field', 'audit_op', 'audit_row']);
  v7.close();
  const db = openWorkbenchDb(f);
  assert.deepEqual(idx(db), ['audit_actor', 'audit_field', 'audit_op']);
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  assert.match(plan("SELECT * FROM audit WHERE tbl = 'measure' AND row_id = '1.1.1-1' ORDER BY id DESC LIMIT 500"), /USING INDEX audit_field \(tbl=\? AND row_id=\?\)/);
  assert.match(plan("SELECT * FROM audit WHERE tbl = 'measure' AND row_id = '1.1.1-1' AND field = 'status' AND id > 0 ORDER BY id"), /USING INDEX audit_field \(tbl=\? AND row_id=\? AND field=\? AND id>\?\)/);
  db.close();
});

test('a backup is taken before migrating a database that has data', () => {
  const dir = tmp();
  const f = path.join(dir, 'b.db');
  initWorkbenchDb(f).close();
  const extra: Migration = { version: LATEST_VERSION + 1, name: 'test-extra', up: (db) => db.exec('CREATE TABLE extra (x INTEGER) STRICT') };
  const db = openWorkbenchDb(f, { migrations: [...MIGRATIONS, extra] });
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION + 1);
  db.close();
  const backups = fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.endsWith('-before-migration.db'));
  assert.equal(backups.length, 1);
  const b = new Database(path.join(dir, 'backups', backups[0]), { readonly: true });
  assert.equal(b.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.equal((b.prepare('SELECT count(*) n FROM measure').get() as { n: number }).n, 357);
  b.close();
});

test('a failed migration leaves data and version unchanged', () => {
  const f = path.join(tmp(), 'c.db');
  initWorkbenchDb(f).close();
  const bad: Migration = {
    version: LATEST_VERSION + 1,
    name: 'bad',
    up: (db) => {
      db.exec("UPDATE measure SET note = 'changed'");
      throw new Error('boom');
    },
  };
  assert.throws(() => openWorkbenchDb(f, { migrations: [...MIGRATIONS, bad] }), (e: unknown) => e instanceof WorkbenchDbError && e.code === 'MIGRATION_FAILED' && /未改变/.test(e.message));
  const db = new Database(f);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  assert.equal((db.prepare("SELECT count(*) n FROM measure WHERE note = 'changed'").get() as { n: number }).n, 0);
  db.close();
});

test('a database from a newer build is refused, untouched', () => {
  const f = path.join(tmp(), 'd.db');
  initWorkbenchDb(f).close();
  const raw = new Database(f);
  raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
  raw.close();
  const before = fs.readFileSync(f);
  assert.throws(() => openWorkbenchDb(f), (e: unknown) => e instanceof WorkbenchDbError && e.code === 'NEWER_VERSION' && /更新版本/.test(e.message));
  assert.ok(fs.readFileSync(f).equals(before));
});

test('a file that is not a database is reported in Chinese', () => {
  const f = path.join(tmp(), 'e.db');
  fs.writeFileSync(f, 'this is not sqlite'.repeat(100));
  assert.throws(() => openWorkbenchDb(f), (e: unknown) => e instanceof WorkbenchDbError && e.code === 'CORRUPT');
});

test('init refuses to overwrite without force', () => {
  const f = path.join(tmp(), 'f.db');
  initWorkbenchDb(f).close();
  assert.throws(() => initWorkbenchDb(f), /--force/);
  initWorkbenchDb(f, { force: true }).close();
});

test('migration 9 brings a database made before the 2023–24 reform up to the directory without touching an allocation', () => {
  const f = path.join(tmp(), 'dir.db');
  // a version-8 database with the directory as it was then: 省地方金融监管局 and 省政务局, none of
  // the units added since, and a 省信访局 a person added by hand
  const old = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, 8), seedIfEmpty: true });
  const added = ['省委政法委', '省委编办', '省委人才办', '省外办', '省政府督查室', '省信访局', '省高级人民法院', '省人民检察院', '湖南金融监管局', '湖南证监局'];
  const idOf = (db: Database.Database, n: string) => (db.prepare('SELECT id FROM department WHERE name = ?').get(n) as { id: number } | undefined)?.id;
  const ndrc = idOf(old, '省发展改革委')!;
  old.transaction(() => {
    for (const n of added) {
      const id = idOf(old, n)!;
      old.prepare('UPDATE measure SET lead_id = ? WHERE lead_id = ?').run(ndrc, id);
      old.prepare('DELETE FROM measure_co WHERE dept_id = ?').run(id);
      old.prepare('DELETE FROM dept_alias WHERE dept_id = ?').run(id);
      old.prepare('DELETE FROM department WHERE id = ?').run(id);
    }
    for (const [now, was] of [['省委金融办', '省地方金融监管局'], ['省数据局', '省政务局']]) {
      const id = idOf(old, now)!;
      old.prepare('DELETE FROM dept_alias WHERE dept_id = ?').run(id);
      old.prepare('UPDATE department SET name = ? WHERE id = ?').run(was, id);
    }
    old.prepare("INSERT INTO department (name, level, city, ord, source) VALUES ('省信访局', '省直', NULL, 999, 'user')").run();
  })();
  const fin = idOf(old, '省地方金融监管局')!;
  const gov = idOf(old, '省政务局')!;
  // allocations a person made: a confirmed lead on the renamed unit, a co-operation, cities
  old.prepare("UPDATE measure SET lead_id = ?, lead_confirmed = 1, suggest_reason = NULL WHERE id = '8.1.3.2'").run(fin);
  old.prepare("INSERT INTO measure_co (measure_id, dept_id, ord) VALUES ('8.1.3.2', ?, 0)").run(gov);
  const snapshot = (db: Database.Database) => ({
    measures: db.prepare('SELECT id, lead_id, lead_confirmed, suggest_reason FROM measure ORDER BY id').all(),
    co: db.prepare('SELECT * FROM measure_co ORDER BY measure_id, dept_id').all(),
    cities: db.prepare('SELECT * FROM measure_city ORDER BY measure_id, city').all(),
  });
  const before = snapshot(old);
  const deptCount = (old.prepare('SELECT count(*) n FROM department').get() as { n: number }).n;
  old.close();

  const db = openWorkbenchDb(f);
  assert.deepEqual(snapshot(db), before, 'no allocation changed');
  // renamed in place: same id, the former name an alias
  assert.equal(idOf(db, '省委金融办'), fin);
  assert.equal(idOf(db, '省数据局'), gov);
  const alias = (n: string) => (db.prepare('SELECT dept_id FROM dept_alias WHERE alias = ?').get(n) as { dept_id: number } | undefined)?.dept_id;
  assert.equal(alias('省地方金融监管局'), fin);
  assert.equal(alias('湖南省地方金融管理局'), fin);
  assert.equal(alias('省政务局'), gov);
  // the missing units are there with their full names as aliases; the hand-made 省信访局 is kept, not doubled
  for (const n of added) assert.ok(idOf(db, n), n);
  assert.equal((db.prepare('SELECT count(*) n FROM department').get() as { n: number }).n, deptCount + added.length - 1);
  assert.equal((db.prepare("SELECT source FROM department WHERE name = '省信访局'").get() as { source: string }).source, 'user');
  assert.equal(alias('国家金融监督管理总局湖南监管局'), idOf(db, '湖南金融监管局'));
  assert.equal(alias('湖南银保监局'), idOf(db, '湖南金融监管局'));
  assert.equal(alias('湖南省高级人民法院'), idOf(db, '省高级人民法院'));
  // the history says what the upgrade did
  const ops = (db.prepare("SELECT op, old_value o, new_value n FROM audit WHERE actor = '工作台升级' ORDER BY id").all() as { op: string; o: string | null; n: string }[]);
  assert.deepEqual(ops.filter((a) => a.op === '机构改革更名').map((a) => `${a.o}→${a.n}`), ['省地方金融监管局→省委金融办', '省政务局→省数据局']);
  assert.equal(ops.filter((a) => a.op === '新增部门').length, added.length - 1);
  // suggest_unsure exists, 0 for the suggestions made before it
  assert.equal((db.prepare('SELECT count(*) n FROM measure WHERE suggest_unsure = 1').get() as { n: number }).n, 0);
  db.close();

  // a database made now has the same directory from seeds/ (the migration found nothing to do)
  const fresh = initWorkbenchDb(path.join(tmp(), 'new.db'));
  for (const n of [...added, '省委金融办', '省数据局']) assert.ok(idOf(fresh, n), n);
  assert.ok((fresh.prepare('SELECT count(*) n FROM measure WHERE suggest_unsure = 1').get() as { n: number }).n > 0);
  assert.equal((fresh.prepare("SELECT count(*) n FROM audit WHERE actor = '工作台升级'").get() as { n: number }).n, 0);
  fresh.close();
});
