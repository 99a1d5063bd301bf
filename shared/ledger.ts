// The one list of 任务分工台账 columns. The allocation grid, the Excel export and
// the Excel import's header mapping are all built from it.
import type { MeasureRow } from './domain';

/** dept: one department (project ledgers); leads: the ordered 牵头单位 list (the first is 主责); depts: 配合单位 */
export type LedgerColumnType = 'id' | 'text' | 'longtext' | 'dept' | 'leads' | 'depts' | 'cities' | 'date' | 'status' | 'confirm';

export interface LedgerColumn {
  key: keyof MeasureRow | 'chapter' | 'section' | 'task' | 'lead' | 'co';
  header: string;
  /** width in characters (Excel) — the grid multiplies it into pixels */
  width: number;
  type: LedgerColumnType;
  editable: boolean;
  /** other headers staff use for the same column, for reading returned ledgers */
  aliases: string[];
  /** false: in the Excel ledger only (the grid shows the same fact its own way, as the 建议 badge) */
  grid?: false;
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'id', header: '编号', width: 10, type: 'id', editable: false, aliases: ['序号编号', '措施编号', 'ID', 'id'] },
  { key: 'chapter', header: '章', width: 14, type: 'text', editable: false, aliases: ['章节', '所属章'] },
  { key: 'section', header: '节', width: 16, type: 'text', editable: false, aliases: ['所属节'] },
  { key: 'task', header: '重点任务', width: 18, type: 'text', editable: false, aliases: ['任务', '重点工作'] },
  { key: 'text', header: '具体措施', width: 48, type: 'longtext', editable: false, aliases: ['措施', '工作措施', '任务内容'] },
  // an ordered list: the first is 主责, written 省发展改革委、省交通运输厅
  { key: 'lead', header: '牵头单位', width: 18, type: 'leads', editable: true, aliases: ['牵头部门', '责任单位', '牵头'] },
  // whether the lead is a person's decision or the system's suggestion: a ledger sent out must not
  // pass a guess off as an assignment; read-only, so ledgers without it import as before
  { key: 'leadConfirmed', header: '牵头确认', width: 10, type: 'confirm', editable: false, aliases: ['确认', '是否确认', '牵头单位确认'], grid: false },
  { key: 'co', header: '配合单位', width: 22, type: 'depts', editable: true, aliases: ['配合部门', '协同单位', '参与单位'] },
  { key: 'cities', header: '责任城市', width: 14, type: 'cities', editable: true, aliases: ['责任市', '城市', '责任主体'] },
  { key: 'deadline', header: '完成时限', width: 12, type: 'date', editable: true, aliases: ['时限', '完成时间', '截止时间'] },
  { key: 'status', header: '状态', width: 8, type: 'status', editable: true, aliases: ['进度状态', '推进状态', '完成情况'] },
  { key: 'progress', header: '进展情况', width: 36, type: 'longtext', editable: true, aliases: ['工作进展', '进展', '推进情况'] },
  { key: 'note', header: '备注', width: 16, type: 'text', editable: true, aliases: ['说明'] },
];

/**
 * Columns a ledger may carry for reading only, outside LEDGER_COLUMNS: a round's department ledger
 * lists each measure's 佐证材料 there. An import neither takes them nor lists them as unknown.
 */
export const READ_ONLY_EXTRA_HEADERS = ['佐证材料'] as const;

/** Separator used for several departments or cities in one cell of a ledger or a paste. */
export const LIST_SEPARATOR = '、';
/** Accept the separators people actually type. */
export const LIST_SPLIT_RE = /[、，,；;/\n\s]+/;

/** The longest 进展情况 / 备注 (and a project's long texts) kept: the IPC contract and the importer refuse longer text, the grid counts against it and says so. */
export const LONG_TEXT_MAX = 20000;

/**
 * How a document treats a lead the system suggested and nobody confirmed: mark it (省教育厅（建议）,
 * 牵头确认 in a ledger), omit it (the measure is printed without a lead), or print it as it is
 * (the person confirmed at export that the suggestions may go out as assignments).
 */
export const UNCONFIRMED_MODES = ['mark', 'omit', 'plain'] as const;
export type UnconfirmedMode = (typeof UNCONFIRMED_MODES)[number];
/** appended to a suggested lead's name in documents */
export const SUGGESTION_MARK = '（建议）';
/** the 牵头确认 cell of a ledger */
export const CONFIRMED_TEXT = '已确认';
export const SUGGESTED_TEXT = '建议，待确认';

/** A measure as a document in this mode sees it: omit drops unconfirmed leads. */
export function withUnconfirmed<T extends Pick<MeasureRow, 'leadId' | 'leadIds' | 'leadConfirmed'>>(m: T, mode: UnconfirmedMode): T {
  return mode === 'omit' && m.leadId !== null && !m.leadConfirmed ? { ...m, leadId: null, leadIds: [] } : m;
}

/** A measure's leads as one cell of a document: 省发展改革委、省交通运输厅 (the first is 主责); unknown ids left out. */
export function leadsText(ids: readonly number[], name: (id: number) => string | null | undefined): string {
  return ids
    .map(name)
    .filter((n): n is string => !!n)
    .join(LIST_SEPARATOR);
}

/** Whether a measure's lead is a suggestion nobody confirmed. */
export const isSuggested = (m: Pick<MeasureRow, 'leadId' | 'leadConfirmed'>): boolean => m.leadId !== null && !m.leadConfirmed;
