// rounds.collect's input (files as base64) handed to the collector: shared by the router's handler
// (electron/ipc/round-transfers.ts) and the write worker (electron/query/worker.ts), which takes a
// collect on a large ledger off the thread that serves IPC.
import path from 'node:path';
import type { ParsedInput } from '../../shared/ipc/contract';
import type { CollectFileResult } from '../../shared/rounds';
import type { ServiceContext } from '../core/context';
import { collectRoundFiles } from './round-files';

export function collectFromInput(ctx: ServiceContext, i: ParsedInput<'rounds.collect'>): CollectFileResult[] {
  // only the name: a path from the page never reaches the file system
  const files = i.files.map((f) => ({ name: path.basename(f.name), bytes: Buffer.from(f.base64, 'base64') }));
  return collectRoundFiles(ctx, i.roundId, files, { dryRun: i.dryRun, onConflict: i.onConflict, perField: i.perField, deptId: i.deptId, receivedAt: i.receivedAt });
}
