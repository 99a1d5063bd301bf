// Named points inside a sync where the crash tests (tests/sync) end the process with SIGKILL
// (CZT_SYNC_KILL_AT=point) or hold it until a file disappears (CZT_SYNC_PAUSE_AT=point,
// CZT_SYNC_PAUSE_FILE=path), to stop the server at that moment. Unset: nothing happens.
import fs from 'node:fs';

export type SyncPoint = 'push-before-commit' | 'push-after-commit' | 'pull-mid-apply' | 'between-push-and-pull' | 'clone-mid-write';

export async function syncPoint(p: SyncPoint): Promise<void> {
  killPoint(p);
  if (process.env.CZT_SYNC_PAUSE_AT === p && process.env.CZT_SYNC_PAUSE_FILE) {
    const f = process.env.CZT_SYNC_PAUSE_FILE;
    fs.writeFileSync(f, p);
    while (fs.existsSync(f)) await new Promise((r) => setTimeout(r, 50));
  }
}

/** The synchronous kind, for inside a SQLite transaction. */
export function killPoint(p: SyncPoint): void {
  if (process.env.CZT_SYNC_KILL_AT === p) process.kill(process.pid, 'SIGKILL');
}
