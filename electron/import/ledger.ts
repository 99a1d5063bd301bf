// 导入台账: parse → validate → three-way diff (against the ledger's hidden _meta base) → apply
// in one transaction, with an audit entry per field, or nothing at all. Two kinds of ledger go
// through the same reader, diff, conflicts and apply: the 任务分工台账 (measures, written through
// applyEdits) and the 重点建设项目台账 (projects, written through updateProjects). The kind comes
// from the hidden _meta sheet, or else from the header set.
import { CITIES, isIsoDate, type City, type MeasureEdit, type MeasurePatch, type Department } from '../../shared/domain';
import { LEDGER_COLUMNS, READ_ONLY_EXTRA_HEADERS, type LedgerColumn } from '../../shared/ledger';
import { PROJECT_CATEGORIES, PROJECT_COLUMNS, PROJECT_STAGES, type Project, type ProjectColumn, type ProjectEdit, type ProjectPatch } from '../../shared/projects';
import {
  EDITABLE_COLUMNS,
  PROJECT_EDITABLE_COLUMNS,
  isProjectCategory,
  isProjectStage,
  projectFieldText,
  projectFieldValueOf,
  fieldText,
  fieldValueOf,
  leadListOf,
  importChoicesSchema,
  importPreviewSchema,
  isStatus,
  patchKeyOf,
  type FieldChange,
  type FieldValue,
  type ImportCellError,
  type ImportChoices,
  type ImportConflict,
  type ImportPreview,
  type ImportRowChange,
  type ImportSummary,
  type ImportField,
  type LedgerKind,
  type LedgerMetaInfo,
  type LedgerScope,
} from '../../shared/import';
import {
  normaliseDeptText,
  normaliseText,
  parseCities,
  parseDeadline,
  parseStatus,
  sameKeyDepartments,
  splitList,
  suggestDepartments,
  toHalfWidth,
  MAX_DEPT_NAME,
} from '../../shared/parse';
import { applyEdits, measureStates, type MeasureState } from '../services/measures';
import { defaultProjectYear, listProjects, updateProjects } from '../services/projects';
import { findDepartment, listDepartments, normaliseDeptName } from '../services/departments';
import { ServiceError, type ServiceContext } from '../core/context';
import { readSpreadsheet, type CellValue, type ReadSheet } from './read';
import { z } from 'zod';

export const IMPORT_OP = '导入台账';
export const PROJECT_IMPORT_OP = '导入项目台账';
const META_SHEET = '_meta';
const META_FORMAT_PREFIXES = ['czt-ledger/', 'czt-projects/'];
const HEADER_SCAN_ROWS = 10;
const MAX_TEXT = 20000;

// ---------------------------------------------------------------- header mapping

/** A header as people write it: no blanks, no line breaks, no * marks, no trailing （说明）. */
function headerKey(s: CellValue): string {
  return toHalfWidth(String(s ?? ''))
    .replace(/[\s*＊:：]/g, '')
    // a trailing （…） note such as （亿元）; no bracket inside, so a cell of 40,000 '(' stays linear
    .replace(/[(（][^()（）]*[)）]$/, '')
    .toLowerCase();
}

/** What both column lists have in common. */
type AnyColumn = LedgerColumn | ProjectColumn;

/** Further headers people write for project columns: the year written into the header. */
const PROJECT_EXTRA_ALIASES: Record<string, string[]> = {
  yearPlanned: ['当年计划投资', '本年度计划投资'],
  yearCompleted: ['当年完成投资', '本年度完成投资', '年度完成投资'],
};

function headerIndex(columns: readonly AnyColumn[], extra: Record<string, string[]> = {}): Map<string, AnyColumn> {
  const m = new Map<string, AnyColumn>();
  for (const c of columns) for (const h of [c.header, ...c.aliases, ...(extra[c.key] ?? [])]) if (!m.has(headerKey(h))) m.set(headerKey(h), c);
  return m;
}

/** The two kinds of ledger: their columns, ids and words. */
interface KindSpec {
  kind: LedgerKind;
  /** 任务分工台账 / 重点建设项目台账 */
  title: string;
  /** 措施 / 项目 */
  noun: string;
  columns: readonly AnyColumn[];
  editable: readonly AnyColumn[];
  index: Map<string, AnyColumn>;
  idRe: RegExp;
  idHint: string;
  /** a header like 2026年完成投资 names the year column */
  mapHeader?: (key: string) => string;
}

const SPECS: Record<LedgerKind, KindSpec> = {
  measures: {
    kind: 'measures',
    title: '任务分工台账',
    noun: '措施',
    columns: LEDGER_COLUMNS,
    editable: EDITABLE_COLUMNS,
    index: headerIndex(LEDGER_COLUMNS),
    idRe: /^\d+\.\d+\.\d+\.\d+$/,
    idHint: '应为 章.节.任务.措施，如 4.1.1.3',
  },
  projects: {
    kind: 'projects',
    title: '重点建设项目台账',
    noun: '项目',
    columns: PROJECT_COLUMNS,
    editable: PROJECT_EDITABLE_COLUMNS,
    index: headerIndex(PROJECT_COLUMNS, PROJECT_EXTRA_ALIASES),
    idRe: /^[PU]\d{3,}$/,
    idHint: '应为 P001（规划明确的项目）或 U001（新增项目）',
    mapHeader: (k) => k.replace(/^20\d\d年度?(计划|完成)投资/, (_, w: string) => (w === '计划' ? '年度计划投资' : '本年完成投资')),
  },
};

interface HeaderMatch {
  spec: KindSpec;
  row: number; // 0-based
  cols: Map<AnyColumn, number>;
  found: Map<AnyColumn, string>;
  ignored: string[];
  duplicates: string[];
}

/** the workbench's own read-only extra columns (a round ledger's 佐证材料): not taken, not reported as unknown */
const READ_ONLY_KEYS = new Set(READ_ONLY_EXTRA_HEADERS.map((h) => headerKey(h)));

function matchHeader(spec: KindSpec, cells: CellValue[], row: number): HeaderMatch {
  const cols = new Map<AnyColumn, number>();
  const found = new Map<AnyColumn, string>();
  const ignored: string[] = [];
  const duplicates: string[] = [];
  cells.forEach((v, i) => {
    let k = headerKey(v);
    if (!k) return;
    if (spec.mapHeader) k = spec.mapHeader(k);
    const c = spec.index.get(k);
    if (!c) {
      if (!READ_ONLY_KEYS.has(k)) ignored.push(String(v).trim());
    }
    else if (cols.has(c)) duplicates.push(String(v).trim());
    else {
      cols.set(c, i);
      found.set(c, String(v).trim());
    }
  });
  return { spec, row, cols, found, ignored, duplicates };
}

function findHeader(sheet: ReadSheet, spec: KindSpec): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  const idCol = spec.columns.find((c) => c.type === 'id')!;
  for (let r = 0; r < Math.min(sheet.rows.length, HEADER_SCAN_ROWS); r++) {
    const m = matchHeader(spec, sheet.rows[r], r);
    if (!m.cols.has(idCol) || m.cols.size < 2) continue;
    if (!best || m.cols.size > best.cols.size) best = m;
  }
  return best;
}

/** The header of either kind that matches more columns (the kind given by _meta, if any). */
function findAnyHeader(sheet: ReadSheet, kinds: LedgerKind[]): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  for (const k of kinds) {
    const h = findHeader(sheet, SPECS[k]);
    if (h && (!best || h.cols.size > best.cols.size)) best = h;
  }
  return best;
}

// ---------------------------------------------------------------- the hidden base

interface MetaBase {
  info: LedgerMetaInfo;
  base: Map<string, Partial<Record<ImportField, FieldValue>>>;
  /** rows of _meta whose values cannot be used (not JSON, the wrong count, a value of the wrong type): why */
  badRows: Map<string, string>;
}

/** What the hidden _meta sheet gave: a base, and whether the file had one at all. */
interface MetaRead {
  meta: MetaBase | null;
  /**
   * the file has a _meta sheet (it was exported here): a row without a usable base is compared
   * with this database only, but never overwrites a value changed here since the export unasked
   */
  present: boolean;
  /** when it was exported, if the sheet says so credibly; null: unknown (every difference in such a row is a conflict) */
  exportedAt: string | null;
  /** the whole sheet is unusable: why (the warning says so) */
  damaged?: string;
}

/** The kind a _meta sheet names: its kind row, else its format; null when there is no usable one. */
function metaKind(sheet: ReadSheet | undefined): LedgerKind | 'indicators' | null {
  if (!sheet) return null;
  const kv = new Map<string, string>();
  for (const row of sheet.rows.slice(0, 30)) {
    const k = String(row[0] ?? '');
    if (k === 'id') break;
    if (k) kv.set(k, String(row[1] ?? ''));
  }
  const kind = kv.get('kind') ?? '';
  if (kind === 'measures' || kind === 'projects' || kind === 'indicators') return kind;
  const format = kv.get('format') ?? '';
  if (format.startsWith('czt-projects/')) return 'projects';
  if (format.startsWith('czt-indicators/')) return 'indicators';
  if (format.startsWith('czt-ledger/')) return 'measures';
  return null;
}

/** the scope _meta records (what the export was limited to); anything else in it is damage */
const scopeSchema = z
  .object({
    deptId: z.number().int().positive().optional(),
    deptName: z.string().max(200).optional(),
    city: z.enum(CITIES).optional(),
    chapter: z.number().int().min(1).max(99).optional(),
    category: z.enum(PROJECT_CATEGORIES).optional(),
  })
  .strict();

/** exportedAt as _meta holds it (an ISO time), if it is one and not in the future; else null */
function credibleTime(s: string | undefined): string | null {
  if (!s || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/.test(s)) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= Date.UTC(2020, 0, 1) && t <= Date.now() + 60_000 ? new Date(t).toISOString() : null;
}

class MetaDamage extends Error {}
const damage = (why: string): never => {
  throw new MetaDamage(why);
};

/** A base value that has the type its column holds (else the row's base is unusable). */
function validBaseValue(spec: KindSpec, field: string, v: unknown): boolean {
  const col = spec.editable.find((c) => c.key === field);
  if (!col) return true;
  try {
    if (spec.kind === 'projects') checkProjectValue(col as ProjectColumn, v as FieldValue, 'P000');
    else checkValue(col as LedgerColumn, v as FieldValue, '0.0.0.0');
    return true;
  } catch {
    return false;
  }
}

function readMeta(sheet: ReadSheet | undefined, spec: KindSpec): MetaRead {
  if (!sheet) return { meta: null, present: false, exportedAt: null };
  const kv = new Map<string, string>();
  let r = 0;
  for (; r < sheet.rows.length; r++) {
    const k = String(sheet.rows[r][0] ?? '');
    if (k === 'id') break;
    if (k) kv.set(k, String(sheet.rows[r][1] ?? ''));
  }
  const exportedAt = credibleTime(kv.get('exportedAt'));
  try {
    const format = kv.get('format') ?? '';
    if (!META_FORMAT_PREFIXES.some((x) => format.startsWith(x))) damage('没有可识别的格式记录');
    if (r >= sheet.rows.length) damage('没有各行的原值');
    // a base written for the other kind of ledger is no base for this one
    if ((metaKind(sheet) ?? 'measures') !== spec.kind) damage('记录的台账种类与表格不符');
    let scopeJson: unknown;
    try {
      scopeJson = JSON.parse(kv.get('scope') ?? '{}');
    } catch {
      damage('导出范围的记录不是有效的 JSON');
    }
    const scope = scopeSchema.safeParse(scopeJson);
    if (!scope.success) damage('导出范围的记录有误');
    const header = sheet.rows[r].map((v) => String(v ?? ''));
    const base = new Map<string, Partial<Record<ImportField, FieldValue>>>();
    const badRows = new Map<string, string>();
    // the same few values recur on every row ("null", "[]", a status): parsed once each
    const parsed = new Map<string, unknown>();
    const parse = (s: string): unknown => {
      let v = parsed.get(s);
      if (v === undefined) {
        v = JSON.parse(s) as unknown;
        if (s.length <= 64) parsed.set(s, v);
      }
      return v;
    };
    const take = (excelRow: number, id: string, pairs: () => [string, unknown][]) => {
      if (base.has(id) || badRows.has(id)) {
        base.delete(id);
        badRows.set(id, `编号 ${id} 在隐藏工作表中出现了不止一次`);
        return;
      }
      let vals: [string, unknown][];
      try {
        vals = pairs();
      } catch {
        badRows.set(id, `隐藏工作表第 ${excelRow} 行的原值不是有效的 JSON`);
        return;
      }
      // a measure ledger exported before joint leads recorded one lead (an id or null): a list of it
      if (spec.kind === 'measures') vals = vals.map(([f, v]) => (f === 'lead' && (v === null || typeof v === 'number') ? [f, leadListOf(v)] : [f, v]));
      const bad = vals.find(([f, v]) => !validBaseValue(spec, f, v));
      if (bad) badRows.set(id, `隐藏工作表第 ${excelRow} 行“${spec.editable.find((c) => c.key === bad[0])?.header ?? bad[0]}”的原值格式有误`);
      else base.set(id, Object.fromEntries(vals) as Partial<Record<ImportField, FieldValue>>);
    };
    if (header[1] === 'values') {
      // czt-ledger/2: [id, JSON array of the values in the order of 'fields']
      let keys: unknown;
      try {
        keys = JSON.parse(kv.get('fields') ?? '');
      } catch {
        damage('列的记录不是有效的 JSON');
      }
      if (!Array.isArray(keys) || keys.length > 100 || !keys.every((k) => typeof k === 'string')) damage('列的记录有误');
      const names = keys as string[];
      const fields = names.map((k, i) => ({ h: k, i })).filter(({ h }) => spec.editable.some((e) => e.key === h));
      for (let i = r + 1; i < sheet.rows.length; i++) {
        const row = sheet.rows[i];
        const id = String(row[0] ?? '').trim();
        if (!id) continue;
        take(i + 1, id, () => {
          const arr = parse(String(row[1] ?? ''));
          if (!Array.isArray(arr) || arr.length !== names.length) throw new Error('values');
          return fields.map(({ h, i: k }) => [h, arr[k]]);
        });
      }
    } else {
      const fields = header.map((h, c) => ({ h, c })).filter(({ h, c }) => c > 0 && spec.editable.some((e) => e.key === h));
      // a header naming none of the columns (czt-ledger/2's 'values' altered, say) holds no base at all
      if (!fields.length) damage('各行原值的列标题无法识别');
      for (let i = r + 1; i < sheet.rows.length; i++) {
        const row = sheet.rows[i];
        const id = String(row[0] ?? '').trim();
        if (!id) continue;
        take(i + 1, id, () => fields.map(({ h, c }) => [h, parse(String(row[c] ?? 'null'))]));
      }
    }
    const year = Number(kv.get('year'));
    return {
      meta: {
        info: {
          format,
          kind: spec.kind,
          ...(spec.kind === 'projects' && Number.isInteger(year) && year >= 1990 && year <= 2100 ? { year } : {}),
          version: kv.get('version') ?? '',
          exportedAt: kv.get('exportedAt') ?? '',
          scope: scope.data as LedgerScope,
          scopeLabel: kv.get('scopeLabel') ?? '',
          ids: [...base.keys(), ...badRows.keys()],
        },
        base,
        badRows,
      },
      present: true,
      exportedAt,
    };
  } catch (e) {
    if (!(e instanceof MetaDamage)) throw e;
    return { meta: null, present: true, exportedAt, damaged: e.message };
  }
}

/**
 * Whether a row with these values is in the scope a ledger was exported for (its department,
 * city, chapter or category): a row a department appends for a measure it was never sent is no
 * return of that export.
 */
function inScope(spec: KindSpec, scope: LedgerScope & { category?: string }, id: string, vals: Partial<Record<string, FieldValue>>): boolean {
  if (scope.deptId !== undefined) {
    // a measure's leads are a list (any of them); a project's lead one id
    const lead = Array.isArray(vals.lead) ? (vals.lead as unknown[]).includes(scope.deptId) : vals.lead === scope.deptId;
    const co = spec.kind === 'measures' && Array.isArray(vals.co) && (vals.co as unknown[]).includes(scope.deptId);
    if (!lead && !co) return false;
  }
  if (scope.city !== undefined && !(Array.isArray(vals.cities) && (vals.cities as unknown[]).includes(scope.city))) return false;
  if (scope.chapter !== undefined && spec.kind === 'measures' && Number(id.split('.')[0]) !== scope.chapter) return false;
  if (scope.category !== undefined && spec.kind === 'projects' && vals.category !== scope.category) return false;
  return true;
}

// ---------------------------------------------------------------- values

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (typeof a === 'string' || typeof b === 'string') return normaliseText(a as string) === normaliseText(b as string);
  // amounts: a spreadsheet program may write 12.3 back as 12.299999999999999
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return (a ?? null) === (b ?? null);
}

interface DeptResolver {
  /** `name`: the unknown name as compared (the key of a per-file choice: PreviewOptions.deptMap); none for a cell too long to be a name */
  resolve(name: string): { id: number; note?: string } | { error: string; suggestions: string[]; name?: string };
  name(id: number): string;
}

/**
 * findDepartment over a directory already read (every department, aliases, merges): the same
 * answer without a query per name, built once per directory (a batch of returned ledgers shares one).
 */
const directoryLookups = new WeakMap<readonly Department[], (name: string) => number | undefined>();
export function directoryLookup(all: readonly Department[]): (name: string) => number | undefined {
  let find = directoryLookups.get(all);
  if (find) return find;
  const byId = new Map(all.map((d) => [d.id, d]));
  const byName = new Map(all.map((d) => [d.name, d]));
  const byAlias = new Map<string, Department>();
  for (const d of all) for (const a of d.aliases) if (!byAlias.has(a)) byAlias.set(a, d);
  find = (name) => {
    const n = normaliseDeptName(name);
    let d = byName.get(n) ?? byAlias.get(n);
    for (let hops = 0; d && d.state === '已合并' && d.mergedInto !== null && hops < 20; hops++) d = byId.get(d.mergedInto);
    return d?.id;
  };
  directoryLookups.set(all, find);
  return find;
}

function deptResolver(ctx: ServiceContext, chosen?: Readonly<Record<string, number>>, depts?: readonly Department[]): DeptResolver {
  const all: readonly Department[] = depts ?? listDepartments(ctx, true);
  const findId = depts ? directoryLookup(depts) : (name: string) => findDepartment(ctx, name)?.id;
  const active = all.filter((d) => d.state === '在用');
  const byId = new Map(all.map((d) => [d.id, d]));
  const cache = new Map<string, ReturnType<DeptResolver['resolve']>>();
  return {
    name: (id) => byId.get(id)?.name ?? `（部门${id}）`,
    resolve(raw) {
      // an absurd cell is refused before any lookup or comparison (see MAX_DEPT_NAME)
      if (raw.length > MAX_DEPT_NAME) return { error: `单位名称过长（${raw.length} 字），不是工作台中的单位：请核对该单元格`, suggestions: [] };
      const name = normaliseDeptText(raw);
      const hit = cache.get(name);
      if (hit) return hit;
      let out: ReturnType<DeptResolver['resolve']>;
      const exact = findId(name);
      const pick = chosen && Object.hasOwn(chosen, name) ? byId.get(chosen[name]) : undefined;
      if (exact !== undefined) out = { id: exact };
      // the person chose the department this file means by the name (the directory is not changed)
      else if (pick && pick.state === '在用') out = { id: pick.id, note: `“${raw}”按本次导入的选择识别为“${pick.name}”` };
      else {
        const same = sameKeyDepartments(name, active);
        if (same.length === 1) out = { id: same[0].id, note: `“${raw}”按“${same[0].name}”识别` };
        else {
          const sugg = suggestDepartments(name, active).map((d) => d.name);
          out = {
            error: `单位“${raw}”不在工作台的单位清单中${sugg.length ? `，是否为：${sugg.join('、')}？` : ''}（可在单位管理中把它添加为别名后重新导入）`,
            suggestions: sugg,
            name,
          };
        }
      }
      cache.set(name, out);
      return out;
    },
  };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

type Parsed = { ok: true; value: FieldValue; note?: string } | { ok: false; message: string; suggestions?: string[]; deptName?: string };

/** a cell of departments longer than this is no list of names (200 names at most, each short) */
const MAX_DEPTS_CELL = 200 * (MAX_DEPT_NAME + 1);

/** A departments cell too long to be one: refused before it is split or compared. */
function absurdDeptCell(col: AnyColumn, v: CellValue): Parsed | null {
  const n = typeof v === 'string' ? v.length : 0;
  const max = col.type === 'depts' || col.type === 'leads' ? MAX_DEPTS_CELL : MAX_DEPT_NAME * 2;
  return n > max ? { ok: false, message: `${col.header}过长（${n} 字），不像单位名称，请核对该单元格` } : null;
}

function parseField(col: LedgerColumn, v: CellValue, depts: DeptResolver): Parsed {
  if (col.type === 'dept' || col.type === 'leads' || col.type === 'depts') {
    const absurd = absurdDeptCell(col, v);
    if (absurd) return absurd;
  }
  switch (col.type) {
    case 'dept': {
      const names = splitList(v === null ? '' : String(v));
      if (names.length === 0) return { ok: true, value: null };
      if (names.length > 1) return { ok: false, message: `${col.header}只能填一个单位，现为“${String(v)}”；其他单位请填入配合单位` };
      const r = depts.resolve(names[0]);
      return 'id' in r ? { ok: true, value: r.id, note: r.note } : { ok: false, message: r.error, suggestions: r.suggestions, deptName: r.name };
    }
    // the 牵头单位 in the order written (the first is 主责), like 配合单位 a list
    case 'leads':
    case 'depts': {
      const ids: number[] = [];
      const notes: string[] = [];
      for (const n of splitList(v === null ? '' : String(v))) {
        const r = depts.resolve(n);
        if (!('id' in r)) return { ok: false, message: r.error, suggestions: r.suggestions, deptName: r.name };
        if (!ids.includes(r.id)) ids.push(r.id);
        if (r.note) notes.push(r.note);
      }
      return { ok: true, value: ids, note: notes.join('；') || undefined };
    }
    case 'cities':
      return parseCities(typeof v === 'boolean' ? String(v) : v);
    case 'date':
      // what our own ledger holds, as parseDeadline would read it
      if (typeof v === 'string' && ISO_DAY.test(v) && isIsoDate(v) && v >= '1990' && v < '2101') return { ok: true, value: v };
      return parseDeadline(typeof v === 'boolean' ? String(v) : v);
    case 'status':
      return parseStatus(typeof v === 'boolean' ? String(v) : v);
    default: {
      const s = normaliseText(v === null ? '' : typeof v === 'number' ? String(v) : String(v));
      if (s.length > MAX_TEXT) return { ok: false, message: `${col.header}超过 ${MAX_TEXT} 字（现为 ${s.length} 字）` };
      return { ok: true, value: s };
    }
  }
}

// ---------------------------------------------------------------- project cells

const STAGE_WORDS: Record<string, (typeof PROJECT_STAGES)[number]> = {
  谋划: '谋划',
  谋划中: '谋划',
  储备: '谋划',
  前期: '前期',
  前期工作: '前期',
  开展前期: '前期',
  新开工: '新开工',
  开工: '新开工',
  新建: '新开工',
  续建: '续建',
  在建: '续建',
  建设中: '续建',
  建成: '建成',
  已建成: '建成',
  竣工: '建成',
  已竣工: '建成',
  完工: '建成',
  已完工: '建成',
};

const MONEY_MAX = 100000;

function parseMoney(header: string, v: CellValue): Parsed {
  if (v === null || typeof v === 'boolean') return { ok: true, value: null };
  let n: number;
  if (typeof v === 'number') n = v;
  else {
    const t = toHalfWidth(String(v)).replace(/[\s,，]/g, '');
    if (t === '' || t === '-' || t === '—' || t === '/' || t === '无') return { ok: true, value: null };
    if (/万/.test(t) && !/亿/.test(t)) return { ok: false, message: `${header}应以亿元为单位填写数字，现为“${String(v)}”（请把万元换算为亿元）` };
    const m = t.match(/^(\d+(?:\.\d+)?)(亿元|亿)?$/);
    if (!m) return { ok: false, message: `${header}应为数字（亿元），现为“${String(v)}”` };
    n = Number(m[1]);
  }
  if (!Number.isFinite(n) || n < 0) return { ok: false, message: `${header}不能为负数，现为“${String(v)}”` };
  if (n > MONEY_MAX) return { ok: false, message: `${header}超过 ${MONEY_MAX} 亿元，请确认单位是否为亿元（现为“${String(v)}”）` };
  return { ok: true, value: Math.round(n * 1e6) / 1e6 };
}

function parseYear(header: string, v: CellValue): Parsed {
  if (v === null || typeof v === 'boolean') return { ok: true, value: null };
  const t = toHalfWidth(String(v)).replace(/\s/g, '');
  if (t === '' || t === '-' || t === '—') return { ok: true, value: null };
  const m = t.match(/^(\d{4})(?:\.0+)?年?$/);
  const y = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(y) || y < 1990 || y > 2100) return { ok: false, message: `${header}应为 1990—2100 之间的年份，如 2025，现为“${String(v)}”` };
  return { ok: true, value: y };
}

function parseProjectField(col: ProjectColumn, v: CellValue, depts: DeptResolver): Parsed {
  if (col.type === 'dept') {
    const absurd = absurdDeptCell(col, v);
    if (absurd) return absurd;
  }
  const text = () => normaliseText(v === null ? '' : String(v));
  switch (col.type) {
    case 'dept': {
      const names = splitList(v === null ? '' : String(v));
      if (names.length === 0) return { ok: true, value: null };
      if (names.length > 1) return { ok: false, message: `${col.header}只能填一个单位，现为“${String(v)}”` };
      const r = depts.resolve(names[0]);
      return 'id' in r ? { ok: true, value: r.id, note: r.note } : { ok: false, message: r.error, suggestions: r.suggestions, deptName: r.name };
    }
    case 'cities':
      return parseCities(typeof v === 'boolean' ? String(v) : v);
    case 'category': {
      const t = text().replace(/\s/g, '');
      const c = isProjectCategory(t) ? t : t.replace(/类$/, '');
      if (isProjectCategory(c)) return { ok: true, value: c };
      return { ok: false, message: `${col.header}应为 ${PROJECT_CATEGORIES.join('、')} 之一，现为“${t}”` };
    }
    case 'stage': {
      const t = text().replace(/\s/g, '').replace(/项目$/, '');
      const st = STAGE_WORDS[t];
      if (st && isProjectStage(st)) return { ok: true, value: st, ...(st !== t ? { note: `“${t}”按“${st}”识别` } : {}) };
      return { ok: false, message: `${col.header}应为 ${PROJECT_STAGES.join('、')} 之一，现为“${t}”` };
    }
    case 'year':
      return parseYear(col.header, v);
    case 'money':
      return parseMoney(col.header, v);
    default: {
      const s = text();
      if (col.key === 'name' && !s) return { ok: false, message: '项目名称不能为空' };
      const max = col.type === 'longtext' ? MAX_TEXT : 200;
      if (s.length > max) return { ok: false, message: `${col.header}超过 ${max} 字（现为 ${s.length} 字）` };
      return { ok: true, value: s };
    }
  }
}

function colName(i: number): string {
  let s = '';
  for (let x = i + 1; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** A ledger row as the diff sees it, whichever kind. */
interface RowAccess<R> {
  rows: Map<string, R>;
  valueOf(col: AnyColumn, r: R): FieldValue;
  text(col: AnyColumn, v: FieldValue): string;
  parse(col: AnyColumn, v: CellValue): Parsed;
  label(r: R): string;
  /** a reason the row cannot be written (a deleted project), or null */
  blocked?(r: R): string | null;
}

function measureAccess(ctx: ServiceContext, depts: DeptResolver, states?: Map<string, MeasureState>): RowAccess<MeasureState> {
  return {
    rows: states ?? measureStates(ctx),
    valueOf: (col, m) => fieldValueOf(col as LedgerColumn, m),
    text: (col, v) => fieldText(col as LedgerColumn, v, depts.name),
    parse: (col, v) => parseField(col as LedgerColumn, v, depts),
    label: (m) => m.text,
  };
}

function projectAccess(ctx: ServiceContext, depts: DeptResolver, year: number): RowAccess<Project> {
  return {
    rows: new Map(listProjects(ctx, { year, includeDeleted: true }).map((p) => [p.id, p])),
    valueOf: (col, p) => projectFieldValueOf(col as ProjectColumn, p),
    text: (col, v) => projectFieldText(col as ProjectColumn, v, depts.name),
    parse: (col, v) => parseProjectField(col as ProjectColumn, v, depts),
    label: (p) => p.name,
    blocked: (p) => (p.deleted ? `项目 ${p.id}“${p.name}”已在工作台中删除，该行未导入（如需更新，请先在回收站中恢复）` : null),
  };
}

// ---------------------------------------------------------------- preview

/** column types whose cells are parsed once per distinct value (pure parsers) */
const CACHED_TYPES = new Set<string>(['dept', 'leads', 'depts', 'cities', 'date', 'status', 'category', 'stage', 'year', 'money']);

/** Previews previewImport made (and froze): applyImport skips the schema check for these. */
const madeHere = new WeakSet<object>();

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** A preview previewImport made in the import worker (structured-cloned back): trusted as our own. */
export function adoptPreview(p: ImportPreview): ImportPreview {
  return trusted(p);
}

function trusted(p: ImportPreview): ImportPreview {
  madeHere.add(deepFreeze(p));
  return p;
}

export interface PreviewOptions {
  /**
   * the state of every measure, read by the import worker while the person chose the file, and
   * known to be the database's current state (nothing committed since: see worker.ts)
   */
  measureStates?: Map<string, MeasureState>;
  /** the preview is turned into JSON at once (the worker): not frozen or kept as trusted here */
  forTransfer?: boolean;
  /** departments the person chose for names of this file the directory does not know (name → id) */
  deptMap?: Readonly<Record<string, number>>;
  /** every department (active or not), when the caller previews many files in a row (a round's collect) */
  depts?: readonly Department[];
}

export function previewImport(ctx: ServiceContext, file: { name: string; bytes: Buffer }, opts: PreviewOptions = {}): ImportPreview {
  const wb = readSpreadsheet(file.name, file.bytes);
  const warnings: string[] = [];
  const dataSheets = wb.sheets.filter((s) => s.name !== META_SHEET && s.name !== '_lists');
  if (dataSheets.every((s) => s.rows.every((r) => r.every((v) => v === null || String(v).trim() === ''))))
    throw new ServiceError('VALIDATION', '文件中没有任何内容（工作表是空的），不能导入。');
  const metaSheet = wb.sheets.find((s) => s.name === META_SHEET);
  const declared = metaKind(metaSheet);
  if (declared === 'indicators')
    throw new ServiceError('VALIDATION', '这是工作台导出的“目标指标表”（报表），不能作为台账导入。指标的年度实际值请在“目标指标”页面中填报。');
  const kinds: LedgerKind[] = declared ? [declared] : ['measures', 'projects'];
  let sheet: ReadSheet | undefined;
  let header: HeaderMatch | null = null;
  // visible sheets first: a department may keep an old copy in a hidden sheet
  for (const s of [...dataSheets.filter((x) => x.state === 'visible'), ...dataSheets.filter((x) => x.state !== 'visible')]) {
    const h = findAnyHeader(s, kinds);
    if (h) {
      sheet = s;
      header = h;
      break;
    }
  }
  if (!sheet || !header)
    throw new ServiceError(
      'VALIDATION',
      declared === 'projects'
        ? `没有找到重点建设项目台账：${dataSheets.map((s) => `“${s.name}”`).join('、')}的前 ${HEADER_SCAN_ROWS} 行都没有“项目编号”列。` +
            '请确认“项目编号”列还在（或选对了工作表）。'
        : `没有找到任务分工台账：${dataSheets.map((s) => `“${s.name}”`).join('、')}的前 ${HEADER_SCAN_ROWS} 行都没有“编号”列。` +
            '请确认选择的是从工作台导出的台账（任务分工台账或重点建设项目台账，或选对了工作表），且“编号”列还在。',
    );
  const spec = header.spec;
  const metaRead = readMeta(metaSheet, spec);
  const meta = metaRead.meta;
  if (metaRead.damaged)
    warnings.push(
      `台账中的隐藏工作表“_meta”已损坏（${metaRead.damaged}），无法得知导出时的原值：各行改为与本库现值比较（两方比较），` +
        '导出后本库改过的内容不会被台账直接覆盖，而是列为冲突，由您逐项选择。',
    );
  else if (!meta)
    warnings.push(
      '台账中没有导出时的记录（隐藏工作表“_meta”，可能被另存为 CSV 或被其他程序删除），只能与本库现值直接比较：' +
        '本库在导出后改过、而台账未改的内容，也会显示为“台账的修改”，请逐项核对。',
    );

  const depts = deptResolver(ctx, opts.deptMap, opts.depts);
  let year: number | undefined;
  if (spec.kind === 'projects') {
    // without _meta: the year the title states (…台账（2025年度）), else this year
    const titled = sheet.rows
      .slice(0, header.row)
      .map((r) => r.map((v) => String(v ?? '')).join(' ').match(/(20\d\d)\s*年度/))
      .find((m) => m);
    year = meta?.info.year ?? (titled ? Number(titled[1]) : defaultProjectYear());
    if (meta?.info.year === undefined)
      warnings.push(
        `台账没有导出时的投资年度记录，“年度计划投资”“本年完成投资”按 ${year} 年${titled ? '（据表格标题）' : ''}导入，请核对。`,
      );
  }
  const access: RowAccess<MeasureState | Project> =
    spec.kind === 'projects' ? (projectAccess(ctx, depts, year!) as RowAccess<MeasureState | Project>) : (measureAccess(ctx, depts, opts.measureStates) as RowAccess<MeasureState | Project>);
  const idCol = spec.columns.find((c) => c.type === 'id')!;
  const idIdx = header.cols.get(idCol)!;
  const textCol = spec.kind === 'measures' ? spec.columns.find((c) => c.key === 'text') : undefined;
  const nameCol = spec.columns.find((c) => c.key === (spec.kind === 'measures' ? 'text' : 'name'));
  const editCols = spec.editable.filter((c) => header!.cols.has(c));

  // a column of departments, cities, dates or statuses holds the same few cells over and over:
  // each distinct cell is parsed once (the free-text columns are parsed row by row)
  const parseCache = new Map<AnyColumn, Map<CellValue, Parsed>>();
  const parseCached = (col: AnyColumn, v: CellValue): Parsed => {
    if (!CACHED_TYPES.has(col.type)) return access.parse(col, v);
    let m = parseCache.get(col);
    if (!m) parseCache.set(col, (m = new Map()));
    let p = m.get(v);
    if (!p) m.set(v, (p = access.parse(col, v)));
    return p;
  };
  const errors: ImportCellError[] = [];
  const changes: ImportRowChange[] = [];
  const conflicts: ImportConflict[] = [];
  const unknownIds: string[] = [];
  const seen = new Map<string, number>();
  let unchanged = 0;
  let rowsWithId = 0;
  const noIdRows: number[] = [];
  const newRows: { row: number; text: string }[] = [];
  const outOfScope: { row: number; id: string; reason: string }[] = [];
  const auditTable = spec.kind === 'projects' ? 'project' : 'measure';
  const fallback: { row: number; id: string; why: string; guarded: boolean }[] = [];
  const scopeCols = spec.editable.filter((c) => c.key === 'lead' || c.key === 'co' || c.key === 'cities' || c.key === 'category');
  const currentValues = (m: MeasureState | Project): Partial<Record<string, FieldValue>> => Object.fromEntries(scopeCols.map((c) => [c.key, access.valueOf(c, m)]));

  for (let r = header.row + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r];
    const excelRow = r + 1;
    if (cells.every((v) => v === null || String(v).trim() === '')) continue;
    const id = toHalfWidth(String(cells[idIdx] ?? '')).replace(/\s+/g, '').toUpperCase();
    if (!id) {
      noIdRows.push(excelRow);
      const label = nameCol && header.cols.has(nameCol) ? normaliseText(String(cells[header.cols.get(nameCol)!] ?? '')) : '';
      newRows.push({ row: excelRow, text: label.slice(0, 200) });
      continue;
    }
    rowsWithId++;
    if (!spec.idRe.test(id)) {
      errors.push({ row: excelRow, column: idCol.header, cell: `${colName(idIdx)}${excelRow}`, message: `${idCol.header}“${id}”格式不对，${spec.idHint}` });
      continue;
    }
    if (seen.has(id)) {
      errors.push({ row: excelRow, column: idCol.header, cell: `${colName(idIdx)}${excelRow}`, message: `${idCol.header} ${id} 重复出现（第 ${seen.get(id)} 行也是它），请只保留一行` });
      continue;
    }
    seen.set(id, excelRow);
    const m = access.rows.get(id);
    if (!m) {
      unknownIds.push(id);
      continue;
    }
    const why = access.blocked?.(m);
    if (why) {
      warnings.push(`第 ${excelRow} 行：${why}`);
      continue;
    }
    if (textCol && header.cols.has(textCol)) {
      const mt = (m as MeasureState).text;
      const t = normaliseText(String(cells[header.cols.get(textCol)!] ?? ''));
      if (t && t !== normaliseText(mt) && !mt.startsWith(t.slice(0, 12)))
        warnings.push(`第 ${excelRow} 行：编号 ${id} 的“具体措施”与本库不同，请确认编号没有填错（该列不会导入）`);
    }
    const base = meta?.base.get(id);
    // a row the export did not send (its scope, judged by its base where there is one) is refused
    if (meta && Object.keys(meta.info.scope).length) {
      // in scope now; or in scope by its base and moved out of it here since the export (a base
      // alone could be forged: it counts only where this database's history says the row changed)
      const now = currentValues(m);
      const sent =
        inScope(spec, meta.info.scope, id, now) ||
        (base !== undefined && metaRead.exportedAt !== null && inScope(spec, meta.info.scope, id, { ...now, ...base }) && ctx.q.audit.changedSince(auditTable, id, metaRead.exportedAt));
      if (!sent) {
        outOfScope.push({ row: excelRow, id, reason: `不在这份台账导出时的范围（${meta.info.scopeLabel || '导出范围'}）内` });
        continue;
      }
    }
    // a file exported here whose _meta has no usable base for this row: two-way, but a value
    // changed here since the export (or at an unknown time) is a conflict for the person to decide
    let guarded = false;
    if (metaRead.present && !base) {
      const why = metaRead.damaged ? '隐藏工作表“_meta”已损坏' : (meta?.badRows.get(id) ?? '隐藏工作表“_meta”中没有这一行的导出原值');
      guarded = metaRead.exportedAt === null || ctx.q.audit.changedSince(auditTable, id, metaRead.exportedAt);
      fallback.push({ row: excelRow, id, why, guarded });
    }
    // a base that lacks some of the columns (an altered or older _meta): those columns are compared
    // two-way under the same guard as a row without a base, decided once for the row when first needed
    let partial: boolean | undefined;
    const partialGuard = (field: string): boolean => {
      if (partial === undefined) {
        partial = metaRead.exportedAt === null || ctx.q.audit.changedSince(auditTable, id, metaRead.exportedAt);
        fallback.push({ row: excelRow, id, why: `隐藏工作表“_meta”中没有“${spec.editable.find((c) => c.key === field)?.header ?? field}”等列的导出原值`, guarded: partial });
      }
      return partial;
    };
    const rowChanges: FieldChange[] = [];
    const rowConflicts: FieldChange[] = [];
    let rowError = false;
    for (const col of editCols) {
      const ci = header.cols.get(col)!;
      const parsed = parseCached(col, cells[ci] ?? null);
      if (!parsed.ok) {
        errors.push({ row: excelRow, column: col.header, cell: `${colName(ci)}${excelRow}`, message: parsed.message, ...(parsed.suggestions ? { suggestions: parsed.suggestions } : {}), ...(parsed.deptName ? { deptName: parsed.deptName } : {}) });
        rowError = true;
        continue;
      }
      if (parsed.note === '长期坚持') warnings.push(`第 ${excelRow} 行 ${col.header}“${String(cells[ci])}”：按无固定时限（长期坚持）处理`);
      else if (parsed.note) warnings.push(`第 ${excelRow} 行 ${col.header}：${parsed.note}`);
      const field = col.key as ImportField;
      const theirs = parsed.value;
      const ours = access.valueOf(col, m);
      const baseVal = base && field in base ? base[field] : undefined;
      if (baseVal === undefined) {
        // two-way: no record of the value at export
        if (sameValue(theirs, ours)) continue;
        if (guarded || (base !== undefined && partialGuard(field)))
          rowConflicts.push({ field, header: col.header, old: '（导出时的值不详）', new: access.text(col, theirs), ours: access.text(col, ours), value: theirs, dbValue: ours });
        else rowChanges.push({ field, header: col.header, old: access.text(col, ours), new: access.text(col, theirs), value: theirs, dbValue: ours });
        continue;
      }
      const theirsChanged = !sameValue(theirs, baseVal);
      const oursChanged = !sameValue(ours, baseVal);
      if (!theirsChanged || sameValue(theirs, ours)) continue;
      if (!oursChanged) rowChanges.push({ field, header: col.header, old: access.text(col, ours), new: access.text(col, theirs), value: theirs, dbValue: ours });
      else
        rowConflicts.push({
          field,
          header: col.header,
          old: access.text(col, baseVal),
          new: access.text(col, theirs),
          ours: access.text(col, ours),
          value: theirs,
          dbValue: ours,
        });
    }
    if (rowError) continue;
    if (rowChanges.length) changes.push({ rowId: id, row: excelRow, text: access.label(m), changes: rowChanges });
    if (rowConflicts.length) conflicts.push({ rowId: id, row: excelRow, text: access.label(m), fields: rowConflicts });
    if (!rowChanges.length && !rowConflicts.length) unchanged++;
  }
  if (noIdRows.length)
    warnings.push(
      spec.kind === 'projects'
        ? `${noIdRows.length} 行有内容但没有项目编号，未导入（第 ${noIdRows.slice(0, 10).join('、')}${noIdRows.length > 10 ? ' 等' : ''} 行）：导入不会新建项目，新增的项目请核实后在工作台“重点项目”中添加`
        : `${noIdRows.length} 行有内容但没有编号，已跳过（第 ${noIdRows.slice(0, 10).join('、')}${noIdRows.length > 10 ? ' 等' : ''} 行）：新增的任务请在工作台中添加`,
    );
  if (outOfScope.length)
    warnings.push(
      `${outOfScope.length} 行不在这份台账导出时的范围（${meta?.info.scopeLabel || '导出范围'}）内，不予导入：` +
        `${outOfScope.slice(0, 10).map((o) => `第 ${o.row} 行 ${o.id}`).join('、')}${outOfScope.length > 10 ? ' 等' : ''}。其他单位的${spec.noun}请由其本单位的台账报送。`,
    );
  if (fallback.length && !metaRead.damaged) {
    const reasons = [...new Set(fallback.map((f) => f.why))];
    warnings.push(
      `${fallback.length} 行在隐藏工作表“_meta”中没有可用的导出原值，改为与本库现值比较（两方比较）：` +
        `${fallback.slice(0, 10).map((f) => `第 ${f.row} 行 ${f.id}`).join('、')}${fallback.length > 10 ? ' 等' : ''}（${reasons.slice(0, 3).join('；')}${reasons.length > 3 ? ' 等' : ''}）。` +
        '导出后本库改过的内容不会被覆盖，列为冲突由您选择。',
    );
  }
  if (header.duplicates.length) warnings.push(`表头有重复的列（${header.duplicates.join('、')}），只读取了第一列`);
  if (unknownIds.length) warnings.push(`${unknownIds.length} 个编号在本库中不存在，已忽略：${unknownIds.slice(0, 10).join('、')}${unknownIds.length > 10 ? ' 等' : ''}`);
  if (rowsWithId === 0 && errors.length === 0) warnings.push('台账中没有任何带编号的数据行');
  const dropped = meta ? meta.info.ids.filter((id) => !seen.has(id) && access.rows.has(id)) : [];
  if (dropped.length)
    warnings.push(`导出时的 ${dropped.length} ${spec.kind === 'projects' ? '个项目' : '项'}在返回的台账中不见了（不会删除，保持原样）：${dropped.slice(0, 10).join('、')}${dropped.length > 10 ? ' 等' : ''}`);
  const missingColumns = spec.editable.filter((c) => !header!.cols.has(c)).map((c) => c.header);
  if (missingColumns.length) warnings.push(`台账缺少这些列，对应内容保持不变：${missingColumns.join('、')}`);

  const summary: ImportSummary = {
    changed: changes.length,
    unchanged,
    conflicts: conflicts.length,
    unknownIds,
    ...(outOfScope.length ? { outOfScope: outOfScope.map((o) => o.id) } : {}),
    errors: errors.map(({ row, column, message }) => ({ row, column, message })),
  };
  const preview: ImportPreview = {
    kind: 'czt-ledger-import-preview',
    ledgerKind: spec.kind,
    ...(year !== undefined ? { year } : {}),
    fileName: file.name,
    fileType: wb.fileType,
    sheet: sheet.name,
    headerRow: header.row + 1,
    mode: meta ? 'three-way' : 'two-way',
    meta: meta?.info ?? null,
    columns: [...header.cols].map(([c, i]) => ({ field: c.key, header: c.header, found: header!.found.get(c)!, cell: `${colName(i)}${header!.row + 1}` })),
    missingColumns,
    ignoredColumns: header.ignored,
    rows: rowsWithId,
    changes,
    conflicts,
    unknownIds,
    dropped,
    outOfScope,
    newRows,
    errors,
    warnings,
    summary,
  };
  return opts.forTransfer ? preview : trusted(preview);
}

// ---------------------------------------------------------------- apply

function checkValue(col: LedgerColumn, v: FieldValue, measureId: string): void {
  const bad = () => {
    throw new ServiceError('VALIDATION', `预览数据有误：措施 ${measureId} 的${col.header}取值无效，请重新预览`);
  };
  switch (col.type) {
    case 'dept':
      if (v !== null && !(typeof v === 'number' && Number.isInteger(v))) bad();
      break;
    case 'leads':
    case 'depts':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) bad();
      break;
    case 'cities':
      if (!Array.isArray(v) || !v.every((x) => (CITIES as readonly unknown[]).includes(x))) bad();
      break;
    case 'date':
      if (v !== null && !(typeof v === 'string' && isIsoDate(v))) bad();
      break;
    case 'status':
      if (!isStatus(v)) bad();
      break;
    default:
      if (typeof v !== 'string' || v.length > MAX_TEXT) bad();
  }
}

function checkProjectValue(col: ProjectColumn, v: FieldValue, id: string): void {
  const bad = () => {
    throw new ServiceError('VALIDATION', `预览数据有误：项目 ${id} 的${col.header}取值无效，请重新预览`);
  };
  switch (col.type) {
    case 'dept':
      if (v !== null && !(typeof v === 'number' && Number.isInteger(v))) bad();
      break;
    case 'cities':
      if (!Array.isArray(v) || !v.every((x) => (CITIES as readonly unknown[]).includes(x))) bad();
      break;
    case 'category':
      if (!isProjectCategory(v)) bad();
      break;
    case 'stage':
      if (!isProjectStage(v)) bad();
      break;
    case 'year':
      if (v !== null && !(typeof v === 'number' && Number.isInteger(v))) bad();
      break;
    case 'money':
      if (v !== null && !(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MONEY_MAX)) bad();
      break;
    default:
      if (typeof v !== 'string' || v.length > MAX_TEXT) bad();
  }
}

function setPatch(patch: MeasurePatch, col: LedgerColumn, v: FieldValue): void {
  switch (patchKeyOf(col)) {
    case 'leadIds':
      patch.leadIds = v as number[];
      break;
    case 'coIds':
      patch.coIds = v as number[];
      break;
    case 'cities':
      patch.cities = v as City[];
      break;
    case 'deadline':
      patch.deadline = v as string | null;
      break;
    case 'status':
      patch.status = v as MeasurePatch['status'];
      break;
    case 'progress':
      patch.progress = normaliseText(v as string);
      break;
    case 'note':
      patch.note = normaliseText(v as string);
      break;
  }
}

function setProjectPatch(patch: ProjectPatch, col: ProjectColumn, v: FieldValue, year: number): void {
  const yearPlan = () => {
    patch.yearPlans ??= [{ year }];
    return patch.yearPlans[0];
  };
  switch (col.key) {
    case 'name':
    case 'location':
    case 'progressText':
    case 'problems':
      patch[col.key] = normaliseText(v as string);
      break;
    case 'category':
      patch.category = v as ProjectPatch['category'];
      break;
    case 'stage':
      patch.stage = v as ProjectPatch['stage'];
      break;
    case 'cities':
      patch.cities = v as City[];
      break;
    case 'lead':
      patch.leadId = v as number | null;
      break;
    case 'startYear':
    case 'endYear':
    case 'totalInvestment':
      patch[col.key] = v as number | null;
      break;
    case 'yearPlanned':
      yearPlan().planned = v as number | null;
      break;
    case 'yearCompleted':
      yearPlan().completed = v as number | null;
      break;
  }
}

function refuseErrors(preview: ImportPreview): void {
  if (preview.errors.length > 0) {
    const e = preview.errors[0];
    throw new ServiceError(
      'VALIDATION',
      `台账中有 ${preview.errors.length} 处错误（如第 ${e.row} 行“${e.column}”：${e.message}），请修正后重新导入。未写入任何内容。`,
    );
  }
}

/** The fields to write: every previewed change, and each conflict the choices take. */
function chosenFields(preview: ImportPreview, choices: ImportChoices): { id: string; f: FieldChange }[] {
  const out: { id: string; f: FieldChange }[] = [];
  for (const row of preview.changes) for (const f of row.changes) out.push({ id: row.rowId, f });
  for (const row of preview.conflicts)
    for (const f of row.fields) {
      const decision = choices.perField?.[row.rowId]?.[f.field] ?? choices.onConflict;
      if (decision === 'take') out.push({ id: row.rowId, f });
    }
  return out;
}

function resultOf(preview: ImportPreview, touched: number): ImportSummary {
  const distinct = new Set([...preview.changes.map((c) => c.rowId), ...preview.conflicts.map((c) => c.rowId)]).size;
  return {
    changed: touched,
    unchanged: (preview.summary?.unchanged ?? 0) + distinct - touched,
    conflicts: preview.conflicts.length,
    unknownIds: [...preview.unknownIds],
    errors: [],
  };
}

/**
 * Write the previewed changes (and the chosen side of each conflict) in ONE call of the
 * service: applyEdits (op 导入台账) for a measure ledger, updateProjects (op 导入项目台账) for a
 * project ledger — one transaction, one audit row per changed field. A preview with errors is
 * refused as a whole, and so is one whose values in this database moved since previewing.
 */
export function applyImport(ctx: ServiceContext, preview: ImportPreview, choices: ImportChoices): ImportSummary {
  // a preview made by previewImport in this process (frozen) needs no second look; one that
  // came from elsewhere (a copy through IPC or JSON) is checked against the schema
  if (!madeHere.has(preview)) {
    const pv = importPreviewSchema.safeParse(preview);
    if (!pv.success) throw new ServiceError('VALIDATION', '导入预览数据不完整，请重新选择文件预览');
  }
  const ch = importChoicesSchema.safeParse(choices);
  if (!ch.success) throw new ServiceError('VALIDATION', '冲突处理方式应为“保留本库”(keep) 或“采用台账”(take)');
  refuseErrors(preview);
  return (preview.ledgerKind ?? 'measures') === 'projects' ? applyProjects(ctx, preview, choices) : applyMeasures(ctx, preview, choices);
}

function applyMeasures(ctx: ServiceContext, preview: ImportPreview, choices: ImportChoices): ImportSummary {
  const colOf = new Map(EDITABLE_COLUMNS.map((c) => [c.key as string, c]));
  let touched = 0;
  ctx.db.transaction(() => {
    const current = measureStates(ctx);
    const edits = new Map<string, MeasurePatch>();
    for (const { id: measureId, f } of chosenFields(preview, choices)) {
      const col = colOf.get(f.field);
      const m = current.get(measureId);
      if (!col || !m) throw new ServiceError('VALIDATION', `预览数据有误：措施 ${measureId} 不存在，请重新预览`);
      checkValue(col, f.value, measureId);
      if (!sameValue(fieldValueOf(col, m), f.dbValue))
        throw new ServiceError('CONFLICT', `预览之后，措施 ${measureId} 的${col.header}在本库中又被修改过，请重新预览后再导入。未写入任何内容。`);
      const p = edits.get(measureId) ?? {};
      setPatch(p, col, f.value);
      edits.set(measureId, p);
    }
    const list: MeasureEdit[] = [...edits].map(([measureId, patch]) => ({ measureId, patch }));
    // the rows just read in this transaction serve applyEdits too (no second read, none after)
    if (list.length) touched = applyEdits(ctx, list, IMPORT_OP, { current, rows: false }).length;
  })();
  return resultOf(preview, touched);
}

function applyProjects(ctx: ServiceContext, preview: ImportPreview, choices: ImportChoices): ImportSummary {
  const year = preview.year;
  if (year === undefined) throw new ServiceError('VALIDATION', '导入预览数据不完整（缺少投资年度），请重新选择文件预览');
  const colOf = new Map(PROJECT_EDITABLE_COLUMNS.map((c) => [c.key as string, c]));
  let touched = 0;
  ctx.db.transaction(() => {
    const current = new Map(listProjects(ctx, { year, includeDeleted: true }).map((p) => [p.id, p]));
    const edits = new Map<string, ProjectPatch>();
    for (const { id, f } of chosenFields(preview, choices)) {
      const col = colOf.get(f.field);
      const p = current.get(id);
      if (!col || !p) throw new ServiceError('VALIDATION', `预览数据有误：项目 ${id} 不存在，请重新预览`);
      checkProjectValue(col, f.value, id);
      if (!sameValue(projectFieldValueOf(col, p), f.dbValue))
        throw new ServiceError('CONFLICT', `预览之后，项目 ${id} 的${col.header}在本库中又被修改过，请重新预览后再导入。未写入任何内容。`);
      const patch = edits.get(id) ?? {};
      setProjectPatch(patch, col, f.value, year);
      edits.set(id, patch);
    }
    const list: ProjectEdit[] = [...edits].map(([projectId, patch]) => ({ projectId, patch }));
    if (list.length) touched = updateProjects(ctx, list, PROJECT_IMPORT_OP).length;
  })();
  return resultOf(preview, touched);
}
