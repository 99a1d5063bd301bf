// kill -9 during a real import apply and during a real bulk edit, many times: afterwards
// integrity_check is ok and each operation is either fully there or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashLoop, prepareFixtures, type Fixtures } from './harness';

const RUNS = Number(process.env.CZT_CRASH_RUNS ?? 15);
let fx: Fixtures;

test('fixtures: a seeded database and a returned ledger changing 200 measures', { timeout: 120000 }, async () => {
  fx = await prepareFixtures();
});

for (const scenario of ['import', 'bulk'] as const) {
  test(`kill -9 at random moments during ${scenario === 'import' ? 'an import apply (200 measures)' : 'a bulk edit (300 measures)'}, ${RUNS} times`, { timeout: 600000 }, async () => {
    const rep = await crashLoop(fx, scenario, RUNS);
    console.log(JSON.stringify({ ...rep, details: rep.details.slice(0, 5) }));
    assert.equal(rep.halfApplied, 0, rep.details.join('\n'));
    assert.equal(rep.integrityFailures, 0, rep.details.join('\n'));
    // the random delays must actually hit the operation, not only before or after it
    assert.ok(rep.interrupted > 0, 'no run was interrupted: the delays missed the operation');
  });
}
