// backup.*: the rotating set of backups beside the database, each quick-checked, and restoring one.
import { z } from 'zod';
import { channel } from '../channel';
import { empty } from './common';

export type BackupKindName = 'auto' | 'before-migration' | 'before-import' | 'before-restore' | 'on-exit' | 'manual';

export interface BackupEntry {
  name: string;
  kind: BackupKindName;
  at: string;
  bytes: number;
  /** quick_check passed (null: not checked, file too large to check while listing) */
  ok: boolean | null;
  version: number | null;
  message?: string;
}

export interface RestoreOutcome {
  restoredFrom: string;
  /** file name of the before-restore backup of the replaced data */
  keptAs: string | null;
  /** Electron restarts itself; the web bridge carries on with the reopened database */
  relaunch: boolean;
}

export const backupChannels = {
  'backup.list': channel<BackupEntry[]>()(empty),
  'backup.create': channel<BackupEntry>()(empty),
  /** restore one backup of the set (by file name only, never a path); Electron relaunches after */
  'backup.restore': channel<RestoreOutcome>()(
    z.object({ name: z.string().min(1).max(200).regex(/^[^/\\]+\.db$/, '应为备份文件名') }).strict(),
  ),
};
