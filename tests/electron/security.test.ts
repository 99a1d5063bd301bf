// The pure parts of the main process's hardening: app:// file mapping and sender origins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { APP_ENTRY_URL, CSP, devCsp, isAppUrl, mimeOf, originOf, resolveAppFile } from '../../electron/main/security';

const dir = path.resolve('/srv/app/out/renderer');

test('app:// maps to files inside out/renderer', () => {
  assert.equal(resolveAppFile(dir, APP_ENTRY_URL), path.join(dir, 'index.html'));
  assert.equal(resolveAppFile(dir, 'app://workbench/'), path.join(dir, 'index.html'));
  assert.equal(resolveAppFile(dir, 'app://workbench'), path.join(dir, 'index.html'));
  assert.equal(resolveAppFile(dir, 'app://workbench/assets/index-abc.js?v=1#x'), path.join(dir, 'assets', 'index-abc.js'));
  assert.equal(resolveAppFile(dir, 'app://workbench/assets/%E5%AD%97.woff2'), path.join(dir, 'assets', '字.woff2'));
});

test('app:// never leaves out/renderer, whatever the encoding', () => {
  for (const url of [
    'app://workbench/../package.json', // the URL parser already folds this to /package.json
    'app://workbench/a/../../../../etc/passwd',
    'app://workbench/%2e%2e/package.json',
    'app://workbench/assets/%2E%2E/%2E%2E/secret',
    'app://workbench/..%2fpackage.json',
    'app://workbench/..%5cpackage.json',
    'app://workbench/assets%5c..%5c..%5cx',
    'app://workbench/%2Fetc%2Fpasswd',
    'app://workbench//etc/passwd',
  ]) {
    const r = resolveAppFile(dir, url);
    assert.ok(r === null || r.startsWith(dir + path.sep), `${url} -> ${r}`);
  }
  // decoded ".." segments are refused outright
  assert.equal(resolveAppFile(dir, 'app://workbench/..%2fpackage.json'), null);
  assert.equal(resolveAppFile(dir, 'app://workbench/..%5cpackage.json'), null);
});

test('app:// refuses other hosts, other schemes and bad encodings', () => {
  for (const url of [
    'app://workbench/%00index.html',
    'app://workbench/%E0%A4%A',
    'app://evil/index.html',
    'file:///etc/passwd',
    'https://workbench/index.html',
    'not a url',
  ]) {
    assert.equal(resolveAppFile(dir, url), null, url);
  }
});

test('only our origin (and the dev server in development) counts as the app', () => {
  assert.equal(originOf('app://workbench/index.html'), 'app://workbench');
  assert.ok(isAppUrl('app://workbench/index.html'));
  assert.ok(isAppUrl('app://WORKBENCH/x'));
  assert.ok(!isAppUrl('app://other/index.html'));
  assert.ok(!isAppUrl('https://example.com/'));
  assert.ok(!isAppUrl('file:///work/main/out/renderer/index.html'));
  assert.ok(!isAppUrl('about:blank'));
  assert.ok(!isAppUrl(''));
  assert.ok(!isAppUrl(undefined));
  assert.ok(!isAppUrl('http://localhost:5173/'), 'the dev server only counts when ELECTRON_RENDERER_URL is set');
  assert.ok(isAppUrl('http://localhost:5173/src/x.tsx', 'http://localhost:5173'));
  assert.ok(!isAppUrl('http://localhost:5174/', 'http://localhost:5173'));
  assert.ok(!isAppUrl('http://localhost.evil.com:5173/', 'http://localhost:5173'));
});

test('the CSP is strict in a build and allows only HMR extras in development', () => {
  assert.match(CSP, /default-src 'self'/);
  assert.match(CSP, /script-src 'self'(;|$)/);
  assert.doesNotMatch(CSP, /unsafe-eval/);
  assert.doesNotMatch(CSP, /script-src[^;]*unsafe-inline/);
  const dev = devCsp('http://localhost:5173');
  assert.match(dev, /connect-src 'self' ws:\/\/localhost:5173/);
  assert.doesNotMatch(dev, /unsafe-eval/);
});

test('mime types', () => {
  assert.equal(mimeOf('a/index.html'), 'text/html; charset=utf-8');
  assert.equal(mimeOf('a/x.JS'), 'text/javascript; charset=utf-8');
  assert.equal(mimeOf('a/x.woff2'), 'font/woff2');
  assert.equal(mimeOf('a/x.unknown'), 'application/octet-stream');
});
