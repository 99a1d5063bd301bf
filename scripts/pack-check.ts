// `npm run pack:check`: lays out the unpacked Linux app with electron-builder and checks it, without
// the Electron binary or the internet (neither exists on the build machines). A stand-in Electron
// distribution (a placeholder executable carrying Electron's fuse wire) takes the real one's place;
// everything electron-builder does around it is real: app.asar, extra resources, the afterPack hook.
//
// Checked: the layout; what app.asar holds (the bundled main, workers, preload, renderer and
// better-sqlite3's JavaScript — not node_modules at large) and its size; the native module's ABI
// (Electron's for a release; here only Node's build exists, so `--node-abi` packs that one and the
// check says so); the fuses flipped by the afterPack hook; and the packaged main process started
// under a fake `electron` module (plain Node) from the packaged files: it creates its database from
// the packaged seeds, answers contract calls, and starts each worker (export, import, read) from
// the package with the packaged native module.
//
//   npx tsx scripts/pack-check.ts [--node-abi | --electron-abi] [--keep]   (npm run pack:check)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { extractAll, listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { makeFakeElectron, loadMain, type FakeWorld } from '../tests/electron/fake-electron';
import { READ_WORKER_KIND, type ReadReply, type ReadWorkerData } from '../electron/query/protocol';

const root = path.resolve(import.meta.dirname, '..');
const req = createRequire(path.join(root, 'package.json'));
/** app.asar above this is a sign that node_modules or source maps got in */
export const ASAR_LIMIT_MB = 20;
const EXECUTABLE = 'czt-plan-workbench';

export interface PackCheckResult {
  outDir: string;
  asarMb: number;
  asarFiles: number;
  abi: { found: number; electron: number; node: number; electronVersion: string };
  checks: string[];
}

/** NODE_MODULE_VERSION a native addon was built for, read from its registration symbol */
export function addonAbi(file: string): number | null {
  const m = /node_register_module_v(\d+)/.exec(fs.readFileSync(file).toString('latin1'));
  return m ? Number(m[1]) : null;
}

function standInElectron(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  // Electron's fuse sentinel and a V1 wire of nine fuses, all enabled, as in a fresh binary
  const wire = Buffer.from([1, 9, ...Array(9).fill(FuseState.ENABLE)]);
  const exe = path.join(dir, 'electron');
  fs.writeFileSync(exe, Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in Electron for pack:check"\n#'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, Buffer.from('\n')]));
  fs.chmodSync(exe, 0o755);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in\n');
}

function check(cond: unknown, what: string, done: string[]): void {
  if (!cond) throw new Error(`pack:check 未通过：${what}`);
  done.push(what);
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`pack:check 未通过：等待超时：${what}`);
    await tick();
  }
}

export async function packCheck(opts: { nodeAbi?: boolean; keep?: boolean } = {}): Promise<PackCheckResult> {
  const checks: string[] = [];
  if (!fs.existsSync(path.join(root, 'out', 'main', 'index.js'))) {
    const b = spawnSync(process.execPath, [req.resolve('electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('electron-vite build failed');
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-pack-'));
  const dist = path.join(work, 'electron-dist');
  standInElectron(dist);
  const electronBuild = path.join(root, 'build-electron', 'better_sqlite3.node');
  const nodeBuild = req.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  const native = opts.nodeAbi ? nodeBuild : electronBuild;
  if (!fs.existsSync(native)) throw new Error(`找不到 Electron 版 better-sqlite3（${path.relative(root, native)}）：先运行 node scripts/electron-native.mjs，或用 --node-abi 检查布局`);
  const out = path.join(work, 'dist');
  const r = spawnSync(process.execPath, [req.resolve('electron-builder/cli.js'), '--linux', 'dir', '--x64', '--config', 'electron-builder.config.cjs', '--publish', 'never'], {
    cwd: root,
    env: { ...process.env, CZT_ELECTRON_DIST: dist, CZT_PACK_OUT: out, CZT_PACK_NATIVE: native },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`electron-builder failed (${r.status}):\n${r.stdout}\n${r.stderr}`);

  // layout
  const app = path.join(out, 'linux-unpacked');
  const resources = path.join(app, 'resources');
  const asarFile = path.join(resources, 'app.asar');
  check(fs.existsSync(path.join(app, EXECUTABLE)), `the executable ${EXECUTABLE}`, checks);
  check(fs.existsSync(asarFile), 'resources/app.asar', checks);
  const packedNative = path.join(resources, 'native', 'better_sqlite3.node');
  check(fs.existsSync(packedNative), 'resources/native/better_sqlite3.node, outside app.asar', checks);
  const seeds = fs.readdirSync(path.join(root, 'seeds')).sort();
  check(JSON.stringify(fs.readdirSync(path.join(resources, 'seeds')).sort()) === JSON.stringify(seeds), `resources/seeds holds seeds/ (${seeds.length} files)`, checks);

  // what app.asar holds
  const files = listPackage(asarFile, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  const has = (f: string) => files.includes(f);
  for (const f of ['/package.json', '/out/main/index.js', '/out/main/export-worker.js', '/out/main/import-worker.js', '/out/main/query-worker.js', '/out/preload/index.js', '/out/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js', '/node_modules/bindings/bindings.js'])
    check(has(f), `app.asar has ${f}`, checks);
  const modules = [...new Set(files.filter((f) => /^\/node_modules\/[^/]+$/.test(f)).map((f) => f.slice('/node_modules/'.length)))].sort();
  check(JSON.stringify(modules) === JSON.stringify(['better-sqlite3', 'bindings', 'file-uri-to-path']), `app.asar's node_modules is better-sqlite3 and what it loads (found: ${modules.join(', ')})`, checks);
  check(!files.some((f) => f.endsWith('.map') || f.endsWith('.node') || f.startsWith('/node_modules/better-sqlite3/deps')), 'no source maps, native builds or C sources in app.asar', checks);
  const asarMb = fs.statSync(asarFile).size / 1024 / 1024;
  check(asarMb < ASAR_LIMIT_MB, `app.asar ${asarMb.toFixed(1)} MB < ${ASAR_LIMIT_MB} MB`, checks);

  // the native module's ABI
  const electronVersion: string = req('electron/package.json').version;
  const electronAbi = Number((req('node-abi') as { getAbi: (v: string, rt: string) => string }).getAbi(electronVersion, 'electron'));
  const found = addonAbi(packedNative);
  const nodeAbi = Number(process.versions.modules);
  if (opts.nodeAbi) check(found === nodeAbi, `native module: Node's ABI ${nodeAbi} as asked (--node-abi); a release needs Electron ${electronVersion}'s ABI ${electronAbi}`, checks);
  else check(found === electronAbi, `native module built for Electron ${electronVersion} (ABI ${electronAbi}; found ${found})`, checks);

  // fuses, flipped by the afterPack hook on the packaged executable
  const wire = (await getCurrentFuseWire(path.join(app, EXECUTABLE))) as unknown as Record<number, number>;
  check(
    wire[FuseV1Options.RunAsNode] === FuseState.DISABLE &&
      wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable] === FuseState.DISABLE &&
      wire[FuseV1Options.EnableNodeCliInspectArguments] === FuseState.DISABLE &&
      wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation] === FuseState.ENABLE &&
      wire[FuseV1Options.OnlyLoadAppFromAsar] === FuseState.ENABLE,
    'fuses flipped by the afterPack hook (RunAsNode, NODE_OPTIONS, inspect off; asar integrity, asar only on)',
    checks,
  );

  // the packaged main process, started from the packaged files (only possible with Node's ABI here)
  if (found === nodeAbi) await startPackaged(asarFile, resources, work, checks);
  else checks.push('packaged main not started under Node (its native module is Electron\'s): the launch test does that');

  if (!opts.keep) fs.rmSync(work, { recursive: true, force: true });
  return { outDir: app, asarMb, asarFiles: files.length, abi: { found: found ?? -1, electron: electronAbi, node: nodeAbi, electronVersion }, checks };
}

async function startPackaged(asarFile: string, resources: string, work: string, checks: string[]): Promise<void> {
  // plain Node cannot read app.asar: the same files, extracted beside the packaged resources
  const appDir = path.join(work, 'app');
  extractAll(asarFile, appDir);
  const userData = path.join(work, 'userData');
  fs.mkdirSync(userData);
  const world: FakeWorld = makeFakeElectron(appDir, userData, { isPackaged: true });
  const saved: string[] = [];
  (world.electron.dialog as Record<string, unknown>).showSaveDialog = async (...args: unknown[]) => {
    const o = args.at(-1) as { defaultPath?: string };
    const file = path.join(userData, path.basename(o?.defaultPath ?? 'export.bin'));
    saved.push(file);
    return { canceled: false, filePath: file };
  };
  const proc = process as unknown as { resourcesPath?: string };
  const prevResources = proc.resourcesPath;
  proc.resourcesPath = resources;
  const mainFile = path.join(appDir, 'out', 'main', 'index.js');
  try {
    loadMain(mainFile, world);
    world.ready();
    const invoke = await until('the IPC handler', () => world.ipc.get('czt:invoke'));
    const call = async (channel: string, input: unknown) => {
      const res = await invoke({ senderFrame: { url: 'app://workbench/index.html' } }, channel, input);
      if (!res.ok) throw new Error(`pack:check 未通过：${channel}: ${JSON.stringify(res.error)}`);
      return typeof res.value === 'string' && res.value.startsWith('{') ? JSON.parse(res.value) : res.value;
    };
    check(world.errorBoxes.length === 0, 'the packaged main starts without an error box', checks);
    const dbFile = path.join(userData, 'czt-workbench.db');
    check(fs.existsSync(dbFile), 'the packaged main creates its database under userData', checks);
    const info = await call('app.info', {});
    check(info.shell === 'electron' && info.dbPath === dbFile, 'app.info answered through the packaged dispatcher', checks);
    const page = await call('measures.page', { after: null, limit: 500 });
    const rows = (page.rows ?? page) as unknown[];
    check(Array.isArray(rows) && rows.length >= 300, `the plan seeded from the packaged seeds (${rows.length} measures)`, checks);
    // the export worker, from the package
    const exported = await call('export.run', { kind: 'ledger.xlsx' });
    const ledger = exported?.path ?? saved.at(-1);
    check(ledger && fs.existsSync(ledger) && fs.statSync(ledger).size > 10_000, 'export worker: a ledger written from the packaged app', checks);
    // the import worker, from the package, reading that ledger back
    const preview = await call('import.preview', { fileName: path.basename(ledger), base64: fs.readFileSync(ledger).toString('base64') });
    check(preview && typeof preview === 'object', 'import worker: the ledger previewed by the packaged app', checks);
    // the read worker (used from 5,000 measures on), from the package
    const entry = path.join(appDir, 'out', 'main', 'query-worker.js');
    const data: ReadWorkerData = { kind: READ_WORKER_KIND, dbFile, nativeBinding: path.join(resources, 'native', 'better_sqlite3.node') };
    const w = new Worker(`require(${JSON.stringify(entry)});`, { eval: true, workerData: data });
    const reply = await new Promise<ReadReply>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.postMessage({ id: 1, op: 'measures.facts', arg: 0 });
    });
    await w.terminate();
    check(reply.ok, 'read worker: answers from the packaged app with the packaged native module', checks);
  } finally {
    for (const fn of world.appEvents.get('will-quit') ?? []) fn();
    proc.resourcesPath = prevResources;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const t0 = Date.now();
  // Electron's ABI when its build exists (scripts/electron-native.mjs, which needs Electron's headers
  // from the internet); otherwise Node's, said so, since that is all the build machines can make
  const nodeAbi = process.argv.includes('--node-abi') || (!process.argv.includes('--electron-abi') && !fs.existsSync(path.join(root, 'build-electron', 'better_sqlite3.node')));
  if (nodeAbi) console.log('pack:check: no Electron build of better-sqlite3 here (build-electron/): packing Node\'s to check the layout; a release is built by the installers workflow');
  packCheck({ nodeAbi, keep: process.argv.includes('--keep') }).then(
    (r) => {
      for (const c of r.checks) console.log(`  ✓ ${c}`);
      console.log(`pack:check: ${r.checks.length} checks passed in ${((Date.now() - t0) / 1000).toFixed(1)} s; app.asar ${r.asarMb.toFixed(1)} MB, ${r.asarFiles} entries`);
      process.exit(0);
    },
    (e) => {
      console.error(String(e?.message ?? e));
      process.exit(1);
    },
  );
}
