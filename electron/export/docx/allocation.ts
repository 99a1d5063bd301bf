// 任务分工方案: title, preamble, then per chapter a heading and a table of its measures.
//
// The tables go in a landscape section: with six columns, a 具体措施 of 60–150 characters and
// 配合单位 lists of several departments, a portrait table gives the measure ~60 mm and rows of
// five to eight lines; landscape doubles that column and the scheme needs far fewer pages. The
// title and preamble stay on a portrait first page, as a 公文 starts.
import { correctedWithNote } from '../../../shared/corrections';
import { chapterLabel, type MeasureRow } from '../../../shared/domain';
import type { ServiceContext } from '../../core/context';
import { listMeasures } from '../../services/measures';
import { GbDocument, deadlineText, type GbCell, type GbColumn } from './gbt9704';
import { checkScope, deptNames, inScope, planTitle, resolveDate, safeFileName, scopeWords, suggestionNote, unconfirmedMode, type DocxOptions, type DocxResult } from './common';
import { isSuggested, withUnconfirmed } from '../../../shared/ledger';
import { getTemplate } from '../../services/templates';

export function defaultAllocationPreamble(ctx: ServiceContext): string {
  const plan = planTitle(ctx);
  return (
    `为深入贯彻落实《湖南省人民政府关于印发〈${plan}〉的通知》（湘政发〔2022〕6号）精神，` +
    `确保《${plan}》（以下简称《规划》）各项目标任务落实落地，现将《规划》明确的重点任务分工如下。` +
    '各牵头单位要切实履行牵头职责，会同配合单位制定具体工作方案，明确时间表和路线图；' +
    '各配合单位要按照职责分工积极配合、主动作为；长沙市、株洲市、湘潭市人民政府作为责任主体，要同向发力、分工协作，确保各项任务按期完成。'
  );
}

export const ALLOCATION_COLUMNS: GbColumn[] = [
  { header: '序号', weight: 5, align: 'center' },
  { header: '重点任务', weight: 13, align: 'center' },
  { header: '具体措施', weight: 44 },
  { header: '牵头单位', weight: 13, align: 'center' },
  { header: '配合单位', weight: 17 },
  { header: '完成时限', weight: 9, align: 'center' },
];

export function allocationTitle(ctx: ServiceContext, opts: DocxOptions): string {
  if (opts.title?.trim()) return opts.title.trim();
  const scope = scopeWords(ctx, opts);
  return `${planTitle(ctx)}重点任务分工方案${scope.length ? `（${scope.join('，')}）` : ''}`;
}

export async function buildAllocation(ctx: ServiceContext, opts: DocxOptions): Promise<DocxResult> {
  checkScope(ctx, opts);
  const date = resolveDate(opts);
  const t = getTemplate(ctx);
  const mode = unconfirmedMode(opts);
  const names = deptNames(ctx, mode);
  const measures = listMeasures(ctx).filter((m) => inScope(m, opts));
  // the distinct leads counted in the overview: omit leaves the suggestions out
  const leadsOf = (m: MeasureRow) => withUnconfirmed(m, mode).leadIds;
  const title = allocationTitle(ctx, opts);
  const doc = new GbDocument(t, { title, description: `${measures.length}项具体措施` });

  doc.title(title);
  const preamble = opts.preamble?.trim() ? opts.preamble.trim() : defaultAllocationPreamble(ctx);
  for (const p of preamble.split(/\n+/).map((s) => s.trim()).filter(Boolean)) doc.para(p);
  if (measures.length === 0) {
    doc.para('所选范围内没有需要分工的具体措施。');
  } else {
    const chapters = new Set(measures.map((m) => m.chapterNo));
    doc.para(
      `本方案共列具体措施${measures.length}项，分属《规划》${[...chapters].map((c) => chapterLabel(c)).join('、')}，` +
        (measures.some((m) => !m.deadline) ? '按章列表如下；“完成时限”空白的，由牵头单位商配合单位研究提出。' : '按章列表如下。') +
        suggestionNote(measures, mode),
    );
    doc.table(
      [
        { header: '章', weight: 50 },
        { header: '具体措施（项）', weight: 17, align: 'center' },
        { header: '牵头单位（个）', weight: 17, align: 'center' },
      ],
      [
        ...[...chapters].map((c) => {
          const rows = measures.filter((m) => m.chapterNo === c);
          return [`${chapterLabel(c)} ${rows[0].chapterTitle}`, String(rows.length), String(new Set(rows.flatMap(leadsOf)).size)];
        }),
        [{ text: '合计', align: 'center' as const }, String(measures.length), String(new Set(measures.flatMap(leadsOf)).size)],
      ],
    );
    doc.newSection({ landscape: true });
    let seq = 0;
    for (const ch of chapters) {
      const rows = measures.filter((m) => m.chapterNo === ch);
      doc.heading(1, `${rows[0].chapterTitle}（${chapterLabel(ch)}，${rows.length}项）`);
      doc.table(ALLOCATION_COLUMNS, tableRows(rows, names, () => ++seq));
    }
  }
  doc.signature(t.organ, date);
  const buffer = await doc.toBuffer();
  const scope = scopeWords(ctx, opts);
  return { buffer, rows: measures.length, fileName: safeFileName(['任务分工方案', ...scope], date), suggested: measures.filter(isSuggested).length };
}

/**
 * Each row names its 重点任务: rows never split, but a task's measures may run over a page break, and
 * a vertically merged cell then shows blank on the continuation page (Word prints a merged cell's
 * text only where the merge starts), leaving rows there without their task.
 */
function tableRows(rows: MeasureRow[], names: ReturnType<typeof deptNames>, next: () => number): GbCell[][] {
  return rows.map((m) => [String(next()), m.taskTitle, correctedWithNote(m.text), names.lead(m), names.names(m.coIds), deadlineText(m.deadline)]);
}
