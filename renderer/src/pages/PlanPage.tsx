// 规划全文: the plan's table of contents (plan/PlanTree), full-text search (plan/SearchResults) and
// the text of the chosen node with the hit marked (plan/PlanText).
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { PlanNodeDetail, PlanTreeNode, SearchHit, SearchResult } from '../../../shared/domain';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { PlanText, type Highlight } from '../plan/PlanText';
import { PlanTree } from '../plan/PlanTree';
import { SEARCH_LIMIT, SearchResults } from '../plan/SearchResults';

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
          <SearchResults result={result} activeHit={activeHit} onOpen={openHit} onClose={() => setResult(null)} />
        ) : (
          <PlanTree tree={tree} expanded={expanded} toggle={toggle} selectedId={selectedId} onOpen={(id) => void openNode(id, null)} />
        )}
      </aside>
      <section className="plan-main" ref={textRef}>
        {detail ? (
          <PlanText detail={detail} highlight={highlight} onCopyCitation={() => void copyCitation()} />
        ) : (
          <div className="empty-state">请在左侧目录中选择章节</div>
        )}
      </section>
    </div>
  );
}
