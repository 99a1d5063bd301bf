// The 调度轮次 benchmark (issue 18's scale requirement): a round over every actionable measure of a
// generated ledger and 70 departments, distributed (a ledger and a notice each), then 70 returned
// ledgers (the distributed ones with some rows changed, saved again by a spreadsheet program)
// previewed and collected. Each step runs in a child process of its own (child.ts), so its peak
// memory is its own; beside wall and CPU time it reports the longest stall of the process's event
// loop while the step ran (a timer that should fire every few ms, and monitorEventLoopDelay): what
// the person would feel in the app if the step ran where it runs here.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as XLSX from 'xlsx';
import { openWorkbenchDb } from '../db/open';
import { contextFor } from '../core/context';
import { setIdentity } from '../services/settings';
import { createRound } from '../services/rounds';
import { collectRoundFiles, distributeRound, readCollectInputs } from '../import/round-files';
import { distributeRoundOffThread, stopRoundWorker } from '../import/round-offthread';
import { createDispatcher } from '../ipc/router';
import { folderPlatform } from '../ipc/platform';
import type { CollectFileResult } from '../../shared/rounds';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { STATUSES } from '../../shared/domain';
import { concentrateLeads, prng } from './generate';
import { now } from './measure';
import type { OpResult } from './ops';

/** Wall, CPU (this process, every thread) and the event loop's longest stall while fn runs. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; wallMs: number; cpuMs: number; stallMs: number; eldMaxMs: number }> {
  const TICK = 5;
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let last = now();
  let stall = 0;
  const timer = setInterval(() => {
    const t = now();
    stall = Math.max(stall, t - last - TICK);
    last = t;
  }, TICK);
  const c0 = process.cpuUsage();
  const t0 = now();
  try {
    const value = await fn();
    const wallMs = now() - t0;
    const c = process.cpuUsage(c0);
    // the stretch since the timer last fired counts too (a step that never yields)
    stall = Math.max(stall, now() - last - TICK);
    return { value, wallMs, cpuMs: (c.user + c.system) / 1000, stallMs: stall, eldMaxMs: h.max / 1e6 };
  } finally {
    clearInterval(timer);
    h.disable();
  }
}

/** the returned ledgers' paths, as Electron's preload gives them for the files the person chose */
function readCollectPaths(dir: string): { name: string; path: string }[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.xlsx'))
    .sort()
    .map((n) => ({ name: n, path: path.resolve(dir, n) }));
}

function open(file: string) {
  const db = openWorkbenchDb(file, { quickCheck: false });
  const ctx = contextFor(db);
  ctx.actor = { name: '基准测试', unit: '基准测试' };
  return { ctx, close: () => db.close() };
}

const fig = (t: Awaited<ReturnType<typeof timed>>) => ({ wallMs: Math.round(t.wallMs), cpuMs: Math.round(t.cpuMs), stallMs: Math.round(t.stallMs), eldMaxMs: Math.round(t.eldMaxMs) });

export async function runRoundOp(op: string, a: Record<string, string>): Promise<OpResult> {
  switch (op) {
    case 'round-prepare': {
      // a copy of the generated database whose measures are led by `depts` departments, and a round over all of them
      fs.copyFileSync(a.db, a.out);
      const c = concentrateLeads(a.out, Number(a.depts ?? 70));
      const { ctx, close } = open(a.out);
      setIdentity(ctx, { name: '基准测试', unit: '基准测试' });
      const { round } = createRound(ctx, { title: '2026年第四季度调度', periodEnd: '2026-12-31', dueDate: '2027-01-10', scope: { chapters: [1, 2, 3, 4, 5, 6, 7, 8, 9] } });
      close();
      return { times: [0], info: { round: round.id, departments: round.departments, measures: round.measures, leads: c.departments } };
    }
    case 'round-distribute': {
      const { ctx, close } = open(a.db);
      fs.rmSync(a.out, { recursive: true, force: true });
      // worker=1: as the app runs it, in the import worker (the IPC thread only waits)
      const t = await timed(async () =>
        a.worker === '1' ? (await distributeRoundOffThread({ path: a.db }, Number(a.round), a.out, { actor: ctx.actor }))! : distributeRound(ctx, Number(a.round), a.out),
      );
      close();
      return { times: [t.wallMs], info: { ...fig(t), departments: t.value.departments, files: t.value.files.length } };
    }
    case 'round-returned': {
      // each department's ledger returned: every 4th row's progress, some statuses and notes changed
      fs.mkdirSync(a.out, { recursive: true });
      const col = (h: string) => LEDGER_COLUMNS.findIndex((c) => c.header === h);
      const rnd = prng(18);
      let files = 0;
      let rows = 0;
      for (const name of fs.readdirSync(a.in).filter((n) => n.endsWith('.xlsx'))) {
        const wb = XLSX.read(fs.readFileSync(path.join(a.in, name)), { type: 'buffer', cellStyles: false });
        const ws = wb.Sheets['任务分工台账'];
        const range = XLSX.utils.decode_range(ws['!ref']!);
        for (let r = 3; r <= range.e.r; r += 4) {
          ws[XLSX.utils.encode_cell({ r, c: col('进展情况') })] = { t: 's', v: `第${r}行：已完成年度目标的${Math.floor(rnd() * 90) + 10}%，正在推进。` };
          if (rnd() < 0.3) ws[XLSX.utils.encode_cell({ r, c: col('状态') })] = { t: 's', v: STATUSES[Math.floor(rnd() * 4)] };
          if (rnd() < 0.2) ws[XLSX.utils.encode_cell({ r, c: col('备注') })] = { t: 's', v: '已报分管领导审定' };
          rows++;
        }
        fs.writeFileSync(path.join(a.out, name), XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
        files++;
      }
      return { times: [0], info: { files, rows } };
    }
    case 'round-collect': {
      // 收取 as a person does it: the folder read, every file previewed (dry run), then taken in
      const { ctx, close } = open(a.db);
      const round = Number(a.round);
      const read = await timed(() => readCollectInputs([a.in]));
      const files = read.value.ledgers;
      // worker=1: as the app runs it, through the router's dispatcher (rounds.collect) to the collect
      // worker, the files as the page sends them: base64 through the web bridge (made before the
      // clock starts, as the page makes them), or (files=path) the paths Electron's preload gives
      const dispatch = createDispatcher(ctx.db, { shell: 'web', dbPath: a.db, version: 'bench' }, folderPlatform(a.db));
      const sent = a.files === 'path' ? readCollectPaths(a.in) : files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') }));
      const run = async (dryRun: boolean) => {
        if (a.worker !== '1') return collectRoundFiles(ctx, round, files, { dryRun, onConflict: 'take' });
        const r = await dispatch('rounds.collect', { roundId: round, files: sent, dryRun, onConflict: 'take' });
        if (!r.ok) throw new Error(r.error.message);
        return r.value as CollectFileResult[];
      };
      const preview = await timed(() => run(true));
      const refusedPreview = preview.value.filter((r) => r.refused).map((r) => `${r.file}: ${r.refused}`);
      const take = await timed(() => run(false));
      // the same timer with this thread idle (the workers stopped): how late it is for want of a
      // core alone, on a loaded machine (a stall above this is work on this thread)
      await stopRoundWorker();
      const idle = await timed(() => new Promise((r) => setTimeout(r, 3000)));
      close();
      const refused = take.value.filter((r) => r.refused);
      if (refusedPreview.length || refused.length) throw new Error(`refused: ${[...refusedPreview, ...refused.map((r) => `${r.file}: ${r.refused}`)].slice(0, 3).join('; ')}`);
      const p = fig(preview);
      const c = fig(take);
      return {
        times: [read.wallMs + preview.wallMs + take.wallMs],
        info: {
          files: files.length,
          changed: take.value.reduce((s, r) => s + r.changed, 0),
          reports: take.value.reduce((s, r) => s + r.reports, 0),
          readMs: Math.round(read.wallMs),
          previewWallMs: p.wallMs,
          previewCpuMs: p.cpuMs,
          previewStallMs: p.stallMs,
          collectWallMs: c.wallMs,
          collectCpuMs: c.cpuMs,
          collectStallMs: c.stallMs,
          idleStallMs: Math.round(idle.stallMs),
        },
      };
    }
  }
  throw new Error(`unknown op ${op}`);
}
