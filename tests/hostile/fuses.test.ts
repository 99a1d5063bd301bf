// The Electron fuses for packaged builds (scripts/apply-fuses.mjs): the configuration itself,
// and flipping it on a stand-in binary that carries only Electron's fuse sentinel and wire
// (there is no packaged app or Electron binary on the build machines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
// @ts-expect-error a plain .mjs script without type declarations
import { FUSE_CONFIG, applyFuses } from '../../scripts/apply-fuses.mjs';

const cfg = FUSE_CONFIG as Record<string | number, unknown>;

test('fuse configuration: Node escape hatches off, asar integrity on', () => {
  assert.equal(cfg.version, FuseVersion.V1);
  assert.equal(cfg[FuseV1Options.RunAsNode], false);
  assert.equal(cfg[FuseV1Options.EnableNodeOptionsEnvironmentVariable], false);
  assert.equal(cfg[FuseV1Options.EnableNodeCliInspectArguments], false);
  assert.equal(cfg[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], true);
  assert.equal(cfg[FuseV1Options.OnlyLoadAppFromAsar], true);
  assert.equal(cfg[FuseV1Options.EnableCookieEncryption], true);
  assert.equal(cfg[FuseV1Options.GrantFileProtocolExtraPrivileges], false);
  assert.ok(Object.isFrozen(FUSE_CONFIG));
});

test('apply-fuses flips the wire of a (stand-in) packaged binary and reads it back', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-fuses-'));
  const exe = path.join(dir, 'czt-plan-workbench');
  const wireLen = 9;
  // every fuse starts in Electron's default-ish state: all enabled
  const wire = Buffer.from([1, wireLen, ...Array(wireLen).fill(FuseState.ENABLE)]);
  fs.writeFileSync(exe, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, Buffer.alloc(4096, 0x90)]));
  await applyFuses(exe);
  const now = (await getCurrentFuseWire(exe)) as unknown as Record<number, number>;
  assert.equal(now[FuseV1Options.RunAsNode], FuseState.DISABLE);
  assert.equal(now[FuseV1Options.EnableNodeOptionsEnvironmentVariable], FuseState.DISABLE);
  assert.equal(now[FuseV1Options.EnableNodeCliInspectArguments], FuseState.DISABLE);
  assert.equal(now[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], FuseState.ENABLE);
  assert.equal(now[FuseV1Options.OnlyLoadAppFromAsar], FuseState.ENABLE);
  // fuses not in the config are left alone
  assert.equal(now[FuseV1Options.WasmTrapHandlers], FuseState.ENABLE);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('apply-fuses refuses the development Electron in node_modules and missing files', async () => {
  await assert.rejects(applyFuses('/nonexistent/app.exe'), /找不到/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-fuses-'));
  const dev = path.join(dir, 'node_modules', 'electron', 'dist', 'electron');
  fs.mkdirSync(path.dirname(dev), { recursive: true });
  fs.writeFileSync(dev, 'x');
  await assert.rejects(applyFuses(dev), /node_modules/);
  fs.rmSync(dir, { recursive: true, force: true });
});
