// The import worker's entry (started by offthread.ts): reads one spreadsheet and, when given the
// database, diffs it there too (a read-only connection), so that neither the read nor the diff
// of a large ledger runs on the Electron main thread. Posts the result back. Runs only inside a
// worker_threads Worker; the main bundle never loads it.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { UserIdentity } from '../../shared/domain';
import Database from 'better-sqlite3';
import { contextFor, describeFailure, ServiceError } from '../core/context';
import { readSpreadsheet, withPreread, type ReadWorkbook } from './read';
import { adoptPreview, applyImport, previewImport, type PreviewOptions } from './ledger';
import { PREVIEW_ARRAYS, type ImportPreview } from '../../shared/import';
import { joinSplitJson, splitJson } from '../../shared/ipc/json-text';
import { configure } from '../db/open';
import { backupBeforeImport } from '../db/backup';
import { listMeasuresPage, measureStates, type MeasureState } from '../services/measures';
import { measureLedgerSpec } from '../export/xlsx/ledger';
import { writeLedgerWorkbook } from '../export/xlsx/sheet';
import { collectRoundFiles, distributeRound } from './round-files';
import { collectFileBytes } from './round-collect-input';
import { APPLY_KIND, ROUND_KIND, ROUND_SERVE_KIND, WORKER_KIND, type RoundServeData, type RoundServeMsg, type RoundServeReply, type RoundCancel, type RoundReply, type RoundWorkerData, type ApplyReply, type ApplyWorkerData, type ReadJob, type ReaderReady, type WorkerDb, type WorkerReply as Reply } from './worker-protocol';

function openReadOnly(dbInfo: WorkerDb): Database.Database {
  const db = new Database(dbInfo.path, { readonly: true, fileMustExist: true, ...(dbInfo.nativeBinding ? { nativeBinding: dbInfo.nativeBinding } : {}) });
  db.pragma('busy_timeout = 5000');
  return db;
}

const dataVersion = (db: Database.Database) => db.pragma('data_version', { simple: true }) as number;

/**
 * A standby reader's connection and what it read ahead while the person chose a file: the state
 * of every measure (a tenth to a fifth of a 10,000-row preview), with SQLite's data_version when
 * it was read. data_version changes when any other connection commits, so if it is the same when
 * the file comes, nothing has changed since and the states are the database's current ones;
 * otherwise they are dropped and the diff reads them again.
 */
let held: { info: WorkerDb; db: Database.Database; version: number; states: Map<string, MeasureState> | null } | null = null;

function readAhead(info: WorkerDb, db: Database.Database): void {
  const before = dataVersion(db);
  // one read transaction: the measures and their lists from one snapshot
  const states = db.transaction(() => measureStates(contextFor(db)))();
  held = { info, db, version: before, states: dataVersion(db) === before ? states : null };
}

/** The diff against a read-only connection; null when the database cannot be opened here (the launcher diffs). */
function diffHere(name: string, buf: Buffer, wb: ReadWorkbook, dbInfo: WorkerDb, deptMap?: Record<string, number>): Reply | null {
  let db: Database.Database;
  const opts: PreviewOptions = { forTransfer: true, ...(deptMap ? { deptMap } : {}) };
  const h = held;
  held = null;
  if (h && h.info.path === dbInfo.path && h.info.nativeBinding === dbInfo.nativeBinding) {
    db = h.db;
    if (h.states && dataVersion(db) === h.version) opts.measureStates = h.states;
  } else {
    h?.db.close();
    try {
      db = openReadOnly(dbInfo);
    } catch {
      return null;
    }
  }
  try {
    const preview = withPreread(buf, wb, () => previewImport(contextFor(db), { name, bytes: buf }, opts));
    return { ok: true, preview: splitJson(preview, PREVIEW_ARRAYS), errors: preview.errors.length, readAhead: opts.measureStates !== undefined };
  } catch (e) {
    // a refusal is the answer; anything else, the launcher tries again on its own connection
    if (e instanceof ServiceError) throw e;
    return null;
  } finally {
    db.close();
  }
}

function openReadWrite(dbInfo: WorkerDb): Database.Database {
  const db = new Database(dbInfo.path, { fileMustExist: true, ...(dbInfo.nativeBinding ? { nativeBinding: dbInfo.nativeBinding } : {}) });
  configure(db);
  return db;
}

type StepFailure = { ok: false; opened: boolean; code: string; message: string; serviceError: boolean };

/**
 * One step on a read-write connection of this worker's own, closed after: a database that cannot
 * be opened answers opened: false (nothing written), a failure of the step its code and message.
 */
async function onOwnConnection<R>(data: { db: WorkerDb; actor?: UserIdentity }, step: (ctx: ReturnType<typeof contextFor>) => Promise<R>): Promise<R | StepFailure> {
  let db: Database.Database;
  try {
    db = openReadWrite(data.db);
  } catch (e) {
    return { ok: false, opened: false, code: 'INTERNAL', message: String((e as Error)?.message ?? e), serviceError: false };
  }
  try {
    const ctx = contextFor(db);
    if (data.actor) ctx.actor = data.actor;
    return await step(ctx);
  } catch (e) {
    return { ok: false, opened: true, ...describeFailure(e) };
  } finally {
    db.close();
  }
}

/**
 * Apply a preview on a read-write connection of this worker's own: one transaction, as on the
 * main connection (WAL: the main thread's connection reads on meanwhile and sees the result at
 * its next statement). Killing the worker mid-way rolls the transaction back.
 */
async function applyHere(data: ApplyWorkerData): Promise<ApplyReply> {
  return onOwnConnection(data, async (ctx) => {
    // the backup first (a failed one stops the import: nothing is written)
    if (data.backup) await backupBeforeImport(ctx.db, data.db.path);
    return { ok: true as const, summary: applyImport(ctx, adoptPreview(joinSplitJson<ImportPreview>(data.preview)), data.choices) };
  });
}

/** A 调度轮次 distribution on a read-write connection of its own; progress posted as it goes, a cancel heard between departments. */
async function roundHere(data: RoundWorkerData, post: (m: RoundReply) => void, signal: AbortSignal): Promise<RoundReply> {
  return onOwnConnection(data, async (ctx) => {
    const s = data.step;
    const onProgress = (p: { done: number; total: number; department: string }) => post({ progress: { done: p.done, total: p.total, name: p.department } });
    return { ok: true as const, result: await distributeRound(ctx, s.roundId, s.outDir, { ...(s.deptIds ? { deptIds: s.deptIds } : {}), onProgress, signal }) };
  });
}

/**
 * The long-lived collect worker: one read-write connection for its life (the readings a preview
 * made are kept on it for the collect that follows, round-files.ts), each call's files taken one
 * message each, then the call run in one go.
 */
function serveRounds(port: NonNullable<typeof parentPort>, data: RoundServeData): void {
  let db: Database.Database | null = null;
  let openError = '';
  try {
    db = openReadWrite(data.db);
  } catch (e) {
    openError = String((e as Error)?.message ?? e);
  }
  const ctx = db && contextFor(db);
  const calls = new Map<number, { files: { name: string; bytes: Buffer }[]; failed: unknown }>();
  port.on('message', (m: RoundServeMsg) => {
    const call = calls.get(m.id) ?? calls.set(m.id, { files: [], failed: null }).get(m.id)!;
    if ('file' in m) {
      if (call.failed === null && ctx)
        try {
          call.files.push(collectFileBytes(m.file));
        } catch (e) {
          call.failed = e;
        }
      return;
    }
    calls.delete(m.id);
    const reply = (r: RoundReply) => port.postMessage({ id: m.id, ...r } satisfies RoundServeReply);
    if (!ctx) return reply({ ok: false, opened: false, code: 'INTERNAL', message: openError, serviceError: false });
    try {
      if (call.failed !== null) throw call.failed;
      if (m.collect.actor) ctx.actor = m.collect.actor;
      else delete ctx.actor;
      const onProgress = (p: { done: number; total: number; file: string }) => reply({ progress: { done: p.done, total: p.total, name: p.file } });
      reply({ ok: true, result: collectRoundFiles(ctx, m.collect.roundId, call.files, { ...m.collect.opts, onProgress }) });
    } catch (e) {
      reply({ ok: false, opened: true, ...describeFailure(e) });
    }
  });
}

if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === ROUND_SERVE_KIND) {
  serveRounds(parentPort, workerData as RoundServeData);
} else if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === ROUND_KIND) {
  const port = parentPort;
  const abort = new AbortController();
  port.on('message', (m: RoundCancel) => m?.cancel && abort.abort());
  void roundHere(workerData as RoundWorkerData, (m) => port.postMessage(m), abort.signal).then((r) => {
    port.postMessage(r);
    port.removeAllListeners('message');
  });
} else if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === APPLY_KIND) {
  const port = parentPort;
  void applyHere(workerData as ApplyWorkerData).then((r) => port.postMessage(r));
} else if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) {
  const port = parentPort;
  const data = workerData as ReadJob & { standby?: boolean; warm?: WorkerDb };
  // a standby reader (started when the 导入 page opened) has its code loaded and waits for its one
  // file; given the database, it first runs a small ledger of its own through the reader and the diff
  // (nothing is written), so that code is warm when the person's file comes (cold, it is much slower: docs/bench.md),
  // then reads the measures' states ahead (see held)
  if (data.standby) {
    const warm = data.warm ? warmUp(data.warm).catch(() => undefined) : Promise.resolve();
    void warm.then(() => port.postMessage({ ready: true } satisfies ReaderReady));
    port.once('message', (job: ReadJob) => void warm.then(() => port.postMessage(readJob(job))));
  } else port.postMessage(readJob(data));
}

/** One file: read, and diffed here when the database can be opened. */
function readJob({ name, bytes, db, deptMap }: ReadJob): Reply {
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const wb = readSpreadsheet(name, buf);
    return (db && diffHere(name, buf, wb, db, deptMap)) || { ok: true, wb };
  } catch (e) {
    return { ok: false, ...describeFailure(e, false) };
  }
}

/**
 * The warm-up: 300 measures written as a returned ledger with changed progress, read and diffed on a
 * read-only connection; the connection is then kept, with the measures' states read ahead.
 */
async function warmUp(dbInfo: WorkerDb): Promise<void> {
  const db = openReadOnly(dbInfo);
  let keep = false;
  try {
    const ctx = contextFor(db);
    const rows = listMeasuresPage(ctx, null, 300).rows.map((m) => ({ ...m, progress: `${m.progress}（预热）` }));
    if (!rows.length) return;
    const bytes = await writeLedgerWorkbook(
      measureLedgerSpec(ctx, { sheetName: '任务分工台账', workbookTitle: '预热', title: '预热', rows, measure: (m) => m, now: new Date(), scope: {}, scopeLabel: '预热' }),
    );
    const wb = readSpreadsheet('预热.xlsx', bytes);
    JSON.stringify(withPreread(bytes, wb, () => previewImport(ctx, { name: '预热.xlsx', bytes })));
    readAhead(dbInfo, db);
    keep = true;
  } finally {
    if (!keep) db.close();
  }
}
