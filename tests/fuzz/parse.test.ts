// Property-based tests of what people type into ledgers (shared/parse.ts): for ANY string the
// parsers return a value or a Chinese message, never throw and never hang; dates round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  deptKey,
  deptSimilarity,
  normaliseDeptText,
  normaliseText,
  parseCities,
  parseDeadline,
  parseStatus,
  sameKeyDepartments,
  splitList,
  suggestDepartments,
  toHalfWidth,
} from '../../shared/parse';
import { CITIES, STATUSES } from '../../shared/domain';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const chinese = /[\u4e00-\u9fff]/;

/** Strings people and programs produce: any unicode, control characters, ledger words. */
const words = fc.constantFrom(
  '2025', '年', '月', '日', '号', '底', '末', '上半年', '下半年', '季度', '第', '旬', '上旬', '-', '/', '.', ' ', '\u3000', '\t', '\n', '\r',
  '０', '１', '２', '５', '６', '３', '长期坚持', '前', '之前', '十', '二〇二五', '一', '十二', '进行中', '已完成', '滞后', '长沙', '株洲', '湘潭',
  '市', '、', '，', ';', '；', '省', '湖南省', '委员会', '厅', '局', '（', '）', '(', ')', '\u0000', '\u202e', '\ud800', '𠀀', 'T', ':', 'Z',
);
const messy = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(words, { maxLength: 12 }).map((a) => a.join('')),
  fc.string({ unit: fc.constantFrom(...'0123456789-/.年月日 \t'.split('')), maxLength: 30 }),
);

const isResult = (r: { ok: boolean; message?: string }) => (r.ok ? true : typeof r.message === 'string' && chinese.test(r.message));

test('parseDeadline / parseStatus / parseCities: ok or a Chinese message, for any string or number', () => {
  fc.assert(
    fc.property(fc.oneof(messy, fc.double(), fc.integer(), fc.constant(null), fc.constant(undefined)), (s) => {
      const d = parseDeadline(s as string);
      assert.ok(isResult(d), JSON.stringify(d));
      if (d.ok) assert.ok(d.value === null || /^\d{4}-\d{2}-\d{2}$/.test(d.value), `deadline value ${d.value}`);
      const st = parseStatus(s as string);
      assert.ok(isResult(st));
      if (st.ok) assert.ok((STATUSES as readonly string[]).includes(st.value));
      const c = parseCities(s as string);
      assert.ok(isResult(c));
      if (c.ok) assert.ok(c.value.every((x) => (CITIES as readonly string[]).includes(x)) && new Set(c.value).size === c.value.length);
      splitList(s as string).forEach((x) => assert.equal(typeof x, 'string'));
    }),
    { numRuns: RUNS },
  );
});

const calendarDate = fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }).map((d) => ({
  y: d.getUTCFullYear(),
  m: d.getUTCMonth() + 1,
  d: d.getUTCDate(),
}));
const iso = ({ y, m, d }: { y: number; m: number; d: number }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

test('every real calendar date round-trips: ISO, 2025年6月30日, 2025/6/30, 2025.6.30, full-width digits', () => {
  fc.assert(
    fc.property(calendarDate, fc.boolean(), (date, pad) => {
      const want = iso(date);
      const m = pad ? String(date.m).padStart(2, '0') : String(date.m);
      const d = pad ? String(date.d).padStart(2, '0') : String(date.d);
      for (const s of [want, `${date.y}年${m}月${d}日`, `${date.y}/${m}/${d}`, `${date.y}.${m}.${d}`, `${date.y}-${m}-${d}`, ` ${date.y}年${m}月${d}号 `]) {
        assert.deepEqual(parseDeadline(s), { ok: true, value: want }, s);
        // what a Chinese input method types: full-width digits and punctuation
        const full = s.replace(/[0-9/.-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        assert.deepEqual(parseDeadline(full), { ok: true, value: want }, full);
      }
    }),
    { numRuns: RUNS },
  );
});

test('impossible dates are refused with a Chinese message, never moved to another day', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 40 }), (y, m, d) => {
      const real = new Date(Date.UTC(y, m - 1, d)).getUTCMonth() === m - 1;
      const r = parseDeadline(`${y}-${m}-${d}`);
      if (real) assert.deepEqual(r, { ok: true, value: iso({ y, m, d }) });
      else assert.ok(!r.ok && chinese.test(r.message), `${y}-${m}-${d} -> ${JSON.stringify(r)}`);
    }),
    { numRuns: RUNS },
  );
});

test('a month alone means its last day; Excel serial numbers map to the same date', () => {
  fc.assert(
    fc.property(calendarDate, (date) => {
      const last = new Date(Date.UTC(date.y, date.m, 0)).getUTCDate();
      assert.deepEqual(parseDeadline(`${date.y}年${date.m}月`), { ok: true, value: iso({ ...date, d: last }) });
      assert.deepEqual(parseDeadline(`${date.y}.${date.m}`), { ok: true, value: iso({ ...date, d: last }) });
      const serial = (Date.UTC(date.y, date.m - 1, date.d) - Date.UTC(1899, 11, 30)) / 86400000;
      if (serial >= 20000 && serial <= 80000) assert.deepEqual(parseDeadline(serial), { ok: true, value: iso(date) });
    }),
    { numRuns: RUNS },
  );
});

test('department names: normalising is idempotent, similarity is within 0…1 and symmetric, suggestions are candidates', () => {
  const cands = [
    { id: 1, name: '省发展改革委', aliases: ['省发改委', '湖南省发展和改革委员会'] },
    { id: 2, name: '长沙市发展改革委', aliases: ['长沙市发改委'] },
    { id: 3, name: '省交通运输厅', aliases: [] },
    { id: 4, name: '省工业和信息化厅' },
  ];
  const name = fc.oneof(messy, fc.constantFrom(...cands.map((c) => c.name)).chain((n) => fc.tuple(fc.constant(n), messy).map(([a, b]) => a + b)));
  fc.assert(
    fc.property(name, name, fc.integer({ min: 0, max: 5 }), (a, b, max) => {
      const n = normaliseDeptText(a);
      assert.equal(normaliseDeptText(n), n, 'idempotent');
      assert.equal(typeof deptKey(a), 'string');
      const s = deptSimilarity(a, b);
      assert.ok(s >= 0 && s <= 1 && !Number.isNaN(s), `similarity ${s}`);
      assert.ok(Math.abs(s - deptSimilarity(b, a)) < 1e-9, 'symmetric');
      const sugg = suggestDepartments(a, cands, max);
      assert.ok(sugg.length <= max && sugg.every((x) => cands.includes(x)));
      sameKeyDepartments(a, cands).forEach((x) => assert.ok(cands.includes(x)));
      assert.equal(typeof toHalfWidth(a), 'string');
    }),
    { numRuns: RUNS },
  );
});

test('normaliseText is idempotent and keeps inner text', () => {
  fc.assert(
    fc.property(messy, (s) => {
      const n = normaliseText(s);
      assert.equal(normaliseText(n), n);
    }),
    { numRuns: RUNS },
  );
});

test('normaliseText: the shortcut for text with nothing to change gives what the four passes give', () => {
  // the passes as they were before the shortcut (shared/parse.ts)
  const passes = (s: string) =>
    s
      .replace(/\r\n?/g, '\n')
      .replace(/(?<![ \t\u3000])[ \t\u3000]+(?=[\n\u2028\u2029]|$)/g, '')
      .trimEnd()
      .replace(/^\n+/, '');
  const edges = fc.constantFrom('', '\n', 'a\u2028', ' \u2029x', '\u00a0', 'x\ufeff', '\u3000\n', '\n\n长', '长\r', 'a\t', '\u2028a', '\u200b');
  fc.assert(
    fc.property(fc.oneof(messy, edges, fc.string({ unit: 'binary' })), (s) => {
      assert.equal(normaliseText(s), passes(s));
    }),
    { numRuns: RUNS },
  );
});

test('huge and pathological strings finish quickly (no catastrophic backtracking)', () => {
  const MB = 1024 * 1024;
  const cases: [string, string][] = [
    ['5 MB of digits', '2'.repeat(5 * MB)],
    ['5 MB of blanks then x', ' '.repeat(5 * MB) + 'x'],
    ['5 MB of tabs then x', '\t'.repeat(5 * MB) + 'x'],
    ['blank lines', ' \n'.repeat(MB)],
    ['ideographic spaces then x', '\u3000'.repeat(MB) + 'x'],
    ['5 MB of Chinese', '长沙市、'.repeat(MB)],
    ['separators', '、'.repeat(2 * MB)],
    ['2025年 repeated', '2025年'.repeat(MB)],
    ['brackets', '（('.repeat(MB)],
    ['trailing punctuation then x', '。'.repeat(2 * MB) + 'x'],
  ];
  const cands = [{ id: 1, name: '省发展改革委', aliases: ['省发改委'] }];
  for (const [name, s] of cases) {
    const t = Date.now();
    assert.ok(isResult(parseDeadline(s)));
    assert.ok(isResult(parseStatus(s)));
    assert.ok(isResult(parseCities(s)));
    normaliseText(s);
    normaliseDeptText(s);
    deptKey(s);
    splitList(s);
    // similarity is O(length) per candidate; a department cell is at most a few thousand characters in practice
    suggestDepartments(s.slice(0, 20000), cands);
    const ms = Date.now() - t;
    // linear work on megabytes takes a second or two; a quadratic regex would take hours
    assert.ok(ms < 8000, `${name}: ${ms} ms`);
  }
});
