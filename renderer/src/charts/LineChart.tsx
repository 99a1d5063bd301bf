// Trend of one indicator: the 2021 baseline, the actual values by year as a line with labelled
// points, and the 2025 target as a dashed horizontal line.
import { CHART_FONT, fmt } from './common';

export interface LinePoint {
  year: number;
  value: number;
}

interface Props {
  points: LinePoint[];
  baseline?: { year: number; value: number } | null;
  target?: { year: number; value: number; label: string } | null;
  unit?: string;
  fromYear: number;
  toYear: number;
  height?: number;
  testId?: string;
  ariaLabel: string;
}

const W = 560;

export function LineChart({ points, baseline, target, unit, fromYear, toYear, height = 220, testId, ariaLabel }: Props) {
  const top = 24;
  const bottom = 30;
  const left = 52;
  const right = 70;
  const values = [...points.map((p) => p.value), ...(baseline ? [baseline.value] : []), ...(target ? [target.value] : [])];
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  } else {
    const pad = (hi - lo) * 0.15;
    lo -= pad;
    hi += pad;
  }
  if (lo < 0 && values.every((v) => v >= 0)) lo = 0;
  const span = Math.max(1, toYear - fromYear);
  const x = (yr: number) => left + ((yr - fromYear) / span) * (W - left - right);
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
  const sorted = [...points].sort((a, b) => a.year - b.year);
  const years: number[] = [];
  const step = span > 10 ? 2 : 1;
  for (let yr = fromYear; yr <= toYear; yr += step) years.push(yr);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${height}`} role="img" aria-label={ariaLabel} data-testid={testId} style={{ fontFamily: CHART_FONT }}>
      {ticks.map((t, i) => (
        <g key={i}>
          <line x1={left} x2={W - right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={left - 6} y={y(t) + 4} textAnchor="end" className="chart-axis">
            {fmt(Math.round(t * 100) / 100)}
          </text>
        </g>
      ))}
      {unit && (
        <text x={left - 6} y={top - 10} textAnchor="end" className="chart-axis">
          {unit}
        </text>
      )}
      {years.map((yr) => (
        <text key={yr} x={x(yr)} y={height - bottom + 16} textAnchor="middle" className="chart-axis">
          {yr}
        </text>
      ))}
      <line x1={left} x2={W - right} y1={height - bottom} y2={height - bottom} className="chart-axis-line" />
      {target && (
        <g data-testid="chart-target">
          <line x1={left} x2={W - right} y1={y(target.value)} y2={y(target.value)} className="chart-target" />
          <line x1={x(target.year)} x2={x(target.year)} y1={top} y2={height - bottom} className="chart-target-year" />
          <text x={W - right + 4} y={y(target.value) + 4} className="chart-target-label">
            {target.label}
          </text>
        </g>
      )}
      {baseline && (
        <g data-testid="chart-baseline">
          <rect x={x(baseline.year) - 5} y={y(baseline.value) - 5} width={10} height={10} className="chart-baseline" />
          <text x={x(baseline.year) + 8} y={y(baseline.value) - 8} className="chart-num small">
            基期 {fmt(baseline.value)}
          </text>
        </g>
      )}
      {sorted.length > 1 && (
        <polyline points={sorted.map((p) => `${x(p.year)},${y(p.value)}`).join(' ')} className="chart-line" />
      )}
      {sorted.map((p) => (
        <g key={p.year} data-testid="chart-point" data-year={p.year}>
          <circle cx={x(p.year)} cy={y(p.value)} r={4} className="chart-point" />
          <text x={x(p.year)} y={y(p.value) - 9} textAnchor="middle" className="chart-num small">
            {fmt(p.value)}
          </text>
        </g>
      ))}
      {sorted.length === 0 && (
        <text x={(left + W - right) / 2} y={height / 2} textAnchor="middle" className="chart-empty">
          尚未填报实际值
        </text>
      )}
    </svg>
  );
}
