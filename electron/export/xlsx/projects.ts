// 重点建设项目台账: the projects as a styled, print-ready workbook from PROJECT_COLUMNS (the same
// writer and look as the 任务分工台账), with drop-downs for 类别, 建设阶段, 牵头单位 and 所在城市,
// 项目编号 locked, and the hidden _meta (kind projects, version, time, scope, the year of the
// 年度计划投资 / 本年完成投资 columns and each row's values at export) for the three-way import.
import { CITIES, type City } from '../../../shared/domain';
import { LIST_SEPARATOR } from '../../../shared/ledger';
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN, PROJECT_CATEGORIES, PROJECT_COLUMNS, PROJECT_STAGES, type Project, type ProjectColumn } from '../../../shared/projects';
import { PROJECT_EDITABLE_COLUMNS, projectCellValue, projectFieldValueOf } from '../../../shared/import';
import { listProjects, defaultProjectYear } from '../../services/projects';
import { listDepartments } from '../../services/departments';
import { ServiceError, type ServiceContext } from '../../core/context';
import pkg from '../../../package.json';
import { dateStamp, fileSafe, pairs, textUnits, writeLedgerWorkbook, type WriterColumn } from './sheet';

export const PROJECTS_SHEET = '重点建设项目台账';
export const PROJECTS_META_FORMAT = 'czt-projects/1';

export interface ProjectsExportOptions {
  city?: City;
  /** one of PROJECT_CATEGORIES */
  category?: string;
  /** the lead department */
  deptId?: number;
  /** the year of the 年度计划投资 / 本年完成投资 columns; default this year */
  year?: number;
}

export interface ProjectsScope {
  city?: City;
  category?: string;
  deptId?: number;
  deptName?: string;
}

export interface XlsxExport {
  buffer: Buffer;
  rows: number;
  fileName: string;
}

/** The projects an export covers (not deleted; by city, category, lead department) and its label. */
export function projectScope(
  ctx: ServiceContext,
  opts: ProjectsExportOptions,
): { scope: ProjectsScope; label: string; year: number; projects: Project[] } {
  const year = opts.year ?? defaultProjectYear();
  if (!Number.isInteger(year) || year < PLAN_YEAR_MIN || year > PLAN_YEAR_MAX)
    throw new ServiceError('VALIDATION', `年份应在${PLAN_YEAR_MIN}—${PLAN_YEAR_MAX}之间`);
  const scope: ProjectsScope = {};
  const labels: string[] = [];
  const tests: ((p: Project) => boolean)[] = [(p) => !p.deleted];
  if (opts.deptId !== undefined) {
    const d = listDepartments(ctx, true).find((x) => x.id === opts.deptId);
    if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${opts.deptId} 的部门`);
    scope.deptId = d.id;
    scope.deptName = d.name;
    labels.push(`${d.name}牵头`);
    tests.push((p) => p.leadId === d.id);
  }
  if (opts.city !== undefined) {
    if (!CITIES.includes(opts.city)) throw new ServiceError('VALIDATION', `城市应为 ${CITIES.join('、')}`);
    scope.city = opts.city;
    labels.push(opts.city);
    const city = opts.city;
    tests.push((p) => p.cities.includes(city));
  }
  if (opts.category !== undefined) {
    if (!(PROJECT_CATEGORIES as readonly string[]).includes(opts.category))
      throw new ServiceError('VALIDATION', `项目类别应为 ${PROJECT_CATEGORIES.join('、')}`);
    scope.category = opts.category;
    labels.push(`${opts.category}类`);
    const cat = opts.category;
    tests.push((p) => p.category === cat);
  }
  const projects = listProjects(ctx, { year }).filter((p) => tests.every((t) => t(p)));
  return { scope, label: labels.join('·'), year, projects };
}

function writerColumn(c: ProjectColumn): WriterColumn {
  // a short money header such as 总投资（亿元） reads better on one line than broken before its ）
  const units = textUnits(c.header);
  const col: WriterColumn = {
    header: c.header,
    width: c.type === 'money' && units < 14 && c.width < units + 1 ? Math.ceil(units + 1) : c.width,
    editable: c.editable,
    locked: c.type === 'id',
    shaded: c.type === 'id',
    align: c.type === 'id' || c.type === 'stage' || c.type === 'category' || c.type === 'year' || c.type === 'source' ? 'center' : c.type === 'money' ? 'right' : 'left',
    numFmt: c.type === 'money' ? '0.00' : c.type === 'year' ? '0' : undefined,
  };
  if (c.type === 'category')
    col.list = { values: PROJECT_CATEGORIES, allowBlank: false, errorStyle: 'stop', title: '类别', error: `请从下拉列表选择：${PROJECT_CATEGORIES.join('、')}`, prompt: PROJECT_CATEGORIES.join('、') };
  if (c.type === 'stage')
    col.list = { values: PROJECT_STAGES, allowBlank: false, errorStyle: 'stop', title: '建设阶段', error: `请从下拉列表选择：${PROJECT_STAGES.join('、')}`, prompt: PROJECT_STAGES.join('、') };
  if (c.type === 'dept')
    col.list = { allowBlank: true, errorStyle: 'warning', title: '牵头单位', error: '该单位不在工作台的单位清单中，导入时将提示核对。仍要填写吗？' };
  if (c.type === 'cities')
    col.list = {
      values: [...CITIES, ...pairs(CITIES, LIST_SEPARATOR), CITIES.join(LIST_SEPARATOR)],
      allowBlank: true,
      errorStyle: 'warning',
      title: '所在城市',
      error: `所在城市应为 ${CITIES.join('、')}，多个用“、”分隔`,
    };
  return col;
}

/**
 * 重点建设项目台账 for all projects or those of one city, category or lead department. The
 * 年度计划投资 and 本年完成投资 columns hold `year`'s amounts (default this year).
 */
export async function exportProjects(
  ctx: ServiceContext,
  opts: { city?: City; category?: string; deptId?: number; year?: number } = {},
): Promise<XlsxExport> {
  const { scope, label, year, projects } = projectScope(ctx, opts);
  const allDepts = listDepartments(ctx, true);
  const names = new Map(allDepts.map((d) => [d.id, d.name]));
  const deptName = (id: number) => names.get(id) ?? `（部门${id}）`;
  const activeNames = allDepts.filter((d) => d.state === '在用').map((d) => d.name);
  const now = new Date();
  const total = (f: (p: Project) => number | null) => Math.round(projects.reduce((s, p) => s + (f(p) ?? 0), 0) * 100) / 100;

  const note =
    `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${projects.length} 个项目，总投资 ${total((p) => p.totalInvestment)} 亿元，` +
    `${year}年计划投资 ${total((p) => p.yearPlanned)} 亿元、已完成 ${total((p) => p.yearCompleted)} 亿元　` +
    `填报说明：请勿修改“项目编号”列（据此导回工作台）；金额单位为亿元，“年度计划投资”“本年完成投资”均指${year}年；` +
    `类别、建设阶段请从下拉列表选择；多个城市用“${LIST_SEPARATOR}”分隔；灰色表头的列仅供参考，不导入；新增项目请另行报送，导入时不会新建项目。`;

  const buffer = await writeLedgerWorkbook({
    sheetName: PROJECTS_SHEET,
    workbookTitle: '长株潭都市圈重点建设项目台账',
    title: `长株潭都市圈重点建设项目台账（${year}年度${label ? `，${label}` : ''}）`,
    note,
    columns: PROJECT_COLUMNS.map(writerColumn),
    rows: projects.map((p) => PROJECT_COLUMNS.map((c) => projectCellValue(c, p, deptName))),
    freezeCols: 2,
    tabColor: 'FF375623',
    protect: true,
    deptNames: activeNames,
    now,
    meta: {
      kv: [
        ['format', PROJECTS_META_FORMAT],
        ['kind', 'projects'],
        ['version', String(pkg.version)],
        ['exportedAt', now.toISOString()],
        ['scope', JSON.stringify(scope)],
        ['scopeLabel', label || '全部'],
        ['year', String(year)],
        ['rows', String(projects.length)],
      ],
      base: {
        header: ['id', ...PROJECT_EDITABLE_COLUMNS.map((c) => c.key)],
        rows: projects.map((p) => [p.id, ...PROJECT_EDITABLE_COLUMNS.map((c) => JSON.stringify(projectFieldValueOf(c, p)))]),
      },
    },
  });
  const fileName = `重点建设项目台账-${fileSafe(label || '全部')}-${year}年度-${dateStamp(now)}.xlsx`;
  return { buffer, rows: projects.length, fileName };
}
