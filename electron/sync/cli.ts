// The CLI's shared-server commands (electron/cli.ts hands them over): server-init, server-user and
// sync. Output is one line of JSON on stdout, as the other commands.
import fs from 'node:fs';
import path from 'node:path';

import { openWorkbenchDb, DEFAULT_SEEDS_DIR } from '../db/open';
import { ServiceError } from '../core/context';
import { syncFile } from './engine';
import { connectServer } from '../server/connect';
import { loadServer } from '../server/load';
import { migrateServer } from '../server/schema';
import { createServerUser } from '../server/users';

type Opts = Map<string, string | true>;

function need(opts: Opts, key: string): string {
  const v = opts.get(key);
  if (v === undefined || v === true) throw new ServiceError('VALIDATION', `缺少 --${key}`);
  return v;
}

/** The seeds folder beside the sources or the built program. */
function seedsDir(): string {
  const c = [DEFAULT_SEEDS_DIR, path.resolve(process.cwd(), 'seeds')];
  return c.find((d) => fs.existsSync(path.join(d, 'plan.txt'))) ?? DEFAULT_SEEDS_DIR;
}

import { SERVER_COMMANDS } from './commands';
export { SERVER_COMMANDS };

export async function runServerCommand(cmd: string, opts: Opts, out: (line: string) => void): Promise<number> {
  if (cmd === 'server-init') {
    const url = need(opts, 'server');
    const from = opts.get('from');
    if (from === true) throw new ServiceError('VALIDATION', '--from 需要一个工作台数据库文件');
    if (from !== undefined && !fs.existsSync(from)) throw new ServiceError('VALIDATION', `文件不存在：${from}`);
    const client = await connectServer(url);
    // from seeds/: the seed builder into a database in memory, the same copy routine as --from
    const db = from !== undefined ? openWorkbenchDb(path.resolve(from)) : openWorkbenchDb(':memory:', { seedIfEmpty: true, seedsDir: seedsDir() });
    try {
      const m = await migrateServer(client);
      const l = await loadServer(client, db);
      out(JSON.stringify({ schemaFrom: m.from, schemaTo: m.to, loaded: l.loaded, measures: l.measures, departments: l.departments, projects: l.projects }));
      return 0;
    } finally {
      db.close();
      await client.end().catch(() => {});
    }
  }
  if (cmd === 'server-user') {
    const url = need(opts, 'server');
    const role = need(opts, 'role');
    if (role !== 'office' && role !== 'dept') throw new ServiceError('VALIDATION', '--role 应为 office（统筹办公室）或 dept（部门）');
    const pwFile = need(opts, 'password-file');
    if (!fs.existsSync(pwFile)) throw new ServiceError('VALIDATION', `密码文件不存在：${pwFile}`);
    const password = fs.readFileSync(pwFile, 'utf8').replace(/\r?\n$/, '');
    const client = await connectServer(url);
    try {
      const r = await createServerUser(client, { login: need(opts, 'login'), name: need(opts, 'name'), unit: need(opts, 'unit'), role, password });
      out(JSON.stringify(r));
      return 0;
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (cmd === 'sync') {
    const file = path.resolve(need(opts, 'db'));
    const url = opts.get('server');
    if (url === true) throw new ServiceError('VALIDATION', '--server 需要一个连接串');
    const r = await syncFile(file, url);
    out(JSON.stringify({ pushed: r.pushed, pulled: r.pulled, conflicts: r.conflicts }));
    return 0;
  }
  throw new ServiceError('VALIDATION', `未知命令：${cmd}`);
}

