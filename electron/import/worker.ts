// The import worker's entry (started by offthread.ts): reads one spreadsheet and posts the
// result back. Runs only inside a worker_threads Worker; the main bundle never loads it.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ServiceError } from '../services/context';
import { readSpreadsheet } from './read';
import { WORKER_KIND, type WorkerReply as Reply } from './worker-protocol';


if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) {
  const { name, bytes } = workerData as { name: string; bytes: Uint8Array };
  let reply: Reply;
  try {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    reply = { ok: true, wb: readSpreadsheet(name, buf) };
  } catch (e) {
    const err = e as Error & { code?: string };
    const isService = e instanceof ServiceError || err?.name === 'ServiceError';
    reply = { ok: false, serviceError: isService, code: isService ? String(err.code) : 'INTERNAL', message: String(err?.message ?? e) };
  }
  parentPort.postMessage(reply);
}
