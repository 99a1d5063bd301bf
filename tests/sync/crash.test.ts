// Issue 20, item 4: the sync killed with SIGKILL during the push (before and after the server's
// commit) and during the pull, and the server stopped in the middle of a sync. Each time: nothing
// lost, nothing applied twice, the copy says plainly what happened, and the next sync catches up.
// The CLI's `sync` runs in a child process; CZT_SYNC_KILL_AT / CZT_SYNC_PAUSE_AT name the point
// (electron/sync/test-points.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { applyEdits } from '../../electron/services/measures';
import { syncNow, syncStatus } from '../../electron/sync/engine';
import { cliSync, cloneCopy, differences, localSnapshot, serverRows, serverSnapshot, startWorld, type SyncWorld } from './support';

let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

/** A server, the office's copy with `n` progress edits pending, and 省发展改革委's copy. */
async function setUp(name: string, n = 40) {
  const db = world.newServer(name);
  const office = await cloneCopy(world, db, 'office');
  const dept = await cloneCopy(world, db, 'fgw');
  const ids = (office.db.prepare('SELECT id FROM measure ORDER BY id LIMIT ?').pluck().all(n) as string[]);
  applyEdits(office.ctx, ids.map((id, i) => ({ measureId: id, patch: { progress: `${name} 进展 ${i}` } })), '批量填报');
  const ops = office.db.prepare('SELECT op_id FROM sync_outbox').pluck().all() as string[];
  assert.equal(ops.length, n);
  office.db.close();
  return { db, office: office.file, dept, ids, ops };
}

async function logCounts(db: string, ops: string[]) {
  const rows = await serverRows<{ op_id: string; n: string }>(world.url(db), 'SELECT op_id, count(*) AS n FROM czt.change_log WHERE op_id = ANY($1) GROUP BY op_id', [ops]);
  return new Map(rows.map((r) => [r.op_id, Number(r.n)]));
}

test('killed during the push before the server committed: nothing arrived, all of it goes with the next sync', async () => {
  const s = await setUp('kill_push_a');
  const r = await cliSync(s.office, world.url(s.db, 'office'), { CZT_SYNC_KILL_AT: 'push-before-commit' });
  assert.equal(r.signal, 'SIGKILL');
  assert.equal((await logCounts(s.db, s.ops)).size, 0, 'the server rolled the unfinished call back');
  const db = openWorkbenchDb(s.office);
  try {
    assert.equal(syncStatus(contextFor(db)).pending, s.ops.length);
    const again = await syncNow(contextFor(db), world.url(s.db, 'office'));
    assert.equal(again.pushed, s.ops.length);
    const counts = await logCounts(s.db, s.ops);
    assert.equal(counts.size, s.ops.length);
    for (const n of counts.values()) assert.equal(n, 1);
    assert.deepEqual(differences(localSnapshot(db), await serverSnapshot(world.url(s.db))), []);
  } finally {
    db.close();
    s.dept.db.close();
  }
});

test('killed during the push after the server committed: the resend changes nothing and empties the outbox', async () => {
  const s = await setUp('kill_push_b');
  const r = await cliSync(s.office, world.url(s.db, 'office'), { CZT_SYNC_KILL_AT: 'push-after-commit' });
  assert.equal(r.signal, 'SIGKILL');
  const counts = await logCounts(s.db, s.ops);
  assert.equal(counts.size, s.ops.length, 'the server applied them');
  const db = openWorkbenchDb(s.office);
  try {
    assert.equal(syncStatus(contextFor(db)).pending, s.ops.length, 'the copy never heard the answer');
    const [{ n: before }] = await serverRows<{ n: string }>(world.url(s.db), 'SELECT count(*) AS n FROM czt.change_log');
    const again = await syncNow(contextFor(db), world.url(s.db, 'office'));
    assert.equal(again.pushed, s.ops.length);
    assert.equal(again.conflicts, 0);
    const [{ n: afterwards }] = await serverRows<{ n: string }>(world.url(s.db), 'SELECT count(*) AS n FROM czt.change_log');
    assert.equal(afterwards, before, 'nothing applied twice');
    for (const n of (await logCounts(s.db, s.ops)).values()) assert.equal(n, 1);
    assert.equal(syncStatus(contextFor(db)).pending, 0);
  } finally {
    db.close();
    s.dept.db.close();
  }
});

test('killed in the middle of the pull: the copy is as before the pull, and the next pull brings all of it once', async () => {
  const s = await setUp('kill_pull', 300);
  // the office's changes reach the server
  const office = openWorkbenchDb(s.office);
  await syncNow(contextFor(office), world.url(s.db, 'office'));
  office.close();
  s.dept.db.close();
  const d0 = openWorkbenchDb(s.dept.file);
  const before = localSnapshot(d0);
  d0.close();
  const r = await cliSync(s.dept.file, world.url(s.db, 'fgw'), { CZT_SYNC_KILL_AT: 'pull-mid-apply' });
  assert.equal(r.signal, 'SIGKILL');
  const db = openWorkbenchDb(s.dept.file);
  try {
    assert.deepEqual(differences(localSnapshot(db), before), [], 'no half-applied pull');
    assert.equal(syncStatus(contextFor(db)).lastSeq, 0);
    const again = await syncNow(contextFor(db), world.url(s.db, 'fgw'));
    assert.equal(again.pulled, 300);
    assert.deepEqual(differences(localSnapshot(db), await serverSnapshot(world.url(s.db))), []);
    // the history holds each pulled change once
    const [{ n }] = db.prepare("SELECT count(*) AS n FROM audit WHERE op LIKE '同步：%'").all() as { n: number }[];
    assert.equal(n, 300);
  } finally {
    db.close();
  }
});

test('the server stopped between the push and the pull, then unreachable: plain Chinese messages, then a full catch-up', async () => {
  const s = await setUp('server_stop');
  // 省发展改革委 changes one of its measures and syncs: a change for the office to pull
  const mine = s.dept.db.prepare('SELECT id FROM measure WHERE lead_id = 1 ORDER BY id LIMIT 1').pluck().get() as string;
  applyEdits(s.dept.ctx, [{ measureId: mine, patch: { status: '推进中' } }], '填报进展');
  await syncNow(s.dept.ctx, world.url(s.db, 'fgw'));
  const pauseFile = path.join(world.dir, 'pause-server-stop');
  const r = await cliSync(s.office, world.url(s.db, 'office'), { CZT_SYNC_PAUSE_AT: 'between-push-and-pull', CZT_SYNC_PAUSE_FILE: pauseFile }, async (f) => {
    world.cluster.stop('fast');
    fs.rmSync(f);
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /同步中断/);
  assert.match(r.stderr, /联网后再同步/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');

  const db = openWorkbenchDb(s.office);
  const ctx = contextFor(db);
  try {
    // the push went through before the server stopped; the pull did not happen
    assert.equal(syncStatus(ctx).pending, 0);
    assert.match(syncStatus(ctx).error ?? '', /同步中断/);
    // while it is down: said plainly, the local edit kept
    applyEdits(ctx, [{ measureId: s.ids[0], patch: { note: '离线时的备注' } }], '填报进展');
    await assert.rejects(syncNow(ctx, world.url(s.db, 'office')), (e: Error) => {
      assert.match(e.message, /无法连接协同服务器/);
      assert.match(e.message, /待上传 1 条/);
      return true;
    });
    world.cluster.start();
    const again = await syncNow(ctx, world.url(s.db, 'office'));
    assert.equal(again.pushed, 1);
    assert.ok(again.pulled >= 1);
    assert.equal(syncStatus(ctx).error, null);
    const server = await serverSnapshot(world.url(s.db));
    assert.deepEqual(differences(localSnapshot(db), server), []);
    assert.equal(server.get(`measure ${mine} status`), '推进中');
    for (const n of (await logCounts(s.db, s.ops)).values()) assert.equal(n, 1);
  } finally {
    db.close();
    s.dept.db.close();
  }
});

