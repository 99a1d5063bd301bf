// 专项推进方案 and city 行动计划 drafted inside the workbench: the outline model, its input
// schemas, and the numbering rule. Pure: no node:* module, no DOM.
import { z } from 'zod';
import { oneLine } from './text';
import { CITIES, type City } from './domain';

/** 第九章: the fields whose specialized plans the provincial departments draft. */
export const DRAFT_FIELDS = ['基础设施', '产业发展', '国土空间', '生态环境', '公共服务', '对外开放'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

/** Default field → plan scope (chapter or section ids); editable in the drafting page. */
export const DEFAULT_FIELD_MAPPING: Record<DraftField, string[]> = {
  基础设施: ['4'],
  产业发展: ['5.1', '5.2'],
  国土空间: ['3'],
  生态环境: ['6'],
  公共服务: ['7'],
  对外开放: ['5.3'],
};

/** What a draft is for: a field (省直部门专项方案), a city (行动计划), a department, or nothing yet. */
export const DRAFT_KINDS = ['field', 'city', 'dept', 'blank'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** 'standard': 总体要求 / 工作目标 / 重点任务 / 重点项目 / 保障措施 / 附件; 'empty': an empty outline. */
export const DRAFT_TEMPLATES = ['standard', 'empty'] as const;
export type DraftTemplate = (typeof DRAFT_TEMPLATES)[number];

export const BLOCK_TYPES = ['heading', 'para', 'citation', 'table'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** Live tables, regenerated from the database at export unless frozen. */
export const TABLE_KINDS = ['tasks', 'projects', 'indicators'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];
export const TABLE_KIND_LABELS: Record<TableKind, string> = { tasks: '任务分工表', projects: '重点项目表', indicators: '目标指标表' };

/** Heading levels 一、 （一） 1. （1） */
export type HeadingLevel = 1 | 2 | 3 | 4;

export interface DraftBlock {
  id: number;
  type: BlockType;
  /** headings only */
  level: HeadingLevel | null;
  /** heading or paragraph text; for a citation, the measure text as it was inserted */
  text: string;
  /** citation: the plan measure it cites */
  measureId: string | null;
  /** citation: 《长株潭都市圈发展规划》第六章第三节“联防联控大气污染”第2项措施 */
  citation: string | null;
  /** table: which live table */
  tableKind: TableKind | null;
  /** table: frozen by the writer (kept as it was, not regenerated at export) */
  frozen: boolean;
  /** in the 附件 part (landscape pages at export) rather than the body */
  attachment: boolean;
}

export interface DraftSummary {
  id: number;
  title: string;
  kind: DraftKind;
  field: DraftField | null;
  city: City | null;
  deptId: number | null;
  updatedAt: string;
  versionCount: number;
}

export interface Draft extends DraftSummary {
  /** 主送 line, e.g. 各市人民政府，省直有关单位： */
  mainTo: string;
  /** the plan scope the draft covers (chapter/section ids from the field mapping; empty for city/dept/blank) */
  scope: string[];
  blocks: DraftBlock[];
  /** block id → its number (一、 （一） 1. （1）), recomputed after every change */
  numbers: Record<number, string>;
}

export interface DraftVersion {
  id: number;
  draftId: number;
  name: string;
  createdAt: string;
  actor: string;
}

export type CompareKind = 'same' | 'added' | 'removed' | 'changed';
export interface CompareRow {
  kind: CompareKind;
  /** the older version's block text (with its number), null when added */
  left: string | null;
  /** the newer one's, null when removed */
  right: string | null;
}
export interface DraftCompare {
  left: string;
  right: string;
  rows: CompareRow[];
  counts: Record<CompareKind, number>;
}

/** Rows each kind of live table of a draft would have now (the outline shows them beside table blocks). */
export type DraftTableCounts = Record<TableKind, number>;

export interface DraftGaps {
  /** measures in the draft's scope that no citation block cites (a live task table does not count:
   *  the writer sees what the text does not address yet) */
  uncovered: { id: string; taskId: string; taskTitle: string; text: string }[];
  /** cited measures whose allocation (lead, co, cities, deadline, status) changed since insertion */
  changed: { blockId: number; measureId: string; fields: { field: string; then: string; now: string }[] }[];
}

// ---- numbering

const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function cnNumber(n: number): string {
  if (n <= 10) return CN[n];
  if (n < 20) return `十${CN[n - 10]}`;
  const t = Math.floor(n / 10);
  const u = n % 10;
  return `${CN[t]}十${u ? CN[u] : ''}`;
}

export function headingNumber(level: HeadingLevel, n: number): string {
  switch (level) {
    case 1:
      return `${cnNumber(n)}、`;
    case 2:
      return `（${cnNumber(n)}）`;
    case 3:
      return `${n}.`;
    case 4:
      return `（${n}）`;
  }
}

/**
 * Numbers for the headings of an outline in order: a heading restarts every deeper level,
 * and the body and the 附件 part are numbered separately.
 */
export function numberHeadings(blocks: readonly Pick<DraftBlock, 'id' | 'type' | 'level' | 'attachment'>[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const part of [false, true]) {
    const counters = [0, 0, 0, 0];
    for (const b of blocks) {
      if (b.attachment !== part || b.type !== 'heading' || !b.level) continue;
      const i = b.level - 1;
      counters[i]++;
      for (let k = i + 1; k < 4; k++) counters[k] = 0;
      out[b.id] = headingNumber(b.level, counters[i]);
    }
  }
  return out;
}

// ---- input schemas (the contract uses these)

/** the longest title a draft keeps; the pages count against it and refuse more, never cut */
export const DRAFT_TITLE_MAX = 100;

const draftId = z.number().int().positive();
const blockId = z.number().int().positive();
const text = z.string().max(20000, '段落不能超过20000字');

export const draftCreateSchema = z
  .object({
    kind: z.enum(DRAFT_KINDS),
    field: z.enum(DRAFT_FIELDS).optional(),
    city: z.enum(CITIES).optional(),
    deptId: z.number().int().positive().optional(),
    title: oneLine(DRAFT_TITLE_MAX, '标题', { long: `标题不能超过${DRAFT_TITLE_MAX}字` }).optional(),
    template: z.enum(DRAFT_TEMPLATES).default('standard'),
  })
  .strict()
  .refine((v) => v.kind !== 'field' || v.field !== undefined, { message: '领域方案须选择领域', path: ['field'] })
  .refine((v) => v.kind !== 'city' || v.city !== undefined, { message: '城市行动计划须选择城市', path: ['city'] })
  .refine((v) => v.kind !== 'dept' || v.deptId !== undefined, { message: '部门方案须选择部门', path: ['deptId'] });
export type DraftCreate = z.input<typeof draftCreateSchema>;

export const blockInputSchema = z
  .object({
    type: z.enum(BLOCK_TYPES),
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    text: text.optional(),
    measureId: z.string().regex(/^\d+\.\d+\.\d+\.\d+$/).optional(),
    tableKind: z.enum(TABLE_KINDS).optional(),
    attachment: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.type !== 'heading' || b.level !== undefined, { message: '标题须有级别', path: ['level'] })
  .refine((b) => b.type !== 'citation' || b.measureId !== undefined, { message: '引用须指明措施编号', path: ['measureId'] })
  .refine((b) => b.type !== 'table' || b.tableKind !== undefined, { message: '表格须指明类型', path: ['tableKind'] });
export type BlockInput = z.input<typeof blockInputSchema>;

export const draftSchemas = {
  list: z.object({ includeDeleted: z.boolean().optional() }).strict(),
  get: z.object({ id: draftId }).strict(),
  update: z
    .object({ id: draftId, title: oneLine(DRAFT_TITLE_MAX, '标题').optional(), mainTo: z.string().max(500).optional(), scope: z.array(z.string().regex(/^\d+(\.\d+)?$/)).max(50).optional() })
    .strict(),
  remove: z.object({ id: draftId }).strict(),
  insertBlock: z.object({ draftId, afterId: blockId.nullable(), block: blockInputSchema }).strict(),
  updateBlock: z
    .object({
      draftId,
      blockId,
      text: text.optional(),
      level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
      frozen: z.boolean().optional(),
      attachment: z.boolean().optional(),
    })
    .strict(),
  moveBlock: z.object({ draftId, blockId, afterId: blockId.nullable() }).strict(),
  deleteBlock: z.object({ draftId, blockId }).strict(),
  saveVersion: z.object({ draftId, name: oneLine(60, '版本名称') }).strict(),
  listVersions: z.object({ draftId }).strict(),
  compare: z.object({ draftId, left: z.union([z.number().int().positive(), z.literal('current')]), right: z.union([z.number().int().positive(), z.literal('current')]) }).strict(),
  restoreVersion: z.object({ draftId, versionId: z.number().int().positive() }).strict(),
  gaps: z.object({ draftId }).strict(),
  tableCounts: z.object({ draftId }).strict(),
  getFieldMapping: z.object({}).strict(),
  setFieldMapping: z.object({ mapping: z.record(z.enum(DRAFT_FIELDS), z.array(z.string().regex(/^\d+(\.\d+)?$/)).min(1).max(20)) }).strict(),
};
