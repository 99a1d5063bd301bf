// Issue 20, item 4: every permission rule tried with a department's own credentials straight
// through psql — UPDATE, DELETE, TRUNCATE, INSERT, calling the apply function for another
// department's measure or for an allocation, SQL in field values and names, the internal
// functions, other roles — refused by the database, and nothing changed. Also: an operation id
// applies once, the change log cannot be rewritten even by its owner, a department sees only its
// own conflicts, a co-operating department may only add to a note, a retired department nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { differences, PASSWORD, PEOPLE, serverRows, serverSnapshot, startWorld, type SyncWorld, type Who } from './support';

let world: SyncWorld;
let db: string;
let mine: string; // a measure 省发展改革委 leads
let theirs: string; // a measure 省生态环境厅 leads
before(async () => {
  world = await startWorld();
  db = world.newServer('perm');
  mine = (await serverRows<{ m: string }>(world.url(db), 'SELECT min(measure_id) AS m FROM czt.measure_lead WHERE dept_id = 1'))[0].m;
  theirs = (await serverRows<{ m: string }>(world.url(db), 'SELECT min(measure_id) AS m FROM czt.measure_lead WHERE dept_id = 4'))[0].m;
});
after(() => world?.close());

const psql = (who: Who | 'postgres', sql: string) =>
  who === 'postgres' ? world.cluster.psql(db, 'postgres', null, sql) : world.cluster.psql(db, PEOPLE[who].login, PASSWORD, sql);

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
let opCounter = 0;
const op = (o: Record<string, unknown>) => JSON.stringify([{ opId: `psql-test-${++opCounter}-0000`, device: 'psql', ...o }]);
const apply = (who: Who, o: Record<string, unknown>) => psql(who, `SELECT czt.apply_ops(${q(op(o))}::jsonb)`);

async function state() {
  const snap = await serverSnapshot(world.url(db));
  const [log] = await serverRows<{ n: string; p: string }>(world.url(db), 'SELECT count(*) AS n, (SELECT count(*) FROM czt.person) AS p FROM czt.change_log');
  return { snap, log: Number(log.n), people: Number(log.p) };
}

test('a department cannot write any table directly, nor reach the internals, nor become someone else', async () => {
  const before = await state();
  const attempts = [
    `UPDATE czt.measure SET progress = 'x' WHERE id = ${q(mine)}`,
    `UPDATE czt.measure SET progress = 'x'`,
    `DELETE FROM czt.measure_lead WHERE measure_id = ${q(theirs)}`,
    `INSERT INTO czt.measure_lead (measure_id, dept_id, ord) VALUES (${q(theirs)}, 1, 1)`,
    'DELETE FROM czt.change_log',
    'TRUNCATE czt.change_log',
    'TRUNCATE czt.measure CASCADE',
    `INSERT INTO czt.change_log (seq, op_id, tbl, row_id, field, person, actor, unit, device, op) VALUES (999, 'forged-op-1', 'measure', 'x', 'note', 'office_li', '李统筹', '办', 'x', 'x')`,
    `UPDATE czt.change_log SET new_value = 'rewritten'`,
    `UPDATE czt.person SET role = 'office' WHERE login = 'fgw_zhang'`,
    `INSERT INTO czt.person (login, name, unit, role) VALUES ('fgw_zhang2', 'x', 'x', 'office')`,
    'DELETE FROM czt.conflict',
    `SELECT czt.field_set('measure', ${q(theirs)}, 'progress', 'x', 'now')`,
    'SET ROLE czt_office',
    'SET ROLE postgres',
    'SET ROLE czt_dept_4',
    'CREATE TABLE czt.mine (a int)',
    `CREATE OR REPLACE FUNCTION czt.refusal(who czt.person, a text, b text, c text, d text, e text) RETURNS text LANGUAGE sql AS $$ SELECT NULL::text $$`,
    'ALTER TABLE czt.change_log DISABLE TRIGGER ALL',
    'ALTER TABLE czt.conflict DISABLE ROW LEVEL SECURITY',
    `SELECT setval('czt.change_seq', 1)`,
    'DROP TABLE czt.measure CASCADE',
  ];
  for (const sql of attempts) {
    const r = psql('fgw', sql);
    assert.notEqual(r.status, 0, `refused: ${sql}`);
    assert.match(r.stderr, /permission denied|must be owner|must be member|not allowed|insufficient|ERROR/, sql);
  }
  const after = await state();
  assert.deepEqual(differences(before.snap, after.snap), []);
  assert.equal(after.log, before.log);
  assert.equal(after.people, before.people);
});

test('the apply function refuses what a department may not change, and SQL in names or values stays data', async () => {
  const before = await state();
  const refused = [
    // another department's measure
    { tbl: 'measure', rowId: theirs, field: 'progress', base: '', value: '越权' },
    { tbl: 'measure', rowId: theirs, field: 'status', base: '未启动', value: '已完成' },
    // an allocation of its own measure (the office's)
    { tbl: 'measure', rowId: mine, field: 'deadline', base: null, value: '2030-01-01' },
    { tbl: 'measure', rowId: mine, field: 'leads', base: '[1]', value: '[4]' },
    { tbl: 'measure', rowId: mine, field: 'coIds', base: '[]', value: '[4]' },
    { tbl: 'department', rowId: '4', field: 'state', base: '在用', value: '已撤销' },
    { tbl: 'indicator_actual', rowId: 'I01', field: '2023.value', base: null, value: '1' },
    // SQL in the names
    { tbl: 'measure', rowId: mine, field: "progress'; DROP TABLE czt.measure; --", base: '', value: 'x' },
    { tbl: 'measure; DROP TABLE czt.measure', rowId: mine, field: 'progress', base: '', value: 'x' },
    { tbl: 'measure', rowId: `${theirs}' OR '1'='1`, field: 'progress', base: '', value: 'x' },
    // SQL in a value, on a measure that is not its own
    { tbl: 'measure', rowId: theirs, field: 'note', base: '', value: "'); DELETE FROM czt.change_log; --" },
  ];
  for (const o of refused) {
    const r = apply('fgw', o);
    assert.equal(r.status, 0, r.stderr);
    const res = JSON.parse(r.stdout) as { result: string; reason: string }[];
    assert.equal(res[0].result, 'refused', `${o.tbl}.${o.field} of ${o.rowId}: ${res[0].reason}`);
  }
  // a person the server does not know is refused outright
  const after = await state();
  assert.deepEqual(differences(before.snap, after.snap), []);
  assert.equal(after.log, before.log);
  assert.ok((await serverRows(world.url(db), "SELECT 1 FROM pg_tables WHERE schemaname = 'czt' AND tablename = 'measure'")).length === 1);

  // SQL in a value on its own measure's progress: allowed, stored as the text it is
  const evil = "x'); DROP TABLE czt.measure; SELECT ('";
  const r = apply('fgw', { tbl: 'measure', rowId: mine, field: 'progress', base: '', value: evil });
  assert.equal((JSON.parse(r.stdout) as { result: string }[])[0].result, 'applied');
  const [m] = await serverRows<{ progress: string }>(world.url(db), 'SELECT progress FROM czt.measure WHERE id = $1', [mine]);
  assert.equal(m.progress, evil);
});

test('an operation id applies once; a stale base becomes a conflict with both values', async () => {
  const o = JSON.stringify([{ opId: 'psql-once-0000001', tbl: 'measure', rowId: mine, field: 'status', base: '未启动', value: '推进中', device: 'psql' }]);
  const first = JSON.parse(psql('fgw', `SELECT czt.apply_ops(${q(o)}::jsonb)`).stdout) as { result: string; seq: number; again?: boolean }[];
  const again = JSON.parse(psql('fgw', `SELECT czt.apply_ops(${q(o)}::jsonb)`).stdout) as { result: string; seq: number; again?: boolean }[];
  assert.equal(first[0].result, 'applied');
  assert.equal(again[0].result, 'applied');
  assert.equal(again[0].again, true);
  assert.equal(again[0].seq, first[0].seq);
  const [n] = await serverRows<{ n: string }>(world.url(db), "SELECT count(*) AS n FROM czt.change_log WHERE op_id = 'psql-once-0000001'");
  assert.equal(Number(n.n), 1);

  const stale = apply('fgw', { tbl: 'measure', rowId: mine, field: 'status', base: '未启动', value: '已完成' });
  const res = JSON.parse(stale.stdout) as { result: string; server: string }[];
  assert.equal(res[0].result, 'conflict');
  assert.equal(res[0].server, '推进中');
  const [c] = await serverRows<{ base_value: string; mine_value: string; server_value: string }>(
    world.url(db),
    "SELECT * FROM czt.conflict WHERE kind = 'conflict' AND row_id = $1 AND field = 'status'",
    [mine],
  );
  assert.deepEqual([c.base_value, c.mine_value, c.server_value], ['未启动', '已完成', '推进中']);
  const [m] = await serverRows<{ status: string }>(world.url(db), 'SELECT status FROM czt.measure WHERE id = $1', [mine]);
  assert.equal(m.status, '推进中', 'the server keeps its value');
});

test('the change log and the conflicts cannot be rewritten, not even by their owner', () => {
  for (const sql of ['DELETE FROM czt.change_log', "UPDATE czt.change_log SET actor = 'x'", 'TRUNCATE czt.change_log', 'DELETE FROM czt.conflict', 'TRUNCATE czt.conflict']) {
    const r = psql('postgres', sql);
    assert.notEqual(r.status, 0, sql);
    assert.match(r.stderr, /只能追加/);
  }
});

test('a department sees only its own conflicts; the office sees all', () => {
  apply('sthj', { tbl: 'measure', rowId: mine, field: 'progress', base: 'wrong', value: 'x' });
  const own = psql('fgw', 'SELECT DISTINCT person FROM czt.conflict ORDER BY 1').stdout.trim().split('\n');
  assert.deepEqual(own, ['fgw_zhang']);
  const all = psql('office', 'SELECT DISTINCT person FROM czt.conflict ORDER BY 1').stdout.trim().split('\n');
  assert.deepEqual(all, ['fgw_zhang', 'sthj_wang']);
});

test('co-operators may add to a note only; the office changes allocations; a retired department nothing', async () => {
  // the office makes 省生态环境厅 a co-operator of fgw's measure (through the function too)
  const [co] = await serverRows<{ v: string }>(world.url(db), "SELECT czt.field_get('measure', $1, 'coIds') AS v", [mine]);
  const r1 = JSON.parse(apply('office', { tbl: 'measure', rowId: mine, field: 'coIds', base: co.v, value: '[4]' }).stdout) as { result: string }[];
  assert.equal(r1[0].result, 'applied');
  const [n] = await serverRows<{ v: string }>(world.url(db), "SELECT czt.field_get('measure', $1, 'note') AS v", [mine]);
  const added = JSON.parse(apply('sthj', { tbl: 'measure', rowId: mine, field: 'note', base: n.v, value: `${n.v}（生态环境厅补充：已对接）` }).stdout) as { result: string }[];
  assert.equal(added[0].result, 'applied');
  const replaced = JSON.parse(apply('sthj', { tbl: 'measure', rowId: mine, field: 'note', base: `${n.v}（生态环境厅补充：已对接）`, value: '全部改写' }).stdout) as { result: string }[];
  assert.equal(replaced[0].result, 'refused');
  const progress = JSON.parse(apply('sthj', { tbl: 'measure', rowId: mine, field: 'progress', base: '', value: 'x' }).stdout) as { result: string }[];
  assert.equal(progress[0].result, 'refused');
  // the office retires 省交通运输厅: its people can no longer change even their own measures
  const jttMeasure = (await serverRows<{ m: string }>(world.url(db), 'SELECT min(measure_id) AS m FROM czt.measure_lead WHERE dept_id = 14'))[0].m;
  const ok = JSON.parse(apply('jtt', { tbl: 'measure', rowId: jttMeasure, field: 'progress', base: '', value: '撤销前' }).stdout) as { result: string }[];
  assert.equal(ok[0].result, 'applied');
  const retire = JSON.parse(apply('office', { tbl: 'department', rowId: '14', field: 'state', base: '在用', value: '已撤销' }).stdout) as { result: string }[];
  assert.equal(retire[0].result, 'applied');
  const late = JSON.parse(apply('jtt', { tbl: 'measure', rowId: jttMeasure, field: 'progress', base: '撤销前', value: '撤销后' }).stdout) as { result: string; reason: string }[];
  assert.equal(late[0].result, 'refused');
  assert.match(late[0].reason, /已撤销/);
});

test('wrong password, or a role the server does not know: no connection, no call', () => {
  const r = world.cluster.psql(db, PEOPLE.fgw.login, 'wrong password', 'SELECT 1');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /password authentication failed/);
  // a plain role outside czt_user cannot call the function at all
  psql('postgres', "CREATE ROLE stranger LOGIN PASSWORD 'stranger-pass'");
  const s = world.cluster.psql(db, 'stranger', 'stranger-pass', `SELECT czt.apply_ops('[]'::jsonb)`);
  assert.notEqual(s.status, 0);
  assert.match(s.stderr, /permission denied/);
});
