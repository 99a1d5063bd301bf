// 导入台账: parse → validate → three-way diff (against the ledger's hidden _meta base) → apply
// in one transaction through applyEdits, with an audit entry per field, or nothing at all.
import { CITIES, isIsoDate, type City, type MeasureEdit, type MeasurePatch, type MeasureRow, type Department } from '../../shared/domain';
import { LEDGER_COLUMNS, type LedgerColumn } from '../../shared/ledger';
import {
  EDITABLE_COLUMNS,
  fieldText,
  fieldValueOf,
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
  type LedgerField,
  type LedgerMetaInfo,
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
} from '../../shared/parse';
import { applyEdits, listMeasures } from '../services/measures';
import { findDepartment, listDepartments } from '../services/departments';
import { ServiceError, type ServiceContext } from '../services/context';
import { readSpreadsheet, type CellValue, type ReadSheet } from './read';

export const IMPORT_OP = '导入台账';
const META_SHEET = '_meta';
const META_FORMAT_PREFIX = 'czt-ledger/';
const HEADER_SCAN_ROWS = 10;
const MAX_TEXT = 20000;

// ---------------------------------------------------------------- header mapping

/** A header as people write it: no blanks, no line breaks, no * marks, no trailing （说明）. */
function headerKey(s: CellValue): string {
  return toHalfWidth(String(s ?? ''))
    .replace(/[\s*＊:：]/g, '')
    .replace(/[(（][^)）]*[)）]$/, '')
    .toLowerCase();
}

const HEADER_INDEX: Map<string, LedgerColumn> = (() => {
  const m = new Map<string, LedgerColumn>();
  for (const c of LEDGER_COLUMNS) for (const h of [c.header, ...c.aliases]) if (!m.has(headerKey(h))) m.set(headerKey(h), c);
  return m;
})();

interface HeaderMatch {
  row: number; // 0-based
  cols: Map<LedgerColumn, number>;
  found: Map<LedgerColumn, string>;
  ignored: string[];
  duplicates: string[];
}

function matchHeader(cells: CellValue[], row: number): HeaderMatch {
  const cols = new Map<LedgerColumn, number>();
  const found = new Map<LedgerColumn, string>();
  const ignored: string[] = [];
  const duplicates: string[] = [];
  cells.forEach((v, i) => {
    const k = headerKey(v);
    if (!k) return;
    const c = HEADER_INDEX.get(k);
    if (!c) ignored.push(String(v).trim());
    else if (cols.has(c)) duplicates.push(String(v).trim());
    else {
      cols.set(c, i);
      found.set(c, String(v).trim());
    }
  });
  return { row, cols, found, ignored, duplicates };
}

function findHeader(sheet: ReadSheet): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  for (let r = 0; r < Math.min(sheet.rows.length, HEADER_SCAN_ROWS); r++) {
    const m = matchHeader(sheet.rows[r], r);
    const idCol = LEDGER_COLUMNS.find((c) => c.type === 'id')!;
    if (!m.cols.has(idCol) || m.cols.size < 2) continue;
    if (!best || m.cols.size > best.cols.size) best = m;
  }
  return best;
}

// ---------------------------------------------------------------- the hidden base

interface MetaBase {
  info: LedgerMetaInfo;
  base: Map<string, Partial<Record<LedgerField, FieldValue>>>;
}

function readMeta(sheet: ReadSheet | undefined, warnings: string[]): MetaBase | null {
  if (!sheet) return null;
  try {
    const kv = new Map<string, string>();
    let r = 0;
    for (; r < sheet.rows.length; r++) {
      const k = String(sheet.rows[r][0] ?? '');
      if (k === 'id') break;
      if (k) kv.set(k, String(sheet.rows[r][1] ?? ''));
    }
    const format = kv.get('format') ?? '';
    if (!format.startsWith(META_FORMAT_PREFIX) || r >= sheet.rows.length) throw new Error('format');
    const header = sheet.rows[r].map((v) => String(v ?? ''));
    const base = new Map<string, Partial<Record<LedgerField, FieldValue>>>();
    for (let i = r + 1; i < sheet.rows.length; i++) {
      const id = String(sheet.rows[i][0] ?? '').trim();
      if (!id) continue;
      const vals: Partial<Record<LedgerField, FieldValue>> = {};
      header.forEach((h, c) => {
        if (c === 0 || !EDITABLE_COLUMNS.some((e) => e.key === h)) return;
        const raw = sheet.rows[i][c];
        vals[h as LedgerField] = JSON.parse(String(raw ?? 'null')) as FieldValue;
      });
      base.set(id, vals);
    }
    const scope = JSON.parse(kv.get('scope') ?? '{}');
    return {
      info: {
        format,
        version: kv.get('version') ?? '',
        exportedAt: kv.get('exportedAt') ?? '',
        scope: typeof scope === 'object' && scope ? scope : {},
        scopeLabel: kv.get('scopeLabel') ?? '',
        ids: [...base.keys()],
      },
      base,
    };
  } catch {
    warnings.push('台账中的隐藏工作表“_meta”内容不完整，无法得知导出时的原值，改为与本库现值直接比较（两方比较）。');
    return null;
  }
}

// ---------------------------------------------------------------- values

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (typeof a === 'string' || typeof b === 'string') return normaliseText(a as string) === normaliseText(b as string);
  return (a ?? null) === (b ?? null);
}

interface DeptResolver {
  resolve(name: string): { id: number; note?: string } | { error: string; suggestions: string[] };
  name(id: number): string;
}

function deptResolver(ctx: ServiceContext): DeptResolver {
  const all: Department[] = listDepartments(ctx, true);
  const active = all.filter((d) => d.state === '在用');
  const byId = new Map(all.map((d) => [d.id, d]));
  const cache = new Map<string, ReturnType<DeptResolver['resolve']>>();
  return {
    name: (id) => byId.get(id)?.name ?? `（部门${id}）`,
    resolve(raw) {
      const name = normaliseDeptText(raw);
      const hit = cache.get(name);
      if (hit) return hit;
      let out: ReturnType<DeptResolver['resolve']>;
      const exact = findDepartment(ctx, name);
      if (exact) out = { id: exact.id };
      else {
        const same = sameKeyDepartments(name, active);
        if (same.length === 1) out = { id: same[0].id, note: `“${raw}”按“${same[0].name}”识别` };
        else {
          const sugg = suggestDepartments(name, active).map((d) => d.name);
          out = {
            error: `单位“${raw}”不在工作台的单位清单中${sugg.length ? `，是否为：${sugg.join('、')}？` : ''}（可在单位管理中把它添加为别名后重新导入）`,
            suggestions: sugg,
          };
        }
      }
      cache.set(name, out);
      return out;
    },
  };
}

type Parsed = { ok: true; value: FieldValue; note?: string } | { ok: false; message: string; suggestions?: string[] };

function parseField(col: LedgerColumn, v: CellValue, depts: DeptResolver): Parsed {
  switch (col.type) {
    case 'dept': {
      const names = splitList(v === null ? '' : String(v));
      if (names.length === 0) return { ok: true, value: null };
      if (names.length > 1) return { ok: false, message: `${col.header}只能填一个单位，现为“${String(v)}”；其他单位请填入配合单位` };
      const r = depts.resolve(names[0]);
      return 'id' in r ? { ok: true, value: r.id, note: r.note } : { ok: false, message: r.error, suggestions: r.suggestions };
    }
    case 'depts': {
      const ids: number[] = [];
      const notes: string[] = [];
      for (const n of splitList(v === null ? '' : String(v))) {
        const r = depts.resolve(n);
        if (!('id' in r)) return { ok: false, message: r.error, suggestions: r.suggestions };
        if (!ids.includes(r.id)) ids.push(r.id);
        if (r.note) notes.push(r.note);
      }
      return { ok: true, value: ids, note: notes.join('；') || undefined };
    }
    case 'cities':
      return parseCities(typeof v === 'boolean' ? String(v) : v);
    case 'date':
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

function colName(i: number): string {
  let s = '';
  for (let x = i + 1; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const ID_RE = /^\d+\.\d+\.\d+\.\d+$/;

// ---------------------------------------------------------------- preview

export function previewImport(ctx: ServiceContext, file: { name: string; bytes: Buffer }): ImportPreview {
  const wb = readSpreadsheet(file.name, file.bytes);
  const warnings: string[] = [];
  const dataSheets = wb.sheets.filter((s) => s.name !== META_SHEET && s.name !== '_lists');
  if (dataSheets.every((s) => s.rows.every((r) => r.every((v) => v === null || String(v).trim() === ''))))
    throw new ServiceError('VALIDATION', '文件中没有任何内容（工作表是空的），不能导入。');
  let sheet: ReadSheet | undefined;
  let header: HeaderMatch | null = null;
  // visible sheets first: a department may keep an old copy in a hidden sheet
  for (const s of [...dataSheets.filter((x) => x.state === 'visible'), ...dataSheets.filter((x) => x.state !== 'visible')]) {
    const h = findHeader(s);
    if (h) {
      sheet = s;
      header = h;
      break;
    }
  }
  if (!sheet || !header)
    throw new ServiceError(
      'VALIDATION',
      `没有找到任务分工台账：${dataSheets.map((s) => `“${s.name}”`).join('、')}的前 ${HEADER_SCAN_ROWS} 行都没有“编号”列。` +
        '请确认选择的是从工作台导出的台账（或选对了工作表），且“编号”列还在。',
    );
  const meta = readMeta(wb.sheets.find((s) => s.name === META_SHEET), warnings);
  if (!meta)
    warnings.push(
      '台账中没有导出时的记录（隐藏工作表“_meta”，可能被另存为 CSV 或被其他程序删除），只能与本库现值直接比较：' +
        '本库在导出后改过、而台账未改的内容，也会显示为“台账的修改”，请逐项核对。',
    );

  const depts = deptResolver(ctx);
  const measures = new Map<string, MeasureRow>(listMeasures(ctx).map((m) => [m.id, m]));
  const idCol = LEDGER_COLUMNS.find((c) => c.type === 'id')!;
  const idIdx = header.cols.get(idCol)!;
  const textCol = LEDGER_COLUMNS.find((c) => c.key === 'text');
  const editCols = EDITABLE_COLUMNS.filter((c) => header!.cols.has(c));

  const errors: ImportCellError[] = [];
  const changes: ImportRowChange[] = [];
  const conflicts: ImportConflict[] = [];
  const unknownIds: string[] = [];
  const seen = new Map<string, number>();
  let unchanged = 0;
  let rowsWithId = 0;
  const noIdRows: number[] = [];

  for (let r = header.row + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r];
    const excelRow = r + 1;
    if (cells.every((v) => v === null || String(v).trim() === '')) continue;
    const id = toHalfWidth(String(cells[idIdx] ?? '')).replace(/\s+/g, '');
    if (!id) {
      noIdRows.push(excelRow);
      continue;
    }
    rowsWithId++;
    if (!ID_RE.test(id)) {
      errors.push({ row: excelRow, column: idCol.header, cell: `${colName(idIdx)}${excelRow}`, message: `编号“${id}”格式不对，应为 章.节.任务.措施，如 4.1.1.3` });
      continue;
    }
    if (seen.has(id)) {
      errors.push({ row: excelRow, column: idCol.header, cell: `${colName(idIdx)}${excelRow}`, message: `编号 ${id} 重复出现（第 ${seen.get(id)} 行也是它），请只保留一行` });
      continue;
    }
    seen.set(id, excelRow);
    const m = measures.get(id);
    if (!m) {
      unknownIds.push(id);
      continue;
    }
    if (textCol && header.cols.has(textCol)) {
      const t = normaliseText(String(cells[header.cols.get(textCol)!] ?? ''));
      if (t && t !== normaliseText(m.text) && !m.text.startsWith(t.slice(0, 12)))
        warnings.push(`第 ${excelRow} 行：编号 ${id} 的“具体措施”与本库不同，请确认编号没有填错（该列不会导入）`);
    }
    const base = meta?.base.get(id);
    const rowChanges: FieldChange[] = [];
    const rowConflicts: FieldChange[] = [];
    let rowError = false;
    for (const col of editCols) {
      const ci = header.cols.get(col)!;
      const parsed = parseField(col, cells[ci] ?? null, depts);
      const cell = `${colName(ci)}${excelRow}`;
      if (!parsed.ok) {
        errors.push({ row: excelRow, column: col.header, cell, message: parsed.message, ...(parsed.suggestions ? { suggestions: parsed.suggestions } : {}) });
        rowError = true;
        continue;
      }
      if (parsed.note === '长期坚持') warnings.push(`第 ${excelRow} 行 ${col.header}“${String(cells[ci])}”：按无固定时限（长期坚持）处理`);
      else if (parsed.note) warnings.push(`第 ${excelRow} 行 ${col.header}：${parsed.note}`);
      const field = col.key as LedgerField;
      const theirs = parsed.value;
      const ours = fieldValueOf(col, m);
      const baseVal = base && field in base ? base[field] : undefined;
      const show = (v: FieldValue) => fieldText(col, v, depts.name);
      if (baseVal === undefined) {
        // two-way: no record of the value at export
        if (!sameValue(theirs, ours)) rowChanges.push({ field, header: col.header, old: show(ours), new: show(theirs), value: theirs, dbValue: ours });
        continue;
      }
      const theirsChanged = !sameValue(theirs, baseVal);
      const oursChanged = !sameValue(ours, baseVal);
      if (!theirsChanged || sameValue(theirs, ours)) continue;
      if (!oursChanged) rowChanges.push({ field, header: col.header, old: show(ours), new: show(theirs), value: theirs, dbValue: ours });
      else rowConflicts.push({ field, header: col.header, old: show(baseVal), new: show(theirs), ours: show(ours), value: theirs, dbValue: ours });
    }
    if (rowError) continue;
    if (rowChanges.length) changes.push({ measureId: id, row: excelRow, text: m.text, changes: rowChanges });
    if (rowConflicts.length) conflicts.push({ measureId: id, row: excelRow, text: m.text, fields: rowConflicts });
    if (!rowChanges.length && !rowConflicts.length) unchanged++;
  }
  if (noIdRows.length)
    warnings.push(`${noIdRows.length} 行有内容但没有编号，已跳过（第 ${noIdRows.slice(0, 10).join('、')}${noIdRows.length > 10 ? ' 等' : ''} 行）：新增的任务请在工作台中添加`);
  if (header.duplicates.length) warnings.push(`表头有重复的列（${header.duplicates.join('、')}），只读取了第一列`);
  if (unknownIds.length) warnings.push(`${unknownIds.length} 个编号在本库中不存在，已忽略：${unknownIds.slice(0, 10).join('、')}${unknownIds.length > 10 ? ' 等' : ''}`);
  if (rowsWithId === 0 && errors.length === 0) warnings.push('台账中没有任何带编号的数据行');
  const dropped = meta ? meta.info.ids.filter((id) => !seen.has(id) && measures.has(id)) : [];
  if (dropped.length) warnings.push(`导出时的 ${dropped.length} 项在返回的台账中不见了（不会删除，保持原样）：${dropped.slice(0, 10).join('、')}${dropped.length > 10 ? ' 等' : ''}`);
  const missingColumns = EDITABLE_COLUMNS.filter((c) => !header!.cols.has(c)).map((c) => c.header);
  if (missingColumns.length) warnings.push(`台账缺少这些列，对应内容保持不变：${missingColumns.join('、')}`);

  const summary: ImportSummary = {
    changed: changes.length,
    unchanged,
    conflicts: conflicts.length,
    unknownIds,
    errors: errors.map(({ row, column, message }) => ({ row, column, message })),
  };
  return {
    kind: 'czt-ledger-import-preview',
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
    errors,
    warnings,
    summary,
  };
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

function setPatch(patch: MeasurePatch, col: LedgerColumn, v: FieldValue): void {
  switch (patchKeyOf(col)) {
    case 'leadId':
      patch.leadId = v as number | null;
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

/**
 * Write the previewed changes (and the chosen side of each conflict) in ONE applyEdits call:
 * one transaction, one audit row per changed field, op 导入台账. A preview with errors is
 * refused as a whole, and so is one whose values in this database moved since previewing.
 */
export function applyImport(ctx: ServiceContext, preview: ImportPreview, choices: ImportChoices): ImportSummary {
  const pv = importPreviewSchema.safeParse(preview);
  if (!pv.success) throw new ServiceError('VALIDATION', '导入预览数据不完整，请重新选择文件预览');
  const ch = importChoicesSchema.safeParse(choices);
  if (!ch.success) throw new ServiceError('VALIDATION', '冲突处理方式应为“保留本库”(keep) 或“采用台账”(take)');
  if (preview.errors.length > 0) {
    const e = preview.errors[0];
    throw new ServiceError(
      'VALIDATION',
      `台账中有 ${preview.errors.length} 处错误（如第 ${e.row} 行“${e.column}”：${e.message}），请修正后重新导入。未写入任何内容。`,
    );
  }
  const colOf = new Map(EDITABLE_COLUMNS.map((c) => [c.key as string, c]));
  let touched = 0;
  const written = new Set<string>();
  ctx.db.transaction(() => {
    const current = new Map(listMeasures(ctx).map((m) => [m.id, m]));
    const edits = new Map<string, MeasurePatch>();
    const take = (measureId: string, f: FieldChange) => {
      const col = colOf.get(f.field);
      const m = current.get(measureId);
      if (!col || !m) throw new ServiceError('VALIDATION', `预览数据有误：措施 ${measureId} 不存在，请重新预览`);
      checkValue(col, f.value, measureId);
      if (!sameValue(fieldValueOf(col, m), f.dbValue))
        throw new ServiceError('CONFLICT', `预览之后，措施 ${measureId} 的${col.header}在本库中又被修改过，请重新预览后再导入。未写入任何内容。`);
      const p = edits.get(measureId) ?? {};
      setPatch(p, col, f.value);
      edits.set(measureId, p);
    };
    for (const row of preview.changes) for (const f of row.changes) take(row.measureId, f);
    for (const row of preview.conflicts)
      for (const f of row.fields) {
        const decision = choices.perField?.[row.measureId]?.[f.field] ?? choices.onConflict;
        if (decision === 'take') take(row.measureId, f);
      }
    const list: MeasureEdit[] = [...edits].map(([measureId, patch]) => ({ measureId, patch }));
    if (list.length) {
      const rows = applyEdits(ctx, list, IMPORT_OP);
      touched = rows.length;
      rows.forEach((r) => written.add(r.id));
    }
  })();
  const distinct = new Set([...preview.changes.map((c) => c.measureId), ...preview.conflicts.map((c) => c.measureId)]).size;
  return {
    changed: touched,
    unchanged: (preview.summary?.unchanged ?? 0) + distinct - touched,
    conflicts: preview.conflicts.length,
    unknownIds: [...preview.unknownIds],
    errors: [],
  };
}

