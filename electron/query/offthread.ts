// Read-only service calls OFF the thread that serves IPC, for a very large ledger: 方案起草's gaps
// check and table counts, the dashboard's measure facts (every measure's status, deadline, lead
// and cities) and the project list read the draft's whole scope or the whole ledger (at 100,000 measures a city plan's gaps took
// seconds, during which no other request — an edit, a search — was answered: docs/bench.md). One long-lived worker
// thread with its own read-only connection answers them (worker.ts); on an ordinary ledger the
// calls take tens of milliseconds and stay on the calling thread.
//
// Found like the other workers (electron/worker-entry.ts): out/main/query-worker.js when bundled
// (a main entry in electron.vite.config.ts), worker.ts through tsx from sources. Without either,
// or for an in-memory database, the caller runs the call itself.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { findWorkerEntry, workerBootstrap } from '../worker-entry';
import { ServiceError, type ServiceContext } from '../core/context';
import { currentNativeBinding } from '../db/backup';
import type { JsonText } from '../../shared/ipc/json-text';
import { READ_WORKER_KIND, WRITE_WORKER_KIND, type ReadCall, type ReadReply, type ReadWorkerData, type WriteReply, type WriteWorkerData } from './protocol';

/** from this many measures in the database on, the calls go to the worker */
export const OFF_THREAD_FROM = 5_000;
/** an idle worker is stopped after this long (it never keeps the process alive either way) */
export const READ_WORKER_IDLE_MS = 10 * 60_000;

interface Running {
  worker: Worker;
  key: string;
  timer: NodeJS.Timeout;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}
let running: Running | null = null;
let nextId = 1;

function stop(r: Running, why: Error | null): void {
  if (running === r) running = null;
  clearTimeout(r.timer);
  for (const p of r.pending.values()) p.reject(why ?? new Error('读取线程已停止'));
  r.pending.clear();
  void r.worker.terminate();
}

function workerFor(dbFile: string, nativeBinding: string | undefined): Running | null {
  const key = `${dbFile}\n${nativeBinding ?? ''}`;
  if (running?.key === key) return running;
  const entry = findWorkerEntry(import.meta.dirname, 'query-worker.js');
  if (!entry) return null;
  if (running) stop(running, null);
  const data: ReadWorkerData = { kind: READ_WORKER_KIND, dbFile, ...(nativeBinding ? { nativeBinding } : {}) };
  const worker = new Worker(workerBootstrap(entry), { eval: true, workerData: data, stdin: false, env: {} });
  worker.unref();
  const r: Running = {
    worker,
    key,
    pending: new Map(),
    timer: setTimeout(() => stop(r, null), READ_WORKER_IDLE_MS).unref(),
  };
  worker.on('message', (m: ReadReply) => {
    const p = r.pending.get(m.id);
    if (!p) return;
    r.pending.delete(m.id);
    if (!r.pending.size) worker.unref();
    if (m.ok) p.resolve(m.value);
    else if (m.serviceError) p.reject(new ServiceError(m.code as ServiceError['code'], m.message));
    // the dispatcher words these as it does for the main connection (数据库正忙 / 内部错误)
    else p.reject(Object.assign(new Error(m.message), { code: m.code }));
  });
  worker.once('error', (e: Error) => {
    console.error('[czt] read worker failed', e);
    stop(r, new Error(`后台读取线程出错：${String(e.message).slice(0, 160)}`));
  });
  worker.once('exit', (code) => stop(r, new Error(`后台读取线程意外退出（代码 ${code}）`)));
  running = r;
  return r;
}

/**
 * Run a read-only call in the read worker when the ledger is large and the database a file;
 * otherwise `here()` on the calling thread. Same answer either way (tests/unit/query/offthread.test.ts);
 * from the worker a large one may come as JSON text (fromJsonText gives the value).
 */
export function readCall<T>(
  ctx: ServiceContext,
  op: ReadCall['op'],
  arg: number,
  here: () => T,
  opts: { force?: boolean; input?: unknown; /** rows that make the call long (default: the measures) */ size?: () => number } = {},
): Promise<T | JsonText> {
  if (ctx.db.memory || (!opts.force && (opts.size ? opts.size() : ctx.q.measureCount()) < OFF_THREAD_FROM)) return Promise.resolve().then(here);
  const r = workerFor(path.resolve(ctx.db.name), currentNativeBinding());
  if (!r) return Promise.resolve().then(here);
  r.timer.refresh();
  const id = nextId++;
  return new Promise<T | JsonText>((resolve, reject) => {
    r.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    r.worker.ref();
    r.worker.postMessage({ id, op, arg, ...(opts.input !== undefined ? { input: opts.input } : {}) } satisfies ReadCall);
  });
}

/**
 * A write that takes seconds on a very large ledger (a new 专项推进方案 citing every measure of its
 * field: thousands of blocks at 100,000 measures; docs/bench.md), in a worker thread with a read-write connection
 * of its own, so the thread that serves IPC answers other requests meanwhile. Gives the result as
 * JSON text; null when it ran here instead (small ledger, in-memory database, no worker entry, or
 * the worker could not open the database): then `here()` gave `value`.
 */
export function writeCall<T>(
  ctx: ServiceContext,
  op: WriteWorkerData['op'],
  input: WriteWorkerData['input'],
  here: () => T,
  opts: { force?: boolean } = {},
): Promise<{ json: string } | { value: T }> {
  const local = () => Promise.resolve().then(() => ({ value: here() }));
  if (ctx.db.memory || (!opts.force && ctx.q.measureCount() < OFF_THREAD_FROM)) return local();
  const entry = findWorkerEntry(import.meta.dirname, 'query-worker.js');
  if (!entry) return local();
  const nativeBinding = currentNativeBinding();
  const data: WriteWorkerData = {
    kind: WRITE_WORKER_KIND,
    dbFile: path.resolve(ctx.db.name),
    ...(nativeBinding ? { nativeBinding } : {}),
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    op,
    input,
  };
  return new Promise<{ json: string } | { value: T }>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(workerBootstrap(entry), { eval: true, workerData: data, stdin: false, env: {} });
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (m: WriteReply) =>
      done(() => {
        if (m.ok) resolve({ json: m.json });
        else if (!m.opened) local().then(resolve, reject);
        else if (m.serviceError) reject(new ServiceError(m.code as ServiceError['code'], m.message));
        // the dispatcher words these as it does for the main connection (数据库正忙 / 内部错误，修改未保存)
        else reject(Object.assign(new Error(m.message), { code: m.code }));
      }),
    );
    worker.once('error', (e: Error) =>
      done(() => {
        console.error('[czt] write worker failed', e);
        reject(new Error(`后台写入线程出错，未写入任何内容：${String(e.message).slice(0, 160)}`));
      }),
    );
    worker.once('exit', (code) => done(() => reject(new Error(`后台写入线程意外退出（代码 ${code}），未写入任何内容。`))));
  });
}

/** Whether the read worker is running (tests). */
export function readWorkerRunning(): boolean {
  return running !== null;
}

/** Tests: stop the read worker. */
export async function stopReadWorker(): Promise<void> {
  const r = running;
  if (r) {
    stop(r, null);
    await r.worker.terminate();
  }
}
