// The one definition of every channel between the renderer and the main side: the domains'
// channel files (channels/*.ts, each channel's input schema, output type and options together)
// combined. The router (electron/ipc/router.ts) parses each input with its schema and runs the
// domain's handler; the test bridge and the preload use the same table. Output types are checked
// at compile time through ChannelOutput.
import type { z } from 'zod';
import type { JsonText } from './json-text';
import type { ChannelDef, ChannelOptions } from './channel';
import type { EventName } from './events';
import type { IpcResult } from './errors';
import { appChannels } from './channels/app';
import { planChannels } from './channels/plan';
import { measuresChannels } from './channels/measures';
import { departmentsChannels } from './channels/departments';
import { settingsChannels } from './channels/settings';
import { reportsChannels } from './channels/reports';
import { updatesChannels } from './channels/updates';
import { auditChannels } from './channels/audit';
import { undoChannels } from './channels/undo';
import { backupChannels } from './channels/backup';
import { indicatorsChannels, projectsChannels } from './channels/projects';
import { draftsChannels } from './channels/drafts';
import { exportChannels } from './channels/export';
import { importChannels } from './channels/import';
import { roundsChannels } from './channels/rounds';
import { syncChannels } from './channels/sync';

export const contract = {
  ...appChannels,
  ...planChannels,
  ...measuresChannels,
  ...departmentsChannels,
  ...settingsChannels,
  ...reportsChannels,
  ...updatesChannels,
  ...auditChannels,
  ...undoChannels,
  ...backupChannels,
  ...projectsChannels,
  ...indicatorsChannels,
  ...draftsChannels,
  ...exportChannels,
  ...importChannels,
  ...roundsChannels,
  ...syncChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = Contract[C] extends ChannelDef<z.ZodType, infer O> ? O : never;
export type ChannelOptionsOf<C extends Channel> = Contract[C]['options'];
/** The channels a worker thread answers on a large ledger (their `worker` option). */
export type WorkerChannel<K extends 'read' | 'write'> = { [C in Channel]: ChannelOptionsOf<C> extends { worker: { kind: K } } ? C : never }[Channel];

/** Whether this channel is answered by the `kind` worker on a large ledger. */
export function isWorkerChannel<K extends 'read' | 'write'>(c: Channel, kind: K): c is WorkerChannel<K> {
  const options: ChannelOptions = contract[c].options;
  return options.worker?.kind === kind;
}

export * from './errors';
export type { ChannelDef, ChannelOptions } from './channel';
export type { AppInfo } from './channels/app';
export type { MeasurePage, MeasureFacts } from './channels/measures';
export type { MergeResult } from './channels/departments';
export type { ReportLogEntry } from './channels/reports';
export type { AuditFacets, FieldRestoreResult } from './channels/audit';
export type { UndoState, UndoResult } from './channels/undo';
export type { BackupKindName, BackupEntry, RestoreOutcome } from './channels/backup';
export { EXPORT_KINDS, type ExportKind, type ExportResult, type ExportedFile, type ExportProgressEvent } from './channels/export';
export type { SyncConfig, SyncIdentity, SyncConflictView, SyncStatusView, SyncRunResult } from './channels/sync';
export { EVENTS, type EventName } from './events';
export type { RoundReviewResult, RoundDistributeResult, RoundRemindResult, RoundProgressEvent } from './channels/rounds';

export function isChannel(s: unknown): s is Channel {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(contract, s);
}

/** The API the preload exposes as window.czt and the web bridge imitates. */
export interface WorkbenchApi {
  /** a large value (an import preview) comes as JSON text: fromJsonText() gives the object */
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C> | JsonText>>;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
  /**
   * Electron only: the path of a file the person chose or dropped (webUtils.getPathForFile), so a
   * large file is read where it is needed instead of crossing IPC; '' when it has none
   */
  filePath?(file: Blob): string;
}

/** Turn a zod error into one Chinese sentence. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message))
    .join('；');
}
