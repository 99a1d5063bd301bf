// Horizontal bar chart, stacked by series, a label on the left and the total at the end of each
// bar. Used for the top lead departments (long Chinese names) and the investment comparisons.
import { CHART_FONT, activateOnKey, clip, fmt, niceMax, type Datum, type Series } from './common';

interface Props {
  data: Datum[];
  series: Series[];
  /** 'stacked': segments add up; 'overlay': series 0 is the full bar (e.g. 计划), series 1 drawn inside it (完成) */
  mode?: 'stacked' | 'overlay';
  rowHeight?: number;
  labelWidth?: number;
  labelChars?: number;
  unit?: string;
  onSelect?: (key: string) => void;
  testId?: string;
  ariaLabel: string;
  /** text after the bar; default the total (stacked) or "完成/计划 (xx%)" (overlay) */
  endText?: (d: Datum) => string;
}

const W = 560;

export function HBarChart({
  data,
  series,
  mode = 'stacked',
  rowHeight = 24,
  labelWidth = 150,
  labelChars = 11,
  unit,
  onSelect,
  testId,
  ariaLabel,
  endText,
}: Props) {
  const top = 8;
  const legendH = series.length > 1 ? 24 : 0;
  const right = mode === 'overlay' ? 130 : 60;
  const height = top + data.length * rowHeight + legendH + 6;
  const plotW = W - labelWidth - right;
  const totals = data.map((d) => (mode === 'stacked' ? d.values.reduce((a, b) => a + b, 0) : Math.max(0, ...d.values)));
  const maxV = niceMax(Math.max(0, ...totals));
  const x = (v: number) => labelWidth + (v / maxV) * plotW;
  const barH = Math.max(8, rowHeight - 8);
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${Math.max(height, 30)}`}
      role={onSelect ? 'group' : 'img'}
      aria-label={ariaLabel}
      data-testid={testId}
      style={{ fontFamily: CHART_FONT }}
    >
      {data.length === 0 && (
        <text x={W / 2} y={20} textAnchor="middle" className="chart-empty">
          暂无数据
        </text>
      )}
      {data.map((d, i) => {
        const y0 = top + i * rowHeight;
        const open = onSelect ? () => onSelect(d.key) : undefined;
        let acc = 0;
        const segments = d.values.filter((v) => v > 0).length;
        const label = endText
          ? endText(d)
          : mode === 'stacked'
            ? fmt(totals[i])
            : `${fmt(d.values[1] ?? 0)} / ${fmt(d.values[0] ?? 0)}${unit ? ` ${unit}` : ''}`;
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
            <rect x={0} y={y0} width={W} height={rowHeight} className="chart-hover-bg" />
            <text x={labelWidth - 8} y={y0 + rowHeight / 2 + 4} textAnchor="end" className="chart-label">
              {clip(d.label, labelChars)}
            </text>
            <rect x={labelWidth} y={y0 + (rowHeight - barH) / 2} width={plotW} height={barH} className="chart-track" />
            {series.map((s, si) => {
              const v = d.values[si] ?? 0;
              if (mode === 'overlay') {
                const inset = si === 0 ? 0 : barH * 0.22;
                return v > 0 ? (
                  <rect
                    key={s.name}
                    x={labelWidth}
                    y={y0 + (rowHeight - barH) / 2 + inset}
                    width={Math.max(1, x(v) - labelWidth)}
                    height={barH - inset * 2}
                    fill={s.color}
                  />
                ) : null;
              }
              const a = x(acc);
              acc += v;
              const w = x(acc) - a;
              return v > 0 ? (
                <g key={s.name}>
                  <rect x={a} y={y0 + (rowHeight - barH) / 2} width={Math.max(1, w)} height={barH} fill={s.color} />
                  {segments > 1 && w >= 18 && (
                    <text x={a + w / 2} y={y0 + rowHeight / 2 + 4} textAnchor="middle" className="chart-inbar" aria-hidden="true">
                      {fmt(v)}
                    </text>
                  )}
                </g>
              ) : null;
            })}
            <text x={x(totals[i]) + 6} y={y0 + rowHeight / 2 + 4} className="chart-num" aria-hidden="true">
              {label}
            </text>
          </g>
        );
      })}
      {series.length > 1 && (
        <g transform={`translate(${labelWidth}, ${top + data.length * rowHeight + 18})`}>
          {series.map((s, si) => (
            <g key={s.name} transform={`translate(${si * 100}, 0)`}>
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
