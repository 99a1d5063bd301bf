// The outbox (local migration 0011-sync): filled by the audit writer in the same transaction as
// each field change, in the server's terms (a measure's lead as the list `leads`), with the base
// value; a change that fails leaves nothing queued; nothing is queued before a server is attached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initWorkbenchDb } from '../../electron/db/open';
import { syncQueries } from '../../electron/db/sync-queries';
import { contextFor } from '../../electron/core/context';
import { applyEdits } from '../../electron/services/measures';
import { setActual } from '../../electron/services/indicators';
import { MEASURE_LEADS } from '../../electron/core/sync-leads';

function attachedCopy() {
  const db = initWorkbenchDb(':memory:');
  const ctx = contextFor(db);
  ctx.actor = { name: '张发改', unit: '省发展改革委' };
  return { db, ctx };
}

test('each synced field change is queued with its base, in the server terms, in the same transaction', () => {
  const { db, ctx } = attachedCopy();
  const m = db.prepare('SELECT id FROM measure WHERE lead_id IS NOT NULL ORDER BY id LIMIT 1').get() as { id: string };
  applyEdits(ctx, [{ measureId: m.id, patch: { progress: 'before attach' } }], '填报');
  assert.equal(db.prepare('SELECT count(*) FROM sync_outbox').pluck().get(), 0, 'a copy that works alone queues nothing');
  syncQueries(db).attachSync('postgresql://x@host/db', 'device-1', 0);
  const lead = (db.prepare('SELECT lead_id FROM measure WHERE id = ?').pluck().get(m.id) as number);
  applyEdits(ctx, [{ measureId: m.id, patch: { leadIds: [14], progress: '进展', cities: ['湘潭市', '长沙市'] } }], '分工');
  setActual(ctx, 'I01', 2024, 3.25, '统计局', '');
  const rows = db.prepare('SELECT tbl, row_id, field, base, value, op, actor, unit FROM sync_outbox ORDER BY id').all() as Record<string, string | null>[];
  const byField = new Map(rows.map((r) => [`${r.tbl}.${r.field}`, r]));
  assert.deepEqual(byField.get('measure.leads'), { tbl: 'measure', row_id: m.id, field: 'leads', base: `[${lead}]`, value: '[14]', op: '分工', actor: '张发改', unit: '省发展改革委' });
  assert.equal(byField.get('measure.progress')!.base, 'before attach');
  assert.equal(byField.get('measure.cities')!.value, '["长沙市","湘潭市"]');
  assert.equal(byField.get('indicator_actual.2024.value')!.value, '3.25');
  // as many queued operations as audited synced fields
  const audited = db.prepare("SELECT count(*) FROM audit WHERE tbl IN ('measure','indicator_actual') AND at >= (SELECT min(at) FROM sync_outbox)").pluck().get();
  assert.equal(rows.length, audited);
});

test('a change that fails leaves nothing queued', () => {
  const { db, ctx } = attachedCopy();
  syncQueries(db).attachSync('postgresql://x@host/db', 'device-1', 0);
  const ids = db.prepare('SELECT id FROM measure ORDER BY id LIMIT 2').pluck().all() as string[];
  assert.throws(() =>
    applyEdits(ctx, [
      { measureId: ids[0], patch: { progress: 'ok' } },
      { measureId: ids[1], patch: { deadline: '2025-13-45' } },
    ], '填报'),
  );
  assert.equal(db.prepare('SELECT count(*) FROM sync_outbox').pluck().get(), 0);
  assert.equal(db.prepare('SELECT progress FROM measure WHERE id = ?').pluck().get(ids[0]), '');
});

test('the leads adapter: the same ordered list here and there; an old one-lead value is a list of one', () => {
  assert.equal(MEASURE_LEADS.toServer(null), '[]');
  assert.equal(MEASURE_LEADS.toServer('12'), '[12]');
  assert.equal(MEASURE_LEADS.toServer('[12,7]'), '[12,7]');
  assert.equal(MEASURE_LEADS.toLocal('[7,12]'), '[7,12]');
  assert.equal(MEASURE_LEADS.toLocal('[]'), '[]');
});
