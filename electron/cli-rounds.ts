// The 调度轮次 commands of the CLI (issue 18): round-new, round-distribute, round-collect,
// round-review, round-status, round-close, round-compare, round-rules, and the round documents of
// `export` (round-briefing.docx, round-scores.xlsx, reminder.docx). The same services as the app;
// stdout carries only JSON, refusals are Chinese on stderr.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError, type ServiceContext } from './core/context';
import { findDepartment } from './services/departments';
import { closeRound, compareRounds, createRound, getScoreRules, reviewRound, roundRow, roundStatus, setScoreRules, rq } from './services/rounds';
import { buildReminders, collectRoundFiles, distributeRound, readCollectInputs, recordReminder } from './import/round-files';
import { buildReturnNotice, buildRoundBriefing } from './export/docx/rounds';
import { exportRoundScores } from './export/xlsx/round-scores';
import type { ScoreRules } from '../shared/rounds';
import type { DraftField } from '../shared/drafts';
import { addEvidence, addEvidenceByName, listEvidence, MEASURE_PREFIX } from './import/evidence';
import { ROUND_EXPORT_KINDS } from './round-commands';

type Opts = Map<string, string | true>;

function str(opts: Opts, key: string, required = false): string | undefined {
  const v = opts.get(key);
  if (v === true) throw new ServiceError('VALIDATION', `--${key} 需要一个值`);
  if (v === undefined && required) throw new ServiceError('VALIDATION', `缺少 --${key}`);
  return v;
}

function intOpt(opts: Opts, key: string): number {
  const s = str(opts, key, true)!;
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) throw new ServiceError('VALIDATION', `--${key} 应为正整数，现为“${s}”`);
  return n;
}

function deptOpt(ctx: ServiceContext, opts: Opts): number | undefined {
  const name = str(opts, 'dept');
  if (name === undefined) return undefined;
  const d = findDepartment(ctx, name);
  if (!d) throw new ServiceError('NOT_FOUND', `没有名为“${name}”的部门`);
  return d.id;
}

function setActor(ctx: ServiceContext, opts: Opts): void {
  ctx.actor = { name: str(opts, 'user') ?? `命令行（${os.userInfo().username}）`, unit: str(opts, 'unit') ?? '命令行' };
}

const print = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');

/**
 * Run a round command; null when `cmd` is none of them (or an export of another kind), for the
 * caller to go on. `lists` holds every value given after a key (--in a b c).
 */
export async function runRoundCommand(cmd: string, opts: Opts, lists: Map<string, string[]>, ctx: ServiceContext): Promise<number | null> {
  switch (cmd) {
    case 'round-new': {
      setActor(ctx, opts);
      const chapters = str(opts, 'chapters');
      const measures = str(opts, 'measures');
      const fields = str(opts, 'fields');
      if ([chapters, measures, fields].filter((x) => x !== undefined).length > 1) throw new ServiceError('VALIDATION', '--chapters、--fields 与 --measures 只能选一个');
      const list = (v: string) => v.split(/[,，、\s]+/).filter(Boolean);
      const r = createRound(ctx, {
        title: str(opts, 'title', true)!,
        periodEnd: str(opts, 'period', true)!,
        dueDate: str(opts, 'due', true)!,
        scope:
          chapters !== undefined
            ? { chapters: list(chapters).map(Number) }
            : fields !== undefined
              ? { fields: list(fields) as DraftField[] }
              : measures !== undefined
                ? { measureIds: list(measures) }
                : undefined,
        withCo: opts.has('with-co'),
        note: str(opts, 'note'),
      });
      print({ id: r.round.id });
      if (r.unassigned.length) process.stderr.write(`注意：${r.unassigned.length} 项措施没有牵头单位，未下发给任何单位（如 ${r.unassigned.slice(0, 5).join('、')}）\n`);
      return 0;
    }
    case 'round-distribute': {
      setActor(ctx, opts);
      const id = intOpt(opts, 'round');
      const out = path.resolve(str(opts, 'out', true)!);
      const dept = deptOpt(ctx, opts);
      const r = await distributeRound(ctx, id, out, {
        deptIds: dept === undefined ? undefined : [dept],
        onProgress: (p) => process.stderr.isTTY && process.stderr.write(`\r下发 ${p.done}/${p.total} ${p.department}　　`),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      print(r);
      return 0;
    }
    case 'round-collect': {
      setActor(ctx, opts);
      const id = intOpt(opts, 'round');
      const inputs = (lists.get('in') ?? [str(opts, 'in', true)!]).map((p) => path.resolve(p));
      for (const p of inputs) if (!fs.existsSync(p)) throw new ServiceError('NOT_FOUND', `文件或文件夹不存在：${p}`);
      const onConflict = str(opts, 'on-conflict') ?? 'keep';
      if (onConflict !== 'keep' && onConflict !== 'take') throw new ServiceError('VALIDATION', '--on-conflict 应为 keep（保留本库的值）或 take（采用报送的值）');
      const { ledgers, others } = readCollectInputs(inputs);
      if (!ledgers.length) throw new ServiceError('VALIDATION', '没有找到可收取的台账文件（.xlsx、.xls、.et、.csv）');
      const results = collectRoundFiles(ctx, id, ledgers, { dryRun: opts.has('dry-run'), onConflict, deptId: deptOpt(ctx, opts), receivedAt: str(opts, 'received') });
      // 佐证材料 that came along, named by measure id: to the departments whose ledgers were taken
      const taken = results.filter((r) => !r.refused && r.department).map((r) => findDepartment(ctx, r.department!)!.id);
      // other files (a copy of the notice, say) that name no measure are left alone
      const named = others.filter((f) => MEASURE_PREFIX.test(f.name));
      if (named.length < others.length) process.stderr.write(`已忽略 ${others.length - named.length} 个既不是台账、也未以措施编号开头的文件\n`);
      const evidence = named.length && !opts.has('dry-run') ? addEvidenceByName(ctx, ctx.db.name, id, named, taken) : [];
      print([...results, ...evidence.map((e) => ({ ...e, evidence: true, changed: 0, errors: [] }))]);
      const refused = [...results, ...evidence].filter((r) => r.refused);
      for (const r of refused) process.stderr.write(`拒收：${r.file}：${r.refused}\n`);
      return refused.length ? 1 : 0;
    }
    case 'round-review': {
      setActor(ctx, opts);
      const id = intOpt(opts, 'round');
      const dept = deptOpt(ctx, opts);
      if (dept === undefined) throw new ServiceError('VALIDATION', '缺少 --dept');
      const accept = opts.has('accept');
      const ret = opts.get('return');
      if (accept === (ret !== undefined)) throw new ServiceError('VALIDATION', '请用 --accept（采纳）或 --return 理由（退回）中的一个');
      if (ret === true) throw new ServiceError('VALIDATION', '退回须说明理由：--return 理由');
      const measures = str(opts, 'measures');
      const r = reviewRound(ctx, id, { deptId: dept, action: accept ? 'accept' : 'return', reason: ret === undefined ? undefined : ret, measureIds: measures?.split(/[,，、\s]+/).filter(Boolean) });
      const out = str(opts, 'out');
      if (out !== undefined) {
        if (accept) throw new ServiceError('VALIDATION', '--out 只用于退回时写出退回通知');
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(path.resolve(out), await buildReturnNotice(ctx, id, dept));
      }
      print(r);
      return 0;
    }
    case 'round-status': {
      const st = roundStatus(ctx, intOpt(opts, 'round'));
      print({
        round: { id: st.round.id, title: st.round.title, state: st.round.state, dueDate: st.round.dueDate },
        departments: st.departments.map((d) => ({ name: d.name, state: d.state, measures: d.measures, reported: d.reported, receivedAt: d.receivedAt, lateDays: d.lateDays, reminders: d.reminders })),
        rates: st.rates,
      });
      return 0;
    }
    case 'round-close': {
      setActor(ctx, opts);
      const r = closeRound(ctx, intOpt(opts, 'round'));
      print({ id: r.id, state: r.state, closedAt: r.closedAt, snapshot: rq(ctx).snapshot(r.id).length });
      return 0;
    }
    case 'round-compare': {
      const c = compareRounds(ctx, intOpt(opts, 'from'), intOpt(opts, 'to'));
      print({ ...c, measures: c.measures.filter((m) => m.before !== m.after || m.progressChanged) });
      return 0;
    }
    case 'round-evidence': {
      const id = intOpt(opts, 'round');
      const file = str(opts, 'file');
      if (file === undefined) {
        print(listEvidence(ctx, ctx.db.name, id));
        return 0;
      }
      setActor(ctx, opts);
      const dept = deptOpt(ctx, opts);
      if (dept === undefined) throw new ServiceError('VALIDATION', '缺少 --dept');
      const p = path.resolve(file);
      if (!fs.existsSync(p) || !fs.statSync(p).isFile()) throw new ServiceError('NOT_FOUND', `文件不存在：${p}`);
      if (fs.statSync(p).size > 20 * 1024 * 1024) throw new ServiceError('VALIDATION', '文件超过 20 MB 的上限');
      print(addEvidence(ctx, ctx.db.name, id, dept, { name: path.basename(p), bytes: fs.readFileSync(p) }, str(opts, 'measure') ?? null));
      return 0;
    }
    case 'round-rules': {
      const keys: [string, keyof ScoreRules][] = [
        ['base', 'base'],
        ['not-reported', 'notReported'],
        ['late', 'late'],
        ['lagging', 'lagging'],
        ['completed', 'completed'],
      ];
      const patch: Partial<ScoreRules> = {};
      for (const [opt, key] of keys) {
        const v = str(opts, opt);
        if (v === undefined) continue;
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) throw new ServiceError('VALIDATION', `--${opt} 应为数字，现为“${v}”`);
        patch[key] = n;
      }
      if (Object.keys(patch).length) setActor(ctx, opts);
      print(Object.keys(patch).length ? setScoreRules(ctx, patch) : getScoreRules(ctx));
      return 0;
    }
    case 'export': {
      const kind = str(opts, 'kind');
      if (!(ROUND_EXPORT_KINDS as readonly (string | undefined)[]).includes(kind)) return null;
      const id = intOpt(opts, 'round');
      roundRow(ctx, id);
      const out = path.resolve(str(opts, 'out', true)!);
      const dept = deptOpt(ctx, opts);
      let buffer: Buffer;
      let rows: number;
      if (kind === 'round-briefing.docx') {
        buffer = await buildRoundBriefing(ctx, id);
        rows = roundStatus(ctx, id).departments.length;
      } else if (kind === 'round-scores.xlsx') {
        const x = await exportRoundScores(ctx, id);
        buffer = x.buffer;
        rows = x.rows;
      } else {
        setActor(ctx, opts);
        const [doc] = await buildReminders(ctx, id, { deptIds: dept === undefined ? undefined : [dept], combined: true });
        // written beside, then renamed into place in the transaction that records the 催办
        fs.mkdirSync(path.dirname(out), { recursive: true });
        const tmp = `${out}.${process.pid}.partial`;
        fs.writeFileSync(tmp, doc.buffer);
        try {
          recordReminder(ctx, id, doc, () => fs.renameSync(tmp, out));
        } finally {
          fs.rmSync(tmp, { force: true });
        }
        process.stdout.write(JSON.stringify({ out, rows: doc.deptIds.length, bytes: doc.buffer.length }) + '\n');
        return 0;
      }
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, buffer);
      process.stdout.write(JSON.stringify({ out, rows, bytes: buffer.length }) + '\n');
      return 0;
    }
    default:
      return null;
  }
}
