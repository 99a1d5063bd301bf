// What a file claims, fuzzed (issue 16): the hidden _meta sheet's contents from arbitrary JSON,
// sheets' declared dimensions and counts, and cells of every length up to Excel's 32,767
// characters in every column. Each case ends in a preview or a Chinese ServiceError; a value
// changed here since the export is never a plain change whatever _meta says; a sheet is sized
// by its cells, never by its claim; a text over the limit is a cell error, never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as XLSX from 'xlsx';
import { ServiceError } from '../../electron/core/context';
import { exportLedger, LEDGER_SHEET } from '../../electron/export/xlsx/ledger';
import { previewImport } from '../../electron/import';
import { readSpreadsheet, fastReader } from '../../electron/import/read';
import { MAX_TOTAL_CELLS } from '../../electron/import/budget';
import { applyEdits, listMeasures } from '../../electron/services/measures';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { dbHash, freshDb, isChinese, sheetRowsXml, xlsxOf, xlsxSheetsOf, SHEET_CLOSE, SHEET_OPEN } from '../hostile/builders';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function outcome(run: () => unknown): 'preview' | 'refused' {
  try {
    run();
    return 'preview';
  } catch (e) {
    if (!(e instanceof ServiceError)) assert.fail(`${(e as Error)?.constructor?.name}: ${(e as Error)?.stack ?? e}`);
    assert.ok(isChinese(e.message), e.message);
    return 'refused';
  }
}

test('_meta from arbitrary JSON: a preview or a Chinese refusal; a value changed here since the export is never a plain change', async () => {
  const h = freshDb('czt-fuzz-meta-');
  try {
    const out = await exportLedger(h.ctx, {});
    const ids = listMeasures(h.ctx).filter((m) => m.actionable).map((m) => m.id);
    const [a, b] = ids;
    await new Promise((r) => setTimeout(r, 5));
    applyEdits(h.ctx, [{ measureId: a, patch: { status: '滞后', progress: '本库在导出后写的进展' } }], '编辑');
    const hash = dbHash(h.db);
    const wb0 = XLSX.read(out.buffer, { type: 'buffer' });
    const ledger = XLSX.utils.sheet_to_json<(string | number | null)[]>(wb0.Sheets[LEDGER_SHEET], { header: 1, raw: true, defval: null });
    const meta0 = XLSX.utils.sheet_to_json<(string | number | null)[]>(wb0.Sheets['_meta'], { header: 1, raw: true, defval: null });
    const status = LEDGER_COLUMNS.findIndex((c) => c.header === '状态');
    const progress = LEDGER_COLUMNS.findIndex((c) => c.header === '进展情况');
    for (const row of ledger) if (row[0] === a || row[0] === b) [row[status], row[progress]] = ['已完成', '台账写的进展'];
    wb0.Sheets[LEDGER_SHEET] = XLSX.utils.aoa_to_sheet(ledger);
    const json = fc.oneof(fc.json({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 30 }));
    const kvKeys = ['format', 'kind', 'scope', 'fields', 'exportedAt', 'rows', 'scopeLabel', 'version', 'id'];
    let previews = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(a, b, ids[2], ids[3]), json), { maxLength: 4 }),
        fc.array(fc.tuple(fc.constantFrom(...kvKeys), json), { maxLength: 3 }),
        fc.boolean(),
        (rowEdits, kvEdits, dropA) => {
          const meta = meta0.map((r) => [...r]);
          for (const [id, v] of rowEdits) {
            const r = meta.find((x) => x[0] === id);
            if (r) r[1] = v;
          }
          for (const [k, v] of kvEdits) {
            const r = meta.find((x) => x[0] === k);
            if (r) r[1] = v;
          }
          if (dropA) meta.splice(meta.findIndex((x) => x[0] === a), 1);
          const wb = { ...wb0, Sheets: { ...wb0.Sheets, _meta: XLSX.utils.aoa_to_sheet(meta) } };
          const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
          let p: ReturnType<typeof previewImport> | undefined;
          if (outcome(() => (p = previewImport(h.ctx, { name: 'meta.xlsx', bytes }))) === 'preview') {
            previews++;
            const plain = p!.changes.find((c) => c.rowId === a)?.changes.map((f) => f.field) ?? [];
            assert.ok(!plain.includes('status') && !plain.includes('progress'), `a overwritten unasked: ${JSON.stringify({ rowEdits, kvEdits, dropA, warnings: p!.warnings })}`);
          }
        },
      ),
      { numRuns: Math.max(20, Math.round(RUNS / 3)) },
    );
    assert.ok(previews > 0);
    assert.equal(dbHash(h.db), hash, 'nothing written');
  } finally {
    h.close();
  }
});

/** A cell reference like A1 (column c, row r, both 0-based). */
const ref = (c: number, r: number) => {
  let s = '';
  for (let x = c + 1; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return `${s}${r + 1}`;
};

test('declared dimensions and sheet counts: sized by the cells there, the total capped, the same with or without the fast reader', () => {
  const dimArb = fc.oneof(
    fc.tuple(fc.nat(16383), fc.nat(1_048_575)).map(([c, r]) => `A1:${ref(c, r)}`),
    fc.constantFrom('A1:XFD1048576', 'A1:XFD200020', 'A1:GS200000', 'B2', 'A0:B1', 'ZZZZ1:A1', 'A1:A1', '', 'garbage', 'A1:XFE1'),
  );
  const sheetArb = fc.record({
    dim: dimArb,
    cells: fc.array(fc.tuple(fc.nat(300), fc.nat(3000), fc.oneof(fc.string({ maxLength: 8 }), fc.integer())), { maxLength: 6 }),
  });
  fc.assert(
    fc.property(fc.array(sheetArb, { minLength: 1, maxLength: 60 }), (sheets) => {
      const xml = sheets.map(({ dim, cells }) => {
        const rows = new Map<number, string>();
        for (const [c, r, v] of cells.sort((x, y) => x[1] - y[1] || x[0] - y[0])) {
          const cell = typeof v === 'number' ? `<c r="${ref(c, r)}"><v>${v}</v></c>` : `<c r="${ref(c, r)}" t="inlineStr"><is><t>${v.replace(/[<&>]/g, '')}</t></is></c>`;
          if (!rows.get(r)?.includes(`r="${ref(c, r)}"`)) rows.set(r, (rows.get(r) ?? '') + cell);
        }
        return SHEET_OPEN.replace('<sheetData>', `<dimension ref="${dim}"/><sheetData>`) + [...rows].map(([r, x]) => `<row r="${r + 1}">${x}</row>`).join('') + SHEET_CLOSE;
      });
      const bytes = xlsxSheetsOf(xml);
      const read = (fast: boolean) => {
        fastReader.enabled = fast;
        try {
          return { ok: readSpreadsheet('dims.xlsx', bytes) };
        } catch (e) {
          if (!(e instanceof ServiceError)) throw e;
          assert.ok(isChinese(e.message));
          return { err: e.message };
        } finally {
          fastReader.enabled = true;
        }
      };
      const r = read(true);
      assert.deepStrictEqual(read(false), r);
      if ('ok' in r) {
        let total = 0;
        r.ok!.sheets.forEach((s, i) => {
          const lastRow = Math.max(0, ...sheets[i].cells.map(([, row]) => row + 1));
          assert.ok(s.rows.length <= lastRow, `sheet ${i}: ${s.rows.length} rows for cells up to row ${lastRow} (declared ${sheets[i].dim})`);
          total += s.rows.length * (s.rows[0]?.length ?? 0);
        });
        assert.ok(total <= MAX_TOTAL_CELLS);
      }
    }),
    { numRuns: Math.max(20, Math.round(RUNS / 3)) },
  );
});

test('cells of every length up to 32,767 characters in every column: a preview or a Chinese refusal, over-long text never a change', async () => {
  const h = freshDb('czt-fuzz-long-');
  try {
    const hash = dbHash(h.db);
    const id = listMeasures(h.ctx).find((m) => m.actionable)!.id;
    const headers = LEDGER_COLUMNS.map((c) => c.header);
    const len = fc.oneof(fc.integer({ min: 0, max: 32_767 }), fc.constantFrom(0, 1, 100, 101, 201, 20_000, 20_001, 32_767));
    const unit = fc.constantFrom('长', '沙', '、', '，', ',', '（', '）', ' ', '\n', 'a', '1', '-', '年', '月', '省', '厅', '=', '"');
    const cellArb = fc.tuple(len, fc.array(unit, { minLength: 1, maxLength: 6 })).map(([n, units]) => Array.from({ length: n }, (_, i) => units[(i * 7) % units.length]).join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(cellArb, { minLength: headers.length - 1, maxLength: headers.length - 1 }), fc.boolean(), async (cells, asCsv) => {
        const row = [id, ...cells];
        const bytes = asCsv
          ? Buffer.from(`${headers.join(',')}\n${row.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')}\n`)
          : xlsxOf(SHEET_OPEN + sheetRowsXml([headers, row]) + SHEET_CLOSE);
        let p: ReturnType<typeof previewImport> | undefined;
        if (outcome(() => (p = previewImport(h.ctx, { name: asCsv ? 'long.csv' : 'long.xlsx', bytes }))) === 'preview') {
          for (const c of p!.changes) for (const f of c.changes) assert.ok(typeof f.value !== 'string' || f.value.length <= 20_000, `${f.field}: ${String(f.value).length}`);
        }
      }),
      { numRuns: Math.max(10, Math.round(RUNS / 10)) },
    );
    assert.equal(dbHash(h.db), hash);
  } finally {
    h.close();
  }
});
