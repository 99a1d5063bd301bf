// 调度轮次 steps in the import worker (electron/import/round-offthread.ts), as the app runs them so
// the thread serving IPC stays free: a distribution made there writes the same packages and
// records them on the database file; a returned ledger collected there is recognised, previewed
// (dry run: nothing recorded) and taken in; a cancelled distribution leaves no file and no record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { setIdentity } from '../../../electron/services/settings';
import { createRound, roundEvents, roundStatus } from '../../../electron/services/rounds';
import { packageNames } from '../../../electron/import/round-files';
import { collectRoundFilesOffThread, distributeRoundOffThread } from '../../../electron/import/round-offthread';

test('a round distributed and collected in the import worker', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-round-off-'));
  const file = path.join(dir, 'w.db');
  const db = initWorkbenchDb(file);
  try {
    const ctx = contextFor(db);
    setIdentity(ctx, { name: '王推进', unit: '省发展改革委' });
    const { round } = createRound(ctx, { title: '2026年第四季度调度', periodEnd: '2026-12-31', dueDate: '2027-01-10', scope: { chapters: [4] } });

    // cancelled before it starts: nothing written, nothing recorded
    const out = path.join(dir, 'out');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(distributeRoundOffThread({ path: file }, round.id, out, { signal: ac.signal }), /已取消下发/);
    assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
    assert.equal(roundStatus(ctx, round.id).departments.filter((d) => d.distributedAt).length, 0);

    const seen: string[] = [];
    const r = await distributeRoundOffThread({ path: file }, round.id, out, { onProgress: (p) => seen.push(p.department), actor: { name: '李下发', unit: '省发展改革委' } });
    assert.ok(r, 'ran in the worker');
    const st = roundStatus(ctx, round.id);
    assert.equal(r.departments, st.departments.length);
    assert.deepEqual(seen, st.departments.map((d) => d.name));
    assert.equal(fs.readdirSync(out).filter((n) => !n.startsWith('.')).length, 2 * st.departments.length);
    // recorded by the worker's connection, seen on this one, naming the person given
    assert.ok(st.departments.every((d) => d.distributedAt));
    assert.ok(roundEvents(ctx, round.id).some((e) => e.kind === '下发' && e.actor.startsWith('李下发')));

    const first = st.departments[0];
    const ledger = packageNames(1, first.name, round.title).ledger;
    const files = [{ name: ledger, bytes: fs.readFileSync(path.join(out, ledger)) }];
    const dry = await collectRoundFilesOffThread({ path: file }, round.id, files, { dryRun: true });
    assert.equal(dry?.[0].department, first.name);
    assert.equal(dry?.[0].refused, null);
    assert.equal(roundStatus(ctx, round.id).departments[0].state, '未报送');
    const took = await collectRoundFilesOffThread({ path: file }, round.id, files, {});
    assert.equal(took?.[0].reports, first.measures);
    assert.equal(roundStatus(ctx, round.id).departments[0].state, '已报送');
    // in-memory databases are not for a worker: the caller runs the step itself
    assert.equal(await collectRoundFilesOffThread({ path: ':memory:' }, round.id, files), null);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
