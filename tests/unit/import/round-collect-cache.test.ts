// 收取 after its preview (issue 18's speed): a collect that follows a dry run of the same files on
// the same connection takes what the dry run read and compared, never a stale result: an edit made
// between the two (on this connection or another one, as the app's main connection beside the
// collect worker) is honoured, and a corrected file (other bytes, same name) is read afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { initWorkbenchDb, openWorkbenchDb } from '../../../electron/db/open';
import { contextFor, type ServiceContext } from '../../../electron/core/context';
import { applyEdits } from '../../../electron/services/measures';
import { setIdentity } from '../../../electron/services/settings';
import { createRound, roundReports, roundStatus } from '../../../electron/services/rounds';
import { collectCacheHas, collectReads, collectRoundFiles, distributeRound, packageNames } from '../../../electron/import/round-files';
import { collectRoundFilesOffThread, stopRoundWorker } from '../../../electron/import/round-offthread';
import { LEDGER_COLUMNS } from '../../../shared/ledger';
import { findDepartment, listDepartments, mergeDepartments, renameDepartment } from '../../../electron/services/departments';
import { directoryLookup } from '../../../electron/import/ledger';

const col = (header: string) => LEDGER_COLUMNS.findIndex((c) => c.header === header);

/** The department's ledger with these measures' progress changed, saved by SheetJS (another program). */
function returned(file: string, progress: Record<string, string>): Buffer {
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer' });
  const ws = wb.Sheets['任务分工台账'];
  const range = XLSX.utils.decode_range(ws['!ref']!);
  for (let r = 0; r <= range.e.r; r++) {
    const id = ws[XLSX.utils.encode_cell({ r, c: 0 })]?.v;
    if (typeof id === 'string' && progress[id] !== undefined) ws[XLSX.utils.encode_cell({ r, c: col('进展情况') })] = { t: 's', v: progress[id] };
  }
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-collect-cache-'));
  const file = path.join(dir, 'w.db');
  const db = initWorkbenchDb(file);
  const ctx = contextFor(db);
  setIdentity(ctx, { name: '王推进', unit: '省发展改革委' });
  const { round } = createRound(ctx, { title: '第四季度', periodEnd: '2026-12-31', dueDate: '2027-01-10', scope: { chapters: [4] } });
  const out = path.join(dir, 'out');
  await distributeRound(ctx, round.id, out);
  const d = roundStatus(ctx, round.id).departments[0];
  const ids = (ctx.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(round.id, d.deptId) as { measure_id: string }[]).map((x) => x.measure_id);
  const ledger = path.join(out, packageNames(1, d.name, round.title).ledger);
  const report = (ctx2: ServiceContext, id: string) => roundReports(ctx2, round.id, { deptId: d.deptId }).find((r) => r.measureId === id)!;
  return { dir, file, db, ctx, round, d, ids, ledger, report, close: () => (db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
}

test('a collect right after its preview takes the preview\'s reading (the file is not read again) and gives the same result', async () => {
  const s = await setup();
  try {
    const bytes = returned(s.ledger, { [s.ids[0]]: '部门报送的进展' });
    const files = [{ name: 'a.xlsx', bytes }];
    const read0 = collectReads.files;
    const [dry] = collectRoundFiles(s.ctx, s.round.id, files, { dryRun: true });
    assert.equal(dry.refused, null, dry.refused ?? '');
    assert.equal(collectReads.files, read0 + 1);
    assert.ok(collectCacheHas(s.ctx, bytes, 'a.xlsx'));
    const [took] = collectRoundFiles(s.ctx, s.round.id, files, {});
    assert.equal(collectReads.files, read0 + 1, 'the collect took the kept reading');
    assert.deepEqual({ ...took, warnings: took.warnings }, { ...dry, warnings: dry.warnings });
    assert.equal(s.report(s.ctx, s.ids[0]).progress, '部门报送的进展');
    // taken in: the database changed, nothing is kept
    assert.equal(collectCacheHas(s.ctx, bytes, 'a.xlsx'), false);
  } finally {
    s.close();
  }
});

test('an edit between preview and collect is honoured: on this connection, or committed by another one', async () => {
  const s = await setup();
  try {
    const [m0, m1] = s.ids;
    const bytes = returned(s.ledger, { [m0]: '部门报送的进展', [m1]: '部门报送的进展二' });
    const files = [{ name: 'a.xlsx', bytes }];
    const [dry] = collectRoundFiles(s.ctx, s.round.id, files, { dryRun: true });
    assert.equal(dry.conflicts, 0);
    // this connection changes m0's progress since 下发: the file's change of it is now a conflict
    applyEdits(s.ctx, [{ measureId: m0, patch: { progress: '本办更新的进展' } }], '编辑');
    const read0 = collectReads.files;
    const [dry2] = collectRoundFiles(s.ctx, s.round.id, files, { dryRun: true });
    assert.equal(collectReads.files, read0 + 1, 'read again after the edit');
    assert.equal(dry2.conflicts, 1);
    // another connection (the app's main one beside the collect worker) changes m1
    const other = openWorkbenchDb(s.file, { quickCheck: false });
    try {
      applyEdits(contextFor(other), [{ measureId: m1, patch: { progress: '另一连接更新的进展' } }], '编辑');
    } finally {
      other.close();
    }
    const [took] = collectRoundFiles(s.ctx, s.round.id, files, { onConflict: 'keep' });
    assert.equal(collectReads.files, read0 + 2, 'read again after the other connection\'s commit');
    assert.equal(took.conflicts, 2);
    assert.equal(s.report(s.ctx, m0).progress, '本办更新的进展');
    assert.equal(s.report(s.ctx, m1).progress, '另一连接更新的进展');
  } finally {
    s.close();
  }
});

test('a corrected file (same name, other bytes) after a preview is read afresh, not confused with the first', async () => {
  const s = await setup();
  try {
    const first = returned(s.ledger, { [s.ids[0]]: '初稿的进展' });
    const corrected = returned(s.ledger, { [s.ids[0]]: '修改稿的进展' });
    assert.notDeepEqual(first, corrected);
    const [dry] = collectRoundFiles(s.ctx, s.round.id, [{ name: 'a.xlsx', bytes: first }], { dryRun: true });
    assert.equal(dry.refused, null);
    const read0 = collectReads.files;
    const [took] = collectRoundFiles(s.ctx, s.round.id, [{ name: 'a.xlsx', bytes: corrected }], {});
    assert.equal(took.refused, null);
    assert.equal(collectReads.files, read0 + 1);
    assert.equal(s.report(s.ctx, s.ids[0]).progress, '修改稿的进展');
  } finally {
    s.close();
  }
});

test('in the collect worker (as the app runs it): an edit on the main connection between preview and collect is honoured', async () => {
  const s = await setup();
  try {
    const [m0] = s.ids;
    const files = [{ name: 'a.xlsx', bytes: returned(s.ledger, { [m0]: '部门报送的进展' }) }];
    const dry = await collectRoundFilesOffThread({ path: s.file }, s.round.id, files, { dryRun: true });
    assert.ok(dry, 'ran in the worker');
    assert.equal(dry[0].conflicts, 0);
    applyEdits(s.ctx, [{ measureId: m0, patch: { progress: '本办更新的进展' } }], '编辑');
    const took = await collectRoundFilesOffThread({ path: s.file }, s.round.id, files, { onConflict: 'keep' });
    assert.equal(took?.[0].conflicts, 1);
    assert.equal(s.report(s.ctx, m0).progress, '本办更新的进展');
  } finally {
    await stopRoundWorker();
    s.close();
  }
});

test('a batch\'s department names are found in the directory it read as findDepartment finds them (names, former names, merged departments)', async () => {
  const s = await setup();
  try {
    const all = listDepartments(s.ctx, true);
    const [a, b, c] = all.filter((d) => d.state === '在用');
    renameDepartment(s.ctx, a.id, `${a.name}（新）`);
    mergeDepartments(s.ctx, b.id, c.id);
    const dir = listDepartments(s.ctx, true);
    const find = directoryLookup(dir);
    const names = [a.name, `${a.name}（新）`, ` ${a.name} `, b.name, c.name, '不存在的单位', ...dir.flatMap((d) => d.aliases)];
    for (const n of names) assert.equal(find(n), findDepartment(s.ctx, n)?.id, n);
    assert.equal(find(b.name), c.id);
    assert.equal(find(a.name), a.id);
  } finally {
    s.close();
  }
});
