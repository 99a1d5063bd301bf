// Small helpers the benchmark shares: clocks, medians and percentiles, peak memory.
import fs from 'node:fs';
import os from 'node:os';

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100) of the samples. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[k];
}

/** Peak resident set (VmHWM) of a process in MB, from /proc; null where there is no /proc. */
export function vmHwmMb(pid: number | 'self' = 'self'): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Current resident set of a process and all its descendants, in MB (from /proc). */
export function treeRssMb(pid: number): number {
  let total = 0;
  for (const p of descendants(pid).concat(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return Math.round(total / 1024);
}

export function descendants(pid: number): number[] {
  const out: number[] = [];
  // a child belongs to the thread that started it: every thread's list (LibreOffice's launcher
  // starts soffice.bin from a thread other than its main one, so the main thread's list missed it)
  let children: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        children.push(
          ...fs
            .readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
            .split(/\s+/)
            .filter(Boolean)
            .map(Number),
        );
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    return out;
  }
  children = [...new Set(children)];
  for (const c of children) out.push(c, ...descendants(c));
  return out;
}

/** Samples process.memoryUsage().rss every few ms while fn runs; returns fn's value and the peak in MB. */
export async function withRssPeak<T>(fn: () => Promise<T> | T, everyMs = 10): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
  }, everyMs);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMb: Math.round(peak / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

export function loadAvg(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}
