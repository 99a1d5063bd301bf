// `npm run cli -- <command>`: the workbench's services from a terminal.
// stdout carries only the result; errors go to stderr in Chinese with a non-zero exit.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { initWorkbenchDb, openWorkbenchDb, WorkbenchDbError } from './db/open';
import { contextFor, ServiceError } from './services/context';
import { dumpDatabase } from './services/dump';
import { findDepartment } from './services/departments';
import { createDispatcher } from './services/dispatch';
import { CITIES, STATUSES, type City, type MeasurePatch } from '../shared/domain';
import { LIST_SPLIT_RE } from '../shared/ledger';

const USAGE = `用法：npm run cli -- <命令> [选项]
  init  --db 文件 [--force]        由 seeds/ 新建工作台数据库（已存在时需 --force 才覆盖）
  dump  --db 文件                  以 JSON 输出整个数据库
  set   --db 文件 --measure 编号 [--lead 部门] [--co 部门,部门] [--cities 长沙市,株洲市]
        [--deadline YYYY-MM-DD] [--status 未启动|推进中|已完成|滞后] [--progress 文本] [--note 文本]
        [--user 姓名] [--unit 单位]   修改一条措施的分工（与界面同一校验和审计）`;

class CliError extends Error {}

function parseArgs(argv: string[]): { cmd: string; opts: Map<string, string | true> } {
  const [cmd = '', ...rest] = argv;
  const opts = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new CliError(`无法识别的参数：${a}`);
    const key = a.slice(2);
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) opts.set(key, true);
    else {
      opts.set(key, next);
      i++;
    }
  }
  return { cmd, opts };
}

function str(opts: Map<string, string | true>, key: string, required = false): string | undefined {
  const v = opts.get(key);
  if (v === true) throw new CliError(`--${key} 需要一个值`);
  if (v === undefined && required) throw new CliError(`缺少 --${key}`);
  return v;
}

const cityOf = (s: string): City => {
  const c = CITIES.find((x) => x === s || x.slice(0, 2) === s);
  if (!c) throw new CliError(`无法识别的城市：“${s}”，应为 ${CITIES.join('、')}`);
  return c;
};

async function main(argv: string[]): Promise<number> {
  const { cmd, opts } = parseArgs(argv);
  if (!cmd || cmd === 'help' || opts.has('help')) {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const dbFile = path.resolve(str(opts, 'db', true)!);
  if (cmd === 'init') {
    const db = initWorkbenchDb(dbFile, { force: opts.has('force') });
    const n = (db.prepare('SELECT count(*) n FROM measure').get() as { n: number }).n;
    db.close();
    process.stdout.write(JSON.stringify({ db: dbFile, measures: n }) + '\n');
    return 0;
  }
  if (!fs.existsSync(dbFile)) throw new CliError(`数据库文件不存在：${dbFile}（可先运行 init）`);
  const db = openWorkbenchDb(dbFile);
  try {
    const ctx = contextFor(db);
    if (cmd === 'dump') {
      process.stdout.write(JSON.stringify(dumpDatabase(ctx), null, 2) + '\n');
      return 0;
    }
    if (cmd === 'set') {
      const id = str(opts, 'measure', true)!;
      const patch: MeasurePatch = {};
      const lead = str(opts, 'lead');
      const dept = (name: string) => {
        const d = findDepartment(ctx, name);
        if (!d) throw new CliError(`没有名为“${name}”的部门`);
        return d.id;
      };
      if (lead !== undefined) patch.leadId = lead === '' || lead === '无' ? null : dept(lead);
      const co = str(opts, 'co');
      if (co !== undefined) patch.coIds = co.split(LIST_SPLIT_RE).filter(Boolean).map(dept);
      const cities = str(opts, 'cities');
      if (cities !== undefined) patch.cities = cities.split(LIST_SPLIT_RE).filter(Boolean).map(cityOf);
      const deadline = str(opts, 'deadline');
      if (deadline !== undefined) patch.deadline = deadline === '' ? null : deadline;
      const status = str(opts, 'status');
      if (status !== undefined) {
        if (!(STATUSES as readonly string[]).includes(status)) throw new CliError(`状态应为 ${STATUSES.join('、')}`);
        patch.status = status as MeasurePatch['status'];
      }
      const progress = str(opts, 'progress');
      if (progress !== undefined) patch.progress = progress;
      const note = str(opts, 'note');
      if (note !== undefined) patch.note = note;
      if (Object.keys(patch).length === 0) throw new CliError('没有要修改的字段（--lead、--co、--cities、--deadline、--status、--progress、--note）');
      ctx.actor = { name: str(opts, 'user') ?? `命令行（${os.userInfo().username}）`, unit: str(opts, 'unit') ?? '命令行' };
      const dispatch = createDispatcher(db, { shell: 'web', dbPath: dbFile, version: '' });
      const res = await dispatch('measures.applyEdits', { edits: [{ measureId: id, patch }], op: '命令行修改' });
      if (!res.ok) throw new CliError(res.error.message);
      const m = dumpDatabase(ctx)
        .chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)))
        .find((x) => x.id === id);
      process.stdout.write(JSON.stringify(m, null, 2) + '\n');
      return 0;
    }
    throw new CliError(`未知命令：${cmd}\n${USAGE}`);
  } finally {
    db.close();
  }
}

// exitCode, not exit(): a piped stdout must be flushed before the process ends
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const known = e instanceof CliError || e instanceof WorkbenchDbError || e instanceof ServiceError;
    process.stderr.write(`错误：${known ? (e as Error).message : `未预料的错误：${(e as Error).message}`}\n`);
    process.exitCode = known ? 1 : 3;
  },
);
