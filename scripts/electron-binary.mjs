// Where the installed Electron executable is, without downloading it. From Electron 43 on,
// require('electron') downloads a missing binary on first use; on machines without internet that
// fails with a stack trace, and on users' machines `npm start` should not fetch anything
// unasked. So read what electron's installer recorded (path.txt) and check the file exists.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The Electron executable installed for the project at `root`, or null when it is missing. */
export function electronBinary(root) {
  let dir;
  try {
    dir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  let rel = '';
  try {
    rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    // no path.txt: the binary was never installed (ELECTRON_SKIP_BINARY_DOWNLOAD or no internet)
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const p = override ? path.join(override, rel || 'electron') : rel ? path.join(dir, 'dist', rel) : null;
  return p && fs.existsSync(p) ? p : null;
}
