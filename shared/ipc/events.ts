// Push events from main to renderer. Kept free of zod so the preload bundle stays small.
// export.progress: ExportProgressEvent (contract.ts), while an export.run with an exportId runs
// updates.progress: UpdateProgress (shared/updates.ts), while updates.download runs
// rounds.progress: RoundProgressEvent (channels/rounds.ts), while a rounds.distribute with a jobId runs
// sync.status: SyncStatusView (channels/sync.ts), after an automatic sync or its failure
// app.closing: the window is about to close; the page sends its unsaved edits now
export const EVENTS = ['menu.command', 'export.progress', 'updates.progress', 'rounds.progress', 'app.closing', 'sync.status'] as const;
export type EventName = (typeof EVENTS)[number];
