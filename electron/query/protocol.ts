// What the read worker and its launcher (offthread.ts) say to each other.

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
  op: 'drafts.gaps' | 'drafts.tableCounts';
  /** the draft's id */
  arg: number;
}

export type ReadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; serviceError: boolean; code: string; message: string };
