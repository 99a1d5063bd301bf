#!/usr/bin/env node
// `npm start`: build and launch the desktop app.
// 1. the Electron binary must exist (it is downloaded by electron's install script, which is
//    skipped with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or fails without internet);
// 2. better-sqlite3 built for Electron's ABI (scripts/electron-native.mjs);
// 3. electron-vite build;
// 4. electron <project dir>  (package.json "main" is out/main/index.js).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

const binary = electronBinary(root);
if (!binary) {
  console.error(
    [
      '',
      '未安装 Electron 程序本体（node_modules/electron 中没有可执行文件），无法启动桌面版。',
      '请在能访问互联网的电脑上正常运行 npm install，或运行 npm rebuild electron 重新下载。',
      '也可以运行 npm run start:web，在浏览器中打开同一个应用（使用真实的后台服务）。',
      '',
      'The Electron binary is not installed (node_modules/electron has no executable), so the desktop app cannot start.',
      'Install it with a normal `npm install` on a machine with internet access, or run `npm rebuild electron`.',
      'Meanwhile `npm run start:web` opens the same app in a browser against the real services.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

function step(zh, en, args) {
  console.log(`[start] ${zh} / ${en}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] 失败：${zh}。Failed: ${en}.`);
    process.exit(r.status || 1);
  }
}

step('准备 Electron 版数据库组件', 'preparing better-sqlite3 for Electron', [path.join(root, 'scripts', 'electron-native.mjs')]);
let evite;
try {
  evite = require.resolve('electron-vite/bin/electron-vite.js');
} catch {
  console.error('[start] 找不到 electron-vite，请先运行 npm install。electron-vite is not installed; run npm install.');
  process.exit(1);
}
step('构建应用', 'building the app', [evite, 'build']);

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
delete env.ELECTRON_RENDERER_URL;
console.log('[start] 启动长株潭规划工作台 / launching');
const r = spawnSync(binary, [root, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
if (r.error) {
  console.error(`[start] 无法启动 Electron：${r.error.message}\nCould not launch Electron: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? (r.signal ? 1 : 0));
