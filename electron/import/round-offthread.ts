// 调度轮次 steps OFF the thread that serves IPC (issue 18: the UI never blocked while a round over
// 100,000 measures is distributed or 70 returned ledgers are collected). The import worker's
// entry (worker.ts, bundled as import-worker.js) opens its own read-write connection to the
// database file and runs the same distributeRound / collectRoundFiles, posting progress; the
// thread that asked only waits. Null when no worker can run it (no worker entry, an in-memory
// database, or the worker could not open the file): nothing was done, and the caller runs the
// step in-process as before. A cancelled distribution stops before the next department, its
// partial files removed, as in-process.
import { Worker } from 'node:worker_threads';
import type { UserIdentity } from '../../shared/domain';
import type { CollectFileResult } from '../../shared/rounds';
import { ServiceError } from '../core/context';
import { workerBootstrap } from '../worker-entry';
import { workerEntry } from './offthread';
import type { CollectOptions, DistributeOptions, DistributeResult } from './round-files';
import { ROUND_KIND, type RoundCancel, type RoundReply, type RoundStep, type RoundWorkerData, type WorkerDb } from './worker-protocol';

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
  transferList: ArrayBuffer[] = [],
): Promise<T | null> {
  const entry = opts.inProcess || db.path === ':memory:' || db.path === '' ? null : workerEntry();
  if (!entry) return Promise.resolve(null);
  const data: RoundWorkerData = { kind: ROUND_KIND, db, step, ...(opts.actor ? { actor: opts.actor } : {}) };
  return new Promise<T | null>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(workerBootstrap(entry), { eval: true, workerData: data, transferList, stdin: false, env: {} });
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

/** collectRoundFiles in a worker (the files' bytes copied to it); null: not run (the caller collects in-process). */
export function collectRoundFilesOffThread(db: WorkerDb, roundId: number, files: { name: string; bytes: Buffer }[], opts: CollectOptions & RoundOffThreadOptions = {}): Promise<CollectFileResult[] | null> {
  const { dryRun, onConflict, perField, deptId, receivedAt } = opts;
  const o = Object.fromEntries(Object.entries({ dryRun, onConflict, perField, deptId, receivedAt }).filter(([, v]) => v !== undefined));
  const onProgress = opts.onProgress && ((p: { done: number; total: number; name: string }) => opts.onProgress!({ done: p.done, total: p.total, file: p.name }));
  // the files' bytes copied once into one buffer that is handed over, not cloned: a clone of 70
  // ledgers in the Worker constructor held this thread up noticeably
  const all = new Uint8Array(files.reduce((n, f) => n + f.bytes.length, 0));
  let at = 0;
  const views = files.map((f) => {
    all.set(f.bytes, at);
    const v = { name: f.name, bytes: all.subarray(at, at + f.bytes.length) };
    at += f.bytes.length;
    return v;
  });
  return runRoundStep<CollectFileResult[]>(db, { op: 'collect', roundId, files: views, opts: o }, opts, onProgress, undefined, [all.buffer]);
}
