// 调度轮次 by files (issue 18): distribute (a folder with each department's ledger and notice),
// collect (returned ledgers recognised by round and department from their hidden _meta sheet,
// previewed with the import's three-way diff, taken in as the round's reports) and chase (催办
// notices, recorded). The round's logic and review are in services/rounds.ts.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { ImportChoices, ImportPreview } from '../../shared/import';
import type { CollectFileResult, RoundDeptState } from '../../shared/rounds';
import type { MeasureRow } from '../../shared/domain';
import { previewImport } from './index';
import { readSpreadsheet, withPreread, type ReadWorkbook } from './read';
import { ledgerMeasureRows, measureLedgerSpec, LEDGER_SHEET } from '../export/xlsx/ledger';
import { writeLedgerWorkbook, type WriterColumn } from '../export/xlsx/sheet';
import { LIST_SEPARATOR, READ_ONLY_EXTRA_HEADERS } from '../../shared/ledger';
import { fitFileName } from '../export/file-name';
import { buildReminder, buildRoundNotice } from '../export/docx/rounds';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import { measureStates, type MeasureState } from '../services/measures';
import { listDepartments } from '../services/departments';
import type { RoundDeptDbRow } from '../db/round-queries';
import type { Department } from '../../shared/domain';
import { queueRoundDept, queueSubmission } from '../core/sync-rounds';
import { ROUND_OPS, actorName, lateDaysOf, openRoundRow, recordEvent, roundDeptRow, roundRow, rq } from '../services/rounds';

// ---------------------------------------------------------------- distribute

export interface DistributeProgress {
  done: number;
  total: number;
  department: string;
}

export interface DistributeOptions {
  /** only these departments (re-distributing one replaces its package) */
  deptIds?: number[];
  onProgress?: (p: DistributeProgress) => void;
  /** aborting stops before the next department; nothing is kept or recorded */
  signal?: AbortSignal;
}

export interface DistributeResult {
  departments: number;
  files: string[];
}

/** The package's names: 03-省交通运输厅-2026年第四季度调度.xlsx and …-通知.docx. */
export function packageNames(ord: number, dept: string, title: string): { ledger: string; notice: string } {
  const stem = `${String(ord).padStart(2, '0')}-${dept}-${title}`;
  return { ledger: fitFileName(`${stem}.xlsx`), notice: fitFileName(`${stem}-通知.docx`) };
}

/**
 * 下发: for every department (or the ones given) its ledger — only its part, lead and co-operation
 * marked in the title, the round and department in the hidden _meta sheet — and its notice, written
 * into outDir. Files are written under temporary names and renamed only once every one is made, so
 * a cancel or a failure leaves neither files nor a record; then one transaction records it.
 */
/** a round ledger's 佐证材料: read-only (grey, not taken back by the collect: READ_ONLY_EXTRA_HEADERS) */
// through the shared strings: most measures have none, and one empty string serves them all
const EVIDENCE_COLUMN: WriterColumn = { header: READ_ONLY_EXTRA_HEADERS[0], width: 30, editable: false, align: 'left' };
/** names named in one cell; a measure with more files is counted beyond them (a cell holds 32,767 characters) */
const EVIDENCE_CELL_NAMES = 20;

function evidenceCell(names: string[] | undefined): string {
  if (!names) return '';
  const shown = names.slice(0, EVIDENCE_CELL_NAMES).join(LIST_SEPARATOR);
  return names.length > EVIDENCE_CELL_NAMES ? `${shown}等${names.length}份` : shown;
}

export async function distributeRound(ctx: ServiceContext, roundId: number, outDir: string, opts: DistributeOptions = {}): Promise<DistributeResult> {
  const round = openRoundRow(ctx, roundId);
  const q = rq(ctx);
  let depts = q.roundDepts(roundId);
  if (opts.deptIds) {
    for (const id of opts.deptIds) roundDeptRow(ctx, round, id);
    depts = depts.filter((d) => opts.deptIds!.includes(d.dept_id));
  }
  const { rows, measure } = ledgerMeasureRows(ctx);
  const texts = new Map(rows.map((r) => [r[0], { text: r[2], deadline: r[6] }]));
  const allDepts = listDepartments(ctx, true);
  const parts = new Map<number, { id: string; role: string }[]>();
  for (const m of q.roundMeasures(roundId)) (parts.get(m.dept_id) ?? parts.set(m.dept_id, []).get(m.dept_id)!).push({ id: m.measure_id, role: m.role });
  // each department's rows in ledger order (the export's own order), in one pass over the ledger
  const deptsOf = new Map<string, number[]>();
  for (const d of depts) for (const p of parts.get(d.dept_id) ?? []) (deptsOf.get(p.id) ?? deptsOf.set(p.id, []).get(p.id)!).push(d.dept_id);
  // 佐证材料 already attached for this round, by department and measure, for the ledger's read-only column
  const evidenceOf = new Map<string, string[]>();
  for (const e of q.evidence(roundId)) {
    if (e.measure_id === null) continue;
    const k = `${e.dept_id}:${e.measure_id}`;
    (evidenceOf.get(k) ?? evidenceOf.set(k, []).get(k)!).push(e.name);
  }
  const rowsOf = new Map<number, (typeof rows)[number][]>();
  for (const r of rows) for (const id of deptsOf.get(r[0]) ?? []) (rowsOf.get(id) ?? rowsOf.set(id, []).get(id)!).push(r);
  await fs.promises.mkdir(outDir, { recursive: true });
  const written: { tmp: string; final: string }[] = [];
  const tmpOf = (name: string) => path.join(outDir, `.${name}.${process.pid}.partial`);
  const cancelled = () => new ServiceError('CONFLICT', '已取消下发，未写入任何文件');
  try {
    let done = 0;
    for (const d of depts) {
      if (opts.signal?.aborted) throw cancelled();
      const part = parts.get(d.dept_id) ?? [];
      const mine = rowsOf.get(d.dept_id) ?? [];
      const led = part.filter((p) => p.role === '牵头').length;
      const names = packageNames(d.ord, d.name, round.title);
      const now = new Date();
      const spec = measureLedgerSpec(ctx, {
        sheetName: LEDGER_SHEET,
        workbookTitle: `${round.title}报送台账`,
        title: `${round.title}报送台账（${d.name}：牵头${led}项${part.length - led ? `、配合${part.length - led}项` : ''}）`,
        rows: mine,
        measure: (r) => measure(r) as MeasureRow,
        now,
        scope: { deptId: d.dept_id, deptName: d.name },
        scopeLabel: d.name,
        depts: allDepts,
        extra: [{ column: EVIDENCE_COLUMN, cell: (r) => evidenceCell(evidenceOf.get(`${d.dept_id}:${r[0]}`)) }],
        meta: [
          ['round', String(round.id)],
          ['roundTitle', round.title],
          ['roundDept', String(d.dept_id)],
          ['roundDeptName', d.name],
          ['dueDate', round.due_date],
        ],
      });
      spec.note = `报送截止：${round.due_date}　${spec.note}“佐证材料”列为已收到的佐证材料，仅供核对，在此修改无效；补交佐证材料请另附文件，文件名以措施编号开头。`;
      const xlsx = await writeLedgerWorkbook(spec);
      const docx = await buildRoundNotice(ctx, roundId, d.dept_id, names.ledger, texts);
      for (const [name, buf] of [
        [names.ledger, xlsx],
        [names.notice, docx],
      ] as const) {
        const tmp = tmpOf(name);
        await fs.promises.writeFile(tmp, buf);
        written.push({ tmp, final: path.join(outDir, name) });
      }
      opts.onProgress?.({ done: ++done, total: depts.length, department: d.name });
    }
    if (opts.signal?.aborted) throw cancelled();
    // a re-distribution replaces the department's package: same names, written over
    for (const w of written) await fs.promises.rename(w.tmp, w.final);
  } catch (e) {
    for (const w of written) await fs.promises.rm(w.tmp, { force: true });
    throw e;
  }
  ctx.db.transaction(() => {
    const audit = new AuditWriter(ctx, ROUND_OPS.distribute);
    for (const d of depts) {
      const again = d.distributed_at !== null;
      q.setDistributed(roundId, d.dept_id, audit.at);
      audit.field('round_dept', `${roundId}:${d.dept_id}`, 'distributedAt', d.distributed_at, audit.at);
      queueRoundDept(ctx, audit, d);
      const names = packageNames(d.ord, d.name, round.title);
      recordEvent(ctx, roundId, d.dept_id, again ? '重新下发' : '下发', { files: [names.ledger, names.notice] }, audit.at);
    }
  })();
  return { departments: depts.length, files: written.map((w) => w.final) };
}

// ---------------------------------------------------------------- collect

export interface CollectOptions {
  dryRun?: boolean;
  onConflict?: ImportChoices['onConflict'];
  perField?: ImportChoices['perField'];
  /**
   * the department the person confirmed for a file that lost its hidden sheet (or to check the
   * one it names); without it such a file is refused with the department it seems to be from
   */
  deptId?: number;
  /** when the file was received (YYYY-MM-DD or an ISO time; default now) */
  receivedAt?: string;
  onProgress?: (p: { done: number; total: number; file: string }) => void;
}

const REPORT_FIELDS = new Set(['status', 'progress', 'note']);
const FIELD_NAMES: Record<string, string> = { lead: '牵头单位', co: '配合单位', cities: '责任城市', deadline: '完成时限' };

/** _meta's key/value rows (up to the base table). */
function metaKv(wb: ReadWorkbook): Map<string, string> | null {
  const sheet = wb.sheets.find((s) => s.name === '_meta');
  if (!sheet) return null;
  const kv = new Map<string, string>();
  for (const row of sheet.rows.slice(0, 60)) {
    const k = String(row[0] ?? '');
    if (k === 'id') break;
    if (k) kv.set(k, String(row[1] ?? ''));
  }
  return kv;
}

/** Each 编号 of the previewed sheet with its Excel row. */
function idsOfSheet(wb: ReadWorkbook, p: ImportPreview): Map<string, number> {
  const out = new Map<string, number>();
  const sheet = wb.sheets.find((s) => s.name === p.sheet);
  const cell = p.columns.find((c) => c.field === 'id')?.cell;
  if (!sheet || !cell) return out;
  const letters = cell.match(/^[A-Z]+/)![0];
  const col = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  for (let r = p.headerRow; r < sheet.rows.length; r++) {
    const id = String(sheet.rows[r][col] ?? '')
      .replace(/\s+/g, '')
      .toUpperCase();
    if (id && !out.has(id)) out.set(id, r + 1);
  }
  return out;
}

export function parseReceivedAt(s: string | undefined, now = new Date()): string {
  if (s === undefined) return now.toISOString();
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T12:00:00+08:00`) : Date.parse(s);
  if (!Number.isFinite(t)) throw new ServiceError('VALIDATION', `收到时间“${s}”无效，应为 YYYY-MM-DD 或完整的时间`);
  if (t > now.getTime() + 60_000) throw new ServiceError('VALIDATION', `收到时间“${s}”晚于现在`);
  return new Date(t).toISOString();
}

const short = (xs: string[], n = 10) => `${xs.slice(0, n).join('、')}${xs.length > n ? ' 等' : ''}`;

/**
 * 收取: each file on its own — recognised, previewed, and (unless a dry run) taken in in one
 * transaction as the department's reports; a refused file changes nothing and says why in Chinese.
 * A department's later file supersedes its earlier one (both kept).
 */
export function collectRoundFiles(ctx: ServiceContext, roundId: number, files: { name: string; bytes: Buffer }[], opts: CollectOptions = {}): CollectFileResult[] {
  const round = roundRow(ctx, roundId);
  const receivedAt = parseReceivedAt(opts.receivedAt);
  const seen = new Set<string>();
  const out: CollectFileResult[] = [];
  // the measures' states and the directory are read once for the batch (collecting writes reports,
  // never the measures themselves), and kept with what each file gave for the collect that follows
  // its preview, as long as nothing was written since (readingsFor)
  const cache = files.length ? readingsFor(ctx, round.id) : null;
  const batch: Batch = {
    known: cache?.known ?? new Map<string, MeasureState>(),
    roundDepts: rq(ctx).roundDepts(round.id),
    depts: cache?.depts ?? [],
    readings: cache?.readings ?? new Map(),
  };
  try {
    files.forEach((f, i) => {
      out.push(collectOne(ctx, round.id, f, opts, receivedAt, seen, batch));
      opts.onProgress?.({ done: i + 1, total: files.length, file: f.name });
    });
  } finally {
    // after a collect the readings are stale (anything taken in changed the database) and not wanted
    if (!opts.dryRun) collectCaches.delete(ctx.db);
  }
  return out;
}

/**
 * What reading and comparing one returned file gave: its _meta's key/value rows, the text a
 * department is recognised by when _meta is gone, the import's preview and each 编号's Excel row.
 * Depends only on the file's bytes (and name) and the database, so a collect that follows its
 * preview on the same connection, with nothing written since, takes it instead of reading again.
 */
interface Reading {
  kv: Map<string, string> | null;
  head: string;
  /** the workbook, only while the file is handled (not kept) */
  wb: ReadWorkbook | null;
  preview?: ImportPreview;
  present?: Map<string, number>;
}

interface CollectCache {
  /** the connection's change mark (its own writes and any other connection's commits) when read */
  mark: string;
  roundId: number;
  known: Map<string, MeasureState>;
  depts: Department[];
  /** by the file's sha-256 and name */
  readings: Map<string, Reading>;
}

/** per connection: the last batch's readings (a preview's, for the collect that follows it) */
const collectCaches = new WeakMap<ServiceContext['db'], CollectCache>();
/** more files than a person collects at once: the readings are dropped rather than kept growing */
const MAX_READINGS = 500;

/**
 * The batch's measures' states, directory and the readings kept from the last preview, when the
 * database is as it was then (same change mark: no write on this connection, no commit by another
 * one); else read afresh, with no readings. The mark is taken before the reads, so a commit made
 * while they ran makes the next batch read again (never a stale reading).
 */
function readingsFor(ctx: ServiceContext, roundId: number): CollectCache {
  const mark = ctx.q.changeMark();
  const cur = collectCaches.get(ctx.db);
  if (cur && cur.mark === mark && cur.roundId === roundId && cur.readings.size <= MAX_READINGS) return cur;
  const fresh: CollectCache = { mark, roundId, known: measureStates(ctx), depts: listDepartments(ctx, true), readings: new Map() };
  collectCaches.set(ctx.db, fresh);
  return fresh;
}

/** Tests: how many files collects have read (not taken from a kept reading) in this thread. */
export const collectReads = { files: 0 };

/** Tests: whether a file's reading is kept for this connection. */
export function collectCacheHas(ctx: ServiceContext, bytes: Buffer, name: string): boolean {
  return collectCaches.get(ctx.db)?.readings.has(readingKey(createHash('sha256').update(bytes).digest('hex'), name)) ?? false;
}

const readingKey = (sha: string, name: string) => `${sha}\n${name}`;

/** The file's reading from the batch's kept ones, or read now (and kept, without the workbook). */
function readingOf(file: { name: string; bytes: Buffer }, sha: string, readings: Map<string, Reading>): Reading {
  const key = readingKey(sha, file.name);
  const kept = readings.get(key);
  if (kept) return kept;
  collectReads.files++;
  const wb = readSpreadsheet(file.name, file.bytes);
  const visible = wb.sheets.filter((s) => s.name !== '_meta' && s.name !== '_lists');
  const head = visible.flatMap((s) => s.rows.slice(0, 3).flat()).map((v) => String(v ?? '')).join(' ') + ' ' + file.name;
  const r: Reading = { kv: metaKv(wb), head, wb };
  readings.set(key, r);
  return r;
}

interface Batch {
  known: Map<string, MeasureState>;
  roundDepts: RoundDeptDbRow[];
  depts: Department[];
  readings: Map<string, Reading>;
}

function collectOne(
  ctx: ServiceContext,
  roundId: number,
  file: { name: string; bytes: Buffer },
  opts: CollectOptions,
  receivedAt: string,
  seen: Set<string>,
  { known, roundDepts: depts, depts: directory, readings }: Batch,
): CollectFileResult {
  const res: CollectFileResult = { file: file.name, department: null, changed: 0, reports: 0, refused: null, errors: [], warnings: [], conflicts: 0, lateDays: 0, replaced: null };
  const refuse = (why: string) => ({ ...res, refused: why });
  let reading: Reading | null = null;
  try {
    const round = openRoundRow(ctx, roundId);
    const q = rq(ctx);
    const sha = createHash('sha256').update(file.bytes).digest('hex');
    const dup = q.submissionBySha(roundId, sha);
    if (dup || seen.has(sha)) {
      const who = dup ? q.roundDept(roundId, dup.dept_id)?.name : undefined;
      return refuse(`重复的文件：与${dup ? `${dup.received_at.slice(0, 10)} 收取的“${dup.file_name}”（${who}）` : '本批中的另一个文件'}内容完全相同，未再次收取`);
    }
    seen.add(sha);
    reading = readingOf(file, sha, readings);
    const kv = reading.kv;
    let deptId: number | undefined;
    let matchedBy: 'meta' | 'confirmed' = 'meta';
    const declaredRound = kv?.get('round');
    if (declaredRound !== undefined && declaredRound !== '') {
      if (declaredRound !== String(roundId)) {
        const title = kv?.get('roundTitle');
        return refuse(`这是${title ? `“${title}”` : `第 ${declaredRound} 号轮次`}的报送台账，不属于本轮（“${round.title}”），未收取`);
      }
      deptId = Number(kv?.get('roundDept'));
      if (!depts.some((d) => d.dept_id === deptId)) return refuse('隐藏工作表记录的报送单位不在本轮的报送单位中，文件可能被改动过，未收取');
      if (opts.deptId !== undefined && opts.deptId !== deptId) {
        return refuse(`文件记录的报送单位为“${depts.find((d) => d.dept_id === deptId)!.name}”，与指定的“${depts.find((d) => d.dept_id === opts.deptId)?.name ?? opts.deptId}”不符，未收取`);
      }
    } else {
      // no record of the round: the department named in the file (its title, its file name), confirmed by the person
      const named = depts.filter((d) => reading!.head.includes(d.name));
      // the longest name that matches (省交通运输厅 rather than a shorter name inside it)
      named.sort((a, b) => b.name.length - a.name.length);
      if (opts.deptId === undefined)
        return {
          ...refuse(
            `文件中没有本轮的记录（隐藏工作表“_meta”缺失或不是本工作台下发的台账），无法自动确认报送单位` +
              (named.length ? `：据文件内容，可能是“${named[0].name}”的报送，请确认后指定单位（命令行：--dept ${named[0].name}）` : '：请确认后指定单位（命令行：--dept 单位名称）'),
          ),
          needsDept: true,
          suggestedDeptId: named[0]?.dept_id ?? null,
        };
      if (!depts.some((d) => d.dept_id === opts.deptId)) return refuse('指定的单位不在本轮的报送单位中');
      if (named.length && !named.some((d) => d.dept_id === opts.deptId)) return refuse(`文件中写明的单位为“${named[0].name}”，与指定的单位不符，未收取`);
      deptId = opts.deptId;
      matchedBy = 'confirmed';
      res.warnings.push('文件中没有本轮的记录，按您确认的单位收取');
    }
    const dept = depts.find((d) => d.dept_id === deptId)!;
    res.department = dept.name;
    if (!reading.preview) {
      // a reading kept without its preview (the file was refused before it): read again
      const wb = reading.wb ?? readSpreadsheet(file.name, file.bytes);
      reading.preview = withPreread(file.bytes, wb, () => previewImport(ctx, file, { measureStates: known, depts: directory }));
      reading.present = idsOfSheet(wb, reading.preview);
    }
    const preview = reading.preview;
    if (preview.ledgerKind !== 'measures') return refuse('这不是任务分工台账（表头不符），未收取');
    res.warnings.push(...preview.warnings);
    if (preview.errors.length) {
      res.errors = preview.errors.map((e) => `第 ${e.row} 行“${e.column}”：${e.message}`);
      return refuse(`台账中有 ${preview.errors.length} 处错误，请修正后重新报送，未收取`);
    }
    if (preview.outOfScope.length) return refuse(`${preview.outOfScope.length} 行不属于${dept.name}的报送范围（${short(preview.outOfScope.map((o) => `第 ${o.row} 行 ${o.id}`))}），未收取`);
    const part = new Map(q.roundMeasures(roundId, dept.dept_id).map((m) => [m.measure_id, m.role]));
    const present = reading.present!;
    const outside = [...present].filter(([id]) => known.has(id) && !part.has(id));
    if (outside.length) return refuse(`${outside.length} 行不属于${dept.name}本轮的报送范围（${short(outside.map(([id, row]) => `第 ${row} 行 ${id}`))}），未收取`);
    const mine = [...present.keys()].filter((id) => part.has(id));
    if (!mine.length) return refuse(`文件中没有${dept.name}本轮需报送的措施，未收取`);
    const missing = [...part.keys()].filter((id) => !present.has(id));
    if (missing.length) res.warnings.push(`${missing.length} 项本轮需报送的措施不在文件中，视为未报送：${short(missing)}`);

    // the reported values: what is here now, with the department's changes of status, progress and
    // note (a conflict taken or kept as chosen); other fields are no report
    const choices: ImportChoices = { onConflict: opts.onConflict ?? 'keep', perField: opts.perField };
    const values = new Map<string, { status: string; progress: string; note: string; changed: Set<string> }>();
    for (const id of mine) {
      const m = known.get(id)!;
      values.set(id, { status: m.status, progress: m.progress, note: m.note, changed: new Set() });
    }
    const ignored = new Set<string>();
    const take = (id: string, field: string, value: unknown) => {
      if (!REPORT_FIELDS.has(field)) {
        ignored.add(FIELD_NAMES[field] ?? field);
        return;
      }
      const v = values.get(id);
      if (!v) return;
      (v as unknown as Record<string, unknown>)[field] = value;
      v.changed.add(field);
    };
    for (const row of preview.changes) for (const f of row.changes) take(row.rowId, f.field, f.value);
    res.conflictRows = preview.conflicts.map((row) => ({ ...row, fields: row.fields.filter((f) => REPORT_FIELDS.has(f.field)) })).filter((row) => row.fields.length > 0);
    for (const row of preview.conflicts)
      for (const f of row.fields) {
        if (!REPORT_FIELDS.has(f.field)) continue;
        res.conflicts++;
        if ((choices.perField?.[row.rowId]?.[f.field] ?? choices.onConflict) === 'take') take(row.rowId, f.field, f.value);
        else res.warnings.push(`措施 ${row.rowId} 的${f.header}：下发后本库已改为“${f.ours}”，报送为“${f.new}”，按选择保留本库的值`);
      }
    if (ignored.size) res.warnings.push(`报送台账中对${[...ignored].join('、')}的改动不属于调度报送，未采用；如需调整分工，请另行导入台账`);
    res.reports = mine.length;
    res.changed = [...values.values()].filter((v) => v.changed.size > 0).length;
    res.lateDays = lateDaysOf(round.due_date, receivedAt);
    const earlier = q.liveSubmission(roundId, dept.dept_id);
    res.replaced = earlier?.id ?? null;
    if (earlier) res.warnings.push(`替换${dept.name}此前（${earlier.received_at.slice(0, 10)}）报送的“${earlier.file_name}”，原报送保留在记录中`);
    if (opts.dryRun) return res;

    ctx.db.transaction(() => {
      // read again inside the transaction: another file of this batch may have been taken meanwhile
      const cur = q.roundDept(roundId, dept.dept_id)!;
      const before = q.liveSubmission(roundId, dept.dept_id);
      const audit = new AuditWriter(ctx, `${ROUND_OPS.collect}（${dept.name}）`);
      const subId = q.insertSubmission({
        round_id: roundId,
        dept_id: dept.dept_id,
        file_name: file.name.slice(0, 255),
        sha256: sha,
        bytes: file.bytes.length,
        received_at: receivedAt,
        collected_at: audit.at,
        actor: actorName(ctx),
        matched_by: matchedBy,
        rows: present.size,
      });
      if (before) {
        q.supersede(before.id, subId);
        audit.field('round_submission', String(before.id), 'supersededBy', null, subId);
      }
      for (const [id, v] of values)
        q.insertReport({ submission_id: subId, round_id: roundId, dept_id: dept.dept_id, measure_id: id, status: v.status as never, progress: v.progress, note: v.note, changed: JSON.stringify([...v.changed]) });
      // punctuality is judged by the first receipt: a correction does not make a report late
      const firstAt = cur.state === '未报送' || cur.received_at === null ? receivedAt : cur.received_at;
      const state: RoundDeptState = '已报送';
      q.setDeptState(roundId, dept.dept_id, state, firstAt, null);
      audit.field('round_submission', String(subId), 'file', null, file.name);
      if (cur.state !== state) audit.field('round_dept', `${roundId}:${dept.dept_id}`, 'state', cur.state, state);
      queueSubmission(ctx, audit, roundId, subId);
      queueRoundDept(ctx, audit, cur);
      recordEvent(ctx, roundId, dept.dept_id, '收取', { file: file.name, sha256: sha, submission: subId, reports: values.size, changed: res.changed, lateDays: res.lateDays, replaced: before?.id ?? null }, audit.at);
    })();
    return res;
  } catch (e) {
    if (e instanceof ServiceError) return refuse(`${e.message}（未收取）`);
    throw e;
  } finally {
    // the workbook is not kept: the reading's preview and rows are what a collect needs again
    if (reading) reading.wb = null;
  }
}

export const LEDGER_EXT = /\.(xlsx|xls|et|csv|ods)$/i;

/**
 * Read the files of a folder (and of its sub-folders one level down: a folder per department) or
 * the files given, for collect: the ledgers, and the other files (佐证材料 named by measure id).
 */
export function readCollectInputs(inputs: string[]): { ledgers: { name: string; bytes: Buffer }[]; others: { name: string; bytes: Buffer }[] } {
  const ledgers: { name: string; bytes: Buffer }[] = [];
  const others: { name: string; bytes: Buffer }[] = [];
  const take = (f: string) => (LEDGER_EXT.test(f) ? ledgers : others).push({ name: path.basename(f), bytes: fs.readFileSync(f) });
  for (const p of inputs) {
    if (!fs.statSync(p).isDirectory()) {
      take(p);
      continue;
    }
    for (const n of fs.readdirSync(p).sort()) {
      if (n.startsWith('.')) continue;
      const f = path.join(p, n);
      const st = fs.statSync(f);
      if (st.isFile()) take(f);
      else if (st.isDirectory())
        for (const m of fs.readdirSync(f).sort()) if (!m.startsWith('.') && fs.statSync(path.join(f, m)).isFile()) take(path.join(f, m));
    }
  }
  return { ledgers, others };
}

// ---------------------------------------------------------------- chase

export interface ReminderDoc {
  fileName: string;
  buffer: Buffer;
  deptIds: number[];
  /** one notice for several departments */
  combined: boolean;
}

/**
 * 催办: reminder notices for the departments given (default: every one not reported or returned),
 * one each or one combined. Making them records nothing: a notice is recorded (recordReminder) only
 * once it has been written where the person chose, so a cancelled save leaves no 催办 on record.
 */
export async function buildReminders(ctx: ServiceContext, roundId: number, opts: { deptIds?: number[]; combined?: boolean } = {}): Promise<ReminderDoc[]> {
  const round = openRoundRow(ctx, roundId);
  const q = rq(ctx);
  const all = q.roundDepts(roundId);
  let ids = opts.deptIds ?? all.filter((d) => d.state === '未报送' || d.state === '已退回').map((d) => d.dept_id);
  for (const id of ids) roundDeptRow(ctx, round, id);
  ids = all.filter((d) => ids.includes(d.dept_id)).map((d) => d.dept_id);
  if (!ids.length) throw new ServiceError('VALIDATION', '各单位均已报送，无需催办');
  const groups = opts.combined || ids.length === 1 ? [ids] : ids.map((id) => [id]);
  const name = (id: number) => all.find((d) => d.dept_id === id)!.name;
  const docs: ReminderDoc[] = [];
  for (const g of groups) {
    const who = g.length === 1 ? name(g[0]) : `${g.length}个单位`;
    docs.push({ fileName: fitFileName(`催办通知-${who}-${round.title}.docx`), buffer: await buildReminder(ctx, roundId, g), deptIds: g, combined: g.length > 1 });
  }
  return docs;
}

/**
 * The 催办 of one notice that was written: a count per department, the round's record and the audit,
 * in one transaction with `within` (what keeps the written file: the export list's entry, the
 * rename of the CLI's file into place), so either both stand or neither.
 */
export function recordReminder<T>(ctx: ServiceContext, roundId: number, doc: Pick<ReminderDoc, 'deptIds' | 'combined'>, within: () => T): T {
  const q = rq(ctx);
  return ctx.db.transaction(() => {
    // the round may have closed while the person chose where to save
    openRoundRow(ctx, roundId);
    const audit = new AuditWriter(ctx, ROUND_OPS.remind);
    for (const id of doc.deptIds) {
      const d = q.roundDept(roundId, id)!;
      q.addReminder(roundId, id, audit.at);
      audit.field('round_dept', `${roundId}:${id}`, 'reminders', d.reminders, d.reminders + 1);
      queueRoundDept(ctx, audit, d);
      recordEvent(ctx, roundId, id, '催办', { combined: doc.combined, reminders: d.reminders + 1 }, audit.at);
    }
    return within();
  })();
}
