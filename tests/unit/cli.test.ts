import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'electron', 'cli.ts'), ...args], { encoding: 'utf8', cwd: os.tmpdir() });
const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'czt-cli-')), 'w.db');

test('init then dump shows the whole plan as JSON on stdout only', () => {
  const db = tmp();
  const init = cli('init', '--db', db);
  assert.equal(init.status, 0, init.stderr);
  assert.deepEqual(JSON.parse(init.stdout), { db, measures: 357 });
  const again = cli('init', '--db', db);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^错误：文件已存在.*--force/);
  assert.equal(again.stdout, '');
  assert.equal(cli('init', '--db', db, '--force').status, 0);

  const dump = cli('dump', '--db', db);
  assert.equal(dump.status, 0, dump.stderr);
  const d = JSON.parse(dump.stdout);
  assert.equal(d.chapters.length, 9);
  assert.deepEqual({ no: d.chapters[0].no, title: d.chapters[0].title }, { no: 1, title: '规划背景' });
  assert.deepEqual({ no: d.chapters[0].sections[0].no, title: d.chapters[0].sections[0].title }, { no: 1, title: '发展基础' });
  const task = d.chapters[3].sections[0].tasks[0];
  assert.equal(task.id, '4.1.1');
  assert.equal(task.title, '打造轨道上的长株潭');
  assert.ok(task.text.startsWith('打造轨道上的长株潭。'));
  const m = task.measures[1];
  for (const k of ['id', 'text', 'lead', 'leadConfirmed', 'co', 'cities', 'deadline', 'status', 'progress']) assert.ok(k in m, k);
  assert.equal(m.lead, '省发展改革委'); // 4.1.1.2, railway: the suggested lead
  assert.equal(m.leadConfirmed, false);
  type Dump = { sections: { tasks: { measures: unknown[] }[] }[] }[];
  const all = (d.chapters as Dump).flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)));
  assert.equal(all.length, 357);
  assert.ok(d.departments.length >= 60);
  assert.ok((d.departments as { id: unknown; name: unknown }[]).every((x) => typeof x.id === 'number' && typeof x.name === 'string'));
  assert.equal(d.notice.length, 11);
  assert.equal(d.figures.length, 5);
});

test('set goes through the same validation and audit; errors in Chinese, non-zero, nothing written', () => {
  const db = tmp();
  cli('init', '--db', db);
  const ok = cli('set', '--db', db, '--measure', '6.3.1.1', '--lead', '湖南省生态环境厅', '--co', '长沙市人民政府、株洲市人民政府', '--cities', '长沙,株洲', '--deadline', '2025-12-31', '--status', '推进中', '--progress', '已建立联动机制', '--user', '李四', '--unit', '省生态环境厅');
  assert.equal(ok.status, 0, ok.stderr);
  const m = JSON.parse(ok.stdout);
  assert.equal(m.lead, '省生态环境厅');
  assert.equal(m.leadConfirmed, true);
  assert.deepEqual(m.co, ['长沙市人民政府', '株洲市人民政府']);
  assert.deepEqual(m.cities, ['长沙市', '株洲市']);
  assert.equal(m.status, '推进中');

  const before = cli('dump', '--db', db).stdout;
  for (const bad of [
    ['--measure', '6.3.1.1', '--deadline', '2025-02-30'],
    ['--measure', '6.3.1.1', '--lead', '不存在的部门'],
    ['--measure', '6.3.1.1', '--status', '差不多'],
    ['--measure', '99.1.1.1', '--progress', 'x'],
    ['--measure', '6.3.1.1'],
  ]) {
    const r = cli('set', '--db', db, ...bad);
    assert.equal(r.status, 1, bad.join(' '));
    assert.match(r.stderr, /^错误：/);
    assert.equal(r.stdout, '');
  }
  assert.equal(cli('dump', '--db', db).stdout, before, 'failed commands change nothing');
  const missing = cli('dump', '--db', path.join(os.tmpdir(), 'no-such-dir', 'x.db'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /不存在/);
});
