// The shared server's figures for `npm run bench` (part `sync`, issue 20 item 5), on a PostgreSQL
// cluster of its own (tests/sync/pg-server.ts) on loopback:
// - server-init --from a generated workbench database of N measures, and a clone of that server;
// - a push of 1,000 operations and a pull of 10,000 changes;
// - 50 copies pushing 200 operations each at once: every one applied or recorded as a conflict,
//   total time and p50/p95 per push.
// Clone, push and pull also give their CPU time: this process's (the copy) and the server's (its
// backends, read from /proc: Linux only), since on a shared machine the wall time says mostly
// how busy the other processes were.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDatabase } from '../electron/bench/generate';
import { loadAvg, median, now, percentile } from '../electron/bench/measure';
import { openWorkbenchDb } from '../electron/db/open';
import { connectServer } from '../electron/server/connect';
import { loadServer } from '../electron/server/load';
import { migrateServer } from '../electron/server/schema';
import { createServerUser } from '../electron/server/users';
import { contextFor } from '../electron/core/context';
import { applyEdits } from '../electron/services/measures';
import { cloneFromServer, pull, push } from '../electron/sync/engine';
import { startCluster } from '../tests/sync/pg-server';

export interface SyncRow {
  what: string;
  n: string;
  figure: string;
  peak: string;
  load: string;
  note?: string;
}

/** CPU time (ms) of the cluster's server processes so far: the postmaster, its ended children, the running ones. */
function serverCpuMs(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const stat = (p: number) => fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    const tick = 1000 / 100;
    const m = stat(pid);
    let t = Number(m[11]) + Number(m[12]) + Number(m[13]) + Number(m[14]);
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d) || Number(d) === pid) continue;
      try {
        const x = stat(Number(d));
        if (Number(x[1]) === pid) t += Number(x[11]) + Number(x[12]);
      } catch {
        // ended meanwhile: counted in the postmaster's children
      }
    }
    return t * tick;
  } catch {
    return null;
  }
}

/** Runs `f`, returning wall time and the CPU time of this process and of the server. */
async function timed<T>(dataDir: string, f: () => Promise<T>): Promise<{ r: T; ms: number; cpu: string }> {
  const s0 = serverCpuMs(dataDir);
  const c0 = process.cpuUsage();
  const t0 = now();
  const r = await f();
  const ms = now() - t0;
  const c = process.cpuUsage(c0);
  // an ended backend's time reaches its postmaster once it has been reaped
  await new Promise((res) => setTimeout(res, 200));
  const s1 = serverCpuMs(dataDir);
  const server = s0 !== null && s1 !== null ? `, server ${fmt(s1 - s0)}` : '';
  return { r, ms, cpu: `CPU: copy ${fmt((c.user + c.system) / 1000)}${server}` };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);
const PASSWORD = 'bench password';

export async function syncFigures(work: string, measures = 100_000, log: (s: string) => void = console.error): Promise<SyncRow[]> {
  const rows: SyncRow[] = [];
  const row = (what: string, n: number | string, figure: string, note?: string) => {
    rows.push({ what, n: String(n), figure, peak: '', load: loadAvg(), note });
    log(`${what} N=${n}: ${figure}${note ? ` (${note})` : ''}`);
  };
  const cluster = await startCluster();
  try {
    // ---- a server of N measures, its clone
    const gen = path.join(work, `sync-gen-${measures}.db`);
    generateDatabase(gen, { measures, projects: Math.max(100, Math.round(measures / 5)) });
    cluster.createDb('bench');
    const adminUrl = cluster.url('bench');
    const admin = await connectServer(adminUrl);
    const src = openWorkbenchDb(gen);
    let t = now();
    await migrateServer(admin);
    await loadServer(admin, src);
    row('server-init --from a workbench database (schema and plan)', measures, fmt(now() - t));
    src.close();
    await createServerUser(admin, { login: 'bench_office', name: '基准', unit: '长株潭都市圈办', role: 'office', password: PASSWORD });
    const url = cluster.url('bench', 'bench_office', PASSWORD);
    const a = path.join(work, 'sync-a.db');
    const b = path.join(work, 'sync-b.db');
    const dataDir = path.join(cluster.dir, 'data');
    const cl = await timed(dataDir, () => cloneFromServer(a, url));
    row('clone: the whole server into a new local copy', measures, fmt(cl.ms), `${cl.cpu}; ${(fs.statSync(a).size / 1048576).toFixed(0)} MB file`);
    await cloneFromServer(b, url);

    // ---- push of 1,000 operations, pull of 10,000 changes
    const da = openWorkbenchDb(a);
    const ca = contextFor(da);
    ca.actor = { name: '基准', unit: '长株潭都市圈办' };
    const ids = da.prepare('SELECT id FROM measure ORDER BY id').pluck().all() as string[];
    applyEdits(ca, ids.slice(0, 1000).map((id, i) => ({ measureId: id, patch: { progress: `进展 ${i}` } })), '基准');
    const client = await connectServer(url);
    const p1 = await timed(dataDir, () => push(ca, client));
    row('push: 1,000 operations (one copy, batches of 500)', measures, fmt(p1.ms), `${p1.cpu}; ${p1.r.pushed} applied`);
    const db2 = openWorkbenchDb(b);
    const cb = contextFor(db2);
    await pull(cb, client);
    applyEdits(ca, ids.slice(0, 10_000).map((id, i) => ({ measureId: id, patch: { note: `备注 ${i}` } })), '基准');
    await push(ca, client);
    const p2 = await timed(dataDir, () => pull(cb, client));
    row('pull: 10,000 changes into a copy (one transaction)', measures, fmt(p2.ms), `${p2.cpu}; ${p2.r.pulled} pulled`);
    da.close();
    db2.close();
    await client.end();

    // ---- 50 copies pushing 200 operations each at once (the plan as seeded: they collide)
    cluster.createDb('bench50');
    const admin50 = await connectServer(cluster.url('bench50'));
    const seed = openWorkbenchDb(':memory:', { seedIfEmpty: true });
    await migrateServer(admin50);
    await loadServer(admin50, seed);
    seed.close();
    await createServerUser(admin50, { login: 'bench_office', name: '基准', unit: '长株潭都市圈办', role: 'office', password: PASSWORD });
    const url50 = cluster.url('bench50', 'bench_office', PASSWORD);
    const first = path.join(work, 'sync50-0.db');
    await cloneFromServer(first, url50);
    const copies = [];
    for (let i = 0; i < 50; i++) {
      const f = path.join(work, `sync50-${i}-copy.db`);
      fs.copyFileSync(first, f);
      const d = openWorkbenchDb(f);
      d.prepare('UPDATE sync_state SET device = ? WHERE id = 1').run(`bench-device-${i}`);
      const c = contextFor(d);
      c.actor = { name: `基准${i}`, unit: '长株潭都市圈办' };
      const all = d.prepare('SELECT id FROM measure ORDER BY id').pluck().all() as string[];
      // 200 measures each (step 11 is prime to the 357 seeded), overlapping between copies: many conflict
      const mine = Array.from({ length: 200 }, (_, k) => all[(i * 37 + k * 11) % all.length]);
      applyEdits(c, [...new Set(mine)].map((id) => ({ measureId: id, patch: { progress: `副本 ${i} 的进展` } })), '基准');
      copies.push({ d, c, queued: d.prepare('SELECT count(*) FROM sync_outbox').pluck().get() as number });
    }
    const clients = await Promise.all(copies.map(() => connectServer(url50)));
    const times: number[] = [];
    let applied = 0;
    let conflicts = 0;
    t = now();
    await Promise.all(
      copies.map(async (x, i) => {
        const t0 = now();
        const r = await push(x.c, clients[i]);
        times.push(now() - t0);
        applied += r.pushed;
        conflicts += r.conflicts;
      }),
    );
    const total = now() - t;
    const queued = copies.reduce((s, x) => s + x.queued, 0);
    const [{ n }] = (await admin50.query('SELECT (SELECT count(*) FROM czt.change_log) + (SELECT count(*) FROM czt.conflict) AS n')).rows as { n: string }[];
    const lost = queued - Number(n);
    row(
      '50 copies pushing at once (loopback), per push / all',
      `${copies.length} × ${Math.round(queued / copies.length)} ops`,
      `p50 ${fmt(percentile(times, 50))}, p95 ${fmt(percentile(times, 95))} / ${fmt(total)}`,
      `${applied} applied, ${conflicts} conflicts, ${lost} lost; median ${fmt(median(times))}`,
    );
    for (const x of copies) x.d.close();
    await Promise.all(clients.map((c) => c.end()));
    await admin50.end();
    await admin.end();
  } finally {
    cluster.destroy();
  }
  return rows;
}

// run alone: npx tsx scripts/bench-sync.ts [N measures]
if (require.main === module) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-bench-sync-'));
  syncFigures(work, Number(process.argv[2] ?? 100_000))
    .then((rows) => {
      for (const r of rows) process.stdout.write(`| ${r.what} | ${r.n} | ${r.figure} | ${r.load} | ${r.note ?? ''} |\n`);
    })
    .finally(() => fs.rmSync(work, { recursive: true, force: true }));
}
