// Issues 18 and 20 together: rounds on the shared server. A department reporting online (its copy's
// reports pushed) and one reporting by a returned file the office collects end up as the same rows
// locally and on the server, and the office's review works the same on both; the office and three
// departments working on a round offline, synced in different orders, end equal field by field
// (plan and rounds) with every conflict recorded and nothing lost; a push carrying a round's
// operations killed with SIGKILL applies nothing twice and loses nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { applyEdits } from '../../electron/services/measures';
import { retireDepartment } from '../../electron/services/departments';
import { closeRound, createRound, reviewRound, roundReports, roundStatus, setScoreRules, getScoreRules } from '../../electron/services/rounds';
import { reportOnline } from '../../electron/services/round-online';
import { addEvidence } from '../../electron/import/evidence';
import { collectRoundFiles, distributeRound, packageNames } from '../../electron/import/round-files';
import { resolveConflict, syncNow, syncStatus } from '../../electron/sync/engine';
import { dumpDatabase } from '../../electron/services/dump';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { cloneCopy, differences, localSnapshot, PEOPLE, serverRows, serverSnapshot, startWorld, type SyncWorld, type Who } from './support';
import { localRounds, remindRound, serverRounds } from './round-support';

const ROOT = path.resolve(__dirname, '..', '..');
let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

const DEPT = { fgw: 1, sthj: 4, jtt: 14 };
const LOGIN: Record<Who, string> = { office: 'office_li', fgw: 'fgw_zhang', sthj: 'sthj_wang', jtt: 'jtt_zhao' };
type Copy = Awaited<ReturnType<typeof cloneCopy>>;

/** a small real PDF (the store checks the bytes, not the name) */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const col = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1;

/** A department's edits of its returned ledger, made with ExcelJS (another program than ours). */
async function editLedger(file: string, edits: Record<string, { status?: string; progress?: string }>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('任务分工台账')!;
  ws.eachRow((row, r) => {
    if (r <= 3) return;
    const e = edits[String(row.getCell(1).value ?? '')];
    if (!e) return;
    if (e.status) row.getCell(col('status')).value = e.status;
    if (e.progress) row.getCell(col('progress')).value = e.progress;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The measures a department leads in a round. */
const ledIn = (c: Copy, roundId: number, dept: number) =>
  c.db.prepare("SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? AND role = '牵头' ORDER BY measure_id").pluck().all(roundId, dept) as string[];

/** Every copy equals the server, plan and rounds, field by field. */
async function assertAllEqual(dbName: string, copies: Record<string, Copy>) {
  const admin = world.url(dbName);
  const server = await serverSnapshot(admin);
  const rounds = await serverRounds(admin);
  assert.ok(rounds.size > 0);
  for (const [who, c] of Object.entries(copies)) {
    assert.deepEqual(differences(localSnapshot(c.db), server), [], `${who}'s copy differs from the server (plan)`);
    assert.deepEqual(differences(localRounds(c.db), rounds).map((d) => d.slice(0, 300)), [], `${who}'s copy differs from the server (rounds)`);
  }
  return { server, rounds };
}

/** A server whose office opened a round (chapters 3–9) and synced it; the given copies cloned after. */
async function roundWorld(name: string, who: Who[]) {
  const db = world.newServer(name);
  const office = await cloneCopy(world, db, 'office');
  const { round } = createRound(office.ctx, { title: `${name} 2026年第四季度调度`, periodEnd: '2026-12-31', dueDate: '2030-01-10' });
  const out = path.join(world.dir, `${name}-out`);
  await distributeRound(office.ctx, round.id, out);
  const first = await syncNow(office.ctx, world.url(db, 'office'));
  assert.equal(first.conflicts, 0);
  const copies: Record<string, Copy> = { office };
  for (const w of who) copies[w] = await cloneCopy(world, db, w);
  return { db, round, out, copies };
}

test('a department reporting online and one reporting by a returned file land in the same tables, here and on the server, and are reviewed alike', async () => {
  const { db, round, out, copies } = await roundWorld('same_tables', ['fgw', 'sthj']);
  const { office, fgw, sthj } = copies;
  try {
    assert.equal(fgw.db.prepare('SELECT count(*) FROM round').pluck().get(), 1, 'the round came with the clone');
    const [f1] = ledIn(fgw, round.id, DEPT.fgw);
    const [s1] = ledIn(office, round.id, DEPT.sthj);
    // 省发展改革委 reports from its own copy
    const r = reportOnline(fgw.ctx, round.id, DEPT.fgw, [{ measureId: f1, status: '推进中', progress: '发改委联网报送：可研已批复' }]);
    assert.equal(r.changed, 1);
    // with its evidence: the index travels (hash, name, size, type), the file stays in its store
    addEvidence(fgw.ctx, fgw.file, round.id, DEPT.fgw, { name: `${f1}-批复文件.pdf`, bytes: PDF }, f1);
    await syncNow(fgw.ctx, world.url(db, 'fgw'));
    // 省生态环境厅 returns its ledger; the office collects it
    const st = roundStatus(office.ctx, round.id);
    const idx = st.departments.findIndex((d) => d.deptId === DEPT.sthj);
    const file = path.join(out, packageNames(idx + 1, st.departments[idx].name, round.title).ledger);
    const bytes = await editLedger(file, { [s1]: { status: '滞后', progress: '生态环境厅报送：监测站选址未定' } });
    const [c] = collectRoundFiles(office.ctx, round.id, [{ name: path.basename(file), bytes }]);
    assert.equal(c.refused, null, c.refused ?? '');
    const sync1 = await syncNow(office.ctx, world.url(db, 'office'));
    assert.equal(sync1.conflicts, 0);

    // the same tables: one submission each, reports to review, both departments 已报送 — locally and on the server
    const subs = office.db.prepare('SELECT dept_id, file_name FROM round_submission WHERE round_id = ? ORDER BY dept_id').all(round.id) as { dept_id: number; file_name: string }[];
    assert.deepEqual(subs.map((s) => s.dept_id), [DEPT.fgw, DEPT.sthj]);
    assert.equal(subs[0].file_name, '联网报送');
    const serverSubs = await serverRows<{ dept_id: number; file_name: string }>(world.url(db), 'SELECT dept_id, file_name FROM czt.round_submission WHERE round_id = $1 ORDER BY dept_id', [round.id]);
    assert.deepEqual(serverSubs, subs);
    const onServer = await serverRows<{ dept_id: number; state: string }>(world.url(db), 'SELECT dept_id, state FROM czt.round_dept WHERE round_id = $1 AND dept_id = ANY($2) ORDER BY dept_id', [round.id, [DEPT.fgw, DEPT.sthj]]);
    assert.deepEqual(onServer.map((x) => x.state), ['已报送', '已报送']);
    const fromFgw = roundReports(office.ctx, round.id, { deptId: DEPT.fgw }).find((x) => x.measureId === f1)!;
    assert.deepEqual([fromFgw.status, fromFgw.progress, fromFgw.state, fromFgw.changed.sort()], ['推进中', '发改委联网报送：可研已批复', '待审核', ['progress', 'status']]);
    const fromSthj = roundReports(office.ctx, round.id, { deptId: DEPT.sthj }).find((x) => x.measureId === s1)!;
    assert.deepEqual([fromSthj.status, fromSthj.progress, fromSthj.state], ['滞后', '生态环境厅报送：监测站选址未定', '待审核']);

    // the office reviews both the same way: accepted reports become the measures' progress
    const a = reviewRound(office.ctx, round.id, { deptId: DEPT.fgw, action: 'accept' });
    const b = reviewRound(office.ctx, round.id, { deptId: DEPT.sthj, action: 'accept' });
    assert.deepEqual([a.state, b.state], ['已采纳', '已采纳']);
    assert.ok(a.applied >= 1 && b.applied >= 1);
    assert.equal((await syncNow(office.ctx, world.url(db, 'office'))).conflicts, 0);
    for (const c2 of [fgw, sthj]) await syncNow(c2.ctx, world.url(db, c2 === fgw ? 'fgw' : 'sthj'));
    const { server, rounds } = await assertAllEqual(db, copies);
    assert.equal(server.get(`measure ${f1} progress`), '发改委联网报送：可研已批复');
    const evidence = [...rounds].filter(([k]) => k.startsWith('round_evidence '));
    assert.equal(evidence.length, 1);
    assert.deepEqual(JSON.parse(evidence[0][1]!), { name: `${f1}-批复文件.pdf`, addedAt: JSON.parse(evidence[0][1]!).addedAt, actor: '张发改（省发展改革委）', bytes: PDF.length, type: 'pdf' });
    assert.equal(office.db.prepare('SELECT count(*) FROM round_evidence WHERE dept_id = ? AND measure_id = ?').pluck().get(DEPT.fgw, f1), 1, 'the office sees it listed');
    assert.equal(server.get(`measure ${s1} status`), '滞后');
    assert.equal(roundStatus(fgw.ctx, round.id).departments.find((d) => d.deptId === DEPT.fgw)!.state, '已采纳', 'the department sees its report accepted');

    // a closed round travels with its snapshot; a report for it is refused by the server
    closeRound(office.ctx, round.id);
    await syncNow(office.ctx, world.url(db, 'office'));
    await syncNow(sthj.ctx, world.url(db, 'sthj'));
    await syncNow(fgw.ctx, world.url(db, 'fgw'));
    assert.equal(sthj.db.prepare('SELECT state FROM round WHERE id = ?').pluck().get(round.id), '已结束');
    assert.ok((sthj.db.prepare('SELECT count(*) FROM round_snapshot WHERE round_id = ?').pluck().get(round.id) as number) > 0);
    await assertAllEqual(db, copies);
  } finally {
    for (const c of Object.values(copies)) c.db.close();
  }
});

async function orderScenario(order: Who[], name: string) {
  const { db, round, copies } = await roundWorld(name, ['fgw', 'sthj', 'jtt']);
  const admin = world.url(db);
  try {
    const [f1] = ledIn(copies.office, round.id, DEPT.fgw);
    const [s1] = ledIn(copies.office, round.id, DEPT.sthj);
    const [j1] = ledIn(copies.office, round.id, DEPT.jtt);
    assert.ok(f1 && s1 && j1, 'each department leads a measure of the round');
    // the office, offline: presses a measure's progress itself, reminds three departments, retires one
    applyEdits(copies.office.ctx, [{ measureId: s1, patch: { progress: '办公室：已督办，请加快进度' } }], '督办');
    await remindRound(copies.office.ctx, round.id, { deptIds: [DEPT.fgw, DEPT.sthj, DEPT.jtt], combined: true });
    retireDepartment(copies.office.ctx, DEPT.jtt);
    setScoreRules(copies.office.ctx, { late: -8 });
    // the departments, offline, report from their copies
    reportOnline(copies.fgw.ctx, round.id, DEPT.fgw, [{ measureId: f1, status: '推进中', progress: '发改委：可研已批复' }]);
    reportOnline(copies.sthj.ctx, round.id, DEPT.sthj, [{ measureId: s1, progress: '生态环境厅：监测网络建设中' }]);
    // …and keeps its own ledger up to date: the same field the office changed
    applyEdits(copies.sthj.ctx, [{ measureId: s1, patch: { progress: '生态环境厅：监测网络建设中' } }], '填报进展');
    reportOnline(copies.jtt.ctx, round.id, DEPT.jtt, [{ measureId: j1, status: '推进中', progress: '交通厅：已开工' }]);

    const sent = new Map<string, Who>();
    const roundOps = new Set<string>();
    for (const who of Object.keys(copies) as Who[]) {
      for (const r of copies[who].db.prepare('SELECT op_id, tbl FROM sync_outbox').all() as { op_id: string; tbl: string }[]) {
        sent.set(r.op_id, who);
        if (r.tbl.startsWith('round') || r.tbl === 'setting') roundOps.add(r.op_id);
      }
    }
    // each department: its submission, the record, its state (and 生态环境厅 its measure); the office: 3 reminders and 3 records, a measure, a department, a rule
    assert.equal(sent.size, 3 + 4 + 3 + (3 + 3 + 1 + 1 + 1));
    assert.equal(roundOps.size, 3 + 3 + 3 + 7);

    // dump shows each round's part of what waits
    assert.deepEqual(dumpDatabase(copies.fgw.ctx).sync.rounds, [{ id: round.id, pending: 3, conflicts: 0 }]);
    for (const who of order) await syncNow(copies[who].ctx, world.url(db, who));
    for (const who of order) {
      const r = await syncNow(copies[who].ctx, world.url(db, who));
      assert.equal(r.pushed + r.conflicts, 0, `${who}: nothing left to push`);
    }

    // every operation answered exactly once: in the change log or recorded as a conflict
    const log = await serverRows<{ op_id: string; person: string }>(admin, 'SELECT op_id, person FROM czt.change_log');
    const conflicts = await serverRows<{ op_id: string; kind: string; tbl: string; row_id: string; field: string; person: string; reason: string }>(admin, 'SELECT * FROM czt.conflict');
    const seen = [...log.map((r) => r.op_id), ...conflicts.map((r) => r.op_id)];
    const fromCopies = seen.filter((id) => sent.has(id));
    assert.equal(fromCopies.length, sent.size, 'every operation answered once');
    assert.deepEqual(new Set(fromCopies), new Set(sent.keys()));
    for (const r of log) if (sent.has(r.op_id)) assert.equal(r.person, LOGIN[sent.get(r.op_id)!], 'the log names who made the change');

    // the conflicts: the measure's progress (whoever came second), and 交通厅's report if it came after its retirement
    const officeFirst = order.indexOf('office') < order.indexOf('sthj');
    const same = conflicts.filter((c) => c.kind === 'conflict');
    assert.deepEqual(same.map((c) => `${c.person} ${c.tbl} ${c.row_id} ${c.field}`), [`${LOGIN[officeFirst ? 'sthj' : 'office']} measure ${s1} progress`]);
    const jttLate = order.indexOf('office') < order.indexOf('jtt');
    const refused = conflicts.filter((c) => c.kind === 'refused');
    assert.deepEqual(refused.map((c) => `${c.person} ${c.tbl}`).sort(), jttLate ? ['jtt_zhao round_dept', 'jtt_zhao round_event', 'jtt_zhao round_submission'] : []);
    for (const r of refused) assert.match(r.reason, /已撤销/);
    if (jttLate) {
      assert.ok(syncStatus(copies.jtt.ctx).conflicts.some((c) => c.table === 'round_submission' && /已撤销/.test(c.reason)), 'the retired department sees its report refused');
      assert.equal(roundStatus(copies.jtt.ctx, round.id).departments.find((d) => d.deptId === DEPT.jtt)!.state, '未报送');
      assert.deepEqual(dumpDatabase(copies.jtt.ctx).sync.rounds, [{ id: round.id, pending: 0, conflicts: 3 }]);
    }
    const loser = officeFirst ? 'sthj' : 'office';
    assert.ok(syncStatus(copies[loser].ctx).conflicts.some((c) => c.kind === 'conflict' && c.rowId === s1 && c.field === 'progress'));
    if (jttLate) {
      // a round's conflict is settled as a step, not by forcing a value back
      const c = syncStatus(copies.jtt.ctx).conflicts.find((x) => x.table === 'round_dept')!;
      assert.throws(() => resolveConflict(copies.jtt.ctx, c.opId, 'mine'), /只能采用服务器的值/);
      assert.equal(resolveConflict(copies.jtt.ctx, c.opId, 'theirs').resolution, 'theirs');
    }

    // every copy equals the server, plan and rounds, field by field; nothing pending
    const { server, rounds } = await assertAllEqual(db, copies);
    for (const c of Object.values(copies)) assert.equal(syncStatus(c.ctx).pending, 0);
    assert.equal(server.get(`measure ${s1} progress`), officeFirst ? '办公室：已督办，请加快进度' : '生态环境厅：监测网络建设中');
    const dept = (d: number) => JSON.parse(rounds.get(`round_dept ${round.id}|${d} state`)!) as { state: string };
    assert.equal(dept(DEPT.fgw).state, '已报送');
    assert.equal(dept(DEPT.sthj).state, '已报送');
    assert.equal(dept(DEPT.jtt).state, jttLate ? '未报送' : '已报送');
    assert.equal(JSON.parse(rounds.get(`round_dept ${round.id}|${DEPT.fgw} reminded`)!).reminders, 1, 'the reminder and the report, different fields of one department, both kept');
    assert.equal(getScoreRules(copies.fgw.ctx).late, -8, 'the rules travel too');
    // the reports are in every copy for the office to review
    const subs = await serverRows<{ dept_id: number }>(admin, 'SELECT dept_id FROM czt.round_submission ORDER BY dept_id');
    assert.deepEqual(subs.map((s) => s.dept_id), jttLate ? [DEPT.fgw, DEPT.sthj] : [DEPT.fgw, DEPT.sthj, DEPT.jtt]);
    assert.equal(roundReports(copies.office.ctx, round.id, { deptId: DEPT.fgw }).find((r) => r.measureId === f1)!.progress, '发改委：可研已批复');
  } finally {
    for (const c of Object.values(copies)) c.db.close();
  }
}

const ORDERS: Who[][] = [
  ['office', 'fgw', 'sthj', 'jtt'],
  ['jtt', 'sthj', 'fgw', 'office'],
  ['sthj', 'office', 'jtt', 'fgw'],
  ['fgw', 'jtt', 'office', 'sthj'],
];
ORDERS.forEach((order, i) => {
  test(`a round worked on offline by the office and three departments, synced ${order.join(' → ')}: copies equal the server, conflicts recorded, nothing lost`, async () => {
    await orderScenario(order, `round_order_${i}`);
  });
});

/** `sync` of the CLI in a child process, ended with SIGKILL at a named point (electron/sync/test-points.ts). */
function cliSyncKilled(file: string, url: string, point: string) {
  return new Promise<{ signal: NodeJS.Signals | null }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'cli.ts'), 'sync', '--db', file, '--server', url], {
      cwd: ROOT,
      env: { ...process.env, CZT_SYNC_KILL_AT: point },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal }));
  });
}

for (const point of ['push-before-commit', 'push-after-commit']) {
  test(`killed with SIGKILL during a push carrying a round's operations (${point}): nothing applied twice or lost`, async () => {
    const name = `round_kill_${point.replace(/-/g, '_')}`;
    const { db, round, copies } = await roundWorld(name, ['fgw']);
    const { office, fgw } = copies;
    try {
      // the office opens a second round and reminds; 省发展改革委 reports in the first: round operations waiting in both copies
      const second = createRound(office.ctx, { title: `${name} 第二轮`, periodEnd: '2027-03-31', dueDate: '2030-04-10', scope: { chapters: [4] } }).round;
      await remindRound(office.ctx, second.id, { combined: true });
      const [f1] = ledIn(fgw, round.id, DEPT.fgw);
      reportOnline(fgw.ctx, round.id, DEPT.fgw, [{ measureId: f1, progress: '发改委：已完成' }]);
      const ops = new Map<string, string>();
      for (const [who, c] of Object.entries({ office, fgw })) for (const id of c.db.prepare('SELECT op_id FROM sync_outbox').pluck().all() as string[]) ops.set(id, who);
      assert.ok(ops.size > 10);
      for (const [who, c] of [['office', office], ['fgw', fgw]] as const) {
        c.db.close();
        const r = await cliSyncKilled(c.file, world.url(db, who), point);
        assert.equal(r.signal, 'SIGKILL');
      }
      const counts = async () =>
        new Map((await serverRows<{ op_id: string; n: string }>(world.url(db), 'SELECT op_id, count(*) AS n FROM czt.change_log WHERE op_id = ANY($1) GROUP BY op_id', [[...ops.keys()]])).map((r) => [r.op_id, Number(r.n)]));
      const afterKill = await counts();
      assert.equal(afterKill.size, point === 'push-before-commit' ? 0 : ops.size, 'the server has all of a batch or none of it');
      // both copies sync again: each operation applied exactly once, none lost, nothing recorded as a conflict
      const reopened = { office: await reopen(copies.office.file, 'office'), fgw: await reopen(copies.fgw.file, 'fgw') };
      for (const who of ['office', 'fgw', 'office'] as const) await syncNow(reopened[who].ctx, world.url(db, who));
      const final = await counts();
      assert.equal(final.size, ops.size);
      for (const v of final.values()) assert.equal(v, 1);
      assert.equal((await serverRows(world.url(db), 'SELECT 1 FROM czt.conflict')).length, 0);
      await assertAllEqual(db, reopened);
      assert.equal(roundReports(reopened.office.ctx, round.id, { deptId: DEPT.fgw }).find((r) => r.measureId === f1)!.progress, '发改委：已完成');
      assert.ok(roundStatus(reopened.fgw.ctx, second.id).departments.every((d) => d.reminders === 1), 'the second round and its reminders reached the department');
      for (const c of Object.values(reopened)) c.db.close();
    } finally {
      for (const c of Object.values(copies)) if (c.db.open) c.db.close();
    }
  });
}

async function reopen(file: string, who: Who): Promise<Copy> {
  const { openWorkbenchDb } = await import('../../electron/db/open');
  const { contextFor } = await import('../../electron/core/context');
  const d = openWorkbenchDb(file);
  const ctx = contextFor(d);
  ctx.actor = { name: PEOPLE[who].name, unit: PEOPLE[who].unit };
  return { file, db: d, ctx };
}

test('server-init --from an office database with rounds loads them; a clone has them field by field; the server\'s next ids follow the loaded ones', async () => {
  const { openWorkbenchDb } = await import('../../electron/db/open');
  const { contextFor } = await import('../../electron/core/context');
  const { connectServer } = await import('../../electron/server/connect');
  const { migrateServer } = await import('../../electron/server/schema');
  const { loadServer } = await import('../../electron/server/load');
  const { createServerUser } = await import('../../electron/server/users');
  // the office's own database, working alone: a round collected (by file), reviewed and closed, and one under way
  const file = path.join(world.dir, 'office-alone.db');
  const local = openWorkbenchDb(file, { seedIfEmpty: true });
  const ctx = contextFor(local);
  ctx.actor = { name: PEOPLE.office.name, unit: PEOPLE.office.unit };
  const out = path.join(world.dir, 'alone-out');
  const r1 = createRound(ctx, { title: '本机第一轮', periodEnd: '2026-09-30', dueDate: '2030-10-10', scope: { chapters: [6] } }).round;
  await distributeRound(ctx, r1.id, out);
  const st = roundStatus(ctx, r1.id);
  const idx = st.departments.findIndex((d) => d.deptId === DEPT.sthj);
  const ledger = path.join(out, packageNames(idx + 1, st.departments[idx].name, r1.title).ledger);
  const s1 = (local.prepare("SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? AND role = '牵头' ORDER BY measure_id").pluck().all(r1.id, DEPT.sthj) as string[])[0];
  const [c] = collectRoundFiles(ctx, r1.id, [{ name: path.basename(ledger), bytes: await editLedger(ledger, { [s1]: { progress: '本机收取的报送' } }) }]);
  assert.equal(c.refused, null, c.refused ?? '');
  reviewRound(ctx, r1.id, { deptId: DEPT.sthj, action: 'accept' });
  closeRound(ctx, r1.id);
  const r2 = createRound(ctx, { title: '本机第二轮', periodEnd: '2026-12-31', dueDate: '2030-01-10', scope: { chapters: [3] } }).round;
  setScoreRules(ctx, { lagging: -3 });
  const expected = localRounds(local);
  local.close();

  const name = 'from_office_db';
  world.cluster.createDb(name);
  const admin = await connectServer(world.url(name));
  try {
    await migrateServer(admin);
    const src = openWorkbenchDb(file);
    try {
      assert.equal((await loadServer(admin, src)).loaded, true);
    } finally {
      src.close();
    }
    for (const p of Object.values(PEOPLE)) await createServerUser(admin, { ...p, password: 'correct horse 1' });
  } finally {
    await admin.end();
  }
  assert.deepEqual(differences(await serverRounds(world.url(name)), expected).map((d) => d.slice(0, 300)), [], 'the server holds the rounds as the office had them');
  const fgw = await cloneCopy(world, name, 'fgw');
  try {
    assert.deepEqual(differences(localRounds(fgw.db), expected).map((d) => d.slice(0, 300)), [], 'the clone has them too');
    assert.equal(getScoreRules(fgw.ctx).lagging, -3);
    // a department reports in the second round: new rows on the server, numbered after the loaded ones
    const [f1] = ledIn(fgw, r2.id, DEPT.fgw);
    reportOnline(fgw.ctx, r2.id, DEPT.fgw, [{ measureId: f1, progress: '联网报送' }]);
    const res = await syncNow(fgw.ctx, world.url(name, 'fgw'));
    assert.equal(res.conflicts, 0, JSON.stringify(syncStatus(fgw.ctx).conflicts));
    const ids = await serverRows<{ id: number; file_name: string }>(world.url(name), 'SELECT id, file_name FROM czt.round_submission ORDER BY id');
    assert.deepEqual(ids.map((x) => x.file_name), [path.basename(ledger), '联网报送']);
    assert.ok(ids[1].id > ids[0].id);
    assert.deepEqual(differences(localRounds(fgw.db), await serverRounds(world.url(name))).map((d) => d.slice(0, 300)), []);
  } finally {
    fgw.db.close();
  }
});

test('a server at version 1 (before rounds) is upgraded in place: its plan, log and copies keep working, and rounds then travel', async () => {
  const { connectServer } = await import('../../electron/server/connect');
  const { migrateServer, serverVersion } = await import('../../electron/server/schema');
  const { loadServer } = await import('../../electron/server/load');
  const { createServerUser } = await import('../../electron/server/users');
  const { SERVER_MIGRATIONS, SERVER_LATEST_VERSION } = await import('../../electron/server/migrations');
  const { openWorkbenchDb } = await import('../../electron/db/open');
  const name = 'upgrade_v1';
  world.cluster.createDb(name);
  const admin = await connectServer(world.url(name));
  try {
    assert.deepEqual(await migrateServer(admin, SERVER_MIGRATIONS.slice(0, 1)), { from: 0, to: 1 });
    const seed = openWorkbenchDb(':memory:', { seedIfEmpty: true });
    try {
      assert.equal((await loadServer(admin, seed)).loaded, true);
    } finally {
      seed.close();
    }
    for (const p of Object.values(PEOPLE)) await createServerUser(admin, { ...p, password: 'correct horse 1' });
  } finally {
    await admin.end();
  }
  // a copy of the version-1 server, with a change made and synced before the upgrade
  const office = await cloneCopy(world, name, 'office');
  try {
    const [m] = office.db.prepare('SELECT measure_id FROM measure_lead WHERE dept_id = 1 ORDER BY measure_id LIMIT 1').pluck().all() as string[];
    applyEdits(office.ctx, [{ measureId: m, patch: { progress: '升级前的进展' } }], '填报');
    assert.equal((await syncNow(office.ctx, world.url(name, 'office'))).pushed, 1);
    const a2 = await connectServer(world.url(name));
    try {
      assert.deepEqual(await migrateServer(a2), { from: 1, to: SERVER_LATEST_VERSION });
      assert.equal(await serverVersion(a2), SERVER_LATEST_VERSION);
    } finally {
      await a2.end();
    }
    const r = createRound(office.ctx, { title: '升级后第一轮', periodEnd: '2026-12-31', dueDate: '2030-01-10', scope: { chapters: [3] } }).round;
    assert.equal((await syncNow(office.ctx, world.url(name, 'office'))).conflicts, 0);
    const fgw = await cloneCopy(world, name, 'fgw');
    try {
      assert.equal(fgw.db.prepare('SELECT title FROM round WHERE id = ?').pluck().get(r.id), '升级后第一轮');
      assert.equal(fgw.db.prepare('SELECT progress FROM measure WHERE id = ?').pluck().get(m), '升级前的进展');
      const log = await serverRows<{ op: string }>(world.url(name), 'SELECT op FROM czt.change_log ORDER BY seq');
      assert.equal(log[0].op, '填报', 'the log from before the upgrade is kept');
      await assertAllEqual(name, { office, fgw });
    } finally {
      fgw.db.close();
    }
  } finally {
    office.db.close();
  }
});

test('the office collects a file from a department that also reported online: the first to arrive stands, the other is recorded, copies equal', async () => {
  for (const officeFirst of [true, false]) {
    const name = `both_ways_${officeFirst ? 'office' : 'dept'}`;
    const { db, round, out, copies } = await roundWorld(name, ['sthj']);
    const { office, sthj } = copies;
    try {
      const [s1] = ledIn(office, round.id, DEPT.sthj);
      const st = roundStatus(office.ctx, round.id);
      const idx = st.departments.findIndex((d) => d.deptId === DEPT.sthj);
      const file = path.join(out, packageNames(idx + 1, st.departments[idx].name, round.title).ledger);
      const [c] = collectRoundFiles(office.ctx, round.id, [{ name: path.basename(file), bytes: await editLedger(file, { [s1]: { progress: '文件报送' } }) }]);
      assert.equal(c.refused, null);
      reportOnline(sthj.ctx, round.id, DEPT.sthj, [{ measureId: s1, progress: '联网报送' }]);
      const order: Who[] = officeFirst ? ['office', 'sthj'] : ['sthj', 'office'];
      for (const who of [...order, ...order]) await syncNow(copies[who].ctx, world.url(db, who));
      const conflicts = await serverRows<{ kind: string; tbl: string; person: string; reason: string }>(world.url(db), "SELECT kind, tbl, person, reason FROM czt.conflict WHERE tbl <> 'round_event' ORDER BY id");
      const loser = LOGIN[order[1]];
      assert.deepEqual(conflicts.map((x) => `${x.person} ${x.kind} ${x.tbl}`), [`${loser} refused round_submission`, `${loser} ${loser === 'office_li' ? 'conflict' : 'refused'} round_dept`]);
      // the office is told the department's report came first; the department, that it has reported already
      assert.match(conflicts[0].reason, loser === 'office_li' ? /已有另一份报送先到服务器（联网报送）/ : /状态为“已报送”，只有未报送或已退回时才能报送/);
      const { rounds } = await assertAllEqual(db, copies);
      const subs = [...rounds].filter(([k]) => k.startsWith('round_submission '));
      assert.equal(subs.length, 1);
      assert.equal(JSON.parse(subs[0][1]!).fileName, officeFirst ? path.basename(file) : '联网报送');
      // the one that stood is reviewed as any other
      assert.equal(reviewRound(office.ctx, round.id, { deptId: DEPT.sthj, action: 'accept' }).state, '已采纳');
      await syncNow(office.ctx, world.url(db, 'office'));
      await syncNow(sthj.ctx, world.url(db, 'sthj'));
      const { server } = await assertAllEqual(db, copies);
      assert.equal(server.get(`measure ${s1} progress`), officeFirst ? '文件报送' : '联网报送');
    } finally {
      for (const x of Object.values(copies)) x.db.close();
    }
  }
});

test('killed with SIGKILL in the middle of a pull bringing a round: the copy is as before, and the next sync brings it once', async () => {
  const { db, round, copies } = await roundWorld('round_kill_pull', ['fgw']);
  const { office, fgw } = copies;
  try {
    // the office reminds everybody and opens a second round: dozens of changes for the department to pull
    await remindRound(office.ctx, round.id, {});
    createRound(office.ctx, { title: '第二轮', periodEnd: '2027-03-31', dueDate: '2030-04-10' });
    await syncNow(office.ctx, world.url(db, 'office'));
    const before = localRounds(fgw.db);
    fgw.db.close();
    const r = await cliSyncKilled(fgw.file, world.url(db, 'fgw'), 'pull-mid-apply');
    assert.equal(r.signal, 'SIGKILL');
    const again = await reopen(fgw.file, 'fgw');
    copies.fgw = again;
    assert.deepEqual(differences(localRounds(again.db), before), [], 'no half-applied pull');
    const res = await syncNow(again.ctx, world.url(db, 'fgw'));
    assert.ok(res.pulled > 50, String(res.pulled));
    await assertAllEqual(db, copies);
    const [{ n }] = again.db.prepare("SELECT count(*) AS n FROM round_event WHERE kind = '催办'").all() as { n: number }[];
    assert.equal(n, roundStatus(office.ctx, round.id).departments.length, 'each reminder once');
  } finally {
    for (const c of Object.values(copies)) if (c.db.open) c.db.close();
  }
});
