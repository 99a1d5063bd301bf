// 重点建设项目清单 and 目标指标: types, enums, input schemas, the indicator status rule and the
// project ledger columns. Pure: no node:* module, no DOM, nothing from electron/ or renderer/.
import { z } from 'zod';
import { oneLine } from './text';
import { CITIES, type City } from './domain';

export const PROJECT_CATEGORIES = [
  '交通',
  '物流',
  '能源',
  '水利',
  '产业',
  '科技创新',
  '生态环保',
  '公共服务',
  '文化旅游',
  '城市建设',
  '开放平台',
] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

/** 建设性质/阶段, in the order a project goes through them. */
export const PROJECT_STAGES = ['谋划', '前期', '新开工', '续建', '建成'] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

/** 'plan': named in the plan (carries its quote); 'user': added by staff (marked as added). */
export const PROJECT_SOURCES = ['plan', 'user'] as const;
export type ProjectSource = (typeof PROJECT_SOURCES)[number];

/** Years a project's investment plan and an indicator's actual values may be entered for. */
export const PLAN_YEAR_MIN = 2021;
export const PLAN_YEAR_MAX = 2035;

/** One year of a project's investment: 年度计划投资 and the investment completed in that year (亿元). */
export interface ProjectYearPlan {
  year: number;
  planned: number | null;
  completed: number | null;
}

export interface Project {
  id: string;
  name: string;
  category: ProjectCategory;
  stage: ProjectStage;
  startYear: number | null;
  endYear: number | null;
  /** 总投资, 亿元 */
  totalInvestment: number | null;
  leadId: number | null;
  cities: City[];
  /** 所在县市区, free text */
  location: string;
  /** the plan's own words naming the project; null for projects staff added */
  quote: string | null;
  /** the 重点任务 whose text holds the quote (or the task staff linked it to) */
  taskId: string | null;
  taskTitle: string | null;
  /** further plan tasks the project serves */
  linkedTaskIds: string[];
  source: ProjectSource;
  /** true for projects staff added (source 'user') */
  added: boolean;
  /** 形象进度 */
  progressText: string;
  /** 存在问题 */
  problems: string;
  yearPlans: ProjectYearPlan[];
  /** Σ 年度计划投资 over all years (亿元) */
  plannedTotal: number;
  /** 累计完成投资: Σ completed over all years (亿元) */
  completedTotal: number;
  /** the year the two fields below refer to (listProjects' year, default the current year) */
  year: number;
  /** 年度计划投资 of `year` */
  yearPlanned: number | null;
  /** investment completed in `year` */
  yearCompleted: number | null;
  deleted: boolean;
  updatedAt: string | null;
}

/** Fields of a project a person may change. Year plans are upserted per year. */
export interface ProjectPatch {
  name?: string;
  category?: ProjectCategory;
  stage?: ProjectStage;
  startYear?: number | null;
  endYear?: number | null;
  totalInvestment?: number | null;
  leadId?: number | null;
  cities?: City[];
  location?: string;
  progressText?: string;
  problems?: string;
  taskId?: string | null;
  linkedTaskIds?: string[];
  yearPlans?: { year: number; planned?: number | null; completed?: number | null }[];
}

export interface ProjectEdit {
  projectId: string;
  patch: ProjectPatch;
}

/** A project staff add: name and category at least; it is marked as added (source 'user'). */
export type ProjectNew = ProjectPatch & { name: string; category: ProjectCategory };

// ---- 目标指标

export const INDICATOR_DIRECTIONS = ['≥', '≤', '≈', '='] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

export const INDICATOR_KINDS = ['quantitative', 'qualitative'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export interface Indicator {
  id: string;
  name: string;
  unit: string;
  /** null where the plan states only a 2021 figure and no target */
  direction: IndicatorDirection | null;
  target2025: number | null;
  baseline2021: number | null;
  /** for ≈: how far from the target still counts as met (in the indicator's unit) */
  tolerance: number | null;
  /** the plan's words stating the target (or, for a baseline-only figure, the baseline) */
  quote: string;
  /** the plan's words stating the 2021 figure, where that is a different place */
  baselineQuote: string | null;
  kind: IndicatorKind;
  note: string;
}

export interface IndicatorActual {
  indicatorId: string;
  year: number;
  /** null for a qualitative indicator: its assessment of the year is the note */
  value: number | null;
  source: string;
  note: string;
  updatedAt: string | null;
}

export const INDICATOR_STATUSES = ['达标', '接近', '滞后', '无数据', '无目标', '定性'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

export interface IndicatorRow extends Indicator {
  actuals: IndicatorActual[];
  latest: IndicatorActual | null;
  status: IndicatorStatus;
}

/** The most recent year that has a value, or null. */
export function latestActual<T extends { year: number; value: number | null }>(actuals: readonly T[]): T | null {
  let best: T | null = null;
  for (const a of actuals) if (a.value !== null && Number.isFinite(a.value) && (!best || a.year > best.year)) best = a;
  return best;
}

/** Share of the target by which ≥ / ≤ may miss and still be 接近. */
export const NEAR_SHARE = 0.05;
/** Share of the target by which = may miss and still be 接近. */
export const EQUAL_NEAR_SHARE = 0.01;

/**
 * Status of an indicator from its target, direction and latest actual value:
 *
 * - qualitative indicator → 定性 (judged by people, not computed)
 * - no target or no direction (a 2021 figure only) → 无目标
 * - no actual value → 无数据
 * - ≥: actual ≥ target → 达标; actual below target by at most 5% of the target → 接近; else 滞后
 * - ≤: actual ≤ target → 达标; actual above target by at most 5% of the target → 接近; else 滞后
 * - ≈: |actual − target| ≤ tolerance → 达标; ≤ 2 × tolerance → 接近; else 滞后
 *      (no tolerance recorded: 0, i.e. exact)
 * - =: actual and target equal to 2 decimals → 达标; within 1% of the target → 接近; else 滞后
 *
 * Boundaries count in the better class (exactly at target, exactly at tolerance → 达标;
 * exactly 5% below → 接近). A tiny relative epsilon absorbs binary rounding (3.2 − 3 ≠ 0.2).
 */
export function indicatorStatus(
  indicator: Pick<Indicator, 'kind' | 'direction' | 'target2025' | 'tolerance'>,
  latest: { value: number | null } | number | null | undefined,
): IndicatorStatus {
  if (indicator.kind === 'qualitative') return '定性';
  const t = indicator.target2025;
  if (t === null || indicator.direction === null) return '无目标';
  const a = typeof latest === 'number' ? latest : (latest?.value ?? null);
  if (a === null || !Number.isFinite(a)) return '无数据';
  const eps = 1e-9 * Math.max(1, Math.abs(t), Math.abs(a));
  const within = (diff: number, limit: number) => diff <= limit + eps;
  switch (indicator.direction) {
    case '≥':
      if (within(t - a, 0)) return '达标';
      return within(t - a, NEAR_SHARE * Math.abs(t)) ? '接近' : '滞后';
    case '≤':
      if (within(a - t, 0)) return '达标';
      return within(a - t, NEAR_SHARE * Math.abs(t)) ? '接近' : '滞后';
    case '≈': {
      const tol = Math.abs(indicator.tolerance ?? 0);
      const d = Math.abs(a - t);
      if (within(d, tol)) return '达标';
      return within(d, 2 * tol) ? '接近' : '滞后';
    }
    case '=':
      if (Math.round(a * 100) === Math.round(t * 100)) return '达标';
      return within(Math.abs(a - t), EQUAL_NEAR_SHARE * Math.abs(t)) ? '接近' : '滞后';
  }
}

// ---- input schemas (the IPC contract uses these)

const money = z
  .number()
  .finite('金额应为数字')
  .min(0, '金额不能为负数')
  .max(100000, '金额（亿元）不能超过100000');
const year = z.number().int('年份应为整数').min(1990, '年份不早于1990').max(2100, '年份不晚于2100');
const planYear = z.number().int('年份应为整数').min(PLAN_YEAR_MIN, `年份应在${PLAN_YEAR_MIN}—${PLAN_YEAR_MAX}之间`).max(PLAN_YEAR_MAX, `年份应在${PLAN_YEAR_MIN}—${PLAN_YEAR_MAX}之间`);
const taskId = z.string().regex(/^\d+\.\d+\.\d+$/, '任务编号格式应为 章.节.任务，如 4.1.1');

export const projectIdSchema = z.string().regex(/^[PU]\d{3,}$/, '项目编号格式应为 P001 或 U001');
export const indicatorIdSchema = z.string().regex(/^I\d{2,}$/, '指标编号格式应为 I01');

export const projectYearPlanSchema = z
  .object({ year: planYear, planned: money.nullable().optional(), completed: money.nullable().optional() })
  .strict();

export const projectPatchSchema = z
  .object({
    name: oneLine(200, '项目名称', { long: '项目名称不能超过200字' }).optional(),
    category: z.enum(PROJECT_CATEGORIES).optional(),
    stage: z.enum(PROJECT_STAGES).optional(),
    startYear: year.nullable().optional(),
    endYear: year.nullable().optional(),
    totalInvestment: money.nullable().optional(),
    leadId: z.number().int().positive().nullable().optional(),
    cities: z.array(z.enum(CITIES)).max(3).optional(),
    location: z.string().max(200, '所在县市区不能超过200字').optional(),
    progressText: z.string().max(20000, '形象进度不能超过20000字').optional(),
    problems: z.string().max(20000, '存在问题不能超过20000字').optional(),
    taskId: taskId.nullable().optional(),
    linkedTaskIds: z.array(taskId).max(50).optional(),
    yearPlans: z.array(projectYearPlanSchema).max(20).optional(),
  })
  .strict();

export const projectEditSchema = z.object({ projectId: projectIdSchema, patch: projectPatchSchema }).strict();

export const projectUpdateSchema = z
  .object({ edits: z.array(projectEditSchema).min(1).max(100000), op: z.string().min(1).max(40) })
  .strict();

export const projectAddSchema = projectPatchSchema.extend({
  name: oneLine(200, '项目名称', { long: '项目名称不能超过200字' }),
  category: z.enum(PROJECT_CATEGORIES),
});

export const setActualSchema = z
  .object({
    indicatorId: indicatorIdSchema,
    year: planYear,
    /** null clears the year's value; for a qualitative indicator, null with a note is its assessment */
    value: z.number().finite('数值应为数字').nullable(),
    source: z.string().max(200, '数据来源不能超过200字').optional(),
    note: z.string().max(2000, '备注不能超过2000字').optional(),
  })
  .strict();

// ---- ledger columns (grid, Excel export, Excel import header mapping)

export type ProjectColumnType =
  | 'id'
  | 'text'
  | 'longtext'
  | 'category'
  | 'stage'
  | 'dept'
  | 'cities'
  | 'year'
  | 'money'
  | 'source';

export interface ProjectColumn {
  key: keyof Project | 'lead' | 'task' | 'years';
  header: string;
  /** width in characters (Excel) — the grid multiplies it into pixels */
  width: number;
  type: ProjectColumnType;
  editable: boolean;
  /** other headers staff use for the same column, for reading returned ledgers */
  aliases: string[];
  /** the allowed values of a drop-down column */
  values?: readonly string[];
}

export const PROJECT_COLUMNS: readonly ProjectColumn[] = [
  { key: 'id', header: '项目编号', width: 9, type: 'id', editable: false, aliases: ['编号', '序号编号', 'ID', 'id'] },
  { key: 'name', header: '项目名称', width: 30, type: 'text', editable: true, aliases: ['名称', '项目'] },
  { key: 'category', header: '类别', width: 10, type: 'category', editable: true, aliases: ['项目类别', '行业类别', '领域'], values: PROJECT_CATEGORIES },
  { key: 'cities', header: '所在城市', width: 14, type: 'cities', editable: true, aliases: ['城市', '所在市', '责任城市'] },
  { key: 'location', header: '所在县市区', width: 14, type: 'text', editable: true, aliases: ['建设地点', '所在县区', '县市区'] },
  { key: 'lead', header: '牵头单位', width: 16, type: 'dept', editable: true, aliases: ['牵头部门', '责任单位', '牵头'] },
  { key: 'stage', header: '建设阶段', width: 8, type: 'stage', editable: true, aliases: ['建设性质', '阶段', '项目阶段'], values: PROJECT_STAGES },
  { key: 'startYear', header: '开工年份', width: 8, type: 'year', editable: true, aliases: ['起始年', '开始年份', '建设起始年'] },
  { key: 'endYear', header: '完工年份', width: 8, type: 'year', editable: true, aliases: ['竣工年份', '结束年份', '建设截止年'] },
  { key: 'totalInvestment', header: '总投资（亿元）', width: 10, type: 'money', editable: true, aliases: ['总投资', '计划总投资', '总投资(亿元)'] },
  { key: 'yearPlanned', header: '年度计划投资（亿元）', width: 11, type: 'money', editable: true, aliases: ['年度计划投资', '本年计划投资', '年度计划投资(亿元)'] },
  { key: 'yearCompleted', header: '本年完成投资（亿元）', width: 11, type: 'money', editable: true, aliases: ['本年完成投资', '年度完成投资', '本年完成投资(亿元)'] },
  { key: 'completedTotal', header: '累计完成投资（亿元）', width: 11, type: 'money', editable: false, aliases: ['累计完成投资', '累计完成', '累计完成投资(亿元)'] },
  { key: 'progressText', header: '形象进度', width: 30, type: 'longtext', editable: true, aliases: ['工程形象进度', '进展情况', '进度'] },
  { key: 'problems', header: '存在问题', width: 24, type: 'longtext', editable: true, aliases: ['问题', '困难问题', '存在的问题'] },
  { key: 'task', header: '规划任务', width: 18, type: 'text', editable: false, aliases: ['所属任务', '重点任务', '对应任务'] },
  { key: 'quote', header: '规划原文', width: 40, type: 'longtext', editable: false, aliases: ['原文', '规划表述'] },
  { key: 'source', header: '来源', width: 8, type: 'source', editable: false, aliases: ['项目来源'] },
];

/** How a project's source reads in a ledger cell. */
export const SOURCE_LABELS: Record<ProjectSource, string> = { plan: '规划明确', user: '新增' };
