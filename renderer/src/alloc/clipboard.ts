// TSV parsing/formatting and conversion of pasted text into measure patches.
import { CITIES, STATUSES, chapterLabel, sectionLabel, type City, type Department, type MeasurePatch, type MeasureRow, type Status } from '../../../shared/domain';
import { LIST_SEPARATOR, LIST_SPLIT_RE, LONG_TEXT_MAX, type LedgerColumn } from '../../../shared/ledger';
import { parseDeadline } from '../../../shared/parse';

/** Parse text copied from Excel/WPS (tab separated, quoted cells may contain newlines / tabs / ""). */
export function parseTsv(text: string): string[][] {
  const s = text.replace(/\r\n?/g, '\n');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let atCellStart = true;
  while (i < s.length) {
    const ch = s[i];
    if (atCellStart && ch === '"') {
      // quoted cell
      i++;
      let closed = false;
      while (i < s.length) {
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        cell += s[i++];
      }
      if (!closed) {
        // not really quoted: treat literally
        cell = '"' + cell;
      }
      atCellStart = false;
      continue;
    }
    if (ch === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
      continue;
    }
    if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i++;
      continue;
    }
    cell += ch;
    atCellStart = false;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export function tsvCell(v: string): string {
  if (/[\t\n\r"]/.test(v)) return '"' + v.replace(/"/g, '""') + '"';
  return v;
}

/** what Excel and WPS take as the start of a formula (or a DDE call) in pasted text */
const FORMULA_START = /^[=+\-@\t\r\n]/;
const PLAIN_NUMBER = /^[-+]?\d+(?:\.\d+)?$/;

/**
 * Text that a spreadsheet would run as a formula when pasted (`=cmd|' /c calc'!A0`, `@SUM(…)`,
 * `+HYPERLINK(…)`), given a leading apostrophe: Excel and WPS take the apostrophe as "this is
 * text" and show the cell as written. A plain number (-5, +86) is left alone. The exports keep
 * such text as text the same way (a string cell, never a formula).
 */
export function neutralizeFormula(v: string): string {
  return FORMULA_START.test(v) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/** Rows of cell texts as the clipboard's TSV, every cell neutralised (copy from the grids). */
export function toTsv(rows: string[][]): string {
  return rows.map((r) => r.map((v) => tsvCell(neutralizeFormula(v))).join('\t')).join('\r\n');
}

export function normalizeCity(raw: string): City | undefined {
  const s = raw.trim();
  const hit = CITIES.find((c) => c === s || c.replace(/市$/, '') === s);
  return hit;
}

export interface DeptIndex {
  byName: Map<string, Department>;
  byId: Map<number, Department>;
}

export function buildDeptIndex(depts: Department[]): DeptIndex {
  const byName = new Map<string, Department>();
  const byId = new Map<number, Department>();
  // active departments win over inactive ones with the same name/alias
  const ordered = [...depts].sort((a, b) => Number(a.state === '在用') - Number(b.state === '在用'));
  for (const d of ordered) {
    byId.set(d.id, d);
    for (const a of d.aliases) byName.set(a.trim(), d);
  }
  for (const d of ordered) byName.set(d.name.trim(), d);
  return { byName, byId };
}

const INACTIVE_SUFFIX = /[（(](已撤销|已合并)[)）]$/;

type Conv<T> = { ok: true; value: T } | { ok: false; reason: string };

export function resolveDept(idx: DeptIndex, raw: string): Conv<Department> {
  const name = raw.trim().replace(INACTIVE_SUFFIX, '').replace(/^\[建议\]|^建议[:：]?/, '').trim();
  const d = idx.byName.get(name);
  if (!d) return { ok: false, reason: `找不到单位“${name}”` };
  if (d.state === '已合并' && d.mergedInto != null) {
    const into = idx.byId.get(d.mergedInto);
    if (into && into.state === '在用') return { ok: true, value: into };
  }
  if (d.state !== '在用') return { ok: false, reason: `单位“${d.name}”${d.state}` };
  return { ok: true, value: d };
}

/** Convert one pasted cell for a column into a patch fragment. */
export function convertCell(col: LedgerColumn, raw: string, idx: DeptIndex): Conv<MeasurePatch> {
  const text = raw.trim();
  switch (col.type) {
    // leads and co-operators: a list in the order given (the first lead is 主责), with the separators 配合单位 takes
    case 'leads':
    case 'depts': {
      const parts = text ? text.split(LIST_SPLIT_RE).filter(Boolean) : [];
      const ids: number[] = [];
      for (const p of parts) {
        const r = resolveDept(idx, p);
        if (!r.ok) return r;
        if (!ids.includes(r.value.id)) ids.push(r.value.id);
      }
      return { ok: true, value: col.type === 'leads' ? { leadIds: ids, leadConfirmed: ids.length > 0 } : { coIds: ids } };
    }
    case 'cities': {
      const parts = text ? text.split(LIST_SPLIT_RE).filter(Boolean) : [];
      const out: City[] = [];
      for (const p of parts) {
        const c = normalizeCity(p);
        if (!c) return { ok: false, reason: `“${p}”不是长沙市、株洲市或湘潭市` };
        if (!out.includes(c)) out.push(c);
      }
      return { ok: true, value: { cities: CITIES.filter((c) => out.includes(c)) } };
    }
    case 'date': {
      // what the importer accepts (2025年底, 2025年6月底, 2025/6/30 …)
      const d = parseDeadline(text);
      return d.ok ? { ok: true, value: { deadline: d.value } } : { ok: false, reason: d.message };
    }
    case 'status': {
      if (!(STATUSES as readonly string[]).includes(text))
        return { ok: false, reason: `“${text}”不是有效状态（${STATUSES.join('、')}）` };
      return { ok: true, value: { status: text as Status } };
    }
    case 'longtext':
    case 'text': {
      if ((col.key === 'progress' || col.key === 'note') && raw.length > LONG_TEXT_MAX)
        return { ok: false, reason: `有 ${raw.length} 字，超过 ${LONG_TEXT_MAX} 字的上限（不截断）` };
      if (col.key === 'progress') return { ok: true, value: { progress: raw } };
      if (col.key === 'note') return { ok: true, value: { note: raw } };
      return { ok: false, reason: '该列不可编辑' };
    }
    default:
      return { ok: false, reason: '该列不可编辑' };
  }
}

export function deptName(idx: DeptIndex, id: number | null): string {
  if (id == null) return '';
  const d = idx.byId.get(id);
  if (!d) return `#${id}`;
  return d.state === '在用' ? d.name : `${d.name}（${d.state}）`;
}

/** Text form of a cell, as shown and as copied. */
export function cellText(col: LedgerColumn, row: MeasureRow, idx: DeptIndex): string {
  switch (col.key) {
    case 'id':
      return row.id;
    case 'chapter':
      return `${chapterLabel(row.chapterNo)} ${row.chapterTitle}`;
    case 'section':
      return `${sectionLabel(row.sectionNo)} ${row.sectionTitle}`;
    case 'task':
      return row.taskTitle;
    case 'text':
      return row.text;
    case 'lead':
      return row.leadIds.map((id) => deptName(idx, id)).join(LIST_SEPARATOR);
    case 'co':
      return row.coIds.map((id) => deptName(idx, id)).join(LIST_SEPARATOR);
    case 'cities':
      return row.cities.join(LIST_SEPARATOR);
    case 'deadline':
      return row.deadline ?? '';
    case 'status':
      return row.status;
    case 'progress':
      return row.progress;
    case 'note':
      return row.note;
    default:
      return '';
  }
}
