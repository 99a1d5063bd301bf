// Shared test fixtures for a database on disk: a fresh workbench database (the seeded plan in a new
// temporary folder, someone signed in) and a generated ledger of any size (electron/bench/generate.ts),
// so that test files do not each carry their own copy of the set-up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { generateDatabase, type GenerateOptions, type GenerateResult } from '../../electron/bench/generate';
import { initWorkbenchDb, openWorkbenchDb } from '../../electron/db/open';
import { contextFor, type ServiceContext } from '../../electron/core/context';
import { setIdentity } from '../../electron/services/settings';
import type { UserIdentity } from '../../shared/domain';

/** A new empty folder under the system's temporary folder; `name` says whose it is when one is left behind. */
function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `czt-${name}-`));
}

export interface FreshDb {
  /** the temporary folder holding the database (exports and backups may go here too) */
  dir: string;
  /** the database file, `w.db` in `dir` */
  file: string;
  db: Database;
  ctx: ServiceContext;
  /** closes the database and removes `dir` */
  close(): void;
}

export interface FreshDbOptions {
  /**
   * who is signed in (audit rows carry the name); by default 测试员 of 省发展改革委; null leaves
   * nobody signed in, as before the first start's question
   */
  identity?: UserIdentity | null;
  /** the temporary folder's name prefix, to tell whose folder a left-over one is */
  prefix?: string;
}

let template: string | null = null;

/**
 * A fresh workbench database, as the app builds one from seeds/ on first start, in a temporary
 * folder of its own, with `identity` signed in. Seeding the plan is the slow part, so it is done
 * once per test process into a template that each call copies. A string is taken as the prefix.
 */
export function freshDb(opts: FreshDbOptions | string = {}): FreshDb {
  const { identity = { name: '测试员', unit: '省发展改革委' }, prefix = 'czt-db-' } = typeof opts === 'string' ? { prefix: opts } : opts;
  if (!template || !fs.existsSync(template)) {
    const t = path.join(tempDir('template'), 'template.db');
    const db = initWorkbenchDb(t);
    // the whole database in the one file, so that a copy of that file is all of it
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    template = t;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'w.db');
  fs.copyFileSync(template, file);
  const db = openWorkbenchDb(file);
  const ctx = contextFor(db);
  if (identity) setIdentity(ctx, identity);
  return {
    dir,
    file,
    db,
    ctx,
    close() {
      try {
        db.close();
      } catch {
        /* closed already */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface GeneratedLedger {
  /** the folder holding this copy */
  dir: string;
  /** the database file in `dir`, closed: open it as the test needs (read-only, a worker, the bridge) */
  file: string;
  /** what the generator made (counts, audit rows) */
  generated: GenerateResult;
}

const generatedOnce = new Map<string, { file: string; generated: GenerateResult }>();

/**
 * A generated ledger (the plan's measures plus `measures` generated ones, `projects` projects, a
 * history of edits) as a file of its own, in `dir` or a new temporary folder. The same options give
 * the same database (the generator is deterministic for a seed), so within one test process it is
 * generated once and each call gets its own copy, free to change.
 */
export function generatedLedger(opts: GenerateOptions & { dir?: string; prefix?: string }): GeneratedLedger {
  const { dir: into, prefix = 'czt-gen-', ...gen } = opts;
  const key = JSON.stringify([gen.measures, gen.projects, gen.seed ?? null, gen.seedsDir ?? null]);
  let source = generatedOnce.get(key);
  if (!source) {
    const file = path.join(tempDir('gen-src'), 'g.db');
    source = { file, generated: generateDatabase(file, gen) };
    generatedOnce.set(key, source);
  }
  const dir = into ?? fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'g.db');
  fs.copyFileSync(source.file, file);
  return { dir, file, generated: source.generated };
}

// the template and the generated sources are this process's own: gone when it ends
process.once('exit', () => {
  for (const f of [template, ...[...generatedOnce.values()].map((s) => s.file)]) {
    if (f) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  }
});
