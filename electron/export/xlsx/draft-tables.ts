// The attachment tables of a 专项推进方案 draft as one workbook, a sheet per table, all written by
// the column-driven ledger writer (sheet.ts). A live 任务分工表 is a real 任务分工台账 (LEDGER_COLUMNS,
// drop-downs, locked 编号, the hidden _lists and _meta): departments fill it in and send it back,
// and the ordinary ledger import reads it. Projects, targets and frozen tables are print-ready
// report sheets. The writer makes one data sheet per workbook, so each table is written on its
// own and the sheets are then gathered into the first workbook (exceljs copies values, styles,
// widths, heights, merges, panes and page set-up).
// exceljs is loaded when two or more tables are gathered, not with this module: requiring it takes
// ~0.4 s, which every export worker and the app's start paid for nothing
import type ExcelJS from 'exceljs';
import type { MeasureRow } from '../../../shared/domain';
import { TABLE_KIND_LABELS } from '../../../shared/drafts';
import type { ServiceContext } from '../../services/context';
import { DRAFT_TABLE_COLUMNS, draftForExport, measuresInScope, scopeInfo, tableData, type DraftTableData } from '../../services/drafts';
import { HEADER_ROW, dateStamp, fileSafe, textUnits, writeLedgerWorkbook, type WriterColumn } from './sheet';
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

/** Copy a worksheet of another workbook into `into` (values, styles, sizes, merges, view, page set-up). */
function copySheet(into: ExcelJS.Workbook, src: ExcelJS.Worksheet, name: string): void {
  const ws = into.addWorksheet(name, {
    properties: { ...src.properties },
    views: src.views.map((v) => ({ ...v })),
    pageSetup: { ...src.pageSetup, printTitlesRow: `1:${HEADER_ROW}` },
    headerFooter: { ...src.headerFooter },
  });
  src.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.width) col.width = c.width;
  });
  src.eachRow({ includeEmpty: true }, (row, r) => {
    const out = ws.getRow(r);
    if (row.height) out.height = row.height;
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const o = out.getCell(c);
      o.value = cell.value;
      o.style = JSON.parse(JSON.stringify(cell.style)) as Partial<ExcelJS.Style>;
    });
  });
  const merges = (src.model as unknown as { merges?: string[] }).merges ?? [];
  for (const m of merges) ws.mergeCells(m);
}

export async function exportDraftTables(ctx: ServiceContext, draftId: number): Promise<DraftTablesResult> {
  const { draft, blocks } = draftForExport(ctx, draftId);
  const tableBlocks = blocks.filter((b) => b.type === 'table' && b.attachment);
  const chosen = tableBlocks.length ? tableBlocks : blocks.filter((b) => b.type === 'table');
  const now = new Date();
  const info = scopeInfo(draft);

  const parts: { name: string; buffer: Buffer; ledger: boolean }[] = [];
  let rows = 0;
  for (const [i, b] of chosen.entries()) {
    const caption = b.text || TABLE_KIND_LABELS[b.table_kind!];
    const name = sheetName(i + 1, caption);
    const title = `${draft.title}${caption}`;
    if (b.table_kind === 'tasks' && !b.frozen) {
      // the 任务分工台账 machinery: ids, editable columns, drop-downs, _meta for the import
      const measures: MeasureRow[] = measuresInScope(ctx, info);
      rows += measures.length;
      const buffer = await writeLedgerWorkbook(
        measureLedgerSpec(ctx, {
          sheetName: name,
          workbookTitle: draft.title,
          title,
          rows: measures,
          measure: (m: MeasureRow) => m,
          now,
          scope: {},
          scopeLabel: `${draft.title}·${caption}`,
          meta: [['draftId', String(draft.id)]],
        }),
      );
      parts.push({ name, buffer, ledger: true });
    } else {
      const data = tableData(ctx, draft, b);
      rows += data.rows.length;
      const buffer = await writeLedgerWorkbook({
        sheetName: name,
        workbookTitle: draft.title,
        title,
        note: `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${data.rows.length} 行　${data.frozen ? '本表已在方案中冻结，为冻结时的内容。' : '本表由工作台按当前数据生成。'}`,
        columns: reportColumns(data),
        rows: data.rows,
        freezeCols: 0,
        protect: false,
        now,
      });
      parts.push({ name, buffer, ledger: false });
    }
  }

  let buffer: Buffer;
  if (parts.length === 0) {
    buffer = await writeLedgerWorkbook({
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
  } else if (parts.length === 1) {
    buffer = parts[0].buffer;
  } else {
    // the first ledger (with its _lists and _meta) is the base; the other sheets are copied in
    const baseIdx = Math.max(0, parts.findIndex((p) => p.ledger));
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(parts[baseIdx].buffer as unknown as ArrayBuffer);
    for (const [i, p] of parts.entries()) {
      if (i === baseIdx) continue;
      const src = new Excel.Workbook();
      await src.xlsx.load(p.buffer as unknown as ArrayBuffer);
      copySheet(wb, src.worksheets[0], p.name);
    }
    // visible sheets in attachment order, the hidden helpers last
    const order = parts.map((p) => p.name);
    const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length + 1);
    const sorted = [...wb.worksheets].sort((a, b) => rank(a.name) - rank(b.name));
    sorted.forEach((ws, i) => ((ws as unknown as { orderNo: number }).orderNo = i));
    wb.creator = '长株潭规划工作台';
    wb.title = draft.title;
    buffer = Buffer.from(await wb.xlsx.writeBuffer());
  }
  const short = draft.title.replace(/^长株潭都市圈/, '') || draft.title;
  return { buffer, rows, fileName: `${fileSafe(short)}-附件表格-${dateStamp(now)}.xlsx` };
}
