#!/usr/bin/env node
// Build better-sqlite3 for the installed Electron's ABI into build-electron/better_sqlite3.node,
// leaving node_modules/better-sqlite3/build (the Node-ABI build used by tests and the CLI)
// untouched. electron/main passes the result to better-sqlite3 as `nativeBinding`.
//
//   node scripts/electron-native.mjs          build if the stamp does not match
//   node scripts/electron-native.mjs --force  rebuild anyway
//
// Steps: copy node_modules/better-sqlite3 (without its build/) to build-electron/src, then
// `prebuild-install --runtime electron --target <electron version>` (downloads a prebuilt
// binary), falling back to `node-gyp rebuild --runtime=electron --target=<version>
// --dist-url=https://electronjs.org/headers` (compiles; needs Python and a C++ toolchain).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const outDir = path.join(root, 'build-electron');
const srcDir = path.join(outDir, 'src');
const target = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'stamp.json');
const force = process.argv.includes('--force');

function fail(zh, en, detail) {
  console.error(`\n[electron-native] ${zh}\n[electron-native] ${en}`);
  if (detail) console.error(`\n${detail}`);
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

let electronVersion;
let sqliteDir;
try {
  electronVersion = readJson(require.resolve('electron/package.json')).version;
} catch {
  fail('找不到 electron 包，请先运行 npm install。', 'The electron package is not installed; run npm install first.');
}
try {
  sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
} catch {
  fail('找不到 better-sqlite3 包，请先运行 npm install。', 'The better-sqlite3 package is not installed; run npm install first.');
}
const sqliteVersion = readJson(path.join(sqliteDir, 'package.json')).version;
const stamp = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: process.arch,
};

if (!force && fs.existsSync(target) && fs.existsSync(stampFile)) {
  try {
    const old = readJson(stampFile);
    if (Object.keys(stamp).every((k) => old[k] === stamp[k])) {
      console.log(`[electron-native] better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} is up to date (${path.relative(root, target)}).`);
      process.exit(0);
    }
  } catch {
    /* unreadable stamp: rebuild */
  }
}

console.log(`[electron-native] 正在为 Electron ${electronVersion} 构建 better-sqlite3 ${sqliteVersion} …`);
console.log(`[electron-native] Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch}) …`);

// 1. a private copy of the package, without the Node build
fs.rmSync(srcDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
fs.cpSync(sqliteDir, srcDir, {
  recursive: true,
  filter: (p) => {
    const rel = path.relative(sqliteDir, p);
    return rel !== 'build' && !rel.startsWith(`build${path.sep}`) && rel !== 'node_modules' && !rel.startsWith(`node_modules${path.sep}`);
  },
});

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
// never let an npm_config_* from the parent install redirect the target runtime
for (const k of Object.keys(env)) {
  if (/^npm_config_(runtime|target|disturl|arch|build_from_source)$/i.test(k)) delete env[k];
}

function run(label, cmd, args) {
  console.log(`[electron-native] ${label}: ${[cmd, ...args].map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: srcDir, env, stdio: 'inherit', shell: false });
  if (r.error) console.error(`[electron-native] ${label} could not start: ${r.error.message}`);
  return r.status === 0;
}

const built = path.join(srcDir, 'build', 'Release', 'better_sqlite3.node');

// 2. a prebuilt binary for this Electron version
let ok = false;
let prebuild;
try {
  prebuild = createRequire(path.join(sqliteDir, 'package.json')).resolve('prebuild-install/bin.js');
} catch {
  prebuild = null;
}
if (prebuild) {
  ok =
    run('prebuild-install', process.execPath, [
      prebuild,
      '--runtime=electron',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      `--platform=${process.platform}`,
      '--verbose',
    ]) && fs.existsSync(built);
  if (!ok) console.log('[electron-native] 没有可用的预编译文件，改为本机编译。 No prebuilt binary; compiling with node-gyp.');
}

// 3. compile against Electron's headers
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    (() => {
      try {
        return require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        return undefined;
      }
    })(),
    // node-gyp ships inside npm
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && fs.existsSync(c)) ?? null;
}
if (!ok) {
  const gyp = findNodeGyp();
  const gypArgs = [
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
    '--runtime=electron',
  ];
  ok = gyp
    ? run('node-gyp', process.execPath, [gyp, ...gypArgs]) && fs.existsSync(built)
    : run('node-gyp', process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp', gypArgs) && fs.existsSync(built);
}

if (!ok) {
  fail(
    `无法为 Electron ${electronVersion} 构建 better-sqlite3。需要联网（下载预编译文件或 Electron 头文件），本机编译还需要 Python 和 C++ 编译工具。node_modules 中供测试和命令行使用的版本未被改动。`,
    `Could not build better-sqlite3 for Electron ${electronVersion}. This needs internet access (prebuilt binary or Electron headers) and, to compile, Python and a C++ toolchain. The Node build in node_modules (used by tests and the CLI) was not touched.`,
  );
}

fs.copyFileSync(built, target);
fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, builtAt: new Date().toISOString() }, null, 2) + '\n');
console.log(`[electron-native] 完成 / done: ${path.relative(root, target)}`);
