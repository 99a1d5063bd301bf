// 调度轮次 steps OFF the thread that serves IPC (issue 18: the UI never blocked while a round over
// 100,000 measures is distributed or 70 returned ledgers are collected). The import worker's
// entry (worker.ts, bundled as import-worker.js) opens its own read-write connection to the
// database file and runs the same distributeRound / collectRoundFiles, posting progress; the
// thread that asked only waits. A distribution has a worker of its own; collects share one that
// stays (its connection keeps a preview's readings for the collect that follows it). Null when no
// worker can run it (no worker entry, an in-memory database, or the worker could not open the
// file): nothing was done, and the caller runs the step in-process as before. A cancelled
// distribution stops before the next department, its partial files removed, as in-process.
import { Worker } from 'node:worker_threads';
import type { UserIdentity } from '../../shared/domain';
import type { CollectFileResult } from '../../shared/rounds';
import { ServiceError } from '../core/context';
import { workerBootstrap } from '../worker-entry';
import { workerEntry } from './offthread';
import type { CollectOptions, DistributeOptions, DistributeResult } from './round-files';
import {
  ROUND_KIND,
  ROUND_SERVE_KIND,
  type RoundCancel,
  type RoundReply,
  type RoundServeData,
  type RoundServeFile,
  type RoundServeMsg,
  type RoundServeReply,
  type RoundStep,
  type RoundWorkerData,
  type WorkerDb,
} from './worker-protocol';

export interface RoundOffThreadOptions {
  actor?: UserIdentity;
  /** tests: force the in-process path (null) */
  inProcess?: boolean;
}

function runRoundStep<T>(
  db: WorkerDb,
  step: RoundStep,
  opts: RoundOffThreadOptions,
  onProgress?: (p: { done: number; total: number; name: string }) => void,
  signal?: AbortSignal,
): Promise<T | null> {
  const entry = opts.inProcess || db.path === ':memory:' || db.path === '' ? null : workerEntry();
  if (!entry) return Promise.resolve(null);
  const data: RoundWorkerData = { kind: ROUND_KIND, db, step, ...(opts.actor ? { actor: opts.actor } : {}) };
  return new Promise<T | null>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(workerBootstrap(entry), { eval: true, workerData: data, stdin: false, env: {} });
    const cancel = () => worker.postMessage({ cancel: true } satisfies RoundCancel);
    if (signal?.aborted) cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: RoundReply) => {
      if ('progress' in m) return onProgress?.(m.progress);
      done(() => {
        if (m.ok) resolve(m.result as T);
        else if (!m.opened) resolve(null);
        else if (m.serviceError) reject(new ServiceError(m.code as ServiceError['code'], m.message));
        else reject(Object.assign(new Error(m.message), { code: m.code }));
      });
    });
    worker.once('error', (e: Error) =>
      done(() => {
        console.error('[czt] round worker crashed', e);
        reject(new Error(`调度轮次的后台进程出错，未记录任何内容：${String(e.message).slice(0, 160)}`));
      }),
    );
    worker.once('exit', (code) => done(() => reject(new Error(`调度轮次的后台进程意外退出（代码 ${code}），未记录任何内容。`))));
  });
}

/** distributeRound in a worker; null: not run (the caller distributes in-process). */
export function distributeRoundOffThread(db: WorkerDb, roundId: number, outDir: string, opts: DistributeOptions & RoundOffThreadOptions = {}): Promise<DistributeResult | null> {
  const onProgress = opts.onProgress && ((p: { done: number; total: number; name: string }) => opts.onProgress!({ done: p.done, total: p.total, department: p.name }));
  return runRoundStep<DistributeResult>(db, { op: 'distribute', roundId, outDir, ...(opts.deptIds ? { deptIds: opts.deptIds } : {}) }, opts, onProgress, opts.signal);
}

/** an idle collect worker is stopped after this long (it never keeps the process alive either way) */
export const ROUND_WORKER_IDLE_MS = 10 * 60_000;

interface Serving {
  worker: Worker;
  key: string;
  timer: NodeJS.Timeout;
  pending: Map<number, { resolve: (v: CollectFileResult[] | null) => void; reject: (e: Error) => void; onProgress?: (p: { done: number; total: number; name: string }) => void }>;
}
let serving: Serving | null = null;
let nextCall = 1;

function stopServing(s: Serving, why: Error | null): void {
  if (serving === s) serving = null;
  clearTimeout(s.timer);
  for (const p of s.pending.values()) p.reject(why ?? new Error('调度轮次的后台进程已停止，未记录任何内容。'));
  s.pending.clear();
  void s.worker.terminate();
}

/** The long-lived collect worker for this database file (started, or the one running). */
function servingWorker(db: WorkerDb): Serving | null {
  const key = `${db.path}\n${db.nativeBinding ?? ''}`;
  if (serving?.key === key) return serving;
  const entry = workerEntry();
  if (!entry) return null;
  if (serving) stopServing(serving, null);
  const data: RoundServeData = { kind: ROUND_SERVE_KIND, db };
  const worker = new Worker(workerBootstrap(entry), { eval: true, workerData: data, stdin: false, env: {} });
  worker.unref();
  const s: Serving = { worker, key, pending: new Map(), timer: setTimeout(() => stopServing(s, null), ROUND_WORKER_IDLE_MS).unref() };
  worker.on('message', (m: RoundServeReply) => {
    const p = s.pending.get(m.id);
    if (!p) return;
    if ('progress' in m) return p.onProgress?.(m.progress);
    s.pending.delete(m.id);
    if (!s.pending.size) worker.unref();
    if (m.ok) p.resolve(m.result as CollectFileResult[]);
    else if (!m.opened) {
      // it could not open the database: the caller collects in-process
      p.resolve(null);
      stopServing(s, null);
    } else if (m.serviceError) p.reject(new ServiceError(m.code as ServiceError['code'], m.message));
    else p.reject(Object.assign(new Error(m.message), { code: m.code }));
  });
  worker.once('error', (e: Error) => {
    console.error('[czt] round collect worker crashed', e);
    stopServing(s, new Error(`调度轮次的后台进程出错，未记录任何内容：${String(e.message).slice(0, 160)}`));
  });
  worker.once('exit', (code) => stopServing(s, new Error(`调度轮次的后台进程意外退出（代码 ${code}），未记录任何内容。`)));
  serving = s;
  return s;
}

/**
 * collectRoundFiles in the long-lived collect worker; null: not run (no worker entry, an in-memory
 * database, or the worker could not open it), the caller collects in-process. The files go one
 * message each, a turn of this thread's event loop apart, and are decoded (base64) or read (a path)
 * in the worker: the thread that serves IPC never copies or decodes all of them at once.
 */
export async function collectRoundInputOffThread(
  db: WorkerDb,
  roundId: number,
  files: RoundServeFile[],
  opts: Omit<CollectOptions, 'onProgress'> & RoundOffThreadOptions & { onProgress?: (p: { done: number; total: number; file: string }) => void } = {},
): Promise<CollectFileResult[] | null> {
  if (opts.inProcess || db.path === ':memory:' || db.path === '') return null;
  const s = servingWorker(db);
  if (!s) return null;
  const id = nextCall++;
  const { dryRun, onConflict, perField, deptId, receivedAt } = opts;
  const o = Object.fromEntries(Object.entries({ dryRun, onConflict, perField, deptId, receivedAt }).filter(([, v]) => v !== undefined));
  const onProgress = opts.onProgress && ((p: { done: number; total: number; name: string }) => opts.onProgress!({ done: p.done, total: p.total, file: p.name }));
  const result = new Promise<CollectFileResult[] | null>((resolve, reject) => s.pending.set(id, { resolve, reject, onProgress }));
  s.worker.ref();
  s.timer.refresh();
  for (const file of files) {
    if (!s.pending.has(id)) break;
    s.worker.postMessage({ id, file } satisfies RoundServeMsg);
    await new Promise((r) => setImmediate(r));
  }
  if (s.pending.has(id)) s.worker.postMessage({ id, collect: { roundId, opts: o, ...(opts.actor ? { actor: opts.actor } : {}) } } satisfies RoundServeMsg);
  return result;
}

/** collectRoundFiles in the collect worker (the files' bytes copied to it); null: not run (the caller collects in-process). */
export function collectRoundFilesOffThread(db: WorkerDb, roundId: number, files: { name: string; bytes: Buffer }[], opts: CollectOptions & RoundOffThreadOptions = {}): Promise<CollectFileResult[] | null> {
  return collectRoundInputOffThread(db, roundId, files, opts);
}

/** Stop the collect worker (its connection closed, its kept readings gone): the bridge closing, tests. */
export async function stopRoundWorker(): Promise<void> {
  const s = serving;
  if (s) {
    stopServing(s, null);
    await s.worker.terminate();
  }
}
