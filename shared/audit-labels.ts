// How audit rows name what changed, in Chinese: the history page and the undo service's
// messages use the same words.

export const AUDIT_TABLE_LABELS: Record<string, string> = {
  measure: '措施',
  project: '项目',
  department: '部门',
  indicator_actual: '指标',
  setting: '设置',
};

export const MEASURE_AUDIT_FIELDS: Record<string, string> = {
  /** the ordered list of leads (issue 21) */
  leadIds: '牵头单位',
  /** one lead, as audit rows before joint leads (migration 10) recorded it: still shown and restorable */
  leadId: '牵头单位（旧记录）',
  leadConfirmed: '牵头单位已确认',
  coIds: '配合单位',
  cities: '涉及城市',
  deadline: '完成时限',
  status: '推进状态',
  progress: '进展情况',
  note: '备注',
};

export const PROJECT_AUDIT_FIELDS: Record<string, string> = {
  name: '项目名称',
  category: '类别',
  stage: '阶段',
  startYear: '开工年份',
  endYear: '完工年份',
  totalInvestment: '总投资（亿元）',
  leadId: '牵头单位',
  location: '建设地点',
  progressText: '形象进度',
  problems: '存在问题',
  taskId: '所在任务',
  cities: '涉及城市',
  linkedTaskIds: '关联任务',
  deleted: '已删除',
  source: '来源',
};

const DEPARTMENT_FIELDS: Record<string, string> = { name: '名称', state: '状态', mergedInto: '并入' };
const INDICATOR_PARTS: Record<string, string> = { value: '实际值', source: '数据来源', note: '说明' };

/** The Chinese name of an audited field: 完成时限, 2024年计划投资, 2023年实际值 … */
export function auditFieldLabel(tbl: string, field: string): string {
  if (tbl === 'measure') return MEASURE_AUDIT_FIELDS[field] ?? field;
  if (tbl === 'project') {
    const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(field);
    if (y) return `${y[1]}年${y[2] === 'planned' ? '计划投资' : '完成投资'}`;
    return PROJECT_AUDIT_FIELDS[field] ?? field;
  }
  if (tbl === 'department') return DEPARTMENT_FIELDS[field] ?? field;
  if (tbl === 'indicator_actual') {
    const m = /^(\d{4})\.(value|source|note)$/.exec(field);
    if (m) return `${m[1]}年${INDICATOR_PARTS[m[2]]}`;
  }
  return field;
}
