// The 任务分工台账 as a styled, print-ready Excel workbook (exceljs writes it).
// Sheets: 任务分工台账 (what people fill in), _lists (department names for the drop-down) and
// _meta (version, time, scope and every row's values at export: the base of the import's
// three-way merge). Both helper sheets are veryHidden.
import ExcelJS from 'exceljs';
import { CITIES, STATUSES, chapterLabel, type City, type MeasureRow } from '../../../shared/domain';
import { LEDGER_COLUMNS, LIST_SEPARATOR } from '../../../shared/ledger';
import { EDITABLE_COLUMNS, fieldValueOf, ledgerCellText, type LedgerScope } from '../../../shared/import';
import { listMeasures } from '../../services/measures';
import { listDepartments } from '../../services/departments';
import { ServiceError, type ServiceContext } from '../../services/context';
import pkg from '../../../package.json';

export const LEDGER_SHEET = '任务分工台账';
export const META_SHEET = '_meta';
export const LISTS_SHEET = '_lists';
export const META_FORMAT = 'czt-ledger/1';
/** Rows above the header: the title and the note. */
export const TITLE_ROWS = 2;
export const HEADER_ROW = TITLE_ROWS + 1;
/** The sheet protection has no password: it guards the 编号 column against slips, not people. */
export const PROTECTION_PASSWORD = '';

export interface LedgerExportOptions {
  deptId?: number;
  city?: City;
  chapter?: number;
}

export interface LedgerExport {
  buffer: Buffer;
  rows: number;
  fileName: string;
}

const FONT = '宋体';
const HEAD_FONT = '黑体';
const TITLE_FONT = '方正小标宋简体';
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Width of text in Excel character units: CJK and full-width characters count two. */
function textUnits(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u2E80-\uFFEF]/.test(ch) ? 1.75 : 1;
  return n;
}

/** Lines a wrapped cell needs at this column width. */
function linesFor(text: string, width: number): number {
  const usable = Math.max(1, width - 1);
  return text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(textUnits(line) / usable)), 0);
}

/** Only strings reach a cell: never a formula, a rich-text object or a hyperlink. */
function safeText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

function dateStamp(d: Date): string {
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

function fileSafe(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '');
}

export function scopeOf(ctx: ServiceContext, opts: LedgerExportOptions): { scope: LedgerScope; label: string; filter: (m: MeasureRow) => boolean } {
  const scope: LedgerScope = {};
  const labels: string[] = [];
  const tests: ((m: MeasureRow) => boolean)[] = [(m) => m.actionable];
  if (opts.deptId !== undefined) {
    const d = listDepartments(ctx, true).find((x) => x.id === opts.deptId);
    if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${opts.deptId} 的部门`);
    scope.deptId = d.id;
    scope.deptName = d.name;
    labels.push(d.name);
    tests.push((m) => m.leadId === d.id || m.coIds.includes(d.id));
  }
  if (opts.city !== undefined) {
    if (!CITIES.includes(opts.city)) throw new ServiceError('VALIDATION', `城市应为 ${CITIES.join('、')}`);
    scope.city = opts.city;
    labels.push(opts.city);
    const city = opts.city;
    tests.push((m) => m.cities.includes(city));
  }
  if (opts.chapter !== undefined) {
    scope.chapter = opts.chapter;
    labels.push(chapterLabel(opts.chapter));
    const ch = opts.chapter;
    tests.push((m) => m.chapterNo === ch);
  }
  return { scope, label: labels.join('·'), filter: (m) => tests.every((t) => t(m)) };
}

export async function exportLedger(ctx: ServiceContext, opts: LedgerExportOptions = {}): Promise<LedgerExport> {
  const { scope, label, filter } = scopeOf(ctx, opts);
  const measures = listMeasures(ctx).filter(filter);
  const allDepts = listDepartments(ctx, true);
  const names = new Map(allDepts.map((d) => [d.id, d.name]));
  const deptName = (id: number) => names.get(id) ?? `（部门${id}）`;
  const activeNames = allDepts.filter((d) => d.state === '在用').map((d) => d.name);
  const now = new Date();

  const wb = new ExcelJS.Workbook();
  wb.creator = '长株潭规划工作台';
  wb.lastModifiedBy = '长株潭规划工作台';
  wb.created = now;
  wb.modified = now;
  wb.title = '长株潭都市圈发展规划重点任务分工台账';

  const ncol = LEDGER_COLUMNS.length;
  const lastCol = colLetter(ncol);
  const ws = wb.addWorksheet(LEDGER_SHEET, {
    properties: { tabColor: { argb: 'FF1F4E79' }, defaultRowHeight: 18 },
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW, topLeftCell: `B${HEADER_ROW + 1}`, activeCell: `B${HEADER_ROW + 1}`, zoomScale: 100 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `1:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.55, bottom: 0.55, header: 0.25, footer: 0.25 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });

  // column widths from the one column list; every column but 编号 unlocked, also the spare ones
  LEDGER_COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    col.protection = { locked: c.type === 'id' };
  });
  for (let i = ncol + 1; i <= ncol + 10; i++) ws.getColumn(i).protection = { locked: false };

  // title
  const title = `长株潭都市圈发展规划重点任务分工台账${label ? `（${label}）` : ''}`;
  ws.mergeCells(`A1:${lastCol}1`);
  const t = ws.getCell('A1');
  t.value = title;
  t.font = { name: TITLE_FONT, size: 18, bold: true };
  t.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 36;

  // note
  const editable = EDITABLE_COLUMNS.map((c) => c.header).join('、');
  const note =
    `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${measures.length} 项　` +
    `填报说明：请勿修改“编号”列（据此导回工作台）；可填写${editable}。完成时限写 2025-12-31、2025年6月、2025年底或“长期坚持”；` +
    `多个单位或城市用“${LIST_SEPARATOR}”分隔；状态请从下拉列表选择。`;
  ws.mergeCells(`A2:${lastCol}2`);
  const n = ws.getCell('A2');
  n.value = note;
  n.font = { name: FONT, size: 10, color: { argb: 'FF404040' } };
  n.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  ws.getRow(2).height = Math.max(30, 14 * linesFor(note, LEDGER_COLUMNS.reduce((s, c) => s + c.width, 0)) + 6);

  // header
  const head = ws.getRow(HEADER_ROW);
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: HEAD_FONT, size: 11, bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.editable ? 'FFDDEBF7' : 'FFE7E6E6' } };
    cell.border = { top: { style: 'medium' }, left: THIN, bottom: { style: 'medium' }, right: THIN };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.protection = { locked: c.type === 'id' };
  });
  head.height = 24;

  // data
  measures.forEach((m, r) => {
    const row = ws.getRow(HEADER_ROW + 1 + r);
    let lines = 1;
    LEDGER_COLUMNS.forEach((c, i) => {
      const text = safeText(ledgerCellText(c, m, deptName));
      const cell = row.getCell(i + 1);
      cell.value = text;
      cell.font = { name: FONT, size: 10 };
      cell.border = BORDER;
      cell.alignment = {
        vertical: 'middle',
        horizontal: c.type === 'id' || c.type === 'status' || c.type === 'date' ? 'center' : 'left',
        wrapText: true,
      };
      cell.protection = { locked: c.type === 'id' };
      if (c.type === 'id') cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
      lines = Math.max(lines, linesFor(text, c.width));
    });
    row.height = Math.min(409, Math.max(20, lines * 13.5 + 6));
  });

  const first = HEADER_ROW + 1;
  // drop-downs reach some rows below the data, for rows people add
  const last = HEADER_ROW + Math.max(measures.length, 1) + 50;
  const colOf = (type: string) => colLetter(LEDGER_COLUMNS.findIndex((c) => c.type === type) + 1);

  // hidden list of the active departments (too long for an inline list)
  const lists = wb.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });
  activeNames.forEach((name, i) => (lists.getCell(i + 1, 1).value = name));
  lists.getCell(1, 2).value = '用于“牵头单位”下拉列表的在用单位名称';

  // exceljs has worksheet.dataValidations (a range key is written as one sqref) but does not type it
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  validations.add(`${colOf('status')}${first}:${colOf('status')}${last}`, {
    type: 'list',
    allowBlank: false,
    formulae: [`"${STATUSES.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: '状态',
    error: `请从下拉列表选择：${STATUSES.join('、')}`,
    showInputMessage: true,
    promptTitle: '状态',
    prompt: STATUSES.join('、'),
  });
  validations.add(`${colOf('dept')}${first}:${colOf('dept')}${last}`, {
    type: 'list',
    allowBlank: true,
    formulae: [`'${LISTS_SHEET}'!$A$1:$A$${Math.max(1, activeNames.length)}`],
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: '牵头单位',
    error: '该单位不在工作台的单位清单中，导入时将提示核对。仍要填写吗？',
  });
  // several cities are allowed, so offer the combinations and only warn on other text
  const combos = [...CITIES.map((c) => c), ...pairs(CITIES), CITIES.join(LIST_SEPARATOR)];
  validations.add(`${colOf('cities')}${first}:${colOf('cities')}${last}`, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${combos.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: '责任城市',
    error: `责任城市应为 ${CITIES.join('、')}，多个用“、”分隔`,
  });

  // the 编号 column is locked, everything else editable; no password (see PROTECTION_PASSWORD)
  await ws.protect(PROTECTION_PASSWORD, {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
    insertColumns: true,
    deleteRows: true,
    sort: true,
    autoFilter: true,
  });

  // the base for the import's three-way merge
  const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const kv: [string, string][] = [
    ['format', META_FORMAT],
    ['version', String(pkg.version)],
    ['exportedAt', now.toISOString()],
    ['scope', JSON.stringify(scope)],
    ['scopeLabel', label || '全部'],
    ['rows', String(measures.length)],
  ];
  kv.forEach(([k, v], i) => {
    meta.getCell(i + 1, 1).value = k;
    meta.getCell(i + 1, 2).value = v;
  });
  const baseHeader = ['id', ...EDITABLE_COLUMNS.map((c) => c.key)];
  const baseStart = kv.length + 2;
  baseHeader.forEach((h, i) => (meta.getCell(baseStart, i + 1).value = h));
  measures.forEach((m, r) => {
    meta.getCell(baseStart + 1 + r, 1).value = m.id;
    EDITABLE_COLUMNS.forEach((c, i) => {
      const v = fieldValueOf(c, m);
      // JSON keeps the types (ids, null, lists); a string cell, never a formula
      meta.getCell(baseStart + 1 + r, i + 2).value = JSON.stringify(v);
    });
  });

  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const fileName = `任务分工台账-${fileSafe(label || '全部')}-${dateStamp(now)}.xlsx`;
  return { buffer, rows: measures.length, fileName };
}

function pairs(xs: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push(xs[i] + LIST_SEPARATOR + xs[j]);
  return out;
}
