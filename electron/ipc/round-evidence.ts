// 佐证材料 of a round as the page uses them (issue 18, item 7): list, attach (the bytes the page read
// from the files the person chose), take off, open with the system viewer, those that came along
// with returned ledgers named by measure id, and who reports a measure (the 分工台账's entry). The checks and the content-addressed store are
// electron/import/evidence.ts; opening never runs anything: a copy in a temporary folder, under its
// name with the extension of its checked type, handed to the platform's viewer (shell.openPath), or
// where there is none (the browser version) given back for the page to download.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EvidenceAddResult } from '../../shared/rounds';
import type { RoundEvidenceChannel } from '../../shared/ipc/channels/rounds';
import type { HandlerTable } from '../core/handlers';
import { ServiceError, type ServiceContext } from '../core/context';
import { addEvidence, addEvidenceByName, evidenceForViewing, removeEvidence, roundEvidence } from '../import/evidence';
import { roundRow, rq } from '../services/rounds';
import type { TransferEnv } from './transfers';

/** the names as the page gave them: a file's own name, never a path (a name with path parts is refused by the checks) */
const decode = (files: { name: string; base64: string }[]) => files.map((f) => ({ name: f.name, bytes: Buffer.from(f.base64, 'base64') }));

function dbFileOf(ctx: ServiceContext): string {
  if (ctx.db.memory || !ctx.db.name) throw new ServiceError('VALIDATION', '内存数据库没有存放佐证材料的目录');
  return path.resolve(ctx.db.name);
}

export const roundEvidenceHandlers: HandlerTable<RoundEvidenceChannel, TransferEnv> = {
  'rounds.evidence': (ctx, i) => roundEvidence(ctx, i.roundId, i.deptId),
  'rounds.addEvidence': (ctx, i) => {
    const dbFile = dbFileOf(ctx);
    const out: EvidenceAddResult = { added: [], refused: [] };
    for (const f of decode(i.files)) {
      try {
        const e = addEvidence(ctx, dbFile, i.roundId, i.deptId, f, i.measureId ?? null);
        out.added.push(roundEvidence(ctx, i.roundId).find((x) => x.id === e.id)!);
      } catch (e) {
        // a refusal of this file (its name, its bytes, its measure) is listed with the others; a
        // closed round or a department not of it refuses the whole request
        if (!(e instanceof ServiceError) || e.code !== 'VALIDATION') throw e;
        out.refused.push({ file: f.name, reason: e.message });
      }
    }
    return out;
  },
  'rounds.removeEvidence': (ctx, i) => {
    removeEvidence(ctx, i.roundId, i.id);
    return { removed: true };
  },
  'rounds.openEvidence': async (ctx, i, env) => {
    const v = evidenceForViewing(ctx, dbFileOf(ctx), i.roundId, i.id);
    if (!env.platform.openFile) return { opened: false, fileName: v.fileName, base64: v.bytes.toString('base64') };
    // a folder of its own for each copy: the original name is kept, and nothing else is in it
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'czt-evidence-'));
    const file = path.join(dir, v.fileName);
    await fs.promises.writeFile(file, v.bytes, { flag: 'wx', mode: 0o444 });
    return { opened: await env.platform.openFile(file), fileName: v.fileName, base64: null };
  },
  'rounds.measureParts': (ctx, i) => {
    roundRow(ctx, i.roundId);
    const names = new Map(rq(ctx).roundDepts(i.roundId).map((d) => [d.dept_id, d.name]));
    return rq(ctx)
      .roundMeasures(i.roundId)
      .filter((m) => m.measure_id === i.measureId)
      .map((m) => ({ deptId: m.dept_id, name: names.get(m.dept_id) ?? String(m.dept_id), role: m.role }));
  },
  'rounds.collectEvidence': (ctx, i) => addEvidenceByName(ctx, dbFileOf(ctx), i.roundId, decode(i.files), i.deptIds, { dryRun: i.dryRun }),
};
