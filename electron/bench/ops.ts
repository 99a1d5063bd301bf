// The node-side operations the benchmark times. Each runs in its own child process (child.ts)
// so that its peak memory (VmHWM) is its own. Times in milliseconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { initWorkbenchDb, openWorkbenchDb } from '../db/open';
import { contextFor, type ServiceContext } from '../core/context';
import { applyEdits, listMeasures, searchMeasures } from '../services/measures';
import { searchPlan } from '../services/plan';
import { setIdentity } from '../services/settings';
import { listDepartments } from '../services/departments';
import { exportLedger } from '../export/xlsx/ledger';
import { exportDocx } from '../export/docx';
import { applyImport, previewImport } from '../import';
import { readSpreadsheet } from '../import/read';
import { startImport } from '../ipc/transfers';
import { prepareReader } from '../import/offthread';
import { createDraft, draftGaps, draftTableCounts } from '../services/drafts';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { ledgerCellText } from '../../shared/import';
import { STATUSES } from '../../shared/domain';
import { generateDatabase, prng } from './generate';
import { now, percentile, vmHwmMb } from './measure';
import { readCall, stopReadWorker, writeCall } from '../query/offthread';
import { runRoundOp } from './rounds';

export interface OpResult {
  /** one sample per run */
  times: number[];
  /** further named samples (p50/p95 series, sub-steps) */
  series?: Record<string, number[]>;
  info?: Record<string, string | number>;
}

export const SEARCH_TERMS_2 = ['湘江', '长沙', '轨道', '园区', '生态', '望城', '醴陵', '韶山'];
export const SEARCH_TERMS_4 = ['轨道交通', '产业园区', '生态环境', '湘江新区', '创新平台', '公共服务', '长沙市望', '年度重点'];

function quietCtx(file: string): { ctx: ServiceContext; close(): void } {
  const db = openWorkbenchDb(file, { quickCheck: false });
  const ctx = contextFor(db);
  ctx.actor = { name: '基准测试', unit: '基准测试' };
  return { ctx, close: () => db.close() };
}

function tmpFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-bench-'));
  return path.join(dir, name);
}

/** A copy of `db` to write on, with the benchmark's identity set; close() also removes the copy. */
function workingCopy(db: string, name: string): { ctx: ServiceContext; file: string; close(): void } {
  const file = tmpFile(name);
  fs.copyFileSync(db, file);
  const q = quietCtx(file);
  setIdentity(q.ctx, { name: '基准测试', unit: '基准测试' });
  return {
    ctx: q.ctx,
    file,
    close: () => {
      q.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}

export async function runOp(op: string, a: Record<string, string>, runs: number): Promise<OpResult> {
  const times: number[] = [];
  switch (op) {
    case 'create': {
      for (let i = 0; i < runs; i++) {
        const f = tmpFile('create.db');
        const t0 = now();
        initWorkbenchDb(f, { force: true }).close();
        times.push(now() - t0);
        fs.rmSync(path.dirname(f), { recursive: true, force: true });
      }
      return { times };
    }
    case 'generate': {
      let info: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const f = i === runs - 1 && a.out ? a.out : tmpFile('gen.db');
        const t0 = now();
        const r = generateDatabase(f, { measures: Number(a.n), projects: Number(a.projects), seed: Number(a.seed ?? 1) });
        times.push(now() - t0);
        info = { measures: r.measures, projects: r.projects, auditRows: r.auditRows };
        if (f !== a.out) fs.rmSync(path.dirname(f), { recursive: true, force: true });
      }
      return { times, info };
    }
    case 'list': {
      const { ctx, close } = quietCtx(a.db);
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        const rows = listMeasures(ctx);
        const json = JSON.stringify(rows); // what the bridge/IPC carries
        times.push(now() - t0);
        if (i === 0) fs.writeFileSync(a.out ?? '/dev/null', String(json.length));
      }
      close();
      return { times };
    }
    case 'ledger': {
      const { ctx, close } = quietCtx(a.db);
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        const r = await exportLedger(ctx);
        times.push(now() - t0);
        rows = r.rows;
        if (i === 0 && a.out) fs.writeFileSync(a.out, r.buffer);
      }
      // the exports' own peak, before the peers' CSV below (every measure as objects again) adds its own
      const exportPeakMb = vmHwmMb() ?? 0;
      if (a.csv) {
        // the same rows as CSV, for LibreOffice; and as arrays for the SheetJS floor (written by op sheetjs-write)
        const names = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
        const data = listMeasures(ctx)
          .filter((m) => m.actionable)
          .map((m) => LEDGER_COLUMNS.map((c) => ledgerCellText(c, m, (id) => names.get(id) ?? '')));
        const aoa = [LEDGER_COLUMNS.map((c) => c.header), ...data];
        const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
        fs.writeFileSync(a.csv, '\ufeff' + aoa.map((r) => r.map(esc).join(',')).join('\n') + '\n');
        fs.writeFileSync(a.csv + '.json', JSON.stringify(aoa));
      }
      close();
      return { times, info: { rows, exportPeakMb } };
    }
    case 'sheetjs-write': {
      const aoa = JSON.parse(fs.readFileSync(a.json, 'utf8')) as string[][];
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        const ws = XLSX.utils.aoa_to_sheet(aoa);
        const wb = XLSX.utils.book_new();
        XLSX.utils.book_append_sheet(wb, ws, '任务分工台账');
        const buf = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
        times.push(now() - t0);
        if (i === 0 && a.out) fs.writeFileSync(a.out, buf);
      }
      return { times };
    }
    case 'sheetjs-read': {
      const bytes = fs.readFileSync(a.file);
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        const wb = XLSX.read(bytes, { type: 'buffer', dense: true });
        for (const n of wb.SheetNames) XLSX.utils.sheet_to_json(wb.Sheets[n], { header: 1 });
        times.push(now() - t0);
      }
      return { times };
    }
    case 'read': {
      // our reader alone (the zip checks + SheetJS + rows), for the profile of the import
      const bytes = fs.readFileSync(a.file);
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        readSpreadsheet('台账.xlsx', bytes);
        times.push(now() - t0);
      }
      return { times };
    }
    case 'returned-ledger': {
      // A department's returned ledger: the exported file with progress, status and note changed
      // on `rows` rows, saved again by a spreadsheet program (SheetJS here), _meta kept.
      const wb = XLSX.read(fs.readFileSync(a.file), { type: 'buffer', cellStyles: false });
      const ws = wb.Sheets['任务分工台账'];
      const range = XLSX.utils.decode_range(ws['!ref']!);
      const col = (h: string) => LEDGER_COLUMNS.findIndex((c) => c.header === h);
      const rnd = prng(99);
      const n = Math.min(Number(a.rows), range.e.r - 2);
      for (let r = 3; r < 3 + n; r++) {
        ws[XLSX.utils.encode_cell({ r, c: col('进展情况') })] = { t: 's', v: `第${r}行：已完成年度目标的${Math.floor(rnd() * 90) + 10}%，正在推进。` };
        if (rnd() < 0.3) ws[XLSX.utils.encode_cell({ r, c: col('状态') })] = { t: 's', v: STATUSES[Math.floor(rnd() * 4)] };
        if (rnd() < 0.2) ws[XLSX.utils.encode_cell({ r, c: col('备注') })] = { t: 's', v: '已报分管领导审定' };
      }
      // only the first `rows` measures come back: drop the others from the returned sheet
      ws['!ref'] = XLSX.utils.encode_range({ s: range.s, e: { r: 2 + n, c: range.e.c } });
      fs.writeFileSync(a.out, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
      return { times: [0], info: { rows: n } };
    }
    case 'import': {
      // preview: read + diff in this thread (previewImport), then apply (applyImport)
      const series: Record<string, number[]> = { preview: [], apply: [] };
      const bytes = fs.readFileSync(a.file);
      let info: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const { ctx, close } = workingCopy(a.db, 'import.db');
        const t0 = now();
        const pv = previewImport(ctx, { name: '台账.xlsx', bytes });
        const t1 = now();
        const summary = applyImport(ctx, pv, { onConflict: 'take' });
        const t2 = now();
        series.preview.push(t1 - t0);
        series.apply.push(t2 - t1);
        times.push(t2 - t0);
        info = { changes: pv.changes.length, errors: pv.errors.length, summary: JSON.stringify(summary).slice(0, 200) } as unknown as Record<string, number>;
        close();
      }
      return { times, series, info };
    }
    case 'import-app': {
      // the preview as the app makes it (startImport: read and diff in a worker thread), in a process
      // of its own (after the in-thread runs above, their 500 MB heap and its collection slowed it):
      // app: no reader waiting, a thread started for the file; warm: as the 导入 page does it, a
      // reader started when the page opened (import.prepare), the file chosen 3 s later (opening the
      // page and choosing a file in a dialog take longer); meanwhile the reader loads (from sources
      // through tsx: slower than the app's bundled worker) and warms up on a small ledger of its own
      const series: Record<string, number[]> = { app: [], warm: [] };
      const bytes = fs.readFileSync(a.file);
      for (let i = 0; i < runs; i++) {
        const app = workingCopy(a.db, 'import-app.db');
        prepareReader({ path: app.file });
        await new Promise((r) => setTimeout(r, 3000));
        const tw = now();
        await startImport(app.ctx, '台账.xlsx', bytes);
        series.warm.push(now() - tw);
        times.push(now() - tw);
        await new Promise((r) => setTimeout(r, 500));
        const ta = now();
        await startImport(app.ctx, '台账.xlsx', bytes);
        series.app.push(now() - ta);
        app.close();
      }
      return { times, series };
    }
    case 'drafts': {
      // 方案起草 on a large ledger: a 生态环境 draft (every measure of 第六章 cited), then what the page
      // asks each time the draft changes: the gaps and the live tables' row counts
      const series: Record<string, number[]> = { create: [], gaps: [], counts: [] };
      let info: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const { ctx, close } = workingCopy(a.db, 'drafts.db');
        const t0 = now();
        const d = createDraft(ctx, { kind: 'field', field: '生态环境', template: 'standard' });
        const t1 = now();
        const g = draftGaps(ctx, d.id);
        const t2 = now();
        const c = draftTableCounts(ctx, d.id);
        const t3 = now();
        series.create.push(t1 - t0);
        series.gaps.push(t2 - t1);
        series.counts.push(t3 - t2);
        times.push(t3 - t0);
        // the gaps as the app asks for them on a large ledger: in the read worker (started by the
        // first call, which is left out), while this thread's event loop is sampled every 5 ms
        await readCall(ctx, 'drafts.gaps', d.id, () => draftGaps(ctx, d.id), { force: true });
        let last = now();
        let block = 0;
        const tick = setInterval(() => {
          const t = now();
          block = Math.max(block, t - last - 5);
          last = t;
        }, 5);
        const tw = now();
        await readCall(ctx, 'drafts.gaps', d.id, () => draftGaps(ctx, d.id), { force: true });
        (series.worker ??= []).push(now() - tw);
        clearInterval(tick);
        (series.block ??= []).push(Math.max(0, block));
        await stopReadWorker();
        // the same draft created as the app does on a large ledger (dispatcher → write worker, a
        // thread and connection of its own, started for the call), this thread sampled meanwhile
        const input = { kind: 'field', field: '生态环境', template: 'standard' } as const;
        last = now();
        block = 0;
        const tick2 = setInterval(() => {
          const t = now();
          block = Math.max(block, t - last - 5);
          last = t;
        }, 5);
        const tc = now();
        const made = await writeCall(ctx, 'drafts.create', input, () => createDraft(ctx, input), { force: true });
        (series.createWorker ??= []).push(now() - tc);
        clearInterval(tick2);
        (series.createBlock ??= []).push(Math.max(0, block));
        if (!('json' in made)) throw new Error('drafts.create did not run in the write worker');
        info = { blocks: d.blocks.length, uncovered: g.uncovered.length, tasksRows: c.tasks };
        close();
      }
      return { times, series, info };
    }
    case 'docx': {
      const { ctx, close } = quietCtx(a.db);
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        const r = await exportDocx(ctx, 'allocation', { date: '2025-06-30' });
        times.push(now() - t0);
        rows = r.rows;
        if (i === 0 && a.out) fs.writeFileSync(a.out, r.buffer);
      }
      close();
      return { times, info: { rows } };
    }
    case 'search': {
      const { ctx, close } = quietCtx(a.db);
      const series: Record<string, number[]> = { plan2: [], plan4: [], measures2: [], measures4: [] };
      // first call builds the index: report it apart
      let t0 = now();
      searchMeasures(ctx, '湘江');
      const build = now() - t0;
      t0 = now();
      searchPlan(ctx, '湘江');
      const planBuild = now() - t0;
      const info: Record<string, number> = { indexBuildMs: Math.round(build), planIndexBuildMs: Math.round(planBuild) };
      for (let i = 0; i < Math.max(runs, 6); i++) {
        for (const q of SEARCH_TERMS_2) {
          let t = now();
          const r = searchMeasures(ctx, q);
          series.measures2.push(now() - t);
          info[`hits:${q}`] = r.total;
          t = now();
          searchPlan(ctx, q);
          series.plan2.push(now() - t);
        }
        for (const q of SEARCH_TERMS_4) {
          let t = now();
          const r = searchMeasures(ctx, q);
          series.measures4.push(now() - t);
          info[`hits:${q}`] = r.total;
          t = now();
          searchPlan(ctx, q);
          series.plan4.push(now() - t);
        }
      }
      // the first search after an edit: the index re-reads only the changed measure
      series.afterEdit = [];
      const f = tmpFile('search-edit.db');
      close();
      fs.copyFileSync(a.db, f);
      const w = quietCtx(f);
      setIdentity(w.ctx, { name: '基准测试', unit: '基准测试' });
      searchMeasures(w.ctx, '湘江');
      const ids = w.ctx.q.searchableMeasures().map((m) => m.id);
      const rnd = prng(9);
      for (let i = 0; i < Math.max(runs, 20); i++) {
        applyEdits(w.ctx, [{ measureId: ids[Math.floor(rnd() * ids.length)], patch: { note: `基准编辑后检索 ${i}` } }], '编辑');
        const t = now();
        searchMeasures(w.ctx, SEARCH_TERMS_2[i % SEARCH_TERMS_2.length]);
        series.afterEdit.push(now() - t);
      }
      w.close();
      fs.rmSync(path.dirname(f), { recursive: true, force: true });
      return { times: series.measures2, series, info };
    }
    case 'edit': {
      // service-side cost of one grid edit (applyEdits of one field, as the bridge calls it)
      const f = tmpFile('edit.db');
      fs.copyFileSync(a.db, f);
      const { ctx, close } = quietCtx(f);
      const ids = listMeasures(ctx)
        .filter((m) => m.actionable)
        .map((m) => m.id);
      const rnd = prng(5);
      for (let i = 0; i < Math.max(runs, 50); i++) {
        const id = ids[Math.floor(rnd() * ids.length)];
        const t0 = now();
        applyEdits(ctx, [{ measureId: id, patch: { note: `基准编辑 ${i}` } }], '编辑');
        times.push(now() - t0);
      }
      close();
      fs.rmSync(path.dirname(f), { recursive: true, force: true });
      return { times, info: { p95: percentile(times, 95) } };
    }
  }
  if (op.startsWith('round-')) return runRoundOp(op, a);
  throw new Error(`unknown op ${op}`);
}
