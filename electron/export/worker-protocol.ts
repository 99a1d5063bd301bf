// What the export worker and its launcher (offthread.ts) say to each other.
import type { UserIdentity } from '../../shared/domain';
import type { ReportLogDraft } from '../services/reports';
import type { ExportRequest } from './produce';
import type { ExportProgressInfo } from './progress';

export const EXPORT_WORKER_KIND = 'czt-export';

export interface ExportWorkerData {
  kind: typeof EXPORT_WORKER_KIND;
  /** the database file; the worker opens it read-only (WAL: a concurrent reader) */
  dbFile: string;
  /** better-sqlite3 build for Electron's ABI, when the main process uses one */
  nativeBinding?: string;
  req: ExportRequest;
  actor?: UserIdentity;
}

export type ExportWorkerMessage =
  | ({ type: 'progress' } & ExportProgressInfo)
  | { type: 'done'; bytes: Uint8Array; rows: number; fileName: string; reportLog?: ReportLogDraft; suggested?: number }
  | { type: 'error'; serviceError: boolean; code: string; message: string };
