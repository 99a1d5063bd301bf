// The allocation grid's row store (renderer/src/alloc/store.ts) on a generated ledger: its text
// filter (chunks of joined row texts searched with indexOf) must pick exactly the rows a plain
// per-row `includes` picks, across chunk boundaries, pages arriving, saved rows and a new
// department index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../../../electron/bench/generate';
import { openWorkbenchDb } from '../../../../electron/db/open';
import { contextFor } from '../../../../electron/core/context';
import { listMeasures } from '../../../../electron/services/measures';
import { listDepartments } from '../../../../electron/services/departments';
import { LedgerStore, NO_FILTER, rowText, type FilterSpec } from '../../../../renderer/src/alloc/store';
import { buildDeptIndex } from '../../../../renderer/src/alloc/clipboard';
import type { MeasureRow } from '../../../../shared/domain';
import { generatedLedger } from '../../../support/db';

const { file } = generatedLedger({ measures: 3000, projects: 10, seed: 7 });
const db = openWorkbenchDb(file, { quickCheck: false });
const ctx = contextFor(db);
const measures = listMeasures(ctx);
const depts = listDepartments(ctx, true);
db.close();

const passedIds = (st: LedgerStore) => st.order.filter((r) => r.kind === 'measure' && r.pass).map((r) => r.id);

test('the text filter picks exactly the rows whose text holds the term, page by page and after saves', () => {
  assert.ok(measures.length > 3000, `${measures.length} measures`);
  let idx = buildDeptIndex(depts);
  const st = new LedgerStore();
  const rnd = prng(3);
  const terms = new Set<string>(['湘江', '轨道交通', '长株潭', 'zzz不存在的词', measures[1500].id.toLowerCase(), depts[5].name]);
  for (let i = 0; i < 40; i++) {
    const m = measures[Math.floor(rnd() * measures.length)];
    const t = rowText(m, idx);
    const at = Math.floor(rnd() * Math.max(1, t.length - 4));
    terms.add(t.slice(at, at + 1 + Math.floor(rnd() * 4)).trim() || '的');
  }
  // the end of one row's text and the start of the next: found only where a single row holds it
  const a = rowText(measures[1023], idx);
  const b = rowText(measures[1024], idx);
  terms.add(a.slice(-2) + b.slice(0, 2));

  const check = (label: string, rows: MeasureRow[]) => {
    for (const text of terms) {
      const f: FilterSpec = { ...NO_FILTER, withBackground: true, text };
      st.refilter(f, idx);
      const want = rows.filter((m) => rowText(m, idx).includes(text)).map((m) => m.id);
      assert.deepEqual(passedIds(st), want, `${label}: “${text}”`);
      assert.equal(st.visible, want.length);
    }
  };

  // pages as the grid receives them, filtered as each arrives (refilter from the new rows on)
  const f0: FilterSpec = { ...NO_FILTER, withBackground: true, text: '推进' };
  for (let p = 0; p < measures.length; p += 700) {
    const from = st.append(measures.slice(p, p + 700));
    st.warm(idx, from);
    st.refilter(f0, idx, from);
  }
  assert.deepEqual(passedIds(st), measures.filter((m) => rowText(m, idx).includes('推进')).map((m) => m.id));
  check('all pages', measures);

  // saved rows: the new progress text is found, the old one no longer
  const changed = measures.map((m, i) => (i % 997 === 5 ? { ...m, progress: `已完成验收${i}号标记` } : m));
  for (const m of changed) if (m.progress.startsWith('已完成验收')) st.replace(m, { ...NO_FILTER, withBackground: true }, idx);
  terms.add('已完成验收');
  terms.add('完成验收1999号');
  check('after saves', changed);

  // a department renamed: a new index, every row's text again
  const renamed = depts.map((d) => (d.id === depts[5].id ? { ...d, name: '新命名的单位' } : d));
  idx = buildDeptIndex(renamed);
  terms.add('新命名的单位');
  check('new department index', changed);

  // the text with the other filters: the first chapter with actionable measures, background off
  const ch = String(changed.find((m) => m.actionable)!.chapterNo);
  st.refilter({ ...NO_FILTER, chapter: ch, text: '推进' }, idx);
  assert.deepEqual(passedIds(st), changed.filter((m) => m.actionable && String(m.chapterNo) === ch && rowText(m, idx).includes('推进')).map((m) => m.id));
});
