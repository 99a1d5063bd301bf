// `npm run start:web`: the real renderer in a browser against the real services.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startBridge } from './server';

function userDataDir(): string {
  const name = '长株潭规划工作台';
  if (process.env.CZT_USER_DATA) return process.env.CZT_USER_DATA;
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), name);
}

/**
 * The last resort: the bridge answers every request it can parse and refuses the rest (server.ts),
 * but an error thrown from a callback no request handler wraps (a socket, a stream) must not end
 * the whole bridge for the person using it. The error's name only: a message may quote a request.
 */
function keepRunning(): void {
  process.on('uncaughtException', (e: Error) => console.error(`[czt] 浏览器模式：已忽略一次意外错误（${e?.name ?? '错误'}），服务继续运行。`));
  process.on('unhandledRejection', (e: unknown) => console.error(`[czt] 浏览器模式：已忽略一次意外错误（${(e as Error)?.name ?? '错误'}），服务继续运行。`));
}

async function main() {
  const root = path.resolve(__dirname, '..', '..');
  const staticDir = path.join(root, 'out', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    console.error('错误：界面尚未构建（缺少 out/renderer），请先运行 npm run build。');
    process.exitCode = 1;
    return;
  }
  const dbPath = process.env.CZT_DB ?? path.join(userDataDir(), 'czt-workbench.db');
  const port = process.env.PORT ? Number(process.env.PORT) : 0;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  keepRunning();
  const bridge = await startBridge({ dbPath, staticDir, port, version: pkg.version });
  console.log(`长株潭规划工作台（浏览器模式）已启动，仅限本机访问：\n  ${bridge.url}\n数据库：${dbPath}\n按 Ctrl+C 退出。`);
  const stop = () => void bridge.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error(`错误：${e.message}`);
  process.exitCode = 1;
});
