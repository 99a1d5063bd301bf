// What the import worker and its launcher say to each other (types and one constant).
import type { UserIdentity } from '../../shared/domain';
import type { ImportChoices, ImportSummary } from '../../shared/import';
import type { SplitJson } from '../../shared/ipc/json-text';
import type { ReadWorkbook } from './read';

export const WORKER_KIND = 'czt-read-spreadsheet';
/** the same worker entry, asked to apply a preview (a read-write connection of its own) */
export const APPLY_KIND = 'czt-apply-import';

export interface ApplyWorkerData {
  kind: typeof APPLY_KIND;
  db: WorkerDb;
  /** the preview as JSON text (made in the reading worker; parsed here, not on the thread that serves IPC) */
  preview: SplitJson;
  choices: ImportChoices;
  actor?: UserIdentity;
  /** make the before-import backup first, on this worker's connection (its fsyncs off the IPC thread) */
  backup?: boolean;
}

export type ApplyReply =
  | { ok: true; summary: ImportSummary }
  /** opened: false — the worker could not open the database; nothing was written */
  | { ok: false; opened: boolean; code: string; message: string; serviceError: boolean };

/** One file for the reader (its workerData, or the message a standby reader waits for). */
export interface ReadJob {
  name: string;
  bytes: Uint8Array;
  db?: WorkerDb;
  /** departments the person chose for unknown names of this file (PreviewOptions.deptMap) */
  deptMap?: Record<string, number>;
}

/** The database the worker may diff against (read-only), when the launcher gives one. */
export interface WorkerDb {
  path: string;
  /** the better-sqlite3 build Electron's main loaded (its ABI), if not the default */
  nativeBinding?: string;
}

/**
 * ok with wb: the file read (the launcher diffs); ok with preview: read and diffed in the
 * worker (the launcher was given a database and the worker could open it).
 */
export type WorkerReply =
  | { ok: true; wb: ReadWorkbook; preview?: undefined }
  /** the preview as JSON text: a string crosses between threads as one copy, a large preview as objects was slow to rebuild (docs/bench.md) */
  | {
      ok: true;
      /** its large arrays (changes, conflicts, errors …) in pieces, which the page parses a piece per task */
      preview: SplitJson;
      errors: number;
      /** the measures' states read ahead by a standby reader were current and used */
      readAhead: boolean;
      wb?: undefined;
    }
  | { ok: false; code: string; message: string; serviceError: boolean };

/** What a standby reader posts once its warm-up (and read-ahead) is done; not an answer. */
export interface ReaderReady {
  ready: true;
}

/** the same worker entry, asked to run a 调度轮次 distribution on a read-write connection of its own */
export const ROUND_KIND = 'czt-round-step';

export type RoundStep = { op: 'distribute'; roundId: number; outDir: string; deptIds?: number[] };

/** a collect's options as they cross to the collect worker */
export interface CollectStepOptions {
  dryRun?: boolean;
  onConflict?: ImportChoices['onConflict'];
  perField?: ImportChoices['perField'];
  deptId?: number;
  receivedAt?: string;
}

export interface RoundWorkerData {
  kind: typeof ROUND_KIND;
  db: WorkerDb;
  actor?: UserIdentity;
  step: RoundStep;
}

/** the launcher's one message to a round worker: stop before the next department (distribute) */
export interface RoundCancel {
  cancel: true;
}

export type RoundReply =
  | { progress: { done: number; total: number; name: string } }
  | { ok: true; result: unknown }
  /** opened: false — the worker could not open the database; nothing was written */
  | { ok: false; opened: boolean; code: string; message: string; serviceError: boolean };

/**
 * The same worker entry kept running for 收取 (collect): its read-write connection stays open
 * between calls, so a collect that follows its preview takes the files' readings kept on that
 * connection (round-files.ts). A call's files come one message each (their bytes, their base64 as
 * the page sent it, or a path the person chose in Electron: decoded or read here, not on the thread
 * that serves IPC), then the call itself.
 */
export const ROUND_SERVE_KIND = 'czt-round-serve';

export interface RoundServeData {
  kind: typeof ROUND_SERVE_KIND;
  db: WorkerDb;
}

export type RoundServeFile = { name: string } & ({ bytes: Uint8Array } | { base64: string } | { path: string });

export type RoundServeMsg =
  | { id: number; file: RoundServeFile }
  | { id: number; collect: { roundId: number; opts: CollectStepOptions; actor?: UserIdentity } };

export type RoundServeReply = { id: number } & RoundReply;
