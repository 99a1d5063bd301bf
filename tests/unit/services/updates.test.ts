// 设置 › 程序更新 through the dispatcher: the update folder's address (validated, audited, cleared),
// and check / download refused with a Chinese reason where the shell cannot update (the browser
// version, the CLI) or no folder is set; where an updater is present (the desktop app's
// electron/main/updates.ts), the folder is handed to it and its progress reaches the page as events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextFor } from '../../../electron/core/context';
import { listAudit } from '../../../electron/services/audit';
import { createDispatcher } from '../../../electron/ipc/router';
import { folderPlatform, type Platform } from '../../../electron/ipc/platform';
import type { Updater } from '../../../electron/services/updates';
import type { IpcResult } from '../../../shared/ipc/contract';
import type { UpdateConfig } from '../../../shared/updates';
import { freshDb } from '../../support/db';

const asConfig = (r: IpcResult<unknown>) => r as IpcResult<UpdateConfig>;

function fresh(platform?: (dbPath: string) => Platform) {
  const { file: f, db } = freshDb({ identity: { name: '张三', unit: '省发展改革委' } });
  const dispatch = createDispatcher(db, { shell: 'electron', dbPath: f, version: '0.1.0' }, platform?.(f));
  return { db, dispatch };
}

test('the update folder: none by default; set, validated, audited, cleared', async () => {
  const { db, dispatch } = fresh();
  const c0 = asConfig(await dispatch('updates.getConfig', {}));
  assert.ok(c0.ok);
  assert.deepEqual(c0.ok && { url: c0.value.url, supported: c0.value.supported }, { url: null, supported: false });
  assert.match(c0.ok ? (c0.value.reason ?? '') : '', /安装版/);

  for (const bad of ['ftp://10.0.0.1/x/', 'javascript:alert(1)', 'http://user:pw@10.0.0.1/x/', 'not a url', `http://h/${'a'.repeat(600)}`]) {
    const r = await dispatch('updates.setUrl', { url: bad });
    assert.equal(r.ok, false, bad);
    assert.equal(!r.ok && r.error.code, 'VALIDATION');
    assert.match(!r.ok ? r.error.message : '', /更新地址/);
  }
  const set = asConfig(await dispatch('updates.setUrl', { url: ' http://10.1.2.3/czt-workbench/ ' }));
  assert.ok(set.ok && set.value.url === 'http://10.1.2.3/czt-workbench/');
  const audit = listAudit(contextFor(db), 'updates.url');
  assert.equal(audit.length, 1);
  assert.equal(audit[0].newValue, 'http://10.1.2.3/czt-workbench/');
  const cleared = asConfig(await dispatch('updates.setUrl', { url: null }));
  assert.ok(cleared.ok && cleared.value.url === null);
});

test('without an updater (browser version, CLI): check and download refused in Chinese', async () => {
  const { dispatch } = fresh();
  await dispatch('updates.setUrl', { url: 'http://10.1.2.3/czt/' });
  for (const ch of ['updates.check', 'updates.download'] as const) {
    const r = await dispatch(ch, {});
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'UNSUPPORTED');
    assert.match(!r.ok ? r.error.message : '', /安装版/);
  }
});

test('with an updater: the folder is asked only once set; progress goes out as events', async () => {
  const asked: string[] = [];
  const events: [string, unknown][] = [];
  const updater: Updater = {
    unsupportedReason: () => null,
    check: async (url) => {
      asked.push(`check ${url}`);
      return { current: '0.1.0', available: '0.2.0' };
    },
    download: async (url, onProgress) => {
      asked.push(`download ${url}`);
      onProgress({ percent: 50, transferred: 5, total: 10 });
      onProgress({ percent: 100, transferred: 10, total: 10 });
      return { version: '0.2.0', installOnQuit: true };
    },
  };
  const { dispatch } = fresh((f) => ({ ...folderPlatform(f), updater, emit: (e, p) => events.push([e, p]) }));
  const cfg = asConfig(await dispatch('updates.getConfig', {}));
  assert.ok(cfg.ok && cfg.value.supported);
  const none = await dispatch('updates.check', {});
  assert.equal(!none.ok && none.error.code, 'VALIDATION', 'no folder set: nothing contacted');
  assert.deepEqual(asked, []);
  await dispatch('updates.setUrl', { url: 'https://update.hunan.gov.cn/czt/' });
  const found = await dispatch('updates.check', {});
  assert.deepEqual(found.ok && found.value, { current: '0.1.0', available: '0.2.0' });
  const got = await dispatch('updates.download', {});
  assert.deepEqual(got.ok && got.value, { version: '0.2.0', installOnQuit: true });
  assert.deepEqual(asked, ['check https://update.hunan.gov.cn/czt/', 'download https://update.hunan.gov.cn/czt/']);
  assert.deepEqual(events.map(([e, p]) => [e, (p as { percent: number }).percent]), [
    ['updates.progress', 50],
    ['updates.progress', 100],
  ]);
});
