// Where a worker thread's entry file is, for the two workers (export, import): the bundled .js that
// electron-vite writes beside the main bundle (out/main/<name>.js; the caller may itself sit in
// out/main/chunks), or worker.ts beside the caller when running from sources (tests, CLI, bridge),
// loaded through tsx.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface WorkerEntry {
  file: string;
  viaTsx: boolean;
}

/** `dir`: the folder of the calling module; `bundledName`: e.g. 'export-worker.js'. */
export function findWorkerEntry(dir: string | undefined, bundledName: string): WorkerEntry | null {
  if (!dir) return null;
  for (const d of [dir, path.dirname(dir)]) {
    const bundled = path.join(d, bundledName);
    if (fs.existsSync(bundled)) return { file: bundled, viaTsx: false };
  }
  const source = path.join(dir, 'worker.ts');
  if (fs.existsSync(source)) return { file: source, viaTsx: true };
  return null;
}

/** tsx's register API as an absolute path, found from the first of `from` that can; else the bare name */
function resolveTsx(from: (string | undefined)[]): string {
  for (const f of from) {
    if (!f) continue;
    try {
      return createRequire(path.resolve(f)).resolve('tsx/cjs/api');
    } catch {
      /* not from here */
    }
  }
  return 'tsx/cjs/api';
}

/** The code a Worker is started with (eval: true): registers tsx first when the entry is a .ts file. */
export function workerBootstrap(entry: WorkerEntry): string {
  // tsx found from the entry file, not from the working folder (the CLI runs from anywhere)
  const tsx = entry.viaTsx ? JSON.stringify(resolveTsx([entry.file, process.argv[1]])) : '';
  return `${entry.viaTsx ? `require(${tsx}).register();\n` : ''}require(${JSON.stringify(entry.file)});`;
}
