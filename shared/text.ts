import { z } from 'zod';

/** control characters (NUL, line breaks, tabs …): never part of a name or a title */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A one-line text such as a name or a title: trimmed, not empty, at most `max` characters, no
 * control characters. (SQLite's length() stops at a NUL, so "\u0000" would pass a JS check and
 * then fail the table's CHECK (length(trim(name)) > 0) as an internal error.)
 */
export function oneLine(max: number, label = '', messages: { empty?: string; long?: string } = {}) {
  return z
    .string()
    .trim()
    .min(1, messages.empty ?? `${label}不能为空`)
    .max(max, messages.long ?? `${label}不能超过${max}个字符`)
    .refine((s) => !CONTROL.test(s), `${label}不能包含换行、制表符等控制字符`);
}

/**
 * Text in Chinese double quotes, its own double quotes made single (“…‘…’…”), as Chinese usage
 * nests quotation marks: the plan's measures quote names such as “一带一路”.
 */
export function quoted(s: string): string {
  return `“${s.replace(/“/g, '‘').replace(/”/g, '’')}”`;
}
