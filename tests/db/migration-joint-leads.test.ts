// Migration 12 (joint leads; numbered 0010 on its branch): a database of version 9 keeps every allocation, each measure's
// lead becomes its list of one (ord 0), the confirmation and suggestion columns stay as they
// were, and from then on measure.lead_id follows the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../../electron/db/migrations';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { getMeasure, listMeasures } from '../../electron/services/measures';

type Row = { id: string; lead_id: number | null; lead_confirmed: number; suggest_reason: string | null; suggest_unsure: number };

test('the joint-leads migration carries a version-9 database over: lead_id → measure_lead ord 0, flags kept, a lead leaves 配合单位', () => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'czt-m10-')), 'w.db');
  const v9 = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, 9), seedIfEmpty: true });
  assert.equal(v9.pragma('user_version', { simple: true }), 9);
  const dept = (name: string) => (v9.prepare('SELECT id FROM department WHERE name = ?').get(name) as { id: number }).id;
  const fgw = dept('省发展改革委');
  const jt = dept('省交通运输厅');
  // a person's decisions at version 9: a confirmed lead, a cleared one, and a co-operator list that
  // (written around the service) also names the lead
  v9.prepare("UPDATE measure SET lead_id = ?, lead_confirmed = 1, suggest_reason = NULL WHERE id = '4.1.1.1'").run(jt);
  v9.prepare("UPDATE measure SET lead_id = NULL, lead_confirmed = 1 WHERE id = '4.1.1.2'").run();
  v9.prepare("INSERT INTO measure_co (measure_id, dept_id, ord) VALUES ('4.1.1.1', ?, 0), ('4.1.1.1', ?, 1)").run(fgw, jt);
  const before = v9.prepare('SELECT id, lead_id, lead_confirmed, suggest_reason, suggest_unsure FROM measure ORDER BY id').all() as Row[];
  const coBefore = (v9.prepare('SELECT count(*) AS n FROM measure_co').get() as { n: number }).n;
  v9.close();

  const db = openWorkbenchDb(f);
  assert.equal(db.pragma('user_version', { simple: true }), 12);
  const after = db.prepare('SELECT id, lead_id, lead_confirmed, suggest_reason, suggest_unsure FROM measure ORDER BY id').all() as Row[];
  assert.deepEqual(after, before, 'every measure column as it was');
  const leads = db.prepare('SELECT measure_id, dept_id, ord FROM measure_lead ORDER BY measure_id').all() as { measure_id: string; dept_id: number; ord: number }[];
  assert.deepEqual(
    leads,
    before.filter((r) => r.lead_id !== null).map((r) => ({ measure_id: r.id, dept_id: r.lead_id, ord: 0 })),
  );
  assert.ok(leads.length > 300, 'the seeded suggestions came over too');
  // the lead no longer also co-operates; the other co-operator stays
  assert.deepEqual(db.prepare("SELECT dept_id FROM measure_co WHERE measure_id = '4.1.1.1'").pluck().all(), [fgw]);
  assert.equal((db.prepare('SELECT count(*) AS n FROM measure_co').get() as { n: number }).n, coBefore - 1);

  const ctx = contextFor(db);
  const m = getMeasure(ctx, '4.1.1.1');
  assert.deepEqual([m.leadIds, m.leadId, m.leadConfirmed, m.coIds], [[jt], jt, true, [fgw]]);
  const cleared = getMeasure(ctx, '4.1.1.2');
  assert.deepEqual([cleared.leadIds, cleared.leadId, cleared.leadConfirmed], [[], null, true]);
  const suggested = listMeasures(ctx).find((x) => x.actionable && !x.leadConfirmed && x.leadId !== null)!;
  assert.equal(suggested.leadIds.length, 1);
  assert.ok(suggested.suggestReason, 'a suggestion keeps its reason');

  // from now on lead_id is derived: a new measure row with a lead gets its list, an UPDATE that disagrees is refused
  assert.throws(() => db.prepare("UPDATE measure SET lead_id = ? WHERE id = '4.1.1.1'").run(fgw), /first of measure_lead/);
  const idx = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('measure', 'measure_lead') ORDER BY name").pluck().all();
  assert.ok(idx.includes('measure_first_lead') && idx.includes('measure_lead_dept'), JSON.stringify(idx));
  db.close();
});
