// Crash loop shared by tests/crash/crash.test.ts and scripts/reliability.ts.
//
// A child Node process (tsx, tests/crash/child.ts) opens a real database file and runs one real
// operation — an import apply of a returned ledger changing 200 measures (with its before-import
// backup), or one bulk applyEdits of 300 measures — and is killed with SIGKILL after a random
// delay. Afterwards the parent opens the file (SQLite recovers the WAL), runs
// PRAGMA integrity_check, and checks that the operation is either fully there or not at all:
// the measure values are exactly the before set or exactly the after set, and the number of
// audit rows matches.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { initWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { listMeasures } from '../../electron/services/measures';
import { setIdentity } from '../../electron/services/settings';
import { exportLedger, HEADER_ROW } from '../../electron/export/xlsx/ledger';
import { LEDGER_COLUMNS } from '../../shared/ledger';

export type Scenario = 'import' | 'bulk';

export const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'child.ts');

import { BULK_OP, BULK_ROWS, IMPORT_ROWS } from './constants';
export { BULK_OP, BULK_ROWS, IMPORT_ROWS };

export interface Fixtures {
  dir: string;
  base: string;
  ledger: string;
  /** measure ids the ledger changes, with the progress text it brings */
  importIds: string[];
  importText: (id: string) => string;
  bulkIds: string[];
}

/** A seeded database (closed, so copying the file is safe) and a returned ledger changing 200 measures. */
export async function prepareFixtures(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-crash-'))): Promise<Fixtures> {
  const base = path.join(dir, 'base.db');
  const db = initWorkbenchDb(base);
  const ctx = contextFor(db);
  setIdentity(ctx, { name: '崩溃测试', unit: '可靠性' });
  const ids = listMeasures(ctx).map((m) => m.id);
  const importIds = ids.slice(0, IMPORT_ROWS);
  const bulkIds = ids.slice(ids.length - BULK_ROWS);
  const importText = (id: string) => `导入的进展 ${id}：已完成阶段性工作`;
  const exp = await exportLedger(ctx);
  db.close();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(exp.buffer as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('任务分工台账')!;
  const col = LEDGER_COLUMNS.findIndex((c) => c.key === 'progress') + 1;
  const want = new Set(importIds);
  ws.eachRow((row, r) => {
    if (r <= HEADER_ROW) return;
    const id = String(row.getCell(1).value ?? '');
    if (want.has(id)) row.getCell(col).value = importText(id);
  });
  const ledger = path.join(dir, '返回台账.xlsx');
  fs.writeFileSync(ledger, Buffer.from(await wb.xlsx.writeBuffer()));
  return { dir, base, ledger, importIds, importText, bulkIds };
}

interface State {
  values: Map<string, string>;
  audit: number;
  opAudit: number;
}

function readState(file: string, ids: string[], column: 'progress' | 'note', op: string): State {
  const db = new Database(file);
  try {
    const st = db.prepare(`SELECT ${column} AS v FROM measure WHERE id = ?`);
    const values = new Map(ids.map((id) => [id, (st.get(id) as { v: string }).v]));
    const audit = (db.prepare('SELECT count(*) n FROM audit').get() as { n: number }).n;
    const opAudit = (db.prepare('SELECT count(*) n FROM audit WHERE op = ?').get(op) as { n: number }).n;
    return { values, audit, opAudit };
  } finally {
    db.close();
  }
}

function integrity(file: string): string {
  const db = new Database(file);
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

function copyDb(from: string, to: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(to + s, { force: true });
  fs.copyFileSync(from, to); // `from` is closed and checkpointed: not a live database
}

export interface RunOutcome {
  /** the child was killed before it reported the operation done */
  interrupted: boolean;
  /** the operation is in the database (all of it) */
  applied: boolean;
  halfApplied: boolean;
  integrityOk: boolean;
  detail?: string;
  /** ms from the child's "ready" to the kill (or to "done") */
  ms: number;
}

interface ChildRun {
  ready: boolean;
  done: boolean;
  opMs: number | null;
  killedAfter: number | null;
  stderr: string;
}

function runChild(args: string[], killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child =
    // node itself with tsx's loader: the tsx CLI would run the script in a grandchild that a
    // SIGKILL of its parent does not reach
    spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = false;
    let readyAt = 0;
    let killedAfter: number | null = null;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!ready && out.includes('READY')) {
        ready = true;
        readyAt = Date.now();
        if (killAfterMs !== null) {
          setTimeout(() => {
            killedAfter = Date.now() - readyAt;
            child.kill('SIGKILL');
          }, killAfterMs);
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const m = /DONE (\d+)/.exec(out);
      resolve({ ready, done: !!m, opMs: m ? Number(m[1]) : null, killedAfter, stderr: err });
    });
  });
}

/** One uninterrupted run: how long the operation takes, and the audit rows it writes. */
export async function calibrate(fx: Fixtures, scenario: Scenario): Promise<{ opMs: number; auditRows: number; changedIds: string[] }> {
  const file = path.join(fx.dir, `calibrate-${scenario}.db`);
  copyDb(fx.base, file);
  const ids = scenario === 'import' ? fx.importIds : fx.bulkIds;
  const column = scenario === 'import' ? 'progress' : 'note';
  const before = readState(file, ids, column, '');
  const r = await runChild([scenario, file, fx.ledger, '校准'], null);
  if (!r.done) throw new Error(`校准运行失败：${r.stderr.slice(-2000)}`);
  const after = readState(file, ids, column, '');
  // the measures the operation really changes (the ledger lists some rows that are not editable)
  const changedIds = ids.filter((id) => after.values.get(id) !== before.values.get(id));
  return { opMs: r.opMs ?? 0, auditRows: after.audit - before.audit, changedIds };
}

/**
 * One kill: bulk runs on a database that goes on from run to run (crash after crash); import
 * runs on a fresh copy each time, so that its 200 changes are always there to make.
 */
export async function crashOnce(
  fx: Fixtures,
  scenario: Scenario,
  iteration: number,
  maxDelayMs: number,
  expectedAudit: number,
  bulkFile: string,
  changedIds: string[],
): Promise<RunOutcome> {
  const file = scenario === 'import' ? path.join(fx.dir, 'import-run.db') : bulkFile;
  if (scenario === 'import') copyDb(fx.base, file);
  else if (!fs.existsSync(file)) copyDb(fx.base, file);
  const ids = changedIds;
  const column = scenario === 'import' ? 'progress' : 'note';
  const op = scenario === 'import' ? '导入台账' : BULK_OP;
  const tag = `第${iteration}轮`;
  const before = readState(file, ids, column, op);
  const afterValue = (id: string) => (scenario === 'import' ? fx.importText(id) : `批量备注 ${tag}`);
  const delay = Math.floor(Math.random() * maxDelayMs);
  const r = await runChild([scenario, file, fx.ledger, tag], delay);
  if (!r.ready) {
    return { interrupted: false, applied: false, halfApplied: false, integrityOk: true, detail: `子进程未就绪：${r.stderr.slice(-500)}`, ms: 0 };
  }
  const check = integrity(file);
  const now = readState(file, ids, column, op);
  const isBefore = ids.every((id) => now.values.get(id) === before.values.get(id)) && now.audit === before.audit;
  const isAfter = ids.every((id) => now.values.get(id) === afterValue(id)) && now.audit === before.audit + expectedAudit && now.opAudit === before.opAudit + expectedAudit;
  let detail: string | undefined;
  if (!isBefore && !isAfter) {
    const changed = ids.filter((id) => now.values.get(id) !== before.values.get(id)).length;
    detail = `${scenario} 第 ${iteration} 次：${changed}/${ids.length} 条已改，审计行 ${now.audit - before.audit}/${expectedAudit}`;
  }
  // a backup that exists must be whole (written as .part, renamed when complete)
  if (scenario === 'import') {
    const bdir = path.join(path.dirname(file), 'backups');
    for (const name of fs.existsSync(bdir) ? fs.readdirSync(bdir) : []) {
      const p = path.join(bdir, name);
      if (name.endsWith('.part')) {
        for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(p + s, { force: true });
        continue;
      }
      if (!name.endsWith('.db')) continue;
      const res = integrity(p);
      if (res !== 'ok') detail = `${detail ?? ''} 备份 ${name} 不完整：${res}`;
      fs.rmSync(p, { force: true });
    }
  }
  return {
    interrupted: !r.done,
    applied: isAfter,
    halfApplied: !isBefore && !isAfter,
    integrityOk: check === 'ok' && !(detail ?? '').includes('备份'),
    detail: check !== 'ok' ? `${detail ?? ''} integrity_check：${check}` : detail,
    ms: r.killedAfter ?? r.opMs ?? 0,
  };
}

export interface LoopReport {
  scenario: Scenario;
  runs: number;
  interrupted: number;
  applied: number;
  notApplied: number;
  halfApplied: number;
  integrityFailures: number;
  opMs: number;
  /** measures the operation changes */
  changed: number;
  details: string[];
}

export async function crashLoop(fx: Fixtures, scenario: Scenario, runs: number, log?: (s: string) => void): Promise<LoopReport> {
  const cal = await calibrate(fx, scenario);
  // kill anywhere from the start to a little past the end of the operation
  const maxDelay = Math.max(20, Math.ceil(cal.opMs * 1.3));
  const bulkFile = path.join(fx.dir, 'bulk-run.db');
  const rep: LoopReport = { scenario, runs, interrupted: 0, applied: 0, notApplied: 0, halfApplied: 0, integrityFailures: 0, opMs: cal.opMs, changed: cal.changedIds.length, details: [] };
  for (let i = 1; i <= runs; i++) {
    const o = await crashOnce(fx, scenario, i, maxDelay, cal.auditRows, bulkFile, cal.changedIds);
    if (o.interrupted) rep.interrupted++;
    if (o.applied) rep.applied++;
    else if (!o.halfApplied) rep.notApplied++;
    if (o.halfApplied) rep.halfApplied++;
    if (!o.integrityOk) rep.integrityFailures++;
    if (o.detail) rep.details.push(o.detail);
    log?.(`${scenario} ${i}/${runs}: ${o.interrupted ? `在 ${o.ms} ms 处中断` : '已完成'}，${o.applied ? '全部写入' : o.halfApplied ? '半写入！' : '未写入'}${o.integrityOk ? '' : '，完整性失败！'}`);
  }
  return rep;
}
