// The packaged app (scripts/pack-check.ts): electron-builder lays out the unpacked Linux app with a
// stand-in Electron, and the layout, app.asar's contents and size, the native module's ABI, the fuses
// and the packaged main process (started under a fake electron from the packaged files) are checked.
// Electron's ABI build of better-sqlite3 needs Electron's headers from the internet, so here Node's
// is packed and the check says which ABI it found; the installers workflow packs Electron's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { addonAbi, packCheck } from '../../scripts/pack-check';

const root = path.resolve(import.meta.dirname, '..', '..');

test('addonAbi reads the ABI a native module was built for', () => {
  const nodeBuild = createRequire(path.join(root, 'package.json')).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  assert.equal(addonAbi(nodeBuild), Number(process.versions.modules));
  assert.equal(addonAbi(path.join(root, 'package.json')), null);
});

test('pack:check: the unpacked app is laid out, holds what runs, and its main process starts from it', { timeout: 300_000 }, async () => {
  const r = await packCheck({ nodeAbi: true });
  assert.ok(r.asarMb < 20, `app.asar ${r.asarMb} MB`);
  assert.equal(r.abi.found, r.abi.node);
  assert.ok(r.abi.electron > r.abi.node, 'Electron 45 has a newer ABI than Node 20');
  for (const must of ['export worker', 'import worker', 'read worker', 'packaged seeds', 'fuses flipped', 'app.info answered']) {
    assert.ok(r.checks.some((c) => c.includes(must)), `checked: ${must}`);
  }
  assert.ok(!fs.existsSync(r.outDir), 'the temporary package is removed');
});

test('pack:check refuses to pack for a release without Electron\'s build of better-sqlite3', { skip: fs.existsSync(path.join(root, 'build-electron', 'better_sqlite3.node')) && 'build-electron/ exists here' }, async () => {
  await assert.rejects(packCheck({ nodeAbi: false }), /找不到 Electron 版 better-sqlite3/);
});
