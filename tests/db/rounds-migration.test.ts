// Migration 10 (调度轮次, issue 18): the round tables on a database made before them, STRICT, with
// the constraints that keep a round consistent (states, one live report per measure, dates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../../electron/db/migrations';
import { initWorkbenchDb, openWorkbenchDb } from '../../electron/db/open';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'czt-db10-'));
const ROUND_TABLES = ['attachment', 'round', 'round_dept', 'round_event', 'round_evidence', 'round_measure', 'round_report', 'round_snapshot', 'round_submission'];

test('migration 10 adds the round tables to a version-9 database, STRICT, keeping every measure and audit row', () => {
  const f = path.join(tmp(), 'v9.db');
  const v9 = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, 9), seedIfEmpty: true });
  v9.prepare("UPDATE measure SET progress = '已开工' WHERE id = '4.1.1.1'").run();
  const audit = (v9.prepare('SELECT count(*) n FROM audit').get() as { n: number }).n;
  const tablesBefore = (v9.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'round%'").all() as unknown[]).length;
  assert.equal(tablesBefore, 0);
  v9.close();
  // to migration 10 exactly (later ones, such as 11-sync, have their own tests)
  const db = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, 10) });
  assert.equal(db.pragma('user_version', { simple: true }), 10);
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type='table' AND (name LIKE 'round%' OR name = 'attachment') ORDER BY name").all() as { name: string; sql: string }[];
  assert.deepEqual(tables.map((t) => t.name), ROUND_TABLES);
  for (const t of tables) assert.match(t.sql, /STRICT/, t.name);
  assert.equal((db.prepare("SELECT progress FROM measure WHERE id = '4.1.1.1'").get() as { progress: string }).progress, '已开工');
  assert.equal((db.prepare('SELECT count(*) n FROM measure').get() as { n: number }).n, 357);
  assert.equal((db.prepare('SELECT count(*) n FROM audit').get() as { n: number }).n, audit);
  db.close();
});

test('the round tables refuse inconsistent rows: bad dates and states, a second live report, a dangling department', () => {
  const db = initWorkbenchDb(path.join(tmp(), 'c.db'));
  const dept = (db.prepare('SELECT id FROM department ORDER BY id LIMIT 1').get() as { id: number }).id;
  const ins = (due: string) =>
    db.prepare("INSERT INTO round (title, period_end, due_date, scope, created_at, created_by) VALUES ('t', '2026-12-31', ?, '{}', 'x', 'y')").run(due);
  assert.throws(() => ins('2026/12/31'), /CHECK/);
  const id = Number(ins('2027-01-10').lastInsertRowid);
  assert.throws(() => db.prepare("UPDATE round SET state = '已结束' WHERE id = ?").run(id), /CHECK/); // closed without closed_at
  assert.throws(() => db.prepare('INSERT INTO round_dept (round_id, dept_id, ord) VALUES (?, 999999, 1)').run(id), /FOREIGN KEY/);
  db.prepare('INSERT INTO round_dept (round_id, dept_id, ord) VALUES (?, ?, 1)').run(id, dept);
  assert.throws(() => db.prepare("UPDATE round_dept SET state = '已报送' WHERE round_id = ?").run(id), /CHECK/); // reported without a time
  assert.throws(() => db.prepare("UPDATE round_dept SET state = '已完成', received_at = 'x' WHERE round_id = ?").run(id), /CHECK/);
  db.prepare("INSERT INTO round_measure (round_id, dept_id, measure_id, role) VALUES (?, ?, '4.1.1.1', '牵头')").run(id, dept);
  assert.throws(() => db.prepare("INSERT INTO round_measure (round_id, dept_id, measure_id, role) VALUES (?, ?, '4.1.1.2', '主办')").run(id, dept), /CHECK/);
  const sub = (sha: string) =>
    Number(
      db
        .prepare("INSERT INTO round_submission (round_id, dept_id, file_name, sha256, bytes, received_at, collected_at, actor, matched_by, rows) VALUES (?, ?, 'a.xlsx', ?, 1, 'x', 'x', 'y', 'meta', 1)")
        .run(id, dept, sha).lastInsertRowid,
    );
  const s1 = sub('a'.repeat(64));
  assert.throws(() => sub('a'.repeat(64)), /UNIQUE/); // the same file twice in one round
  assert.throws(() => sub('G'.repeat(64)), /CHECK/);
  const s2 = sub('b'.repeat(64));
  const report = (s: number) => db.prepare("INSERT INTO round_report (submission_id, round_id, dept_id, measure_id, status, progress, note) VALUES (?, ?, ?, '4.1.1.1', '推进中', 'p', '')").run(s, id, dept);
  report(s1);
  assert.throws(() => report(s2), /UNIQUE/); // one live report per department and measure
  db.prepare("UPDATE round_report SET state = '已替换' WHERE submission_id = ?").run(s1);
  report(s2);
  // a report for a measure outside the department's part
  assert.throws(() => db.prepare("INSERT INTO round_report (submission_id, round_id, dept_id, measure_id, status, progress, note) VALUES (?, ?, ?, '4.1.1.2', '推进中', 'p', '')").run(s2, id, dept), /FOREIGN KEY/);
  assert.throws(() => db.prepare("INSERT INTO round_event (round_id, kind, at, actor, detail) VALUES (?, '删除', 'x', 'y', '{}')").run(id), /CHECK/);
  db.close();
});
