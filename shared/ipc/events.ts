// Push events from main to renderer. Kept free of zod so the preload bundle stays small.
export const EVENTS = ['menu.command'] as const;
export type EventName = (typeof EVENTS)[number];
