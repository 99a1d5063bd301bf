// Copy from the 任务分工 and 重点项目 grids (renderer/src/alloc/clipboard.ts toTsv, which both
// pages' Ctrl+C handlers use): a cell that Excel or WPS would take as a formula when pasted goes
// out as text (a leading apostrophe), whatever else is in it; ordinary text and numbers as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { neutralizeFormula, parseTsv, toTsv } from '../../../../renderer/src/alloc/clipboard';

const ATTACKS = ["=cmd|' /c calc'!A0", '+HYPERLINK("http://evil.example/x","点我")', '-2+3', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '=1+1'];

test('formula and DDE text is copied as text (leading apostrophe), plain text and numbers unchanged', () => {
  const tsv = toTsv([ATTACKS, ['推进中', '-5', '+86', '12.5', '说明：=不是开头']]);
  const [attacks, plain] = parseTsv(tsv);
  assert.deepEqual(attacks, ATTACKS.map((a) => `'${a.replace(/\r/g, '\n')}`)); // parseTsv reads CR as a line end
  assert.deepEqual(plain, ['推进中', '-5', '+86', '12.5', '说明：=不是开头']);
});

test('no copied cell starts a formula, whatever its text (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', 'a', '长', ' ', '1', '|', "'") }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
      for (const row of parseTsv(toTsv(rows)))
        for (const cell of row) assert.ok(!/^[=+\-@\t\r\n]/.test(cell) || /^[-+]?\d+(\.\d+)?$/.test(cell), JSON.stringify(cell));
    }),
    { numRuns: 500 },
  );
  assert.equal(neutralizeFormula('进展'), '进展');
});
