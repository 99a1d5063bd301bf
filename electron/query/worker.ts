// The read worker's entry (started by offthread.ts): a long-lived worker thread with its own
// READ-ONLY connection to the database file, answering read-only service calls that can take
// seconds on a very large ledger (方案起草's gaps and table counts, the dashboard's measure facts, the
// project list), so the thread that serves IPC
// is not held up by them. Each call runs in one read transaction (one snapshot); the main
// connection's commits are seen by the next call (WAL). Runs only inside a worker_threads Worker;
// the main bundle never loads it.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { contextFor, describeFailure } from '../core/context';
import { createDraft, draftGaps, draftTableCounts } from '../services/drafts';
import { measureFacts } from '../services/measures';
import { compareRounds, latestClosedRound } from '../services/rounds';
import { countSuggested, type ExportRequest } from '../export/produce';
import { listProjects, type ListProjectsOptions } from '../services/projects';
import { jsonText, splitJson } from '../../shared/ipc/json-text';
import { configure } from '../db/open';
import { contract, type WorkerChannel } from '../../shared/ipc/contract';
import { READ_WORKER_KIND, WRITE_WORKER_KIND, type ReadCall, type ReadReply, type ReadWorkerData, type WriteReply, type WriteWorkerData } from './protocol';

/** the calls this worker answers: each reads only */
const CALLS: Record<ReadCall['op'], (ctx: ReturnType<typeof contextFor>, arg: number, input: unknown) => unknown> = {
  'drafts.gaps': (ctx, draftId) => draftGaps(ctx, draftId),
  'drafts.tableCounts': (ctx, draftId) => draftTableCounts(ctx, draftId),
  // a long project list as JSON text: one string to hand on (read as objects it held the IPC thread: docs/bench.md)
  'projects.list': (ctx, _arg, input) => jsonText(JSON.stringify(listProjects(ctx, (input ?? {}) as ListProjectsOptions))),
  // as JSON text, its columns in pieces: a large ledger's ids rebuilt as strings held the IPC thread (docs/bench.md)
  // reads every measure of the scope: asked at each change of the export page's scope
  'export.suggestions': (ctx, _arg, input) => ({ suggested: countSuggested(ctx, input as ExportRequest) }),
  // the dashboard's 调度轮次 card: two snapshots compared (100,000 measures each on a large ledger)
  'rounds.latest': (ctx) => latestClosedRound(ctx),
  // every measure of both rounds with its texts: as JSON text, the measures apart (as the facts)
  'rounds.compare': (ctx, _arg, input) => {
    const i = input as { fromId: number; toId: number };
    return jsonText(splitJson(compareRounds(ctx, i.fromId, i.toId), ['measures']));
  },
  'measures.facts': (ctx) => jsonText(splitJson(measureFacts(ctx), ['ids', 'status', 'deadline', 'leadId', 'leadIds', 'leadConfirmed', 'chapterNo', 'cities'])),
};

/** the writes this worker makes, each with its input parsed by the channel's schema again */
const WRITES: { [C in WorkerChannel<'write'>]: (ctx: ReturnType<typeof contextFor>, input: unknown) => unknown } = {
  'drafts.create': (ctx, input) => createDraft(ctx, contract['drafts.create'].input.parse(input)),
};

/**
 * One write on a read-write connection of this worker's own, in one transaction as on the main
 * connection (WAL: the main connection reads on meanwhile and sees it at its next statement).
 * Terminating the worker mid-way rolls the transaction back.
 */
function writeHere(data: WriteWorkerData): WriteReply {
  let db: Database.Database;
  try {
    db = new Database(data.dbFile, { fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    configure(db);
  } catch (e) {
    return { ok: false, opened: false, serviceError: false, code: 'INTERNAL', message: String((e as Error)?.message ?? e) };
  }
  try {
    const ctx = contextFor(db);
    if (data.actor) ctx.actor = data.actor;
    return { ok: true, json: JSON.stringify(WRITES[data.op](ctx, data.input)) };
  } catch (e) {
    return { ok: false, opened: true, ...describeFailure(e) };
  } finally {
    db.close();
  }
}

if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === WRITE_WORKER_KIND) {
  parentPort.postMessage(writeHere(workerData as WriteWorkerData));
} else if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === READ_WORKER_KIND) {
  const port = parentPort;
  const data = workerData as ReadWorkerData;
  const db = new Database(data.dbFile, { readonly: true, fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  db.pragma('busy_timeout = 5000');
  const ctx = contextFor(db);
  const inSnapshot = db.transaction((call: ReadCall) => CALLS[call.op](ctx, call.arg, call.input));
  port.on('message', (call: ReadCall) => {
    let reply: ReadReply;
    try {
      reply = { id: call.id, ok: true, value: inSnapshot(call) };
    } catch (e) {
      reply = { id: call.id, ok: false, ...describeFailure(e) };
    }
    port.postMessage(reply);
  });
}
