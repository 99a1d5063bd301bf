// Pure helpers of the drafting page: labels, outline ranges for moving sections, and
// the live-table preview counts. No React here.
import type { Department } from '../../../shared/domain';
import type { DraftBlock, DraftKind, DraftSummary, HeadingLevel } from '../../../shared/drafts';

export const KIND_LABELS: Record<DraftKind, string> = {
  field: '领域专项方案',
  city: '城市行动计划',
  dept: '部门方案',
  blank: '空白方案',
};

export const LEVEL_LABELS: Record<HeadingLevel, string> = {
  1: '一级标题 一、',
  2: '二级标题 （一）',
  3: '三级标题 1.',
  4: '四级标题 （1）',
};

/** 领域：生态环境 / 长沙市 / 部门名 / 空白 */
export function draftScopeLabel(d: DraftSummary, departments: Department[]): string {
  switch (d.kind) {
    case 'field':
      return d.field ? `领域：${d.field}` : '领域方案';
    case 'city':
      return d.city ? `城市：${d.city}` : '城市行动计划';
    case 'dept':
      return `部门：${departments.find((x) => x.id === d.deptId)?.name ?? (d.deptId ? `#${d.deptId}` : '未指定')}`;
    default:
      return '空白方案';
  }
}

/** 6 → 第6章, 5.1 → 第5章第1节 */
export function scopeText(ids: string[]): string {
  if (!ids.length) return '未限定章节';
  return ids
    .map((s) => {
      const [c, sec] = s.split('.');
      return sec ? `第${c}章第${sec}节` : `第${c}章`;
    })
    .join('、');
}

export function isEmptyBlock(b: DraftBlock): boolean {
  return (b.type === 'para' || b.type === 'heading') && !b.text.trim();
}

/** The blocks a move takes along: a heading carries its section (until a heading of the same or a higher level). */
export function rangeOf(blocks: DraftBlock[], index: number): [number, number] {
  const b = blocks[index];
  if (b.type !== 'heading' || !b.level) return [index, index + 1];
  let end = index + 1;
  while (end < blocks.length) {
    const x = blocks[end];
    if (x.attachment !== b.attachment) break;
    if (x.type === 'heading' && x.level && x.level <= b.level) break;
    end++;
  }
  return [index, end];
}

export interface MovePlan {
  /** block ids to move, in order */
  ids: number[];
  /** the first goes after this block (null: to the very start) */
  afterId: number | null;
}

/**
 * Alt+↑ / Alt+↓: a paragraph moves one place within its part (正文 or 附件); a heading moves
 * with its whole section past the neighbouring section of the same level. Returns a plan of
 * single-block moves (the shorter of the two ranges moves) or an explanation why not.
 */
export function planMove(blocks: DraftBlock[], blockId: number, dir: -1 | 1): MovePlan | string {
  const i = blocks.findIndex((b) => b.id === blockId);
  if (i < 0) return '找不到该段落';
  const b = blocks[i];
  const samePart = (j: number) => j >= 0 && j < blocks.length && blocks[j].attachment === b.attachment;
  if (b.type !== 'heading' || !b.level) {
    if (dir < 0) {
      if (!samePart(i - 1)) return b.attachment ? '已在附件最前面' : '已在最前面';
      return { ids: [b.id], afterId: i >= 2 ? blocks[i - 2].id : null };
    }
    if (!samePart(i + 1)) return b.attachment ? '已在最后面' : '已在正文最后（附件部分请用“移入附件”）';
    return { ids: [b.id], afterId: blocks[i + 1].id };
  }
  const [s, e] = rangeOf(blocks, i);
  if (dir < 0) {
    let p = i - 1;
    while (samePart(p) && !(blocks[p].type === 'heading' && blocks[p].level && blocks[p].level! <= b.level)) p--;
    if (!samePart(p) || blocks[p].level !== b.level) return '已是本级第一个标题，不能再上移';
    // swap [p, s) and [s, e)
    const a = blocks.slice(p, s);
    const mine = blocks.slice(s, e);
    if (mine.length <= a.length) return { ids: mine.map((x) => x.id), afterId: p > 0 ? blocks[p - 1].id : null };
    return { ids: a.map((x) => x.id), afterId: blocks[e - 1].id };
  }
  const next = blocks[e];
  if (!samePart(e) || next.type !== 'heading' || next.level !== b.level) return '已是本级最后一个标题，不能再下移';
  const [, e2] = rangeOf(blocks, e);
  const theirs = blocks.slice(e, e2);
  const mine = blocks.slice(s, e);
  if (mine.length <= theirs.length) return { ids: mine.map((x) => x.id), afterId: blocks[e2 - 1].id };
  return { ids: theirs.map((x) => x.id), afterId: s > 0 ? blocks[s - 1].id : null };
}

/** Drag and drop: move the dragged block (with its section, for a heading) to after `afterId`. */
export function planDrop(blocks: DraftBlock[], dragId: number, afterId: number | null): MovePlan | string {
  const i = blocks.findIndex((b) => b.id === dragId);
  if (i < 0) return '找不到该段落';
  const [s, e] = rangeOf(blocks, i);
  const ids = blocks.slice(s, e).map((x) => x.id);
  if (afterId !== null && ids.includes(afterId) && afterId !== blocks[e - 1].id) return '不能把标题拖到它自己的章节里';
  if (afterId !== null && afterId === blocks[e - 1].id) return '';
  if ((afterId === null && s === 0) || (s > 0 && afterId === blocks[s - 1].id)) return '';
  return { ids, afterId };
}

/** The heading level a new heading should get after the given block: that of the section it is in. */
export function levelAt(blocks: DraftBlock[], afterId: number | null): HeadingLevel {
  let i = afterId === null ? -1 : blocks.findIndex((b) => b.id === afterId);
  for (; i >= 0; i--) if (blocks[i].type === 'heading' && blocks[i].level) return blocks[i].level!;
  return 1;
}

/** 4.1.1.3 → 4.1.1 */
export function taskOf(measureId: string): string {
  return measureId.split('.').slice(0, 3).join('.');
}

/** Where a citation of this measure belongs: beside the citations of the same task in the plan's order, else after the last of the same section or chapter. */
export function placeForMeasure(blocks: DraftBlock[], measureId: string): number | null {
  const parts = measureId.split('.');
  const ord = Number(parts[3]);
  const body = blocks.filter((b) => !b.attachment);
  const task = parts.slice(0, 3).join('.') + '.';
  const same = body.filter((b) => b.type === 'citation' && b.measureId?.startsWith(task));
  if (same.length) {
    const before = same.filter((b) => Number(b.measureId!.split('.')[3]) < ord);
    if (before.length) return before[before.length - 1].id;
    const i = blocks.findIndex((b) => b.id === same[0].id);
    return i > 0 ? blocks[i - 1].id : null;
  }
  for (const depth of [2, 1]) {
    const prefix = parts.slice(0, depth).join('.') + '.';
    const hits = body.filter((b) => b.type === 'citation' && b.measureId?.startsWith(prefix));
    if (hits.length) return hits[hits.length - 1].id;
  }
  return null;
}
