// A department's edits of a distributed 调度 ledger, made with SheetJS (another program than the
// one that wrote it), for the tests that need a round with reports: the 状态 and 进展情况 of chosen
// measures changed, the hidden sheet that names the round and department kept as it was.
import assert from 'node:assert/strict';
import * as XLSX from 'xlsx';
import { LEDGER_COLUMNS } from '../../shared/ledger';

const header = (key: string) => LEDGER_COLUMNS.find((c) => c.key === key)!.header;

export interface LedgerEdit {
  status?: string;
  progress?: string;
}

/** The ledger's bytes with `edits` (by measure id) written in; every id must be a row of the ledger. */
export function editRoundLedger(bytes: Buffer, edits: Record<string, LedgerEdit>): Buffer {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  const ws = wb.Sheets['任务分工台账'];
  assert.ok(ws, 'the ledger has its 任务分工台账 sheet');
  const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: '' });
  const hr = rows.findIndex((r) => (r as string[]).includes(header('id')));
  assert.ok(hr >= 0, 'the ledger has its header row');
  const cols = rows[hr] as string[];
  const idCol = cols.indexOf(header('id'));
  const statusCol = cols.indexOf(header('status'));
  const progressCol = cols.indexOf(header('progress'));
  const left = new Set(Object.keys(edits));
  rows.forEach((r, i) => {
    const id = String((r as string[])[idCol]);
    const e = i > hr ? edits[id] : undefined;
    if (!e) return;
    left.delete(id);
    if (e.status !== undefined) ws[XLSX.utils.encode_cell({ r: i, c: statusCol })] = { t: 's', v: e.status };
    if (e.progress !== undefined) ws[XLSX.utils.encode_cell({ r: i, c: progressCol })] = { t: 's', v: e.progress };
  });
  assert.equal(left.size, 0, `measures not in the ledger: ${[...left].join(', ')}`);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The measure ids a distributed ledger lists, in its order. */
export function roundLedgerIds(bytes: Buffer): string[] {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['任务分工台账'], { header: 1, defval: '' });
  const hr = rows.findIndex((r) => (r as string[]).includes(header('id')));
  const idCol = (rows[hr] as string[]).indexOf(header('id'));
  return rows
    .slice(hr + 1)
    .map((r) => String((r as string[])[idCol]))
    .filter((id) => /^\d+\.\d+\.\d+\.\d+$/.test(id));
}
