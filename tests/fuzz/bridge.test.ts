// Random URLs and raw request lines against the real web bridge process, on 127.0.0.1 only
// (tests/hostile/bridge-fuzz.ts): the bridge never ends, never needs its last resort, and keeps
// answering; a bounded count (FUZZ_RUNS, default 400).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzBridge } from '../hostile/bridge-fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

test('random URLs and raw request lines: the bridge answers and goes on', { timeout: 600_000 }, async () => {
  const r = await fuzzBridge({ count: RUNS, seed: Number(process.env.FUZZ_SEED ?? 16) });
  console.log(`bridge fuzz: ${r.tried} requests, ${r.crashes} crashes, answers ${JSON.stringify(r.statuses)}`);
  assert.equal(r.tried, RUNS);
  assert.deepEqual(r.details, []);
  assert.equal(r.crashes, 0);
  // the malformed ones were answered, not just dropped
  assert.ok((r.statuses['400'] ?? 0) > 0, JSON.stringify(r.statuses));
});
