// Issues 18 and 20: the rounds' rules enforced by the database, tried with a department's own
// credentials straight through psql. Writing the round tables directly (UPDATE, DELETE, TRUNCATE,
// INSERT, the internal functions) is refused; through czt.apply_ops a department may report only
// for itself, on the measures it leads (notes only where it co-operates), in an open round that
// includes it, while it is 未报送 or 已退回 — anything else (another department's measure or part, a
// closed round, opening, reviewing, reminding, closing, the score rules) is refused and recorded,
// and nothing changes. The office may do all of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeRound, createRound } from '../../electron/services/rounds';
import { applyEdits } from '../../electron/services/measures';
import { syncNow } from '../../electron/sync/engine';
import { cloneCopy, differences, PASSWORD, PEOPLE, serverRows, serverSnapshot, startWorld, type SyncWorld, type Who } from './support';
import { serverRounds } from './round-support';

let world: SyncWorld;
let db: string;
let open = 0; // a round under way, with co-operating departments
let closed = 0; // a closed round
let mine = ''; // a measure 省发展改革委 leads in the open round
let theirs = ''; // a measure 省生态环境厅 leads in it (and 省发展改革委 has no part in)
let coop = ''; // a measure 省发展改革委 co-operates on in it
before(async () => {
  world = await startWorld();
  db = world.newServer('round_perm');
  const office = await cloneCopy(world, db, 'office');
  try {
    // the seed names no co-operators: 省发展改革委 becomes one on a measure 省生态环境厅 leads
    const led = office.db.prepare("SELECT measure_id FROM measure_lead WHERE dept_id = 4 AND measure_id GLOB '[3-9].*' ORDER BY measure_id LIMIT 2").pluck().all() as string[];
    applyEdits(office.ctx, [{ measureId: led[1], patch: { coIds: [1] } }], '分工调整');
    open = createRound(office.ctx, { title: '权限测试轮次', periodEnd: '2026-12-31', dueDate: '2030-01-10', withCo: true }).round.id;
    closed = createRound(office.ctx, { title: '已结束的轮次', periodEnd: '2026-09-30', dueDate: '2026-10-10' }).round.id;
    closeRound(office.ctx, closed);
    const r = await syncNow(office.ctx, world.url(db, 'office'));
    assert.equal(r.conflicts, 0);
  } finally {
    office.db.close();
  }
  const one = async (sql: string, p: unknown[]) => (await serverRows<{ m: string }>(world.url(db), sql, p))[0]?.m ?? '';
  mine = await one("SELECT min(measure_id) AS m FROM czt.round_measure WHERE round_id = $1 AND dept_id = 1 AND role = '牵头'", [open]);
  theirs = await one("SELECT min(measure_id) AS m FROM czt.round_measure a WHERE round_id = $1 AND dept_id = 4 AND role = '牵头' AND NOT EXISTS (SELECT 1 FROM czt.round_measure b WHERE b.round_id = a.round_id AND b.dept_id = 1 AND b.measure_id = a.measure_id)", [open]);
  coop = await one("SELECT min(measure_id) AS m FROM czt.round_measure WHERE round_id = $1 AND dept_id = 1 AND role = '配合'", [open]);
  assert.ok(mine && theirs && coop, 'the round gives 省发展改革委 a lead, a co-operation, and none of another measure');
});
after(() => world?.close());

const psql = (who: Who | 'postgres', sql: string) =>
  who === 'postgres' ? world.cluster.psql(db, 'postgres', null, sql) : world.cluster.psql(db, PEOPLE[who].login, PASSWORD, sql);
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
let n = 0;
function apply(who: Who, o: Record<string, unknown>): { result: string; reason: string } {
  const ops = JSON.stringify([{ opId: `round-perm-${++n}-0000`, device: 'psql', base: null, ...o }]);
  const r = psql(who, `SELECT czt.apply_ops(${q(ops)}::jsonb)`);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { result: string; reason: string }[])[0];
}

const sha = () => randomBytes(32).toString('hex');
const at = '2026-12-20T08:00:00.000Z';
function submission(dept: number, reports: [string, string, string, string, string][], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ deptId: dept, fileName: '联网报送', bytes: 10, receivedAt: at, collectedAt: at, actor: '张发改（省发展改革委）', matchedBy: 'meta', rows: reports.length, replaces: null, reports, ...extra });
}
const report = (m: string, changed: string[], progress = '填报') => [m, '推进中', progress, '', JSON.stringify(changed)] as [string, string, string, string, string];
const deptState = async (round: number, dept: number) =>
  (await serverRows<{ v: string }>(world.url(db), "SELECT czt.field_get('round_dept', $1, 'state') AS v", [`${round}|${dept}`]))[0].v;

async function everything() {
  const url = world.url(db);
  const [log] = await serverRows<{ n: string }>(url, 'SELECT count(*) AS n FROM czt.change_log');
  return { plan: await serverSnapshot(url), rounds: await serverRounds(url), log: Number(log.n) };
}
async function assertUnchanged(before: Awaited<ReturnType<typeof everything>>, what: string) {
  const after = await everything();
  assert.deepEqual(differences(before.plan, after.plan), [], what);
  assert.deepEqual(differences(before.rounds, after.rounds).map((d) => d.slice(0, 200)), [], what);
  assert.equal(after.log, before.log, what);
}

test('a department cannot write the round tables directly nor reach their internals', async () => {
  const before = await everything();
  const attempts = [
    `UPDATE czt.round SET state = '已结束', closed_at = 'x'`,
    `UPDATE czt.round_dept SET state = '已采纳', received_at = 'x' WHERE dept_id = 1`,
    `UPDATE czt.round_report SET state = '已采纳'`,
    `UPDATE czt.round_snapshot SET status = '已完成'`,
    'DELETE FROM czt.round_report',
    'DELETE FROM czt.round_event',
    `DELETE FROM czt.round_measure WHERE dept_id = 4`,
    'TRUNCATE czt.round_submission CASCADE',
    'TRUNCATE czt.round CASCADE',
    'TRUNCATE czt.round_evidence',
    `INSERT INTO czt.round_measure (round_id, dept_id, measure_id, role) VALUES (${open}, 1, ${q(theirs)}, '牵头')`,
    `INSERT INTO czt.attachment (sha256, bytes, type, created_at) VALUES (${q(sha())}, 1, 'pdf', 'x')`,
    'SELECT content FROM czt.attachment',
    `UPDATE czt.plan_setting SET value = '{"late":0}' WHERE key = 'rounds.scoreRules'`,
    `SELECT czt.field_set('round_dept', '${open}|1', 'state', '{"state":"已采纳","receivedAt":"x","returnReason":null}', 'now')`,
    `SELECT czt.refusal_v1(p, 'measure', 'x', 'progress', NULL, NULL) FROM czt.person p`,
    `SELECT czt.round_ids_follow()`,
    `ALTER TABLE czt.round_report DISABLE TRIGGER ALL`,
  ];
  for (const sql of attempts) {
    const r = psql('fgw', sql);
    assert.notEqual(r.status, 0, `refused: ${sql}`);
    assert.match(r.stderr, /permission denied|must be owner|ERROR/, sql);
  }
  await assertUnchanged(before, 'direct writes');
});

test('through the apply function a department reports only its own part of an open round; everything else is refused and recorded, nothing changed', async () => {
  const before = await everything();
  const refusals: [Record<string, unknown>, RegExp][] = [
    // another department's measure, or as another department
    [{ tbl: 'round_submission', rowId: `${open}|${sha()}`, field: 'row', value: submission(1, [report(mine, ['progress']), report(theirs, ['progress'])]) }, /不由.*牵头/],
    [{ tbl: 'round_submission', rowId: `${open}|${sha()}`, field: 'row', value: submission(4, [report(theirs, ['progress'])]) }, /只能报送本单位/],
    // a co-operating department reports notes only
    [{ tbl: 'round_submission', rowId: `${open}|${sha()}`, field: 'row', value: submission(1, [report(coop, ['status', 'progress'])]) }, /配合单位只能报送备注/],
    // a closed round
    [{ tbl: 'round_submission', rowId: `${closed}|${sha()}`, field: 'row', value: submission(1, [report(mine, ['progress'])]) }, /已结束/],
    // the receipt without a report, another department's state, the office's steps
    [{ tbl: 'round_dept', rowId: `${open}|1`, field: 'state', base: await deptState(open, 1), value: JSON.stringify({ state: '已报送', receivedAt: at, returnReason: null }) }, /还没有待审核的报送/],
    [{ tbl: 'round_dept', rowId: `${open}|4`, field: 'state', base: await deptState(open, 4), value: JSON.stringify({ state: '已报送', receivedAt: at, returnReason: null }) }, /只能报送本单位/],
    [{ tbl: 'round_dept', rowId: `${open}|1`, field: 'reminded', base: JSON.stringify({ reminders: 0, remindedAt: null }), value: JSON.stringify({ reminders: 0, remindedAt: null }) }, /统筹办公室/],
    [{ tbl: 'round_dept', rowId: `${open}|1`, field: 'distributedAt', base: null, value: at }, /统筹办公室/],
    [{ tbl: 'round', rowId: '99', field: 'row', value: JSON.stringify({ title: '自建轮次', periodEnd: '2026-12-31', dueDate: '2027-01-10', scope: '{}', withCo: 0, note: '', createdAt: at, createdBy: 'x', departments: [[1, 1]], measures: [[1, mine, '牵头']] }) }, /统筹办公室/],
    [{ tbl: 'round', rowId: String(open), field: 'close', value: JSON.stringify({ closedAt: at, snapshot: [] }) }, /统筹办公室/],
    [{ tbl: 'setting', rowId: 'rounds.scoreRules', field: 'late', base: '-5', value: '0' }, /统筹办公室/],
    [{ tbl: 'round_event', rowId: `${open}|${at}|采纳|1|${'0'.repeat(12)}`, field: 'row', value: JSON.stringify({ actor: 'x', detail: '{}' }) }, /.+/],
    // SQL in the values and keys stays data (and is still refused)
    [{ tbl: 'round_submission', rowId: `${open}|x'); DROP TABLE czt.round; --`, field: 'row', value: submission(1, [report(mine, ['progress'], "'); DELETE FROM czt.round_report; --")]) }, /.+/],
  ];
  for (const [o, why] of refusals) {
    const r = apply('fgw', o);
    assert.equal(r.result, 'refused', `${o.tbl}.${o.field} ${o.rowId}: ${r.reason}`);
    assert.match(r.reason, why);
  }
  const recorded = await serverRows<{ n: string }>(world.url(db), "SELECT count(*) AS n FROM czt.conflict WHERE kind = 'refused' AND person = 'fgw_zhang' AND tbl IN ('round', 'round_dept', 'round_submission', 'round_event', 'setting')");
  assert.equal(Number(recorded[0].n), refusals.length, 'each refusal recorded');
  await assertUnchanged(before, 'refused operations');
  assert.equal((await serverRows(world.url(db), "SELECT 1 FROM pg_tables WHERE schemaname = 'czt' AND tablename = 'round'")).length, 1);
});

test('its own report goes in once; then, until the office returns it, no second one; the office reviews', async () => {
  const s1 = sha();
  const evil = "x'); DROP TABLE czt.round_report; --";
  const ok = apply('fgw', { tbl: 'round_submission', rowId: `${open}|${s1}`, field: 'row', value: submission(1, [report(mine, ['progress'], evil), report(coop, ['note'])]) });
  assert.equal(ok.result, 'applied', ok.reason);
  const base = await deptState(open, 1);
  const st = apply('fgw', { tbl: 'round_dept', rowId: `${open}|1`, field: 'state', base, value: JSON.stringify({ state: '已报送', receivedAt: at, returnReason: null }) });
  assert.equal(st.result, 'applied', st.reason);
  const [r] = await serverRows<{ progress: string }>(world.url(db), 'SELECT progress FROM czt.round_report WHERE round_id = $1 AND measure_id = $2', [open, mine]);
  assert.equal(r.progress, evil, 'stored as the text it is');

  const before = await everything();
  const again = apply('fgw', { tbl: 'round_submission', rowId: `${open}|${sha()}`, field: 'row', value: submission(1, [report(mine, ['progress'])], { replaces: s1 }) });
  assert.equal(again.result, 'refused');
  assert.match(again.reason, /只有未报送或已退回/);
  const review = apply('fgw', { tbl: 'round_report', rowId: `${open}|${s1}|${mine}`, field: 'review', base: JSON.stringify({ state: '待审核', reason: null, reviewedAt: null, reviewedBy: null }), value: JSON.stringify({ state: '已采纳', reason: null, reviewedAt: at, reviewedBy: 'x' }) });
  assert.equal(review.result, 'refused');
  await assertUnchanged(before, 'a second report and a self-review');

  // the office returns it; the department may then replace it
  const ret = apply('office', { tbl: 'round_dept', rowId: `${open}|1`, field: 'state', base: await deptState(open, 1), value: JSON.stringify({ state: '已退回', receivedAt: at, returnReason: '请补充数据' }) });
  assert.equal(ret.result, 'applied', ret.reason);
  const rev = apply('office', { tbl: 'round_report', rowId: `${open}|${s1}|${mine}`, field: 'review', base: JSON.stringify({ state: '待审核', reason: null, reviewedAt: null, reviewedBy: null }), value: JSON.stringify({ state: '已退回', reason: '请补充数据', reviewedAt: at, reviewedBy: '李统筹' }) });
  assert.equal(rev.result, 'applied', rev.reason);
  const s2 = sha();
  const fixed = apply('fgw', { tbl: 'round_submission', rowId: `${open}|${s2}`, field: 'row', value: submission(1, [report(mine, ['progress'], '补充后的进展')], { replaces: s1 }) });
  assert.equal(fixed.result, 'applied', fixed.reason);
  const states = await serverRows<{ sha256: string; state: string }>(world.url(db), 'SELECT s.sha256, r.state FROM czt.round_report r JOIN czt.round_submission s ON s.id = r.submission_id WHERE r.round_id = $1 AND r.measure_id = $2 ORDER BY r.id', [open, mine]);
  assert.deepEqual(states, [{ sha256: s1, state: '已替换' }, { sha256: s2, state: '待审核' }]);
});
