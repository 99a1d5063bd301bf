// Shared set-up of the sync tests: a real PostgreSQL cluster (pg-server.ts), a template database
// made by server-init from seeds/ with an office user and three departments' users, fresh server
// databases copied from it, copies cloned from a server with a person's own credentials, and
// field-by-field snapshots of a copy and of the server in the server's terms.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Database } from 'better-sqlite3';
import { openWorkbenchDb } from '../../electron/db/open';
import { syncQueries } from '../../electron/db/sync-queries';
import { connectServer } from '../../electron/server/connect';
import { loadServer } from '../../electron/server/load';
import { migrateServer } from '../../electron/server/schema';
import { createServerUser } from '../../electron/server/users';
import { cloneFromServer } from '../../electron/sync/engine';
import { toServerOp } from '../../electron/core/sync-fields';
import { contextFor, type ServiceContext } from '../../electron/core/context';
import { startCluster, type PgCluster } from './pg-server';

const ROOT = path.resolve(__dirname, '..', '..');
export const PASSWORD = 'correct horse 1';

/** The people of the tests: login, name, 单位, role. Departments by their seed names. */
export const PEOPLE = {
  office: { login: 'office_li', name: '李统筹', unit: '长株潭都市圈办', role: 'office' as const },
  fgw: { login: 'fgw_zhang', name: '张发改', unit: '省发展改革委', role: 'dept' as const },
  sthj: { login: 'sthj_wang', name: '王生态', unit: '省生态环境厅', role: 'dept' as const },
  jtt: { login: 'jtt_zhao', name: '赵交通', unit: '省交通运输厅', role: 'dept' as const },
};
export type Who = keyof typeof PEOPLE;

export interface SyncWorld {
  cluster: PgCluster;
  dir: string;
  /** a new server database copied from the template */
  newServer(name: string): string;
  url(db: string, who?: Who): string;
  close(): void;
}

export async function startWorld(): Promise<SyncWorld> {
  const cluster = await startCluster();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-sync-'));
  try {
    cluster.createDb('czt_template');
    const admin = await connectServer(cluster.url('czt_template'));
    const seed = openWorkbenchDb(':memory:', { seedIfEmpty: true });
    try {
      await migrateServer(admin);
      await loadServer(admin, seed);
      for (const p of Object.values(PEOPLE)) await createServerUser(admin, { ...p, password: PASSWORD });
    } finally {
      seed.close();
      await admin.end();
    }
  } catch (e) {
    // a failed set-up leaves no server running
    cluster.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    cluster,
    dir,
    newServer(name) {
      const r = cluster.psql('postgres', 'postgres', null, `CREATE DATABASE ${name} TEMPLATE czt_template`);
      if (r.status !== 0) throw new Error(r.stderr);
      return name;
    },
    url: (db, who) => (who ? cluster.url(db, PEOPLE[who].login, PASSWORD) : cluster.url(db)),
    close() {
      cluster.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A copy cloned from the server with this person's credentials, opened, with their identity. */
export async function cloneCopy(world: SyncWorld, db: string, who: Who, file = path.join(world.dir, `${db}-${who}.db`)): Promise<{ file: string; db: Database; ctx: ServiceContext }> {
  await cloneFromServer(file, world.url(db, who));
  const d = openWorkbenchDb(file);
  const ctx = contextFor(d);
  ctx.actor = { name: PEOPLE[who].name, unit: PEOPLE[who].unit };
  return { file, db: d, ctx };
}

export const MEASURE_FIELDS = ['leadIds', 'leadConfirmed', 'coIds', 'cities', 'deadline', 'status', 'progress', 'note'];
export const PROJECT_FIELDS = ['name', 'category', 'stage', 'startYear', 'endYear', 'totalInvestment', 'leadId', 'location', 'progressText', 'problems', 'taskId', 'cities', 'linkedTaskIds', 'deleted'];
export const DEPARTMENT_FIELDS = ['name', 'state', 'mergedInto'];

/** Every synced field of a copy, keyed "tbl row field", in the server's terms. */
export function localSnapshot(db: Database, years: number[] = [2021, 2022, 2023, 2024, 2025]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const put = (tbl: string, row: string, field: string) => {
    const v = syncQueries(db).localFieldValue(tbl, row, field) ?? null;
    const s = toServerOp(tbl, field, v, v);
    out.set(`${tbl} ${row} ${s.field}`, s.value);
  };
  for (const id of db.prepare('SELECT id FROM measure').pluck().all() as string[]) for (const f of MEASURE_FIELDS) put('measure', id, f);
  for (const id of db.prepare('SELECT id FROM project').pluck().all() as string[]) for (const f of PROJECT_FIELDS) put('project', id, f);
  for (const id of db.prepare('SELECT id FROM department').pluck().all() as number[]) for (const f of DEPARTMENT_FIELDS) put('department', String(id), f);
  for (const id of db.prepare('SELECT id FROM indicator').pluck().all() as string[]) {
    for (const y of years) for (const part of ['value', 'source', 'note']) put('indicator_actual', id, `${y}.${part}`);
  }
  return out;
}

/** The same fields read on the server through czt.field_get. */
export async function serverSnapshot(url: string, years: number[] = [2021, 2022, 2023, 2024, 2025]): Promise<Map<string, string | null>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      `WITH f AS (
         SELECT 'measure' AS tbl, id AS row_id, unnest($1::text[]) AS field FROM czt.measure
         UNION ALL SELECT 'project', id, unnest($2::text[]) FROM czt.project
         UNION ALL SELECT 'department', id::text, unnest($3::text[]) FROM czt.department
         UNION ALL SELECT 'indicator_actual', i.id, y || '.' || p FROM czt.indicator i, unnest($4::int[]) y, unnest(ARRAY['value','source','note']) p)
       SELECT tbl, row_id, field, czt.field_get(tbl, row_id, field) AS v FROM f`,
      [MEASURE_FIELDS.map((f) => (f === 'leadIds' ? 'leads' : f)), PROJECT_FIELDS, DEPARTMENT_FIELDS, years],
    );
    return new Map(r.rows.map((x: { tbl: string; row_id: string; field: string; v: string | null }) => [`${x.tbl} ${x.row_id} ${x.field}`, x.v]));
  } finally {
    await c.end();
  }
}

/** Keys whose values differ (an indicator's empty text and no text are the same). */
export function differences(a: Map<string, string | null>, b: Map<string, string | null>): string[] {
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    let x = a.get(k) ?? null;
    let y = b.get(k) ?? null;
    if (/^indicator_actual .* \d{4}\.(source|note)$/.test(k)) {
      x = x || null;
      y = y || null;
    }
    if (x !== y) out.push(`${k}: ${x} ≠ ${y}`);
  }
  return out;
}

/** Rows of a server table as the superuser sees them. */
export async function serverRows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/**
 * The CLI's `sync --db FILE --server URL` in a child process (the crash tests end it with
 * CZT_SYNC_KILL_AT, or hold it with CZT_SYNC_PAUSE_AT and call onPause).
 */
export function cliSync(file: string, url: string, env: Record<string, string>, onPause?: (pauseFile: string) => Promise<void>) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'cli.ts'), 'sync', '--db', file, '--server', url], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (onPause && env.CZT_SYNC_PAUSE_FILE) {
      const f = env.CZT_SYNC_PAUSE_FILE;
      const poll = setInterval(() => {
        if (fs.existsSync(f)) {
          clearInterval(poll);
          onPause(f).catch(reject);
        }
      }, 50);
      child.on('exit', () => clearInterval(poll));
    }
  });
}
