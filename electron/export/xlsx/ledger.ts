// The 任务分工台账 as a styled, print-ready Excel workbook, written by the column-list-driven
// writer in sheet.ts. Sheets: 任务分工台账 (what people fill in), _lists (department names for the
// drop-down) and _meta (version, time, scope and every row's values at export: the base of the
// import's three-way merge). Both helper sheets are veryHidden.
import { CITIES, STATUSES, chapterLabel, type City, type Department, type MeasureRow } from '../../../shared/domain';
import { LEDGER_COLUMNS, LIST_SEPARATOR, SUGGESTED_TEXT, isSuggested, withUnconfirmed, type LedgerColumn, type UnconfirmedMode } from '../../../shared/ledger';
import { EDITABLE_COLUMNS, fieldValueOf, ledgerCellText, type LedgerScope } from '../../../shared/import';
import { listDepartments } from '../../services/departments';
import { citiesOfList, idsOfList } from '../../services/measures';
import { ServiceError, type ServiceContext } from '../../core/context';
import type { LedgerMeasureDbRow } from '../../db/queries';
import pkg from '../../../package.json';
import { dateStamp, fileSafe, mapRows, pairs, writeLedgerWorkbook, type LedgerWorkbookSpec, type WriterColumn } from './sheet';

export { HEADER_ROW, LISTS_SHEET, META_SHEET, PROTECTION_PASSWORD, TITLE_ROWS } from './sheet';
export const LEDGER_SHEET = '任务分工台账';
/**
 * czt-ledger/2: a row's values at export are one JSON array in one cell (in the order of the
 * 'fields' entry); czt-ledger/1 had a cell per field (seven cells per row: at 100,000 measures a
 * third of the export's time and of its file). The import reads both.
 */
export const META_FORMAT = 'czt-ledger/2';

export interface LedgerExportOptions {
  deptId?: number;
  city?: City;
  chapter?: number;
  /** suggested leads nobody confirmed: 牵头确认 says so (mark, default), left blank (omit), or as they are (plain: no 牵头确认 column) */
  unconfirmed?: UnconfirmedMode;
}

export interface LedgerExport {
  buffer: Buffer;
  rows: number;
  fileName: string;
  /** rows whose lead is a suggestion nobody confirmed */
  suggested: number;
}

/**
 * The actionable measures in ledger order, read with the export's own query
 * (Queries.ledgerMeasures): raw rows, each made into a MeasureRow only when it is needed and
 * dropped straight after (measured: 100,000 MeasureRow objects kept for the whole export cost
 * more in garbage collection than making them twice).
 */
export function ledgerMeasureRows(ctx: ServiceContext): { rows: LedgerMeasureDbRow[]; measure: (r: LedgerMeasureDbRow) => MeasureRow } {
  const { tasks, rows } = ctx.q.ledgerMeasures();
  const taskOf = new Map(tasks.map((t) => [t[0], t]));
  const measure = (r: LedgerMeasureDbRow): MeasureRow => {
    const t = taskOf.get(r[1])!;
    return {
      id: r[0],
      chapterNo: t[1],
      chapterTitle: t[2],
      sectionNo: t[3],
      sectionTitle: t[4],
      taskId: r[1],
      taskTitle: t[6],
      text: r[2],
      actionable: true,
      leadIds: idsOfList(r[14]),
      leadId: r[3],
      leadConfirmed: r[4] === 1,
      suggestReason: r[4] === 1 ? null : r[5],
      suggestUnsure: r[4] !== 1 && r[13] === 1,
      coIds: idsOfList(r[11]),
      cities: citiesOfList(r[12]),
      deadline: r[6],
      status: r[7],
      progress: r[8],
      note: r[9],
      updatedAt: r[10],
    };
  };
  return { rows, measure };
}

/** The actionable measures in ledger order: the rows of listMeasures(ctx).filter((m) => m.actionable). */
export function ledgerMeasures(ctx: ServiceContext): MeasureRow[] {
  const { rows, measure } = ledgerMeasureRows(ctx);
  return rows.map(measure);
}

/** The scope of an export; filter is null for the whole ledger (every actionable measure). */
export function scopeOf(ctx: ServiceContext, opts: LedgerExportOptions): { scope: LedgerScope; label: string; filter: ((m: MeasureRow) => boolean) | null } {
  const scope: LedgerScope = {};
  const labels: string[] = [];
  const tests: ((m: MeasureRow) => boolean)[] = [(m) => m.actionable];
  if (opts.deptId !== undefined) {
    const d = listDepartments(ctx, true).find((x) => x.id === opts.deptId);
    if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${opts.deptId} 的部门`);
    scope.deptId = d.id;
    scope.deptName = d.name;
    labels.push(d.name);
    tests.push((m) => m.leadIds.includes(d.id) || m.coIds.includes(d.id));
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
  return { scope, label: labels.join('·'), filter: tests.length > 1 ? (m) => tests.every((t) => t(m)) : null };
}


/** What the fill-in note says of the suggested leads in this ledger. */
function suggestedNote(n: number, mode: UnconfirmedMode): string {
  if (!n || mode === 'plain') return '';
  return mode === 'mark'
    ? `　其中 ${n} 项的牵头单位为工作台按职责提出的建议，尚未确认（“牵头确认”列注明“${SUGGESTED_TEXT}”），请核实；有不同意见的请改填牵头单位并在“备注”说明。`
    : `　另有 ${n} 项的牵头单位尚未确认，暂空。`;
}

/** The writer's view of a measure ledger column: drop-downs for 状态, 牵头单位 and 责任城市. */
export function writerColumn(c: LedgerColumn): WriterColumn {
  const col: WriterColumn = {
    header: c.header,
    width: c.width,
    editable: c.editable,
    locked: c.type === 'id',
    shaded: c.type === 'id',
    inline: c.type === 'id' || c.type === 'longtext',
    align: c.type === 'id' || c.type === 'status' || c.type === 'date' || c.type === 'confirm' ? 'center' : 'left',
  };
  if (c.type === 'status')
    col.list = { values: STATUSES, allowBlank: false, errorStyle: 'stop', title: '状态', error: `请从下拉列表选择：${STATUSES.join('、')}`, prompt: STATUSES.join('、') };
  // the drop-down offers one name; joint leads are typed as 省发展改革委、省交通运输厅 (a warning, not a stop)
  if (c.type === 'leads')
    col.list = {
      allowBlank: true,
      errorStyle: 'warning',
      title: '牵头单位',
      error: `共同牵头的多个单位用“${LIST_SEPARATOR}”分隔，第一个为主责；不在工作台单位清单中的名称，导入时将提示核对。仍要填写吗？`,
    };
  // several cities are allowed, so offer the combinations and only warn on other text
  if (c.type === 'cities')
    col.list = {
      values: [...CITIES, ...pairs(CITIES, LIST_SEPARATOR), CITIES.join(LIST_SEPARATOR)],
      allowBlank: true,
      errorStyle: 'warning',
      title: '责任城市',
      error: `责任城市应为 ${CITIES.join('、')}，多个用“、”分隔`,
    };
  return col;
}

export async function exportLedger(ctx: ServiceContext, opts: LedgerExportOptions = {}): Promise<LedgerExport> {
  const { scope, label, filter } = scopeOf(ctx, opts);
  const { rows, measure } = ledgerMeasureRows(ctx);
  const measures = filter ? rows.filter((r) => filter(measure(r))) : rows;
  const suggested = measures.reduce((n, r) => n + (isSuggested(measure(r)) ? 1 : 0), 0);
  const now = new Date();
  const buffer = await writeLedgerWorkbook(
    measureLedgerSpec(ctx, {
      sheetName: LEDGER_SHEET,
      workbookTitle: '长株潭都市圈发展规划重点任务分工台账',
      title: `长株潭都市圈发展规划重点任务分工台账${label ? `（${label}）` : ''}`,
      rows: measures,
      measure,
      now,
      scope,
      scopeLabel: label || '全部',
      unconfirmed: opts.unconfirmed,
    }),
  );
  const fileName = `任务分工台账-${fileSafe(label || '全部')}-${dateStamp(now)}.xlsx`;
  return { buffer, rows: measures.length, fileName, suggested };
}

/**
 * The workbook of a 任务分工台账 (measures): the fill-in note, the ledger columns with their
 * drop-downs, the 编号 column locked, and _meta with each row's values at export (the import's
 * three-way merge). For the ledger export and for a draft's 任务分工表 attachment.
 */
export function measureLedgerSpec<R>(
  ctx: ServiceContext,
  o: {
    sheetName: string;
    workbookTitle: string;
    title: string;
    rows: readonly R[];
    measure: (r: R) => MeasureRow;
    now: Date;
    scope: object;
    scopeLabel: string;
    /** more _meta entries (a draft's id) */
    meta?: [string, string][];
    unconfirmed?: UnconfirmedMode;
    /** every department (active or not), when the caller has read them for many workbooks */
    depts?: readonly Department[];
    /** read-only columns after the ledger's own (a round's 佐证材料): written, never read back */
    extra?: { column: WriterColumn; cell: (r: R) => string }[];
  },
): LedgerWorkbookSpec {
  const mode = o.unconfirmed ?? 'mark';
  // plain: the suggestions go out as they are, so there is no 牵头确认 to show; omit: a suggested lead
  // is left blank, in the sheet and in _meta alike (the base says what was sent: a blank returned
  // unchanged is no change)
  const columns = mode === 'plain' ? LEDGER_COLUMNS.filter((c) => c.type !== 'confirm') : LEDGER_COLUMNS;
  const measure = (r: R) => withUnconfirmed(o.measure(r), mode);
  const allDepts = o.depts ?? listDepartments(ctx, true);
  const names = new Map(allDepts.map((d) => [d.id, d.name]));
  const deptName = (id: number) => names.get(id) ?? `（部门${id}）`;
  const { rows, now } = o;
  const editable = EDITABLE_COLUMNS.map((c) => c.header).join('、');
  const extra = o.extra ?? [];
  return {
    sheetName: o.sheetName,
    workbookTitle: o.workbookTitle,
    title: o.title,
    note:
      `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${rows.length} 项　` +
      `填报说明：请勿修改“编号”列（据此导回工作台）；可填写${editable}。完成时限写 2025-12-31、2025年6月、2025年底或“长期坚持”；` +
      `多个单位或城市用“${LIST_SEPARATOR}”分隔（共同牵头的，第一个牵头单位为主责）；状态请从下拉列表选择。` +
      suggestedNote(rows.reduce((n, r) => n + (isSuggested(o.measure(r)) ? 1 : 0), 0), mode),
    columns: [...columns.map(writerColumn), ...extra.map((x) => x.column)],
    rows: mapRows(rows, (r) => {
      const m = measure(r);
      const cells = columns.map((c) => ledgerCellText(c, m, deptName));
      for (const x of extra) cells.push(x.cell(r));
      return cells;
    }),
    freezeCols: 1,
    protect: true,
    deptNames: allDepts.filter((d) => d.state === '在用').map((d) => d.name),
    now,
    meta: {
      kv: [
        ['format', META_FORMAT],
        ['kind', 'measures'],
        ['version', String(pkg.version)],
        ['exportedAt', now.toISOString()],
        ['scope', JSON.stringify(o.scope)],
        ['scopeLabel', o.scopeLabel],
        ['rows', String(rows.length)],
        ['fields', JSON.stringify(EDITABLE_COLUMNS.map((c) => c.key))],
        ...(o.meta ?? []),
      ],
      // JSON keeps the types (ids, null, lists); a string cell, never a formula
      base: {
        header: ['id', 'values'],
        rows: mapRows(rows, (r) => {
          const m = measure(r);
          return [m.id, JSON.stringify(EDITABLE_COLUMNS.map((c) => fieldValueOf(c, m)))];
        }),
      },
    },
  };
}
