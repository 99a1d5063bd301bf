// Reading a returned ledger OFF the main thread: a worker_threads Worker runs readSpreadsheet
// (SheetJS, the zip checks, the decoding: pure data out) under a time limit and a heap limit,
// so a 50 MB file or a pathological one cannot freeze the Electron main process. Given the
// database file, the worker also makes the diff (a read-only connection) and sends the preview;
// otherwise (an in-memory database, a connection it cannot open) the main thread diffs.
//
// This file is the API (readSpreadsheetOffThread, on the main thread); the worker's entry is
// worker.ts beside it, kept separate so the main bundle never loads it. The worker is started
// from an inline script that require()s the entry file:
// - from sources (tsx: tests, CLI, bridge): electron/import/worker.ts, loaded through tsx;
// - from the electron-vite bundle: out/main/import-worker.js, which exists when
//   electron.vite.config.ts lists this file as a second main entry:
//       rolldownOptions.input: { index: r('electron/main/index.ts'), 'import-worker': r('electron/import/worker.ts') }
// If neither can be found the file is read in-process as before (and a warning is logged),
// so a build without the extra entry still works, only without the isolation.
import { Worker } from 'node:worker_threads';
import { findWorkerEntry, workerBootstrap, type WorkerEntry } from '../worker-entry';
import { ServiceError, withoutPaths } from '../core/context';
import { readSpreadsheet, type ReadWorkbook } from './read';
import type { UserIdentity } from '../../shared/domain';
import type { ImportChoices, ImportSummary } from '../../shared/import';
import type { SplitJson } from '../../shared/ipc/json-text';
import { APPLY_KIND, WORKER_KIND, type ApplyReply, type ApplyWorkerData, type ReadJob, type ReaderReady, type WorkerDb, type WorkerReply as Reply } from './worker-protocol';

/** a normal ledger reads in well under a second; 50 MB of hostile input gets a minute */
export const READ_TIMEOUT_MS = 60_000;
/** V8 heap of the worker; Buffers (the file itself) are outside it */
export const READ_HEAP_MB = 1024;

export interface OffThreadOptions {
  timeoutMs?: number;
  maxOldGenerationSizeMb?: number;
  /** tests: force the in-process path */
  inProcess?: boolean;
  /** departments the person chose for unknown names of this file (PreviewOptions.deptMap) */
  deptMap?: Record<string, number>;
}


/** The file the worker loads: out/main/import-worker.js when bundled, worker.ts from sources. */
export function workerEntry(): WorkerEntry | null {
  return findWorkerEntry(import.meta.dirname, 'import-worker.js');
}

let warned = false;

/** readSpreadsheet in a worker, with a time and heap limit; throws ServiceError with a Chinese message. */
export async function readSpreadsheetOffThread(name: string, bytes: Buffer, opts: OffThreadOptions = {}): Promise<ReadWorkbook> {
  const r = await runWorker(name, bytes, null, opts);
  if (!r.wb) throw new Error('import worker: no workbook');
  return r.wb;
}

/**
 * Read and diff in a worker: the worker opens `db` read-only and makes the preview there. Gives
 * { preview, errors } (the preview as JSON text, its large arrays in pieces; its number of errors), or { wb } when the worker could not use the database
 * (the caller diffs).
 */
export function readAndPreviewOffThread(name: string, bytes: Buffer, db: WorkerDb | null, opts: OffThreadOptions = {}): Promise<{ wb?: ReadWorkbook; preview?: SplitJson; errors?: number; readAhead?: boolean }> {
  return runWorker(name, bytes, db, opts);
}

/**
 * Apply a preview in a worker with its own read-write connection to `db`, so the thread that
 * serves IPC is not held up by the writes (one transaction, as applyImport always runs). Null
 * when it cannot run there (no worker entry, or the worker could not open the database): nothing
 * was written, and the caller applies on its own connection. No time limit: a stopped worker
 * would roll back a good import; the transaction itself takes about a second for 10,000 rows.
 */
export function applyImportOffThread(
  db: WorkerDb,
  preview: SplitJson,
  choices: ImportChoices,
  actor?: UserIdentity,
  opts: Pick<OffThreadOptions, 'inProcess'> & { backup?: boolean } = {},
): Promise<ImportSummary | null> {
  const entry = opts.inProcess ? null : workerEntry();
  if (!entry) return Promise.resolve(null);
  const code = workerBootstrap(entry);
  const data: ApplyWorkerData = { kind: APPLY_KIND, db, preview, choices, ...(actor ? { actor } : {}), ...(opts.backup ? { backup: true } : {}) };
  return new Promise<ImportSummary | null>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(code, { eval: true, workerData: data, stdin: false, env: {} });
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (m: ApplyReply) =>
      done(() => {
        if (m.ok) resolve(m.summary);
        else if (!m.opened) resolve(null);
        else if (m.serviceError) reject(new ServiceError(m.code as ServiceError['code'], m.message));
        // the dispatcher words these as it does for the main connection (数据库正忙 / 内部错误，修改未保存)
        else reject(Object.assign(new Error(m.message), { code: m.code }));
      }),
    );
    worker.once('error', (e: Error) =>
      done(() => {
        console.error('[czt] import apply worker crashed', e);
        reject(new Error(`导入的后台进程出错，未写入任何内容：${String(e.message).slice(0, 160)}`));
      }),
    );
    worker.once('exit', (exitCode) => done(() => reject(new Error(`导入的后台进程意外退出（代码 ${exitCode}），未写入任何内容。`))));
  });
}

function startReader(entry: WorkerEntry, workerData: object, heapMb: number): Worker {
  return new Worker(workerBootstrap(entry), {
    eval: true,
    workerData,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
    // no NODE_OPTIONS-style flags or stdin for the reader
    stdin: false,
    env: {},
  });
}

/**
 * A reader started ahead of its file (the 导入 page asks when it opens: import.prepare), so the
 * time of starting a thread and loading the reader's code is not in the wait for the preview (docs/bench.md).
 * Still one file per thread (each file gets a fresh heap under the same limits); the spare one is
 * stopped after 10 idle minutes and never keeps the process alive.
 */
let standby: { worker: Worker; file: string; timer: NodeJS.Timeout; ready: Promise<boolean> } | null = null;
export const STANDBY_IDLE_MS = 10 * 60_000;

/**
 * Start a spare reader if none is waiting. Given the database, the reader warms its code up on a
 * small ledger of its own (read-only) while it waits. False when there is no worker entry.
 */
export function prepareReader(db: WorkerDb | null = null): boolean {
  const entry = workerEntry();
  if (!entry) return false;
  if (standby && standby.file === entry.file) {
    standby.timer.refresh();
    return true;
  }
  const worker = startReader(entry, { kind: WORKER_KIND, standby: true, ...(db ? { warm: db } : {}) }, READ_HEAP_MB);
  worker.unref();
  const s = {
    worker,
    file: entry.file,
    ready: new Promise<boolean>((resolve) => {
      worker.on('message', (m: Reply | ReaderReady) => 'ready' in m && resolve(true));
      worker.once('exit', () => resolve(false));
    }),
    timer: setTimeout(() => {
      if (standby !== s) return;
      standby = null;
      void worker.terminate();
    }, STANDBY_IDLE_MS).unref(),
  };
  const gone = () => {
    if (standby === s) {
      standby = null;
      clearTimeout(s.timer);
    }
  };
  worker.once('error', gone);
  worker.once('exit', gone);
  standby = s;
  return true;
}

/** The spare reader, taken for a file (null when none is waiting or it was started with other limits). */
function takeStandby(entry: WorkerEntry, opts: OffThreadOptions): Worker | null {
  const s = standby;
  if (!s || s.file !== entry.file || (opts.maxOldGenerationSizeMb ?? READ_HEAP_MB) !== READ_HEAP_MB) return null;
  standby = null;
  clearTimeout(s.timer);
  s.worker.removeAllListeners();
  s.worker.ref();
  return s.worker;
}

/**
 * Resolves true once the waiting reader has warmed up (and read ahead), false if none is waiting or
 * it stopped first (tests and the benchmark).
 */
export function readerReady(): Promise<boolean> {
  return standby ? standby.ready : Promise.resolve(false);
}

/** Whether a spare reader is waiting (tests). */
export function readerWaiting(): boolean {
  return standby !== null;
}

/**
 * Stop the spare reader: when an import is applied (what it read ahead is stale once the import
 * commits, and its warm-up would compete with the apply for the two cores; the 导入 page asks for
 * a new one afterwards), and in tests.
 */
export async function stopStandbyReader(): Promise<void> {
  const s = standby;
  standby = null;
  if (s) {
    clearTimeout(s.timer);
    await s.worker.terminate();
  }
}

function runWorker(name: string, bytes: Buffer, db: WorkerDb | null, opts: OffThreadOptions): Promise<{ wb?: ReadWorkbook; preview?: SplitJson; errors?: number; readAhead?: boolean }> {
  const entry = opts.inProcess ? null : workerEntry();
  if (!entry) {
    if (!opts.inProcess && !warned) {
      warned = true;
      console.warn('[czt] import worker entry not found; reading the file on the main thread');
    }
    return Promise.resolve().then(() => ({ wb: readSpreadsheet(name, bytes) }));
  }
  const timeoutMs = opts.timeoutMs ?? READ_TIMEOUT_MS;
  const job: ReadJob = { name, bytes, ...(db ? { db } : {}), ...(opts.deptMap ? { deptMap: opts.deptMap } : {}) };
  return new Promise<{ wb?: ReadWorkbook; preview?: SplitJson; errors?: number; readAhead?: boolean }>((resolve, reject) => {
    let settled = false;
    const spare = takeStandby(entry, opts);
    const worker = spare ?? startReader(entry, { kind: WORKER_KIND, ...job }, opts.maxOldGenerationSizeMb ?? READ_HEAP_MB);
    if (spare) spare.postMessage(job);
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        done(() =>
          reject(
            new ServiceError(
              'VALIDATION',
              `读取文件超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已停止读取。文件可能过大或结构异常；台账通常不到 1 MB，请确认选择的文件，或用 Excel/WPS 另存为 .xlsx 后再导入。`,
            ),
          ),
        ),
      timeoutMs,
    );
    // a spare reader that has not finished warming up yet may still say it is ready: not the answer
    const onMessage = (m: Reply | ReaderReady) => {
      if ('ready' in m) return;
      worker.off('message', onMessage);
      answer(m);
    };
    worker.on('message', onMessage);
    const answer = (m: Reply) =>
      done(() => {
        if (m.ok) resolve(m.preview !== undefined ? { preview: m.preview, errors: m.errors, readAhead: m.readAhead } : { wb: m.wb });
        else if (m.serviceError) reject(new ServiceError(m.code as ServiceError['code'], m.message));
        else {
          console.error('[czt] import worker failed', m.message);
          reject(new ServiceError('VALIDATION', `文件无法读取（${withoutPaths(m.message).slice(0, 120)}）。请让报送单位重新发送，或用 Excel/WPS 打开后另存为 .xlsx 再导入。`));
        }
      });
    worker.once('error', (e: Error & { code?: string }) =>
      done(() => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap/i.test(e.message))
          reject(new ServiceError('VALIDATION', '文件内容过于庞大，读取时超出内存上限，已停止读取。台账通常不到 1 MB，请确认选择的文件。'));
        else {
          console.error('[czt] import worker crashed', e);
          reject(new ServiceError('VALIDATION', `读取文件时出错（${withoutPaths(String(e.message)).slice(0, 120)}），未导入任何内容。`));
        }
      }),
    );
    worker.once('exit', (exitCode) =>
      done(() => reject(new ServiceError('VALIDATION', `读取文件的后台进程意外退出（代码 ${exitCode}），未导入任何内容。`))),
    );
  });
}
