// Shared bits of the hand-written SVG charts (no charting library: they work offline and are bundled).
import type { KeyboardEvent } from 'react';

export interface Series {
  name: string;
  color: string;
}

export interface Datum {
  /** stable key passed back on click */
  key: string;
  label: string;
  /** one value per series */
  values: number[];
  /** extra attributes for the clickable element (data-testid, data-lead-id, …) */
  attrs?: Record<string, string>;
  /** tooltip */
  title?: string;
}

export const CHART_FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif';

/** A "nice" axis maximum ≥ v (1, 2, 2.5, 5 × 10^n). */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Numbers on the charts: integers as is, others with up to 2 decimals. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 100) / 100);
}

/** Shorten a label to n visible characters. */
export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Approximate text width in px (CJK characters are ~1em, others ~0.6em). */
export function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\uFFFF]/.test(ch) ? size : size * 0.6;
  return w;
}

/** Keyboard activation for clickable SVG groups. */
export function activateOnKey(fn: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      fn();
    }
  };
}
