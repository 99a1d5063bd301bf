// Export file names from data (issue 16 item 9): a draft titled with the 100 characters the schema
// allows is exported through the dispatcher as any other (it failed with ENAMETOOLONG and the
// absolute path, worded 内部错误，修改未保存); every name fits 255 bytes and Windows' path
// limits, also with the (2) of a second copy; and no internal error shows a path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { createDispatcher } from '../../../electron/ipc/router';
import { fitFileName } from '../../../electron/export/file-name';
import { publicErrorMessage, withoutPaths } from '../../../electron/core/context';
import { freshDb } from '../../hostile/builders';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

test('a draft with a 100-character title exports both its files, twice, under every limit', async () => {
  const h = freshDb('czt-names-');
  const prev = process.env.CZT_EXPORT_DIR;
  process.env.CZT_EXPORT_DIR = path.join(h.dir, 'exports');
  try {
    const dispatch = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 'test' });
    const title = '长株潭都市圈'.padEnd(100, '关于推进交通基础设施互联互通与产业协同发展的专项行动方案');
    assert.equal(title.length, 100);
    const d = (await dispatch('drafts.create', { kind: 'field', field: '对外开放', title })) as { ok: boolean; value: { id: number } };
    assert.equal(d.ok, true, JSON.stringify(d));
    for (const kind of ['special-plan.docx', 'draft-tables.xlsx', 'special-plan.docx']) {
      const r = (await dispatch('export.run', { kind, draftId: d.value.id })) as { ok: boolean; value?: { path: string; fileName: string }; error?: { message: string } };
      assert.equal(r.ok, true, JSON.stringify(r.error));
      const name = r.value!.fileName;
      assert.ok(bytes(name) <= 255 && name.length <= 100, `${name}: ${bytes(name)} bytes`);
      assert.ok(fs.existsSync(r.value!.path));
      assert.match(name, /-\d{8}(\(\d+\))?\.(docx|xlsx)$/, 'the date and the extension kept');
    }
  } finally {
    if (prev === undefined) delete process.env.CZT_EXPORT_DIR;
    else process.env.CZT_EXPORT_DIR = prev;
    h.close();
  }
});

test('fitFileName: any text makes one safe, short name with its extension (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('长', '/', '\\', ':', '*', '?', '"', '<', '>', '|', ' ', '.', '\u0000', '\u202e', '-', '2'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 400 }), fc.constantFrom('.xlsx', '.docx'), (s, ext) => {
      const n = fitFileName(`${s}-20261204${ext}`);
      assert.ok(bytes(n) <= 180 && n.length <= 80, n);
      assert.ok(n.endsWith(`-20261204${ext}`), n);
      assert.doesNotMatch(n, /[\\/:*?"<>|\u0000-\u001f\u202e]/);
      assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)\./i.test(n));
      assert.equal(fitFileName(n), n, 'stable');
    }),
    { numRuns: 500 },
  );
  assert.equal(fitFileName('CON.xlsx'), '导出文件-CON.xlsx');
  assert.equal(fitFileName('任务分工台账-全部-20261204.xlsx'), '任务分工台账-全部-20261204.xlsx');
});

test('an internal error never shows a path', () => {
  const e = Object.assign(new Error("ENAMETOOLONG: name too long, open '/home/王五/文档/长株潭.xlsx'"), { code: 'ENAMETOOLONG' });
  assert.equal(publicErrorMessage(e), '文件名或路径过长（ENAMETOOLONG）');
  for (const m of [
    "Cannot find module '/opt/czt/out/main/x.js'",
    'open C:\\Users\\王五\\Documents\\台账.xlsx failed',
    'at file:///home/u/app/index.js:1:2',
    'unlink \\\\server\\share\\a.db',
    'ENOENT /tmp/czt-x/w.db-wal',
  ]) {
    const out = publicErrorMessage(new Error(m));
    assert.doesNotMatch(out, /王五|\/opt|\/home|\/tmp|Users|server\\share/, out);
    assert.match(out, /（路径略）/);
  }
  assert.equal(withoutPaths('第 1/2 步：完成'), '第 1/2 步：完成');
});
