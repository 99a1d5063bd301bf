// 引用规划措施: find a measure by searching (measures.search) or by browsing the plan tree,
// and click it to insert it as a cited paragraph.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { MeasureSearchResult, PlanNodeDetail, PlanTreeNode } from '../../../shared/domain';
import { call, errorMessage } from '../api';
import { Modal } from '../components/Modal';

interface Props {
  cited: Set<string>;
  onPick: (measureId: string) => void;
  onClose: () => void;
  busy: boolean;
}

export function CitationPicker({ cited, onPick, onClose, busy }: Props) {
  const [mode, setMode] = useState<'search' | 'tree'>('search');
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<MeasureSearchResult | null>(null);
  const [error, setError] = useState('');
  const [searching, setSearching] = useState(false);
  const [tree, setTree] = useState<PlanTreeNode[] | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [nodes, setNodes] = useState<Map<string, PlanNodeDetail>>(new Map());
  const inputRef = useRef<HTMLInputElement>(null);
  const seq = useRef(0);

  useEffect(() => {
    inputRef.current?.focus();
  }, [mode]);

  useEffect(() => {
    if (mode !== 'tree' || tree) return;
    call('plan.tree', {}).then(setTree, (e: unknown) => setError(errorMessage(e)));
  }, [mode, tree]);

  const search = async (q: string) => {
    const s = q.trim();
    if (!s) {
      setResult(null);
      return;
    }
    const my = ++seq.current;
    setSearching(true);
    setError('');
    try {
      const r = await call('measures.search', { query: s, limit: 100 });
      if (my === seq.current) setResult(r);
    } catch (e) {
      if (my === seq.current) setError(errorMessage(e));
    } finally {
      if (my === seq.current) setSearching(false);
    }
  };

  // search as the person types, after a short pause
  useEffect(() => {
    const t = window.setTimeout(() => void search(query), 300);
    return () => window.clearTimeout(t);
  }, [query]);

  const toggle = async (n: PlanTreeNode) => {
    const next = new Set(open);
    if (next.has(n.id)) next.delete(n.id);
    else next.add(n.id);
    setOpen(next);
    if (n.kind === 'task' && !nodes.has(n.id)) {
      try {
        const d = await call('plan.node', { id: n.id });
        setNodes((m) => new Map(m).set(n.id, d));
      } catch (e) {
        setError(errorMessage(e));
      }
    }
  };

  const measureButton = (id: string, text: ReactNode, key?: string) => (
    <li key={key ?? id}>
      <button
        type="button"
        className={`cite-pick${cited.has(id) ? ' cited' : ''}`}
        data-testid="citation-result"
        data-measure-id={id}
        disabled={busy}
        onClick={() => onPick(id)}
      >
        <span className="measure-id">{id}</span>
        <span className="cite-pick-text">{text}</span>
        {cited.has(id) && <span className="tag">已引用</span>}
      </button>
    </li>
  );

  const renderTree = (list: PlanTreeNode[], depth: number): ReactNode =>
    list
      .filter((n) => n.kind !== 'figure')
      .map((n) => {
        const isOpen = open.has(n.id);
        const detail = nodes.get(n.id);
        return (
          <li key={n.id}>
            <button
              type="button"
              className={`tree-row kind-${n.kind}`}
              style={{ paddingLeft: 6 + depth * 14 }}
              aria-expanded={isOpen}
              data-testid="citation-tree-node"
              data-node-id={n.id}
              onClick={() => void toggle(n)}
            >
              <span className="tree-caret" aria-hidden="true">
                {isOpen ? '▾' : '▸'}
              </span>
              <span className="tree-label">{n.label}</span>
            </button>
            {isOpen && n.kind !== 'task' && n.children.length > 0 && <ul>{renderTree(n.children, depth + 1)}</ul>}
            {isOpen && n.kind === 'task' && (
              <ul className="cite-measures" style={{ paddingLeft: 20 + depth * 14 }}>
                {!detail && <li className="muted small">正在读取…</li>}
                {detail && detail.measures.length === 0 && <li className="muted small">此任务没有具体措施</li>}
                {detail?.measures.map((m) => measureButton(m.id, m.text))}
              </ul>
            )}
          </li>
        );
      });

  return (
    <Modal title="引用规划措施" onClose={onClose} width={760} testId="citation-picker">
      <div className="seg cite-mode" role="tablist" aria-label="查找方式">
        <button type="button" role="tab" aria-selected={mode === 'search'} className={`seg-opt${mode === 'search' ? ' on' : ''}`} onClick={() => setMode('search')}>
          检索措施
        </button>
        <button type="button" role="tab" aria-selected={mode === 'tree'} className={`seg-opt${mode === 'tree' ? ' on' : ''}`} data-testid="citation-browse" onClick={() => setMode('tree')}>
          按规划目录浏览
        </button>
        <span className="muted small">点击一条措施，即作为引用段落插入到所选内容之后</span>
      </div>
      {mode === 'search' ? (
        <div className="cite-search">
          <input
            ref={inputRef}
            className="input"
            type="search"
            data-testid="citation-search"
            placeholder="输入措施内容中的词语或编号，如：湘江、6.3.2"
            value={query}
            maxLength={100}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void search(query);
              } else if (e.key === 'ArrowDown') {
                e.preventDefault();
                document.querySelector<HTMLElement>('[data-testid=citation-result]')?.focus();
              }
            }}
          />
          <div className="muted small cite-summary" aria-live="polite">
            {searching ? '正在检索…' : result ? `“${result.query}” 共 ${result.total} 条措施${result.total > result.hits.length ? `（显示前 ${result.hits.length} 条）` : ''}` : '输入后自动检索'}
          </div>
          <ul className="cite-list">
            {result?.hits.map((h) => measureButton(h.id, h.text || h.snippet, `${h.id}-${h.field}`))}
            {result && result.hits.length === 0 && <li className="picker-empty">没有找到匹配的措施</li>}
          </ul>
        </div>
      ) : (
        <ul className="cite-tree">{tree ? renderTree(tree, 0) : <li className="muted">正在读取规划目录…</li>}</ul>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </Modal>
  );
}
