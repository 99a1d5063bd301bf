// Restoring the workbench database from a backup (the backups themselves: electron/db/backup.ts).
// A restore refuses in Chinese what it cannot use (ServiceError), and never loses the data it
// replaces: that is first backed up, or moved aside when it cannot even be read.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_VERSION } from '../db/migrations';
import { backupsDir, checkDbFile, createBackup, dbOpts, latestGoodBackup, listBackups, newSearchEpoch, stampOf, type BackupInfo } from '../db/backup';
import { setUpOpenDb } from '../db/open';
import { evidenceDir, syncEvidence } from '../db/evidence-store';
import { ServiceError } from '../core/context';
import type { HandlerTable, ChannelsOf, ShellInfo } from '../core/handlers';

export interface RestoreResult {
  restoredFrom: string;
  /** the before-restore backup of the replaced database (null when it could not be read) */
  keptAs: string | null;
  /** where an unreadable database was moved aside instead */
  brokenAside: string | null;
  version: number;
}

function moveAside(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  const aside = `${file}.damaged-${stampOf(new Date())}`;
  for (const s of ['', '-wal', '-shm']) if (fs.existsSync(file + s)) fs.renameSync(file + s, aside + s);
  return aside;
}

/**
 * Replace the content of currentFile by that of fromFile.
 *  1. fromFile must pass quick_check, be a workbench database, and not be from a newer version;
 *  2. the current database is backed up first (before-restore) — or, when it cannot even be
 *     read, moved aside as <name>.damaged-<time> — so a restore never loses anything;
 *  3. the content is copied with the backup API (source → destination) into currentFile.
 * `live`: the app's own open connection to currentFile, if any. It stays open (idle: no
 * transaction may be running) and sees the restored content on its next statement; the caller
 * then runs the migrations on it (`reopen`). Without `live` the caller opens the file anew.
 */
export async function restoreDatabase(
  currentFile: string,
  fromFile: string,
  opts: { live?: Db; dir?: string } = {},
): Promise<RestoreResult> {
  const cur = path.resolve(currentFile);
  const src = path.resolve(fromFile);
  if (cur === src) throw new ServiceError('VALIDATION', '不能用数据库自身恢复');
  if (!fs.existsSync(src)) throw new ServiceError('NOT_FOUND', `备份文件不存在：${src}`);
  const check = checkDbFile(src);
  if (!check.ok) throw new ServiceError('VALIDATION', `备份文件未通过完整性检查，不能用于恢复：${check.message}`);
  if (!check.workbench) throw new ServiceError('VALIDATION', '所选文件不是长株潭规划工作台的数据库，不能用于恢复');
  if (check.version !== null && check.version > LATEST_VERSION)
    throw new ServiceError('VALIDATION', `所选备份的数据库版本为 ${check.version}，高于本程序支持的版本 ${LATEST_VERSION}，请使用新版本工作台恢复`);
  const dir = opts.dir ?? backupsDir(cur);
  let keptAs: string | null = null;
  let brokenAside: string | null = null;
  if (opts.live) {
    keptAs = (await createBackup(opts.live, cur, 'before-restore', dir)).file;
  } else if (fs.existsSync(cur)) {
    const c = checkDbFile(cur);
    if (c.ok) {
      const db = new Database(cur, dbOpts({ fileMustExist: true }));
      try {
        keptAs = (await createBackup(db, cur, 'before-restore', dir)).file;
      } finally {
        db.close();
      }
    } else {
      brokenAside = moveAside(cur);
    }
  }
  const source = new Database(src, dbOpts({ readonly: true, fileMustExist: true }));
  try {
    await source.backup(cur);
  } finally {
    source.close();
  }
  // the 佐证材料 of the backup's folder come back beside the database (only the missing ones)
  syncEvidence(evidenceDir(src), evidenceDir(cur));
  newSearchEpoch(opts.live ?? null, cur);
  return { restoredFrom: src, keptAs, brokenAside, version: check.version ?? 0 };
}

/**
 * Start-up recovery without any window: move the damaged database aside and restore the
 * latest good backup in its place. Returns null when there is no usable backup.
 */
export async function recoverFromLatestBackup(dbFile: string): Promise<(RestoreResult & { backup: BackupInfo }) | null> {
  const b = latestGoodBackup(dbFile);
  if (!b) return null;
  const cur = path.resolve(dbFile);
  const brokenAside = moveAside(cur);
  const r = await restoreDatabase(cur, b.file);
  return { ...r, brokenAside: brokenAside ?? r.brokenAside, backup: b };
}

/** The backup.* channels (shared/ipc/channels/backup.ts): the backups beside the shell's database. */
export const backupHandlers: HandlerTable<ChannelsOf<'backup'>, ShellInfo> = {
  'backup.list': (_ctx, _i, env) => listBackups(env.dbPath).map(({ file: _f, ...b }) => b),
  'backup.create': async (ctx, _i, env) => {
    const { file: _f, ms: _m, ...b } = await createBackup(ctx.db, path.resolve(env.dbPath), 'manual');
    return b;
  },
  'backup.restore': async (ctx, i, env) => {
    const dbPath = path.resolve(env.dbPath);
    const from = path.join(backupsDir(dbPath), i.name);
    if (path.dirname(from) !== backupsDir(dbPath) || !listBackups(dbPath, { check: false }).some((b) => b.name === i.name)) {
      throw new ServiceError('NOT_FOUND', `备份集中没有“${i.name}”`);
    }
    const r = await restoreDatabase(dbPath, from, { live: ctx.db });
    // the restored content may be from an older version: migrate it on the same connection
    setUpOpenDb(ctx.db, dbPath);
    return { restoredFrom: path.basename(r.restoredFrom), keptAs: r.keptAs && path.basename(r.keptAs), relaunch: env.shell === 'electron' };
  },
};
