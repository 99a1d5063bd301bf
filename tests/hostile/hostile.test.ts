// The hostile corpus (tests/hostile/corpus.ts) through the app's import path, the formula
// round trip, and the cost of refusing a million rows (time and peak memory, in a child process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildHostileCorpus, formulaRoundTrip, measureRefusal, runHostileCorpus, runHostileCorpusDetailed } from './corpus';

test('every hostile file ends in a clear Chinese message (or the right preview), the database unchanged', async () => {
  const { summary, results } = await runHostileCorpusDetailed({ log: (s) => console.log(s) });
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.rejectedCleanly, summary.tried);
  assert.ok(summary.tried >= 30);
  assert.ok(results.every((r) => r.ms < 30_000));
});

test('runHostileCorpus keeps the signature npm run reliability uses', async () => {
  const r = await runHostileCorpus();
  assert.deepEqual(Object.keys(r).sort(), ['failures', 'rejectedCleanly', 'tried']);
  assert.equal(r.failures.length, 0);
});

test('formula and DDE text is imported as text and exported as text (no <f> in the sheet XML)', async () => {
  const r = await formulaRoundTrip();
  assert.equal(r.formulasInXml, 0);
  assert.ok(r.literalCells >= 5, JSON.stringify(r));
});

test('a million rows are refused by the row limit: time and peak memory', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-million-'));
  const cases = await buildHostileCorpus(dir);
  for (const name of ['一百万行.csv', '一百万行.xlsx']) {
    const c = cases.find((x) => x.name === name)!;
    const m = measureRefusal(c.file);
    const size = fs.statSync(c.file).size;
    console.log(`${name} (${(size / 1048576).toFixed(1)} MB on disk): refused in ${Math.round(m.ms)} ms, peak RSS ${Math.round(m.peakRssMb)} MB — ${m.message}`);
    assert.match(m.message, /200000 行/);
    assert.ok(m.ms < 30_000);
    // well under the worker's 1 GB heap limit
    assert.ok(m.peakRssMb < 1500, `${m.peakRssMb} MB`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
