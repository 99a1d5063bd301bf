// What the import worker and its launcher say to each other (types and one constant).
import type { ReadWorkbook } from './read';

export const WORKER_KIND = 'czt-read-spreadsheet';

export type WorkerReply = { ok: true; wb: ReadWorkbook } | { ok: false; code: string; message: string; serviceError: boolean };
