// Project grid: cell text, paste conversion, undo snapshots and the cell editors/renderers.
// Built on the allocation grid's helpers (TSV parsing, department index and name resolution).
import type { CustomCellEditorProps, CustomCellRendererProps } from 'ag-grid-react';
import { CITIES, type City, type Department } from '../../../shared/domain';
import { LIST_SEPARATOR, LIST_SPLIT_RE } from '../../../shared/ledger';
import {
  PROJECT_CATEGORIES,
  PROJECT_STAGES,
  type Project,
  type ProjectCategory,
  type ProjectColumn,
  type ProjectEdit,
  type ProjectPatch,
  type ProjectStage,
} from '../../../shared/projects';
import { deptName, normalizeCity, resolveDept, type DeptIndex } from '../alloc/clipboard';
import { CityPicker, DeptPicker } from './Pickers';

export interface ProjectGridCtx {
  idx: DeptIndex;
  departments: Department[];
  applyEdits(edits: ProjectEdit[], op: string): Promise<boolean>;
  openCard(id: string): void;
}

type Conv<T> = { ok: true; value: T } | { ok: false; reason: string };

export function moneyText(v: number | null | undefined): string {
  if (v == null) return '';
  return String(Math.round(v * 10000) / 10000);
}

/** Text form of a cell, as shown, sorted, filtered and copied. */
export function projectCellText(col: ProjectColumn, p: Project, idx: DeptIndex): string {
  switch (col.key) {
    case 'lead':
      return deptName(idx, p.leadId);
    case 'cities':
      return p.cities.join(LIST_SEPARATOR);
    case 'task':
      return p.taskId ? `${p.taskId} ${p.taskTitle ?? ''}`.trim() : '';
    case 'source':
      return p.added ? '新增' : '规划';
    case 'quote':
      return p.quote ?? '';
    case 'years':
      return p.startYear || p.endYear ? `${p.startYear ?? ''}—${p.endYear ?? ''}` : '';
    default: {
      const v = p[col.key as keyof Project];
      if (v == null) return '';
      if (col.type === 'money') return moneyText(v as number);
      return String(v);
    }
  }
}

/** Parse a number as staff type it: 1,234.5 / 12.5亿元 / （空） → null. undefined: not a number. */
export function parseNumber(raw: string): number | null | undefined {
  const s = raw.trim().replace(/[,，\s]/g, '').replace(/(亿元|亿|年)$/, '');
  if (!s) return null;
  if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Merge patch b into a (year plans merged by year). */
export function mergePatch(a: ProjectPatch, b: ProjectPatch): ProjectPatch {
  const { yearPlans: ya, ...ra } = a;
  const { yearPlans: yb, ...rb } = b;
  const out: ProjectPatch = { ...ra, ...rb };
  if (ya || yb) {
    const m = new Map<number, { year: number; planned?: number | null; completed?: number | null }>();
    for (const y of [...(ya ?? []), ...(yb ?? [])]) m.set(y.year, { ...(m.get(y.year) ?? { year: y.year }), ...y });
    out.yearPlans = [...m.values()].sort((x, y) => x.year - y.year);
  }
  return out;
}

/** The patch a value for one column makes (typed editors and paste both end here). */
export function patchForValue(col: ProjectColumn, value: unknown, p: Project, idx: DeptIndex): Conv<ProjectPatch> {
  const raw = value == null ? '' : String(value);
  const text = raw.trim();
  switch (col.type) {
    case 'text':
      if (col.key === 'name') return text ? { ok: true, value: { name: text } } : { ok: false, reason: '项目名称不能为空' };
      if (col.key === 'location') return { ok: true, value: { location: text } };
      return { ok: false, reason: '该列不可编辑' };
    case 'longtext':
      if (col.key === 'progressText') return { ok: true, value: { progressText: raw } };
      if (col.key === 'problems') return { ok: true, value: { problems: raw } };
      return { ok: false, reason: '该列不可编辑' };
    case 'category':
      if (!(PROJECT_CATEGORIES as readonly string[]).includes(text))
        return { ok: false, reason: `“${text}”不是有效类别（${PROJECT_CATEGORIES.join('、')}）` };
      return { ok: true, value: { category: text as ProjectCategory } };
    case 'stage':
      if (!(PROJECT_STAGES as readonly string[]).includes(text))
        return { ok: false, reason: `“${text}”不是有效阶段（${PROJECT_STAGES.join('、')}）` };
      return { ok: true, value: { stage: text as ProjectStage } };
    case 'year': {
      const n = typeof value === 'number' ? value : parseNumber(text);
      if (n === undefined || (n !== null && (!Number.isInteger(n) || n < 1990 || n > 2100)))
        return { ok: false, reason: `“${text}”不是有效年份（如 2025）` };
      return { ok: true, value: col.key === 'startYear' ? { startYear: n } : { endYear: n } };
    }
    case 'money': {
      const n = typeof value === 'number' ? value : parseNumber(text);
      if (n === undefined || (n !== null && (!Number.isFinite(n) || n < 0 || n > 100000)))
        return { ok: false, reason: `“${text}”不是有效金额（亿元，不小于 0）` };
      if (col.key === 'totalInvestment') return { ok: true, value: { totalInvestment: n } };
      if (col.key === 'yearPlanned') return { ok: true, value: { yearPlans: [{ year: p.year, planned: n }] } };
      if (col.key === 'yearCompleted') return { ok: true, value: { yearPlans: [{ year: p.year, completed: n }] } };
      return { ok: false, reason: '该列由系统计算，不可编辑' };
    }
    case 'dept': {
      if (!text) return { ok: true, value: { leadId: null } };
      const r = resolveDept(idx, text);
      return r.ok ? { ok: true, value: { leadId: r.value.id } } : r;
    }
    case 'cities': {
      const parts = text ? text.split(LIST_SPLIT_RE).filter(Boolean) : [];
      const out: City[] = [];
      for (const part of parts) {
        const c = normalizeCity(part);
        if (!c) return { ok: false, reason: `“${part}”不是长沙市、株洲市或湘潭市` };
        if (!out.includes(c)) out.push(c);
      }
      return { ok: true, value: { cities: CITIES.filter((c) => out.includes(c)) } };
    }
    default:
      return { ok: false, reason: '该列不可编辑' };
  }
}

type RendererProps = CustomCellRendererProps<Project, unknown, ProjectGridCtx>;
type EditorProps = CustomCellEditorProps<Project, unknown, ProjectGridCtx>;

export function SourceRenderer(p: RendererProps) {
  const d = p.data;
  if (!d) return null;
  return (
    <span className="proj-source">
      {d.added ? (
        <span className="badge-added" data-testid="badge-added" title="工作人员新增的项目（规划未列明）">
          新增
        </span>
      ) : (
        <span className="badge-plan" data-testid="badge-plan" title="规划明确的项目，带规划原文">
          规划
        </span>
      )}
      {d.deleted && <span className="badge-deleted">已删除</span>}
    </span>
  );
}

export function NameRenderer(p: RendererProps) {
  const d = p.data;
  if (!d) return null;
  return (
    <span className="proj-name">
      {d.added ? (
        <span className="badge-added" data-testid="badge-added" title="工作人员新增的项目（规划未列明）">
          新增
        </span>
      ) : (
        <span className="badge-plan" data-testid="badge-plan" title="规划明确的项目，带规划原文">
          规划
        </span>
      )}
      <span className="proj-name-text">{d.name}</span>
    </span>
  );
}

export function IdRenderer(p: RendererProps) {
  const d = p.data;
  if (!d) return null;
  return (
    <span className="proj-id">
      <span>{d.id}</span>
      <button
        className="card-open"
        title="打开项目卡片（Enter）"
        data-testid="project-open-card"
        onClick={(e) => {
          e.stopPropagation();
          p.context.openCard(d.id);
        }}
        onDoubleClick={(e) => e.stopPropagation()}
      >
        卡片
      </button>
    </span>
  );
}

export function LeadCellRenderer(p: RendererProps) {
  const d = p.data;
  if (!d) return null;
  if (d.leadId == null) return <span className="cell-empty">未指定</span>;
  const dept = p.context.idx.byId.get(d.leadId);
  if (!dept) return <span className="dept-missing">#{d.leadId}</span>;
  if (dept.state !== '在用') return <span className="dept-inactive">{dept.name}（{dept.state}）</span>;
  return <span>{dept.name}</span>;
}

export function ProjectDeptEditor(p: EditorProps) {
  const d = p.data;
  const ctx = p.context;
  if (!d) return null;
  return (
    <div className="cell-popup">
      <DeptPicker
        departments={ctx.departments}
        multi={false}
        allowClear
        value={d.leadId != null ? [d.leadId] : []}
        onCancel={() => p.stopEditing(true)}
        onOk={(ids) => {
          p.stopEditing(true);
          void ctx.applyEdits([{ projectId: d.id, patch: { leadId: ids[0] ?? null } }], '编辑');
        }}
      />
    </div>
  );
}

export function ProjectCityEditor(p: EditorProps) {
  const d = p.data;
  const ctx = p.context;
  if (!d) return null;
  return (
    <div className="cell-popup">
      <CityPicker
        value={d.cities}
        onCancel={() => p.stopEditing(true)}
        onOk={(cities) => {
          p.stopEditing(true);
          void ctx.applyEdits([{ projectId: d.id, patch: { cities } }], '编辑');
        }}
      />
    </div>
  );
}
