// 专项推进方案 / 行动计划 drafted in the workbench, as a Word document on the GB/T 9704 module:
// title, 主送 line, the body (headings 一、（一）1.（1）in their level fonts, paragraphs, cited plan
// measures with the citation in a smaller 楷体 parenthesis, tables), 附件说明, 落款 and date;
// then each attachment in a landscape section: 附件N, its title, the table (header row repeated,
// rows kept whole). Live tables are regenerated from the database now; frozen ones print the
// rows they were frozen with.
//
// Attachments: the blocks marked attachment form the 附件 part; each attachment ends with a
// table block (its title is the table's text), headings and paragraphs before a table belong to
// that attachment, and any after the last table to the last one.
import type { ParagraphChild } from 'docx';
import { TextRun } from './wml';
import { TABLE_KIND_LABELS, type HeadingLevel } from '../../../shared/drafts';
import type { ServiceContext } from '../../core/context';
import { DRAFT_TABLE_COLUMNS, draftForExport, tableData, type DraftTableData } from '../../services/drafts';
import { chinaToday } from '../../services/reports';
import type { BlockDbRow } from '../../db/draft-queries';
import { GbDocument, fontPair, type GbCell, type GbColumn } from './gbt9704';
import { safeFileName } from './common';
import { getTemplate } from '../../services/templates';

export interface SpecialPlanResult {
  buffer: Buffer;
  rows: number;
  fileName: string;
}

const PLACEHOLDER = /^【[^】]*】$/;

function cellsOf(data: DraftTableData): { columns: GbColumn[]; rows: GbCell[][] } {
  const defs = DRAFT_TABLE_COLUMNS[data.kind];
  const columns: GbColumn[] = data.columns.map((h, i) => {
    const d = defs.find((c) => c.header === h) ?? defs[i];
    return { header: h, weight: d?.weight ?? 10, align: d?.align };
  });
  // the 重点任务 column of a task table: one merged cell per task
  const mergeCol = data.kind === 'tasks' ? data.columns.indexOf('重点任务') : -1;
  const rows: GbCell[][] = data.rows.map((r, i) =>
    r.map((v, c): GbCell => {
      if (c !== mergeCol) return v;
      const prev = i > 0 && data.rows[i - 1][c] === v;
      const next = i + 1 < data.rows.length && data.rows[i + 1][c] === v;
      return prev ? { text: '', merge: 'continue' } : next ? { text: v, merge: 'start' } : v;
    }),
  );
  return { columns, rows };
}

export async function exportSpecialPlan(ctx: ServiceContext, draftId: number): Promise<SpecialPlanResult> {
  const { draft, blocks, numbers } = draftForExport(ctx, draftId);
  const t = getTemplate(ctx);
  const date = chinaToday();
  const doc = new GbDocument(t, { title: draft.title, description: `${blocks.length}段` });
  const citeFont = fontPair(t.heading2Font, t.latinFont);
  const citeSize = Math.round(Math.max(10, t.bodySizePt - 2) * 2);
  let taskRows = 0;

  const headingOf = (b: BlockDbRow) => {
    doc.heading(b.level as HeadingLevel, b.text);
    return numbers[b.id];
  };
  const textBlock = (b: BlockDbRow) => {
    if (b.type === 'heading') {
      headingOf(b);
    } else if (b.type === 'para') {
      for (const line of b.text.split(/\n+/)) {
        if (!line.trim()) continue;
        if (PLACEHOLDER.test(line.trim())) doc.placeholderPara(line.trim());
        else doc.para(line);
      }
    } else if (b.type === 'citation') {
      const runs: ParagraphChild[] = [new TextRun(b.text)];
      if (b.citation) runs.push(new TextRun({ text: `（${b.citation}）`, font: citeFont, size: citeSize }));
      doc.para(runs);
    }
  };
  const tableBlock = (b: BlockDbRow, caption: boolean) => {
    const data = tableData(ctx, draft, b);
    if (data.kind === 'tasks') taskRows += data.rows.length;
    if (caption) doc.para([new TextRun({ text: b.text || TABLE_KIND_LABELS[data.kind], font: fontPair(t.heading1Font, t.latinFont) })], { align: 'center', noIndent: true, keepNext: true });
    if (data.rows.length === 0) {
      doc.para('（暂无相关内容）', { align: 'center', noIndent: true });
      return;
    }
    const { columns, rows } = cellsOf(data);
    doc.table(columns, rows);
  };

  // ---- title, 主送, body
  doc.title(draft.title);
  if (draft.main_to.trim()) doc.recipient(draft.main_to);
  for (const b of blocks) {
    if (b.attachment) continue;
    if (b.type === 'table') tableBlock(b, true);
    else textBlock(b);
  }

  // ---- the attachments, grouped: each ends with a table
  const groups: BlockDbRow[][] = [];
  let cur: BlockDbRow[] = [];
  for (const b of blocks.filter((x) => x.attachment)) {
    cur.push(b);
    if (b.type === 'table') {
      groups.push(cur);
      cur = [];
    }
  }
  if (cur.length) {
    if (groups.length) groups[groups.length - 1].push(...cur);
    else groups.push(cur);
  }
  const titleOf = (g: BlockDbRow[]) => {
    const tb = g.find((b) => b.type === 'table');
    if (tb) return tb.text || TABLE_KIND_LABELS[tb.table_kind!];
    const h = g.find((b) => b.type === 'heading');
    return h?.text || '附件';
  };
  doc.attachmentNote(groups.map(titleOf));

  // ---- 落款: the city's government, the department, or the template's organ
  const organ = draft.city ? `${draft.city}人民政府` : draft.dept_id !== null ? (ctx.q.dept(draft.dept_id)?.name ?? t.organ) : t.organ;
  doc.signature(organ, date);

  if (groups.length) doc.resetNumbering();
  groups.forEach((g, k) => {
    doc.newSection({ landscape: true });
    doc.attachmentLabel(`附件${k + 1}`);
    doc.title(titleOf(g));
    for (const b of g) {
      if (b.type === 'table') tableBlock(b, false);
      else textBlock(b);
    }
  });

  const buffer = await doc.toBuffer();
  const short = draft.title.replace(/^长株潭都市圈/, '') || draft.title;
  return { buffer, rows: taskRows, fileName: safeFileName([short], date) };
}
