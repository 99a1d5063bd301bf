// The one list of 任务分工台账 columns. The allocation grid, the Excel export and
// the Excel import's header mapping are all built from it.
import type { MeasureRow } from './domain';

export type LedgerColumnType = 'id' | 'text' | 'longtext' | 'dept' | 'depts' | 'cities' | 'date' | 'status';

export interface LedgerColumn {
  key: keyof MeasureRow | 'chapter' | 'section' | 'task' | 'lead' | 'co';
  header: string;
  /** width in characters (Excel) — the grid multiplies it into pixels */
  width: number;
  type: LedgerColumnType;
  editable: boolean;
  /** other headers staff use for the same column, for reading returned ledgers */
  aliases: string[];
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'id', header: '编号', width: 10, type: 'id', editable: false, aliases: ['序号编号', '措施编号', 'ID', 'id'] },
  { key: 'chapter', header: '章', width: 14, type: 'text', editable: false, aliases: ['章节', '所属章'] },
  { key: 'section', header: '节', width: 16, type: 'text', editable: false, aliases: ['所属节'] },
  { key: 'task', header: '重点任务', width: 18, type: 'text', editable: false, aliases: ['任务', '重点工作'] },
  { key: 'text', header: '具体措施', width: 48, type: 'longtext', editable: false, aliases: ['措施', '工作措施', '任务内容'] },
  { key: 'lead', header: '牵头单位', width: 16, type: 'dept', editable: true, aliases: ['牵头部门', '责任单位', '牵头'] },
  { key: 'co', header: '配合单位', width: 22, type: 'depts', editable: true, aliases: ['配合部门', '协同单位', '参与单位'] },
  { key: 'cities', header: '责任城市', width: 14, type: 'cities', editable: true, aliases: ['责任市', '城市', '责任主体'] },
  { key: 'deadline', header: '完成时限', width: 12, type: 'date', editable: true, aliases: ['时限', '完成时间', '截止时间'] },
  { key: 'status', header: '状态', width: 8, type: 'status', editable: true, aliases: ['进度状态', '推进状态', '完成情况'] },
  { key: 'progress', header: '进展情况', width: 36, type: 'longtext', editable: true, aliases: ['工作进展', '进展', '推进情况'] },
  { key: 'note', header: '备注', width: 16, type: 'text', editable: true, aliases: ['说明'] },
];

/** Separator used for several departments or cities in one cell of a ledger or a paste. */
export const LIST_SEPARATOR = '、';
/** Accept the separators people actually type. */
export const LIST_SPLIT_RE = /[、，,；;/\n\s]+/;

/** The longest 进展情况 / 备注 (and a project's long texts) kept: the IPC contract and the importer refuse longer text, the grid counts against it and says so. */
export const LONG_TEXT_MAX = 20000;
