// Joint leads (issue 21, item 1) in the services: a measure's 牵头单位 is an ordered list (the first
// is 主责), one audited field that undo/redo and 恢复历史值 restore whole; measure.lead_id is the
// list's first and cannot drift; merging and retiring departments keep the lists right; dump and
// the CLI give and take lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { initWorkbenchDb } from '../../../electron/db/open';
import { contextFor, type ServiceContext } from '../../../electron/core/context';
import { applyEdits, getMeasure, listMeasures, measureFacts } from '../../../electron/services/measures';
import { findDepartment, listDepartments, mergeDepartments, retireDepartment } from '../../../electron/services/departments';
import { setIdentity } from '../../../electron/services/settings';
import { listAudit, restoreAuditEntry } from '../../../electron/services/audit';
import { redo, undo } from '../../../electron/services/undo';
import { measuresAsOf } from '../../../electron/services/reports';
import { dumpDatabase } from '../../../electron/services/dump';

function fresh() {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'czt-joint-')), 'w.db');
  const db = initWorkbenchDb(f);
  const ctx = contextFor(db);
  setIdentity(ctx, { name: '张三', unit: '省发展改革委' });
  return { f, db, ctx };
}
const dept = (ctx: ServiceContext, name: string) => findDepartment(ctx, name)!.id;

/** measures whose lead_id is not the first of their list (must be none) */
function drifted(ctx: ServiceContext): string[] {
  return (
    ctx.db
      .prepare(
        `SELECT m.id FROM measure m
          WHERE m.lead_id IS NOT (SELECT l.dept_id FROM measure_lead l WHERE l.measure_id = m.id ORDER BY l.ord LIMIT 1)`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
}

test('two leads in order: one audit row with the old and new lists, lead_id is the first, a lead leaves 配合单位', () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const jt = dept(ctx, '省交通运输厅');
  const zr = dept(ctx, '省自然资源厅');
  const before = getMeasure(ctx, '4.1.1.3');
  applyEdits(ctx, [{ measureId: '4.1.1.3', patch: { coIds: [jt, zr] } }], '编辑');
  const [m] = applyEdits(ctx, [{ measureId: '4.1.1.3', patch: { leadIds: [jt, fgw] } }], '编辑');
  assert.deepEqual(m.leadIds, [jt, fgw]);
  assert.equal(m.leadId, jt);
  assert.equal(m.leadConfirmed, true);
  assert.deepEqual(m.coIds, [zr], 'a department is a lead or a co-operator, not both');
  assert.equal((db.prepare("SELECT lead_id FROM measure WHERE id = '4.1.1.3'").get() as { lead_id: number }).lead_id, jt);
  const rows = listAudit(ctx, '4.1.1.3').filter((a) => a.field === 'leadIds');
  assert.equal(rows.length, 1);
  assert.deepEqual(JSON.parse(rows[0].oldValue!), before.leadIds);
  assert.deepEqual(JSON.parse(rows[0].newValue!), [jt, fgw]);
  assert.equal(listAudit(ctx, '4.1.1.3').filter((a) => a.field === 'leadId').length, 0);
  // the order is the meaning: the same two the other way round is a change
  const [swapped] = applyEdits(ctx, [{ measureId: '4.1.1.3', patch: { leadIds: [fgw, jt, fgw] } }], '编辑');
  assert.deepEqual(swapped.leadIds, [fgw, jt], 'named twice: kept where first named');
  assert.equal(swapped.leadId, fgw);
  // the list and the paged/fact readers agree
  assert.deepEqual(listMeasures(ctx).find((x) => x.id === '4.1.1.3')!.leadIds, [fgw, jt]);
  const facts = measureFacts(ctx);
  const i = facts.ids.indexOf('4.1.1.3');
  assert.deepEqual(facts.leadIds[i], [fgw, jt]);
  assert.equal(facts.leadId[i], fgw);
  // none: the list empties, lead_id is null, the measure is no longer confirmed
  const [none] = applyEdits(ctx, [{ measureId: '4.1.1.3', patch: { leadIds: [] } }], '编辑');
  assert.deepEqual([none.leadIds, none.leadId, none.leadConfirmed], [[], null, false]);
  assert.deepEqual(drifted(ctx), []);
  db.close();
});

test('a retired department cannot be added as a lead; one already in the list stays', () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const ty = dept(ctx, '省体育局');
  applyEdits(ctx, [{ measureId: '7.4.1.2', patch: { leadIds: [fgw, ty] } }], '编辑');
  retireDepartment(ctx, ty);
  assert.throws(() => applyEdits(ctx, [{ measureId: '7.4.1.3', patch: { leadIds: [fgw, ty] } }], '编辑'), /省体育局.*已撤销/);
  // reordering a list that already holds it is allowed (it was chosen while in use)
  const [m] = applyEdits(ctx, [{ measureId: '7.4.1.2', patch: { leadIds: [ty, fgw] } }], '编辑');
  assert.deepEqual(m.leadIds, [ty, fgw]);
  const usage = listDepartments(ctx, true).find((d) => d.id === ty)!;
  assert.equal(usage.leadCount, listMeasures(ctx).filter((x) => x.leadIds.includes(ty)).length);
  db.close();
});

test('undo and redo restore the whole ordered list; the 恢复历史值 of an old one-lead audit row sets a list of one', () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const jt = dept(ctx, '省交通运输厅');
  const zr = dept(ctx, '省自然资源厅');
  const before = getMeasure(ctx, '4.1.1.1');
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { leadIds: [jt, fgw, zr] } }], '编辑');
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { leadIds: [zr, jt] } }], '编辑');
  undo(ctx);
  assert.deepEqual(getMeasure(ctx, '4.1.1.1').leadIds, [jt, fgw, zr]);
  undo(ctx);
  const back = getMeasure(ctx, '4.1.1.1');
  assert.deepEqual([back.leadIds, back.leadId, back.leadConfirmed], [before.leadIds, before.leadId, before.leadConfirmed]);
  redo(ctx);
  assert.deepEqual(getMeasure(ctx, '4.1.1.1').leadIds, [jt, fgw, zr]);
  redo(ctx);
  assert.deepEqual(getMeasure(ctx, '4.1.1.1').leadIds, [zr, jt]);
  assert.deepEqual(drifted(ctx), []);

  // an audit row written before joint leads: field leadId, one department id
  ctx.q.insertAudit({
    at: '2024-01-01T00:00:00.000Z',
    actor: '王五',
    unit: '省交通运输厅',
    op_id: 'old-op',
    op: '编辑',
    tbl: 'measure',
    row_id: '4.1.1.1',
    field: 'leadId',
    old_value: String(fgw),
    new_value: String(jt),
  });
  const old = listAudit(ctx, '4.1.1.1').find((a) => a.opId === 'old-op')!;
  restoreAuditEntry(ctx, old.id);
  const restored = getMeasure(ctx, '4.1.1.1');
  assert.deepEqual([restored.leadIds, restored.leadId], [[fgw], fgw]);
  assert.deepEqual(JSON.parse(listAudit(ctx, '4.1.1.1')[0].newValue!), [fgw], 'the restore is audited as a list');
  // the reports' view of the past reads both kinds of rows: before today's edits it was the old single lead
  const past = measuresAsOf(ctx, '2020-01-01').find((m) => m.id === '4.1.1.1')!;
  assert.deepEqual([past.leadIds, past.leadId], [[fgw], fgw]);
  db.close();
});

test('measure.lead_id cannot drift from the list: an UPDATE that disagrees is refused by the database', () => {
  const { db, ctx } = fresh();
  const jt = dept(ctx, '省交通运输厅');
  const fgw = dept(ctx, '省发展改革委');
  applyEdits(ctx, [{ measureId: '4.2.1.1', patch: { leadIds: [jt, fgw] } }], '编辑');
  assert.throws(() => db.prepare("UPDATE measure SET lead_id = ? WHERE id = '4.2.1.1'").run(fgw), /first of measure_lead/);
  assert.throws(() => db.prepare("UPDATE measure SET lead_id = NULL WHERE id = '4.2.1.1'").run(), /first of measure_lead/);
  // the same value is no change of meaning and passes
  db.prepare("UPDATE measure SET lead_id = ? WHERE id = '4.2.1.1'").run(jt);
  // changing the list directly moves lead_id with it
  db.prepare("DELETE FROM measure_lead WHERE measure_id = '4.2.1.1' AND dept_id = ?").run(jt);
  assert.equal((db.prepare("SELECT lead_id FROM measure WHERE id = '4.2.1.1'").get() as { lead_id: number }).lead_id, fgw);
  assert.deepEqual(drifted(ctx), []);
  db.close();
});

test('merge replaces a department in place in every lead list and drops a duplicate; co-operators stay apart from leads', () => {
  const { db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const jt = dept(ctx, '省交通运输厅');
  const zr = dept(ctx, '省自然资源厅');
  const sl = dept(ctx, '省水利厅');
  applyEdits(
    ctx,
    [
      { measureId: '4.1.1.1', patch: { leadIds: [fgw, jt] } }, // jt second: the target takes its place
      { measureId: '4.1.1.2', patch: { leadIds: [jt, zr] } }, // jt first: 主责 moves to the target
      { measureId: '4.1.1.3', patch: { leadIds: [zr, fgw, jt] } }, // both in it: the duplicate is dropped
      { measureId: '4.1.1.4', patch: { leadIds: [jt], coIds: [zr, sl] } }, // the target co-operated: it leaves co
    ],
    '编辑',
  );
  const ledByJt = listMeasures(ctx).filter((m) => m.leadIds.includes(jt)).length;
  assert.ok(ledByJt >= 4);
  const r = mergeDepartments(ctx, jt, zr);
  assert.equal(r.movedLead, ledByJt);
  const leads = (id: string) => getMeasure(ctx, id).leadIds;
  assert.deepEqual(leads('4.1.1.1'), [fgw, zr]);
  assert.deepEqual(leads('4.1.1.2'), [zr]);
  assert.deepEqual(leads('4.1.1.3'), [zr, fgw]);
  assert.deepEqual(leads('4.1.1.4'), [zr]);
  assert.deepEqual(getMeasure(ctx, '4.1.1.4').coIds, [sl]);
  assert.equal(getMeasure(ctx, '4.1.1.2').leadId, zr);
  // one audit row per measure with the old and the new list
  const a = listAudit(ctx, '4.1.1.3').find((x) => x.op === '合并部门' && x.field === 'leadIds')!;
  assert.deepEqual([JSON.parse(a.oldValue!), JSON.parse(a.newValue!)], [[zr, fgw, jt], [zr, fgw]]);
  assert.equal(listMeasures(ctx).filter((m) => m.leadIds.includes(jt)).length, 0);
  assert.deepEqual(drifted(ctx), []);
  db.close();
});

test('dump gives leads beside lead; CLI set --lead takes a 、 or , separated list', () => {
  const { f, db, ctx } = fresh();
  const fgw = dept(ctx, '省发展改革委');
  const jt = dept(ctx, '省交通运输厅');
  applyEdits(ctx, [{ measureId: '4.1.1.2', patch: { leadIds: [fgw, jt] } }], '编辑');
  const all = dumpDatabase(ctx).chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)));
  const m = all.find((x) => x.id === '4.1.1.2')!;
  assert.equal(m.lead, '省发展改革委');
  assert.deepEqual(m.leads, ['省发展改革委', '省交通运输厅']);
  const unset = all.find((x) => x.leads.length === 0)!;
  assert.equal(unset.lead, null);
  db.close();

  const root = path.resolve(__dirname, '..', '..', '..');
  const cli = (...args: string[]) =>
    spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'electron', 'cli.ts'), ...args], { encoding: 'utf8', cwd: os.tmpdir() });
  for (const [list, want] of [
    ['长沙市人民政府、株洲市人民政府，湘潭市人民政府', ['长沙市人民政府', '株洲市人民政府', '湘潭市人民政府']],
    ['省交通运输厅,湖南省发展和改革委员会', ['省交通运输厅', '省发展改革委']],
  ] as const) {
    const out = cli('set', '--db', f, '--measure', '9.2.1.2', '--lead', list, '--user', '李四', '--unit', '省发展改革委');
    assert.equal(out.status, 0, out.stderr);
    const got = JSON.parse(out.stdout);
    assert.deepEqual(got.leads, want);
    assert.equal(got.lead, want[0]);
    assert.equal(got.leadConfirmed, true);
  }
  const bad = cli('set', '--db', f, '--measure', '9.2.1.2', '--lead', '省交通运输厅、省不存在厅');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /省不存在厅/);
});
