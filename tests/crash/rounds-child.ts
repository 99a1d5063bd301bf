// Child of the rounds crash test (tests/crash/rounds-crash.test.ts): one real round step on a real
// file — collecting a returned ledger, or accepting a department's report — then exit. Prints
// READY just before the step starts and DONE <ms> when it has returned.
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { reviewRound } from '../../electron/services/rounds';
import { collectRoundFiles } from '../../electron/import/round-files';

const [scenario, dbFile, ledger, deptId] = process.argv.slice(2);
const db = openWorkbenchDb(dbFile, { quickCheck: false });
const ctx = contextFor(db);
ctx.actor = { name: '崩溃测试', unit: '可靠性' };
const bytes = fs.readFileSync(ledger);
process.stdout.write('READY\n');
const t0 = Date.now();
if (scenario === 'collect') {
  const [r] = collectRoundFiles(ctx, 1, [{ name: path.basename(ledger), bytes }]);
  if (r.refused) throw new Error(r.refused);
} else reviewRound(ctx, 1, { deptId: Number(deptId), action: 'accept' });
process.stdout.write(`DONE ${Date.now() - t0}\n`);
db.close();
