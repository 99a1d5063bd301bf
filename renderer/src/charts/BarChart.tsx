// Vertical bar chart: one bar per category (stacked series) or one bar per series side by side
// (grouped). Numbers are written on the bars; each category is clickable and keyboard-focusable.
import { CHART_FONT, activateOnKey, clip, fmt, niceMax, type Datum, type Series } from './common';

interface Props {
  data: Datum[];
  series: Series[];
  mode?: 'stacked' | 'grouped';
  height?: number;
  /** unit shown at the top of the axis, e.g. 条 or 亿元 */
  unit?: string;
  onSelect?: (key: string, seriesIndex: number | null) => void;
  /** chars of the category label to show before clipping */
  labelChars?: number;
  testId?: string;
  ariaLabel: string;
  /** show the series legend (off when each category is its own series, e.g. statuses) */
  legend?: boolean;
}

const W = 560;

export function BarChart({ data, series, mode = 'stacked', height = 240, unit, onSelect, labelChars = 6, testId, ariaLabel, legend = true }: Props) {
  const top = 22;
  const showLegend = legend && series.length > 1;
  const bottom = showLegend ? 46 : 26;
  const left = 44;
  const right = 10;
  const plotH = height - top - bottom;
  const plotW = W - left - right;
  const maxV = niceMax(
    Math.max(0, ...data.map((d) => (mode === 'stacked' ? d.values.reduce((a, b) => a + b, 0) : Math.max(0, ...d.values)))),
  );
  const y = (v: number) => top + plotH - (v / maxV) * plotH;
  const slot = data.length ? plotW / data.length : plotW;
  const barW = Math.min(56, slot * 0.62);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxV);
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${height}`}
      role={onSelect ? 'group' : 'img'}
      aria-label={ariaLabel}
      data-testid={testId}
      style={{ fontFamily: CHART_FONT }}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={W - right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" className="chart-axis">
            {fmt(t)}
          </text>
        </g>
      ))}
      {unit && (
        <text x={left - 6} y={top - 10} textAnchor="end" className="chart-axis">
          {unit}
        </text>
      )}
      {data.map((d, i) => {
        const cx = left + slot * i + slot / 2;
        const total = d.values.reduce((a, b) => a + b, 0);
        const segments = d.values.filter((v) => v > 0).length;
        const open = onSelect ? () => onSelect(d.key, null) : undefined;
        let acc = 0;
        const groupW = mode === 'grouped' ? barW / Math.max(1, series.length) : barW;
        return (
          <g
            key={d.key}
            className={onSelect ? 'chart-hit' : undefined}
            role={onSelect ? 'button' : undefined}
            tabIndex={onSelect ? 0 : undefined}
            aria-label={`${d.label}：${series.map((s, si) => `${s.name}${fmt(d.values[si] ?? 0)}`).join('，')}${d.title ? `；${d.title.split('\n').join('，')}` : ''}`}
            onClick={open}
            onKeyDown={open ? activateOnKey(open) : undefined}
            {...d.attrs}
          >
            {/* the tooltip; what it says is in the name above (left out of it, the name begins with the visible label) */}
            <title aria-hidden="true">{d.title ?? `${d.label}\n${series.map((s, si) => `${s.name}：${fmt(d.values[si] ?? 0)}`).join('\n')}`}</title>
            <rect x={left + slot * i} y={top} width={slot} height={plotH} className="chart-hover-bg" />
            {series.map((s, si) => {
              const v = d.values[si] ?? 0;
              if (mode === 'stacked') {
                const y0 = y(acc);
                acc += v;
                const y1 = y(acc);
                const h = Math.max(0, y0 - y1);
                return (
                  <g key={s.name}>
                    {v > 0 && <rect x={cx - barW / 2} y={Math.min(y1, y0 - 3)} width={barW} height={Math.max(h, 3)} fill={s.color} />}
                    {v > 0 && h >= 14 && segments > 1 && (
                      <text x={cx} y={y1 + h / 2 + 4} textAnchor="middle" className="chart-inbar" aria-hidden="true">
                        {fmt(v)}
                      </text>
                    )}
                  </g>
                );
              }
              const x = cx - barW / 2 + groupW * si;
              const h = Math.max(0, y(0) - y(v));
              return (
                <g key={s.name}>
                  <rect x={x + 1} y={y(v)} width={Math.max(1, groupW - 2)} height={h} fill={s.color} />
                  <text x={x + groupW / 2} y={y(v) - 4} textAnchor="middle" className="chart-num small" aria-hidden="true">
                    {fmt(v)}
                  </text>
                </g>
              );
            })}
            {mode === 'stacked' && (
              <text x={cx} y={y(total) - 5} textAnchor="middle" className="chart-num" aria-hidden="true">
                {fmt(total)}
              </text>
            )}
            <text x={cx} y={top + plotH + 17} textAnchor="middle" className="chart-label">
              {clip(d.label, labelChars)}
            </text>
          </g>
        );
      })}
      <line x1={left} x2={W - right} y1={y(0)} y2={y(0)} className="chart-axis-line" />
      {showLegend && (
        <g transform={`translate(${left}, ${height - 6})`}>
          {series.map((s, si) => (
            <g key={s.name} transform={`translate(${si * 96}, 0)`}>
              <rect x={0} y={-9} width={10} height={10} fill={s.color} />
              <text x={14} y={0} className="chart-legend">
                {s.name}
              </text>
            </g>
          ))}
        </g>
      )}
    </svg>
  );
}
