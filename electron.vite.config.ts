// Build of the three Electron parts (main, preload, renderer) with electron-vite 6 / vite 8.
// - main: CommonJS in out/main, npm dependencies (better-sqlite3, zod) stay external.
// - preload: ONE CommonJS file in out/preload that requires only 'electron' (a sandboxed
//   preload can neither be an ES module nor require anything else), so every dependency,
//   including shared/ and whatever it pulls in, is bundled into it.
// - renderer: root renderer/ -> out/renderer, relative base so it loads from app://.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname ?? __dirname;
const r = (...p: string[]) => resolve(root, ...p);

export default defineConfig({
  main: {
    build: {
      outDir: r('out/main'),
      // package.json "dependencies" (better-sqlite3 alone: native, loaded with an Electron-ABI
      // nativeBinding) stay external; the JavaScript libraries are devDependencies and bundled, so the
      // packaged app.asar holds what runs rather than node_modules (exceljs alone brings an archiver tree)
      externalizeDeps: { include: ['better-sqlite3'] },
      sourcemap: true,
      rolldownOptions: {
        // the import worker reads untrusted spreadsheets off the main thread (electron/import/worker.ts);
        // the export worker writes ledgers and documents off it (electron/export/worker.ts)
        input: {
          index: r('electron/main/index.ts'),
          'import-worker': r('electron/import/worker.ts'),
          'export-worker': r('electron/export/worker.ts'),
          // read-only calls that are long on a very large ledger (方案起草's gaps): electron/query/worker.ts
          'query-worker': r('electron/query/worker.ts'),
        },
        output: { format: 'cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: r('out/preload'),
      // bundle everything: the sandboxed preload may require('electron') and nothing else
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: r('electron/preload/index.ts') },
        external: ['electron'],
        output: {
          format: 'cjs',
          entryFileNames: '[name].js',
          // never split the preload into chunks (a chunk would need a second require)
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    root: r('renderer'),
    base: './',
    plugins: [react()],
    server: {
      host: '127.0.0.1',
      fs: { allow: [root] },
    },
    build: {
      outDir: r('out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: { index: r('renderer/index.html') },
      },
    },
  },
});
