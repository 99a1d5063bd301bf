// Issue 20, item 4: the office and three departments edit their own copies offline — different
// fields of one measure, the same field, a department retired meanwhile, a department touching a
// measure it does not lead — then sync in several orders, and everybody syncs once more. Each
// time: every copy equals the server field by field, every operation is either in the change log
// or recorded as a conflict (never both, never lost), the conflicts are the expected ones, and the
// copies show who changed what from the shared log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../electron/services/measures';
import { retireDepartment } from '../../electron/services/departments';
import { updateProjects } from '../../electron/services/projects';
import { setActual } from '../../electron/services/indicators';
import { syncNow, syncStatus } from '../../electron/sync/engine';
import { listAuditFiltered } from '../../electron/services/audit';
import { cloneCopy, differences, localSnapshot, serverRows, serverSnapshot, startWorld, type SyncWorld, type Who } from './support';

let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

const DEPT = { fgw: 1, sthj: 4, jtt: 14 };

async function pickMeasures(url: string) {
  const led = async (d: number, n: number) =>
    (await serverRows<{ measure_id: string }>(url, 'SELECT measure_id FROM czt.measure_lead WHERE dept_id = $1 ORDER BY measure_id LIMIT $2', [d, n])).map((r) => r.measure_id);
  const [m1, m1b] = await led(DEPT.fgw, 2);
  const [m2] = await led(DEPT.sthj, 1);
  const [m3] = await led(DEPT.jtt, 1);
  const [p1] = (await serverRows<{ id: string }>(url, 'SELECT id FROM czt.project WHERE lead_id = $1 ORDER BY id LIMIT 1', [DEPT.jtt])).map((r) => r.id);
  return { m1, m1b, m2, m3, p1 };
}

async function scenario(order: Who[], name: string) {
  const db = world.newServer(name);
  const admin = world.url(db);
  const ids = await pickMeasures(admin);
  const copies = {
    office: await cloneCopy(world, db, 'office'),
    fgw: await cloneCopy(world, db, 'fgw'),
    sthj: await cloneCopy(world, db, 'sthj'),
    jtt: await cloneCopy(world, db, 'jtt'),
  };
  try {
    // ---- offline edits, through the services as the app makes them
    applyEdits(copies.office.ctx, [
      { measureId: ids.m1, patch: { deadline: '2025-06-30' } },
      { measureId: ids.m2, patch: { status: '滞后' } },
    ], '分工调整');
    retireDepartment(copies.office.ctx, DEPT.jtt);
    setActual(copies.office.ctx, 'I01', 2023, 12.5, '省统计局', '');

    applyEdits(copies.fgw.ctx, [
      { measureId: ids.m1, patch: { progress: '发改委：已完成前期研究' } },
      { measureId: ids.m1b, patch: { status: '已完成', note: "含'引号'; DROP TABLE czt.measure; --" } },
      // not its measure: the server refuses it
      { measureId: ids.m2, patch: { progress: '发改委越权填写' } },
    ], '填报进展');

    applyEdits(copies.sthj.ctx, [{ measureId: ids.m2, patch: { status: '推进中', progress: '生态环境厅：监测网络建设中' } }], '填报进展');

    applyEdits(copies.jtt.ctx, [{ measureId: ids.m3, patch: { progress: '交通厅：已开工' } }], '填报进展');
    updateProjects(copies.jtt.ctx, [{ projectId: ids.p1, patch: { progressText: '交通厅：路基完成 60%' } }], '填报项目进展');

    const sent = new Map<string, Who>();
    for (const who of Object.keys(copies) as Who[]) {
      for (const id of copies[who].db.prepare('SELECT op_id FROM sync_outbox').pluck().all() as string[]) sent.set(id, who);
    }
    // office 2 + 1 + 2 (indicator value and source), 发改委 4, 生态环境厅 2, 交通厅 2
    assert.equal(sent.size, 13, 'every field change is queued once');

    // ---- sync in the given order, then everybody once more
    const results: Record<string, { pushed: number; pulled: number; conflicts: number }> = {};
    for (const who of order) results[who] = await syncNow(copies[who].ctx, world.url(db, who));
    for (const who of order) {
      const r = await syncNow(copies[who].ctx, world.url(db, who));
      assert.equal(r.pushed + r.conflicts, 0, `${who}: nothing left to push`);
    }

    // ---- no change lost, none twice: each operation in the log or the conflicts, exactly once
    const log = await serverRows<{ op_id: string; person: string; unit: string }>(admin, 'SELECT op_id, person, unit FROM czt.change_log ORDER BY seq');
    const conflicts = await serverRows<{ op_id: string; kind: string; tbl: string; row_id: string; field: string; person: string; server_value: string | null; mine_value: string | null }>(
      admin,
      'SELECT * FROM czt.conflict',
    );
    const seen = [...log.map((r) => r.op_id), ...conflicts.map((r) => r.op_id)];
    assert.equal(seen.length, sent.size, 'every operation answered once');
    assert.deepEqual(new Set(seen), new Set(sent.keys()));
    for (const r of log) assert.equal(r.person, PEOPLE_LOGIN[sent.get(r.op_id)!], 'the log names who made the change');

    // ---- the expected conflicts
    const statusFirst = order.indexOf('office') < order.indexOf('sthj') ? 'office' : 'sthj';
    const statusLoser = statusFirst === 'office' ? 'sthj' : 'office';
    const sameField = conflicts.filter((c) => c.kind === 'conflict');
    assert.equal(sameField.length, 1, 'one conflict: the status of m2');
    assert.equal(sameField[0].row_id, ids.m2);
    assert.equal(sameField[0].field, 'status');
    assert.equal(sameField[0].person, PEOPLE_LOGIN[statusLoser]);
    assert.equal(sameField[0].server_value, statusFirst === 'office' ? '滞后' : '推进中');
    const refused = conflicts.filter((c) => c.kind === 'refused');
    const jttFirst = order.indexOf('jtt') < order.indexOf('office');
    assert.deepEqual(
      refused.map((c) => `${c.person} ${c.row_id} ${c.field}`).sort(),
      [`fgw_zhang ${ids.m2} progress`, ...(jttFirst ? [] : [`jtt_zhao ${ids.m3} progress`, `jtt_zhao ${ids.p1} progressText`])].sort(),
    );
    // the loser's copy lists its conflict with both values; the refused department its refusals
    const loserConflicts = syncStatus(copies[statusLoser].ctx).conflicts;
    assert.ok(loserConflicts.some((c) => c.kind === 'conflict' && c.rowId === ids.m2 && c.field === 'status' && c.mine === (statusLoser === 'office' ? '滞后' : '推进中')));
    assert.ok(syncStatus(copies.fgw.ctx).conflicts.some((c) => c.kind === 'refused' && c.rowId === ids.m2 && /不由/.test(c.reason)));

    // ---- every copy equals the server, field by field
    const server = await serverSnapshot(admin);
    for (const who of Object.keys(copies) as Who[]) {
      const diff = differences(localSnapshot(copies[who].db), server);
      assert.deepEqual(diff, [], `${who}'s copy differs from the server`);
      assert.equal(syncStatus(copies[who].ctx).pending, 0);
    }
    assert.equal(server.get(`measure ${ids.m1} deadline`), '2025-06-30');
    assert.equal(server.get(`measure ${ids.m1} progress`), '发改委：已完成前期研究');
    assert.equal(server.get(`measure ${ids.m1b} note`), "含'引号'; DROP TABLE czt.measure; --");
    assert.equal(server.get(`measure ${ids.m2} progress`), '生态环境厅：监测网络建设中');
    assert.equal(server.get(`department ${DEPT.jtt} state`), '已撤销');
    assert.equal(server.get('indicator_actual I01 2023.value'), '12.5');
    assert.equal(server.get(`measure ${ids.m3} progress`), jttFirst ? '交通厅：已开工' : '');

    // ---- who changed what, from the shared log, in another copy's history
    const hist = listAuditFiltered(copies.sthj.ctx, { rowId: ids.m1, field: 'deadline' });
    assert.equal(hist[0]?.actor, '李统筹');
    assert.equal(hist[0]?.unit, '长株潭都市圈办');
    assert.equal(hist[0]?.newValue, '2025-06-30');
    return results;
  } finally {
    for (const c of Object.values(copies)) c.db.close();
  }
}

const PEOPLE_LOGIN: Record<Who, string> = { office: 'office_li', fgw: 'fgw_zhang', sthj: 'sthj_wang', jtt: 'jtt_zhao' };

const ORDERS: Who[][] = [
  ['office', 'fgw', 'sthj', 'jtt'],
  ['jtt', 'sthj', 'fgw', 'office'],
  ['sthj', 'office', 'jtt', 'fgw'],
  ['fgw', 'jtt', 'office', 'sthj'],
  ['office', 'jtt', 'sthj', 'fgw'],
  ['jtt', 'office', 'fgw', 'sthj'],
];

ORDERS.forEach((order, i) => {
  test(`offline edits synced in the order ${order.join(' → ')}: copies equal the server, conflicts recorded, nothing lost`, async () => {
    await scenario(order, `offline_${i}`);
  });
});
