// Numbers as the dashboard writes them: a share in percent (— when there is nothing to share) and
// 亿元 to two decimals.
import { fmt } from '../charts/common';

export const pct = (a: number, b: number) => (b > 0 ? `${Math.round((a / b) * 100)}%` : '—');
export const money = (v: number) => `${fmt(Math.round(v * 100) / 100)}`;
