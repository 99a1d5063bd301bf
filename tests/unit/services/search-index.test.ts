// The measure search index follows writes through the change log (migration 7): edits on the
// same connection, writes from another connection, new and removed measures, and a restore,
// compared every time with a plain scan of the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { applyEdits, searchMeasures } from '../../../electron/services/measures';
import { setIdentity } from '../../../electron/services/settings';
import { createBackup } from '../../../electron/db/backup';
import { restoreDatabase } from '../../../electron/services/backup';
import { generatedLedger } from '../../support/db';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-six-'));

/** ids of the measures whose id, text, progress or note contain q (lower-cased), in rowid order */
function scan(db: Database.Database, q: string): string[] {
  const rows = db.prepare('SELECT id, text, progress, note FROM measure ORDER BY rowid').all() as { id: string; text: string; progress: string; note: string }[];
  const n = q.toLowerCase();
  return rows.filter((r) => [r.id, r.text, r.progress, r.note].some((x) => x.toLowerCase().includes(n))).map((r) => r.id);
}

test('search index: edits, other connections, new and removed measures, restore — always equal to a scan', async () => {
  // 5,000 generated measures: the index holds them in several chunks
  const { file: f } = generatedLedger({ measures: 5000, projects: 20, seed: 3 });
  const db = openWorkbenchDb(f);
  const ctx = contextFor(db);
  setIdentity(ctx, { name: '测试', unit: '测试' });
  const check = (q: string) => {
    const r = searchMeasures(ctx, q, 100_000);
    assert.deepEqual(
      r.hits.map((h) => h.id),
      scan(db, q),
      `search ${q}`,
    );
    assert.equal(r.total, r.hits.length);
    return r.total;
  };
  assert.ok(check('湘江') > 100);
  assert.ok(check('长沙') > 100);
  assert.equal(check('独一无二的进展甲'), 0);

  // an edit on this connection: in the chunk that holds the measure, found at once
  const ids = db.prepare('SELECT id FROM measure WHERE actionable = 1 ORDER BY rowid').pluck().all() as string[];
  const [a, b, c] = [ids[10], ids[2500], ids[ids.length - 1]];
  applyEdits(ctx, [{ measureId: a, patch: { progress: '独一无二的进展甲' } }], '编辑');
  assert.equal(check('独一无二的进展甲'), 1);
  applyEdits(ctx, [{ measureId: b, patch: { note: '独一无二的进展甲，另一处' } }], '编辑');
  assert.equal(check('独一无二的进展甲'), 2);
  // the old text of an edited field is gone
  applyEdits(ctx, [{ measureId: a, patch: { progress: '' } }], '编辑');
  assert.equal(check('独一无二的进展甲'), 1);

  // a write from another connection (the CLI on the same file)
  const other = new Database(f);
  other.prepare('UPDATE measure SET note = ? WHERE id = ?').run('别处写入的备注乙', c);
  assert.equal(check('别处写入的备注乙'), 1);
  // a new measure and a removed one
  const row = other.prepare('SELECT task_id, ord FROM measure WHERE id = ?').get(c) as { task_id: string; ord: number };
  other
    .prepare('INSERT INTO measure (id, task_id, ord, text, actionable) VALUES (?, ?, ?, ?, 1)')
    .run(`${c}9`, row.task_id, row.ord + 1000, '新增措施丙：建设湘江沿岸绿道');
  assert.equal(check('新增措施丙'), 1);
  check('湘江');
  const removable = other.prepare("SELECT id FROM measure WHERE id = ?").pluck().get(`${c}9`) as string;
  other.prepare('DELETE FROM measure WHERE id = ?').run(removable);
  assert.equal(check('新增措施丙'), 0);
  other.close();

  // a restore brings back older content: the index must not keep what the log described
  const bak = path.join(dir, 'before.db');
  await createBackup(db, f, 'manual', dir).then((r) => fs.copyFileSync(r.file, bak));
  applyEdits(ctx, [{ measureId: ids[100], patch: { progress: '恢复前的进展丁' } }], '编辑');
  assert.equal(check('恢复前的进展丁'), 1);
  await restoreDatabase(f, bak, { live: db, dir: path.join(dir, 'bk') });
  // and as many edits after the restore as before it, so the log's numbers alone would not tell
  applyEdits(ctx, [{ measureId: ids[200], patch: { note: '恢复后的备注戊' } }], '编辑');
  applyEdits(ctx, [{ measureId: ids[201], patch: { note: '恢复后的备注戊' } }], '编辑');
  assert.equal(check('恢复前的进展丁'), 0);
  assert.equal(check('恢复后的备注戊'), 2);
  check('湘江');
  db.close();
});

test('search index: more changes than the log keeps → rebuilt, still equal to a scan', () => {
  const { file: f } = generatedLedger({ measures: 3000, projects: 10, seed: 4 });
  const db = openWorkbenchDb(f);
  const ctx = contextFor(db);
  assert.deepEqual(searchMeasures(ctx, '株洲', 100_000).hits.map((h) => h.id), scan(db, '株洲'));
  // 60,000 logged changes: beyond the 50,000 the log keeps
  const up = db.prepare("UPDATE measure SET note = note || '' WHERE id = ?");
  const ids = db.prepare('SELECT id FROM measure').pluck().all() as string[];
  db.transaction(() => {
    for (let i = 0; i < 60_000; i++) up.run(ids[i % ids.length]);
  })();
  db.prepare("UPDATE measure SET note = '末尾的备注己' WHERE id = ?").run(ids[5]);
  const kept = db.prepare('SELECT count(*) FROM measure_change').pluck().get() as number;
  assert.ok(kept <= 51_000, `log trimmed: ${kept}`);
  assert.deepEqual(searchMeasures(ctx, '末尾的备注己', 100_000).hits.map((h) => h.id), [ids[5]]);
  assert.deepEqual(searchMeasures(ctx, '株洲', 100_000).hits.map((h) => h.id), scan(db, '株洲'));
  db.close();
});
