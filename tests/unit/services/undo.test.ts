import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { applyEdits, getMeasure } from '../../../electron/services/measures';
import { findDepartment, addDepartment, renameDepartment, mergeDepartments } from '../../../electron/services/departments';
import { undoState, redo, undo } from '../../../electron/services/undo';
import { listAuditFiltered, restoreAuditEntry } from '../../../electron/services/audit';
import { addProject, getProject, updateProjects } from '../../../electron/services/projects';
import { createDispatcher } from '../../../electron/ipc/router';
import { freshDb } from '../../support/db';

const fresh = () => freshDb({ identity: { name: '张三', unit: '省发展改革委' } });

test('undo reverses a whole operation in one step, redo applies it again, both audited', () => {
  const { db, ctx } = fresh();
  const a = findDepartment(ctx, '省交通运输厅')!.id;
  const b = findDepartment(ctx, '省自然资源厅')!.id;
  const before = ['4.1.1.1', '4.1.1.2', '4.1.1.3'].map((id) => getMeasure(ctx, id));
  applyEdits(
    ctx,
    before.map((m) => ({ measureId: m.id, patch: { leadIds: [a], coIds: [b], status: '推进中' as const, note: '批量' } })),
    '批量设置',
  );
  const st = undoState(ctx);
  assert.equal(st.canUndo, true);
  assert.match(st.undoLabel!, /^批量设置/);
  const u = undo(ctx);
  assert.equal(u.op, '批量设置');
  assert.deepEqual(
    ['4.1.1.1', '4.1.1.2', '4.1.1.3'].map((id) => getMeasure(ctx, id)).map(({ updatedAt: _u, ...m }) => m),
    before.map(({ updatedAt: _u, ...m }) => m),
  );
  // one new operation, named 撤销
  const rows = listAuditFiltered(ctx, { opId: u.byOpId });
  assert.ok(rows.length >= 9);
  assert.ok(rows.every((r) => r.op === '撤销'));
  assert.equal(undoState(ctx).canRedo, true);
  redo(ctx);
  for (const id of ['4.1.1.1', '4.1.1.2', '4.1.1.3']) {
    const m = getMeasure(ctx, id);
    assert.equal(m.leadId, a);
    assert.equal(m.note, '批量');
  }
  assert.equal(undoState(ctx).canRedo, false);
  db.close();
});

test('undo survives a restart; a new edit clears redo; several undos go back in order', () => {
  const { file: f, db, ctx } = fresh();
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '一' } }], '编辑');
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '二' } }], '编辑');
  db.close();
  const db2 = openWorkbenchDb(f);
  const ctx2 = contextFor(db2);
  assert.equal(undoState(ctx2).canUndo, true);
  undo(ctx2);
  assert.equal(getMeasure(ctx2, '4.1.1.1').note, '一');
  undo(ctx2);
  assert.equal(getMeasure(ctx2, '4.1.1.1').note, '');
  db2.close();
  const db3 = openWorkbenchDb(f);
  const ctx3 = contextFor(db3);
  redo(ctx3);
  assert.equal(getMeasure(ctx3, '4.1.1.1').note, '一');
  applyEdits(ctx3, [{ measureId: '4.1.1.2', patch: { note: '新' } }], '编辑');
  assert.equal(undoState(ctx3).canRedo, false);
  assert.throws(() => redo(ctx3), /没有可重做的操作/);
  db3.close();
});

test("undo refuses when someone else changed the same field later, and changes nothing", () => {
  const { db, ctx } = fresh();
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '张三写的' } }], '编辑');
  ctx.actor = { name: '李四', unit: '长沙市发展改革委' };
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: '李四改的' } }], '编辑');
  ctx.actor = undefined;
  const n = listAuditFiltered(ctx, { limit: 5000 }).length;
  assert.throws(() => undo(ctx), (e: Error) => /李四（长沙市发展改革委）/.test(e.message) && /未撤销/.test(e.message));
  assert.equal(getMeasure(ctx, '4.1.1.1').note, '李四改的');
  assert.equal(listAuditFiltered(ctx, { limit: 5000 }).length, n);
  // each person undoes only their own
  ctx.actor = { name: '李四', unit: '长沙市发展改革委' };
  undo(ctx);
  assert.equal(getMeasure(ctx, '4.1.1.1').note, '张三写的');
  db.close();
});

test('lead change undone keeps the confirmation flag as it was', () => {
  const { db, ctx } = fresh();
  const m0 = getMeasure(ctx, '4.1.1.4');
  const a = findDepartment(ctx, '省交通运输厅')!.id;
  applyEdits(ctx, [{ measureId: m0.id, patch: { leadIds: [a] } }], '编辑');
  undo(ctx);
  const m1 = getMeasure(ctx, m0.id);
  assert.equal(m1.leadId, m0.leadId);
  assert.equal(m1.leadConfirmed, m0.leadConfirmed);
  assert.deepEqual(m1.coIds, m0.coIds);
  db.close();
});

test('projects: edit, add (soft delete on undo) and year plans undo/redo', () => {
  const { db, ctx } = fresh();
  const p = addProject(ctx, { name: '测试项目', category: '交通' } as never);
  assert.equal(undoState(ctx).undoLabel?.startsWith('新增项目'), true);
  updateProjects(ctx, [{ projectId: p.id, patch: { location: '岳麓区', yearPlans: [{ year: 2024, planned: 3 }] } }], '编辑项目');
  undo(ctx);
  assert.equal(getProject(ctx, p.id).location, '');
  assert.equal(getProject(ctx, p.id).yearPlans.length, 0);
  undo(ctx);
  assert.equal(getProject(ctx, p.id).deleted, true);
  redo(ctx);
  assert.equal(getProject(ctx, p.id).deleted, false);
  redo(ctx);
  assert.equal(getProject(ctx, p.id).location, '岳麓区');
  db.close();
});

test('departments: rename undone; a merge is skipped (not undoable) and earlier edits stay guarded', () => {
  const { db, ctx } = fresh();
  const d = addDepartment(ctx, '测试局', '其他', null);
  renameDepartment(ctx, d.id, '测试管理局');
  undo(ctx);
  assert.equal(findDepartment(ctx, '测试局')!.id, d.id);
  assert.equal(ctx.q.dept(d.id)!.name, '测试局');
  undo(ctx);
  assert.equal(ctx.q.dept(d.id)!.state, '已撤销');
  redo(ctx);
  assert.equal(ctx.q.dept(d.id)!.state, '在用');
  const x = addDepartment(ctx, '甲局', '其他', null);
  const y = addDepartment(ctx, '乙局', '其他', null);
  mergeDepartments(ctx, x.id, y.id);
  // the merge is not offered; the next undo is 新增部门 (乙局)
  assert.match(undoState(ctx).undoLabel!, /^新增部门/);
  db.close();
});

test('audit.restore sets a field back to an earlier value as a new 恢复历史值 operation', () => {
  const { db, ctx } = fresh();
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { progress: '第一版' } }], '编辑');
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { progress: '第二版' } }], '编辑');
  const entry = listAuditFiltered(ctx, { rowId: '4.1.1.1', field: 'progress' })[0];
  assert.equal(entry.newValue, '第二版');
  const r = restoreAuditEntry(ctx, entry.id);
  assert.equal(getMeasure(ctx, '4.1.1.1').progress, '第一版');
  const rows = listAuditFiltered(ctx, { opId: r.opId });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].op, '恢复历史值');
  assert.throws(() => restoreAuditEntry(ctx, entry.id), /无需恢复/);
  // and it is itself undoable
  undo(ctx);
  assert.equal(getMeasure(ctx, '4.1.1.1').progress, '第二版');
  db.close();
});

test('channels: undo.state / undo.undo / audit.list filters / audit.restore through the dispatcher', async () => {
  const { file: f, db, ctx } = fresh();
  const dispatch = createDispatcher(db, { shell: 'web', dbPath: f, version: 't' });
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { note: 'x' } }], '编辑');
  const st = await dispatch('undo.state', {});
  assert.equal(st.ok && (st.value as { canUndo: boolean }).canUndo, true);
  const u = await dispatch('undo.undo', {});
  assert.equal(u.ok, true);
  const today = new Date();
  const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  const l = await dispatch('audit.list', { actor: '张三', table: 'measure', from: day, to: day, op: '撤销' });
  assert.equal(l.ok, true);
  assert.equal((l as { value: unknown[] }).value.length, 1);
  const bad = await dispatch('audit.restore', { auditId: 99999999 });
  assert.equal(bad.ok, false);
  const r = await dispatch('undo.redo', {});
  assert.equal(r.ok, true);
  const none = await dispatch('undo.redo', {});
  assert.equal(none.ok || none.error.message, '张三没有可重做的操作');
  db.close();
});
