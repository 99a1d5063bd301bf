// The closed set of error codes a channel can fail with, on both sides of the IPC.
// The message beside a code is Chinese and shown as is; the code is for the program.

/** refusals a service makes (ServiceError): the person can act on them */
export const SERVICE_ERROR_CODES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'UNSUPPORTED', 'NETWORK'] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export const IPC_ERROR_CODES = [
  ...SERVICE_ERROR_CODES,
  /** no such channel (the router) */
  'UNKNOWN_CHANNEL',
  /** SQLITE_BUSY: another connection is writing */
  'BUSY',
  /** the backup an import makes first could not be made: nothing was written */
  'BACKUP_FAILED',
  /** an export cancelled by the person (export.cancel) */
  'CANCELLED',
  /** anything unexpected: nothing was saved */
  'INTERNAL',
] as const;
// NETWORK is also what the page's own client reports when the service cannot be reached
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcError {
  code: IpcErrorCode;
  /** Chinese, shown to the person as is */
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };
