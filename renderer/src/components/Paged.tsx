// A long list shown a page at a time, with an optional filter: a returned ledger can change
// 10,000 measures, and drawing them all at once would freeze the page for seconds.
import { useMemo, useState, type ReactNode } from 'react';

/** above this many, 全部显示 is not offered (it would freeze the page) */
const SHOW_ALL_MAX = 1000;

export function Paged<T>({
  items,
  render,
  step = 100,
  unit = '条',
  matches,
  filterLabel = '筛选',
  testId,
}: {
  items: readonly T[];
  render: (item: T) => ReactNode;
  step?: number;
  unit?: string;
  /** given: a filter box is shown; true when the item matches the (trimmed, non-empty) text */
  matches?: (item: T, text: string) => boolean;
  filterLabel?: string;
  testId?: string;
}) {
  const [shown, setShown] = useState(step);
  const [text, setText] = useState('');
  const q = text.trim();
  const list = useMemo(() => (matches && q ? items.filter((x) => matches(x, q)) : items), [items, matches, q]);
  const visible = list.slice(0, shown);
  const rest = list.length - visible.length;
  return (
    <div className="paged" data-testid={testId}>
      {matches && items.length > step && (
        <div className="paged-filter">
          <input
            className="input"
            type="search"
            placeholder={`${filterLabel}（编号或文字）`}
            aria-label={filterLabel}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setShown(step);
            }}
          />
          {q && (
            <span className="muted small">
              符合 {list.length} {unit}
            </span>
          )}
        </div>
      )}
      {visible.map(render)}
      {list.length > step && (
        <div className="paged-foot" role="status">
          <span className="muted small">
            已显示 {visible.length} / {list.length} {unit}
          </span>
          {rest > 0 && (
            <button className="btn small-btn" onClick={() => setShown((s) => s + step)}>
              再显示 {Math.min(step, rest)} {unit}
            </button>
          )}
          {rest > 0 && list.length <= SHOW_ALL_MAX && (
            <button className="btn small-btn" onClick={() => setShown(list.length)}>
              全部显示
            </button>
          )}
        </div>
      )}
    </div>
  );
}
