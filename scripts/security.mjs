// Runs @doyensec/electronegativity over the Electron sources (electron/) and, when it has been
// built, over the bundle (out/), and fails on any finding that is not justified in the code.
//
// A finding is justified by a comment in the file where it stands, naming the check id:
//     // electronegativity PRELOAD_JS_CHECK: the preload exposes only invoke/on, see …
// The list of accepted findings therefore lives in the code, next to what it excuses, not
// here. A finding in the bundle (out/main/index.js …) is traced back to its source module by
// the "// electron/…/x.ts" markers the bundler writes before each module, and the
// justification is looked up in that source file.
//
// The Electron version is passed with -e (from node_modules/electron/package.json) so that
// electronegativity does not need to fetch the release list (it is offline here; it still
// tries, prints "No connectivity?" and goes on).
//
// Usage: node scripts/security.mjs [--json]      exit 0: no unjustified finding
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** The check ids justified in a file: { id -> [{ line, reason }] } */
export function justificationsIn(text) {
  const out = new Map();
  const lines = text.split(/\r?\n/);
  const re = /(?:\/\/|\/\*|\*|<!--)\s*electronegativity\s+([A-Z][A-Z0-9_]+)\s*:\s*(\S.{9,})/;
  lines.forEach((l, i) => {
    const m = l.match(re);
    if (!m) return;
    if (!out.has(m[1])) out.set(m[1], []);
    out.get(m[1]).push({ line: i + 1, reason: m[2].replace(/\s*(\*\/|-->)\s*$/, '').trim() });
  });
  return out;
}

function electronVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
  return pkg.version;
}

/**
 * Run electronegativity on one folder; findings with the file path made relative to the repo.
 * The report is read as SARIF, not CSV: electronegativity writes the CSV header and the rows with
 * two racing asynchronous fs.writeFile calls (the header's truncating write can land after the
 * rows, seen on a loaded CI machine), while the SARIF report is one write.
 */
function scan(dir, version) {
  const bin = require.resolve('@doyensec/electronegativity/dist/index.js');
  const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'czt-eneg-')), 'findings.sarif');
  const r = spawnSync(process.execPath, [bin, '-i', dir, '-e', version, '-r', '-o', outFile], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (!fs.existsSync(outFile)) {
    console.error(r.stdout, r.stderr);
    throw new Error(`electronegativity produced no output for ${dir} (exit ${r.status})`);
  }
  const sarif = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  fs.rmSync(path.dirname(outFile), { recursive: true, force: true });
  const results = sarif?.runs?.[0]?.results;
  if (!Array.isArray(results)) throw new Error(`electronegativity's report for ${dir} has no results list`);
  return results.map((x) => {
    const loc = x.locations?.[0]?.physicalLocation;
    const uri = String(loc?.artifactLocation?.uri ?? '');
    if (!x.ruleId || !uri) throw new Error(`electronegativity's report for ${dir} has a result without rule or file: ${JSON.stringify(x)}`);
    return {
      id: x.ruleId,
      severity: x.level,
      // -r gives paths relative to the scanned folder
      file: path.relative(root, path.resolve(dir, uri)),
      line: Number(loc?.region?.startLine) || 0,
      description: x.message?.text,
    };
  });
}

/** For a bundled file: the source module a line belongs to (from the bundler's "// path.ts" markers). */
function sourceOfBundleLine(file, line) {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split(/\r?\n/);
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = lines[i].match(/^\/\/ ((?:electron|shared)\/[\w./-]+\.(?:ts|tsx|js|mjs))\s*$/);
    if (m && fs.existsSync(path.join(root, m[1]))) return m[1];
  }
  return null;
}

export function classify(findings) {
  const cache = new Map();
  const justOf = (file) => {
    if (!cache.has(file)) cache.set(file, fs.existsSync(path.join(root, file)) ? justificationsIn(fs.readFileSync(path.join(root, file), 'utf8')) : new Map());
    return cache.get(file);
  };
  return findings.map((f) => {
    const source = f.file.startsWith('out' + path.sep) || f.file.startsWith('out/') ? sourceOfBundleLine(f.file, f.line) : f.file;
    const j = source ? justOf(source).get(f.id) : undefined;
    return { ...f, source, justified: !!j, reason: j?.map((x) => `${source}:${x.line} ${x.reason}`).join(' | ') };
  });
}

async function main() {
  const version = electronVersion();
  const dirs = ['electron', ...(fs.existsSync(path.join(root, 'out', 'main')) ? ['out'] : [])];
  let all = [];
  for (const d of dirs) all = all.concat(scan(path.join(root, d), version));
  const res = classify(all);
  if (process.argv.includes('--json')) console.log(JSON.stringify(res, null, 2));
  console.log(`electronegativity ${require('@doyensec/electronegativity/package.json').version}, Electron ${version}, scanned: ${dirs.join(', ')}`);
  for (const f of res) {
    const where = `${f.file}:${f.line}${f.source && f.source !== f.file ? ` (from ${f.source})` : ''}`;
    console.log(`${f.justified ? 'justified ' : 'FINDING   '} ${f.id} ${where} — ${f.description}${f.justified ? `\n            ↳ ${f.reason}` : ''}`);
  }
  const bad = res.filter((f) => !f.justified);
  console.log(`${res.length} finding(s), ${res.length - bad.length} justified in the code, ${bad.length} unjustified`);
  if (bad.length) {
    console.log('Fix them, or justify one where it stands with a comment: // electronegativity CHECK_ID: why it is safe');
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename))
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
