// 专项推进方案 drafts: pre-filling from the plan, editing and renumbering, versions, gaps, the
// field mapping, audit, and the CLI — against a real SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LATEST_VERSION } from '../../../electron/db/migrations';
import { ServiceError } from '../../../electron/core/context';
import { applyEdits, getMeasure, getMeasures, listMeasures } from '../../../electron/services/measures';
import { findDepartment } from '../../../electron/services/departments';
import { listProjects } from '../../../electron/services/projects';
import { listAuditFiltered } from '../../../electron/services/audit';
import { undoState } from '../../../electron/services/undo';
import {
  compareVersions,
  createDraft,
  deleteBlock,
  deleteDraft,
  draftGaps,
  getDraft,
  getFieldMapping,
  insertBlock,
  listDrafts,
  liveTable,
  listVersions,
  measuresInScope,
  moveBlock,
  restoreVersion,
  saveVersion,
  setFieldMapping,
  updateBlock,
  updateDraft,
} from '../../../electron/services/drafts';
import { createDispatcher } from '../../../electron/ipc/router';
import { DEFAULT_FIELD_MAPPING, type Draft } from '../../../shared/drafts';
import type { City } from '../../../shared/domain';
import { freshDb } from '../../support/db';

const fresh = () => freshDb({ identity: { name: '王五', unit: '省生态环境厅' } });

const headings = (d: Draft, part = false) =>
  d.blocks.filter((b) => b.type === 'heading' && b.attachment === part).map((b) => `${d.numbers[b.id]}${b.text}`);

test('migration 6 makes the draft tables (STRICT, foreign keys)', () => {
  const { db } = fresh();
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  for (const t of ['draft', 'draft_block', 'draft_version']) {
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(t) as { sql: string }).sql;
    assert.match(sql, /STRICT/);
  }
  assert.throws(() => db.prepare("INSERT INTO draft_block (draft_id, ord, type, text) VALUES (999, 1, 'para', 'x')").run(), /FOREIGN KEY/);
});

test('a 生态环境 draft holds every task and measure of 第六章, its projects and its targets', () => {
  const { ctx } = fresh();
  const t0 = performance.now();
  const d = createDraft(ctx, { kind: 'field', field: '生态环境', template: 'standard' });
  const ms = performance.now() - t0;
  assert.ok(ms < 3000, `created in ${ms.toFixed(0)} ms`);
  assert.equal(d.title, '长株潭都市圈生态环境同城化专项推进方案');
  assert.equal(d.mainTo, '长沙市、株洲市、湘潭市人民政府，省直有关单位');
  assert.deepEqual(d.scope, ['6']);
  // the outline: 一、总体要求 … 五、保障措施
  assert.deepEqual(
    headings(d).filter((h) => /^[一二三四五六七八九十]+、/.test(h)),
    ['一、总体要求', '二、工作目标', '三、重点任务', '四、重点项目', '五、保障措施'],
  );
  // 指导思想 cites 第二章第一节
  const guide = d.blocks.find((b) => b.type === 'citation' && b.measureId === '2.1.1.1');
  assert.ok(guide);
  assert.match(guide.citation!, /第二章第一节/);
  // every task of chapter 6 is a heading (or its section is, for a section without tasks)
  const ch6 = listMeasures(ctx).filter((m) => m.chapterNo === 6);
  const taskTitles = [...new Set(ch6.map((m) => m.taskTitle))];
  assert.equal(taskTitles.length, 11);
  const hs = d.blocks.filter((b) => b.type === 'heading').map((b) => b.text);
  for (const t of taskTitles) assert.ok(hs.includes(t), `task ${t} is a heading`);
  // every measure of chapter 6 is cited, verbatim, with its citation
  const cited = d.blocks.filter((b) => b.type === 'citation');
  for (const m of ch6) {
    const b = cited.find((c) => c.measureId === m.id);
    assert.ok(b, `measure ${m.id} cited`);
    assert.equal(b.text, m.text);
    assert.match(b.citation!, /^《长株潭都市圈发展规划》第六章第.节/);
    assert.ok(b.citation!.endsWith(`第${m.id.split('.')[3]}项措施`));
  }
  // 三、重点任务: (一)… per section of chapter 6
  const secs = d.blocks.filter((b) => b.type === 'heading' && b.level === 2).map((b) => `${d.numbers[b.id]}${b.text}`);
  assert.ok(secs.includes('（一）依托绿心打造城市中央公园'));
  assert.ok(secs.includes('（五）加强环境影响评价'));
  // attachments: 任务分工表, 重点项目表, 目标指标表 — live tables
  const att = d.blocks.filter((b) => b.attachment);
  assert.deepEqual(
    att.map((b) => [b.type, b.tableKind, b.frozen]),
    [
      ['table', 'tasks', false],
      ['table', 'projects', false],
      ['table', 'indicators', false],
    ],
  );
  // the related targets: the environmental ones in the text
  const goals = d.blocks.find((b) => b.type === 'para' && b.text.startsWith('主要目标'));
  assert.ok(goals);
  assert.match(goals.text, /城市空气质量优良天数比率保持在85%以上/);
  assert.match(goals.text, /跨界河流断面水质达标率达到100%/);
  assert.doesNotMatch(goals.text, /R&D/);
  // the projects named in 四、: the 生态环保 projects of chapter 6 (not P065, whose task is in chapter 3)
  const p6 = listProjects(ctx).filter((p) => p.category === '生态环保' && p.taskId?.startsWith('6.'));
  assert.ok(p6.length >= 10);
  const related = liveTable(ctx, { kind: 'field', field: '生态环境', city: null, deptId: null, scope: ['6'] }, 'projects');
  const names = related.rows.map((r) => r[1]);
  for (const p of p6) assert.ok(names.includes(p.name), `project ${p.name} is in the 重点项目表`);
  const proj = d.blocks.find((b) => b.type === 'para' && b.text.includes('个重点项目'));
  assert.ok(proj);
  assert.match(proj.text, new RegExp(`${related.rows.length}个重点项目`));
  // the targets table: the environmental indicators
  const targets = liveTable(ctx, { kind: 'field', field: '生态环境', city: null, deptId: null, scope: ['6'] }, 'indicators').rows.map((r) => r[1]);
  for (const n of ['城市空气质量优良天数比率', '跨界河流断面水质达标率', '声环境功能区夜间达标率', '自然保护地整合优化和勘界立标']) assert.ok(targets.includes(n), n);
  assert.ok(!targets.includes('常住人口城镇化率'));
  // nothing uncovered, nothing changed
  const gaps = draftGaps(ctx, d.id);
  assert.deepEqual(gaps, { uncovered: [], changed: [] });
  // listed
  assert.deepEqual(
    listDrafts(ctx).map((x) => [x.id, x.title, x.kind, x.field, x.versionCount]),
    [[d.id, d.title, 'field', '生态环境', 0]],
  );
});

test('city and department drafts take the measures of the city or department; empty template is just the title', () => {
  const { ctx } = fresh();
  const c = createDraft(ctx, { kind: 'city', city: '株洲市', template: 'standard' });
  assert.equal(c.title, '株洲市推进长株潭都市圈建设行动计划');
  const zz = listMeasures(ctx).filter((m) => m.actionable && m.cities.includes('株洲市'));
  const cited = new Set(c.blocks.filter((b) => b.type === 'citation' && !b.measureId!.startsWith('2.')).map((b) => b.measureId));
  assert.deepEqual([...cited].sort(), zz.map((m) => m.id).sort());
  const dept = findDepartment(ctx, '省生态环境厅')!;
  const dd = createDraft(ctx, { kind: 'dept', deptId: dept.id, template: 'standard' });
  const own = listMeasures(ctx).filter((m) => m.actionable && (m.leadId === dept.id || m.coIds.includes(dept.id)));
  const dc = new Set(dd.blocks.filter((b) => b.type === 'citation' && !b.measureId!.startsWith('2.')).map((b) => b.measureId));
  assert.deepEqual([...dc].sort(), own.map((m) => m.id).sort());
  const e = createDraft(ctx, { kind: 'blank', template: 'empty', title: '某某方案' });
  assert.equal(e.title, '某某方案');
  assert.deepEqual(e.blocks, []);
  assert.throws(() => createDraft(ctx, { kind: 'field', template: 'standard' } as never), /须选择领域/);
});

test('insert, edit, move and delete blocks renumber the outline', () => {
  const { ctx } = fresh();
  let d = createDraft(ctx, { kind: 'blank', template: 'empty' });
  d = insertBlock(ctx, d.id, null, { type: 'heading', level: 1, text: '甲' });
  const a = d.blocks[0].id;
  d = insertBlock(ctx, d.id, a, { type: 'heading', level: 2, text: '甲一' });
  const a1 = d.blocks[1].id;
  d = insertBlock(ctx, d.id, a1, { type: 'heading', level: 2, text: '甲二' });
  d = insertBlock(ctx, d.id, d.blocks[2].id, { type: 'heading', level: 1, text: '乙' });
  const b = d.blocks[3].id;
  d = insertBlock(ctx, d.id, b, { type: 'heading', level: 2, text: '乙一' });
  d = insertBlock(ctx, d.id, d.blocks[4].id, { type: 'para', text: '正文' });
  d = insertBlock(ctx, d.id, d.blocks[5].id, { type: 'heading', level: 1, text: '丙' });
  const c = d.blocks[6].id;
  assert.deepEqual(headings(d), ['一、甲', '（一）甲一', '（二）甲二', '二、乙', '（一）乙一', '三、丙']);

  // move 丙 (a level-1 heading) to the start: 一、丙 二、甲 三、乙
  d = moveBlock(ctx, d.id, c, null);
  assert.deepEqual(headings(d), ['一、丙', '二、甲', '（一）甲一', '（二）甲二', '三、乙', '（一）乙一']);
  // move 甲二 under 乙: （一） restarts under each 一、
  d = moveBlock(ctx, d.id, d.blocks.find((x) => x.text === '甲二')!.id, b);
  assert.deepEqual(headings(d), ['一、丙', '二、甲', '（一）甲一', '三、乙', '（一）甲二', '（二）乙一']);
  // edit the level and text
  d = updateBlock(ctx, { draftId: d.id, blockId: a1, level: 3, text: '甲之一' });
  assert.deepEqual(headings(d), ['一、丙', '二、甲', '1.甲之一', '三、乙', '（一）甲二', '（二）乙一']);
  // delete 甲: 乙 becomes 二、
  d = deleteBlock(ctx, d.id, a);
  assert.deepEqual(headings(d), ['一、丙', '1.甲之一', '二、乙', '（一）甲二', '（二）乙一']);
  assert.deepEqual(
    d.blocks.map((x) => x.text),
    ['丙', '甲之一', '乙', '甲二', '乙一', '正文'],
  );
  // a citation: the measure text verbatim, its citation, not editable
  d = insertBlock(ctx, d.id, null, { type: 'citation', measureId: '6.3.1.2' });
  const cit = d.blocks[0];
  assert.equal(cit.text, getMeasure(ctx, '6.3.1.2').text);
  assert.equal(cit.citation, '《长株潭都市圈发展规划》第六章第三节“联防联控大气污染”第2项措施');
  assert.throws(() => updateBlock(ctx, { draftId: d.id, blockId: cit.id, text: 'x' }), ServiceError);
  // attachment headings are numbered on their own
  d = insertBlock(ctx, d.id, d.blocks[d.blocks.length - 1].id, { type: 'heading', level: 1, text: '附件的标题', attachment: true });
  assert.deepEqual(headings(d, true), ['一、附件的标题']);
  // errors
  assert.throws(() => moveBlock(ctx, d.id, cit.id, cit.id), /自己/);
  assert.throws(() => insertBlock(ctx, d.id, 99999, { type: 'para', text: 'x' }), /没有编号为 99999/);
  assert.throws(() => updateBlock(ctx, { draftId: d.id, blockId: cit.id, frozen: true }), /只有表格/);
  // the draft itself
  d = updateDraft(ctx, { id: d.id, title: '新标题', mainTo: '各有关单位：', scope: ['6.3'] });
  assert.equal(d.title, '新标题');
  assert.equal(d.mainTo, '各有关单位');
  assert.deepEqual(d.scope, ['6.3']);
  assert.throws(() => updateDraft(ctx, { id: d.id, scope: ['6.9'] }), /没有编号为 6.9/);
  const gone = deleteDraft(ctx, d.id);
  assert.equal(gone.id, d.id);
  assert.deepEqual(listDrafts(ctx), []);
  assert.equal(listDrafts(ctx, true).length, 1);
  assert.throws(() => insertBlock(ctx, d.id, null, { type: 'para', text: 'x' }), /已删除/);
});

test('versions: save, compare (added / removed / changed), restore', () => {
  const { ctx } = fresh();
  let d = createDraft(ctx, { kind: 'blank', template: 'empty' });
  for (const t of ['一段', '二段', '三段', '四段']) d = insertBlock(ctx, d.id, d.blocks.length ? d.blocks[d.blocks.length - 1].id : null, { type: 'para', text: t });
  const v1 = saveVersion(ctx, d.id, '初稿');
  assert.equal(v1.name, '初稿');
  assert.equal(v1.actor, '王五');
  const [b1, b2, b3] = d.blocks.map((b) => b.id);
  d = deleteBlock(ctx, d.id, b2); // removed
  d = updateBlock(ctx, { draftId: d.id, blockId: b3, text: '三段（改）' }); // changed
  d = insertBlock(ctx, d.id, b1, { type: 'heading', level: 1, text: '新标题' }); // added
  d = insertBlock(ctx, d.id, d.blocks[d.blocks.length - 1].id, { type: 'para', text: '五段' }); // added
  const v2 = saveVersion(ctx, d.id, '修改稿');
  const cmp = compareVersions(ctx, d.id, v1.id, v2.id);
  assert.deepEqual(cmp.counts, { same: 2, added: 2, removed: 1, changed: 1 });
  assert.equal(cmp.left, '初稿（版本' + v1.id + '）');
  const changed = cmp.rows.find((r) => r.kind === 'changed')!;
  assert.deepEqual([changed.left, changed.right], ['三段', '三段（改）']);
  assert.ok(cmp.rows.some((r) => r.kind === 'added' && r.right === '一、新标题'));
  assert.ok(cmp.rows.some((r) => r.kind === 'removed' && r.left === '二段'));
  assert.deepEqual(compareVersions(ctx, d.id, v2.id, 'current').counts, { same: 5, added: 0, removed: 0, changed: 0 });

  // restore 初稿: the current text is saved first, the blocks come back under their ids
  d = restoreVersion(ctx, d.id, v1.id);
  assert.deepEqual(d.blocks.map((b) => b.text), ['一段', '二段', '三段', '四段']);
  assert.deepEqual(d.blocks.map((b) => b.id), [b1, b2, b3, d.blocks[3].id]);
  const versions = listVersions(ctx, d.id);
  assert.deepEqual(versions.map((v) => v.name), ['恢复前自动保存', '修改稿', '初稿']);
  assert.deepEqual(compareVersions(ctx, d.id, versions[0].id, v2.id).counts, { same: 5, added: 0, removed: 0, changed: 0 });
  assert.deepEqual(compareVersions(ctx, d.id, v1.id, 'current').counts.same, 4);
  // new blocks after a restore never reuse an id
  d = insertBlock(ctx, d.id, null, { type: 'para', text: '新' });
  const ids = d.blocks.map((b) => b.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(Math.max(...ids) > Math.max(b1, b2, b3));
  assert.equal(listDrafts(ctx)[0].versionCount, 3);
});

test('gaps: an uncited measure is uncovered; a changed allocation shows then and now', () => {
  const { ctx } = fresh();
  let d = createDraft(ctx, { kind: 'field', field: '生态环境', template: 'standard' });
  const cit = d.blocks.find((b) => b.measureId === '6.3.2.1')!;
  d = deleteBlock(ctx, d.id, cit.id);
  let gaps = draftGaps(ctx, d.id);
  assert.deepEqual(gaps.uncovered.map((u) => u.id), ['6.3.2.1']);
  assert.equal(gaps.uncovered[0].taskId, '6.3.2');
  // a live task table does not count as covering (citations only)
  assert.ok(d.blocks.some((b) => b.type === 'table' && b.tableKind === 'tasks' && !b.frozen));

  const m = getMeasure(ctx, '6.1.1.1');
  const before = findDepartment(ctx, '省生态环境厅')!; // 6.1.1.1's suggested lead (生态保护红线、三线一单 in 绿心)
  const other = findDepartment(ctx, '省林业局')!;
  assert.equal(m.leadId, before.id);
  applyEdits(ctx, [{ measureId: '6.1.1.1', patch: { leadIds: [other.id], deadline: '2025-12-31' } }], '编辑');
  gaps = draftGaps(ctx, d.id);
  const ch = gaps.changed.find((c) => c.measureId === '6.1.1.1')!;
  assert.ok(ch);
  assert.equal(ch.blockId, d.blocks.find((b) => b.measureId === '6.1.1.1')!.id);
  assert.deepEqual(ch.fields, [
    { field: '牵头单位', then: '省生态环境厅', now: '省林业局' },
    { field: '完成时限', then: '', now: '2025-12-31' },
  ]);
  assert.equal(gaps.changed.length, 1);
  // a citation of a measure outside the draft's scope (第四章 in a 生态环境 draft) is followed too
  d = insertBlock(ctx, d.id, null, { type: 'citation', measureId: '4.1.1.1' });
  assert.equal(draftGaps(ctx, d.id).changed.length, 1, 'cited as it is now: no change yet');
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { deadline: '2026-06-30' } }], '编辑');
  gaps = draftGaps(ctx, d.id);
  assert.deepEqual(gaps.changed.find((c) => c.measureId === '4.1.1.1')?.fields, [{ field: '完成时限', then: '', now: '2026-06-30' }]);
  assert.ok(!gaps.uncovered.some((u) => u.id === '4.1.1.1'), 'not in scope, so never "uncovered"');
});

test('frozen tables keep their rows; the field mapping is a setting, audited', () => {
  const { ctx } = fresh();
  assert.deepEqual(getFieldMapping(ctx), DEFAULT_FIELD_MAPPING);
  const m = setFieldMapping(ctx, { ...DEFAULT_FIELD_MAPPING, 生态环境: ['6.1', '6.2'] });
  assert.deepEqual(m.生态环境, ['6.1', '6.2']);
  assert.deepEqual(getFieldMapping(ctx).生态环境, ['6.1', '6.2']);
  assert.throws(() => setFieldMapping(ctx, { ...DEFAULT_FIELD_MAPPING, 生态环境: ['6.7'] }), /没有编号为 6.7/);
  const a = listAuditFiltered(ctx, { table: 'setting' } as never).filter((x) => x.rowId === 'draft.fieldMapping');
  assert.equal(a.length, 1);
  assert.equal(a[0].field, '生态环境');
  const d = createDraft(ctx, { kind: 'field', field: '生态环境', template: 'standard' });
  assert.deepEqual(d.scope, ['6.1', '6.2']);
  assert.equal(d.blocks.filter((b) => b.type === 'citation' && b.measureId!.startsWith('6.')).length, 19);
  const tb = d.blocks.find((b) => b.tableKind === 'tasks')!;
  const f = updateBlock(ctx, { draftId: d.id, blockId: tb.id, frozen: true });
  assert.equal(f.blocks.find((b) => b.id === tb.id)!.frozen, true);
  const u = updateBlock(ctx, { draftId: d.id, blockId: tb.id, frozen: false });
  assert.equal(u.blocks.find((b) => b.id === tb.id)!.frozen, false);
});

test('every write is audited under draft / draft_block, one operation per call, and not undoable', () => {
  const { ctx, db } = fresh();
  const auditN = () => (db.prepare('SELECT count(DISTINCT op_id) n FROM audit').get() as { n: number }).n;
  const n0 = auditN();
  let d = createDraft(ctx, { kind: 'blank', template: 'empty' });
  d = insertBlock(ctx, d.id, null, { type: 'para', text: '甲' });
  d = insertBlock(ctx, d.id, d.blocks[0].id, { type: 'para', text: '乙' });
  d = updateBlock(ctx, { draftId: d.id, blockId: d.blocks[0].id, text: '甲甲' });
  d = moveBlock(ctx, d.id, d.blocks[1].id, null);
  const v = saveVersion(ctx, d.id, 'v');
  d = deleteBlock(ctx, d.id, d.blocks[0].id);
  d = restoreVersion(ctx, d.id, v.id);
  d = updateDraft(ctx, { id: d.id, title: '标题' });
  deleteDraft(ctx, d.id);
  assert.equal(auditN() - n0, 10);
  const ops = db
    .prepare("SELECT op, tbl, field, old_value, new_value FROM audit WHERE tbl IN ('draft','draft_block') ORDER BY id")
    .all() as { op: string; tbl: string; field: string; old_value: string | null; new_value: string | null }[];
  assert.deepEqual(
    [...new Set(ops.map((o) => o.op))],
    ['新建方案', '插入段落', '编辑段落', '移动段落', '保存版本', '删除段落', '恢复版本', '编辑方案', '删除方案'],
  );
  assert.ok(ops.some((o) => o.op === '编辑段落' && o.field === 'text' && o.old_value === '甲' && o.new_value === '甲甲'));
  assert.ok(ops.some((o) => o.op === '删除段落' && o.field === 'text' && o.new_value === null));
  assert.ok(ops.every((o) => o.tbl === 'draft' || o.tbl === 'draft_block'));
  assert.equal(db.prepare("SELECT count(DISTINCT actor) n FROM audit WHERE tbl LIKE 'draft%'").pluck().get(), 1);
  // undo passes over draft operations (they go back through versions)
  assert.equal(undoState(ctx).canUndo, false);
});

test('the IPC dispatcher reaches the draft services', async () => {
  const { db, ctx } = fresh();
  const dispatch = createDispatcher(db, { shell: 'web', dbPath: ':memory:', version: '' });
  const r = await dispatch('drafts.create', { kind: 'field', field: '对外开放' });
  assert.ok(r.ok, JSON.stringify(r));
  const d = (r as { ok: true; value: Draft }).value;
  assert.equal(d.title, '长株潭都市圈对外开放同城化专项推进方案');
  const g = await dispatch('drafts.gaps', { draftId: d.id });
  assert.ok(g.ok);
  const bad = await dispatch('drafts.insertBlock', { draftId: d.id, afterId: null, block: { type: 'heading', text: 'x' } });
  assert.equal(bad.ok, false);
  assert.equal(getDraft(ctx, d.id).blocks.length, d.blocks.length);
});

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'electron', 'cli.ts'), ...args], { encoding: 'utf8', cwd: os.tmpdir() });

test('CLI: draft-new, drafts, export --draft', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-drafts-cli-'));
  const db = path.join(dir, 'w.db');
  assert.equal(cli('init', '--db', db).status, 0);
  const n = cli('draft-new', '--db', db, '--field', '生态环境');
  assert.equal(n.status, 0, n.stderr);
  const { id } = JSON.parse(n.stdout) as { id: number };
  assert.ok(id > 0);
  const c = cli('draft-new', '--db', db, '--field', '生态环境', '--city', '株洲', '--title', '株洲市生态环境同城化行动计划');
  assert.equal(c.status, 0, c.stderr);
  const bad = cli('draft-new', '--db', db, '--field', '环保');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--field 应为/);
  const l = cli('drafts', '--db', db);
  assert.equal(l.status, 0, l.stderr);
  const list = JSON.parse(l.stdout) as { id: number; title: string; city: string | null }[];
  assert.deepEqual(
    list.map((x) => [x.title, x.city]).sort(),
    [
      ['株洲市生态环境同城化行动计划', '株洲市'],
      ['长株潭都市圈生态环境同城化专项推进方案', null],
    ],
  );
  const out = path.join(dir, 'sp.docx');
  const e = cli('export', '--db', db, '--kind', 'special-plan.docx', '--draft', String(id), '--out', out);
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).rows, 52);
  assert.ok(fs.statSync(out).size > 10000);
  const x = cli('export', '--db', db, '--kind', 'draft-tables.xlsx', '--draft', String(id), '--out', path.join(dir, 't.xlsx'));
  assert.equal(x.status, 0, x.stderr);
  const missing = cli('export', '--db', db, '--kind', 'special-plan.docx', '--out', out);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /--draft/);
});

test('a scope read in SQL gives exactly the measures the plain filter over every measure gives, in plan order', () => {
  const { db, ctx } = fresh();
  // some allocations to narrow by: cities and co-operating departments on a few measures
  const fgw = findDepartment(ctx, '省发展改革委')!.id;
  const jt = findDepartment(ctx, '省交通运输厅')!.id;
  applyEdits(ctx, [
    { measureId: '4.1.1.1', patch: { cities: ['株洲市'], coIds: [fgw] } },
    { measureId: '4.1.1.2', patch: { cities: ['长沙市', '株洲市'], leadIds: [jt] } },
    { measureId: '6.1.1.1', patch: { cities: ['湘潭市'], coIds: [jt, fgw] } },
  ], '编辑');
  const all = listMeasures(ctx);
  const inIds = (id: string, scope: string[]) => scope.some((s) => id === s || id.startsWith(s + '.'));
  const plain = (scope: string[], city: City | null, deptId: number | null) =>
    scope.length === 0 && !city && deptId === null
      ? []
      : all.filter(
          (m) =>
            m.actionable &&
            (scope.length === 0 || inIds(m.id, scope)) &&
            (!city || m.cities.includes(city)) &&
            (deptId === null || m.leadId === deptId || m.coIds.includes(deptId)),
        );
  const cases: [string[], City | null, number | null][] = [
    [['6'], null, null],
    [['4.1'], null, null],
    [['4.1.1'], null, null],
    [['4.1.1.2'], null, null],
    [['3', '9'], null, null],
    [['1'], null, null],
    [['4'], '株洲市', null],
    [[], '株洲市', null],
    [[], null, fgw],
    [[], null, jt],
    [['4', '6'], null, jt],
    [['4'], '株洲市', jt],
    [['10'], null, null],
    [[], null, null],
  ];
  let nonEmpty = 0;
  for (const [scope, city, deptId] of cases) {
    const sql = measuresInScope(ctx, { kind: 'field', field: null, city, deptId, scope });
    const want = plain(scope, city, deptId);
    assert.deepEqual(sql, want, `scope ${scope.join(',') || '—'} city ${city ?? '—'} dept ${deptId ?? '—'}`);
    if (scope.length || city || deptId !== null) assert.equal(ctx.q.countMeasuresInScope(scope, city, deptId), want.length, 'the count agrees');
    if (want.length) nonEmpty++;
  }
  assert.ok(nonEmpty >= 10, 'the cases narrow to real sets');
  // getMeasures: in the order asked, each once, unknown ids left out, lists as stored
  const got = getMeasures(ctx, ['6.1.1.1', '4.1.1.1', '9.9.9.9', '6.1.1.1', '4.1.1.2']);
  assert.deepEqual(got.map((m) => m.id), ['6.1.1.1', '4.1.1.1', '4.1.1.2']);
  assert.deepEqual(got[0].coIds, [jt, fgw], 'co-operating departments in their order');
  assert.deepEqual(got[2].cities, ['长沙市', '株洲市']);
  assert.deepEqual(got, got.map((m) => getMeasure(ctx, m.id)), 'the same rows getMeasure reads');
  const many = all.map((m) => m.id).reverse();
  assert.deepEqual(getMeasures(ctx, many), [...all].reverse(), 'any number of ids (read 500 at a time)');
  // "4.1" must not take in a chapter 4 section 10+ (4.10…): the prefix is the id and a dot
  assert.ok(measuresInScope(ctx, { kind: 'field', field: null, city: null, deptId: null, scope: ['4.1'] }).every((m) => m.id.startsWith('4.1.')));
  db.close();
});
