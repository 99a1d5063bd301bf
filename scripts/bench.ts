// `npm run bench` (tsx scripts/bench.ts): the province-scale benchmark. Prints a markdown table
// of medians (with p50/p95 where asked, and peak memory) and writes it to docs/bench.md.
//   --sizes 1000,10000,100000   measure counts (default all three)
//   --runs 3                    runs per figure (fast ones get at least 5)
//   --skip-browser              no Chromium (the grid figures)
//   --skip-peers                no LibreOffice / SheetJS peers
//   --skip-freeze               no UI-freeze figures (export / import through the real renderer)
//   --only ledger,import        only these figures (create, list, search, edit, ledger, import, docx,
//                               drafts, rounds, browser, freeze, sync); the databases are generated in any case
//   --sync-measures 100000      the shared server's size for the sync figures (scripts/bench-sync.ts)
//   --out docs/bench.md         where the table goes ('' : nowhere; the default with --only)
// Each node-side figure runs in its own child process (electron/bench/child.ts), so its peak
// memory (VmHWM) is its own. The load average is printed beside the figures: on a busy
// machine they are noisy.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureBrowser, CHROMIUM, type BrowserFigures } from '../electron/bench/browser';
import { measureFreeze } from '../electron/bench/freeze';
import { loadAvg, median, percentile, treeRssMb } from '../electron/bench/measure';
import type { OpResult } from '../electron/bench/ops';
import { OFF_THREAD_FROM } from '../electron/query/offthread';
import { syncFigures } from './bench-sync';
import { pgBinDir } from '../tests/sync/pg-server';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (k: string) => args.includes(`--${k}`);
const opt = (k: string, d: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : d;
};
const SIZES = opt('sizes', '1000,10000,100000').split(',').map(Number);
const RUNS = Math.max(1, Number(opt('runs', '3')));
const FAST = Math.max(RUNS, 5);
const PARTS = ['create', 'list', 'search', 'edit', 'ledger', 'import', 'docx', 'drafts', 'rounds', 'browser', 'freeze', 'sync'];
const ONLY = opt('only', '').split(',').filter(Boolean);
for (const o of ONLY) if (!PARTS.includes(o)) throw new Error(`--only: unknown part ${o} (known: ${PARTS.join(', ')})`);
const want = (what: string) => ONLY.length === 0 || ONLY.includes(what);
const OUT = opt('out', ONLY.length ? '' : path.join(ROOT, 'docs', 'bench.md'));
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-bench-'));

type Row = { what: string; n: string; figure: string; peak: string; load: string; note?: string };
const table: Row[] = [];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

/** Run one op in a child process; also samples the child's RSS tree (for soffice-like children). */
function child(op: string, runs: number, kv: Record<string, string | number>): Promise<OpResult & { vmHwmMb: number | null; rssPeakMb: number; load: string }> {
  const load = loadAvg();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron/bench/child.ts'), op, String(runs), ...Object.entries(kv).map(([k, v]) => `${k}=${v}`)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (b) => (out += b));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${op} failed (${code})`));
      resolve({ ...JSON.parse(out.trim().split('\n').pop()!), load });
    });
  });
}

/** A process we don't control (LibreOffice): wall time and the peak RSS of its process tree. */
function external(cmd: string, argv: string[]): Promise<{ ms: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, argv, { stdio: 'ignore' });
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(p.pid!))), 20);
    p.on('error', reject);
    p.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${cmd} exited ${code}`));
      else resolve({ ms: performance.now() - t0, peakMb: peak });
    });
  });
}

function add(what: string, n: number | string, r: { times: number[]; vmHwmMb?: number | null; rssPeakMb?: number; load: string }, note?: string) {
  table.push({ what, n: String(n), figure: fmt(median(r.times)), peak: r.vmHwmMb ? `${r.vmHwmMb} MB` : '', load: r.load, note });
  console.error(`${what} N=${n}: ${fmt(median(r.times))} (peak ${r.vmHwmMb ?? '?'} MB, load ${r.load})${note ? ' ' + note : ''}`);
}
const pq = (xs: number[]) => `p50 ${fmt(percentile(xs, 50))}, p95 ${fmt(percentile(xs, 95))}`;

/**
 * The UI freeze (electron/bench/freeze.ts): the largest size's ledger exported from 导出中心 and a
 * returned 10,000-row ledger imported (preview, apply) through the real renderer; the maximum
 * event-loop delay of the process serving IPC and the longest task of Chromium's renderer.
 */
async function freezeRows(dbs: Map<number, string>) {
  if (!fs.existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const big = Math.max(...SIZES);
  const importN = SIZES.includes(10_000) ? 10_000 : Math.min(...SIZES);
  const ret = path.join(WORK, `returned-${importN}.xlsx`);
  if (!fs.existsSync(ret)) {
    const xlsx = path.join(WORK, `freeze-ledger-${importN}.xlsx`);
    await child('ledger', 1, { db: dbs.get(importN)!, out: xlsx });
    await child('returned-ledger', 1, { file: xlsx, out: ret, rows: 10_000 });
  }
  const load = loadAvg();
  const f = await measureFreeze({ exportDb: dbs.get(big)!, importDb: dbs.get(importN)!, returnedLedger: ret });
  const both = (x: { mainMaxMs: number; rendererLongestMs: number; rendererLongTasks: number }) =>
    `main max ${fmt(x.mainMaxMs)}, renderer longest task ${x.rendererLongTasks ? fmt(x.rendererLongestMs) : 'none over 50 ms'}`;
  const e = f.exportLedger;
  table.push({
    what: `UI freeze during ledger export (${e.rows} rows, worker thread)`,
    n: String(big),
    figure: both(e),
    peak: '',
    load,
    note: `click → result ${fmt(e.ms)}; the same export on the IPC thread (before): main blocked ${fmt(f.exportInProcess.mainMaxMs)} of ${fmt(f.exportInProcess.ms)}`,
  });
  table.push({ what: '  the same sampling for 3 s with nothing to do (noise floor)', n: String(big), figure: both(f.idle), peak: '', load });
  table.push({ what: `UI freeze during import: preview of a returned ledger (${f.importPreview.rows} rows changed)`, n: String(importN), figure: both(f.importPreview), peak: '', load, note: `choose file → preview ${fmt(f.importPreview.ms)}` });
  table.push({ what: 'UI freeze during import: apply', n: String(importN), figure: both(f.importApply), peak: '', load, note: `click → summary ${fmt(f.importApply.ms)}` });
  console.error('freeze:', JSON.stringify(f));
}

/** The import figures for one size: a returned ledger of every row, previewed and applied; the readers alone. */
async function importFigures(n: number, db: string, xlsx: string) {
  const ret = path.join(WORK, `returned-${n}.xlsx`);
  await child('returned-ledger', 1, { file: xlsx, out: ret, rows: 10_000 });
  const imp = await child('import', RUNS, { db, file: ret });
  table.push({ what: `import returned ledger: preview (${imp.info?.changes} rows changed)`, n: String(n), figure: fmt(median(imp.series!.preview)), peak: `${imp.vmHwmMb} MB`, load: imp.load });
  table.push({ what: 'import returned ledger: apply', n: String(n), figure: fmt(median(imp.series!.apply)), peak: '', load: imp.load });
  const app = await child('import-app', RUNS, { db, file: ret });
  table.push({ what: '  preview as the app runs it, no reader waiting (startImport: a worker thread started for the file; from sources it loads through tsx)', n: String(n), figure: fmt(median(app.series!.app)), peak: '', load: app.load });
  table.push({ what: '  preview as the app runs it, the 导入 page open (import.prepare started a reader, which warmed up, 3 s before the file)', n: String(n), figure: fmt(median(app.series!.warm)), peak: '', load: app.load });
  const rd = await child('read', RUNS, { file: ret });
  add('  our reader alone (zip checks + sheet XML + rows)', n, rd);
  const sr = await child('sheetjs-read', RUNS, { file: ret });
  add(
    '  peer: SheetJS plain read of the same file',
    n,
    sr,
    `our reader / SheetJS read = ${(median(rd.times) / median(sr.times)).toFixed(2)}×; preview / SheetJS read = ${(median(imp.series!.preview) / median(sr.times)).toFixed(2)}×`,
  );
}

/**
 * 调度轮次 (issue 18): a round over every measure of the largest size with 70 departments,
 * distributed, then 70 returned ledgers previewed and collected; each as the CLI runs it (this
 * thread) and as the app runs it (distribute: the import worker; collect: the router's dispatcher
 * and the collect worker, the files as base64 or as paths; the IPC thread waiting). Wall, CPU of the
 * whole process, peak RSS, and the longest stall of the thread that serves IPC meanwhile.
 */
async function roundFigures(n: number, db: string) {
  const base = path.join(WORK, `round-${n}.db`);
  const prep = await child('round-prepare', 1, { db, out: base, depts: 70 });
  const round = prep.info!.round;
  const dist = path.join(WORK, 'round-out');
  const ret = path.join(WORK, 'round-returned');
  const s = (ms: string | number | undefined) => fmt(Number(ms));
  for (const worker of ['0', '1']) {
    const copy = path.join(WORK, `round-${n}-${worker}.db`);
    fs.copyFileSync(base, copy);
    const how = worker === '1' ? 'as the app runs it (import worker)' : 'on one thread (the CLI)';
    const d = await child('round-distribute', 1, { db: copy, round, out: dist, worker });
    const i = d.info!;
    table.push({
      what: `调度轮次: distribute ${i.departments} departments (ledger + notice each), ${how}`,
      n: String(prep.info!.measures),
      figure: `${s(i.wallMs)} wall, ${s(i.cpuMs)} CPU`,
      peak: `${d.vmHwmMb} MB`,
      load: d.load,
      note: `longest stall of this thread meanwhile ${s(i.stallMs)}`,
    });
    if (worker === '0') await child('round-returned', 1, { in: dist, out: ret });
    // in the app (worker=1) the files come as base64 through the web bridge, or as paths in Electron
    const sends = worker === '1' ? ['base64', 'path'] : ['bytes'];
    const distributed = `${copy}.distributed`;
    if (sends.length > 1) fs.copyFileSync(copy, distributed);
    for (const files of sends) {
      if (files === 'path') fs.copyFileSync(distributed, copy);
      const c = await child('round-collect', 1, { db: copy, round, in: ret, worker, files });
      const k = c.info!;
      const sent = worker === '1' ? `, files sent as ${files === 'path' ? 'paths (Electron)' : 'base64 (web bridge)'}` : '';
      table.push({
        what: `调度轮次: ${k.files} returned ledgers previewed (dry run) / collected, ${how}${sent}`,
        n: String(prep.info!.measures),
        figure: `${s(k.previewWallMs)} / ${s(k.collectWallMs)} wall, ${s(k.previewCpuMs)} / ${s(k.collectCpuMs)} CPU`,
        peak: `${c.vmHwmMb} MB`,
        load: c.load,
        note: `${k.reports} reports, ${k.changed} changed; longest stall of this thread ${s(k.previewStallMs)} / ${s(k.collectStallMs)} (idle, for want of a core alone: ${s(k.idleStallMs)}); the folder read ${s(k.readMs)}`,
      });
      console.error(`rounds (${how}${sent}):`, JSON.stringify(i), JSON.stringify(k));
    }
  }
}

async function main() {
  console.error(`benchmark: sizes ${SIZES.join(', ')}; runs ${RUNS}; ${os.cpus().length} cores; load ${loadAvg()}`);
  if (want('create')) add('database creation from seeds', '—', await child('create', FAST, {}));

  const dbs = new Map<number, string>();
  for (const n of SIZES) {
    const db = path.join(WORK, `gen-${n}.db`);
    const projects = Math.max(100, Math.round(n / 5));
    const g = await child('generate', n >= 100_000 ? 1 : RUNS, { n, projects, out: db });
    add(`generate (${projects} projects, ${g.info?.auditRows} audit rows)`, n, g);
    dbs.set(n, db);

    if (want('list')) add('measures.list (every row at once; the grid now reads pages)', n, await child('list', FAST, { db }));
    if (want('search')) {
      const s = await child('search', RUNS, { db });
      const ser = s.series!;
      table.push({ what: 'search measures, 2-char terms', n: String(n), figure: pq(ser.measures2), peak: `${s.vmHwmMb} MB`, load: s.load, note: `index build ${s.info?.indexBuildMs} ms (first search only)` });
      table.push({ what: 'search measures right after an edit (index catches up)', n: String(n), figure: pq(ser.afterEdit), peak: '', load: s.load });
      table.push({ what: 'search measures, 4-char terms', n: String(n), figure: pq(ser.measures4), peak: '', load: s.load });
      table.push({ what: 'search plan text (plan.search), 2 / 4-char', n: String(n), figure: `${pq(ser.plan2)} / ${pq(ser.plan4)}`, peak: '', load: s.load });
    }
    if (want('edit')) {
      const e = await child('edit', RUNS, { db });
      table.push({ what: 'edit, service side (applyEdits, 1 field)', n: String(n), figure: pq(e.times), peak: `${e.vmHwmMb} MB`, load: e.load });
    }

    if (want('drafts')) {
      const d = await child('drafts', n >= 100_000 ? 2 : RUNS, { db });
      table.push({
        what: `方案起草: a 生态环境 draft created (${d.info?.blocks} blocks) / its gaps / its tables' row counts`,
        n: String(n),
        figure: `${fmt(median(d.series!.create))} / ${fmt(median(d.series!.gaps))} / ${fmt(median(d.series!.counts))}`,
        peak: `${d.vmHwmMb} MB`,
        load: d.load,
        note: `${d.info?.tasksRows} measures in scope; service times on one thread`,
      });
      table.push({
        what: "  方案起草: its gaps as the app asks on a large ledger (read worker) / the IPC thread's longest block meanwhile",
        n: String(n),
        figure: `${fmt(median(d.series!.worker))} / ${fmt(median(d.series!.block))}`,
        peak: '',
        load: d.load,
        note: `in the app from ${OFF_THREAD_FROM.toLocaleString('en')} measures on; below that on the IPC thread`,
      });
      table.push({
        what: "  方案起草: the draft created as the app does on a large ledger (write worker) / the IPC thread's longest block meanwhile",
        n: String(n),
        figure: `${fmt(median(d.series!.createWorker))} / ${fmt(median(d.series!.createBlock))}`,
        peak: '',
        load: d.load,
        note: 'a worker started for the call (from sources it loads through tsx: slower than the bundled query-worker.js)',
      });
    }

    const xlsx = path.join(WORK, `ledger-${n}.xlsx`);
    const csv = path.join(WORK, `ledger-${n}.csv`);
    const importHere = n === 10_000 || (n === Math.min(...SIZES) && !SIZES.includes(10_000));
    // the ledger file is also what the import figures start from
    if (want('ledger') || (want('import') && importHere)) {
      const led = await child('ledger', n >= 100_000 ? Math.min(RUNS, 2) : RUNS, { db, out: xlsx, csv });
      // peak: the exports' own (the child then makes the peers' CSV, which peaks higher)
      add(`ledger export xlsx (${led.info?.rows} rows, ${(fs.statSync(xlsx).size / 1024 / 1024).toFixed(1)} MB)`, n, { ...led, vmHwmMb: Number(led.info?.exportPeakMb) || led.vmHwmMb });
      if (want('ledger') && !flag('skip-peers')) {
        const sj = await child('sheetjs-write', RUNS, { json: csv + '.json' });
        add('  peer: SheetJS plain write (floor)', n, sj, `ours / SheetJS = ${(median(led.times) / median(sj.times)).toFixed(2)}×`);
        if (fs.existsSync('/usr/bin/soffice')) {
          const lo: number[] = [];
          let loPeak = 0;
          const load = loadAvg();
          for (let i = 0; i < (n >= 100_000 ? 1 : RUNS); i++) {
            const prof = path.join(WORK, `lo-profile-${i}`);
            const r = await external('soffice', [`-env:UserInstallation=file://${prof}`, '--headless', '--convert-to', 'xlsx', '--outdir', path.join(WORK, 'lo'), csv]);
            lo.push(r.ms);
            loPeak = Math.max(loPeak, r.peakMb);
          }
          add('  peer: LibreOffice headless CSV → xlsx', n, { times: lo, vmHwmMb: loPeak, load }, `ours / LibreOffice = ${(median(led.times) / median(lo)).toFixed(2)}×`);
        }
      }
    }
    if (want('rounds') && n === Math.max(...SIZES)) await roundFigures(n, db);
    if (importHere) {
      if (want('docx')) add('allocation docx, 10,000 measures (whole scheme)', n, await child('docx', RUNS, { db }));
      if (want('import')) await importFigures(n, db, xlsx);
    }
  }
  // the whole plan as seeded (314 measures)
  if (want('docx')) {
    const plan = path.join(WORK, 'plan.db');
    await child('generate', 1, { n: 0, projects: 0, out: plan });
    add('allocation docx, whole plan (seeded)', 314, await child('docx', FAST, { db: plan }));
  }

  if (want('browser') && !flag('skip-browser') && fs.existsSync(CHROMIUM)) {
    if (!fs.existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
    for (const n of SIZES) {
      const runs: BrowserFigures[] = [];
      const load = loadAvg();
      for (let i = 0; i < (n >= 100_000 ? 1 : RUNS); i++) {
        const db = path.join(WORK, `browser-${n}-${i}.db`);
        fs.copyFileSync(dbs.get(n)!, db);
        runs.push(await measureBrowser({ dbPath: db, rootDir: ROOT, edits: i === 0 ? 50 : 20 }));
      }
      const m = (k: keyof BrowserFigures) => median(runs.map((r) => r[k] as number));
      const peak = `${Math.max(...runs.map((r) => r.chromiumRendererPeakMb ?? 0))} MB (renderer)`;
      table.push({ what: 'grid: window ready → first rows', n: String(n), figure: fmt(m('firstRowsAfterReadyMs')), peak, load, note: `navigation → first rows ${fmt(m('firstRowsMs'))}; ready → all rows loaded ${fmt(m('allRowsAfterReadyMs'))}` });
      table.push({ what: 'grid: scrolling frame time', n: String(n), figure: `p50 ${fmt(m('scrollFrameP50'))}, p95 ${fmt(m('scrollFrameP95'))}, max ${fmt(m('scrollFrameMax'))}`, peak: '', load });
      table.push({ what: 'grid: filter typed → rows updated (2 / 4 chars / cleared)', n: String(n), figure: `${fmt(m('filter2Ms'))} / ${fmt(m('filter4Ms'))} / ${fmt(m('filterClearMs'))}`, peak: '', load });
      table.push({ what: 'grid: edit, keypress → committed row (Enter right after typing)', n: String(n), figure: `p50 ${fmt(m('editP50'))}, p95 ${fmt(m('editP95'))}`, peak: '', load, note: `${runs[0].edits} edits in the first run` });
      table.push({ what: '  the same, Enter once the typed text is drawn (as a person sees it first)', n: String(n), figure: `p50 ${fmt(m('editSettledP50'))}, p95 ${fmt(m('editSettledP95'))}`, peak: '', load, note: `${runs[0].editsSettled} edits in the first run, in turn with the ones above` });
      console.error(`browser N=${n}:`, JSON.stringify(runs[0]));
    }
  }

  if (want('freeze') && !flag('skip-browser') && !flag('skip-freeze') && fs.existsSync(CHROMIUM)) await freezeRows(dbs);

  // the shared PostgreSQL server (issue 20): a cluster of its own on loopback
  if (want('sync') && pgBinDir()) table.push(...(await syncFigures(WORK, Number(opt('sync-measures', '100000')))));

  finish();
}

function finish() {
  const md =
    `# Benchmark\n\n${new Date().toISOString()} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''}) · Node ${process.version} · runs ${RUNS} (fast figures ${FAST}), medians\n\n` +
    '| what | N measures | median | peak memory | load avg (1/5/15 min) at start | note |\n|---|---:|---|---:|---|---|\n' +
    table.map((r) => `| ${r.what} | ${r.n} | ${r.figure} | ${r.peak} | ${r.load} | ${r.note ?? ''} |`).join('\n') +
    '\n';
  process.stdout.write(md);
  if (OUT) {
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, md);
  }
  fs.rmSync(WORK, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  // the figures taken before the failure are still written (marked), not lost with it
  table.push({ what: `**the run stopped here**: ${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 160)}`, n: '', figure: '', peak: '', load: loadAvg() });
  try {
    finish();
  } catch (e2) {
    console.error(e2);
  }
  process.exitCode = 1;
});
