// electron-builder's afterPack hook: flips the Electron fuses (scripts/apply-fuses.mjs) on the
// packaged executable, before signing and before the installer is made.
const path = require('node:path');

exports.default = async function afterPack(context) {
  const { applyFuses } = await import('./apply-fuses.mjs');
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  const exe =
    electronPlatformName === 'win32'
      ? path.join(appOutDir, `${name}.exe`)
      : electronPlatformName === 'darwin'
        ? path.join(appOutDir, `${name}.app`)
        : path.join(appOutDir, packager.executableName);
  await applyFuses(exe);
  console.log(`  • fuses applied  file=${path.relative(process.cwd(), exe)}`);
};
