// A plain table a person can sort by any column (the header's button: ascending, then descending;
// aria-sort says which) and that shows at most `limit` rows with a note of how many there are. For
// the short tables of 调度轮次 (对比上期), where a grid would be more than is needed.
import { useMemo, useState, type ReactNode } from 'react';

export interface SortColumn<T> {
  key: string;
  label: string;
  /** what the column sorts by */
  value: (row: T) => string | number;
  /** what the cell shows (default: the value) */
  render?: (row: T) => ReactNode;
  numeric?: boolean;
  className?: string;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

export function SortTable<T>({
  rows,
  columns,
  rowKey,
  initialSort,
  limit = 500,
  caption,
  testId,
  rowProps,
}: {
  rows: T[];
  columns: SortColumn<T>[];
  rowKey: (row: T) => string;
  initialSort?: { key: string; desc: boolean };
  limit?: number;
  caption: string;
  testId?: string;
  rowProps?: (row: T) => Record<string, string | undefined>;
}) {
  const [sort, setSort] = useState(initialSort ?? { key: columns[0].key, desc: false });
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === sort.key) ?? columns[0];
    const out = [...rows];
    out.sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return sort.desc ? -d : d;
    });
    return out;
  }, [rows, columns, sort]);
  const shown = sorted.slice(0, limit);
  const flip = (key: string) => setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: !!columns.find((c) => c.key === key)?.numeric }));
  return (
    <>
      <table className="data-table sort-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined} className={c.numeric ? 'num' : undefined}>
                <button type="button" className="sort-btn" onClick={() => flip(c.key)} data-testid={testId ? `${testId}-sort-${c.key}` : undefined}>
                  {c.label}
                  <span aria-hidden="true" className="sort-mark">
                    {sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={rowKey(r)} {...(rowProps?.(r) ?? {})}>
              {columns.map((c) => (
                <td key={c.key} className={[c.numeric ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined}>
                  {c.render ? c.render(r) : c.value(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {!rows.length && <p className="muted">没有符合条件的行。</p>}
      {rows.length > shown.length && (
        <p className="muted" role="status">
          显示前 {shown.length} 行，共 {rows.length} 行；请用筛选缩小范围。
        </p>
      )}
    </>
  );
}
