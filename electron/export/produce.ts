// One export, by kind: the bytes and the file name. Where the file goes is the caller's business
// (ipc/transfers.ts: a save dialog, the export folder, --out). Kept apart from ipc/transfers.ts
// so the export worker (worker.ts) loads the exporters and nothing of the import side.
import type { City } from '../../shared/domain';
import { isSuggested, type UnconfirmedMode } from '../../shared/ledger';
import type { ExportKind } from '../../shared/ipc/contract';
import { exportLedger, ledgerMeasures, scopeOf } from './xlsx/ledger';
import { checkScope, inScope } from './docx/common';
import { listMeasures } from '../services/measures';
import { buildDocx } from './docx';
import type { ReportLogDraft } from '../services/reports';
import { exportProjects } from './xlsx/projects';
import { exportIndicators } from './xlsx/indicators';
import { exportSpecialPlan } from './docx/special-plan';
import { exportDraftTables } from './xlsx/draft-tables';
import { ServiceError, type ServiceContext } from '../core/context';
import { fitFileName } from './file-name';
import { buildReturnNotice, buildRoundBriefing } from './docx/rounds';
import { exportRoundScores } from './xlsx/round-scores';
import { roundRow, roundStatus } from '../services/rounds';

export interface ExportRequest {
  kind: ExportKind;
  deptId?: number;
  city?: City;
  chapter?: number;
  role?: 'lead' | 'co' | 'all';
  date?: string;
  dueDate?: string;
  preamble?: string;
  title?: string;
  category?: string;
  year?: number;
  draftId?: number;
  /** round documents: the 调度轮次 */
  roundId?: number;
  /** suggested leads nobody confirmed: mark (default), omit or plain (shared/ledger.ts) */
  unconfirmed?: UnconfirmedMode;
}

export interface ExportFile {
  buffer: Buffer;
  rows: number;
  fileName: string;
  /** a briefing's report_log row: written by recordExport (ipc/transfers.ts) once the file is kept */
  reportLog?: ReportLogDraft;
  /** measures in it whose lead is a suggestion nobody confirmed (marked, left out or as they are) */
  suggested?: number;
}

/**
 * One export, by kind. Writes nothing to the database (it runs on a read-only connection in the
 * export worker): a briefing's log row comes back in `reportLog`.
 */

export async function produceExport(ctx: ServiceContext, req: ExportRequest): Promise<ExportFile> {
  const file = await produceFile(ctx, req);
  // named from data (a draft's title, a department): made to fit every file system's limits
  return { ...file, fileName: fitFileName(file.fileName) };
}

async function produceFile(ctx: ServiceContext, req: ExportRequest): Promise<ExportFile> {
  if (req.deptId !== undefined && !ctx.q.dept(req.deptId)) throw new ServiceError('NOT_FOUND', `没有编号为 ${req.deptId} 的部门`);
  const { kind, ...opts } = req;
  switch (kind) {
    case 'ledger.xlsx':
      return exportLedger(ctx, { deptId: opts.deptId, city: opts.city, chapter: opts.chapter, unconfirmed: opts.unconfirmed });
    case 'allocation.docx':
      return buildDocx(ctx, 'allocation', opts);
    case 'briefing.docx':
      return buildDocx(ctx, 'briefing', opts);
    case 'projects.xlsx':
      return exportProjects(ctx, { city: opts.city, category: opts.category, deptId: opts.deptId, year: opts.year });
    case 'indicators.xlsx':
      return exportIndicators(ctx);
    case 'special-plan.docx':
    case 'draft-tables.xlsx':
      if (opts.draftId === undefined) throw new ServiceError('VALIDATION', '须选择要导出的方案草稿');
      return kind === 'special-plan.docx' ? exportSpecialPlan(ctx, opts.draftId) : exportDraftTables(ctx, opts.draftId);
    case 'dept-letter.docx':
      if (opts.deptId === undefined) throw new ServiceError('VALIDATION', '部门任务清单须选择一个部门');
      return buildDocx(ctx, 'dept-letter', opts);
    case 'round-briefing.docx':
    case 'round-scores.xlsx':
    case 'return-notice.docx':
    case 'reminder.docx': {
      if (opts.roundId === undefined) throw new ServiceError('VALIDATION', '须选择调度轮次');
      const round = roundRow(ctx, opts.roundId);
      if (kind === 'round-scores.xlsx') return exportRoundScores(ctx, round.id);
      if (kind === 'round-briefing.docx') {
        const buffer = await buildRoundBriefing(ctx, round.id);
        return { buffer, rows: roundStatus(ctx, round.id).departments.length, fileName: `${round.title}-调度通报.docx` };
      }
      // a reminder records the 催办 when made: rounds.remind (the export worker only reads)
      if (kind === 'reminder.docx') throw new ServiceError('VALIDATION', '催办通知请在调度轮次页生成（生成即记为催办一次）');
      if (opts.deptId === undefined) throw new ServiceError('VALIDATION', '退回通知须选择一个部门');
      const dept = ctx.q.dept(opts.deptId)!;
      return { buffer: await buildReturnNotice(ctx, round.id, opts.deptId), rows: 1, fileName: `退回通知-${dept.name}-${round.title}.docx` };
    }
  }
}


/**
 * How many measures of this export have a lead the system suggested and nobody confirmed (what
 * the export page warns about before writing, and the CLI reports); null for the exports that name
 * no measure's lead (projects, indicators) and for drafts (their own page shows their tables).
 */
export function countSuggested(ctx: ServiceContext, req: ExportRequest): number | null {
  switch (req.kind) {
    case 'allocation.docx':
    case 'briefing.docx':
    case 'dept-letter.docx': {
      const opts = { deptId: req.deptId, city: req.city, chapter: req.chapter, role: req.kind === 'dept-letter.docx' ? ('all' as const) : req.role };
      checkScope(ctx, opts);
      return listMeasures(ctx).filter((m) => inScope(m, opts) && isSuggested(m)).length;
    }
    case 'ledger.xlsx': {
      const { filter } = scopeOf(ctx, { deptId: req.deptId, city: req.city, chapter: req.chapter });
      return ledgerMeasures(ctx).filter((m) => (!filter || filter(m)) && isSuggested(m)).length;
    }
    default:
      return null;
  }
}
