// Parsing what people write in ledgers: dates, statuses, cities, department names.
// Pure: no node:* modules, no DOM. Messages are Chinese and shown as they are.
import { CITIES, STATUSES, isIsoDate, type City, type Status } from './domain';
import { LIST_SPLIT_RE } from './ledger';

export type ParseResult<T> = { ok: true; value: T; note?: string } | { ok: false; message: string };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Full-width digits and punctuation people type in Chinese input methods → ASCII. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** 十二 → 12, 二〇二五 → 2025 (digit by digit when no 十) */
function cnNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[零〇一二两三四五六七八九十]+$/.test(s)) return null;
  if (s.includes('十')) {
    const [a, b] = s.split('十');
    const tens = a === '' ? 1 : CN_DIGITS[a];
    const ones = b === '' ? 0 : CN_DIGITS[b];
    if (tens === undefined || ones === undefined || a.length > 1 || b.length > 1) return null;
    return tens * 10 + ones;
  }
  return Number([...s].map((c) => CN_DIGITS[c]).join(''));
}

const LONG_TERM_RE = /^(长期坚持|长期|持续推进|持续|长期推进|常态化推进|常态化|持续实施|长期实施)$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** An Excel serial day number (1900 date system) → YYYY-MM-DD. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return null;
  const d = new Date(EXCEL_EPOCH + Math.floor(serial) * 86400000);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const DEADLINE_HELP = '可写 2025-12-31、2025/6/30、2025.6、2025年6月、2025年底、2025年上半年 或 长期坚持';

/**
 * The deadlines people write → YYYY-MM-DD (or null for blank and open-ended ones).
 * A month without a day means its last day; a year alone, 年底 and 年末 mean 31 December.
 */
export function parseDeadline(input: string | number | null | undefined): ParseResult<string | null> {
  if (input === null || input === undefined) return { ok: true, value: null };
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 1990 && input <= 2100) return { ok: true, value: ymd(input, 12, 31) };
    const iso = input >= 20000 && input <= 80000 ? excelSerialToIso(input) : null;
    return iso ? { ok: true, value: iso } : { ok: false, message: `完成时限“${input}”不是日期，${DEADLINE_HELP}` };
  }
  const raw = input;
  let s = toHalfWidth(String(input)).replace(/\s+/g, '').trim();
  if (s === '' || s === '-' || s === '—' || s === '/' || s === '无') return { ok: true, value: null };
  if (LONG_TERM_RE.test(s)) return { ok: true, value: null, note: '长期坚持' };
  s = s.replace(/(之前|以前|前)$/, '');
  const bad = (why = ''): ParseResult<string | null> => ({
    ok: false,
    message: `完成时限“${raw}”${why || '无法识别'}，${DEADLINE_HELP}`,
  });
  const day = (y: number, m: number, d: number): ParseResult<string | null> => {
    const iso = ymd(y, m, d);
    return isIsoDate(iso) && y >= 1990 && y <= 2100 ? { ok: true, value: iso } : bad('不是有效日期');
  };
  const month = (y: number, m: number): ParseResult<string | null> =>
    m >= 1 && m <= 12 && y >= 1990 && y <= 2100 ? { ok: true, value: ymd(y, m, lastDay(y, m)) } : bad('不是有效月份');
  let m: RegExpMatchArray | null;
  // 2025-12-31, 2025/6/30, 2025.6.30, optional time after it (as some programs write)
  if ((m = s.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/)))
    return day(+m[1], +m[2], +m[3]);
  if ((m = s.match(/^(\d{4})(\d{2})(\d{2})$/))) return day(+m[1], +m[2], +m[3]);
  // 2025.6, 2025-06, 2025/6 → end of the month
  if ((m = s.match(/^(\d{4})[-/.](\d{1,2})$/))) return month(+m[1], +m[2]);
  // Excel serial number written as text
  if ((m = s.match(/^(\d{5})(\.\d+)?$/))) {
    const iso = +m[1] >= 20000 && +m[1] <= 80000 ? excelSerialToIso(+s) : null;
    return iso ? { ok: true, value: iso } : bad();
  }
  // 2025年…
  if ((m = s.match(/^([\d零〇一二三四五六七八九]{4})年?(.*)$/))) {
    const y = cnNumber(m[1]);
    if (y === null) return bad();
    const rest = m[2];
    if (rest === '' || /^(年?底|年?末|年?年底|年?年末|全年|内|年内|度)$/.test(rest)) return month(y, 12);
    if (/^上半年(底|末)?$/.test(rest)) return month(y, 6);
    if (/^下半年(底|末)?$/.test(rest)) return month(y, 12);
    let q: RegExpMatchArray | null;
    if ((q = rest.match(/^第?([一二三四1-4])季度(底|末)?$/))) return month(y, 3 * (cnNumber(q[1]) ?? 0));
    if ((q = rest.match(/^([\d一二三四五六七八九十]{1,3})月(?:份)?(底|末|前)?$/))) {
      const mo = cnNumber(q[1]);
      return mo === null ? bad() : month(y, mo);
    }
    if ((q = rest.match(/^([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})[日号]?$/))) {
      const mo = cnNumber(q[1]);
      const d = cnNumber(q[2]);
      return mo === null || d === null ? bad() : day(y, mo, d);
    }
    if ((q = rest.match(/^([\d一二三四五六七八九十]{1,3})月(上旬|中旬|下旬)$/))) {
      const mo = cnNumber(q[1]);
      if (mo === null) return bad();
      return q[2] === '上旬' ? day(y, mo, 10) : q[2] === '中旬' ? day(y, mo, 20) : month(y, mo);
    }
  }
  return bad();
}

const STATUS_WORDS: Record<Status, RegExp> = {
  未启动: /^(未启动|未开始|尚未启动|尚未开始|未开展|待启动|未动工)$/,
  推进中: /^(推进中|进行中|正在推进|正在进行|实施中|在建|持续推进|已启动|启动|推进|正常推进|按计划推进)$/,
  已完成: /^(已完成|完成|已办结|办结|已落实|完成中的已完成|全部完成)$/,
  滞后: /^(滞后|进度滞后|延期|延误|逾期|未按期完成|推进滞后|缓慢|进展缓慢)$/,
};

export function parseStatus(input: string | number | null | undefined): ParseResult<Status> {
  const s = toHalfWidth(String(input ?? ''))
    .replace(/\s+/g, '')
    .trim();
  if (s === '') return { ok: false, message: `状态为空，应为 ${STATUSES.join('、')} 之一` };
  for (const st of STATUSES) if (STATUS_WORDS[st].test(s)) return { ok: true, value: st };
  return { ok: false, message: `状态“${input}”无法识别，应为 ${STATUSES.join('、')} 之一` };
}

/** 长沙 / 长沙市 / 长沙市人民政府, separated by 、，,；; or spaces; 长株潭 / 三市 mean all three. */
export function parseCities(input: string | number | null | undefined): ParseResult<City[]> {
  const s = toHalfWidth(String(input ?? '')).trim();
  if (s === '') return { ok: true, value: [] };
  const out = new Set<City>();
  for (const part of s.split(LIST_SPLIT_RE).filter(Boolean)) {
    if (/^(长株潭|长株潭三市|三市|长株潭都市圈|都市圈|全部)$/.test(part)) {
      CITIES.forEach((c) => out.add(c));
      continue;
    }
    const c = CITIES.find((x) => part.startsWith(x.slice(0, 2)) && /^(市|市人民政府|市政府)?$/.test(part.slice(2)));
    if (!c) return { ok: false, message: `责任城市“${part}”无法识别，应为 ${CITIES.join('、')}（多个用“、”分隔）` };
    out.add(c);
  }
  return { ok: true, value: CITIES.filter((c) => out.has(c)) };
}

/** Split a cell listing several departments. */
export function splitList(input: string | number | null | undefined): string[] {
  return toHalfWidth(String(input ?? ''))
    .split(LIST_SPLIT_RE)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** What people type around a department name: blanks, full-width brackets, trailing punctuation. */
export function normaliseDeptText(name: string): string {
  return toHalfWidth(name)
    .replace(/[\s]+/g, '')
    .replace(/[()]/g, (c) => (c === '(' ? '（' : '）'))
    // the lookbehind makes this linear: without it a long run of punctuation that is not at
    // the end was scanned again from every position in it (a 5 MB cell froze the importer)
    .replace(/(?<![。.，,；;、])[。.，,；;、]+$/, '')
    .trim();
}

/**
 * A comparison key for a department name: drops the 湖南省/省 prefix, the 和/与 joiners and the
 * 委员会/厅/局/委/办 endings, so 湖南省发展和改革委员会 and 省发展改革委 both become 发展改革.
 */
export function deptKey(name: string): string {
  let s = normaliseDeptText(name);
  s = s.replace(/^(湖南省人民政府|湖南省|湖南|省)/, '');
  s = s.replace(/人民政府办公厅$/, '政府办').replace(/委员会$/, '委');
  s = s.replace(/(管理局|管理厅|厅|局|委|办公室|办)$/, '');
  s = s.replace(/[和与及]/g, '');
  return s;
}

function bigrams(s: string): string[] {
  const chars = [...s];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

function dice(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  let common = 0;
  for (const x of a) {
    const n = counts.get(x) ?? 0;
    if (n > 0) {
      common++;
      counts.set(x, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** How alike two department names are, 0…1. */
export function deptSimilarity(a: string, b: string): number {
  const ka = deptKey(a);
  const kb = deptKey(b);
  if (!ka || !kb) return 0;
  if (ka === kb) return 1;
  const bi = dice(bigrams(ka), bigrams(kb));
  const uni = dice([...ka], [...kb]);
  // a short name inside a long one (发改 in 发展改革 is not, 交通 in 交通运输 is)
  const contained = ka.includes(kb) || kb.includes(ka) ? 0.15 : 0;
  return Math.min(1, Math.max(bi, uni * 0.85) + contained);
}

export interface DeptCandidate {
  id: number;
  name: string;
  aliases?: string[];
}

/**
 * The longest text compared as a department name. Real names are short (the longest in the seed
 * is under 30 characters); a longer cell is no name, and comparing it costs per candidate and
 * alias (keys and bigrams of the whole text: a 1 MB cell froze the importer; docs/bench.md).
 */
export const MAX_DEPT_NAME = 100;

/** Longest key compared by edit distance: department names are short; a long cell is not a near miss. */
const NEAR_MISS_MAX_CHARS = 40;

/** Levenshtein distance of two character arrays (two rows; both short, see NEAR_MISS_MAX_CHARS). */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * A typo of a department name, 0…1: the keys (see deptKey) one character apart, two for a key of
 * six or more. 省水力厅 (水力) is one from 省水利厅 (水利), though no pair of characters is shared,
 * so the similarity above misses it.
 */
function nearMiss(key: readonly string[], name: string): number {
  const other = [...deptKey(name)];
  if (key.length < 2 || other.length < 2 || other.length > NEAR_MISS_MAX_CHARS) return 0;
  const allowed = Math.max(key.length, other.length) >= 6 ? 2 : 1;
  if (Math.abs(key.length - other.length) > allowed) return 0;
  const d = editDistance(key, other);
  return d === 0 || d > allowed ? 0 : 0.5 + 0.4 * (1 - d / Math.max(key.length, other.length));
}

/** Departments whose name or an alias looks like `name` (or is a near miss of it), best first. */
export function suggestDepartments<T extends DeptCandidate>(name: string, candidates: readonly T[], max = 3): T[] {
  if (name.length > MAX_DEPT_NAME) return [];
  const key = normaliseDeptText(name).length <= NEAR_MISS_MAX_CHARS * 2 ? [...deptKey(name)] : [];
  const near = (n: string) => (key.length && key.length <= NEAR_MISS_MAX_CHARS ? nearMiss(key, n) : 0);
  const like = (n: string) => Math.max(deptSimilarity(name, n), near(n));
  const scored = candidates
    .map((c) => ({ c, score: Math.max(like(c.name), ...(c.aliases ?? []).map(like)) }))
    .filter((x) => x.score >= 0.5)
    .sort((x, y) => y.score - x.score || x.c.name.localeCompare(y.c.name, 'zh-CN'));
  return scored.slice(0, max).map((x) => x.c);
}

/** Candidates whose key equals the key of `name` (a variant spelling of exactly one department). */
export function sameKeyDepartments<T extends DeptCandidate>(name: string, candidates: readonly T[]): T[] {
  if (name.length > MAX_DEPT_NAME) return [];
  const k = deptKey(name);
  if (!k) return [];
  return candidates.filter((c) => deptKey(c.name) === k || (c.aliases ?? []).some((a) => deptKey(a) === k));
}

/** Cell text as the ledger compares it: line endings unified, trailing blanks dropped. */
const BLANK_BEFORE_BREAK = /[ \t\u3000][\n\u2028\u2029]/;
const WHITE = /\s/;

export function normaliseText(s: string | number | null | undefined): string {
  const str = String(s ?? '');
  // the usual text has nothing to change (no CR, no blanks before a line break or at the end, no
  // leading line break): given back as it is, without the four passes below (an import compares
  // every text cell of a 10,000-row ledger this way)
  if (str.indexOf('\r') === -1 && str.charCodeAt(0) !== 10 && !WHITE.test(str.charAt(str.length - 1)) && !BLANK_BEFORE_BREAK.test(str)) return str;
  return str
    .replace(/\r\n?/g, '\n')
    // linear forms of /[ \t\u3000]+$/gm and /\s+$/: the plain ones rescanned a long run of
    // blanks from every position in it, quadratic in its length (found by tests/fuzz)
    .replace(/(?<![ \t\u3000])[ \t\u3000]+(?=[\n\u2028\u2029]|$)/g, '')
    .trimEnd()
    .replace(/^\n+/, '');
}
