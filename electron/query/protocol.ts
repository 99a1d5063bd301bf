// What the read worker and its launcher (offthread.ts) say to each other.
import type { UserIdentity } from '../../shared/domain';
import type { WorkerChannel } from '../../shared/ipc/contract';

export const READ_WORKER_KIND = 'czt-read-calls';

export interface ReadWorkerData {
  kind: typeof READ_WORKER_KIND;
  /** the database file; the worker opens it read-only (WAL: a concurrent reader) */
  dbFile: string;
  /** better-sqlite3 build for Electron's ABI, when the main process uses one */
  nativeBinding?: string;
}

export interface ReadCall {
  id: number;
  /** a channel with the read-worker option (shared/ipc/channels/) */
  op: WorkerChannel<'read'>;
  /** the draft's id (measures.facts, projects.list: unused, 0) */
  arg: number;
  /** the call's input, when it has one (projects.list: its options) */
  input?: unknown;
}

export type ReadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; serviceError: boolean; code: string; message: string };

/** the same worker entry, asked for one write on a read-write connection of its own, then done */
export const WRITE_WORKER_KIND = 'czt-write-call';

export interface WriteWorkerData {
  kind: typeof WRITE_WORKER_KIND;
  dbFile: string;
  nativeBinding?: string;
  /** who the audit rows name (the main connection's actor, when it has one) */
  actor?: UserIdentity;
  /** a channel with the write-worker option; the worker parses `input` with its schema again */
  op: WorkerChannel<'write'>;
  input: unknown;
}

export type WriteReply =
  /** the result as JSON text: crosses the thread boundary as one string, and on to the page as it is */
  | { ok: true; json: string }
  /** opened: false — the worker could not open the database; nothing was written */
  | { ok: false; opened: boolean; serviceError: boolean; code: string; message: string };
