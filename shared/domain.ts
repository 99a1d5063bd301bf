// Pure domain definitions shared by the main side and the renderer.
// No node:* modules, no DOM, no imports from electron/ or renderer/.

export const CITIES = ['长沙市', '株洲市', '湘潭市'] as const;
export type City = (typeof CITIES)[number];

export const STATUSES = ['未启动', '推进中', '已完成', '滞后'] as const;
export type Status = (typeof STATUSES)[number];

export const DEPT_LEVELS = ['省直', '市政府', '市直', '其他'] as const;
export type DeptLevel = (typeof DEPT_LEVELS)[number];

export const DEPT_STATES = ['在用', '已撤销', '已合并'] as const;
export type DeptState = (typeof DEPT_STATES)[number];

/** A node of the plan tree as the reader shows it. */
export type PlanNodeKind = 'part' | 'chapter' | 'section' | 'task' | 'figure';

export interface PlanTreeNode {
  id: string;
  kind: PlanNodeKind;
  /** Display label, e.g. "第四章 一体化推动基础设施互联互通" */
  label: string;
  /** Title without the 第X章/第X节 prefix */
  title: string;
  children: PlanTreeNode[];
}

export interface PlanParagraph {
  /** 0-based order of the paragraph in its node */
  ord: number;
  text: string;
}

export interface PlanMeasureRef {
  id: string;
  ord: number;
  text: string;
}

export interface PlanNodeDetail {
  id: string;
  kind: PlanNodeKind;
  label: string;
  title: string;
  /** Breadcrumb from the root, e.g. ["第四章 …", "第一节 …"] */
  path: string[];
  paragraphs: PlanParagraph[];
  measures: PlanMeasureRef[];
  /** Exact citation text for copying into documents */
  citation: string;
}

export interface SearchHit {
  nodeId: string;
  /** label path of the node, for display */
  path: string[];
  paraOrd: number;
  /** offset of the match inside the paragraph (UTF-16 units) */
  offset: number;
  length: number;
  /** how many matches the paragraph has (the hit points at the first) */
  count: number;
  /** paragraph excerpt around the match, with the match at [snippetOffset, snippetOffset+length) */
  snippet: string;
  snippetOffset: number;
}

export interface SearchResult {
  query: string;
  total: number;
  hits: SearchHit[];
}

export interface MeasureSearchHit {
  id: string;
  taskId: string;
  /** which field matched first: the measure text, its progress or its note */
  field: 'id' | 'text' | 'progress' | 'note';
  snippet: string;
  /** the measure's own text (a hit in its progress or note still shows what the measure says) */
  text: string;
}

export interface MeasureSearchResult {
  query: string;
  /** measures that match (each counted once) */
  total: number;
  hits: MeasureSearchHit[];
}

export interface Department {
  id: number;
  name: string;
  level: DeptLevel;
  /** the city a 市政府 / 市直 body belongs to */
  city: City | null;
  state: DeptState;
  mergedInto: number | null;
  aliases: string[];
  /** how many measures lead / co-operate with it (for the management page) */
  leadCount: number;
  coCount: number;
}

/** One row of the 任务分工台账: one 具体措施 with its allocation. */
export interface MeasureRow {
  id: string;
  chapterNo: number;
  chapterTitle: string;
  sectionNo: number;
  sectionTitle: string;
  taskId: string;
  taskTitle: string;
  text: string;
  /** chapters 3–9 carry measures to allocate; 1–2 are background and requirements */
  actionable: boolean;
  /** the 牵头单位 in order: the first is 主责, the others lead jointly (共同牵头) */
  leadIds: number[];
  /** the first of leadIds (主责), null when there is none: what sorts and what one-lead readers show */
  leadId: number | null;
  leadConfirmed: boolean;
  /** why the workbench suggested this lead; null once a person confirmed or chose it */
  suggestReason: string | null;
  /** the suggestion rules are unsure of this one (a section default, a weak match or a close rival): check it first */
  suggestUnsure?: boolean;
  coIds: number[];
  cities: City[];
  deadline: string | null;
  status: Status;
  progress: string;
  note: string;
  updatedAt: string | null;
}

/** Fields of a measure a person may change. */
export interface MeasurePatch {
  /** the whole ordered list of leads (the first is 主责); [] for none */
  leadIds?: number[];
  leadConfirmed?: boolean;
  coIds?: number[];
  cities?: City[];
  deadline?: string | null;
  status?: Status;
  progress?: string;
  note?: string;
}

export interface MeasureEdit {
  measureId: string;
  patch: MeasurePatch;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  unit: string;
  opId: string;
  op: string;
  table: string;
  rowId: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface UserIdentity {
  name: string;
  unit: string;
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** True when s is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export const CHINESE_NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function chapterLabel(no: number): string {
  return `第${CHINESE_NUMERALS[no] ?? String(no)}章`;
}

export function sectionLabel(no: number): string {
  return `第${CHINESE_NUMERALS[no] ?? String(no)}节`;
}
