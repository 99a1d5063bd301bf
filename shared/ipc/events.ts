// Push events from main to renderer. Kept free of zod so the preload bundle stays small.
// export.progress: ExportProgressEvent (contract.ts), while an export.run with an exportId runs
// updates.progress: UpdateProgress (shared/updates.ts), while updates.download runs
// app.closing: the window is about to close; the page sends its unsaved edits now
export const EVENTS = ['menu.command', 'export.progress', 'updates.progress', 'app.closing'] as const;
export type EventName = (typeof EVENTS)[number];
