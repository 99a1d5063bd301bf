// The export worker's entry (started by offthread.ts): opens its own READ-ONLY connection to the
// database file, runs the same exporter code as the main thread (produceExport), posts progress,
// and hands the finished file back (its memory transferred, not copied). Runs only inside a
// worker_threads Worker; the main bundle never loads it.
//
// produceExport writes nothing: a briefing's report_log row (the next briefing compares with it)
// comes back with the file, and the main thread writes it when the export has succeeded, so a
// cancelled or failed export logs nothing. Any write attempted here would fail (SQLITE_READONLY)
// and come back as an error rather than being lost.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { contextFor, describeFailure } from '../core/context';
import { produceExport } from './produce';
import { exportProgress, setExportProgressSink } from './progress';
import { EXPORT_WORKER_KIND, type ExportWorkerData, type ExportWorkerMessage } from './worker-protocol';

/** A Buffer's bytes as a Uint8Array that owns its whole ArrayBuffer (pooled Buffers share one). */
function transferable(buf: Buffer): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) return new Uint8Array(buf.buffer);
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy;
}

async function run(port: MessagePort, data: ExportWorkerData): Promise<void> {
  const post = (m: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  let db: Db | null = null;
  try {
    db = new Database(data.dbFile, { readonly: true, fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    db.pragma('busy_timeout = 5000');
    const ctx = contextFor(db);
    if (data.actor) ctx.actor = data.actor;
    setExportProgressSink((p) => post({ type: 'progress', ...p }));
    exportProgress('read');
    // one read transaction: every query of the export sees the same snapshot, whatever the
    // main thread commits meanwhile
    db.exec('BEGIN');
    const file = await produceExport(ctx, data.req);
    db.exec('COMMIT');
    const bytes = transferable(file.buffer);
    post({ type: 'done', bytes, rows: file.rows, fileName: file.fileName, reportLog: file.reportLog, suggested: file.suggested }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', ...describeFailure(e) });
  } finally {
    setExportProgressSink(null);
    try {
      db?.close();
    } catch {
      /* closing a read-only connection cannot lose anything */
    }
  }
}

if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === EXPORT_WORKER_KIND) {
  void run(parentPort, workerData as ExportWorkerData);
}
