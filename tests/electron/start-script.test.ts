// `npm start` where the Electron binary is missing must explain itself in Chinese and English,
// point at `npm run start:web`, and exit 1 without a stack trace. ELECTRON_OVERRIDE_DIST_PATH
// points electron's own index.js at an empty folder, so this runs the same on machines where
// the binary is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

function runStart(extraEnv: Record<string, string | undefined>) {
  const env: Record<string, string | undefined> = { ...process.env, ...extraEnv };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function checkMessage(r: ReturnType<typeof runStart>) {
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 1, `exit code 1 expected, got ${r.status}\n${out}`);
  assert.match(out, /未安装 Electron/, 'Chinese message');
  assert.match(out, /Electron binary is not installed/, 'English message');
  assert.match(out, /npm install/);
  assert.match(out, /npm rebuild electron/);
  assert.match(out, /npm run start:web/);
  assert.doesNotMatch(out, /^\s+at .+[:(].*\d+:\d+\)?$/m, 'no stack trace');
  assert.doesNotMatch(out, /\bError:/, 'no raw error');
}

test('npm start without the Electron binary: plain bilingual message, exit 1', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-no-electron-'));
  try {
    checkMessage(runStart({ ELECTRON_OVERRIDE_DIST_PATH: empty }));
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('npm start on this machine (binary present or not) never prints a stack trace', (t) => {
  const pathTxt = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (fs.existsSync(pathTxt)) {
    t.skip('Electron binary is installed here; `npm start` would launch the app');
    return;
  }
  // electron's index.js throws when path.txt is missing: start.mjs must catch it
  checkMessage(runStart({ ELECTRON_OVERRIDE_DIST_PATH: undefined }));
});
