// A returned ledger that changes thousands of measures: the preview draws them a page at a
// time (a filter finds any one), and applying still writes every change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { generateDatabase } from '../../electron/bench/generate';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { setIdentity } from '../../electron/services/settings';
import { exportLedger } from '../../electron/export/xlsx/ledger';
import { haveChromium, startApp, type App } from './harness';

const skip = !haveChromium() && 'Chromium not installed';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-implarge-'));
const dbPath = path.join(dir, 'big.db');
const file = path.join(dir, '返回台账.xlsx');
let app: App;
const changedIds: string[] = [];

before(async () => {
  if (skip) return;
  generateDatabase(dbPath, { measures: 3000, projects: 10, seed: 21 });
  const db = openWorkbenchDb(dbPath);
  const ctx = contextFor(db);
  setIdentity(ctx, { name: '李四', unit: '省发展改革委' });
  const { buffer } = await exportLedger(ctx);
  db.close();
  // the department fills in 进展情况 on every measure row
  const wb = XLSX.read(buffer, { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]];
  const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, raw: false });
  const hr = rows.findIndex((r) => r.includes('编号'));
  const idCol = rows[hr].indexOf('编号');
  const progCol = rows[hr].indexOf('进展情况');
  rows.forEach((r, i) => {
    if (i <= hr || !/^\d+(\.\d+)+$/.test(String(r[idCol] ?? ''))) return;
    changedIds.push(String(r[idCol]));
    ws[XLSX.utils.encode_cell({ r: i, c: progCol })] = { t: 's', v: `部门填报：第${i}行已完成阶段任务` };
  });
  // and one row whose id this database does not have
  const extra = rows.length;
  ws[XLSX.utils.encode_cell({ r: extra, c: idCol })] = { t: 's', v: '9.9.9.99' };
  ws[XLSX.utils.encode_cell({ r: extra, c: progCol })] = { t: 's', v: '未知编号的一行' };
  const range = XLSX.utils.decode_range(ws['!ref']!);
  range.e.r = Math.max(range.e.r, extra);
  ws['!ref'] = XLSX.utils.encode_range(range);
  fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  app = await startApp({ dbPath });
});

after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('导入台账: thousands of changes shown a page at a time, filter finds one, apply writes all', { skip }, async () => {
  const { page } = app;
  assert.ok(changedIds.length > 2000, `rows changed in the file: ${changedIds.length}`);
  await page.click('[data-testid=nav-import]');
  await page.setInputFiles('[data-testid=import-file]', file);
  await page.waitForSelector('[data-testid=import-preview]', { timeout: 60_000 });
  const cards = page.locator('[data-testid=import-change]');
  assert.equal(await cards.count(), 100, 'the first page of changes only');
  const changes = page.locator('section', { has: page.locator('h3', { hasText: '修改（' }) });
  assert.match((await changes.locator('.paged-foot').textContent()) ?? '', new RegExp(`已显示 100 / ${changedIds.length} 条措施`));
  await changes.getByRole('button', { name: /再显示 100/ }).click();
  assert.equal(await cards.count(), 200);
  // 全部显示 is not offered for thousands (it would freeze the page)
  assert.equal(await changes.getByRole('button', { name: '全部显示' }).count(), 0);

  // the last changed measure, far beyond the first pages, found by its id
  const last = changedIds[changedIds.length - 1];
  await changes.getByLabel('筛选修改').fill(last);
  await page.waitForFunction((id) => {
    const els = document.querySelectorAll('[data-testid=import-change]');
    return els.length >= 1 && [...els].some((e) => e.getAttribute('data-measure-id') === id);
  }, last);
  assert.ok((await cards.count()) <= 100);

  assert.match((await page.locator('[data-testid=import-unknown]').textContent()) ?? '', /9\.9\.9\.99/);

  await page.click('[data-testid=import-apply]');
  await page.waitForSelector('[data-testid=import-summary]', { timeout: 60_000 });
  const all = await app.call('measures.list', {});
  for (const id of [changedIds[0], last]) assert.match(all.find((x) => x.id === id)!.progress, /^部门填报：第\d+行已完成阶段任务$/);
  assert.equal(all.filter((x) => x.progress.startsWith('部门填报：')).length, changedIds.length, 'every change applied');
});
