// Finding a worker's entry: the bundled file beside the main bundle (also from a chunk folder
// below it), else worker.ts beside the caller (from sources, through tsx), else none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findWorkerEntry, workerBootstrap } from '../../electron/worker-entry';
import { exportWorkerEntry } from '../../electron/export/offthread';

test('bundled entry beside the bundle or one folder up (chunks), else worker.ts, else null', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-wentry-'));
  const main = path.join(root, 'out', 'main');
  const chunks = path.join(main, 'chunks');
  fs.mkdirSync(chunks, { recursive: true });
  assert.equal(findWorkerEntry(chunks, 'export-worker.js'), null);
  assert.equal(findWorkerEntry(undefined, 'export-worker.js'), null);
  fs.writeFileSync(path.join(main, 'export-worker.js'), '');
  assert.deepEqual(findWorkerEntry(main, 'export-worker.js'), { file: path.join(main, 'export-worker.js'), viaTsx: false });
  assert.deepEqual(findWorkerEntry(chunks, 'export-worker.js'), { file: path.join(main, 'export-worker.js'), viaTsx: false });
  const src = path.join(root, 'electron', 'export');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, 'worker.ts'), '');
  const e = findWorkerEntry(src, 'export-worker.js')!;
  assert.deepEqual(e, { file: path.join(src, 'worker.ts'), viaTsx: true });
  // tsx resolved from the entry (an absolute path): a worker started from another working folder finds it
  assert.match(workerBootstrap(e), /^require\(".*tsx[\\/]dist[\\/][^"]*"\)\.register\(\);\nrequire\(".*worker\.ts"\);$/);
  assert.doesNotMatch(workerBootstrap({ file: '/x/export-worker.js', viaTsx: false }), /tsx/);
  fs.rmSync(root, { recursive: true, force: true });
  // from this checkout's sources
  assert.ok(exportWorkerEntry()?.file.endsWith(path.join('electron', 'export', 'worker.ts')));
});
