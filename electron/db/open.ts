import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
import { seedDatabase } from '../seed/build';
import { seedProjectsIfEmpty } from '../seed/projects';
import { backupsDir, createBackupSync } from './backup';

export class WorkbenchDbError extends Error {
  constructor(
    public code: 'NEWER_VERSION' | 'MIGRATION_FAILED' | 'LOCKED' | 'CORRUPT' | 'EXISTS' | 'OPEN_FAILED',
    message: string,
  ) {
    super(message);
  }
}

export interface OpenOptions {
  /** path of a better-sqlite3 build for another ABI (Electron) */
  nativeBinding?: string;
  /** build the plan from seeds/ when the database holds none yet */
  seedIfEmpty?: boolean;
  seedsDir?: string;
  /** migrations to apply (tests pass a prefix of the list) */
  migrations?: readonly Migration[];
  /** where the pre-migration backup goes; default: the rotating set in backups/ beside the database */
  backupDir?: string;
  /**
   * PRAGMA quick_check on opening: true always, false never, 'auto' (default) only for files up
   * to QUICK_CHECK_MAX_BYTES (see there for the measured times).
   */
  quickCheck?: boolean | 'auto';
}

/**
 * quick_check reads every page once, so its time grows with the file (measured with
 * `npm run reliability -- --large 300`: docs/bench.md). Above 1 GB the start-up
 * check is skipped rather than making the person wait; the online backups still catch damage.
 */
export const QUICK_CHECK_MAX_BYTES = 1024 * 1024 * 1024;

/** What the start-up check found (kept for the recovery screen and app.info). */
export interface OpenReport {
  quickCheckMs: number | null;
  migratedFrom: number | null;
  backup: string | null;
}
const reports = new WeakMap<Db, OpenReport>();
export function openReport(db: Db): OpenReport | undefined {
  return reports.get(db);
}

export const DEFAULT_SEEDS_DIR = path.resolve(__dirname, '..', '..', 'seeds');

function findSeedsDir(): string {
  // works from the sources (tsx) and from the bundled out/main
  const candidates = [DEFAULT_SEEDS_DIR, path.resolve(__dirname, '..', 'seeds'), path.resolve(process.cwd(), 'seeds')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'plan.txt'))) ?? DEFAULT_SEEDS_DIR;
}

/** Apply the pending migrations in one transaction, after a backup of a non-empty database. */
export function migrate(db: Db, file: string, opts: OpenOptions = {}): { from: number; to: number; backup: string | null } {
  const list = opts.migrations ?? MIGRATIONS;
  const latest = list.length ? list[list.length - 1].version : 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION || current > latest) {
    throw new WorkbenchDbError(
      'NEWER_VERSION',
      `数据库版本为 ${current}，高于本程序支持的版本 ${latest}：它由更新版本的工作台创建，请使用新版本打开，本程序不会改动它。`,
    );
  }
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return { from: current, to: current, backup: null };
  let backup: string | null = null;
  const hasTables = (db.prepare("SELECT count(*) n FROM sqlite_master WHERE type='table'").get() as { n: number }).n > 0;
  if (current > 0 && hasTables && file !== ':memory:') {
    // Synchronous on purpose: opening happens before anything else can run (CLI, bridge,
    // Electron's start-up), and better-sqlite3's online backup API is asynchronous only.
    // VACUUM INTO is SQLite's own consistent snapshot (one read transaction), not a file copy;
    // the file goes into the rotating set as kind before-migration, named with the time.
    backup = createBackupSync(db, file, 'before-migration', opts.backupDir ?? backupsDir(file)).file;
  }
  const run = db.transaction(() => {
    let v = current;
    for (const m of pending) {
      if (m.version !== v + 1) throw new Error(`迁移版本不连续：${v} → ${m.version}`);
      m.up(db);
      v = m.version;
    }
    db.pragma(`user_version = ${v}`);
    return v;
  });
  try {
    const to = run();
    return { from: current, to, backup };
  } catch (e) {
    throw new WorkbenchDbError('MIGRATION_FAILED', `数据库升级失败，数据和版本均未改变：${(e as Error).message}`);
  }
}

/** The pragmas every read-write connection to a workbench database needs (also a worker's). */
export function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // FULL, not NORMAL: in WAL mode NORMAL skips the fsync of the WAL at each commit, so a power
  // cut (office PCs) can roll back the last commits that were reported as saved. The cost of
  // FULL is one fsync per transaction; our writes are a person's edits, an import or a bulk edit,
  // each one transaction, so it is not measurable in use. We have no measured argument for
  // NORMAL, hence FULL.
  db.pragma('synchronous = FULL');
}

/** PRAGMA quick_check; a damaged file is refused as CORRUPT (the app then offers its recovery). */
function startupCheck(db: Db, file: string, mode: boolean | 'auto'): number | null {
  if (mode === false || file === ':memory:') return null;
  if (mode === 'auto') {
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (size > QUICK_CHECK_MAX_BYTES) return null;
  }
  const t0 = Date.now();
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  if (rows.length !== 1 || rows[0].quick_check !== 'ok') {
    throw new WorkbenchDbError(
      'CORRUPT',
      `数据库文件已损坏（完整性检查未通过：${rows.slice(0, 3).map((r) => r.quick_check).join('；')}）：${file}`,
    );
  }
  return Date.now() - t0;
}

/**
 * Everything after the connection exists: pragmas, start-up check, migrations, seeding. Also run
 * on the app's live connection after a restore replaced the file's content (the restored backup
 * may be from an older version).
 */
export function setUpOpenDb(db: Db, file: string, opts: OpenOptions = {}): void {
  configure(db);
  const quickCheckMs = startupCheck(db, file, opts.quickCheck ?? 'auto');
  const m = migrate(db, file, opts);
  reports.set(db, { quickCheckMs, migratedFrom: m.from !== m.to ? m.from : null, backup: m.backup });
  if (opts.seedIfEmpty) {
    const n = (db.prepare('SELECT count(*) n FROM plan_node').get() as { n: number }).n;
    if (n === 0) seedDatabase(db, opts.seedsDir ?? findSeedsDir());
  }
  // projects and targets came in version 3: a database that has the plan but none yet gets them
  seedProjectsIfEmpty(db, opts.seedsDir ?? findSeedsDir());
}

/** Open (creating if needed) a workbench database, migrate it, and seed it on first use. */
export function openWorkbenchDb(file: string, opts: OpenOptions = {}): Db {
  let db: Db;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  } catch (e) {
    throw new WorkbenchDbError('OPEN_FAILED', `无法打开数据库文件 ${file}：${(e as Error).message}`);
  }
  try {
    setUpOpenDb(db, file, opts);
    return db;
  } catch (e) {
    db.close();
    const err = e as Error & { code?: string };
    if (e instanceof WorkbenchDbError) throw e;
    if (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED') {
      throw new WorkbenchDbError('LOCKED', '数据库正被另一个程序使用（可能已打开另一个工作台窗口），请关闭后再试。');
    }
    if (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT') {
      throw new WorkbenchDbError('CORRUPT', `数据库文件已损坏或不是工作台数据库：${file}`);
    }
    throw e;
  }
}

/** `init`: create a new database from seeds/ (refuses to overwrite unless force). */
export function initWorkbenchDb(file: string, opts: OpenOptions & { force?: boolean } = {}): Db {
  if (fs.existsSync(file)) {
    if (!opts.force) throw new WorkbenchDbError('EXISTS', `文件已存在：${file}。如确需覆盖，请加 --force。`);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
  return openWorkbenchDb(file, { ...opts, seedIfEmpty: true });
}
