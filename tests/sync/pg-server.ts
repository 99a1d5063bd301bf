// A throwaway PostgreSQL cluster for the sync tests: initdb in a temporary folder, its own free
// port on 127.0.0.1, stopped (and the folder removed) afterwards. PostgreSQL refuses to run as
// root, so as root (CI) the cluster belongs to the `postgres` user and is run through runuser.
// Authentication: the superuser `postgres` by trust (the tests' own administration), every other
// role by SCRAM password, as on a real server.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function pgBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && Number(v) >= 14 && fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): string {
  const cmd = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  return execFileSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface PgCluster {
  port: number;
  dir: string;
  bin: string;
  /** connection string for a role (the superuser postgres by default) to a database */
  url(db: string, user?: string, password?: string): string;
  createDb(name: string): void;
  /** run SQL through psql as a role with its password; returns {status, stdout, stderr} */
  psql(db: string, user: string, password: string | null, sql: string): { status: number; stdout: string; stderr: string };
  start(): void;
  stop(mode?: 'fast' | 'immediate'): void;
  destroy(): void;
}

export async function startCluster(): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL (14 or later) not installed: apt-get install postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-pg-'));
  fs.chmodSync(dir, 0o700);
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  fs.writeFileSync(
    path.join(data, 'pg_hba.conf'),
    ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'),
  );
  if (asRoot) execFileSync('chown', ['postgres:postgres', path.join(data, 'pg_hba.conf')]);
  const port = await freePort();
  const start = () =>
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-w',
      '-l',
      path.join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=120`,
      'start',
    ]);
  start();
  let stopped = false;
  const cluster: PgCluster = {
    port,
    dir,
    bin,
    url: (db, user = 'postgres', password) =>
      `postgresql://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${encodeURIComponent(db)}`,
    createDb(name) {
      run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
    },
    psql(db, user, password, sql) {
      const r = spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-A', '-t', '-c', sql], {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: password ?? '', PGCONNECT_TIMEOUT: '5' },
      });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    start() {
      start();
      stopped = false;
    },
    stop(mode = 'fast') {
      if (stopped) return;
      run(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-m', mode, 'stop']);
      stopped = true;
    },
    destroy() {
      try {
        cluster.stop('immediate');
      } catch {
        /* already down */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
