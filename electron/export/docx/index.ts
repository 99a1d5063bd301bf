// Word documents of the workbench, all on the GB/T 9704-2012 module (gbt9704.ts).
import { ServiceError, type ServiceContext } from '../../core/context';
import { buildAllocation } from './allocation';
import { buildBriefing } from './briefing';
import { buildDeptLetter } from './dept-letter';
import type { DocxKind, DocxOptions, DocxResult } from './common';
import { logReport } from '../../services/reports';

export type { DocxKind, DocxOptions, DocxResult } from './common';
export { buildAllocation, buildBriefing, buildDeptLetter };


export const DOCX_KINDS: readonly DocxKind[] = ['allocation', 'briefing', 'dept-letter'];

/** Build one Word document and log a briefing in report_log (the next one compares with it). */
export async function exportDocx(ctx: ServiceContext, kind: DocxKind, opts: DocxOptions): Promise<DocxResult> {
  const r = await buildDocx(ctx, kind, opts);
  if (r.reportLog) logReport(ctx, r.reportLog);
  return r;
}

/** Build one Word document, writing nothing (a briefing's log row comes back in reportLog). */
export async function buildDocx(ctx: ServiceContext, kind: DocxKind, opts: DocxOptions): Promise<DocxResult> {
  switch (kind) {
    case 'allocation':
      return buildAllocation(ctx, opts);
    case 'briefing':
      return buildBriefing(ctx, opts);
    case 'dept-letter':
      return buildDeptLetter(ctx, opts);
    default:
      throw new ServiceError('VALIDATION', `未知的文档类型：${String(kind)}`);
  }
}
