// 专项推进方案 and city 行动计划: drafts as an outline of blocks (headings, paragraphs, cited plan
// measures, live tables), pre-filled from the plan, the allocation, the projects and the targets;
// named versions with a compare; the gaps against the plan; the field → plan scope mapping.
//
// Every change goes through one of these functions, in one transaction, with audit rows (tables
// 'draft' and 'draft_block'; the mapping under 'setting'). Drafts are not undoable through
// undo.ts (it skips operations on other tables); a draft goes back through its versions.
//
// Numbering (一、（一）1.（1）) is never stored: numberHeadings computes it on every read.
//
// Gaps: a measure counts as covered only when a citation block cites it. A live 任务分工表 lists
// every measure in scope by construction, so counting it would hide exactly what the writer
// needs to see — which measures the text of the draft does not address yet.
import { correctedWithNote } from '../../shared/corrections';
import { SUGGESTION_MARK, isSuggested } from '../../shared/ledger';
import { z } from 'zod';
import { CITIES, chapterLabel, sectionLabel, type City, type MeasureRow } from '../../shared/domain';
import {
  DEFAULT_FIELD_MAPPING,
  DRAFT_FIELDS,
  TABLE_KIND_LABELS,
  blockInputSchema,
  draftCreateSchema,
  numberHeadings,
  type BlockInput,
  type CompareKind,
  type CompareRow,
  type Draft,
  type DraftBlock,
  type DraftCompare,
  type DraftField,
  type DraftGaps,
  type DraftSummary,
  type DraftVersion,
  type HeadingLevel,
  type TableKind,
  type DraftTableCounts,
} from '../../shared/drafts';
import type { Project } from '../../shared/projects';
import type { BlockDbRow, BlockInsert, DraftDbRow, DraftQueries } from '../db/draft-queries';
import { AuditWriter, ServiceError, getIdentity, type ServiceContext } from '../core/context';
import { getMeasure, getMeasures, listMeasuresInScope } from './measures';
import { citationOf } from './plan';
import { listProjectsInScope } from './projects';
import { listIndicators } from './indicators';
import { listDepartments } from './departments';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

export const FIELD_MAPPING_KEY = 'draft.fieldMapping';
const DRAFT = 'draft';
const BLOCK = 'draft_block';
export const AUTO_VERSION_NAME = '恢复前自动保存';
const MAX_COMPARE_BLOCKS = 4000;

type BlockParsed = z.output<typeof blockInputSchema>;

// ---------------------------------------------------------------- rows → contract types

function toBlock(r: Pick<BlockDbRow, 'id' | 'type' | 'level' | 'text' | 'measure_id' | 'citation' | 'table_kind' | 'frozen' | 'attachment'>): DraftBlock {
  return {
    id: r.id,
    type: r.type,
    level: (r.level as HeadingLevel | null) ?? null,
    text: r.text,
    measureId: r.measure_id,
    citation: r.citation,
    tableKind: r.table_kind,
    frozen: r.frozen === 1,
    attachment: r.attachment === 1,
  };
}

function parseScope(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function toSummary(r: DraftDbRow): DraftSummary {
  return {
    id: r.id,
    title: r.title,
    kind: r.kind,
    field: r.field,
    city: r.city,
    deptId: r.dept_id,
    updatedAt: r.updated_at,
    versionCount: r.version_count,
  };
}

function actorName(ctx: ServiceContext): string {
  const who = ctx.actor ?? getIdentity(ctx) ?? { name: '未登记', unit: '未登记' };
  return who.name;
}

function loadDraft(dq: DraftQueries, id: number, allowDeleted = false): DraftDbRow {
  const r = dq.draft(id);
  if (!r) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的方案草稿`);
  if (r.deleted && !allowDeleted) throw new ServiceError('VALIDATION', `方案草稿“${r.title}”已删除`);
  return r;
}

function draftOf(dq: DraftQueries, r: DraftDbRow): Draft {
  const blocks = dq.blocks(r.id).map(toBlock);
  return {
    ...toSummary(r),
    mainTo: r.main_to,
    scope: parseScope(r.scope),
    blocks,
    numbers: numberHeadings(blocks),
  };
}

// ---------------------------------------------------------------- field mapping

/** The field → plan scope mapping (setting draft.fieldMapping), defaults for fields it lacks. */
export function getFieldMapping(ctx: ServiceContext): Record<DraftField, string[]> {
  const out: Record<DraftField, string[]> = { ...DEFAULT_FIELD_MAPPING };
  const raw = ctx.q.getSetting(FIELD_MAPPING_KEY);
  if (raw) {
    try {
      const v = JSON.parse(raw) as Record<string, unknown>;
      for (const f of DRAFT_FIELDS) {
        const s = v[f];
        if (Array.isArray(s) && s.length && s.every((x) => typeof x === 'string')) out[f] = s as string[];
      }
    } catch {
      /* a damaged value falls back to the defaults */
    }
  }
  return out;
}

function checkScopeIds(dq: DraftQueries, ids: string[], who: string): string[] {
  const clean = [...new Set(ids.map((s) => s.trim()))];
  for (const id of clean) {
    if (!dq.scopeNode(id)) throw new ServiceError('VALIDATION', `${who}：规划中没有编号为 ${id} 的章或节`);
  }
  return clean;
}

export function setFieldMapping(ctx: ServiceContext, mapping: Partial<Record<DraftField, string[]>>): Record<DraftField, string[]> {
  const dq = ctx.q.drafts;
  let next!: Record<DraftField, string[]>;
  ctx.db.transaction(() => {
    const old = getFieldMapping(ctx);
    next = { ...old };
    for (const f of DRAFT_FIELDS) {
      const v = mapping[f];
      if (v === undefined) continue;
      if (v.length === 0) throw new ServiceError('VALIDATION', `“${f}”至少须对应规划的一章或一节`);
      next[f] = checkScopeIds(dq, v, `“${f}”的规划范围`);
    }
    const audit = new AuditWriter(ctx, '修改领域对应范围');
    for (const f of DRAFT_FIELDS) {
      if (JSON.stringify(old[f]) !== JSON.stringify(next[f])) audit.field('setting', FIELD_MAPPING_KEY, f, old[f], next[f]);
    }
    if (audit.count) ctx.q.setSetting(FIELD_MAPPING_KEY, JSON.stringify(next));
  })();
  return next;
}

// ---------------------------------------------------------------- what belongs to a draft

interface DraftScopeInfo {
  kind: DraftDbRow['kind'];
  field: DraftField | null;
  city: City | null;
  deptId: number | null;
  scope: string[];
}

function scopeInfo(r: DraftDbRow): DraftScopeInfo {
  return { kind: r.kind, field: r.field, city: r.city, deptId: r.dept_id, scope: parseScope(r.scope) };
}


/**
 * The measures a draft is about: the actionable measures of its plan scope (chapters/sections),
 * narrowed to its city (责任城市) and its department (牵头 or 配合). A draft with none of these
 * (an empty outline not yet given a scope) has none.
 */
export function measuresInScope(ctx: ServiceContext, d: DraftScopeInfo): MeasureRow[] {
  if (d.scope.length === 0 && !d.city && d.deptId === null) return [];
  // in SQL: reading every measure for this was slow on a large ledger, on every gaps check (docs/bench.md)
  return listMeasuresInScope(ctx, d.scope, d.city ?? null, d.deptId);
}

/** Related projects: by the scope's tasks (own or linked task), the city, the lead department. */
export function projectsInScope(ctx: ServiceContext, d: DraftScopeInfo): Project[] {
  if (d.scope.length === 0 && !d.city && d.deptId === null) return [];
  return listProjectsInScope(ctx, d.scope, d.city ?? null, d.deptId);
}

/** Words that tie a 2025 target (指标) to a field; a city or department draft takes all targets. */
const FIELD_INDICATOR_WORDS: Record<DraftField, RegExp> = {
  生态环境: /空气|水质|声环境|生态|自然保护地|污染|碳|环境/,
  基础设施: /通勤|基础设施|机场|交通|水利|能源|信息|市政/,
  产业发展: /R&D|产业|创新|工业/,
  国土空间: /城镇化|融城|空间|城市/,
  公共服务: /公共服务|教育|医疗|社会保障|就业|文化/,
  对外开放: /开放|市场体系|行政壁垒|外资|进出口/,
};

export interface TargetRow {
  id: string;
  name: string;
  unit: string;
  baseline: string;
  target: string;
  quote: string;
}

/** The plan's 2025 targets (quantitative with a target, or qualitative) related to the draft. */
export function targetsInScope(ctx: ServiceContext, d: DraftScopeInfo): TargetRow[] {
  // no field: the fields whose mapped scope overlaps the draft's scope
  const overlap = (a: string, b: string) => a === b || a.startsWith(b + '.') || b.startsWith(a + '.');
  const mapping = d.field ? null : getFieldMapping(ctx);
  const fields: DraftField[] = d.field
    ? [d.field]
    : DRAFT_FIELDS.filter((f) => mapping![f].some((s) => d.scope.some((x) => overlap(s, x))));
  if (fields.length === 0 && d.city === null && d.deptId === null) return [];
  const words = fields.map((f) => FIELD_INDICATOR_WORDS[f]);
  return listIndicators(ctx)
    .filter((i) => i.target2025 !== null || i.kind === 'qualitative')
    .filter((i) => words.length === 0 || words.some((w) => w.test(i.name) || w.test(i.quote)))
    .map((i) => ({
      id: i.id,
      name: i.name,
      unit: i.unit,
      baseline: i.baseline2021 === null ? '' : String(i.baseline2021),
      target: i.target2025 === null ? i.quote : `${i.direction && i.direction !== '=' ? i.direction : ''}${i.target2025}`,
      quote: i.quote,
    }));
}

// ---------------------------------------------------------------- live tables

export interface DraftTableColumn {
  header: string;
  weight: number;
  align?: 'left' | 'center';
}

/** The columns of each live table (the Word export scales the weights to the page). */
export const DRAFT_TABLE_COLUMNS: Record<TableKind, DraftTableColumn[]> = {
  tasks: [
    { header: '序号', weight: 5, align: 'center' },
    { header: '重点任务', weight: 12, align: 'center' },
    { header: '具体措施', weight: 40 },
    { header: '牵头单位', weight: 12, align: 'center' },
    { header: '配合单位', weight: 15 },
    { header: '责任城市', weight: 8, align: 'center' },
    { header: '完成时限', weight: 8, align: 'center' },
  ],
  projects: [
    { header: '序号', weight: 5, align: 'center' },
    { header: '项目名称', weight: 26 },
    { header: '类别', weight: 8, align: 'center' },
    { header: '建设阶段', weight: 8, align: 'center' },
    { header: '建设年限', weight: 10, align: 'center' },
    { header: '总投资（亿元）', weight: 9, align: 'center' },
    { header: '牵头单位', weight: 14, align: 'center' },
    { header: '所在城市', weight: 10, align: 'center' },
    { header: '对应重点任务', weight: 16 },
  ],
  indicators: [
    { header: '序号', weight: 5, align: 'center' },
    { header: '指标', weight: 26 },
    { header: '单位', weight: 7, align: 'center' },
    { header: '2021年基数', weight: 10, align: 'center' },
    { header: '2025年目标', weight: 12, align: 'center' },
    { header: '规划原文', weight: 40 },
  ],
};

export interface DraftTableData {
  kind: TableKind;
  columns: string[];
  rows: string[][];
  frozen: boolean;
  /** measure ids of a live tasks table, row by row (the Excel ledger needs them) */
  measureIds?: string[];
}

/** A deadline as people write it: 2025年底, 2025年6月底, 2025年6月15日. */
function deadlineWords(iso: string | null): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m === 12 && d === 31) return `${y}年底`;
  if (d === last) return `${y}年${m}月底`;
  return `${y}年${m}月${d}日`;
}

function deptNameMap(ctx: ServiceContext): (id: number | null) => string {
  const names = new Map(listDepartments(ctx, true).map((d) => [d.id, d.name]));
  return (id) => (id === null ? '' : (names.get(id) ?? `（部门${id}）`));
}

/** A live table as the database has it now. */
export function liveTable(ctx: ServiceContext, d: DraftScopeInfo, kind: TableKind): DraftTableData {
  const columns = DRAFT_TABLE_COLUMNS[kind].map((c) => c.header);
  const name = deptNameMap(ctx);
  if (kind === 'tasks') {
    const ms = measuresInScope(ctx, d);
    return {
      kind,
      columns,
      frozen: false,
      measureIds: ms.map((m) => m.id),
      rows: ms.map((m, i) => [
        String(i + 1),
        m.taskTitle,
        correctedWithNote(m.text),
        // a suggestion nobody confirmed is not passed off as an assignment (shared/ledger.ts)
        isSuggested(m) ? `${m.leadIds.map(name).join('、')}${SUGGESTION_MARK}` : m.leadIds.map(name).join('、'),
        m.coIds.map(name).join('、'),
        m.cities.join('、'),
        deadlineWords(m.deadline),
      ]),
    };
  }
  if (kind === 'projects') {
    const tasks = new Map(ctx.q.allNodes().filter((n) => n.kind === 'task').map((n) => [n.id, n.title]));
    return {
      kind,
      columns,
      frozen: false,
      rows: projectsInScope(ctx, d).map((p, i) => [
        String(i + 1),
        p.name,
        p.category,
        p.stage,
        p.startYear && p.endYear ? `${p.startYear}—${p.endYear}` : p.startYear ? `${p.startYear}—` : p.endYear ? `—${p.endYear}` : '',
        p.totalInvestment === null ? '' : String(p.totalInvestment),
        name(p.leadId),
        p.cities.join('、'),
        p.taskId ? (tasks.get(p.taskId) ?? p.taskId) : '',
      ]),
    };
  }
  return {
    kind,
    columns,
    frozen: false,
    rows: targetsInScope(ctx, d).map((t, i) => [String(i + 1), t.name, t.unit, t.baseline, t.target, t.quote]),
  };
}

interface FrozenRows {
  columns: string[];
  rows: string[][];
}

/** A table block's contents: its frozen rows, or the live table. */
export function tableData(ctx: ServiceContext, draft: DraftDbRow, b: BlockDbRow): DraftTableData {
  const kind = b.table_kind!;
  if (b.frozen && b.frozen_rows) {
    const f = JSON.parse(b.frozen_rows) as FrozenRows;
    return { kind, columns: f.columns, rows: f.rows, frozen: true };
  }
  return liveTable(ctx, scopeInfo(draft), kind);
}

/** For the exporters: the draft row and its blocks in order. */
export function draftForExport(ctx: ServiceContext, id: number): { draft: DraftDbRow; blocks: BlockDbRow[]; numbers: Record<number, string> } {
  const dq = ctx.q.drafts;
  const draft = loadDraft(dq, id, true);
  const blocks = dq.blocks(id);
  return { draft, blocks, numbers: numberHeadings(blocks.map(toBlock)) };
}

// ---------------------------------------------------------------- citations

interface Snapshot {
  lead: string;
  co: string;
  cities: string;
  deadline: string;
  status: string;
}
const SNAPSHOT_LABELS: Record<keyof Snapshot, string> = { lead: '牵头单位', co: '配合单位', cities: '责任城市', deadline: '完成时限', status: '推进状态' };

function snapshotOf(m: MeasureRow, name: (id: number | null) => string): Snapshot {
  return {
    lead: m.leadIds.map(name).join('、'),
    co: m.coIds.map(name).join('、'),
    cities: m.cities.join('、'),
    deadline: m.deadline ?? '',
    status: m.status,
  };
}

function citationBlock(ctx: ServiceContext, m: MeasureRow, name: (id: number | null) => string, attachment = false): BlockInsert {
  const ord = Number(m.id.split('.').pop());
  return {
    type: 'citation',
    level: null,
    text: m.text,
    measure_id: m.id,
    citation: citationOf(ctx, m.taskId, ord),
    cited_snapshot: JSON.stringify(snapshotOf(m, name)),
    table_kind: null,
    frozen: 0,
    frozen_rows: null,
    attachment: attachment ? 1 : 0,
  };
}

// ---------------------------------------------------------------- templates

const heading = (level: HeadingLevel, text: string, attachment = false): BlockInsert => ({
  type: 'heading',
  level,
  text,
  measure_id: null,
  citation: null,
  cited_snapshot: null,
  table_kind: null,
  frozen: 0,
  frozen_rows: null,
  attachment: attachment ? 1 : 0,
});
const para = (text: string, attachment = false): BlockInsert => ({ ...heading(1, text, attachment), type: 'para', level: null });
const table = (kind: TableKind, text: string, attachment = true): BlockInsert => ({
  ...heading(1, text, attachment),
  type: 'table',
  level: null,
  table_kind: kind,
});

/** The 2025 goal of each field in 第二章第三节 (the plan's own words, cited). */
const FIELD_GOAL_MEASURE: Record<DraftField, string> = {
  基础设施: '2.3.1.5',
  产业发展: '2.3.1.7',
  国土空间: '2.3.1.3',
  生态环境: '2.3.1.9',
  公共服务: '2.3.1.11',
  对外开放: '2.3.1.15',
};

function defaultTitle(kind: DraftDbRow['kind'], field: DraftField | null, city: City | null, deptName: string | null): string {
  if (kind === 'field' && field && city) return `${city}推进长株潭都市圈${field}同城化行动计划`;
  if (kind === 'field' && field) return `长株潭都市圈${field}同城化专项推进方案`;
  if (kind === 'city' && city) return `${city}推进长株潭都市圈建设行动计划`;
  if (kind === 'dept' && deptName) return `${deptName}推进长株潭都市圈建设工作方案`;
  return '长株潭都市圈专项推进方案';
}

function defaultMainTo(kind: DraftDbRow['kind'], city: City | null): string {
  if (city) return '各县（市、区）人民政府，市直有关单位';
  if (kind === 'blank') return '';
  return '长沙市、株洲市、湘潭市人民政府，省直有关单位';
}

function standardBlocks(ctx: ServiceContext, d: DraftScopeInfo, deptName: string | null, planTitle: string): BlockInsert[] {
  const name = deptNameMap(ctx);
  const byId = new Map(getMeasures(ctx, ['2.1.1.1', '2.3.1.1', ...Object.values(FIELD_GOAL_MEASURE)]).map((m) => [m.id, m]));
  const out: BlockInsert[] = [];
  const area = d.field ? `${d.field}同城化` : '长株潭都市圈建设';

  // 一、总体要求
  out.push(heading(1, '总体要求'));
  out.push(heading(2, '指导思想'));
  const guide = byId.get('2.1.1.1');
  if (guide) out.push(citationBlock(ctx, guide, name));
  out.push(
    para(
      `全面落实《${planTitle}》（以下简称《规划》）部署，坚持同城化发展方向，以${area}为重点，` +
        '聚焦关键领域和薄弱环节，强化规划引领、政策协同和项目支撑，推动《规划》明确的各项目标任务落地见效。',
    ),
  );

  // 二、工作目标
  out.push(heading(1, '工作目标'));
  const goal = d.field ? byId.get(FIELD_GOAL_MEASURE[d.field]) : byId.get('2.3.1.1');
  const goalText =
    d.city !== null
      ? `到2025年，${d.city}融入长株潭都市圈${d.field ? `${d.field}同城化` : '发展'}取得重大进展，《规划》明确由${d.city}承担的重点任务全面落实，`
      : d.deptId !== null && deptName
        ? `到2025年，${deptName}牵头和参与的《规划》重点任务全面落实，`
        : d.field
          ? `到2025年，长株潭都市圈${d.field}同城化取得重大进展，《规划》确定的${d.field}领域重点任务全面落实，`
          : '到2025年，《规划》确定的重点任务全面落实，';
  out.push(para(goalText + '一批标志性重点项目建成见效，协同推进的体制机制更加健全。'));
  if (goal) out.push(citationBlock(ctx, goal, name));
  const targets = targetsInScope(ctx, d);
  if (targets.length) {
    out.push(para(`主要目标：${targets.map((t) => t.quote).join('；')}。具体指标见附件3。`));
  }

  // 三、重点任务
  out.push(heading(1, '重点任务'));
  const measures = measuresInScope(ctx, d);
  if (d.scope.length > 0) {
    // every section and task of the scope, in plan order, with its measures (an empty task stays as a heading)
    const nodes = ctx.q.allNodes();
    const children = new Map<string, typeof nodes>();
    for (const n of nodes) if (n.parent_id) (children.get(n.parent_id) ?? children.set(n.parent_id, []).get(n.parent_id)!).push(n);
    for (const l of children.values()) l.sort((a, b) => a.ord - b.ord);
    const sections: typeof nodes = [];
    for (const s of d.scope) {
      const n = nodes.find((x) => x.id === s);
      if (!n) continue;
      if (n.kind === 'section') sections.push(n);
      else sections.push(...(children.get(n.id) ?? []).filter((c) => c.kind === 'section'));
    }
    for (const s of sections) {
      out.push(heading(2, s.title));
      for (const t of (children.get(s.id) ?? []).filter((c) => c.kind === 'task')) {
        const ms = measures.filter((m) => m.taskId === t.id);
        if (ms.length === 0 && (d.city || d.deptId !== null)) continue;
        if (!t.section_as_task) out.push(heading(3, t.title));
        for (const m of ms) out.push(citationBlock(ctx, m, name));
      }
    }
  } else {
    // a city or department: its measures, by chapter and task
    let chapter = -1;
    let task = '';
    for (const m of measures) {
      if (m.chapterNo !== chapter) {
        chapter = m.chapterNo;
        out.push(heading(2, m.chapterTitle));
      }
      if (m.taskId !== task) {
        task = m.taskId;
        out.push(heading(3, m.taskTitle));
      }
      out.push(citationBlock(ctx, m, name));
    }
  }
  if (measures.length === 0) out.push(para('【请在此处列出重点任务】'));

  // 四、重点项目
  out.push(heading(1, '重点项目'));
  const projects = projectsInScope(ctx, d);
  out.push(
    para(
      projects.length
        ? `坚持以项目为抓手，集中力量推进${projects.length}个重点项目建设，逐一明确牵头单位、建设年限和年度计划，实行清单化管理、项目化推进（详见附件2）。`
        : '坚持以项目为抓手，结合《规划》重点任务谋划储备一批重点项目，实行清单化管理、项目化推进。',
    ),
  );

  // 五、保障措施
  out.push(heading(1, '保障措施'));
  out.push(heading(2, '加强组织领导'));
  out.push(
    para(
      '各牵头单位要切实履行牵头职责，建立工作专班，会同配合单位细化工作措施，明确时间表、路线图和责任人；' +
        '各配合单位要按照职责分工主动对接、密切配合，形成上下联动、协同推进的工作格局。',
    ),
  );
  out.push(heading(2, '强化要素保障'));
  out.push(
    para(
      '加大财政资金统筹力度，积极争取中央预算内投资、地方政府专项债券等支持，优先保障重点项目用地、用能和环境容量等要素需求，' +
        '鼓励社会资本参与项目建设和运营。',
    ),
  );
  out.push(heading(2, '严格督促落实'));
  out.push(
    para(
      '建立任务台账和定期调度机制，各责任单位每半年报送一次工作进展情况，对推进滞后的任务及时督促提醒；' +
        '将重点任务推进情况纳入年度绩效考核，确保各项任务按期完成。',
    ),
  );

  // 附件
  out.push(table('tasks', '重点任务分工表'));
  if (projects.length) out.push(table('projects', '重点项目表'));
  if (targets.length) out.push(table('indicators', '目标指标表'));
  return out;
}

// ---------------------------------------------------------------- drafts

export function listDrafts(ctx: ServiceContext, includeDeleted = false): DraftSummary[] {
  return ctx.q.drafts.drafts(includeDeleted).map(toSummary);
}

export function getDraft(ctx: ServiceContext, id: number): Draft {
  const dq = ctx.q.drafts;
  return draftOf(dq, loadDraft(dq, id, true));
}

export function createDraft(ctx: ServiceContext, input: z.output<typeof draftCreateSchema>): Draft {
  const parsed = draftCreateSchema.safeParse(input);
  if (!parsed.success) throw new ServiceError('VALIDATION', parsed.error.issues.map((i) => i.message).join('；'));
  const inp = parsed.data;
  const dq = ctx.q.drafts;
  let id = 0;
  ctx.db.transaction(() => {
    let deptName: string | null = null;
    if (inp.deptId !== undefined) {
      const d = ctx.q.dept(inp.deptId);
      if (!d) throw new ServiceError('VALIDATION', `没有编号为 ${inp.deptId} 的部门`);
      deptName = d.name;
    }
    if (inp.city !== undefined && !CITIES.includes(inp.city)) throw new ServiceError('VALIDATION', `城市应为 ${CITIES.join('、')}`);
    const field = inp.field ?? null;
    const city = inp.city ?? null;
    const deptId = inp.deptId ?? null;
    const scope = inp.kind === 'field' && field ? getFieldMapping(ctx)[field] : [];
    const info: DraftScopeInfo = { kind: inp.kind, field, city, deptId, scope };
    const title = inp.title ?? defaultTitle(inp.kind, field, city, deptName);
    const mainTo = defaultMainTo(inp.kind, city);
    const audit = new AuditWriter(ctx, '新建方案');
    id = dq.insertDraft({
      title,
      kind: inp.kind,
      field,
      city,
      dept_id: deptId,
      main_to: mainTo,
      scope: JSON.stringify(scope),
      template: inp.template,
      created_at: audit.at,
      updated_at: audit.at,
      created_by: actorName(ctx),
    });
    const planTitle = ctx.q.getSetting('plan.title') || '长株潭都市圈发展规划';
    const blocks = inp.template === 'standard' ? standardBlocks(ctx, info, deptName, planTitle) : [];
    blocks.forEach((b, i) => dq.insertBlock(id, i + 1, b));
    const row = String(id);
    audit.field(DRAFT, row, 'title', null, title);
    audit.field(DRAFT, row, 'kind', null, inp.kind);
    if (field) audit.field(DRAFT, row, 'field', null, field);
    if (city) audit.field(DRAFT, row, 'city', null, city);
    if (deptId !== null) audit.field(DRAFT, row, 'deptId', null, deptId);
    audit.field(DRAFT, row, 'mainTo', null, mainTo);
    audit.field(DRAFT, row, 'scope', null, scope);
    audit.field(DRAFT, row, 'template', null, inp.template);
    audit.field(DRAFT, row, 'blocks', null, blocks.length);
  })();
  return getDraft(ctx, id);
}

export function updateDraft(ctx: ServiceContext, input: { id: number; title?: string; mainTo?: string; scope?: string[] }): Draft {
  const dq = ctx.q.drafts;
  ctx.db.transaction(() => {
    const cur = loadDraft(dq, input.id);
    const audit = new AuditWriter(ctx, '编辑方案');
    const row = String(cur.id);
    if (input.title !== undefined) {
      const t = input.title.trim();
      if (!t) throw new ServiceError('VALIDATION', '标题不能为空');
      if (t.length > 100) throw new ServiceError('VALIDATION', '标题不能超过100字');
      if (t !== cur.title) {
        dq.updateDraftColumn(cur.id, 'title', t, audit.at);
        audit.field(DRAFT, row, 'title', cur.title, t);
      }
    }
    if (input.mainTo !== undefined) {
      const m = input.mainTo.trim().replace(/[:：]\s*$/, '');
      if (m !== cur.main_to) {
        dq.updateDraftColumn(cur.id, 'main_to', m, audit.at);
        audit.field(DRAFT, row, 'mainTo', cur.main_to, m);
      }
    }
    if (input.scope !== undefined) {
      const next = checkScopeIds(dq, input.scope, '方案范围');
      const old = parseScope(cur.scope);
      if (JSON.stringify(next) !== JSON.stringify(old)) {
        dq.updateDraftColumn(cur.id, 'scope', JSON.stringify(next), audit.at);
        audit.field(DRAFT, row, 'scope', old, next);
      }
    }
  })();
  return getDraft(ctx, input.id);
}

/** Soft delete: the draft, its blocks, versions and audit trail stay in the database. */
export function deleteDraft(ctx: ServiceContext, id: number): DraftSummary {
  const dq = ctx.q.drafts;
  ctx.db.transaction(() => {
    const cur = loadDraft(dq, id, true);
    if (cur.deleted) throw new ServiceError('CONFLICT', `方案草稿“${cur.title}”已删除`);
    const audit = new AuditWriter(ctx, '删除方案');
    dq.updateDraftColumn(id, 'deleted', 1, audit.at);
    audit.field(DRAFT, String(id), 'deleted', false, true);
  })();
  return toSummary(dq.draft(id)!);
}

// ---------------------------------------------------------------- blocks

/** Write ord 1..n for the ids in this order, touching only the rows whose ord changes. */
function renumber(dq: DraftQueries, rows: BlockDbRow[], order: number[]): void {
  const cur = new Map(rows.map((r) => [r.id, r.ord]));
  order.forEach((id, i) => {
    if (cur.get(id) !== i + 1) dq.setBlockOrd(id, i + 1);
  });
}

function positionAfter(rows: BlockDbRow[], afterId: number | null, draftId: number): number {
  if (afterId === null) return 0;
  const i = rows.findIndex((r) => r.id === afterId);
  if (i < 0) throw new ServiceError('NOT_FOUND', `方案草稿 ${draftId} 中没有编号为 ${afterId} 的段落`);
  return i + 1;
}

function needBlock(dq: DraftQueries, draftId: number, blockId: number): BlockDbRow {
  const b = dq.block(draftId, blockId);
  if (!b) throw new ServiceError('NOT_FOUND', `方案草稿 ${draftId} 中没有编号为 ${blockId} 的段落`);
  return b;
}

const TYPE_WORDS: Record<DraftBlock['type'], string> = { heading: '标题', para: '段落', citation: '引用', table: '表格' };

export function insertBlock(ctx: ServiceContext, draftId: number, afterId: number | null, block: BlockParsed | BlockInput): Draft {
  const dq = ctx.q.drafts;
  const b = block as BlockParsed;
  ctx.db.transaction(() => {
    const draft = loadDraft(dq, draftId);
    const rows = dq.blocks(draftId);
    const at = positionAfter(rows, afterId, draftId);
    const attachment = b.attachment ?? (at > 0 ? rows[at - 1].attachment === 1 : false);
    let ins: BlockInsert;
    switch (b.type) {
      case 'heading':
        if (!b.level) throw new ServiceError('VALIDATION', '标题须有级别');
        ins = heading(b.level, b.text ?? '', attachment);
        break;
      case 'para':
        ins = para(b.text ?? '', attachment);
        break;
      case 'citation': {
        if (!b.measureId) throw new ServiceError('VALIDATION', '引用须指明措施编号');
        const m = getMeasure(ctx, b.measureId);
        ins = citationBlock(ctx, m, deptNameMap(ctx), attachment);
        break;
      }
      case 'table':
        if (!b.tableKind) throw new ServiceError('VALIDATION', '表格须指明类型');
        ins = table(b.tableKind, b.text?.trim() || TABLE_KIND_LABELS[b.tableKind], attachment);
        break;
      default:
        throw new ServiceError('VALIDATION', `未知的段落类型：${String((b as { type: unknown }).type)}`);
    }
    const audit = new AuditWriter(ctx, '插入段落');
    const id = dq.insertBlock(draftId, at + 1, ins);
    renumber(dq, [...rows, { ...(ins as BlockDbRow), id, draft_id: draftId, ord: at + 1 }], [...rows.slice(0, at).map((r) => r.id), id, ...rows.slice(at).map((r) => r.id)]);
    dq.touchDraft(draft.id, audit.at);
    const row = String(id);
    audit.field(BLOCK, row, 'draftId', null, draftId);
    audit.field(BLOCK, row, 'type', null, ins.type);
    if (ins.level !== null) audit.field(BLOCK, row, 'level', null, ins.level);
    audit.field(BLOCK, row, 'text', null, ins.text);
    if (ins.measure_id) audit.field(BLOCK, row, 'measureId', null, ins.measure_id);
    if (ins.table_kind) audit.field(BLOCK, row, 'tableKind', null, ins.table_kind);
    audit.field(BLOCK, row, 'position', null, at + 1);
    if (ins.attachment) audit.field(BLOCK, row, 'attachment', null, true);
  })();
  return getDraft(ctx, draftId);
}

export function updateBlock(
  ctx: ServiceContext,
  input: { draftId: number; blockId: number; text?: string; level?: HeadingLevel; frozen?: boolean; attachment?: boolean },
): Draft {
  const dq = ctx.q.drafts;
  ctx.db.transaction(() => {
    const draft = loadDraft(dq, input.draftId);
    const b = needBlock(dq, input.draftId, input.blockId);
    const onlyFreeze = input.frozen !== undefined && input.text === undefined && input.level === undefined && input.attachment === undefined;
    const audit = new AuditWriter(ctx, onlyFreeze ? (input.frozen ? '冻结表格' : '取消冻结表格') : '编辑段落');
    const row = String(b.id);
    if (input.text !== undefined && input.text !== b.text) {
      if (b.type === 'citation') throw new ServiceError('VALIDATION', '引用的规划原文不能修改；如需改写，请插入普通段落');
      if (input.text.length > 20000) throw new ServiceError('VALIDATION', '段落不能超过20000字');
      dq.updateBlockColumn(b.id, 'text', input.text);
      audit.field(BLOCK, row, 'text', b.text, input.text);
    }
    if (input.level !== undefined && input.level !== b.level) {
      if (b.type !== 'heading') throw new ServiceError('VALIDATION', `${TYPE_WORDS[b.type]}没有级别，只有标题可以设置级别`);
      dq.updateBlockColumn(b.id, 'level', input.level);
      audit.field(BLOCK, row, 'level', b.level, input.level);
    }
    if (input.frozen !== undefined && input.frozen !== (b.frozen === 1)) {
      if (b.type !== 'table') throw new ServiceError('VALIDATION', '只有表格可以冻结');
      if (input.frozen) {
        const live = liveTable(ctx, scopeInfo(draft), b.table_kind!);
        dq.updateBlockColumn(b.id, 'frozen_rows', JSON.stringify({ columns: live.columns, rows: live.rows } satisfies FrozenRows));
        dq.updateBlockColumn(b.id, 'frozen', 1);
        audit.field(BLOCK, row, 'frozenRows', null, live.rows.length);
      } else {
        dq.updateBlockColumn(b.id, 'frozen', 0);
        dq.updateBlockColumn(b.id, 'frozen_rows', null);
      }
      audit.field(BLOCK, row, 'frozen', b.frozen === 1, input.frozen);
    }
    if (input.attachment !== undefined && input.attachment !== (b.attachment === 1)) {
      dq.updateBlockColumn(b.id, 'attachment', input.attachment ? 1 : 0);
      audit.field(BLOCK, row, 'attachment', b.attachment === 1, input.attachment);
    }
    if (audit.count) dq.touchDraft(draft.id, audit.at);
  })();
  return getDraft(ctx, input.draftId);
}

export function moveBlock(ctx: ServiceContext, draftId: number, blockId: number, afterId: number | null): Draft {
  const dq = ctx.q.drafts;
  ctx.db.transaction(() => {
    const draft = loadDraft(dq, draftId);
    needBlock(dq, draftId, blockId);
    if (afterId === blockId) throw new ServiceError('VALIDATION', '不能把段落移到它自己之后');
    const rows = dq.blocks(draftId);
    const from = rows.findIndex((r) => r.id === blockId);
    const rest = rows.filter((r) => r.id !== blockId);
    const at = positionAfter(rest, afterId, draftId);
    const order = [...rest.slice(0, at).map((r) => r.id), blockId, ...rest.slice(at).map((r) => r.id)];
    if (at === from) return;
    const audit = new AuditWriter(ctx, '移动段落');
    renumber(dq, rows, order);
    dq.touchDraft(draft.id, audit.at);
    audit.field(BLOCK, String(blockId), 'position', from + 1, at + 1);
  })();
  return getDraft(ctx, draftId);
}

export function deleteBlock(ctx: ServiceContext, draftId: number, blockId: number): Draft {
  const dq = ctx.q.drafts;
  ctx.db.transaction(() => {
    const draft = loadDraft(dq, draftId);
    const b = needBlock(dq, draftId, blockId);
    const rows = dq.blocks(draftId);
    const audit = new AuditWriter(ctx, '删除段落');
    dq.deleteBlock(blockId);
    renumber(
      dq,
      rows,
      rows.filter((r) => r.id !== blockId).map((r) => r.id),
    );
    dq.touchDraft(draft.id, audit.at);
    const row = String(blockId);
    audit.field(BLOCK, row, 'type', b.type, null);
    audit.field(BLOCK, row, 'text', b.text, null);
    if (b.measure_id) audit.field(BLOCK, row, 'measureId', b.measure_id, null);
    if (b.table_kind) audit.field(BLOCK, row, 'tableKind', b.table_kind, null);
    audit.field(BLOCK, row, 'position', rows.findIndex((r) => r.id === blockId) + 1, null);
  })();
  return getDraft(ctx, draftId);
}

// ---------------------------------------------------------------- versions

type StoredBlock = Omit<BlockDbRow, 'draft_id' | 'ord'>;

function snapshotBlocks(rows: BlockDbRow[]): StoredBlock[] {
  return rows.map(({ draft_id: _d, ord: _o, ...rest }) => rest);
}

function toVersion(v: { id: number; draft_id: number; name: string; created_at: string; actor: string }): DraftVersion {
  return { id: v.id, draftId: v.draft_id, name: v.name, createdAt: v.created_at, actor: v.actor };
}

function writeVersion(ctx: ServiceContext, dq: DraftQueries, draftId: number, name: string, audit: AuditWriter): number {
  const vid = dq.insertVersion({
    draft_id: draftId,
    name,
    created_at: audit.at,
    actor: actorName(ctx),
    content: JSON.stringify(snapshotBlocks(dq.blocks(draftId))),
  });
  audit.field(DRAFT, String(draftId), 'version', null, `${vid} ${name}`);
  return vid;
}

export function saveVersion(ctx: ServiceContext, draftId: number, name: string): DraftVersion {
  const dq = ctx.q.drafts;
  const n = name.trim();
  if (!n) throw new ServiceError('VALIDATION', '版本名称不能为空');
  if (n.length > 60) throw new ServiceError('VALIDATION', '版本名称不能超过60字');
  let vid = 0;
  ctx.db.transaction(() => {
    loadDraft(dq, draftId);
    const audit = new AuditWriter(ctx, '保存版本');
    vid = writeVersion(ctx, dq, draftId, n, audit);
    dq.touchDraft(draftId, audit.at);
  })();
  return toVersion(dq.version(draftId, vid)!);
}

export function listVersions(ctx: ServiceContext, draftId: number): DraftVersion[] {
  const dq = ctx.q.drafts;
  loadDraft(dq, draftId, true);
  return dq.versions(draftId).map(toVersion);
}

function versionBlocks(dq: DraftQueries, draftId: number, versionId: number): { name: string; blocks: StoredBlock[] } {
  const v = dq.version(draftId, versionId);
  if (!v) throw new ServiceError('NOT_FOUND', `方案草稿 ${draftId} 没有编号为 ${versionId} 的版本`);
  return { name: v.name, blocks: JSON.parse(v.content) as StoredBlock[] };
}

/** Put a version's blocks back (under their own ids), after saving the current ones as a version. */
export function restoreVersion(ctx: ServiceContext, draftId: number, versionId: number): Draft {
  const dq = ctx.q.drafts;
  ctx.db.transaction(() => {
    loadDraft(dq, draftId);
    const { name, blocks } = versionBlocks(dq, draftId, versionId);
    const audit = new AuditWriter(ctx, '恢复版本');
    writeVersion(ctx, dq, draftId, AUTO_VERSION_NAME, audit);
    dq.deleteBlocksOf(draftId);
    blocks.forEach((b, i) => dq.insertBlock(draftId, i + 1, b));
    dq.touchDraft(draftId, audit.at);
    audit.field(DRAFT, String(draftId), 'restoredFrom', null, `${versionId} ${name}`);
    audit.field(DRAFT, String(draftId), 'blocks', null, blocks.length);
  })();
  return getDraft(ctx, draftId);
}

function blockLine(b: StoredBlock, numbers: Record<number, string>): string {
  if (b.type === 'heading') return `${numbers[b.id] ?? ''}${b.text}`;
  if (b.type === 'table') return `〔${b.attachment ? '附件' : ''}表格：${b.text || TABLE_KIND_LABELS[b.table_kind!]}${b.frozen ? '（已冻结）' : ''}〕`;
  if (b.type === 'citation') return `${b.text}（${b.citation ?? ''}）`;
  return b.text;
}

/**
 * Two versions (or a version and the current text) side by side: the block lists aligned by a
 * longest common subsequence over block ids; a block in both with another text or level is
 * 'changed', one only on the left 'removed', only on the right 'added'.
 */
export function compareVersions(ctx: ServiceContext, draftId: number, left: number | 'current', right: number | 'current'): DraftCompare {
  const dq = ctx.q.drafts;
  loadDraft(dq, draftId, true);
  const side = (v: number | 'current') =>
    v === 'current' ? { name: '当前内容', blocks: snapshotBlocks(dq.blocks(draftId)) } : versionBlocks(dq, draftId, v);
  const L = side(left);
  const R = side(right);
  const a = L.blocks;
  const b = R.blocks;
  if (a.length > MAX_COMPARE_BLOCKS || b.length > MAX_COMPARE_BLOCKS) throw new ServiceError('VALIDATION', `方案超过${MAX_COMPARE_BLOCKS}段，无法比较`);
  const numA = numberHeadings(a.map((x) => toBlock(x)));
  const numB = numberHeadings(b.map((x) => toBlock(x)));
  // LCS table over ids, from the end
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const dp = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i * w + j] = a[i].id === b[j].id ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
  const rows: CompareRow[] = [];
  const counts: Record<CompareKind, number> = { same: 0, added: 0, removed: 0, changed: 0 };
  const push = (kind: CompareKind, l: string | null, r: string | null) => {
    rows.push({ kind, left: l, right: r });
    counts[kind]++;
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i].id === b[j].id) {
      const same = a[i].text === b[j].text && a[i].level === b[j].level;
      push(same ? 'same' : 'changed', blockLine(a[i], numA), blockLine(b[j], numB));
      i++;
      j++;
    } else if (j < m && (i >= n || dp[i * w + j + 1] >= dp[(i + 1) * w + j])) {
      push('added', null, blockLine(b[j], numB));
      j++;
    } else {
      push('removed', blockLine(a[i], numA), null);
      i++;
    }
  }
  const label = (v: number | 'current', s: { name: string }) => (v === 'current' ? s.name : `${s.name}（版本${v}）`);
  return { left: label(left, L), right: label(right, R), rows, counts };
}

/** Rows of each live table kind for this draft now (what an export of a live table would hold). */
export function draftTableCounts(ctx: ServiceContext, draftId: number): DraftTableCounts {
  const info = scopeInfo(loadDraft(ctx.q.drafts, draftId, true));
  return {
    tasks: info.scope.length === 0 && !info.city && info.deptId === null ? 0 : ctx.q.countMeasuresInScope(info.scope, info.city ?? null, info.deptId),
    projects: projectsInScope(ctx, info).length,
    indicators: liveTable(ctx, info, 'indicators').rows.length,
  };
}

// ---------------------------------------------------------------- gaps

/**
 * Measures of the draft's scope that no citation block cites (a live task table does not count:
 * see the top of this file), and cited measures whose allocation changed since they were cited.
 */
export function draftGaps(ctx: ServiceContext, draftId: number): DraftGaps {
  const dq = ctx.q.drafts;
  const draft = loadDraft(dq, draftId, true);
  const blocks = dq.blocks(draftId);
  const cited = new Set(blocks.filter((b) => b.type === 'citation' && b.measure_id).map((b) => b.measure_id!));
  const inScope = measuresInScope(ctx, scopeInfo(draft));
  const uncovered = inScope.filter((m) => !cited.has(m.id)).map((m) => ({ id: m.id, taskId: m.taskId, taskTitle: m.taskTitle, text: m.text }));
  // the cited measures: mostly those of the scope, already read; the others read by id
  const byId = new Map(inScope.map((m) => [m.id, m]));
  for (const m of getMeasures(ctx, [...cited].filter((id) => !byId.has(id)))) byId.set(m.id, m);
  const name = deptNameMap(ctx);
  const changed: DraftGaps['changed'] = [];
  for (const b of blocks) {
    if (b.type !== 'citation' || !b.measure_id || !b.cited_snapshot) continue;
    const m = byId.get(b.measure_id);
    if (!m) continue;
    const then = JSON.parse(b.cited_snapshot) as Partial<Snapshot>;
    const now = snapshotOf(m, name);
    const fields: { field: string; then: string; now: string }[] = [];
    for (const k of Object.keys(SNAPSHOT_LABELS) as (keyof Snapshot)[]) {
      const t = then[k] ?? '';
      if (t !== now[k]) fields.push({ field: SNAPSHOT_LABELS[k], then: t, now: now[k] });
    }
    if (fields.length) changed.push({ blockId: b.id, measureId: b.measure_id, fields });
  }
  return { uncovered, changed };
}

// ---------------------------------------------------------------- words for the exporters

/** 第六章第一节 … as the scope of a draft reads in a file name or note. */
export function scopeLabel(ctx: ServiceContext, scope: string[]): string {
  return scope
    .map((s) => {
      const n = ctx.q.node(s);
      if (!n) return s;
      if (n.kind === 'chapter') return chapterLabel(n.no ?? 0);
      const ch = ctx.q.node(n.parent_id ?? '');
      return `${ch ? chapterLabel(ch.no ?? 0) : ''}${sectionLabel(n.no ?? 0)}`;
    })
    .join('、');
}

export { scopeInfo };
export type { DraftScopeInfo };

/** The drafts.* channels (shared/ipc/channels/drafts.ts). */
export const draftsHandlers: HandlerTable<ChannelsOf<'drafts'>> = {
  'drafts.list': (ctx, i) => listDrafts(ctx, i.includeDeleted),
  'drafts.create': (ctx, i) => createDraft(ctx, i),
  'drafts.get': (ctx, i) => getDraft(ctx, i.id),
  'drafts.update': (ctx, i) => updateDraft(ctx, i),
  'drafts.delete': (ctx, i) => deleteDraft(ctx, i.id),
  'drafts.insertBlock': (ctx, i) => insertBlock(ctx, i.draftId, i.afterId, i.block),
  'drafts.updateBlock': (ctx, i) => updateBlock(ctx, i),
  'drafts.moveBlock': (ctx, i) => moveBlock(ctx, i.draftId, i.blockId, i.afterId),
  'drafts.deleteBlock': (ctx, i) => deleteBlock(ctx, i.draftId, i.blockId),
  'drafts.saveVersion': (ctx, i) => saveVersion(ctx, i.draftId, i.name),
  'drafts.listVersions': (ctx, i) => listVersions(ctx, i.draftId),
  'drafts.compare': (ctx, i) => compareVersions(ctx, i.draftId, i.left, i.right),
  'drafts.restoreVersion': (ctx, i) => restoreVersion(ctx, i.draftId, i.versionId),
  'drafts.gaps': (ctx, i) => draftGaps(ctx, i.draftId),
  'drafts.tableCounts': (ctx, i) => draftTableCounts(ctx, i.draftId),
  'drafts.getFieldMapping': (ctx) => getFieldMapping(ctx),
  'drafts.setFieldMapping': (ctx, i) => setFieldMapping(ctx, i.mapping),
};
