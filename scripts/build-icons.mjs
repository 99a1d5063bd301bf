#!/usr/bin/env node
// Builds every icon and installer image the packager needs from the one drawing, resources/icon.svg:
//   resources/icons/NxN.png   16 … 1024 (Linux: electron-builder takes the folder; 512 for the .desktop entry)
//   resources/icon.png        512 × 512
//   resources/icon.ico        16, 24, 32, 48, 64, 128, 256 (PNG-compressed entries, Windows Vista and later)
//   resources/icon.icns       16 … 1024 (PNG entries icp4 … ic10)
//   resources/installerSidebar.bmp  164 × 314, 24-bit (NSIS welcome and finish pages)
// Rendered by Debian's Chromium (the same one the browser tests use) so that no image library is
// needed; the outputs are committed, so packaging does not need a browser. Run again after the SVG
// changes: `node scripts/build-icons.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const res = path.join(root, 'resources');
const svg = fs.readFileSync(path.join(res, 'icon.svg'), 'utf8');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS element types holding PNG data, by edge length (Apple's icns format)
const ICNS_TYPES = { 16: 'icp4', 32: 'icp5', 64: 'icp6', 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><meta charset="utf-8"><body></body>');
  const dataUrl = 'data:image/svg+xml;base64,' + Buffer.from(svg).toString('base64');

  /** the drawing at size × size, as PNG bytes */
  const png = async (size) => {
    const b64 = await page.evaluate(
      async ({ url, size }) => {
        const img = new globalThis.Image(); // in the page (page.evaluate)
        img.src = url;
        await img.decode();
        const c = globalThis.document.createElement('canvas');
        c.width = c.height = size;
        const g = c.getContext('2d');
        g.imageSmoothingQuality = 'high';
        g.drawImage(img, 0, 0, size, size);
        return c.toDataURL('image/png').split(',')[1];
      },
      { url: dataUrl, size },
    );
    return Buffer.from(b64, 'base64');
  };

  const pngs = new Map();
  fs.mkdirSync(path.join(res, 'icons'), { recursive: true });
  for (const s of SIZES) {
    const b = await png(s);
    pngs.set(s, b);
    fs.writeFileSync(path.join(res, 'icons', `${s}x${s}.png`), b);
  }
  fs.writeFileSync(path.join(res, 'icon.png'), pngs.get(512));
  fs.writeFileSync(path.join(res, 'icon.ico'), ico(ICO_SIZES.map((s) => [s, pngs.get(s)])));
  fs.writeFileSync(path.join(res, 'icon.icns'), icns(Object.entries(ICNS_TYPES).map(([s, type]) => [type, pngs.get(Number(s))])));

  // NSIS sidebar: the mark above the product name on the header's navy, 164 × 314 pixels
  const sidebar = await page.evaluate(
    async ({ url }) => {
      const img = new globalThis.Image(); // in the page (page.evaluate)
      img.src = url;
      await img.decode();
      const c = globalThis.document.createElement('canvas');
      c.width = 164;
      c.height = 314;
      const g = c.getContext('2d');
      g.fillStyle = '#17406f';
      g.fillRect(0, 0, 164, 314);
      g.drawImage(img, 34, 48, 96, 96);
      g.fillStyle = '#ffffff';
      g.textAlign = 'center';
      g.font = 'bold 17px "Noto Serif CJK SC", serif';
      g.fillText('长株潭规划工作台', 82, 182);
      g.font = '11px "Noto Sans CJK SC", sans-serif';
      g.fillStyle = '#d8e2ee';
      g.fillText('长株潭都市圈发展规划', 82, 210);
      g.fillText('任务分工与推进', 82, 228);
      return Array.from(g.getImageData(0, 0, 164, 314).data);
    },
    { url: dataUrl },
  );
  fs.writeFileSync(path.join(res, 'installerSidebar.bmp'), bmp24(164, 314, sidebar));
  console.log(`icons written to ${path.relative(root, res)}/`);
} finally {
  await browser.close();
}

/** ICO with PNG-compressed images (a 256 px entry is written with width/height 0, as the format says) */
function ico(entries) {
  const head = Buffer.alloc(6 + 16 * entries.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // type 1: icon
  head.writeUInt16LE(entries.length, 4);
  let offset = head.length;
  entries.forEach(([size, data], i) => {
    const e = 6 + 16 * i;
    head.writeUInt8(size >= 256 ? 0 : size, e);
    head.writeUInt8(size >= 256 ? 0 : size, e + 1);
    head.writeUInt8(0, e + 2); // no palette
    head.writeUInt8(0, e + 3);
    head.writeUInt16LE(1, e + 4); // colour planes
    head.writeUInt16LE(32, e + 6); // bits per pixel
    head.writeUInt32LE(data.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...entries.map(([, d]) => d)]);
}

/** ICNS: 'icns', total length, then (type, length including the 8-byte element header, data) */
function icns(entries) {
  const parts = entries.map(([type, data]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

/** 24-bit bottom-up BMP from RGBA pixels (NSIS wants BMP for its sidebar) */
function bmp24(w, h, rgba) {
  const rowBytes = Math.ceil((w * 3) / 4) * 4;
  const size = 54 + rowBytes * h;
  const b = Buffer.alloc(size);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowBytes * h, 34);
  b.writeInt32LE(2835, 38); // 72 dpi
  b.writeInt32LE(2835, 42);
  for (let y = 0; y < h; y++) {
    const row = 54 + (h - 1 - y) * rowBytes;
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      b[row + x * 3] = rgba[i + 2];
      b[row + x * 3 + 1] = rgba[i + 1];
      b[row + x * 3 + 2] = rgba[i];
    }
  }
  return b;
}
