// Issue 20, items 1-2: server-init (numbered migrations, idempotent, a newer server refused, from
// seeds/ or from a workbench database), server-user (a login role per person in their department's
// group), `sync` through the real CLI (clone, then push and pull, JSON output), `dump`'s sync part,
// resolving a conflict as a new operation, LISTEN/NOTIFY, and a copy that works alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { initWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { applyEdits, getMeasure } from '../../electron/services/measures';
import { addProject, getProject } from '../../electron/services/projects';
import { addDepartment } from '../../electron/services/departments';
import { dumpDatabase } from '../../electron/services/dump';
import { runServerCommand } from '../../electron/sync/cli';
import { SERVER_LATEST_VERSION } from '../../electron/server/migrations';
import { listenForChanges, resolveConflict, syncNow, syncStatus, testConnection } from '../../electron/sync/engine';
import { cloneCopy, PASSWORD, serverRows, startWorld, type SyncWorld } from './support';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

async function cmd(name: string, args: Record<string, string>): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  await runServerCommand(name, new Map(Object.entries(args)), (l) => lines.push(l));
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

test('server-init creates the schema and loads seeds/ once; a re-run changes nothing; a newer server is refused', async () => {
  world.cluster.createDb('init_seeds');
  const url = world.url('init_seeds');
  const first = await cmd('server-init', { server: url });
  assert.deepEqual(first, { schemaFrom: 0, schemaTo: SERVER_LATEST_VERSION, loaded: true, measures: first.measures, departments: first.departments, projects: first.projects });
  assert.ok((first.measures as number) > 300);
  const again = await cmd('server-init', { server: url });
  assert.equal(again.loaded, false);
  assert.equal(again.schemaFrom, SERVER_LATEST_VERSION);
  assert.equal(again.measures, first.measures);
  const versions = await serverRows<{ version: number; name: string }>(url, 'SELECT version, name FROM czt.schema_migration ORDER BY version');
  assert.deepEqual(versions.map((v) => v.version), Array.from({ length: SERVER_LATEST_VERSION }, (_, i) => i + 1));
  // a server upgraded by a newer workbench
  world.cluster.psql('init_seeds', 'postgres', null, "INSERT INTO czt.schema_migration (version, name) VALUES (99, 'future')");
  await assert.rejects(cmd('server-init', { server: url }), /高于本程序支持的/);
  const [{ n }] = await serverRows<{ n: string }>(url, 'SELECT count(*) AS n FROM czt.schema_migration');
  assert.equal(Number(n), SERVER_LATEST_VERSION + 1, 'nothing changed');
});

test('server-init --from a workbench database carries its allocations and progress', async () => {
  const file = path.join(world.dir, 'office-own.db');
  const db = initWorkbenchDb(file);
  const ctx = contextFor(db);
  ctx.actor = { name: '李统筹', unit: '长株潭都市圈办' };
  const m = db.prepare('SELECT id FROM measure WHERE actionable = 1 ORDER BY id LIMIT 1').pluck().get() as string;
  applyEdits(ctx, [{ measureId: m, patch: { leadIds: [4], coIds: [1, 14], deadline: '2026-12-31', progress: '办公室已有的进展' } }], '分工');
  db.close();
  world.cluster.createDb('init_from');
  const r = await cmd('server-init', { server: world.url('init_from'), from: file });
  assert.equal(r.loaded, true);
  const [row] = await serverRows<{ leads: string; co: string; deadline: string; progress: string }>(
    world.url('init_from'),
    "SELECT czt.field_get('measure', $1, 'leads') AS leads, czt.field_get('measure', $1, 'coIds') AS co, deadline, progress FROM czt.measure WHERE id = $1",
    [m],
  );
  assert.deepEqual(row, { leads: '[4]', co: '[1,14]', deadline: '2026-12-31', progress: '办公室已有的进展' });
});

test('server-user: a login per person in the department group; re-run changes the password; bad input refused in Chinese', async () => {
  const db = world.newServer('users');
  const pw = path.join(world.dir, 'pw');
  fs.writeFileSync(pw, 'first password\n');
  const r = await cmd('server-user', { server: world.url(db), login: 'zhou_new', name: '周新', unit: '省科技厅', role: 'dept', 'password-file': pw });
  assert.equal(r.role, 'czt_dept_8');
  assert.equal(world.cluster.psql(db, 'zhou_new', 'first password', 'SELECT name, unit, role FROM czt.whoami()').stdout.trim(), '周新|省科技厅|dept');
  assert.deepEqual(await testConnection(world.cluster.url(db, 'zhou_new', 'first password')), {
    login: 'zhou_new',
    name: '周新',
    unit: '省科技厅',
    role: 'dept',
    deptId: 8,
    schemaVersion: SERVER_LATEST_VERSION,
  });
  await assert.rejects(testConnection(world.cluster.url(db, 'zhou_new', 'not it')), /用户名或密码错误/);
  fs.writeFileSync(pw, 'second password\n');
  await cmd('server-user', { server: world.url(db), login: 'zhou_new', name: '周新', unit: '省科技厅', role: 'dept', 'password-file': pw });
  assert.notEqual(world.cluster.psql(db, 'zhou_new', 'first password', 'SELECT 1').status, 0);
  assert.equal(world.cluster.psql(db, 'zhou_new', 'second password', 'SELECT 1').status, 0);
  const groups = world.cluster.psql(db, 'postgres', null, "SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'zhou_new'");
  assert.equal(groups.stdout.trim(), 'czt_dept_8,czt_user');
  await assert.rejects(cmd('server-user', { server: world.url(db), login: 'x_y', name: '某', unit: '不存在的局', role: 'dept', 'password-file': pw }), /没有单位/);
  await assert.rejects(cmd('server-user', { server: world.url(db), login: 'Robert"; DROP', name: '某', unit: '省科技厅', role: 'dept', 'password-file': pw }), /登录名/);
  await assert.rejects(cmd('server-user', { server: world.url(db), login: 'postgres', name: '某', unit: '省科技厅', role: 'office', 'password-file': pw }), /保留/);
});

test('`sync` through the CLI clones a new file, then pushes and pulls; dump shows the link without the password', async () => {
  const db = world.newServer('cli_sync');
  const file = path.join(world.dir, 'cli-copy.db');
  const url = world.url(db, 'fgw');
  const cli = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'cli.ts'), ...args], { cwd: ROOT })).stdout;
  const clone = JSON.parse(await cli('sync', '--db', file, '--server', url)) as Record<string, number>;
  assert.deepEqual(Object.keys(clone), ['pushed', 'pulled', 'conflicts']);
  assert.ok(clone.pulled > 300);
  const m = (await serverRows<{ m: string }>(world.url(db), 'SELECT min(measure_id) AS m FROM czt.measure_lead WHERE dept_id = 1'))[0].m;
  await cli('set', '--db', file, '--measure', m, '--progress', '命令行填报的进展', '--user', '张发改', '--unit', '省发展改革委');
  const dumped = JSON.parse(await cli('dump', '--db', file)) as { sync: { server: string; lastSeq: number; pending: number; conflicts: unknown[] } };
  assert.equal(dumped.sync.pending, 1);
  assert.equal(dumped.sync.lastSeq, 0);
  assert.doesNotMatch(dumped.sync.server, new RegExp(PASSWORD));
  assert.match(dumped.sync.server, /fgw_zhang@127\.0\.0\.1/);
  const out = JSON.parse(await cli('sync', '--db', file, '--server', url)) as Record<string, number>;
  assert.deepEqual(out, { pushed: 1, pulled: 1, conflicts: 0 });
  const after = JSON.parse(await cli('dump', '--db', file)) as { sync: { lastSeq: number; pending: number } };
  assert.equal(after.sync.pending, 0);
  assert.equal(after.sync.lastSeq, 1);
  const [row] = await serverRows<{ progress: string }>(world.url(db), 'SELECT progress FROM czt.measure WHERE id = $1', [m]);
  assert.equal(row.progress, '命令行填报的进展');
  // a wrong password: a Chinese message, exit code 1, the copy untouched
  await assert.rejects(run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'cli.ts'), 'sync', '--db', file, '--server', world.cluster.url(db, 'fgw_zhang', 'wrong')], { cwd: ROOT }), (e: Error & { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /用户名或密码错误/);
    return true;
  });
});

test('a conflict resolved with 我的 is a new operation that wins on the server; 服务器的 just closes it', async () => {
  const db = world.newServer('resolve');
  const a = await cloneCopy(world, db, 'office');
  const b = await cloneCopy(world, db, 'fgw');
  try {
    const m = b.db.prepare('SELECT id FROM measure WHERE lead_id = 1 ORDER BY id LIMIT 1').pluck().get() as string;
    applyEdits(a.ctx, [{ measureId: m, patch: { status: '滞后' } }], '督办');
    applyEdits(b.ctx, [{ measureId: m, patch: { status: '推进中', progress: '已推进' } }], '填报');
    await syncNow(a.ctx, world.url(db, 'office'));
    const r = await syncNow(b.ctx, world.url(db, 'fgw'));
    assert.equal(r.conflicts, 1);
    const [c] = syncStatus(b.ctx).conflicts;
    assert.deepEqual([c.field, c.base, c.mine, c.theirs], ['status', '未启动', '推进中', '滞后']);
    assert.equal(getMeasure(b.ctx, m).status, '滞后', 'the copy shows the server value meanwhile');
    resolveConflict(b.ctx, c.opId, 'mine');
    assert.equal(getMeasure(b.ctx, m).status, '推进中');
    assert.equal(syncStatus(b.ctx).conflicts.length, 0);
    assert.equal((await syncNow(b.ctx, world.url(db, 'fgw'))).pushed, 1);
    await syncNow(a.ctx, world.url(db, 'office'));
    assert.equal(getMeasure(a.ctx, m).status, '推进中');
    assert.throws(() => resolveConflict(b.ctx, c.opId, 'theirs'), /已处理/);
  } finally {
    a.db.close();
    b.db.close();
  }
});

test('LISTEN/NOTIFY: an open copy hears of a new change at once', async () => {
  const db = world.newServer('notify');
  const a = await cloneCopy(world, db, 'fgw');
  let heard: number | null = null;
  const stop = await listenForChanges(world.url(db, 'office'), (seq) => (heard = seq));
  try {
    const m = a.db.prepare('SELECT id FROM measure WHERE lead_id = 1 ORDER BY id LIMIT 1').pluck().get() as string;
    applyEdits(a.ctx, [{ measureId: m, patch: { note: '通知测试' } }], '填报');
    await syncNow(a.ctx, world.url(db, 'fgw'));
    for (let i = 0; i < 100 && heard === null; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(heard, 1);
  } finally {
    await stop();
    a.db.close();
  }
});

test('a copy that works alone queues nothing and is told how to join a server', async () => {
  const file = path.join(world.dir, 'alone.db');
  const db = initWorkbenchDb(file);
  const ctx = contextFor(db);
  try {
    const m = db.prepare('SELECT id FROM measure ORDER BY id LIMIT 1').pluck().get() as string;
    applyEdits(ctx, [{ measureId: m, patch: { progress: '单机' } }], '填报');
    assert.equal(db.prepare('SELECT count(*) FROM sync_outbox').pluck().get(), 0);
    assert.deepEqual(dumpDatabase(ctx).sync, { server: null, lastSeq: 0, pending: 0, conflicts: [], rounds: [] });
    await assert.rejects(syncNow(ctx, world.url('cli_sync', 'fgw')), /尚未接入协同服务器/);
  } finally {
    db.close();
  }
  // the same copy of another server cannot be synced with this one
  const c = await cloneCopy(world, 'cli_sync', 'fgw', path.join(world.dir, 'other.db'));
  try {
    world.newServer('elsewhere');
    await assert.rejects(syncNow(c.ctx, world.url('elsewhere', 'fgw')), /此副本属于服务器/);
  } finally {
    c.db.close();
  }
});

test('rows made in a copy are not the server’s: their operations are refused and listed, the copy keeps them', async () => {
  const db = world.newServer('made_here');
  const a = await cloneCopy(world, db, 'office');
  try {
    const p = addProject(a.ctx, { name: '本机新增的项目', category: '交通' });
    const d = addDepartment(a.ctx, '本机新增的部门', '省直', null);
    const m = a.db.prepare('SELECT id FROM measure WHERE lead_id = 1 ORDER BY id LIMIT 1').pluck().get() as string;
    applyEdits(a.ctx, [{ measureId: m, patch: { leadIds: [d.id], progress: '同时填报的进展' } }], '分工');
    const r = await syncNow(a.ctx, world.url(db, 'office'));
    assert.equal(r.pushed, 2, 'the progress and the confirmation go through');
    const refused = syncStatus(a.ctx).conflicts;
    assert.ok(refused.every((c) => c.kind === 'refused'));
    assert.ok(refused.some((c) => c.table === 'project' && c.rowId === p.id && c.field === 'name'));
    assert.ok(refused.some((c) => c.table === 'measure' && c.rowId === m && c.field === 'leads'));
    // the project made here is still here, whole; the measure's lead is the server's again
    assert.equal(getProject(a.ctx, p.id).name, '本机新增的项目');
    assert.equal(getMeasure(a.ctx, m).leadId, 1);
    assert.equal(getMeasure(a.ctx, m).progress, '同时填报的进展');
    assert.equal(syncStatus(a.ctx).pending, 0);
  } finally {
    a.db.close();
  }
});

test('joint leads travel whole: a list set in one copy reaches another by pull and a fresh clone, in order', async () => {
  const db = world.newServer('joint_leads');
  const a = await cloneCopy(world, db, 'office');
  const b = await cloneCopy(world, db, 'office', path.join(world.dir, `${db}-office-b.db`));
  try {
    const m = a.db.prepare('SELECT id FROM measure WHERE lead_id = 1 ORDER BY id LIMIT 1').pluck().get() as string;
    const other = a.db.prepare('SELECT id FROM department WHERE id NOT IN (1) AND state = ? ORDER BY id LIMIT 2').pluck().all('在用') as number[];
    const leads = [other[1], 1, other[0]];
    applyEdits(a.ctx, [{ measureId: m, patch: { leadIds: leads } }], '分工');
    const pushed = await syncNow(a.ctx, world.url(db, 'office'));
    assert.equal(pushed.conflicts, 0);
    const rows = await serverRows<{ dept_id: number }>(world.url(db, 'office'), 'SELECT dept_id FROM czt.measure_lead WHERE measure_id = $1 ORDER BY ord', [m]);
    assert.deepEqual(rows.map((r) => Number(r.dept_id)), leads, 'the server holds the ordered list');
    await syncNow(b.ctx, world.url(db, 'office'));
    assert.deepEqual(getMeasure(b.ctx, m).leadIds, leads, 'a pull brings the whole list');
    assert.equal(getMeasure(b.ctx, m).leadId, leads[0], 'the first lead is 主责');
    const c = await cloneCopy(world, db, 'office', path.join(world.dir, `${db}-office-c.db`));
    try {
      assert.deepEqual(getMeasure(c.ctx, m).leadIds, leads, 'a clone brings the whole list');
    } finally {
      c.db.close();
    }
  } finally {
    a.db.close();
    b.db.close();
  }
});
