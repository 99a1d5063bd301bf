// Reading the plan: the tree, one node with its text, exact citations, full-text search.
import { chapterLabel, sectionLabel, type PlanNodeDetail, type PlanTreeNode, type SearchHit, type SearchResult } from '../../shared/domain';
import type { NodeRow, ParaRow } from '../db/queries';
import { ServiceError, type ServiceContext } from '../core/context';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

interface PlanIndex {
  tree: PlanTreeNode[];
  nodes: Map<string, NodeRow>;
  /** node ids in reading order */
  order: string[];
  paras: Map<string, ParaRow[]>;
}

const indexes = new WeakMap<ServiceContext, PlanIndex>();

/** The plan never changes after seeding: build its index once per connection. */
function planIndex(ctx: ServiceContext): PlanIndex {
  let ix = indexes.get(ctx);
  if (ix) return ix;
  const rows = ctx.q.allNodes();
  const nodes = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<string | null, NodeRow[]>();
  for (const r of rows) {
    const list = children.get(r.parent_id) ?? [];
    list.push(r);
    children.set(r.parent_id, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.ord - b.ord);
  const order: string[] = [];
  const build = (r: NodeRow): PlanTreeNode => {
    order.push(r.id);
    const label = r.kind === 'task' ? `${r.id} ${r.title}` : r.label;
    return { id: r.id, kind: r.kind, label, title: r.title, children: (children.get(r.id) ?? []).map(build) };
  };
  const tree = (children.get(null) ?? []).map(build);
  const paras = new Map<string, ParaRow[]>();
  for (const p of ctx.q.allParas()) {
    const list = paras.get(p.node_id) ?? [];
    list.push(p);
    paras.set(p.node_id, list);
  }
  for (const list of paras.values()) list.sort((a, b) => a.ord - b.ord);
  ix = { tree, nodes, order, paras };
  indexes.set(ctx, ix);
  return ix;
}

export function planTree(ctx: ServiceContext): PlanTreeNode[] {
  return planIndex(ctx).tree;
}

function pathOf(ix: PlanIndex, id: string): NodeRow[] {
  const out: NodeRow[] = [];
  let cur = ix.nodes.get(id);
  while (cur) {
    out.unshift(cur);
    cur = cur.parent_id ? ix.nodes.get(cur.parent_id) : undefined;
  }
  return out;
}

/** 《长株潭都市圈发展规划》第四章第一节“打造轨道上的长株潭” — the words staff paste into documents. */
export function citationOf(ctx: ServiceContext, id: string, measureOrd?: number): string {
  const ix = planIndex(ctx);
  const title = ctx.q.getSetting('plan.title') || '长株潭都市圈发展规划';
  const path = pathOf(ix, id);
  let s = `《${title}》`;
  for (const n of path) {
    if (n.kind === 'chapter') s += chapterLabel(n.no ?? 0);
    else if (n.kind === 'section') s += sectionLabel(n.no ?? 0);
    else if (n.kind === 'task' && !n.section_as_task) s += `“${n.title}”`;
    else if (n.kind === 'part' && n.id === 'notice') s = `湖南省人民政府关于印发《${title}》的通知（湘政发〔2022〕6号）`;
    else if (n.kind === 'part' && n.id === 'foreword') s += '前言';
    else if (n.kind === 'figure') s += n.label;
  }
  if (measureOrd !== undefined) s += `第${measureOrd}项措施`;
  return s;
}

export function planNode(ctx: ServiceContext, id: string): PlanNodeDetail {
  const ix = planIndex(ctx);
  const n = ix.nodes.get(id);
  if (!n) throw new ServiceError('NOT_FOUND', `规划中没有编号为 ${id} 的条目`);
  return {
    id: n.id,
    kind: n.kind,
    label: n.kind === 'task' ? `${n.id} ${n.title}` : n.label,
    title: n.title,
    path: pathOf(ix, id).map((p) => (p.kind === 'task' ? `${p.id} ${p.title}` : p.label)),
    paragraphs: (ix.paras.get(id) ?? []).map((p) => ({ ord: p.ord, text: p.text })),
    measures: n.kind === 'task' ? ctx.q.measuresOfTask(id) : [],
    citation: citationOf(ctx, id),
  };
}

const SNIPPET_BEFORE = 30;
const SNIPPET_AFTER = 50;

/**
 * Full-text search over every paragraph and title of the plan. Plain substring matching,
 * so two-character words such as 湘江 match (a trigram index would miss them).
 * One hit per paragraph (its first match, with how many it has): a paragraph naming 湘江 seven
 * times was listed seven times, with overlapping snippets. A paragraph repeating an earlier one
 * of the same node word for word (the notice's title, printed as page title and as document
 * title) is not listed again; `total` still counts every match in the published text.
 */
export function searchPlan(ctx: ServiceContext, query: string, limit = 200): SearchResult {
  const q = query.trim();
  if (!q) return { query: q, total: 0, hits: [] };
  const ix = planIndex(ctx);
  const needle = q.toLowerCase();
  const hits: SearchHit[] = [];
  let total = 0;
  const scan = (nodeId: string, paraOrd: number, text: string, listed: Set<string>) => {
    const hay = text.toLowerCase();
    let first = -1;
    let count = 0;
    for (let from = 0; ; ) {
      const at = hay.indexOf(needle, from);
      if (at < 0) break;
      if (first < 0) first = at;
      count++;
      from = at + Math.max(1, needle.length);
    }
    total += count;
    if (count === 0 || listed.has(text) || hits.length >= limit) return;
    listed.add(text);
    const start = Math.max(0, first - SNIPPET_BEFORE);
    const end = Math.min(text.length, first + q.length + SNIPPET_AFTER);
    hits.push({
      nodeId,
      path: pathOf(ix, nodeId).map((p) => (p.kind === 'task' ? `${p.id} ${p.title}` : p.label)),
      paraOrd,
      offset: first,
      length: q.length,
      count,
      snippet: (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : ''),
      snippetOffset: first - start + (start > 0 ? 1 : 0),
    });
  };
  for (const id of ix.order) {
    const n = ix.nodes.get(id)!;
    const listed = new Set<string>();
    // task titles are the first sentence of their paragraph: don't count them twice
    if (n.kind !== 'task') scan(id, -1, n.label, listed);
    for (const p of ix.paras.get(id) ?? []) scan(id, p.ord, p.text, listed);
  }
  return { query: q, total, hits };
}

/** The plan.* channels (shared/ipc/channels/plan.ts). */
export const planHandlers: HandlerTable<ChannelsOf<'plan'>> = {
  'plan.tree': (ctx) => planTree(ctx),
  'plan.node': (ctx, i) => planNode(ctx, i.id),
  'plan.search': (ctx, i) => searchPlan(ctx, i.query, i.limit),
};
