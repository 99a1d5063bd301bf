// measures.page: the grid's paged read of the ledger. Pages read one after another must give
// exactly measures.list, in the grid's order (chapter.section.task.measure numerically), on the
// seeded plan and on a generated ledger, and must see an edit made between two pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { createDispatcher } from '../../../electron/ipc/router';
import { applyEdits, getMeasures, listMeasures, listMeasuresPage, measureFacts } from '../../../electron/services/measures';
import { CITIES } from '../../../shared/domain';
import type { MeasureRow } from '../../../shared/domain';
import { freshDb } from '../../hostile/builders';
import { generatedLedger } from '../../support/db';

function byId(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function readAll(ctx: Parameters<typeof listMeasuresPage>[0], limit: number): { rows: MeasureRow[]; pages: number; total: number } {
  const rows: MeasureRow[] = [];
  let after: string | null = null;
  let pages = 0;
  let total = 0;
  for (;;) {
    const p = listMeasuresPage(ctx, after, limit);
    pages++;
    total = p.total;
    assert.ok(p.rows.length <= limit);
    rows.push(...p.rows);
    if (!p.next) break;
    after = p.next;
  }
  return { rows, pages, total };
}

test('pages of the seeded plan add up to measures.list in id order', () => {
  const h = freshDb('czt-page-');
  try {
    const all = listMeasures(h.ctx);
    const expected = [...all].sort((a, b) => byId(a.id, b.id));
    for (const limit of [1, 7, 100, 20000]) {
      const { rows, pages, total } = readAll(h.ctx, limit);
      assert.equal(total, all.length);
      assert.deepEqual(rows, expected, `limit ${limit}`);
      assert.ok(pages >= Math.ceil(all.length / limit));
    }
  } finally {
    h.close();
  }
});

test('pages of a generated ledger (co-operators, cities) match measures.list; an edit between pages shows', () => {
  const { dir, file } = generatedLedger({ measures: 3000, projects: 100, seed: 3 });
  try {
    const db = openWorkbenchDb(file, { quickCheck: false });
    try {
      const ctx = contextFor(db);
      const all = listMeasures(ctx);
      const expected = [...all].sort((a, b) => byId(a.id, b.id));
      assert.ok(expected.some((m) => m.coIds.length > 1) && expected.some((m) => m.cities.length > 0));
      const { rows, total } = readAll(ctx, 500);
      assert.equal(total, all.length);
      assert.deepEqual(rows, expected);

      // first page, then an edit of a measure on a later page, then the rest
      const first = listMeasuresPage(ctx, null, 1000);
      const later = expected[2000];
      applyEdits(ctx, [{ measureId: later.id, patch: { note: '分页之间的修改' } }], '编辑');
      const second = listMeasuresPage(ctx, first.next, 1500);
      assert.equal(second.rows.find((m) => m.id === later.id)?.note, '分页之间的修改');
      assert.deepEqual(getMeasures(ctx, [later.id, 'x.y', expected[0].id]).map((m) => m.id), [later.id, expected[0].id]);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('measures.page through the dispatcher: validation and an unknown cursor answer in Chinese', async () => {
  const h = freshDb('czt-page-ipc-');
  try {
    const d = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 't' });
    const ok = await d('measures.page', { after: null, limit: 5 });
    assert.ok(ok.ok && (ok.value as { rows: unknown[] }).rows.length === 5);
    const bad = await d('measures.page', { after: null, limit: 0 });
    assert.ok(!bad.ok && bad.error.code === 'VALIDATION');
    const gone = await d('measures.page', { after: '99.9.9.9', limit: 5 });
    assert.ok(!gone.ok && gone.error.code === 'NOT_FOUND' && /没有编号为 99\.9\.9\.9 的措施/.test(gone.error.message));
  } finally {
    h.close();
  }
});

test('measures.facts: one entry per actionable measure with its status, deadline, lead, chapter and cities', () => {
  const h = freshDb('czt-facts-');
  try {
    applyEdits(h.ctx, [{ measureId: '3.1.1.1', patch: { cities: ['株洲市', '长沙市'], deadline: '2026-06-30', status: '滞后' } }], '编辑');
    const all = listMeasures(h.ctx).filter((m) => m.actionable);
    const f = measureFacts(h.ctx);
    assert.equal(f.ids.length, all.length);
    const at = new Map(f.ids.map((id, i) => [id, i]));
    for (const m of all) {
      const i = at.get(m.id)!;
      assert.ok(i !== undefined, m.id);
      assert.equal(f.status[i], m.status);
      assert.equal(f.deadline[i], m.deadline);
      assert.equal(f.leadId[i], m.leadId);
      assert.equal(f.chapterNo[i], m.chapterNo);
      assert.deepEqual(CITIES.filter((_, b) => f.cities[i] & (1 << b)), m.cities);
    }
    const i = at.get('3.1.1.1')!;
    assert.equal(f.status[i], '滞后');
    assert.deepEqual(CITIES.filter((_, b) => f.cities[i] & (1 << b)), ['长沙市', '株洲市']);
    assert.ok(f.chapters.some((c) => c.no === 3 && c.title.length > 0));
  } finally {
    h.close();
  }
});
