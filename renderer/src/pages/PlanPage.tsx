import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { PlanNodeDetail, PlanTreeNode, SearchHit, SearchResult } from '../../../shared/domain';
import { call } from '../api';
import { useToast } from '../components/Toast';

interface Highlight {
  paraOrd: number;
  offset: number;
  length: number;
  /** the paragraph's later matches of this query are marked too (a hit stands for the whole paragraph) */
  query: string;
}

/** the paragraph with the hit's match marked (the one scrolled to) and its later matches marked lightly */
function markedText(text: string, hl: Highlight): ReactNode[] {
  const out: ReactNode[] = [text.slice(0, hl.offset), <mark key="hit" data-testid="search-mark">{text.slice(hl.offset, hl.offset + hl.length)}</mark>];
  const hay = text.toLowerCase();
  const needle = hl.query.toLowerCase();
  let from = hl.offset + hl.length;
  for (let at = needle ? hay.indexOf(needle, from) : -1; at >= 0; at = hay.indexOf(needle, from)) {
    out.push(text.slice(from, at), <mark key={at} className="search-mark-more">{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  out.push(text.slice(from));
  return out;
}

const SEARCH_LIMIT = 500;

export function PlanPage({ registerSearchFocus }: { registerSearchFocus: (f: () => void) => void }) {
  const toast = useToast();
  const [tree, setTree] = useState<PlanTreeNode[]>([]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detail, setDetail] = useState<PlanNodeDetail | null>(null);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [searching, setSearching] = useState(false);
  const [activeHit, setActiveHit] = useState<number>(-1);
  const searchRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const loadSeq = useRef(0);

  useEffect(() => {
    registerSearchFocus(() => {
      searchRef.current?.focus();
      searchRef.current?.select();
    });
  }, [registerSearchFocus]);

  useEffect(() => {
    void (async () => {
      try {
        const t = await call('plan.tree', {});
        setTree(t);
      } catch (e) {
        toast.error(e);
      }
    })();
  }, [toast]);

  const expandTo = useCallback(
    (id: string) => {
      // expand all ancestors of id
      const path: string[] = [];
      const walk = (nodes: PlanTreeNode[], trail: string[]): boolean => {
        for (const n of nodes) {
          if (n.id === id) {
            path.push(...trail);
            return true;
          }
          if (walk(n.children, [...trail, n.id])) return true;
        }
        return false;
      };
      walk(tree, []);
      if (path.length) setExpanded((s) => new Set([...s, ...path]));
    },
    [tree],
  );

  const openNode = useCallback(
    async (id: string, hl: Highlight | null) => {
      const seq = ++loadSeq.current;
      setSelectedId(id);
      expandTo(id);
      try {
        const d = await call('plan.node', { id });
        if (seq !== loadSeq.current) return;
        setDetail(d);
        setHighlight(hl);
        if (!hl) textRef.current?.scrollTo({ top: 0 });
      } catch (e) {
        toast.error(e);
      }
    },
    [expandTo, toast],
  );

  // open the first node once the tree is there
  useEffect(() => {
    if (tree.length && !selectedId) void openNode(tree[0].id, null);
  }, [tree, selectedId, openNode]);

  // scroll to the highlighted match
  useLayoutEffect(() => {
    if (!highlight || !detail) return;
    const el = textRef.current?.querySelector('mark[data-testid="search-mark"]');
    if (el) (el as HTMLElement).scrollIntoView({ block: 'center' });
  }, [highlight, detail]);

  const runSearch = async () => {
    const q = query.trim();
    if (!q) {
      setResult(null);
      return;
    }
    setSearching(true);
    try {
      const r = await call('plan.search', { query: q, limit: SEARCH_LIMIT });
      setResult(r);
      setActiveHit(-1);
    } catch (e) {
      toast.error(e);
    } finally {
      setSearching(false);
    }
  };

  const openHit = (h: SearchHit, i: number) => {
    setActiveHit(i);
    if (result) void openNode(h.nodeId, { paraOrd: h.paraOrd, offset: h.offset, length: h.length, query: result.query });
  };

  const copyCitation = async () => {
    if (!detail) return;
    try {
      await navigator.clipboard.writeText(detail.citation);
      toast.show('已复制引用：' + detail.citation, 'success');
    } catch {
      // clipboard permission missing: fall back to execCommand
      const ta = document.createElement('textarea');
      ta.value = detail.citation;
      document.body.appendChild(ta);
      ta.select();
      const ok = document.execCommand('copy');
      ta.remove();
      toast.show(ok ? '已复制引用：' + detail.citation : '复制失败，请手动选择文字复制', ok ? 'success' : 'error');
    }
  };

  const toggle = (id: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  // the tree's keyboard (WAI-ARIA tree pattern): one tab stop (the selected item, else the first),
  // ↑/↓ Home/End move, → opens or goes to the first child, ← closes or goes to the parent, Enter/Space open
  const shownIds = new Set<string>();
  const addShown = (nodes: PlanTreeNode[]) => {
    for (const n of nodes) {
      shownIds.add(n.id);
      if (expanded.has(n.id)) addShown(n.children);
    }
  };
  addShown(tree);
  const tabStop = selectedId && shownIds.has(selectedId) ? selectedId : tree[0]?.id;
  const onTreeKey = (e: KeyboardEvent<HTMLLIElement>, n: PlanTreeNode, hasKids: boolean, open: boolean) => {
    if (e.target !== e.currentTarget) return;
    const items = [...(e.currentTarget.closest('[role=tree]')?.querySelectorAll<HTMLElement>('[role=treeitem]') ?? [])];
    const at = items.indexOf(e.currentTarget);
    const focus = (el: Element | null | undefined) => {
      if (!el) return;
      e.preventDefault();
      (el as HTMLElement).focus();
    };
    if (e.key === 'ArrowDown') focus(items[at + 1]);
    else if (e.key === 'ArrowUp') focus(items[at - 1]);
    else if (e.key === 'Home') focus(items[0]);
    else if (e.key === 'End') focus(items[items.length - 1]);
    else if (e.key === 'ArrowRight' && hasKids) {
      e.preventDefault();
      if (!open) toggle(n.id);
      else focus(e.currentTarget.querySelector('[role=treeitem]'));
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      if (hasKids && open) toggle(n.id);
      else focus(e.currentTarget.parentElement?.closest('[role=treeitem]'));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (hasKids && !open) toggle(n.id);
      void openNode(n.id, null);
    }
  };

  const renderTree = (nodes: PlanTreeNode[], depth: number): ReactNode =>
    nodes.map((n) => {
      const hasKids = n.children.length > 0;
      const open = expanded.has(n.id);
      return (
        <li
          key={n.id}
          role="treeitem"
          aria-expanded={hasKids ? open : undefined}
          aria-selected={selectedId === n.id}
          tabIndex={n.id === tabStop ? 0 : -1}
          onKeyDown={(e) => onTreeKey(e, n, hasKids, open)}
        >
          <div
            className={`tree-row kind-${n.kind}${selectedId === n.id ? ' selected' : ''}`}
            style={{ paddingLeft: 6 + depth * 16 }}
            data-node-id={n.id}
            data-testid="plan-tree-item"
            title={n.label}
            onClick={() => {
              if (hasKids && !open) toggle(n.id);
              void openNode(n.id, null);
            }}
          >
            <span
              className={`tree-caret${hasKids ? '' : ' leaf'}`}
              onClick={(e) => {
                if (!hasKids) return;
                e.stopPropagation();
                toggle(n.id);
              }}
              aria-hidden="true"
            >
              {hasKids ? (open ? '▾' : '▸') : '·'}
            </span>
            <span className="tree-label">{n.label}</span>
          </div>
          {hasKids && open && <ul role="group">{renderTree(n.children, depth + 1)}</ul>}
        </li>
      );
    });

  return (
    <div className="plan-page">
      <aside className="plan-side">
        <form
          className="plan-search"
          onSubmit={(e) => {
            e.preventDefault();
            void runSearch();
          }}
        >
          <input
            ref={searchRef}
            className="input"
            type="search"
            data-testid="plan-search-input"
            placeholder="检索规划全文，如：湘江（Ctrl+F）"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              if (!e.target.value) setResult(null);
            }}
          />
          <button className="btn primary" type="submit" disabled={searching}>
            检索
          </button>
        </form>
        {result ? (
          <div className="search-results">
            <div className="search-summary">
              <span>
                “{result.query}” 共 <b data-testid="search-total">{result.total}</b> 处
                {result.total > result.hits.length ? `，${result.hits.length}${result.hits.length >= SEARCH_LIMIT ? '+' : ''} 段` : ''}
                {result.hits.length >= SEARCH_LIMIT ? `（显示前 ${SEARCH_LIMIT} 段）` : ''}
              </span>
              <button className="link" onClick={() => setResult(null)}>
                返回目录
              </button>
            </div>
            <ul className="hit-list">
              {result.hits.map((h, i) => (
                <li
                  key={`${h.nodeId}-${h.paraOrd}-${h.offset}`}
                  className={`hit${i === activeHit ? ' active' : ''}`}
                  data-testid="search-hit"
                  onClick={() => openHit(h, i)}
                  tabIndex={0}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      openHit(h, i);
                    }
                  }}
                >
                  <div className="hit-path">
                    {h.path.join(' › ')}
                    {h.count > 1 && <span className="hit-count" data-testid="search-hit-count">本段 {h.count} 处</span>}
                  </div>
                  <div className="hit-snippet">
                    {h.snippet.slice(0, h.snippetOffset)}
                    <mark>{h.snippet.slice(h.snippetOffset, h.snippetOffset + h.length)}</mark>
                    {h.snippet.slice(h.snippetOffset + h.length)}
                  </div>
                </li>
              ))}
              {result.hits.length === 0 && <li className="empty">没有找到匹配的内容</li>}
            </ul>
          </div>
        ) : (
          <ul className="plan-tree" role="tree" data-testid="plan-tree" aria-label="规划目录">
            {renderTree(tree, 0)}
          </ul>
        )}
      </aside>
      <section className="plan-main" ref={textRef}>
        {detail ? (
          <article className="plan-text" data-testid="plan-text" data-node-id={detail.id}>
            <nav className="breadcrumb" aria-label="位置">
              {detail.path.map((p, i) => (
                <span key={i} className="crumb">
                  {p}
                </span>
              ))}
            </nav>
            <div className="plan-title-row">
              <h2>{detail.label}</h2>
              <button className="btn" data-testid="copy-citation" onClick={() => void copyCitation()} title={detail.citation}>
                复制引用
              </button>
            </div>
            {detail.paragraphs.map((p) => (
              <p key={p.ord} className="para" data-para-ord={p.ord}>
                {highlight && highlight.paraOrd === p.ord ? markedText(p.text, highlight) : p.text}
              </p>
            ))}
            {detail.measures.length > 0 && (
              <section className="measures">
                <h3>具体措施（{detail.measures.length} 条）</h3>
                <ol>
                  {detail.measures.map((m) => (
                    <li key={m.id} data-measure-id={m.id}>
                      <span className="measure-id">{m.id}</span>
                      <span className="measure-text">{m.text}</span>
                    </li>
                  ))}
                </ol>
              </section>
            )}
            <div className="citation">引用：{detail.citation}</div>
          </article>
        ) : (
          <div className="empty-state">请在左侧目录中选择章节</div>
        )}
      </section>
    </div>
  );
}
