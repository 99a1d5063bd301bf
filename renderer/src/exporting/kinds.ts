// The documents the export centre makes (which options each takes, its default title, its rows'
// unit), a scope per document type, and small helpers: the progress line's words, a browser download.
import type { City, PlanTreeNode } from '../../../shared/domain';
import type { ExportKind, ExportProgressEvent } from '../../../shared/ipc/contract';
import type { UnconfirmedMode } from '../../../shared/ledger';

export interface KindInfo {
  kind: ExportKind;
  label: string;
  format: 'Word' | 'Excel';
  desc: string;
  /** which options apply */
  dept: 'none' | 'optional' | 'required';
  role: boolean;
  city: boolean;
  chapter: boolean;
  date: '' | 'report' | 'signed';
  due: boolean;
  title: string;
  preamble: boolean;
  rowsUnit: string;
}

export const KINDS: KindInfo[] = [
  {
    kind: 'allocation.docx',
    label: '任务分工方案',
    format: 'Word',
    desc: '标题、导语，按章列出 序号/重点任务/具体措施/牵头单位/配合单位/完成时限',
    dept: 'optional',
    role: true,
    city: true,
    chapter: true,
    date: '',
    due: false,
    title: '长株潭都市圈发展规划重点任务分工方案',
    preamble: true,
    rowsUnit: '项具体措施',
  },
  {
    kind: 'briefing.docx',
    label: '工作进展情况报告',
    format: 'Word',
    desc: '按报告日期时各措施的状态和进展成文，并与上一次报告比较',
    dept: 'optional',
    role: true,
    city: true,
    chapter: true,
    date: 'report',
    due: false,
    title: '长株潭都市圈发展规划重点任务工作进展情况报告',
    preamble: false,
    rowsUnit: '项措施',
  },
  {
    kind: 'dept-letter.docx',
    label: '部门任务清单',
    format: 'Word',
    desc: '发给一个部门的通知：其牵头和配合的措施清单，随台账一并下发',
    dept: 'required',
    role: false,
    city: true,
    chapter: true,
    date: 'signed',
    due: true,
    title: '关于报送长株潭都市圈发展规划重点任务落实情况的通知',
    preamble: false,
    rowsUnit: '项措施',
  },
  {
    kind: 'ledger.xlsx',
    label: '任务分工台账',
    format: 'Excel',
    desc: '可打印的台账，部门填写后可在“导入”中导回；编号列已锁定',
    dept: 'optional',
    role: false,
    city: true,
    chapter: true,
    date: '',
    due: false,
    title: '',
    preamble: false,
    rowsUnit: '行措施',
  },
  {
    kind: 'projects.xlsx',
    label: '重点建设项目台账',
    format: 'Excel',
    desc: '项目的类别、阶段、投资与形象进度，牵头单位填写后可在“导入”中导回；项目编号列已锁定',
    dept: 'optional',
    role: false,
    city: true,
    chapter: false,
    date: '',
    due: false,
    title: '',
    preamble: false,
    rowsUnit: '个项目',
  },
  {
    kind: 'indicators.xlsx',
    label: '目标指标表',
    format: 'Excel',
    desc: '2025年目标、2021年基期、历年实际值、最新值与状态，附规划原文依据',
    dept: 'none',
    role: false,
    city: false,
    chapter: false,
    date: '',
    due: false,
    title: '',
    preamble: false,
    rowsUnit: '项指标',
  },
];

export const ROLE_LABEL = { all: '全部（牵头和配合）', lead: '牵头', co: '配合' } as const;

/** The scope of one document type: each type keeps its own (a department chosen for 部门任务清单 is not the scheme's). */
export interface Scope {
  deptId?: number;
  role: 'all' | 'lead' | 'co';
  city: City | '';
  chapter: string;
}
export const NO_SCOPE: Scope = { role: 'all', city: '', chapter: '' };

export const UNCONFIRMED_LABEL: Record<UnconfirmedMode, string> = {
  mark: '标注为“建议”（推荐）',
  omit: '不列出未确认的牵头单位',
  plain: '照原样输出，不加标注',
};

/** Start a browser download of an exported file (the web version: no folder to show). */
export function startDownload(url: string, fileName: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** What the progress line says for a phase of the export (electron/export/progress.ts). */
export function progressText(label: string, p: ExportProgressEvent | null, cancelling: boolean): string {
  if (cancelling) return '正在取消导出…';
  if (p?.phase === 'rows' && p.total > 0) return `正在写入《${label}》：${p.done.toLocaleString('zh-CN')} / ${p.total.toLocaleString('zh-CN')} 行`;
  if (p?.phase === 'pack') return `正在压缩并保存《${label}》…`;
  return `正在生成《${label}》，措施较多时需要十几秒，可随时取消…`;
}

export function collectChapters(nodes: PlanTreeNode[], out: PlanTreeNode[] = []): PlanTreeNode[] {
  for (const n of nodes) {
    if (n.kind === 'chapter') out.push(n);
    else if (n.children.length) collectChapters(n.children, out);
  }
  return out;
}

/** the round documents (made on the 调度轮次 page, listed here with the other exports) */
const ROUND_KINDS: Partial<Record<ExportKind, { label: string; rowsUnit: string }>> = {
  'round-briefing.docx': { label: '调度通报', rowsUnit: '个单位' },
  'round-scores.xlsx': { label: '考核得分表', rowsUnit: '个单位' },
  'return-notice.docx': { label: '退回通知', rowsUnit: '个单位' },
  'reminder.docx': { label: '催办通知', rowsUnit: '个单位' },
};
export const unitOf = (k: ExportKind) => KINDS.find((x) => x.kind === k)?.rowsUnit ?? ROUND_KINDS[k]?.rowsUnit ?? '行';
export const labelOf = (k: ExportKind) => KINDS.find((x) => x.kind === k)?.label ?? ROUND_KINDS[k]?.label ?? k;
