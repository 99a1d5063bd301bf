// Pure helpers for the main process's hardening: which URLs count as our app, how an
// app:// request maps to a file under out/renderer, and the Content-Security-Policy.
// No electron import here, so tests can run these under plain Node.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** CSP for the built renderer served from app://workbench. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * CSP for development, when electron-vite's dev server serves the renderer: React Fast
 * Refresh injects an inline preamble script and Vite's HMR talks over a websocket.
 */
export function devCsp(devUrl: string): string {
  const u = new URL(devUrl);
  const ws = `ws://${u.host}`;
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** scheme://host[:port] of a URL, or null. (URL.origin is "null" for custom schemes.) */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (!u.protocol || !u.host) return null;
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Is this URL a page of our own app? In a build that is app://workbench/…; in development
 * it is the dev server's origin (ELECTRON_RENDERER_URL), and nothing else.
 */
export function isAppUrl(url: string | undefined | null, devUrl?: string): boolean {
  const o = originOf(url);
  if (!o) return false;
  if (o === APP_ORIGIN) return true;
  if (devUrl) {
    const d = originOf(devUrl);
    if (d && o === d) return true;
  }
  return false;
}

/**
 * Map an app://workbench/… request URL to a file inside rootDir, or null when the request is
 * for another host, is malformed, or would leave rootDir (path traversal, absolute paths,
 * encoded separators, NUL bytes).
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  // any ".." segment is refused outright, even one that would stay inside rootDir
  if (rel.split('/').some((seg) => seg === '..')) return null;
  rel = rel.replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, rel);
  const back = path.relative(root, file);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeOf(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The Electron-ABI better-sqlite3 build made by scripts/electron-native.mjs. */
export function electronNativeBindingPath(appRoot: string): string {
  return path.join(appRoot, 'build-electron', 'better_sqlite3.node');
}
