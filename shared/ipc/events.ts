// Push events from main to renderer. Kept free of zod so the preload bundle stays small.
// export.progress: ExportProgressEvent (contract.ts), while an export.run with an exportId runs
export const EVENTS = ['menu.command', 'export.progress'] as const;
export type EventName = (typeof EVENTS)[number];
