// Backups of the workbench database (the restore is electron/services/backup.ts). Always through
// SQLite itself (the online backup API, or VACUUM INTO where only a synchronous call fits), never a copy of a live file:
// a file copy of a database in WAL mode can miss committed pages still in the -wal file, or
// catch a page half-written.
//
// The rotating set lives in a `backups/` folder beside the database. The file name carries the
// time and the kind: czt-workbench-20250131-142501-123-auto.db.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_VERSION } from '../db/migrations';
import { evidenceDir, syncEvidence } from './evidence-store';

export const BACKUP_KINDS = ['auto', 'before-migration', 'before-import', 'before-restore', 'on-exit', 'manual'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const BACKUP_KIND_LABELS: Record<BackupKind, string> = {
  auto: '定时备份',
  'before-migration': '升级前备份',
  'before-import': '导入前备份',
  'before-restore': '恢复前备份',
  'on-exit': '退出时备份',
  manual: '手动备份',
};

/** Rotation: the most recent KEEP_RECENT, plus the newest of each day for KEEP_DAYS days. */
export const KEEP_RECENT = 10;
export const KEEP_DAYS = 30;

export interface BackupInfo {
  file: string;
  name: string;
  kind: BackupKind;
  /** ISO time the backup was taken (from the name) */
  at: string;
  bytes: number;
  /** quick_check of the backup file: true ok, false damaged, null not checked (large file) */
  ok: boolean | null;
  /** user_version inside the backup (null when unreadable) */
  version: number | null;
  message?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

export function backupsDir(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'backups');
}

function stemOf(dbFile: string): string {
  return path.basename(dbFile, path.extname(dbFile));
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Local time in the name: people read these names in their file manager. */
export function stampOf(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}-${pad(d.getMilliseconds(), 3)}`;
}

const NAME_RE = /-(\d{8})-(\d{6})-(\d{3})-(auto|before-migration|before-import|before-restore|on-exit|manual)(?:-\d+)?\.db$/;

export function backupFileName(dbFile: string, kind: BackupKind, when = new Date()): string {
  return `${stemOf(dbFile)}-${stampOf(when)}-${kind}.db`;
}

export function parseBackupName(name: string): { kind: BackupKind; at: Date } | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const [d, t, ms] = [m[1], m[2], m[3]];
  const at = new Date(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6), +ms);
  return { kind: m[4] as BackupKind, at };
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* Windows cannot open a folder for fsync; the rename is still atomic there */
  }
}

/**
 * The same flushes for the asynchronous backup, in libuv's thread pool: fsync of a freshly written
 * backup held the thread that serves IPC before an import (docs/bench.md).
 */
async function fsyncFileAsync(file: string): Promise<void> {
  const h = await fs.promises.open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function fsyncDirAsync(dir: string): Promise<void> {
  try {
    const h = await fs.promises.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* Windows cannot open a folder for fsync; the rename is still atomic there */
  }
}

function removeWithSidecars(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/**
 * Make a freshly written backup a single self-contained file: the copied header says WAL (the
 * source's mode); switch it to a rollback journal so that opening it read-only later never
 * needs -wal/-shm files, then flush it to disk.
 */
function finalise(part: string): void {
  toRollbackJournal(part);
  fsyncFile(part);
}

function toRollbackJournal(part: string): void {
  const b = new Database(part, dbOpts());
  try {
    b.pragma('journal_mode = DELETE');
  } finally {
    b.close();
  }
}

function publish(part: string, dest: string): void {
  fs.renameSync(part, dest);
  fsyncDir(path.dirname(dest));
}

/**
 * The better-sqlite3 build to load for the extra connections this module opens (backup files,
 * a database being restored). Electron's main sets its own ABI build here once at start-up.
 */
let nativeBinding: string | undefined;
export function useNativeBinding(file: string | undefined): void {
  nativeBinding = file;
}
/** The build set by useNativeBinding (the import worker opens its read-only connection with it). */
export function currentNativeBinding(): string | undefined {
  return nativeBinding;
}
export const dbOpts = (o: Database.Options = {}): Database.Options => (nativeBinding ? { ...o, nativeBinding } : o);

/**
 * Back up a live database to destFile with SQLite's online backup API. Written to a .part file
 * first and renamed when complete, so a backup file that exists is always a whole one.
 */
export async function backupDatabase(db: Db, destFile: string): Promise<BackupResult> {
  const t0 = Date.now();
  const dest = path.resolve(destFile);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  removeWithSidecars(part);
  try {
    await db.backup(part);
    toRollbackJournal(part);
    await fsyncFileAsync(part);
    await fs.promises.rename(part, dest);
    await fsyncDirAsync(path.dirname(dest));
  } catch (e) {
    removeWithSidecars(part);
    throw e;
  }
  // the 佐证材料 the database refers to go with it (content-addressed: only the missing ones)
  if (!db.memory && db.name) syncEvidence(evidenceDir(db.name), evidenceDir(dest));
  return { file: dest, bytes: fs.statSync(dest).size, ms: Date.now() - t0 };
}

/**
 * The synchronous variant for the places that cannot wait (opening the database before a
 * migration, applying an import inside a synchronous service): VACUUM INTO. It is not a file
 * copy either: SQLite writes a transactionally consistent snapshot of the database as seen by
 * one read transaction, exactly what the backup API guarantees, and compacts it on the way.
 * better-sqlite3's backup() is asynchronous only (it steps the copy between event-loop turns),
 * so it cannot run inside openWorkbenchDb() or a db.transaction().
 */
export function snapshotDatabaseSync(db: Db, destFile: string): BackupResult {
  const t0 = Date.now();
  const dest = path.resolve(destFile);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  removeWithSidecars(part);
  try {
    db.prepare('VACUUM INTO ?').run(part);
    finalise(part);
    publish(part, dest);
  } catch (e) {
    removeWithSidecars(part);
    throw e;
  }
  if (!db.memory && db.name) syncEvidence(evidenceDir(db.name), evidenceDir(dest));
  return { file: dest, bytes: fs.statSync(dest).size, ms: Date.now() - t0 };
}

function uniqueDest(dbFile: string, kind: BackupKind, dir: string): string {
  const when = new Date();
  let name = backupFileName(dbFile, kind, when);
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = backupFileName(dbFile, kind, when).replace(/\.db$/, `-${i}.db`);
  return path.join(dir, name);
}

/** A backup of kind `kind` into the rotating set beside dbFile; older ones are pruned. */
export async function createBackup(db: Db, dbFile: string, kind: BackupKind, dir = backupsDir(dbFile)): Promise<BackupInfo & BackupResult> {
  const res = await backupDatabase(db, uniqueDest(dbFile, kind, dir));
  rotateBackups(dir);
  return { ...describe(res.file, false), ...res };
}

/**
 * The backup an import makes before it writes: a failure stops the import, worded for the person
 * importing (the disk is full, the backups folder cannot be written).
 */
export async function backupBeforeImport(db: Db, dbFile: string): Promise<BackupInfo & BackupResult> {
  try {
    return await createBackup(db, dbFile, 'before-import');
  } catch (e) {
    throw Object.assign(new Error(`导入前的备份未能完成，未写入任何内容：${String((e as Error)?.message ?? e).slice(0, 200)}`), { code: 'BACKUP_FAILED' });
  }
}

export function createBackupSync(db: Db, dbFile: string, kind: BackupKind, dir = backupsDir(dbFile)): BackupInfo & BackupResult {
  const res = snapshotDatabaseSync(db, uniqueDest(dbFile, kind, dir));
  rotateBackups(dir);
  return { ...describe(res.file, false), ...res };
}

interface Named {
  file: string;
  name: string;
  kind: BackupKind;
  at: Date;
}

function named(dir: string): Named[] {
  if (!fs.existsSync(dir)) return [];
  const out: Named[] = [];
  for (const name of fs.readdirSync(dir)) {
    const p = parseBackupName(name);
    if (p) out.push({ file: path.join(dir, name), name, ...p });
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name));
}

const dayKey = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Which backups the rotation keeps (pure, for tests): newest first in, names out. */
export function backupsToKeep(list: { name: string; at: Date }[], now = new Date()): Set<string> {
  const sorted = [...list].sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name));
  const keep = new Set(sorted.slice(0, KEEP_RECENT).map((b) => b.name));
  const since = now.getTime() - KEEP_DAYS * 86400000;
  const days = new Set<string>();
  for (const b of sorted) {
    if (b.at.getTime() < since) continue;
    const k = dayKey(b.at);
    if (days.has(k)) continue;
    days.add(k);
    keep.add(b.name);
  }
  return keep;
}

/** Keep the 10 most recent plus the newest of each of the last 30 days; delete the others. */
export function rotateBackups(dir: string, now = new Date()): string[] {
  const list = named(dir);
  const keep = backupsToKeep(list, now);
  const removed: string[] = [];
  for (const b of list) {
    if (keep.has(b.name)) continue;
    try {
      removeWithSidecars(b.file);
      removed.push(b.name);
    } catch {
      /* a file in use (virus scanner, …) goes next time */
    }
  }
  return removed;
}

export interface DbFileCheck {
  ok: boolean;
  version: number | null;
  workbench: boolean;
  message: string;
}

/** Above this size a listing does not quick_check every backup (seconds each). */
export const LIST_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** Open a database file read-only and check it: quick_check, user_version, our tables. */
export function checkDbFile(file: string): DbFileCheck {
  let b: Db | null = null;
  try {
    b = new Database(file, dbOpts({ readonly: true, fileMustExist: true }));
    const version = b.pragma('user_version', { simple: true }) as number;
    const rows = b.pragma('quick_check') as { quick_check: string }[];
    const ok = rows.length === 1 && rows[0].quick_check === 'ok';
    const tables = new Set((b.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name));
    const workbench = ['measure', 'plan_node', 'department', 'audit', 'setting'].every((t) => tables.has(t));
    const message = !ok
      ? `完整性检查未通过：${rows.slice(0, 3).map((r) => r.quick_check).join('；')}`
      : !workbench
        ? '不是工作台数据库'
        : version > LATEST_VERSION
          ? `版本 ${version} 高于本程序支持的版本 ${LATEST_VERSION}`
          : '完好';
    return { ok, version, workbench, message };
  } catch (e) {
    return { ok: false, version: null, workbench: false, message: `无法读取：${(e as Error).message}` };
  } finally {
    b?.close();
  }
}

const checkCache = new Map<string, DbFileCheck>();

function describe(file: string, check: boolean): BackupInfo {
  const name = path.basename(file);
  const p = parseBackupName(name)!;
  const st = fs.statSync(file);
  let c: DbFileCheck | null = null;
  if (check && st.size <= LIST_CHECK_MAX_BYTES) {
    // a backup never changes once published: check each file once per process
    const key = `${file}|${st.size}|${st.mtimeMs}`;
    c = checkCache.get(key) ?? checkDbFile(file);
    checkCache.set(key, c);
  }
  return {
    file,
    name,
    kind: p.kind,
    at: p.at.toISOString(),
    bytes: st.size,
    ok: c ? c.ok && c.workbench : null,
    version: c ? c.version : null,
    ...(c ? { message: c.message } : {}),
  };
}

/** The rotating set, newest first, each with a quick integrity check (read-only). */
export function listBackups(dbFile: string, opts: { check?: boolean; dir?: string } = {}): BackupInfo[] {
  return named(opts.dir ?? backupsDir(dbFile)).map((b) => describe(b.file, opts.check ?? true));
}

/** The newest backup that passes quick_check, is ours and is not from a newer version. */
export function latestGoodBackup(dbFile: string, dir = backupsDir(dbFile)): BackupInfo | null {
  for (const b of named(dir)) {
    const c = checkDbFile(b.file);
    if (c.ok && c.workbench && c.version !== null && c.version <= LATEST_VERSION) return describe(b.file, true);
  }
  return null;
}

/**
 * The restored content is not what the measure change log of the replaced database described:
 * a new epoch makes every open search index rebuild (electron/services/measures.ts). A backup
 * from before migration 7 has no epoch table; the migrations run after a restore create it.
 */
export function newSearchEpoch(live: Db | null, file: string): void {
  const db = live ?? new Database(file, dbOpts({ fileMustExist: true }));
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_epoch'").get();
    if (has) db.prepare('UPDATE search_epoch SET epoch = lower(hex(randomblob(16))) WHERE id = 1').run();
  } finally {
    if (!live) db.close();
  }
}

/** Anything changed since `mark`? data_version does not see this connection's own writes, so the audit's max id. */
export function changeMark(db: Db): string {
  const a = db.prepare('SELECT coalesce(max(id), 0) AS n FROM audit').get() as { n: number };
  const s = db.prepare('SELECT count(*) AS n, coalesce(sum(length(value)), 0) AS l FROM setting').get() as { n: number; l: number };
  return `${a.n}|${s.n}|${s.l}`;
}
