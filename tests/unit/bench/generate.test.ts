// The benchmark's generator: deterministic, valid ids under existing tasks, audit history present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { generateDatabase } from '../../../electron/bench/generate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-gen-'));

function contentHash(file: string): string {
  const db = new Database(file, { readonly: true });
  const h = createHash('sha256');
  for (const sql of [
    'SELECT * FROM department ORDER BY id',
    'SELECT * FROM measure ORDER BY id',
    'SELECT * FROM measure_co ORDER BY measure_id, dept_id',
    'SELECT * FROM measure_city ORDER BY measure_id, city',
    'SELECT * FROM audit ORDER BY id',
    'SELECT * FROM project ORDER BY id',
    'SELECT * FROM project_year_plan ORDER BY project_id, year',
  ])
    for (const r of db.prepare(sql).all()) h.update(JSON.stringify(r));
  db.close();
  return h.digest('hex');
}

test('same seed, same content; another seed, other content', () => {
  const a = path.join(dir, 'a.db');
  const b = path.join(dir, 'b.db');
  const c = path.join(dir, 'c.db');
  const ra = generateDatabase(a, { measures: 300, projects: 40, seed: 11 });
  generateDatabase(b, { measures: 300, projects: 40, seed: 11 });
  generateDatabase(c, { measures: 300, projects: 40, seed: 12 });
  assert.equal(ra.measures, 300);
  assert.equal(ra.projects, 40);
  assert.equal(contentHash(a), contentHash(b));
  assert.notEqual(contentHash(a), contentHash(c));
});

test('ids valid and unique, every measure under an existing task, audit rows present', () => {
  const f = path.join(dir, 'd.db');
  const r = generateDatabase(f, { measures: 500, projects: 20, seed: 3 });
  const db = new Database(f, { readonly: true });
  const ids = (db.prepare('SELECT id, task_id, ord FROM measure').all() as { id: string; task_id: string; ord: number }[]);
  assert.equal(ids.length, 357 + 500);
  assert.equal(new Set(ids.map((m) => m.id)).size, ids.length);
  for (const m of ids) {
    assert.match(m.id, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(m.id, `${m.task_id}.${m.ord}`);
  }
  const orphans = db.prepare("SELECT count(*) n FROM measure m LEFT JOIN plan_node t ON t.id = m.task_id AND t.kind = 'task' WHERE t.id IS NULL").get() as { n: number };
  assert.equal(orphans.n, 0);
  const audit = db.prepare("SELECT count(*) n, count(DISTINCT row_id) k, count(DISTINCT substr(at, 1, 7)) months FROM audit WHERE op_id LIKE 'gen-%'").get() as { n: number; k: number; months: number };
  assert.equal(audit.n, r.auditRows);
  assert.equal(audit.k, 500);
  assert.ok(audit.n >= 3 * 500);
  assert.ok(audit.months > 6, 'spread over months');
  assert.equal((db.prepare("SELECT count(*) n FROM project WHERE id GLOB 'U*'").get() as { n: number }).n, 20);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  db.close();
});
