// 目标指标表: the plan's targets and 2021 figures with the yearly actual values 2021–2035, the
// latest value and the computed status, styled like the ledgers (sheet.ts). A report: the hidden
// _meta says kind 'indicators' so that the ledger import refuses it with a clear message.
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN, type IndicatorRow, type IndicatorStatus } from '../../../shared/projects';
import { listIndicators } from '../../services/indicators';
import type { ServiceContext } from '../../core/context';
import pkg from '../../../package.json';
import { dateStamp, writeLedgerWorkbook, type CellOut, type WriterColumn } from './sheet';
import type { XlsxExport } from './projects';

export const INDICATORS_SHEET = '目标指标表';
export const INDICATORS_META_FORMAT = 'czt-indicators/1';

export const INDICATOR_YEARS: readonly number[] = Array.from({ length: PLAN_YEAR_MAX - PLAN_YEAR_MIN + 1 }, (_, i) => PLAN_YEAR_MIN + i);

const STATUS_FILL: Partial<Record<IndicatorStatus, string>> = { 达标: 'FFC6EFCE', 接近: 'FFFFEB9C', 滞后: 'FFFFC7CE' };

/** The columns of the 目标指标表, in order. */
export const INDICATOR_HEADERS: readonly string[] = [
  '编号',
  '指标',
  '单位',
  '方向',
  '2025目标',
  '2021基期',
  ...INDICATOR_YEARS.map(String),
  '最新值',
  '状态',
  '依据（规划原文）',
];

const num = (v: number | null | undefined): CellOut => (v === null || v === undefined ? '' : v);

function indicatorRow(i: IndicatorRow): CellOut[] {
  const byYear = new Map(i.actuals.map((a) => [a.year, a.value]));
  const qual = i.kind === 'qualitative';
  const quote = i.baselineQuote && i.baselineQuote !== i.quote ? `${i.quote}\n（2021年：${i.baselineQuote}）` : i.quote;
  return [
    i.id,
    i.name,
    i.unit,
    i.direction ?? '',
    qual ? '定性' : num(i.target2025),
    num(i.baseline2021),
    ...INDICATOR_YEARS.map((y) => num(byYear.get(y))),
    i.latest ? `${i.latest.value}（${i.latest.year}年）` : '',
    i.status,
    quote + (i.note ? `\n注：${i.note}` : ''),
  ];
}

export async function exportIndicators(ctx: ServiceContext): Promise<XlsxExport> {
  const rows = listIndicators(ctx);
  const now = new Date();
  const count = (s: IndicatorStatus) => rows.filter((r) => r.status === s).length;
  const columns: WriterColumn[] = [
    { header: '编号', width: 6, editable: false, locked: true, shaded: true, align: 'center' },
    { header: '指标', width: 24, editable: false },
    { header: '单位', width: 8, editable: false, align: 'center' },
    { header: '方向', width: 5, editable: false, align: 'center' },
    { header: '2025目标', width: 8, editable: false, align: 'center' },
    { header: '2021基期', width: 9, editable: false, align: 'right' },
    ...INDICATOR_YEARS.map((y): WriterColumn => ({ header: String(y), width: 7.5, editable: true, align: 'right' })),
    { header: '最新值', width: 12, editable: false, align: 'center' },
    {
      header: '状态',
      width: 7,
      editable: false,
      align: 'center',
      fillOf: (v) => STATUS_FILL[v as IndicatorStatus],
    },
    { header: '依据（规划原文）', width: 40, editable: false },
  ];
  const note =
    `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${rows.length} 项指标：达标 ${count('达标')} 项、接近 ${count('接近')} 项、` +
    `滞后 ${count('滞后')} 项、无数据 ${count('无数据')} 项，另有定性指标 ${count('定性')} 项、仅有2021年数据 ${count('无目标')} 项。` +
    `状态按2025年目标、方向和最新年度实际值计算（≥/≤：差距在目标5%以内为接近）。本表为报表，实际值请在工作台中填报。`;
  const buffer = await writeLedgerWorkbook({
    sheetName: INDICATORS_SHEET,
    workbookTitle: '长株潭都市圈发展规划目标指标表',
    title: '长株潭都市圈发展规划主要目标指标监测表',
    note,
    columns,
    rows: rows.map(indicatorRow),
    freezeCols: 2,
    tabColor: 'FF7F6000',
    protect: false,
    now,
    spareRows: 0,
    meta: {
      kv: [
        ['format', INDICATORS_META_FORMAT],
        ['kind', 'indicators'],
        ['version', String(pkg.version)],
        ['exportedAt', now.toISOString()],
        ['scope', '{}'],
        ['scopeLabel', '全部'],
        ['rows', String(rows.length)],
      ],
    },
  });
  return { buffer, rows: rows.length, fileName: `目标指标表-${dateStamp(now)}.xlsx` };
}
