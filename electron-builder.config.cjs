// Packaging (electron-builder). `npm run dist` builds the installers where the packager's own tools
// can be downloaded (the hosted workflow: .github/workflows/installers.yml); `npm run pack:check`
// lays out and checks the unpacked Linux app here with a stand-in Electron (scripts/pack-check.ts),
// through the environment variables read below.
const path = require('node:path');

/** better-sqlite3 built for Electron's ABI (scripts/electron-native.mjs); pack:check may pass another */
const nativeBinding = process.env.CZT_PACK_NATIVE || 'build-electron/better_sqlite3.node';

// What the packaged app needs of node_modules: better-sqlite3's JavaScript and the package it
// loads. Everything else npm counts as a production package (better-sqlite3's install-time
// prebuild-install tree, the optional test-only validator) is left out, read from the lock file so
// that a new transitive package cannot slip in unnoticed.
const KEEP = new Set(['better-sqlite3', 'bindings', 'file-uri-to-path']);
const lock = require('./package-lock.json');
// (the packager lays nested copies out at the top level too, so every name is left out there)
const leftOut = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([p, e]) => p.startsWith('node_modules/') && !e.dev && !e.devOptional)
      .map(([p]) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length))
      .filter((name) => !KEEP.has(name)),
  ),
];

module.exports = {
  appId: 'cn.gov.hunan.czt.workbench',
  productName: '长株潭规划工作台',
  executableName: 'czt-plan-workbench',
  copyright: '湖南省长株潭都市圈建设推进办公室',
  directories: { output: process.env.CZT_PACK_OUT || 'dist', buildResources: 'resources' },
  ...(process.env.CZT_ELECTRON_DIST ? { electronDist: process.env.CZT_ELECTRON_DIST } : {}),
  // What runs: the bundled main process, workers, preload and renderer (out/, with the JavaScript
  // dependencies inside) and better-sqlite3's own JavaScript. Its native build is not node_modules'
  // (Node's ABI, for the tests and the CLI) but Electron's, placed outside app.asar (resources/native).
  files: [
    'package.json',
    'out/**',
    '!out/**/*.map',
    'node_modules/better-sqlite3/package.json',
    'node_modules/better-sqlite3/lib/**',
    'node_modules/bindings/**',
    'node_modules/file-uri-to-path/**',
    '!node_modules/better-sqlite3/{build,deps,src}/**',
    ...leftOut.map((name) => `!node_modules/${name}{,/**}`),
  ],
  // the native module comes from extraResources below, never rebuilt inside node_modules
  npmRebuild: false,
  asar: true,
  extraResources: [
    { from: 'seeds', to: 'seeds', filter: ['**/*'] },
    { from: path.resolve(__dirname, nativeBinding), to: 'native/better_sqlite3.node' },
  ],
  afterPack: path.join(__dirname, 'scripts', 'after-pack.cjs'),
  fileAssociations: [{ ext: 'czt-backup', name: '长株潭规划工作台备份', description: '长株潭规划工作台数据库备份', role: 'Viewer' }],
  // The update folder on the intranet is set by each installation in 设置 (none by default); the
  // generic provider makes `npm run dist` write latest.yml / latest-linux.yml beside the installers.
  publish: [{ provider: 'generic', url: 'http://update.invalid/czt-workbench/' }],
  win: { target: [{ target: 'nsis', arch: ['x64'] }], icon: 'resources/icon.ico' },
  nsis: {
    oneClick: false,
    perMachine: false, // per user, no administrator rights; the installer offers per machine
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    installerLanguages: ['zh_CN'],
    language: '2052',
    createDesktopShortcut: 'always',
    createStartMenuShortcut: true,
    shortcutName: '长株潭规划工作台',
    deleteAppDataOnUninstall: false, // the user's database and backups stay unless removed by hand
    installerIcon: 'resources/icon.ico',
    uninstallerIcon: 'resources/icon.ico',
    installerSidebar: 'resources/installerSidebar.bmp',
    uninstallerSidebar: 'resources/installerSidebar.bmp',
  },
  linux: {
    target: [
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ],
    icon: 'resources/icons',
    category: 'Office',
    synopsis: '长株潭都市圈发展规划任务分工与推进工作台',
    description: '长株潭都市圈发展规划（湘政发〔2022〕6号）的任务分工台账、重点项目、目标指标、方案起草与公文导出，离线使用。',
    maintainer: '湖南省长株潭都市圈建设推进办公室 <czt-workbench@localhost>',
    desktop: {
      entry: {
        Name: '长株潭规划工作台',
        Comment: '长株潭都市圈发展规划 · 任务分工与推进',
        Keywords: '长株潭;规划;任务分工;台账;',
        StartupWMClass: '长株潭规划工作台',
      },
    },
  },
  deb: { depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'libgbm1', 'libasound2'] },
  mac: { icon: 'resources/icon.icns', category: 'public.app-category.productivity' },
};
