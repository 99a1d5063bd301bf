// ESLint 9 flat config (CommonJS: package.json has no "type": "module").
// Besides the recommended JS/TS rules it enforces the layers of docs/architecture.md:
//   shared/   -> nothing from electron/ or renderer/, no node:*, electron, better-sqlite3, react
//   renderer/ -> nothing from electron/, no node:*, electron, better-sqlite3, fs, path, …
//   electron/ -> nothing from renderer/, and inside it one direction only, floor by floor:
//     db (db/, seed/) <- core <- services <- import/export/query <- ipc <- main, bridge, cli, bench
// Bare module names are checked with no-restricted-imports; relative paths are resolved
// against the importing file by the small local rule czt/layers, so '../../electron/db'
// is caught however deep the importing file sits.
const path = require('node:path');
const { builtinModules } = require('node:module');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const ROOT = __dirname;
const LAYERS = ['shared', 'electron', 'renderer', 'scripts', 'tests', 'seeds'];
/** importing layer -> layers it must not reach by a relative path */
const FORBIDDEN = {
  shared: ['electron', 'renderer', 'scripts', 'tests'],
  renderer: ['electron', 'scripts', 'tests'],
  electron: ['renderer', 'tests'],
};

/**
 * The floors inside electron/ (docs/architecture.md, Layers), lowest first: a file may import
 * from its own floor and the floors below it, never from a floor above.
 */
const ELECTRON_FLOORS = [
  { name: 'db', paths: ['db', 'seed'] },
  { name: 'core', paths: ['core'] },
  // server/: the shared PostgreSQL's schema, users and statements (issue 20), beside the services
  { name: 'services', paths: ['services', 'server'] },
  // sync/: a copy's clone, push and pull against that server (issue 20)
  { name: 'import/export/query', paths: ['import', 'export', 'query', 'worker-entry.ts', 'sync'] },
  { name: 'ipc', paths: ['ipc'] },
  { name: 'main/bridge/cli', paths: ['main', 'bridge', 'cli.ts', 'cli-rounds.ts', 'bench', 'preload'] },
];

/** the floor index of a file inside electron/ (null: not on any floor, e.g. a new top folder) */
function electronFloor(absPath) {
  const rel = path.relative(path.join(ROOT, 'electron'), absPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const first = rel.split(path.sep)[0];
  // an import names 'worker-entry' or 'cli' without the extension
  const i = ELECTRON_FLOORS.findIndex((f) => f.paths.some((p) => p === first || p === `${first}.ts`));
  return i < 0 ? null : i;
}

function layerOf(absPath) {
  const rel = path.relative(ROOT, absPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const first = rel.split(path.sep)[0];
  return LAYERS.includes(first) ? first : null;
}

const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the layer arrows of docs/architecture.md: shared <- electron, shared <- renderer, never across; inside electron/ one direction only.' },
    schema: [],
    messages: {
      crossing: "Layer rule: {{from}}/ must not import from {{to}}/ ('{{source}}'). Move shared code to shared/ or go through the IPC contract (docs/architecture.md, Layers).",
      upward:
        "Layer rule: the {{from}} floor of electron/ must not import from the {{to}} floor above it ('{{source}}'). Move the code to the floor where it belongs (docs/architecture.md, Layers).",
      unplaced: "Layer rule: electron/ file '{{file}}' is on no floor: add its folder to ELECTRON_FLOORS in eslint.config.js and to docs/architecture.md.",
    },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const from = layerOf(filename);
    const banned = from ? FORBIDDEN[from] : undefined;
    if (!banned) return {};
    const fromFloor = from === 'electron' ? electronFloor(filename) : null;
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(filename), source);
      const to = layerOf(target);
      if (to && to !== from && banned.includes(to)) {
        context.report({ node, messageId: 'crossing', data: { from, to, source } });
        return;
      }
      if (from !== 'electron' || to !== 'electron') return;
      const toFloor = electronFloor(target);
      if (fromFloor === null) {
        context.report({ node, messageId: 'unplaced', data: { file: path.relative(ROOT, filename) } });
      } else if (toFloor !== null && toFloor > fromFloor) {
        context.report({ node, messageId: 'upward', data: { from: ELECTRON_FLOORS[fromFloor].name, to: ELECTRON_FLOORS[toFloor].name, source } });
      }
    };
    const fromNode = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromNode,
      ExportNamedDeclaration: fromNode,
      ExportAllDeclaration: fromNode,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        const arg = node.argument && node.argument.literal ? node.argument.literal : node.argument;
        if (arg && arg.type === 'Literal') check(arg, arg.value);
      },
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};

const nodeBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))];
// bare names here; every node:* specifier is caught by the 'node:*' pattern below
const builtinPaths = nodeBuiltins.filter((m) => !m.startsWith('_'));
const NATIVE_AND_ELECTRON = ['electron', 'better-sqlite3', 'electron-vite', 'vite'];

const restrictedFor = (extraPaths, label) => [
  'error',
  {
    paths: [...new Set([...builtinPaths, ...NATIVE_AND_ELECTRON, ...extraPaths])].map((name) => ({
      name,
      message: `${label} must not import '${name}' (see docs/architecture.md, Layers).`,
    })),
    patterns: [
      { group: ['node:*'], message: `${label} must not import Node built-ins.` },
      { group: ['electron/*', 'better-sqlite3/*'], message: `${label} must not import Electron or native modules.` },
      ...extraPaths.map((p) => ({ group: [`${p}/*`], message: `${label} must not import '${p}'.` })),
    ],
  },
];

const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone', 'fetch',
    'AbortController', 'TextEncoder', 'TextDecoder', 'globalThis',
  ].map((g) => [g, 'readonly']),
);
const cjsGlobals = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

module.exports = [
  {
    ignores: ['out/**', '.scratch/**', 'dist/**', 'node_modules/**', 'build-electron/**', 'docs/**', 'test-results/**', 'tmp/**', '**/*.d.ts.map'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { czt: { rules: { layers: layersRule } } },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      'czt/layers': 'error',
      // pragmatic: style trivia must not fail the build
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description', 'ts-ignore': true }],
      'no-empty': ['warn', { allowEmptyCatch: true }],
      'prefer-const': 'warn',
      'no-control-regex': 'off',
      'no-useless-escape': 'warn',
      'no-irregular-whitespace': ['error', { skipStrings: true, skipComments: true, skipRegExps: true, skipTemplates: true, skipJSXText: true }],
    },
  },
  // plain JS/MJS files: scripts and this config run under Node
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...cjsGlobals } } },
  // shared/: pure TypeScript
  {
    files: ['shared/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': restrictedFor(['react', 'react-dom', 'ag-grid-community', 'ag-grid-react'], 'shared/'),
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'],
        ...['process', 'require', '__dirname', '__filename', 'Buffer'],
      ],
    },
  },
  // renderer/: React in Chromium, talks to main only through window.czt
  {
    files: ['renderer/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': restrictedFor([], 'renderer/'),
      'no-restricted-globals': ['error', 'process', 'require', '__dirname', '__filename', 'Buffer'],
    },
  },
  // Node side: tsconfig.node.json has the DOM lib for the Playwright tests, so keep browser
  // globals out of electron/ and scripts/ here
  {
    files: ['electron/**/*.ts', 'scripts/**/*.{ts,mjs,js}'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'alert', 'HTMLElement'].map((name) => ({
          name,
          message: 'Browser global on the Node side: this code runs in the main process or in Node.',
        })),
      ],
    },
  },
  // preload: only 'electron' at run time (shared/ is bundled in); no Node built-ins
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['better-sqlite3', ...builtinPaths].map((name) => ({
            name,
            message: 'A sandboxed preload can require only electron.',
          })),
          patterns: [{ group: ['node:*'], message: 'A sandboxed preload can require only electron.' }],
        },
      ],
    },
  },
];
