// Exports OFF the main thread: a worker_threads Worker opens its own read-only connection to the
// database file (WAL lets it read while the main connection writes), runs the same exporter code
// and hands the file back, reporting progress on the way. The Electron main process (which
// serves IPC) and the web bridge's event loop stay free while a 100,000-row ledger is written,
// and an export can be cancelled: the worker is terminated and nothing is written.
//
// This file is the launcher (main thread); the worker's entry is worker.ts beside it, kept
// separate so the main bundle never loads it. Found the same way as the import worker
// (electron/import/offthread.ts):
// - from sources (tsx: tests, bridge): electron/export/worker.ts, loaded through tsx;
// - from the electron-vite bundle: out/main/export-worker.js, the third main entry in
//   electron.vite.config.ts.
// Without either (or for an in-memory database, which another connection cannot see),
// ipc/transfers.ts runs the export in-process as before.
import { Worker } from 'node:worker_threads';
import { findWorkerEntry, workerBootstrap, type WorkerEntry } from '../worker-entry';
import type { UserIdentity } from '../../shared/domain';
import { ServiceError } from '../core/context';
import type { ExportFile, ExportRequest } from './produce';
import type { ExportProgressInfo } from './progress';
import { EXPORT_WORKER_KIND, type ExportWorkerData, type ExportWorkerMessage } from './worker-protocol';

/** Thrown (and sent to the renderer as code CANCELLED) when the person cancels an export. */
export class ExportCancelledError extends Error {
  readonly code = 'CANCELLED';
  constructor() {
    super('已取消导出');
    this.name = 'ExportCancelledError';
  }
}

/** the file, with a briefing's report_log row for the caller (main connection) to write */
export type WorkerExportResult = ExportFile;

export interface ExportJob {
  done: Promise<WorkerExportResult>;
  /** stop the worker; done rejects with ExportCancelledError (no effect once it has settled) */
  cancel(): void;
}

let nativeBinding: string | undefined;
/** Electron: the better-sqlite3 build the main process uses; the worker must load the same one. */
export function useExportNativeBinding(file: string | undefined): void {
  nativeBinding = file;
}

/** The file the worker loads: out/main/export-worker.js when bundled, worker.ts from sources. */
export function exportWorkerEntry(): WorkerEntry | null {
  return findWorkerEntry(import.meta.dirname, 'export-worker.js');
}

let warned = false;

/** Progress at most every PROGRESS_EVERY_MS (a new phase always goes through). */
const PROGRESS_EVERY_MS = 80;

/**
 * Start one export in a worker; null when the worker entry cannot be found (the caller then
 * exports in-process). Errors keep their ServiceError code and Chinese message.
 */
export function startExportWorker(
  dbFile: string,
  req: ExportRequest,
  opts: { actor?: UserIdentity; onProgress?: (p: ExportProgressInfo) => void } = {},
): ExportJob | null {
  const entry = exportWorkerEntry();
  if (!entry) {
    if (!warned) {
      warned = true;
      console.warn('[czt] export worker entry not found; exporting on the main thread');
    }
    return null;
  }
  const code = workerBootstrap(entry);
  const data: ExportWorkerData = { kind: EXPORT_WORKER_KIND, dbFile, req, ...(nativeBinding ? { nativeBinding } : {}), ...(opts.actor ? { actor: opts.actor } : {}) };
  const worker = new Worker(code, { eval: true, workerData: data, stdin: false });
  let settled = false;
  let stop: (e: Error) => void = () => {};
  const done = new Promise<WorkerExportResult>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    // settle first, then stop the thread: whatever it posts from now on is ignored
    stop = (e) => finish(() => reject(e));
    let lastPhase = '';
    let lastAt = 0;
    worker.on('message', (m: ExportWorkerMessage) => {
      if (m.type === 'progress') {
        const t = performance.now();
        if (settled || (m.phase === lastPhase && t - lastAt < PROGRESS_EVERY_MS)) return;
        lastPhase = m.phase;
        lastAt = t;
        opts.onProgress?.({ phase: m.phase, done: m.done, total: m.total });
      } else if (m.type === 'done') {
        const buffer = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
        finish(() => resolve({ buffer, rows: m.rows, fileName: m.fileName, reportLog: m.reportLog, suggested: m.suggested }));
      } else {
        finish(() => {
          if (m.serviceError) reject(new ServiceError(m.code as ServiceError['code'], m.message));
          else reject(Object.assign(new Error(m.message), { code: m.code }));
        });
      }
    });
    worker.once('error', (e: Error & { code?: string }) =>
      finish(() => {
        console.error('[czt] export worker failed', e);
        const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(e.message);
        reject(new Error(oom ? '导出时内存不足，未生成文件。请缩小导出范围（按部门、城市或章节）后重试。' : `导出的后台线程出错：${e.message}`));
      }),
    );
    worker.once('exit', (exitCode) => finish(() => reject(new Error(`导出的后台线程意外退出（代码 ${exitCode}），未生成文件。`))));
  });
  return { done, cancel: () => stop(new ExportCancelledError()) };
}
