// kill -9 during a round's collect (a returned ledger taken in as reports) and during an accept
// (reports written to the measures), many times: afterwards integrity_check is ok and the round
// and the measures are either wholly before or wholly after the step (issue 18).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { initWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { createRound, roundStatus } from '../../electron/services/rounds';
import { collectRoundFiles, distributeRound, packageNames } from '../../electron/import/round-files';
import { LEDGER_COLUMNS } from '../../shared/ledger';

const RUNS = Number(process.env.CZT_CRASH_RUNS ?? 12);
const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'rounds-child.ts');
const text = (id: string) => `崩溃测试报送的进展 ${id}`;

interface Fx {
  dir: string;
  /** a round distributed, nothing collected */
  distributed: string;
  /** the same after the ledger was collected (reports waiting for review) */
  collected: string;
  ledger: string;
  deptId: number;
  ids: string[];
}

let fx: Fx;

function copyDb(from: string, to: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(to + s, { force: true });
  fs.copyFileSync(from, to);
}

/** What the step changes, read from the file after the kill. */
function state(file: string, deptId: number, ids: string[]) {
  const db = new Database(file);
  try {
    const one = (sql: string, ...a: unknown[]) => (db.prepare(sql).get(...a) as { n: number | string }).n;
    return {
      integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join(';'),
      submissions: one('SELECT count(*) n FROM round_submission'),
      reports: one("SELECT count(*) n FROM round_report WHERE state = '待审核'"),
      accepted: one("SELECT count(*) n FROM round_report WHERE state = '已采纳'"),
      dept: one('SELECT state n FROM round_dept WHERE round_id = 1 AND dept_id = ?', deptId),
      events: one('SELECT count(*) n FROM round_event'),
      audit: one('SELECT count(*) n FROM audit'),
      progressed: ids.filter((id) => (db.prepare('SELECT progress FROM measure WHERE id = ?').get(id) as { progress: string }).progress === text(id)).length,
    };
  } finally {
    db.close();
  }
}

function runChild(args: string[], killAfterMs: number | null): Promise<{ ready: boolean; done: boolean; ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader, so that the SIGKILL reaches the process doing the work
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!ready && out.includes('READY')) {
        ready = true;
        if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const m = /DONE (\d+)/.exec(out);
      resolve({ ready, done: !!m, ms: m ? Number(m[1]) : 0, stderr: err });
    });
  });
}

test('fixtures: a distributed round and a returned ledger changing every measure of the largest part', { timeout: 120000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-round-crash-'));
  const distributed = path.join(dir, 'distributed.db');
  const db = initWorkbenchDb(distributed);
  const ctx = contextFor(db);
  const { round } = createRound(ctx, { title: '崩溃测试调度', periodEnd: '2026-09-30', dueDate: '2026-10-10' });
  await distributeRound(ctx, round.id, path.join(dir, 'out'), {});
  const depts = roundStatus(ctx, round.id).departments;
  const big = depts.reduce((a, b) => (b.measures > a.measures ? b : a));
  const file = path.join(dir, 'out', packageNames(depts.indexOf(big) + 1, big.name, round.title).ledger);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('任务分工台账')!;
  const col = LEDGER_COLUMNS.findIndex((c) => c.key === 'progress') + 1;
  const ids: string[] = [];
  ws.eachRow((row, r) => {
    const id = String(row.getCell(1).value ?? '');
    if (r <= 3 || !/^\d/.test(id)) return;
    row.getCell(col).value = text(id);
    ids.push(id);
  });
  const ledger = path.join(dir, 'returned.xlsx');
  fs.writeFileSync(ledger, Buffer.from(await wb.xlsx.writeBuffer()));
  db.close();
  const collected = path.join(dir, 'collected.db');
  copyDb(distributed, collected);
  const db2 = new Database(collected);
  const [r] = collectRoundFiles(contextFor(db2), round.id, [{ name: 'returned.xlsx', bytes: fs.readFileSync(ledger) }]);
  assert.equal(r.refused, null);
  db2.close();
  fx = { dir, distributed, collected, ledger, deptId: big.deptId, ids };
  assert.ok(ids.length >= 20, `${ids.length}`);
});

for (const scenario of ['collect', 'accept'] as const) {
  test(`kill -9 at random moments during a round ${scenario === 'collect' ? 'collect (收取)' : 'accept (采纳)'}, ${RUNS} times: all or nothing`, { timeout: 600000 }, async () => {
    const base = scenario === 'collect' ? fx.distributed : fx.collected;
    const file = path.join(fx.dir, `${scenario}-run.db`);
    // one uninterrupted run: the state after, and how long the step takes
    copyDb(base, file);
    const before = state(file, fx.deptId, fx.ids);
    const cal = await runChild([scenario, file, fx.ledger, String(fx.deptId)], null);
    assert.ok(cal.done, cal.stderr);
    const after = state(file, fx.deptId, fx.ids);
    assert.notDeepEqual(after, before);
    if (scenario === 'accept') assert.equal(after.progressed, fx.ids.length);
    let interrupted = 0;
    for (let i = 0; i < RUNS; i++) {
      copyDb(base, file);
      const r = await runChild([scenario, file, fx.ledger, String(fx.deptId)], Math.floor(Math.random() * Math.max(20, cal.ms * 1.3)));
      assert.ok(r.ready, r.stderr);
      if (!r.done) interrupted++;
      const now = state(file, fx.deptId, fx.ids);
      assert.equal(now.integrity, 'ok');
      assert.ok(JSON.stringify(now) === JSON.stringify(before) || JSON.stringify(now) === JSON.stringify(after), `half applied: ${JSON.stringify({ before, now, after })}`);
    }
    console.log(JSON.stringify({ scenario, runs: RUNS, interrupted, opMs: cal.ms, reports: fx.ids.length }));
    assert.ok(interrupted > 0, 'no run was interrupted: the delays missed the step');
  });
}
