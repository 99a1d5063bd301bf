// Types of scripts/electron-binary.mjs for the TypeScript tests that use it.
/** The Electron executable installed for the project at `root`, or null when it is missing. */
export function electronBinary(root: string): string | null;
