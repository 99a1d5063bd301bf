// rounds.*: 调度轮次 (issue 18) — open a round, distribute its packages, collect the returned
// ledgers, review, chase, close and score. The round documents (briefing, scores, return notice)
// go through export.run (their kinds are in channels/export.ts); the reminder has its own channel
// because making it records the 催办.
import { z } from 'zod';
import { ROUND_DEPT_STATES, type CollectFileResult, type DeptScore, type EvidenceAddResult, type EvidenceFileResult, type RoundCompare, type RoundEvent, type RoundEvidence, type RoundInfo, type RoundLatest, type RoundReportRow, type RoundStatus, type ScoreRules } from '../../rounds';
import { channel } from '../channel';
import { deptId, empty, isoDate, measureId, nonEmpty } from './common';

const roundId = z.number().int().positive();
/** the renderer's id for a long step (下发): rounds.progress events carry it, rounds.cancel names it */
const jobId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, '任务编号无效');

export interface RoundReviewResult {
  department: string;
  state: (typeof ROUND_DEPT_STATES)[number];
  reports: number;
  /** measures whose progress or status changed on accepting */
  applied: number;
}

export interface RoundDistributeResult {
  departments: number;
  files: string[];
  /** the folder the packages were written into */
  folder: string;
}

export interface RoundRemindResult {
  files: { path: string; fileName: string; id: number; departments: number }[];
}

/** Payload of the rounds.progress event (shared/ipc/events.ts). */
export interface RoundProgressEvent {
  jobId: string;
  done: number;
  total: number;
  /** the department (下发) or the file (收取) being worked on */
  label: string;
}

const ruleNumber = z.number('考核规则应为数字').min(-1000, '考核规则应在 -1000 到 1000 之间').max(1000, '考核规则应在 -1000 到 1000 之间');

/** a 佐证材料 file as the page read it: 20 MB at most (base64 is 4/3 of it; a little over is refused by the checks, in words) */
const evidenceFile = z
  .object({ name: z.string().min(1, '文件名不能为空').max(255, '文件名过长'), base64: z.string().max(28_500_000, '文件超过 20 MB 的上限') })
  .strict();
const evidenceId = z.number().int().positive();

/** rounds.openEvidence: opened with the system viewer (Electron), or the file to download (the browser version) */
export interface EvidenceOpenResult {
  opened: boolean;
  fileName: string;
  /** the file's bytes where it could not be opened here (the page offers it as a download) */
  base64: string | null;
}

/** the 佐证材料 channels, answered in electron/ipc/round-evidence.ts */
export type RoundEvidenceChannel = 'rounds.evidence' | 'rounds.addEvidence' | 'rounds.removeEvidence' | 'rounds.openEvidence' | 'rounds.collectEvidence' | 'rounds.measureParts';

export const roundsChannels = {
  'rounds.list': channel<RoundInfo[]>()(empty),
  'rounds.create': channel<{ round: RoundInfo; unassigned: string[] }>()(
    z
      .object({
        title: nonEmpty(100),
        periodEnd: isoDate,
        dueDate: isoDate,
        chapters: z.array(z.number().int().min(1).max(9)).min(1).max(9).optional(),
        measureIds: z.array(measureId).min(1).max(200_000).optional(),
        withCo: z.boolean().optional(),
        note: z.string().max(2000, '备注不能超过2000字').optional(),
      })
      .strict(),
  ),
  'rounds.status': channel<RoundStatus>()(z.object({ roundId }).strict()),
  'rounds.reports': channel<RoundReportRow[]>()(z.object({ roundId, deptId: deptId.optional(), all: z.boolean().optional() }).strict()),
  'rounds.events': channel<RoundEvent[]>()(z.object({ roundId }).strict()),
  'rounds.review': channel<RoundReviewResult>()(
    z
      .object({
        roundId,
        deptId,
        action: z.enum(['accept', 'return']),
        reason: z.string().max(2000, '退回理由不能超过2000字').optional(),
        measureIds: z.array(measureId).min(1).max(10_000).optional(),
      })
      .strict()
      .refine((v) => v.action !== 'return' || (v.reason ?? '').trim().length > 0, { message: '退回须说明理由', path: ['reason'] }),
  ),
  'rounds.close': channel<RoundInfo>()(z.object({ roundId }).strict()),
  /** 对比上期: reads both rounds' snapshots and every measure's text, so off the thread that serves IPC on a large ledger */
  'rounds.compare': channel<RoundCompare>()(z.object({ fromId: roundId, toId: roundId }).strict(), { worker: { kind: 'read' } }),
  /** the dashboard's card: the latest closed round and the change since the one before (reads two snapshots) */
  'rounds.latest': channel<RoundLatest | null>()(empty, { worker: { kind: 'read' } }),
  'rounds.scores': channel<DeptScore[]>()(z.object({ roundId }).strict()),
  'rounds.getScoreRules': channel<ScoreRules>()(empty),
  'rounds.setScoreRules': channel<ScoreRules>()(
    z.object({ base: ruleNumber.optional(), notReported: ruleNumber.optional(), late: ruleNumber.optional(), lagging: ruleNumber.optional(), completed: ruleNumber.optional() }).strict(),
  ),
  /** 下发: the packages into a folder (Electron asks which; else beside the exports); null: the person cancelled the choice */
  'rounds.distribute': channel<RoundDistributeResult | null>()(z.object({ roundId, deptIds: z.array(deptId).min(1).max(1000).optional(), jobId: jobId.optional() }).strict()),
  /** stop a 下发 under way (it then fails with CANCELLED and writes nothing) */
  'rounds.cancel': channel<{ cancelled: boolean }>()(z.object({ jobId }).strict()),
  /**
   * 收取: returned ledgers, each recognised, checked and (unless a dry run) taken in; a refused
   * file says why. A file comes as its base64 (the web bridge) or, in Electron, as the path of the
   * file the person chose (the bytes do not cross IPC). On a large ledger run by the collect worker
   * (electron/import/round-offthread.ts), off the thread that serves IPC.
   */
  'rounds.collect': channel<CollectFileResult[]>()(
    z
      .object({
        roundId,
        files: z
          .array(
            z.union([
              z.object({ name: z.string().min(1).max(255), base64: z.string().max(70_000_000) }).strict(),
              z.object({ name: z.string().min(1).max(255), path: z.string().min(1).max(4096) }).strict(),
            ]),
          )
          .min(1, '请选择要收取的文件')
          .max(500),
        dryRun: z.boolean().optional(),
        onConflict: z.enum(['keep', 'take']).optional(),
        perField: z.record(z.string().max(40), z.record(z.string().max(40), z.enum(['keep', 'take']))).optional(),
        deptId: deptId.optional(),
        receivedAt: z.string().max(40).optional(),
      })
      .strict(),
  ),
  /** 佐证材料 of the round (of one department) */
  'rounds.evidence': channel<RoundEvidence[]>()(z.object({ roundId, deptId: deptId.optional() }).strict()),
  /** attach files to a department's report (to one measure of it): each checked, added or refused with the reason */
  'rounds.addEvidence': channel<EvidenceAddResult>()(
    z.object({ roundId, deptId, measureId: measureId.optional(), files: z.array(evidenceFile).min(1, '请选择要添加的佐证材料').max(20, '一次最多添加 20 个文件') }).strict(),
  ),
  /** take an attachment off (the stored file stays for the backups) */
  'rounds.removeEvidence': channel<{ removed: true }>()(z.object({ roundId, id: evidenceId }).strict()),
  /** open with the system viewer: a copy in a temporary folder, under its name with its checked type's extension */
  'rounds.openEvidence': channel<EvidenceOpenResult>()(z.object({ roundId, id: evidenceId }).strict()),
  /**
   * 佐证材料 that came with returned ledgers, named by measure id (4.1.1.3-验收报告.pdf): each to the
   * department (of deptIds: those whose ledgers were taken in with them) that reports that measure
   */
  'rounds.collectEvidence': channel<EvidenceFileResult[]>()(
    z.object({ roundId, deptIds: z.array(deptId).max(1000), files: z.array(evidenceFile).min(1).max(200), dryRun: z.boolean().optional() }).strict(),
  ),
  /** the departments that report a measure in a round (to attach its 佐证材料 from the 分工台账) */
  'rounds.measureParts': channel<{ deptId: number; name: string; role: '牵头' | '配合' }[]>()(z.object({ roundId, measureId }).strict()),
  /** 催办: reminder notices (one each or combined), saved as exports, and the reminders recorded */
  'rounds.remind': channel<RoundRemindResult>()(z.object({ roundId, deptIds: z.array(deptId).min(1).max(1000).optional(), combined: z.boolean().optional() }).strict()),
};
