// Issue 20, items 2 and 5: the clone writes a new copy in bulk (one transaction, the tables'
// triggers and secondary indexes dropped while it loads and made again), so it is held to the data
// itself: a clone of a new server equals, table by table and column by column, the workbench
// database the server was loaded from; after the office's edits of every synced kind, a new clone
// equals the server and a copy that pulled the same edits, field by field and row by row, with the
// same last sequence number; the copy then works as any other (triggers and indexes in place); and
// a clone killed with SIGKILL while it writes leaves no copy, only a side file the next clone removes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openWorkbenchDb } from '../../electron/db/open';
import { SHARED_TABLES } from '../../electron/db/sync-queries';
import { contextFor } from '../../electron/core/context';
import { applyEdits, getMeasure } from '../../electron/services/measures';
import { updateProjects } from '../../electron/services/projects';
import { renameDepartment } from '../../electron/services/departments';
import { setActual } from '../../electron/services/indicators';
import { syncNow, syncStatus } from '../../electron/sync/engine';
import { cliSync, cloneCopy, differences, localSnapshot, serverRows, serverSnapshot, startWorld, type SyncWorld } from './support';

let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

const TABLES = [...SHARED_TABLES, 'measure_lead'];

/** Every row of a table (every column but those left out), in a stable order, as text. */
function rowsOf(db: Database, table: string, leaveOut: string[] = []): string[] {
  const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter((c) => !leaveOut.includes(c));
  return (db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM ${table}`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
}

/** Row-by-row differences of two copies on the shared tables (a few per table, for the message). */
function tableDifferences(a: Database, b: Database, leaveOut: string[] = []): string[] {
  const out: string[] = [];
  for (const t of TABLES) {
    const x = rowsOf(a, t, leaveOut);
    const y = rowsOf(b, t, leaveOut);
    if (x.length !== y.length) out.push(`${t}: ${x.length} ≠ ${y.length} rows`);
    const ys = new Set(y);
    const missing = x.filter((r) => !ys.has(r));
    if (missing.length) out.push(`${t}: ${missing.length} rows differ, e.g. ${missing.slice(0, 2).join(' ')}`);
  }
  return out;
}

const schemaOf = (db: Database) =>
  (db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").raw().all() as unknown[][]).map((r) => JSON.stringify(r));

test('a clone of a new server equals the workbench database it was loaded from, table by table, with every trigger and index in place', async () => {
  const db = world.newServer('clone_exact');
  // the server's template was loaded from this: the plan as seeded
  const seed = openWorkbenchDb(':memory:', { seedIfEmpty: true });
  const copy = await cloneCopy(world, db, 'office');
  const fresh = openWorkbenchDb(path.join(world.dir, 'fresh-schema.db'));
  try {
    // the server holds every column of the shared tables but the copy's own bookkeeping
    const serverCols = await serverRows<{ table_name: string; column_name: string }>(
      world.url(db),
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'czt'",
    );
    const local = (t: string) => seed.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t) as string[];
    const notOnServer = TABLES.flatMap((t) => local(t).filter((c) => !serverCols.some((s) => s.table_name === t && s.column_name === c)).map((c) => `${t}.${c}`));
    // measure.lead_id is derived from measure_lead here (the server keeps only the list)
    assert.deepEqual(notOnServer, ['measure.lead_id']);
    assert.deepEqual(tableDifferences(seed, copy.db), []);
    assert.ok(rowsOf(copy.db, 'measure').length > 300 && rowsOf(copy.db, 'measure_lead').length > 300 && rowsOf(copy.db, 'project').length > 10);
    assert.deepEqual(copy.db.prepare('SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key').all('plan.%'), seed.prepare('SELECT key, value FROM setting WHERE key LIKE ? ORDER BY key').all('plan.%'));
    // the triggers and indexes dropped for the load are all back, as in any new workbench file
    assert.deepEqual(schemaOf(copy.db), schemaOf(fresh));
    assert.equal(copy.db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(copy.db.pragma('foreign_key_check'), []);
    assert.equal(copy.db.pragma('journal_mode', { simple: true }), 'wal');
    const [{ s }] = await serverRows<{ s: string }>(world.url(db), 'SELECT coalesce(max(seq), 0) AS s FROM czt.change_log');
    assert.equal(syncStatus(copy.ctx).lastSeq, Number(s));

    // and they work: a joint lead moves measure.lead_id (measure_lead's triggers), a text edit
    // enters the measure change log that keeps search up to date (measure's triggers)
    const m = copy.db.prepare('SELECT id FROM measure WHERE actionable = 1 AND lead_id IS NOT NULL ORDER BY id LIMIT 1').pluck().get() as string;
    applyEdits(copy.ctx, [{ measureId: m, patch: { leadIds: [4, 1], progress: '克隆后填报' } }], '分工调整');
    assert.deepEqual(getMeasure(copy.ctx, m).leadIds, [4, 1]);
    assert.equal(copy.db.prepare('SELECT lead_id FROM measure WHERE id = ?').pluck().get(m), 4);
    assert.ok((copy.db.prepare('SELECT count(*) FROM measure_change WHERE measure_id = ?').pluck().get(m) as number) >= 1);
    assert.throws(() => copy.db.prepare('UPDATE measure SET lead_id = 1 WHERE id = ?').run(m), /first of measure_lead/);
    const queued = copy.db.prepare('SELECT field FROM sync_outbox WHERE row_id = ?').pluck().all(m) as string[];
    assert.ok(queued.includes('leads') && queued.includes('progress'), `the edit is queued for the server: ${queued.join(', ')}`);
  } finally {
    seed.close();
    fresh.close();
    copy.db.close();
  }
});

test('after edits of every kind, a new clone equals the server and a copy that pulled them, field by field and row by row', async () => {
  const db = world.newServer('clone_after_edits');
  const office = await cloneCopy(world, db, 'office');
  const before = await cloneCopy(world, db, 'fgw');
  try {
    const [m1, m2] = office.db.prepare('SELECT id FROM measure WHERE actionable = 1 ORDER BY id LIMIT 2').pluck().all() as string[];
    const p1 = office.db.prepare('SELECT id FROM project ORDER BY id LIMIT 1').pluck().get() as string;
    const task = office.db.prepare("SELECT id FROM plan_node WHERE kind = 'task' ORDER BY id LIMIT 1").pluck().get() as string;
    applyEdits(office.ctx, [
      { measureId: m1, patch: { leadIds: [14, 1, 4], coIds: [7, 9], cities: ['湘潭市', '长沙市'], deadline: '2026-06-30', leadConfirmed: true } },
      { measureId: m2, patch: { leadIds: [], status: '推进中', progress: "进展：含'引号'与\\反斜杠", note: '备注 ✓' } },
    ], '分工调整');
    updateProjects(office.ctx, [
      { projectId: p1, patch: { name: '改名后的项目', totalInvestment: 12.75, cities: ['株洲市'], linkedTaskIds: [task], yearPlans: [{ year: 2025, planned: 3.5, completed: 1.25 }] } },
    ], '项目调度');
    setActual(office.ctx, 'I01', 2024, 13.25, '省统计局', '初步数');
    renameDepartment(office.ctx, 9, '改名后的部门');
    const done = await syncNow(office.ctx, world.url(db, 'office'));
    assert.equal(done.conflicts, 0);
    assert.ok(done.pushed >= 12);
    // the slow way: a copy from before the edits that pulled them one change at a time
    await syncNow(before.ctx, world.url(db, 'fgw'));

    const after = await cloneCopy(world, db, 'jtt');
    try {
      const server = await serverSnapshot(world.url(db), [2021, 2022, 2023, 2024, 2025]);
      assert.deepEqual(differences(localSnapshot(after.db), server), []);
      assert.deepEqual(differences(localSnapshot(after.db), localSnapshot(before.db)), []);
      assert.equal(server.get(`measure ${m1} leads`), '[14,1,4]');
      assert.equal(server.get(`project ${p1} totalInvestment`), '12.75');
      // row by row the same as the copy that pulled, but for the time each row was last written
      assert.deepEqual(tableDifferences(before.db, after.db, ['updated_at']), []);
      assert.deepEqual(getMeasure(after.ctx, m1).leadIds, [14, 1, 4]);
      assert.equal(after.db.prepare('SELECT lead_id FROM measure WHERE id = ?').pluck().get(m1), 14);
      assert.equal(after.db.prepare('SELECT lead_id FROM measure WHERE id = ?').pluck().get(m2), null);
      const [{ s }] = await serverRows<{ s: string }>(world.url(db), 'SELECT max(seq) AS s FROM czt.change_log');
      assert.equal(syncStatus(after.ctx).lastSeq, Number(s));
      assert.equal(syncStatus(before.ctx).lastSeq, Number(s));
      // nothing to pull, nothing to push
      assert.deepEqual(await syncNow(after.ctx, world.url(db, 'jtt')), { pushed: 0, pulled: 0, conflicts: 0 });
    } finally {
      after.db.close();
    }
  } finally {
    office.db.close();
    before.db.close();
  }
});

test('a clone killed with SIGKILL while writing leaves no copy; the next one clones in full', async () => {
  const db = world.newServer('clone_killed');
  const file = path.join(world.dir, 'killed-clone.db');
  const r = await cliSync(file, world.url(db, 'fgw'), { CZT_SYNC_KILL_AT: 'clone-mid-write' });
  assert.equal(r.signal, 'SIGKILL');
  assert.equal(fs.existsSync(file), false, 'no copy under the name asked for');
  assert.ok(fs.existsSync(`${file}.clone-partial`), 'it was killed while writing its side file');

  const again = await cliSync(file, world.url(db, 'fgw'), {});
  assert.equal(again.code, 0, again.stderr);
  assert.ok((JSON.parse(again.stdout) as { pulled: number }).pulled > 300);
  assert.equal(fs.existsSync(`${file}.clone-partial`), false, 'the side file is gone');
  const copy = openWorkbenchDb(file);
  try {
    assert.deepEqual(differences(localSnapshot(copy), await serverSnapshot(world.url(db))), []);
    assert.equal(syncStatus(contextFor(copy)).pending, 0);
  } finally {
    copy.close();
  }
});
