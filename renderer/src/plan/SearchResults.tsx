// The plan search's results: how many matches in how many paragraphs, each paragraph's path and
// snippet with the match marked; a click or Enter opens it, 返回目录 goes back to the tree.
import type { SearchHit, SearchResult } from '../../../shared/domain';

export const SEARCH_LIMIT = 500;

export function SearchResults({ result, activeHit, onOpen: openHit, onClose }: { result: SearchResult; activeHit: number; onOpen: (h: SearchHit, i: number) => void; onClose: () => void }) {
  return (
    <div className="search-results">
      <div className="search-summary">
        <span>
          “{result.query}” 共 <b data-testid="search-total">{result.total}</b> 处
          {result.total > result.hits.length ? `，${result.hits.length}${result.hits.length >= SEARCH_LIMIT ? '+' : ''} 段` : ''}
          {result.hits.length >= SEARCH_LIMIT ? `（显示前 ${SEARCH_LIMIT} 段）` : ''}
        </span>
        <button className="link" onClick={onClose}>
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
  );
}
