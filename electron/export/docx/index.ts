// Word documents of the workbench, all on the GB/T 9704-2012 module (gbt9704.ts).
import { ServiceError, type ServiceContext } from '../../services/context';
import { buildAllocation } from './allocation';
import { buildBriefing } from './briefing';
import { buildDeptLetter } from './dept-letter';
import type { DocxKind, DocxOptions, DocxResult } from './common';

export type { DocxKind, DocxOptions, DocxResult } from './common';
export { buildAllocation, buildBriefing, buildDeptLetter };
export { getTemplate, setTemplate, resetTemplate } from './template-settings';

export const DOCX_KINDS: readonly DocxKind[] = ['allocation', 'briefing', 'dept-letter'];

/** Build one Word document. A briefing is also logged in report_log (the next one compares with it). */
export async function exportDocx(ctx: ServiceContext, kind: DocxKind, opts: DocxOptions): Promise<DocxResult> {
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
