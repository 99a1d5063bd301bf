// `npm run cli -- <command>`: the workbench's services from a terminal.
// stdout carries only the result; errors go to stderr in Chinese with a non-zero exit.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { initWorkbenchDb, openWorkbenchDb, WorkbenchDbError } from './db/open';
import { contextFor, publicErrorMessage, ServiceError } from './core/context';
import { dumpDatabase } from './services/dump';
import { findDepartment } from './services/departments';
import { produceExport, recordExport, startImport, type ExportRequest } from './ipc/transfers';
import { UNCONFIRMED_MODES, type UnconfirmedMode } from '../shared/ledger';
import { applyImport } from './import';
import { EXPORT_KINDS, type ExportKind } from '../shared/ipc/contract';
import { CITIES, STATUSES, isIsoDate, type City, type MeasurePatch } from '../shared/domain';
import { LIST_SPLIT_RE } from '../shared/ledger';
import { backupDatabase } from './db/backup';
import { restoreDatabase } from './services/backup';
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN, PROJECT_CATEGORIES } from '../shared/projects';
import { generateDatabase } from './bench/generate';
import { createDraft, listDrafts } from './services/drafts';
import { DRAFT_FIELDS, type DraftField } from '../shared/drafts';
import { isRoundCommand, ROUND_USAGE } from './round-commands';
import { SERVER_COMMANDS } from './sync/commands';

const USAGE = `用法：npm run cli -- <命令> [选项]
  init  --db 文件 [--force]        由 seeds/ 新建工作台数据库（已存在时需 --force 才覆盖）
  dump  --db 文件                  以 JSON 输出整个数据库
  set   --db 文件 --measure 编号 [--lead 部门、部门（共同牵头，第一个为主责）] [--co 部门,部门] [--cities 长沙市,株洲市]
        [--deadline YYYY-MM-DD] [--status 未启动|推进中|已完成|滞后] [--progress 文本] [--note 文本]
        [--user 姓名] [--unit 单位]   修改一条措施的分工（与界面同一校验和审计）
  export --db 文件 --kind allocation.docx|briefing.docx|dept-letter.docx|ledger.xlsx|projects.xlsx|indicators.xlsx
        --out 文件 [--dept 部门] [--city 城市] [--chapter 章号] [--role lead|co|all] [--date YYYY-MM-DD]
        [--category 类别] [--year YYYY] [--draft 草稿编号] [--unconfirmed mark|omit|plain]
                                   导出任务分工方案、工作进展情况报告、部门任务清单、台账、项目台账或指标表；
                                   special-plan.docx、draft-tables.xlsx 须用 --draft 指定方案草稿；
                                   未确认的建议牵头单位默认标注“（建议）”（mark），omit 不列出，plain 照原样输出
  drafts --db 文件                 以 JSON 列出专项推进方案、行动计划草稿
  draft-new --db 文件 --field 生态环境|基础设施|产业发展|国土空间|公共服务|对外开放 [--city 城市] [--title 标题]
        [--user 姓名] [--unit 单位]   按标准模板新建预填的领域方案草稿（--city：只含该市承担的措施），输出 {id}
  import --db 文件 --in 文件 [--dry-run] [--on-conflict keep|take] [--user 姓名] [--unit 单位]
                                   导入部门报回的台账：先校验和比对，有错误则不写入任何内容
  backup --db 文件 --out 文件      用 SQLite 在线备份把数据库备份到 --out（不覆盖已有文件）
  restore --db 文件 --from 文件    用备份恢复数据库：先检查备份，并把当前数据另存为恢复前备份
  generate --db 文件 --measures N --projects M [--seed S]
                                   生成用于性能测试的大型数据库（覆盖已有文件；同一 seed 内容相同）
  server-init --server 连接串 [--from 文件]
                                   在协同服务器（PostgreSQL）上建立或升级共享数据结构，并载入规划
                                   （默认由 seeds/ 生成，或取自 --from 指定的工作台数据库）；可重复运行
  server-user --server 连接串 --login 登录名 --name 姓名 --unit 单位 --role office|dept --password-file 文件
                                   新建或更新一名用户的登录角色（部门用户归入本部门的角色）
  sync  --db 文件 [--server 连接串]  上传本机修改并接收服务器上的变更，输出 {pushed, pulled, conflicts}；
                                   文件不存在时从服务器复制一份新的本地副本
${ROUND_USAGE}`;

class CliError extends Error {}

/** options that take several values (round-collect --in a.xlsx b.xlsx) */
const MULTI = new Set(['in']);

function parseArgs(argv: string[]): { cmd: string; opts: Map<string, string | true>; lists: Map<string, string[]> } {
  const [cmd = '', ...rest] = argv;
  const opts = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new CliError(`无法识别的参数：${a}`);
    const key = a.slice(2);
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) opts.set(key, true);
    else {
      opts.set(key, next);
      i++;
      const all = [next];
      while (MULTI.has(key) && rest[i + 1] !== undefined && !rest[i + 1].startsWith('--')) all.push(rest[++i]);
      lists.set(key, all);
    }
  }
  return { cmd, opts, lists };
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
  const { cmd, opts, lists } = parseArgs(argv);
  if (!cmd || cmd === 'help' || opts.has('help')) {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  if ((SERVER_COMMANDS as readonly string[]).includes(cmd)) {
    // node-postgres and the server code load only for these commands (docs/bench.md: the CLI's start-up)
    const { runServerCommand } = await import('./sync/cli');
    return runServerCommand(cmd, opts, (line) => process.stdout.write(line + '\n'));
  }
  const dbFile = path.resolve(str(opts, 'db', true)!);
  if (cmd === 'generate') {
    const count = (key: string) => {
      const v = Number(str(opts, key, true));
      if (!Number.isInteger(v) || v < 0 || v > 10_000_000) throw new CliError(`--${key} 应为 0 到 10000000 的整数`);
      return v;
    };
    const seedText = str(opts, 'seed');
    const seed = seedText !== undefined ? Number(seedText) : undefined;
    if (seed !== undefined && !Number.isInteger(seed)) throw new CliError('--seed 应为整数');
    const r = generateDatabase(dbFile, { measures: count('measures'), projects: count('projects'), seed });
    process.stdout.write(JSON.stringify({ measures: r.measures, projects: r.projects, auditRows: r.auditRows, seconds: r.seconds }) + '\n');
    return 0;
  }
  if (cmd === 'init') {
    const db = initWorkbenchDb(dbFile, { force: opts.has('force') });
    const n = contextFor(db).q.measureCount();
    db.close();
    process.stdout.write(JSON.stringify({ db: dbFile, measures: n }) + '\n');
    return 0;
  }
  if (cmd === 'restore') {
    const from = path.resolve(str(opts, 'from', true)!);
    if (!fs.existsSync(from)) throw new CliError(`备份文件不存在：${from}`);
    const r = await restoreDatabase(dbFile, from);
    // bring the restored data to this version (a before-migration backup is taken if needed)
    const db = openWorkbenchDb(dbFile);
    const version = db.pragma('user_version', { simple: true }) as number;
    const measures = contextFor(db).q.measureCount();
    db.close();
    process.stdout.write(JSON.stringify({ db: dbFile, restoredFrom: r.restoredFrom, keptAs: r.keptAs, damagedMovedTo: r.brokenAside, version, measures }) + '\n');
    return 0;
  }
  if (!fs.existsSync(dbFile)) throw new CliError(`数据库文件不存在：${dbFile}（可先运行 init）`);
  if (cmd === 'backup') {
    const out = path.resolve(str(opts, 'out', true)!);
    if (out === dbFile) throw new CliError('--out 不能是数据库文件本身');
    if (fs.existsSync(out)) throw new CliError(`文件已存在：${out}，备份不会覆盖已有文件`);
    const db = openWorkbenchDb(dbFile);
    try {
      const r = await backupDatabase(db, out);
      process.stdout.write(JSON.stringify({ db: dbFile, out: r.file, bytes: r.bytes, ms: r.ms }) + '\n');
      return 0;
    } finally {
      db.close();
    }
  }
  const db = openWorkbenchDb(dbFile);
  try {
    const ctx = contextFor(db);
    if (isRoundCommand(cmd, opts.get('kind'))) {
      // the rounds' commands and the documents they write load only for these (docs/bench.md: the CLI's start-up)
      const { runRoundCommand } = await import('./cli-rounds');
      const round = await runRoundCommand(cmd, opts, lists, ctx);
      if (round !== null) return round;
    }
    if (cmd === 'dump') {
      process.stdout.write(JSON.stringify(dumpDatabase(ctx), null, 2) + '\n');
      return 0;
    }
    if (cmd === 'drafts') {
      process.stdout.write(JSON.stringify(listDrafts(ctx, opts.has('all')), null, 2) + '\n');
      return 0;
    }
    if (cmd === 'draft-new') {
      const field = str(opts, 'field', true)!;
      if (!(DRAFT_FIELDS as readonly string[]).includes(field)) throw new CliError(`--field 应为 ${DRAFT_FIELDS.join('|')}`);
      const cityName = str(opts, 'city');
      const title = str(opts, 'title');
      ctx.actor = { name: str(opts, 'user') ?? `命令行（${os.userInfo().username}）`, unit: str(opts, 'unit') ?? '命令行' };
      const d = createDraft(ctx, {
        kind: 'field',
        field: field as DraftField,
        city: cityName !== undefined ? cityOf(cityName) : undefined,
        title: title?.trim() || undefined,
        template: 'standard',
      });
      process.stdout.write(JSON.stringify({ id: d.id }) + '\n');
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
      // a 、/,-separated list: the first is 主责, the others lead jointly
      if (lead !== undefined) patch.leadIds = lead.trim() === '' || lead.trim() === '无' ? [] : lead.split(LIST_SPLIT_RE).map((x) => x.trim()).filter(Boolean).map(dept);
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
      // every channel's handlers (the rounds' among them) load only for this command
      const { createDispatcher } = await import('./ipc/router');
      const dispatch = createDispatcher(db, { shell: 'web', dbPath: dbFile, version: '' });
      const res = await dispatch('measures.applyEdits', { edits: [{ measureId: id, patch }], op: '命令行修改' });
      if (!res.ok) throw new CliError(res.error.message);
      const m = dumpDatabase(ctx)
        .chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)))
        .find((x) => x.id === id);
      process.stdout.write(JSON.stringify(m, null, 2) + '\n');
      return 0;
    }
    if (cmd === 'export') {
      const kind = str(opts, 'kind', true)!;
      if (!(EXPORT_KINDS as readonly string[]).includes(kind)) throw new CliError(`--kind 应为 ${EXPORT_KINDS.join('|')}`);
      const out = path.resolve(str(opts, 'out', true)!);
      const deptName = str(opts, 'dept');
      const dept = deptName !== undefined ? findDepartment(ctx, deptName) : undefined;
      if (deptName !== undefined && !dept) throw new CliError(`没有名为“${deptName}”的部门`);
      const cityName = str(opts, 'city');
      const chapterText = str(opts, 'chapter');
      const chapter = chapterText !== undefined ? Number(chapterText) : undefined;
      if (chapter !== undefined && !(Number.isInteger(chapter) && chapter >= 1 && chapter <= 9)) throw new CliError('--chapter 应为 1 到 9');
      const role = str(opts, 'role');
      if (role !== undefined && role !== 'lead' && role !== 'co' && role !== 'all') throw new CliError('--role 应为 lead（牵头）、co（配合）或 all');
      const date = str(opts, 'date');
      if (date !== undefined && !isIsoDate(date)) throw new CliError('--date 应为有效的 YYYY-MM-DD');
      if (kind === 'dept-letter.docx' && !dept) throw new CliError('部门任务清单须用 --dept 指定部门');
      const draftText = str(opts, 'draft');
      const draftId = draftText !== undefined ? Number(draftText) : undefined;
      if (draftId !== undefined && !(Number.isInteger(draftId) && draftId > 0)) throw new CliError('--draft 应为方案草稿编号（正整数）');
      if ((kind === 'special-plan.docx' || kind === 'draft-tables.xlsx') && draftId === undefined) throw new CliError('导出方案草稿须用 --draft 指定草稿编号');
      const category = str(opts, 'category');
      if (category !== undefined && !(PROJECT_CATEGORIES as readonly string[]).includes(category)) {
        throw new CliError(`--category 应为 ${PROJECT_CATEGORIES.join('、')}`);
      }
      const yearText = str(opts, 'year');
      const year = yearText !== undefined ? Number(yearText) : undefined;
      if (year !== undefined && !(Number.isInteger(year) && year >= PLAN_YEAR_MIN && year <= PLAN_YEAR_MAX)) {
        throw new CliError(`--year 应为 ${PLAN_YEAR_MIN} 到 ${PLAN_YEAR_MAX}`);
      }
      const unconfirmed = str(opts, 'unconfirmed') ?? 'mark';
      if (!(UNCONFIRMED_MODES as readonly string[]).includes(unconfirmed)) throw new CliError('--unconfirmed 应为 mark（标注“建议”）、omit（不列出未确认的牵头单位）或 plain（照原样输出）');
      const req: ExportRequest = {
        kind: kind as ExportKind,
        deptId: dept?.id,
        city: cityName !== undefined ? cityOf(cityName) : undefined,
        chapter,
        role,
        date,
        category,
        year,
        draftId,
        unconfirmed: unconfirmed as UnconfirmedMode,
      };
      const file = await produceExport(ctx, req);
      const suggested = file.suggested;
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, file.buffer);
      recordExport(ctx, file);
      process.stdout.write(JSON.stringify({ out, rows: file.rows, bytes: file.buffer.length }) + '\n');
      // a guess must not leave unnoticed: say on stderr what became of the suggested leads
      if (suggested) {
        process.stderr.write(
          unconfirmed === 'mark'
            ? `已将 ${suggested} 项未确认的建议牵头单位标注为“建议”\n`
            : unconfirmed === 'omit'
              ? `${suggested} 项措施的牵头单位为未确认的建议，未列出\n`
              : `注意：${suggested} 项措施的牵头单位为未确认的建议，已按原样输出（--unconfirmed plain）\n`,
        );
      }
      return 0;
    }
    if (cmd === 'import') {
      const inFile = path.resolve(str(opts, 'in', true)!);
      if (!fs.existsSync(inFile)) throw new CliError(`文件不存在：${inFile}`);
      const onConflict = str(opts, 'on-conflict') ?? 'keep';
      if (onConflict !== 'keep' && onConflict !== 'take') throw new CliError('--on-conflict 应为 keep（保留本库的值）或 take（采用台账的值）');
      const size = fs.statSync(inFile).size;
      if (size > 50 * 1024 * 1024) throw new CliError(`文件过大（${(size / 1048576).toFixed(1)} MB），台账文件不能超过 50 MB`);
      // read and compared in a worker under the app's time and memory limits (startImport, as the
      // 导入 page): a hostile file gets the same Chinese refusal, never a dead process
      const { previewId, ...preview } = await startImport(ctx, path.basename(inFile), fs.readFileSync(inFile));
      void previewId;
      if (opts.has('dry-run') || preview.errors.length > 0) {
        process.stdout.write(JSON.stringify(preview.summary, null, 2) + '\n');
        if (preview.errors.length > 0) process.stderr.write(`错误：台账中有 ${preview.errors.length} 处错误，未写入任何内容\n`);
        return preview.errors.length > 0 ? 1 : 0;
      }
      ctx.actor = { name: str(opts, 'user') ?? `命令行（${os.userInfo().username}）`, unit: str(opts, 'unit') ?? '命令行' };
      const summary = applyImport(ctx, preview, { onConflict });
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
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
    process.stderr.write(`错误：${known ? (e as Error).message : `未预料的错误：${publicErrorMessage(e)}`}\n`);
    process.exitCode = known ? 1 : 3;
  },
);
