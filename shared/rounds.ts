// 调度轮次 (issue 18): the shapes the round services give and take, shared by the services, the CLI
// and (later) the IPC contract and the pages. Pure TypeScript.
import type { Status } from './domain';
import type { DraftField } from './drafts';
import type { ImportConflict } from './import';

export const ROUND_DEPT_STATES = ['未报送', '已报送', '已采纳', '已退回'] as const;
export type RoundDeptState = (typeof ROUND_DEPT_STATES)[number];
export const ROUND_REPORT_STATES = ['待审核', '已采纳', '已退回', '已替换'] as const;
export type RoundReportState = (typeof ROUND_REPORT_STATES)[number];
export const ROUND_EVENT_KINDS = ['新建', '下发', '重新下发', '催办', '收取', '采纳', '退回', '结束', '佐证'] as const;
export type RoundEventKind = (typeof ROUND_EVENT_KINDS)[number];
export type RoundRole = '牵头' | '配合';

/** Which measures a round covers: chapters (default 3–9), fields (领域, by the drafting page's field → chapter/section mapping), or chosen measures. */
export interface RoundScope {
  chapters?: number[];
  fields?: DraftField[];
  measureIds?: string[];
}

export const DEFAULT_ROUND_CHAPTERS: readonly number[] = [3, 4, 5, 6, 7, 8, 9];

export interface RoundInput {
  title: string;
  /** the reporting period's last day, YYYY-MM-DD */
  periodEnd: string;
  /** the date by which the departments report, YYYY-MM-DD */
  dueDate: string;
  scope?: RoundScope;
  /** co-operating departments report too (their part marked 配合) */
  withCo?: boolean;
  note?: string;
}

export interface RoundInfo {
  id: number;
  title: string;
  periodEnd: string;
  dueDate: string;
  scope: RoundScope;
  withCo: boolean;
  note: string;
  state: '进行中' | '已结束';
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  departments: number;
  measures: number;
}

/** red: past the due date and not reported; yellow: due within 3 days and not reported; green: otherwise */
export type RoundLight = 'red' | 'yellow' | 'green';

export interface RoundDeptStatus {
  deptId: number;
  name: string;
  state: RoundDeptState;
  /** measures this department reports on in the round (lead and, with co, co-operation) */
  measures: number;
  /** of them, how many its live reports cover */
  reported: number;
  receivedAt: string | null;
  /** days after the due date it was received (0: on time); not yet reported: days overdue so far */
  lateDays: number;
  reminders: number;
  remindedAt: string | null;
  distributedAt: string | null;
  returnReason: string | null;
  /** days left to the due date (negative: past it) */
  daysToDue: number;
  light: RoundLight;
}

export interface RoundRates {
  departments: number;
  reported: number;
  onTime: number;
  accepted: number;
  /** 报送率: departments that reported / all */
  reportRate: number;
  /** 按时率: departments that reported by the due date / all */
  onTimeRate: number;
  /** 采纳率: departments accepted / departments that reported */
  acceptRate: number;
}

export interface RoundStatus {
  round: RoundInfo;
  departments: RoundDeptStatus[];
  rates: RoundRates;
}

export interface RoundReportRow {
  id: number;
  deptId: number;
  dept: string;
  measureId: string;
  measureText: string;
  role: RoundRole;
  status: Status;
  progress: string;
  note: string;
  changed: string[];
  state: RoundReportState;
  reason: string | null;
  submissionId: number;
  fileName: string;
  receivedAt: string;
}

export interface RoundEvent {
  id: number;
  deptId: number | null;
  dept: string | null;
  kind: RoundEventKind;
  at: string;
  actor: string;
  detail: Record<string, unknown>;
}

/** One file's outcome in a collect: refused (with the reason) or taken in. */
export interface CollectFileResult {
  file: string;
  department: string | null;
  /** measures whose reported values differ from what was sent */
  changed: number;
  /** reports taken in (every measure of the department's part the file has) */
  reports: number;
  /** why the file was refused; null when taken in (or would be, in a dry run) */
  refused: string | null;
  errors: string[];
  warnings: string[];
  conflicts: number;
  /** each conflict (status, progress, note changed here since 下发 and in the file), for a choice per field: perField[measureId][field] */
  conflictRows?: ImportConflict[];
  lateDays: number;
  /** an earlier submission of the department this one replaced */
  replaced: number | null;
  /** refused only because the file has no record of the round: the person may name its department (deptId) */
  needsDept?: boolean;
  /** the round's department the file names (its title, its file name), offered first; null: none named */
  suggestedDeptId?: number | null;
}

export interface ScoreRules {
  base: number;
  notReported: number;
  late: number;
  lagging: number;
  completed: number;
}

export const DEFAULT_SCORE_RULES: ScoreRules = { base: 100, notReported: -10, late: -5, lagging: -2, completed: 1 };

export interface ScoreItem {
  reason: string;
  points: number;
}

export interface DeptScore {
  deptId: number;
  name: string;
  score: number;
  items: ScoreItem[];
}

export interface RoundCompareRow {
  key: string;
  label: string;
  before: Record<Status, number>;
  after: Record<Status, number>;
  /** measures whose status changed */
  moved: number;
  /** measures in both rounds that were not 已完成 before and are now */
  newlyDone: number;
  /** measures in both rounds that were not 滞后 before and are now */
  newlyLagging: number;
  /** measures whose progress text changed */
  progressChanged: number;
}

export interface RoundCompareMeasure {
  id: string;
  text: string;
  chapterNo: number;
  /** null: the measure is not in that round */
  before: Status | null;
  after: Status | null;
  beforeProgress: string | null;
  afterProgress: string | null;
  progressChanged: boolean;
  /** the lead departments (of either round), by name */
  depts: string[];
}

export interface RoundCompare {
  from: { id: number; title: string };
  to: { id: number; title: string };
  measures: RoundCompareMeasure[];
  byChapter: RoundCompareRow[];
  byDept: RoundCompareRow[];
}

/** The dashboard's 调度轮次 card: the latest closed round, its rates, and the change since the closed round before it. */
export interface RoundLatest {
  round: RoundInfo;
  rates: RoundRates;
  /** the closed round before it; null: it is the first closed round */
  previous: { id: number; title: string; periodEnd: string } | null;
  /** null when there is no previous closed round */
  change: {
    /** measures whose status changed */
    moved: number;
    newlyDone: string[];
    newlyLagging: string[];
    progressChanged: number;
    byChapter: RoundCompareRow[];
  } | null;
}

/** 佐证材料 of a round as the page lists them (the file stays in the store beside the database). */
export interface RoundEvidence {
  id: number;
  deptId: number;
  dept: string;
  /** the measure it supports; null: the department's report as a whole */
  measureId: string | null;
  name: string;
  sha256: string;
  bytes: number;
  /** pdf, docx, xlsx, doc, xls, png, jpg, gif */
  type: string;
  addedAt: string;
  actor: string;
}

/** rounds.addEvidence: each file added, or refused with the reason (nothing stored for it). */
export interface EvidenceAddResult {
  added: RoundEvidence[];
  refused: { file: string; reason: string }[];
}

/** a 佐证材料 file named by the measure it supports: 4.1.1.3-验收报告.pdf */
export const EVIDENCE_MEASURE_PREFIX = /^(\d+\.\d+\.\d+\.\d+)(?![.\d])/;

/** the types a 佐证材料 may be (by extension; the bytes are checked when it is added) */
export const EVIDENCE_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'doc', 'xls', 'png', 'jpg', 'jpeg', 'gif'] as const;
export const EVIDENCE_MAX_MB = 20;

/** a size as people read it (the 佐证材料 panel, the round briefing and the export results) */
export function bytesText(n: number): string {
  if (n < 1024) return `${n} 字节`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** how many of a department's 佐证材料 the round briefing names; the rest are counted (等M份) */
export const BRIEFING_EVIDENCE_PER_DEPT = 10;

/** 佐证材料 that came with returned ledgers, named by measure id: where each went, or why not. */
export interface EvidenceFileResult {
  file: string;
  department: string | null;
  measureId: string | null;
  refused: string | null;
  sha256: string | null;
}
