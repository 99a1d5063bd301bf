// The attachment tables of a 专项推进方案 draft as one workbook, a sheet per table, all written by
// the column-driven ledger writer (sheet.ts). A live 任务分工表 is a real 任务分工台账 (LEDGER_COLUMNS,
// drop-downs, locked 编号, the hidden _lists and _meta of the first such table): departments fill
// it in and send it back, and the ordinary ledger import reads it. Projects, targets and frozen
// tables are print-ready report sheets. All sheets are written by the writer into one workbook
// (they were gathered by exceljs, whose package lacked the theme part it referred to and whose
// fonts and sheet formats broke the schema).
import type { MeasureRow } from '../../../shared/domain';
import { TABLE_KIND_LABELS } from '../../../shared/drafts';
import type { ServiceContext } from '../../core/context';
import { DRAFT_TABLE_COLUMNS, draftForExport, measuresInScope, scopeInfo, tableData, type DraftTableData } from '../../services/drafts';
import { dateStamp, fileSafe, textUnits, writeLedgerWorkbook, writeWorkbook, type DataSheetSpec, type LedgerWorkbookSpec, type WriterColumn } from './sheet';
import { measureLedgerSpec } from './ledger';

export interface DraftTablesResult {
  buffer: Buffer;
  rows: number;
  fileName: string;
}

/** A report sheet's columns from the draft table's columns: widths from the weights. */
function reportColumns(data: DraftTableData): WriterColumn[] {
  const defs = DRAFT_TABLE_COLUMNS[data.kind];
  return data.columns.map((h, i) => {
    const d = defs.find((c) => c.header === h) ?? defs[i];
    const weight = d?.weight ?? 10;
    return {
      header: h,
      width: Math.max(Math.ceil(textUnits(h)) + 2, Math.round(weight * 1.3)),
      editable: false,
      align: d?.align ?? 'left',
    };
  });
}

const sheetName = (k: number, caption: string) => `附件${k} ${caption}`.replace(/[\\/?*[\]:]/g, '').slice(0, 31);

export async function exportDraftTables(ctx: ServiceContext, draftId: number): Promise<DraftTablesResult> {
  const { draft, blocks } = draftForExport(ctx, draftId);
  const tableBlocks = blocks.filter((b) => b.type === 'table' && b.attachment);
  const chosen = tableBlocks.length ? tableBlocks : blocks.filter((b) => b.type === 'table');
  const now = new Date();
  const info = scopeInfo(draft);

  const sheets: DataSheetSpec[] = [];
  /** the first live task table: its department list and _meta are the workbook's */
  let ledger: LedgerWorkbookSpec | undefined;
  let rows = 0;
  for (const [i, b] of chosen.entries()) {
    const caption = b.text || TABLE_KIND_LABELS[b.table_kind!];
    const name = sheetName(i + 1, caption);
    const title = `${draft.title}${caption}`;
    if (b.table_kind === 'tasks' && !b.frozen) {
      // the 任务分工台账 machinery: ids, editable columns, drop-downs, _meta for the import
      const measures: MeasureRow[] = measuresInScope(ctx, info);
      rows += measures.length;
      const spec = measureLedgerSpec(ctx, {
        sheetName: name,
        workbookTitle: draft.title,
        title,
        rows: measures,
        measure: (m: MeasureRow) => m,
        now,
        scope: {},
        scopeLabel: `${draft.title}·${caption}`,
        meta: [['draftId', String(draft.id)]],
      });
      ledger ??= spec;
      sheets.push(spec);
    } else {
      const data = tableData(ctx, draft, b);
      rows += data.rows.length;
      sheets.push({
        sheetName: name,
        title,
        note: `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${data.rows.length} 行　${data.frozen ? '本表已在方案中冻结，为冻结时的内容。' : '本表由工作台按当前数据生成。'}`,
        columns: reportColumns(data),
        rows: data.rows,
        freezeCols: 0,
        protect: false,
      });
    }
  }

  const buffer = sheets.length
    ? await writeWorkbook({ workbookTitle: draft.title, now, deptNames: ledger?.deptNames, meta: ledger?.meta }, sheets)
    : await writeLedgerWorkbook({
        sheetName: '附件',
        workbookTitle: draft.title,
        title: draft.title,
        note: '本方案没有附件表格。',
        columns: [{ header: '说明', width: 40, editable: false }],
        rows: [],
        freezeCols: 0,
        protect: false,
        now,
      });
  const short = draft.title.replace(/^长株潭都市圈/, '') || draft.title;
  return { buffer, rows, fileName: `${fileSafe(short)}-附件表格-${dateStamp(now)}.xlsx` };
}
