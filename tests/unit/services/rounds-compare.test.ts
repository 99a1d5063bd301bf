// 对比上期 and the dashboard's 调度轮次 card (issue 18, item 8) on a real database: two closed rounds
// whose departments reported different things (files written by distribute, edited with SheetJS,
// collected and accepted), compared per measure (status and progress before → after, lead
// departments), per department and per chapter (moved, newly 已完成, newly 滞后); the latest closed
// round with the change since the one before, the same from the read worker as on this thread (and
// through the dispatcher on a large ledger).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceContext } from '../../../electron/core/context';
import { closeRound, compareRounds, createRound, latestClosedRound, reviewRound, roundStatus } from '../../../electron/services/rounds';
import { collectRoundFiles, distributeRound } from '../../../electron/import/round-files';
import { OFF_THREAD_FROM, readCall, readWorkerRunning, stopReadWorker } from '../../../electron/query/offthread';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { createDispatcher } from '../../../electron/ipc/router';
import { applyEdits } from '../../../electron/services/measures';
import { setIdentity } from '../../../electron/services/settings';
import { fromJsonText, isJsonText } from '../../../shared/ipc/json-text';
import { freshDb, generatedLedger } from '../../support/db';
import type { RoundCompare, RoundLatest } from '../../../shared/rounds';
import { editRoundLedger, type LedgerEdit } from '../../support/round-ledger';

/** A round over chapter 6 in which each department named reports its edits and is accepted; then closed. */
async function closedRound(ctx: ServiceContext, dir: string, title: string, periodEnd: string, reports: Record<string, Record<string, LedgerEdit>>): Promise<number> {
  const { round } = createRound(ctx, { title, periodEnd, dueDate: periodEnd, scope: { chapters: [6] } });
  const out = path.join(dir, `out-${round.id}`);
  const dist = await distributeRound(ctx, round.id, out);
  const st = roundStatus(ctx, round.id);
  for (const [name, edits] of Object.entries(reports)) {
    const d = st.departments.find((x) => x.name === name)!;
    const file = dist.files.find((f) => f.endsWith('.xlsx') && path.basename(f).includes(`-${name}-`))!;
    const [r] = collectRoundFiles(ctx, round.id, [{ name: `${name}.xlsx`, bytes: editRoundLedger(fs.readFileSync(file), edits) }], { receivedAt: periodEnd });
    assert.equal(r.refused, null, r.refused ?? '');
    reviewRound(ctx, round.id, { deptId: d.deptId, action: 'accept' });
  }
  closeRound(ctx, round.id);
  return round.id;
}

/** Two departments of a chapter 6 round and three measures led by one of them only. */
function pick(ctx: ServiceContext) {
  const { round } = createRound(ctx, { title: '选取', periodEnd: '2026-01-01', dueDate: '2026-01-01', scope: { chapters: [6] } });
  const part = (deptId: number) => (ctx.db.prepare("SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? AND role = '牵头' ORDER BY measure_id").all(round.id, deptId) as { measure_id: string }[]).map((x) => x.measure_id);
  const leads = (id: string) => (ctx.db.prepare("SELECT count(*) n FROM round_measure WHERE round_id = ? AND measure_id = ? AND role = '牵头'").get(round.id, id) as { n: number }).n;
  const depts = roundStatus(ctx, round.id).departments.filter((d) => part(d.deptId).filter((id) => leads(id) === 1).length >= 2);
  const [a, b] = depts;
  const [a1, a2] = part(a.deptId).filter((id) => leads(id) === 1);
  const [b1] = part(b.deptId).filter((id) => leads(id) === 1);
  // the round used to choose stays open: only closed rounds are compared and shown
  return { a: a.name, b: b.name, a1, a2, b1 };
}

test('对比上期: two closed rounds with different accepted reports — what moved per measure, per department and per chapter; the dashboard card from the read worker too', async () => {
  const h = freshDb('czt-rounds-compare-');
  try {
    const { ctx, dir } = h;
    const { a, b, a1, a2, b1 } = pick(ctx);
    assert.equal(latestClosedRound(ctx), null, 'no closed round: nothing to show');

    const r1 = await closedRound(ctx, dir, '2026年第二季度调度', '2026-06-30', {
      [a]: { [a1]: { status: '推进中', progress: '完成可研' }, [a2]: { status: '推进中', progress: '开展前期' } },
      [b]: { [b1]: { status: '推进中', progress: '启动招标' } },
    });
    const first = latestClosedRound(ctx)!;
    assert.equal(first.round.id, r1);
    assert.deepEqual([first.previous, first.change], [null, null], 'the first closed round has nothing to compare with');
    assert.equal(first.rates.accepted, 2);

    const r2 = await closedRound(ctx, dir, '2026年第三季度调度', '2026-09-30', {
      [a]: { [a1]: { status: '已完成', progress: '已建成投用' }, [a2]: { status: '滞后', progress: '资金未到位' } },
      [b]: { [b1]: { progress: '完成招标，已开工' } },
    });
    const cmp = compareRounds(ctx, r1, r2);
    const m = (id: string) => cmp.measures.find((x) => x.id === id)!;
    assert.deepEqual(
      [m(a1).before, m(a1).after, m(a1).beforeProgress, m(a1).afterProgress, m(a1).progressChanged, m(a1).depts],
      ['推进中', '已完成', '完成可研', '已建成投用', true, [a]],
    );
    assert.deepEqual([m(a2).before, m(a2).after], ['推进中', '滞后']);
    assert.deepEqual([m(b1).before, m(b1).after, m(b1).progressChanged, m(b1).afterProgress], ['推进中', '推进中', true, '完成招标，已开工']);
    assert.equal(cmp.measures.filter((x) => x.before !== x.after).length, 2, 'only the two measures of A moved');

    const da = cmp.byDept.find((x) => x.label === a)!;
    assert.deepEqual([da.moved, da.newlyDone, da.newlyLagging, da.progressChanged], [2, 1, 1, 2]);
    assert.deepEqual([da.before['推进中'] - da.after['推进中'], da.after['已完成'] - da.before['已完成'], da.after['滞后'] - da.before['滞后']], [2, 1, 1]);
    const db = cmp.byDept.find((x) => x.label === b)!;
    assert.deepEqual([db.moved, db.newlyDone, db.newlyLagging, db.progressChanged], [0, 0, 0, 1]);
    const ch = cmp.byChapter.find((x) => x.key === '6')!;
    assert.deepEqual([ch.label, ch.moved, ch.newlyDone, ch.newlyLagging, ch.progressChanged], ['第6章', 2, 1, 1, 3]);
    assert.equal(cmp.byChapter.length, 1);

    // the other way round: nothing is newly done or lagging, the same two moved
    const back = compareRounds(ctx, r2, r1).byDept.find((x) => x.label === a)!;
    assert.deepEqual([back.moved, back.newlyDone, back.newlyLagging], [2, 0, 0]);

    const latest = latestClosedRound(ctx)!;
    assert.equal(latest.round.id, r2);
    assert.deepEqual(latest.previous, { id: r1, title: '2026年第二季度调度', periodEnd: '2026-06-30' });
    assert.deepEqual(latest.change && [latest.change.moved, latest.change.newlyDone, latest.change.newlyLagging, latest.change.progressChanged], [2, [a1], [a2], 3]);
    assert.deepEqual(latest.rates, roundStatus(ctx, r2).rates);

    // the dashboard asks the read worker: the same answer as this thread's
    const off = await readCall(ctx, 'rounds.latest', 0, () => latestClosedRound(ctx), { force: true });
    assert.deepEqual(off, latest);
    assert.ok(readWorkerRunning(), 'answered by the worker');
    const offCmp = await readCall(ctx, 'rounds.compare', 0, () => cmp, { force: true, input: { fromId: r1, toId: r2 } });
    assert.ok(isJsonText(offCmp), 'the comparison as JSON text');
    assert.deepEqual(fromJsonText(offCmp), cmp);

    // a round under way is not the latest closed one
    createRound(ctx, { title: '2026年第四季度调度', periodEnd: '2026-12-31', dueDate: '2027-01-10', scope: { chapters: [6] } });
    assert.equal(latestClosedRound(ctx)!.round.id, r2);
  } finally {
    await stopReadWorker();
    h.close();
  }
});

test('on a large ledger the dispatcher has rounds.compare and rounds.latest answered by the read worker, as on this thread', async () => {
  const { file, dir } = generatedLedger({ measures: OFF_THREAD_FROM + 500, projects: 10, seed: 7 });
  const db = openWorkbenchDb(file, { quickCheck: false });
  try {
    const ctx = contextFor(db);
    setIdentity(ctx, { name: '王推进', unit: '省发展改革委' });
    const dsp = createDispatcher(db, { shell: 'web', dbPath: file, version: 't' });
    const one = createRound(ctx, { title: '第一轮', periodEnd: '2026-06-30', dueDate: '2026-07-10' }).round;
    closeRound(ctx, one.id);
    // between the two rounds some measures move (as accepted reports would move them)
    const ids = (ctx.db.prepare('SELECT measure_id FROM round_snapshot WHERE round_id = ? ORDER BY measure_id LIMIT 30').all(one.id) as { measure_id: string }[]).map((r) => r.measure_id);
    applyEdits(ctx, ids.map((id, i) => ({ measureId: id, patch: { status: i % 2 ? '已完成' : '滞后' } })), '编辑');
    const two = createRound(ctx, { title: '第二轮', periodEnd: '2026-09-30', dueDate: '2026-10-10' }).round;
    closeRound(ctx, two.id);
    await stopReadWorker();
    const c = await dsp('rounds.compare', { fromId: one.id, toId: two.id });
    assert.ok(c.ok && readWorkerRunning(), 'the worker answered');
    assert.ok(isJsonText(c.value), 'as JSON text');
    const cmp = fromJsonText<RoundCompare>(c.value);
    assert.deepEqual(cmp, JSON.parse(JSON.stringify(compareRounds(ctx, one.id, two.id))));
    assert.ok(cmp.measures.length > OFF_THREAD_FROM);
    const l = await dsp('rounds.latest', {});
    assert.ok(l.ok);
    const latest = fromJsonText(l.value as RoundLatest | null)!;
    assert.equal(latest.round.id, two.id);
    const before = new Map(compareRounds(ctx, one.id, two.id).measures.map((m) => [m.id, m.before]));
    assert.deepEqual(latest.change!.newlyDone, ids.filter((id, i) => i % 2 && before.get(id) !== '已完成'));
    assert.deepEqual(latest.change!.newlyLagging, ids.filter((id, i) => !(i % 2) && before.get(id) !== '滞后'));
  } finally {
    await stopReadWorker();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
