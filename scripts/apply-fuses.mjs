// Flips Electron's build-time fuses on a PACKAGED app's Electron binary, so that the shipped
// executable cannot be turned into a plain Node (RunAsNode), be steered by NODE_OPTIONS or
// --inspect, or load app code from outside its integrity-checked app.asar.
//
//   node scripts/apply-fuses.mjs <path to the packaged executable>
//     e.g. dist/win-unpacked/长株潭规划工作台.exe, dist/linux-unpacked/czt-plan-workbench,
//          dist/mac/长株潭规划工作台.app
//
// Run it on the packaged copy only, after packaging and before signing (on macOS the ad-hoc
// signature is reset; sign afterwards). NEVER on node_modules/electron/dist/electron: with
// OnlyLoadAppFromAsar the development binary would refuse to start `electron .`.
//
// No packager is configured in this project yet. When one is added, call this from its
// after-pack hook instead (electron-builder: `afterPack`; Electron Forge: the
// @electron-forge/plugin-fuses plugin with FUSE_CONFIG below), and make the packager write
// the asar integrity hash (electron-builder and Forge both do for app.asar), or the
// EnableEmbeddedAsarIntegrityValidation + OnlyLoadAppFromAsar pair will refuse to start the app.
//
// tests/hostile/fuses.test.ts checks FUSE_CONFIG without a binary.
import path from 'node:path';
import fs from 'node:fs';
import { flipFuses, getCurrentFuseWire, FuseState, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuses for a packaged build (the Electron security checklist's "Electron fuses"). */
export const FUSE_CONFIG = Object.freeze({
  version: FuseVersion.V1,
  // `ELECTRON_RUN_AS_NODE=1 app.exe script.js` would otherwise run any script as Node
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS=--require evil.js would otherwise be honoured by the app
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would otherwise open a debugger port into the main process
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar must match the hash embedded in the executable
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // and the app is only ever loaded from that asar (no loose app/ folder beside it)
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // cookies (there are none today) encrypted at rest with the OS key store
  [FuseV1Options.EnableCookieEncryption]: true,
  // the renderer is served from app://, so file:// needs no extra privileges
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
});

/** Flip the fuses on a packaged executable and read them back; throws if one did not take. */
export async function applyFuses(executable) {
  const file = path.resolve(executable);
  if (!fs.existsSync(file)) throw new Error(`找不到打包后的可执行文件：${file}`);
  if (file.split(path.sep).includes('node_modules'))
    throw new Error(`拒绝修改 node_modules 中的开发用 Electron（${file}）：只对打包后的程序设置熔断开关。`);
  await flipFuses(file, { ...FUSE_CONFIG, resetAdHocDarwinSignature: process.platform === 'darwin' && file.endsWith('.app') });
  const wire = await getCurrentFuseWire(file);
  const wrong = Object.entries(FUSE_CONFIG)
    .filter(([k]) => k !== 'version')
    .filter(([k, want]) => {
      const state = wire[k];
      // absent: this Electron has no such fuse
      return state !== undefined && state !== (want ? FuseState.ENABLE : FuseState.DISABLE);
    });
  if (wrong.length) throw new Error(`熔断开关设置后读回不一致：${wrong.map(([k]) => FuseV1Options[k] ?? k).join('、')}`);
  return wire;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const target = process.argv[2];
  if (!target) {
    console.error('用法：node scripts/apply-fuses.mjs <打包后的可执行文件>（仅用于打包产物，本项目尚未配置打包工具）');
    process.exit(2);
  }
  // no top-level await: tests load this file through tsx's CommonJS transform
  applyFuses(target).then(
    () => {
      console.log(`fuses set on ${target}:`);
      for (const [k, v] of Object.entries(FUSE_CONFIG)) if (k !== 'version') console.log(`  ${FuseV1Options[k]} = ${v}`);
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
