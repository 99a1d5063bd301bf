// Issue 20, item 3 in Chromium against a real PostgreSQL (tests/sync/support.ts starts its own
// cluster): the app opens the office's copy of the shared server; 设置 › 联网协同 takes the server,
// login and password, 测试连接 names the person the server takes the login for; an edit shows
// 待上传 1 条 in the header, 立即同步 brings it to 已同步; a change made meanwhile on the server
// through a second copy (the engine's own functions) makes the app's next edit of the same field a
// conflict, listed in the app and resolved with 采用服务器. The password never comes back.
// Then automatic sync: with the server stopped the header says 离线（自 …）, an edit made meanwhile
// adds 待上传 1 条, and when the server is back the automatic sync alone brings it to 已同步.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { applyEdits } from '../../electron/services/measures';
import { syncNow } from '../../electron/sync/engine';
import { pgBinDir } from '../sync/pg-server';
import { cloneCopy, PASSWORD, PEOPLE, serverRows, startWorld, type SyncWorld } from '../sync/support';
import { appPerFile, waitFor, type App } from './harness';

// the automatic sync's timer, shortened for this file (read when the timer starts)
process.env.CZT_SYNC_PERIOD_MS = '1000';
process.env.CZT_SYNC_SETTLE_MS = '300';

let world: SyncWorld | undefined;
const DB = 'czt_e2e';
let app: App;
let page: Page;

const { skip } = appPerFile(
  {
    identity: { name: PEOPLE.office.name, unit: PEOPLE.office.unit },
    width: 1366,
    height: 768,
    needs: [path.join(pgBinDir() ?? '/usr/lib/postgresql/none/bin', 'initdb')],
    database: async () => {
      world = await startWorld();
      world.newServer(DB);
      const copy = await cloneCopy(world, DB, 'office');
      copy.db.close();
      return copy.file;
    },
  },
  async (a) => {
    app = a;
    page = a.page;
    await a.call('settings.setIdentity', { name: PEOPLE.office.name, unit: PEOPLE.office.unit });
    await page.reload();
  },
);
after(() => world?.close());

const badge = async () => (await page.getByTestId('sync-status').textContent()) ?? '';
const progressOf = async (id: string) => (await app.call('measures.get', { ids: [id] }))[0].progress;

test('联网协同: configure, test the connection, edit, sync, and resolve a conflict from the server', { skip }, async () => {
  const w = world!;
  const port = new URL(w.url(DB)).port;
  const [m] = (await serverRows<{ measure_id: string }>(w.url(DB), 'SELECT measure_id FROM czt.measure_lead ORDER BY measure_id LIMIT 1')).map((r) => r.measure_id);

  await waitFor(async () => (await badge()) === '未配置', 'the header says 未配置');
  await page.getByTestId('sync-status').click();
  const section = page.getByTestId('sync-settings');
  await section.getByLabel('服务器地址').fill(`postgres://127.0.0.1:${port}/${DB}`);
  await section.getByLabel('登录名').fill(PEOPLE.office.login);
  await section.getByLabel('密码').fill('wrong password');
  await section.getByRole('button', { name: '测试连接' }).click();
  await waitFor(async () => /连接失败：.*用户名或密码错误/.test((await page.getByTestId('sync-test-result').textContent()) ?? ''), 'a wrong password said plainly');
  await section.getByLabel('密码').fill(PASSWORD);
  await section.getByRole('button', { name: '测试连接' }).click();
  await waitFor(async () => /连接成功/.test((await page.getByTestId('sync-test-result').textContent()) ?? ''), 'the connection test answers');
  const who = (await page.getByTestId('sync-test-result').textContent()) ?? '';
  assert.match(who, new RegExp(`${PEOPLE.office.name}（${PEOPLE.office.login}）`));
  assert.match(who, new RegExp(`单位 ${PEOPLE.office.unit}`));
  assert.match(who, /角色 统筹办公室/);
  assert.match(who, /协同数据版本 \d+/);
  await section.getByRole('button', { name: '保存' }).click();
  await waitFor(async () => (await badge()) === '已同步', 'configured: 已同步');

  // the password is kept but never handed back, nor written to the change log
  const config = await app.call('sync.getConfig', {});
  assert.deepEqual(config, { server: `postgres://127.0.0.1:${port}/${DB}`, login: PEOPLE.office.login, hasPassword: true, auto: false });
  const audit = await app.call('audit.list', { table: 'setting', limit: 50 });
  assert.ok(audit.some((e) => JSON.stringify(e).includes(PEOPLE.office.login)), 'the login is in the change log');
  assert.ok(!JSON.stringify(audit).includes(PASSWORD), 'the password is not in the change log');
  assert.ok(!JSON.stringify(await app.call('sync.status', {})).includes(PASSWORD), 'nor in the status');

  // an edit queues one operation; 立即同步 sends it
  await app.call('measures.applyEdits', { edits: [{ measureId: m, patch: { progress: '本机：第一次填报' } }], op: '填报进展' });
  await waitFor(async () => (await badge()) === '待上传 1 条', 'the header says 待上传 1 条');
  await section.getByRole('button', { name: '立即同步' }).click();
  await waitFor(async () => (await badge()) === '已同步', '立即同步 → 已同步');
  const onServer = await serverRows<{ progress: string }>(w.url(DB), 'SELECT progress FROM czt.measure WHERE id = $1', [m]);
  assert.equal(onServer[0].progress, '本机：第一次填报');

  // someone else changes the same field on the server; this copy, not yet told, edits it too
  const other = await cloneCopy(w, DB, 'office', path.join(w.dir, 'second-office.db'));
  try {
    applyEdits(other.ctx, [{ measureId: m, patch: { progress: '服务器：另一台电脑的填报' } }], '填报进展');
    const r = await syncNow(other.ctx, w.url(DB, 'office'));
    assert.equal(r.pushed, 1);
  } finally {
    other.db.close();
  }
  await app.call('measures.applyEdits', { edits: [{ measureId: m, patch: { progress: '本机：第二次填报' } }], op: '填报进展' });
  await waitFor(async () => (await badge()) === '待上传 1 条', 'the second edit waits');
  await section.getByRole('button', { name: '立即同步' }).click();
  await waitFor(async () => (await badge()) === '已同步 · 冲突 1 条', 'the conflict is counted in the header');

  const row = page.getByTestId('sync-conflicts').locator('tbody tr');
  await waitFor(async () => (await row.count()) === 1, 'the conflict is listed');
  const text = (await row.textContent()) ?? '';
  assert.match(text, new RegExp(m.replace(/\./g, '\\.')));
  assert.match(text, /本机：第二次填报/);
  assert.match(text, /服务器：另一台电脑的填报/);
  assert.match(text, new RegExp(PEOPLE.office.name));
  assert.equal(await progressOf(m), '服务器：另一台电脑的填报', 'the server value stands until the person chooses');

  await row.getByRole('button', { name: '采用服务器' }).click();
  await waitFor(async () => (await page.getByTestId('sync-no-conflicts').count()) === 1, 'resolved: no conflict left');
  await waitFor(async () => (await badge()) === '已同步', 'the header is back to 已同步');
  assert.equal(await progressOf(m), '服务器：另一台电脑的填报');
  const left = await app.call('sync.conflicts', { includeResolved: true });
  assert.equal(left.length, 1);
  assert.equal(left[0].resolution, 'theirs');
});

test('automatic sync: 离线 while the server is stopped, 待上传 after an edit, 已同步 by itself when it is back', { skip }, async () => {
  const w = world!;
  const port = new URL(w.url(DB)).port;
  const [m] = (await serverRows<{ measure_id: string }>(w.url(DB), 'SELECT measure_id FROM czt.measure_lead ORDER BY measure_id DESC LIMIT 1')).map((r) => r.measure_id);
  await app.call('sync.setConfig', { server: `postgres://127.0.0.1:${port}/${DB}`, login: PEOPLE.office.login, auto: true });
  await waitFor(async () => (await badge()) === '已同步', 'automatic sync on: 已同步', 30_000);
  w.cluster.stop('fast');
  try {
    await waitFor(async () => /^离线（自 \d{4}\/\d{1,2}\/\d{1,2} \d{2}:\d{2}:\d{2}）$/.test(await badge()), 'the server stopped: 离线 since a time', 30_000);
    const title = (await page.getByTestId('sync-status').getAttribute('title')) ?? '';
    assert.match(title, /无法连接协同服务器|同步中断/, 'the reason on hover');
    await app.call('measures.applyEdits', { edits: [{ measureId: m, patch: { progress: '离线时的填报' } }], op: '填报进展' });
    await waitFor(async () => /^离线（自 .*） · 待上传 1 条$/.test(await badge()), 'an edit while offline: 待上传 1 条', 30_000);
  } finally {
    w.cluster.start();
  }
  // nobody clicks 立即同步: the automatic sync sends it
  await waitFor(async () => (await badge()) === '已同步', 'the server back: 已同步 by itself', 30_000);
  const onServer = await serverRows<{ progress: string }>(w.url(DB), 'SELECT progress FROM czt.measure WHERE id = $1', [m]);
  assert.equal(onServer[0].progress, '离线时的填报');
  await app.call('sync.setConfig', { server: `postgres://127.0.0.1:${port}/${DB}`, login: PEOPLE.office.login, auto: false });
});
