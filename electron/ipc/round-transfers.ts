// The file side of 调度轮次 as the renderer runs it (rounds.distribute, rounds.cancel,
// rounds.collect, rounds.remind): where the packages go (the platform's folder choice), progress
// events and cancel for 下发, the returned ledgers handed to the collector, reminders saved and
// listed as exports. The work itself is electron/import/round-files.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { RoundProgressEvent } from '../../shared/ipc/contract';
import type { HandlerTable } from '../core/handlers';
import { ServiceError } from '../core/context';
import { buildReminders, distributeRound, recordReminder } from '../import/round-files';
import { checkCollectPath, collectFromInput, collectOptionsOf } from '../import/round-collect-input';
import { collectRoundInputOffThread, distributeRoundOffThread } from '../import/round-offthread';
import { OFF_THREAD_FROM } from '../query/offthread';
import { currentNativeBinding } from '../db/backup';
import { roundRow } from '../services/rounds';
import { fitFileName } from '../export/file-name';
import { defaultExportDir, rememberExport, type TransferEnv } from './transfers';

/** 下发 under way, by job id: how to stop each */
const running = new Map<string, AbortController>();

export const roundTransfersHandlers: HandlerTable<'rounds.distribute' | 'rounds.cancel' | 'rounds.collect' | 'rounds.remind', TransferEnv & { dbPath: string }> = {
  'rounds.distribute': async (ctx, i, env) => {
    const round = roundRow(ctx, i.roundId);
    const suggested = fitFileName(`${round.title}-下发`);
    const folder = env.platform.chooseFolder ? await env.platform.chooseFolder(suggested) : path.join(defaultExportDir(env.dbPath), suggested);
    if (!folder) return null;
    const { jobId } = i;
    if (jobId !== undefined && running.has(jobId)) throw new ServiceError('CONFLICT', '这次下发已在进行中');
    const ctl = new AbortController();
    if (jobId !== undefined) running.set(jobId, ctl);
    const emit = env.platform.emit?.bind(env.platform);
    try {
      // a cancel makes distributeRound refuse (CONFLICT, 已取消下发) before it writes or records anything
      const opts = {
        deptIds: i.deptIds,
        signal: ctl.signal,
        onProgress: jobId !== undefined && emit ? (p: { done: number; total: number; department: string }) => emit('rounds.progress', { jobId, done: p.done, total: p.total, label: p.department } satisfies RoundProgressEvent) : undefined,
      };
      // in the import worker (its own connection), so the thread that serves IPC stays free; in
      // process when no worker can run it (an in-memory database)
      const dbFile = ctx.db.memory ? null : { path: path.resolve(ctx.db.name), nativeBinding: currentNativeBinding() };
      const r = (dbFile && (await distributeRoundOffThread(dbFile, round.id, folder, { ...opts, ...(ctx.actor ? { actor: ctx.actor } : {}) }))) ?? (await distributeRound(ctx, round.id, folder, opts));
      for (const f of r.files) env.written.add(path.resolve(f));
      return { ...r, folder };
    } finally {
      if (jobId !== undefined) running.delete(jobId);
    }
  },
  'rounds.cancel': (_ctx, i) => {
    const ctl = running.get(i.jobId);
    if (!ctl) return { cancelled: false };
    running.delete(i.jobId);
    ctl.abort();
    return { cancelled: true };
  },
  'rounds.collect': async (ctx, i) => {
    // a path (Electron: the file the person chose) is checked before anything is read
    for (const f of i.files) if ('path' in f) checkCollectPath(f.path);
    // on a large ledger in the collect worker, which decodes or reads the files and keeps a
    // preview's readings for the collect that follows; in process otherwise
    if (!ctx.db.memory && ctx.q.measureCount() >= OFF_THREAD_FROM) {
      const dbFile = { path: path.resolve(ctx.db.name), nativeBinding: currentNativeBinding() };
      const r = await collectRoundInputOffThread(dbFile, i.roundId, i.files, { ...collectOptionsOf(i), ...(ctx.actor ? { actor: ctx.actor } : {}) });
      if (r) return r;
    }
    return collectFromInput(ctx, i);
  },
  'rounds.remind': async (ctx, i, env) => {
    const round = roundRow(ctx, i.roundId);
    const docs = await buildReminders(ctx, round.id, { deptIds: i.deptIds, combined: i.combined });
    const files: { path: string; fileName: string; id: number; departments: number }[] = [];
    for (const d of docs) {
      // a save the person cancelled (or that failed) records no 催办
      const saved = await env.platform.saveFile(d.fileName, d.buffer);
      if (!saved) continue;
      try {
        // the 催办 and the export list's entry in one transaction
        const entry = recordReminder(ctx, round.id, d, () =>
          rememberExport(ctx, { path: saved, fileName: path.basename(saved), rows: d.deptIds.length, bytes: d.buffer.length, suggested: null, kind: 'reminder.docx', scope: round.title }),
        );
        env.written.add(path.resolve(saved));
        files.push({ path: saved, fileName: entry.fileName, id: entry.id, departments: d.deptIds.length });
      } catch (e) {
        // not recorded: the notice is not left behind as if it had been sent
        await fs.promises.rm(saved, { force: true });
        throw e;
      }
    }
    return { files };
  },
};
