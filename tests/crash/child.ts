// Child of the crash loop (tests/crash/harness.ts): one real operation on a real file, then exit.
// Prints READY just before the operation starts and DONE <ms> when it has returned.
import fs from 'node:fs';
import path from 'node:path';
import { openWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { applyEdits } from '../../electron/services/measures';
import { finishImport, startImport } from '../../electron/ipc/transfers';
import { listMeasures } from '../../electron/services/measures';
import { BULK_OP, BULK_ROWS } from './constants';

const [scenario, dbFile, ledger, tag] = process.argv.slice(2);
const db = openWorkbenchDb(dbFile, { quickCheck: false });
const ctx = contextFor(db);
async function main() {
  if (scenario === 'import') {
    const preview = await startImport(ctx, path.basename(ledger), fs.readFileSync(ledger));
    if (preview.errors.length) throw new Error(`台账有错误：${JSON.stringify(preview.errors.slice(0, 3))}`);
    process.stdout.write('READY\n');
    const t0 = Date.now();
    await finishImport(ctx, preview.previewId, { onConflict: 'take' });
    process.stdout.write(`DONE ${Date.now() - t0}\n`);
  } else {
    const ids = listMeasures(ctx).map((m) => m.id).slice(-BULK_ROWS);
    const edits = ids.map((measureId) => ({ measureId, patch: { note: `批量备注 ${tag}` } }));
    process.stdout.write('READY\n');
    const t0 = Date.now();
    applyEdits(ctx, edits, BULK_OP);
    process.stdout.write(`DONE ${Date.now() - t0}\n`);
  }
  db.close();
}
main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(2);
});
