// 调度轮次 (issue 18) against a real SQLite file and real exported files read back by other
// readers (SheetJS, ExcelJS for the departments' edits, python-docx / openpyxl) and checked by the
// Open XML validator: open, distribute, collect (refusals, conflicts, corrections), review,
// remind, close, compare, assess.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { initWorkbenchDb } from '../../../electron/db/open';
import { contextFor, type ServiceContext } from '../../../electron/core/context';
import { applyEdits, listMeasures } from '../../../electron/services/measures';
import { listDepartments } from '../../../electron/services/departments';
import { setIdentity } from '../../../electron/services/settings';
import { leadsOf } from '../../../electron/services/leads';
import {
  closeRound,
  compareRounds,
  createRound,
  getScoreRules,
  reviewRound,
  roundEvents,
  roundReports,
  roundScores,
  roundStatus,
  setScoreRules,
} from '../../../electron/services/rounds';
import { buildReminders, collectRoundFiles, distributeRound, packageNames, recordReminder } from '../../../electron/import/round-files';
import { buildReturnNotice, buildRoundBriefing } from '../../../electron/export/docx/rounds';
import { exportRoundScores } from '../../../electron/export/xlsx/round-scores';
import { LEDGER_COLUMNS } from '../../../shared/ledger';
import { validate, validatorMissing, describe as describeErrors } from '../../conformance/validator';
import { PY, pythonMissing } from '../../conformance/tools';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'czt-rounds-'));
const HEADER_ROW = 3;
const col = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1;

function fresh(): { ctx: ServiceContext; dir: string; close: () => void } {
  const dir = tmp();
  const db = initWorkbenchDb(path.join(dir, 'w.db'));
  const ctx = contextFor(db);
  setIdentity(ctx, { name: '王推进', unit: '省发展改革委' });
  return { ctx, dir, close: () => db.close() };
}

/** A department's edits of its returned ledger, made with ExcelJS (another program than ours). */
async function editLedger(file: string, edits: Record<string, { status?: string; progress?: string; lead?: string }>, opts: { addIds?: string[]; dropMeta?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('任务分工台账')!;
  ws.eachRow((row, r) => {
    if (r <= HEADER_ROW) return;
    const e = edits[String(row.getCell(1).value ?? '')];
    if (!e) return;
    if (e.status) row.getCell(col('status')).value = e.status;
    if (e.progress) row.getCell(col('progress')).value = e.progress;
    if (e.lead) row.getCell(col('lead')).value = e.lead;
  });
  for (const id of opts.addIds ?? []) {
    const cells: string[] = [id];
    cells[col('status') - 1] = '推进中';
    ws.addRow(cells);
  }
  if (opts.dropMeta) wb.removeWorksheet(wb.getWorksheet('_meta')!.id);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function countRows(ctx: ServiceContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['round_submission', 'round_report', 'round_event', 'audit']) out[t] = (ctx.db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n;
  out.states = JSON.stringify(ctx.db.prepare('SELECT state, received_at FROM round_dept ORDER BY round_id, dept_id').all()).length;
  out.measures = JSON.stringify(ctx.db.prepare('SELECT id, status, progress FROM measure ORDER BY id').all()).length;
  return out;
}

/** paragraphs and table cells of a .docx as python-docx reads them */
function docxText(file: string): string {
  const r = spawnSync(PY, ['-c', 'import sys, docx\nd = docx.Document(sys.argv[1])\nprint("\\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells]))', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

async function valid(file: string): Promise<void> {
  if (validatorMissing()) return;
  const errors = await validate(file);
  assert.equal(errors.length, 0, `${path.basename(file)}:\n${describeErrors(errors)}`);
}

test('a round goes to every lead of each measure of chapters 3–9 (with --with-co the co-operating ones too), through leadsOf', () => {
  const { ctx, close } = fresh();
  try {
    const measures = listMeasures(ctx).filter((m) => m.actionable && m.chapterNo >= 3);
    const active = new Set(listDepartments(ctx).map((d) => d.id));
    const leads = new Set(measures.flatMap((m) => leadsOf(m)).filter((d) => active.has(d)));
    const { round, unassigned } = createRound(ctx, { title: '2026年第三季度调度', periodEnd: '2026-09-30', dueDate: '2026-10-10' });
    assert.deepEqual(round.scope, { chapters: [3, 4, 5, 6, 7, 8, 9] });
    assert.equal(round.departments, leads.size);
    assert.equal(round.measures + unassigned.length, measures.length);
    const st = roundStatus(ctx, round.id, '2026-10-01');
    assert.ok(st.departments.every((d) => d.state === '未报送' && d.measures > 0 && d.light === 'green'));
    // each department's part is exactly the measures it leads
    for (const d of st.departments) assert.equal(d.measures, measures.filter((m) => leadsOf(m).includes(d.deptId)).length, d.name);
    // the seed names no co-operating departments: give two measures of chapter 4 one each
    const ch4Leads = new Set(measures.filter((m) => m.chapterNo === 4).flatMap((m) => leadsOf(m)));
    const helper = listDepartments(ctx).find((d) => !ch4Leads.has(d.id))!;
    const ch4Ids = measures.filter((m) => m.chapterNo === 4).map((m) => m.id);
    applyEdits(ctx, [ch4Ids[0], ch4Ids[1]].map((measureId) => ({ measureId, patch: { coIds: [helper.id] } })), '编辑');
    const co = createRound(ctx, { title: '带配合单位', periodEnd: '2026-09-30', dueDate: '2026-10-10', withCo: true, scope: { chapters: [4] } });
    const ch4 = listMeasures(ctx).filter((m) => m.chapterNo === 4);
    const withCo = new Set(ch4.flatMap((m) => [...leadsOf(m), ...m.coIds]).filter((d) => active.has(d)));
    assert.equal(co.round.departments, withCo.size);
    const roles = ctx.db.prepare('SELECT role, count(*) n FROM round_measure WHERE round_id = ? GROUP BY role ORDER BY role').all(co.round.id) as { role: string; n: number }[];
    assert.deepEqual(roles.find((r) => r.role === '配合'), { role: '配合', n: 2 });
    assert.ok(withCo.has(helper.id));
    // without --with-co the helper has no part
    const leadsOnly = createRound(ctx, { title: '不带配合单位', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [4] } }).round;
    assert.equal(leadsOnly.departments, ch4Leads.size);
    assert.equal(co.round.departments, ch4Leads.size + 1);
    // a field (领域) by the drafting page's mapping: 生态环境 is chapter 6
    const eco = createRound(ctx, { title: '生态环境专项调度', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { fields: ['生态环境'] } });
    const ch6 = measures.filter((m) => m.chapterNo === 6);
    assert.equal(eco.round.measures + eco.unassigned.length, ch6.length);
    assert.throws(() => createRound(ctx, { title: 'x', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { fields: ['文化' as never] } }), /领域应为/);
    // refused with a Chinese reason, nothing written
    const before = countRows(ctx);
    assert.throws(() => createRound(ctx, { title: ' ', periodEnd: '2026-09-30', dueDate: '2026-10-10' }), /轮次名称/);
    assert.throws(() => createRound(ctx, { title: 'x', periodEnd: '2026-09-30', dueDate: '2026-09-01' }), /不能早于/);
    assert.throws(() => createRound(ctx, { title: 'x', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [12] } }), /章号/);
    assert.throws(() => createRound(ctx, { title: 'x', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { measureIds: ['1.1.1.1'] } }), /没有这些措施|不是需要调度的措施/);
    assert.deepEqual(countRows(ctx), before);
    const audit = ctx.db.prepare("SELECT field, new_value FROM audit WHERE op = '新建调度轮次' AND tbl = 'round' AND row_id = ? ORDER BY id").all(String(round.id)) as { field: string; new_value: string }[];
    assert.deepEqual(audit.map((a) => a.field), ['title', 'periodEnd', 'dueDate', 'scope', 'withCo', 'departments']);
    assert.equal(audit[0].new_value, '2026年第三季度调度');
  } finally {
    close();
  }
});

test('distribute writes each department its ledger (its part only, round and department in _meta) and a valid notice; cancel leaves nothing; re-distributing one is recorded', async () => {
  const { ctx, dir, close } = fresh();
  try {
    const { round } = createRound(ctx, { title: '2026年第三季度调度', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [4, 5] } });
    const out = path.join(dir, '下发');
    // cancelled after the first department: no file, no record
    const ac = new AbortController();
    await assert.rejects(distributeRound(ctx, round.id, out, { signal: ac.signal, onProgress: () => ac.abort() }), /已取消下发/);
    assert.deepEqual(fs.readdirSync(out), []);
    assert.equal(roundEvents(ctx, round.id).filter((e) => e.kind === '下发').length, 0);

    const progress: number[] = [];
    const r = await distributeRound(ctx, round.id, out, { onProgress: (p) => progress.push(p.done) });
    assert.equal(r.departments, round.departments);
    assert.equal(r.files.length, 2 * round.departments);
    assert.deepEqual(progress, Array.from({ length: round.departments }, (_, i) => i + 1));
    const st = roundStatus(ctx, round.id);
    const third = st.departments[2];
    const names = packageNames(3, third.name, round.title);
    assert.equal(names.ledger, `03-${third.name}-2026年第三季度调度.xlsx`);
    // read back with SheetJS: its part only, the round and the department in the hidden sheet
    const wb = XLSX.read(fs.readFileSync(path.join(out, names.ledger)));
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['任务分工台账'], { header: 1 }).slice(HEADER_ROW);
    const ids = rows.map((x) => String(x[0])).filter((x) => /^\d/.test(x));
    const part = (ctx.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(round.id, third.deptId) as { measure_id: string }[]).map((x) => x.measure_id);
    assert.deepEqual([...ids].sort(), part);
    const meta = new Map(XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['_meta'], { header: 1 }).map((x) => [String(x[0]), String(x[1])]));
    assert.equal(meta.get('round'), String(round.id));
    assert.equal(meta.get('roundDept'), String(third.deptId));
    assert.equal(meta.get('roundDeptName'), third.name);
    assert.equal(wb.Workbook?.Sheets?.find((s) => s.name === '_meta')?.Hidden, 2);
    await valid(path.join(out, names.ledger));
    await valid(path.join(out, names.notice));
    if (!pythonMissing()) {
      const text = docxText(path.join(out, names.notice));
      assert.match(text, /2026年10月10日前/);
      assert.match(text, new RegExp(third.name));
      assert.match(text, /“状态”.*“进展情况”/);
      for (const id of part) assert.ok(text.includes(id), id);
    }
    // re-distributing one department replaces its two files and is recorded as such
    const before = fs.statSync(path.join(out, names.ledger)).mtimeMs;
    const again = await distributeRound(ctx, round.id, out, { deptIds: [third.deptId] });
    assert.deepEqual(again.files.map((f) => path.basename(f)).sort(), [names.ledger, names.notice].sort());
    assert.equal(fs.readdirSync(out).length, 2 * round.departments);
    assert.ok(fs.statSync(path.join(out, names.ledger)).mtimeMs >= before);
    const ev = roundEvents(ctx, round.id);
    assert.equal(ev.filter((e) => e.kind === '下发').length, round.departments);
    assert.deepEqual(ev.filter((e) => e.kind === '重新下发').map((e) => e.dept), [third.name]);
  } finally {
    close();
  }
});

test('collect takes a returned ledger as the round\'s reports (not yet progress), refuses a duplicate, another round\'s file, rows outside the part and a file without _meta unless the department is confirmed; a correction replaces the earlier report and both are kept', async () => {
  const { ctx, dir, close } = fresh();
  try {
    const { round } = createRound(ctx, { title: '第三季度', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [4] } });
    const other = createRound(ctx, { title: '第二季度补报', periodEnd: '2026-06-30', dueDate: '2026-07-10', scope: { chapters: [4] } }).round;
    const out = path.join(dir, 'out');
    const out2 = path.join(dir, 'out2');
    await distributeRound(ctx, round.id, out);
    await distributeRound(ctx, other.id, out2);
    const st = roundStatus(ctx, round.id);
    const [a, b] = st.departments.filter((d) => d.measures >= 2);
    const partOf = (deptId: number, rid = round.id) => (ctx.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(rid, deptId) as { measure_id: string }[]).map((x) => x.measure_id);
    const [a1, a2] = partOf(a.deptId);
    const fileA = path.join(out, packageNames(st.departments.indexOf(a) + 1, a.name, round.title).ledger);
    const progressBefore = listMeasures(ctx).find((m) => m.id === a1)!.progress;

    const bytesA = await editLedger(fileA, { [a1]: { status: '推进中', progress: '已完成可研批复' }, [a2]: { status: '滞后', progress: '征地未完成', lead: '省教育厅' } });
    const dry = collectRoundFiles(ctx, round.id, [{ name: 'a.xlsx', bytes: bytesA }], { dryRun: true, receivedAt: '2026-10-08' });
    assert.equal(dry[0].refused, null, dry[0].refused ?? '');
    assert.equal(roundStatus(ctx, round.id).departments.find((d) => d.deptId === a.deptId)!.state, '未报送');

    const [ra] = collectRoundFiles(ctx, round.id, [{ name: 'a.xlsx', bytes: bytesA }], { receivedAt: '2026-10-08' });
    assert.equal(ra.refused, null);
    assert.equal(ra.department, a.name);
    assert.equal(ra.changed, 2);
    assert.equal(ra.reports, a.measures);
    assert.equal(ra.lateDays, 0);
    assert.ok(ra.warnings.some((w) => /牵头单位的改动不属于调度报送/.test(w)), ra.warnings.join('\n'));
    const reps = roundReports(ctx, round.id, { deptId: a.deptId });
    assert.equal(reps.length, a.measures);
    const r1 = reps.find((r) => r.measureId === a1)!;
    assert.deepEqual([r1.status, r1.progress, r1.changed.sort(), r1.state], ['推进中', '已完成可研批复', ['progress', 'status'], '待审核']);
    // the round's report, not yet the measure's progress
    assert.equal(listMeasures(ctx).find((m) => m.id === a1)!.progress, progressBefore);
    assert.equal(roundStatus(ctx, round.id).departments.find((d) => d.deptId === a.deptId)!.state, '已报送');

    // refusals: each with its reason, nothing changed
    const before = countRows(ctx);
    const refusedOf = (name: string, bytes: Buffer, opts = {}) => collectRoundFiles(ctx, round.id, [{ name, bytes }], opts)[0];
    assert.match(refusedOf('again.xlsx', bytesA).refused ?? '', /重复的文件/);
    const fileOther = path.join(out2, packageNames(1, roundStatus(ctx, other.id).departments[0].name, other.title).ledger);
    assert.match(refusedOf('other.xlsx', fs.readFileSync(fileOther)).refused ?? '', /“第二季度补报”的报送台账，不属于本轮/);
    const bId = partOf(b.deptId)[0];
    const fileB = path.join(out, packageNames(st.departments.indexOf(b) + 1, b.name, round.title).ledger);
    const outside = refusedOf('outside.xlsx', await editLedger(fileB, {}, { addIds: [a1] }));
    assert.match(outside.refused ?? '', new RegExp(`不属于${b.name}`));
    // a measure b leads but outside this round's chapters: the ledger's own scope (b) lets it through, the round does not
    const bElsewhere = listMeasures(ctx).find((m) => m.actionable && m.chapterNo !== 4 && leadsOf(m).includes(b.deptId));
    if (bElsewhere) assert.match(refusedOf('elsewhere.xlsx', await editLedger(fileB, {}, { addIds: [bElsewhere.id] })).refused ?? '', new RegExp(`不属于${b.name}本轮的报送范围（第 \\d+ 行 ${bElsewhere.id.replace(/\./g, '\\.')}）`));
    assert.ok(bElsewhere, 'b leads a measure outside chapter 4');
    const noMeta = await editLedger(fileB, { [bId]: { progress: '无隐藏表的报送' } }, { dropMeta: true });
    const nm = refusedOf(`${b.name}报送.xlsx`, noMeta);
    assert.match(nm.refused ?? '', new RegExp(`无法自动确认报送单位.*可能是“${b.name}”`));
    assert.match(refusedOf('wrongdept.xlsx', noMeta, { deptId: a.deptId }).refused ?? '', /与指定的单位不符/);
    assert.match(refusedOf('bad.xlsx', Buffer.from('not a spreadsheet at all')).refused ?? '', /未收取/);
    assert.deepEqual(countRows(ctx), before);
    // confirmed by the person: taken, recorded as confirmed
    const ok = refusedOf(`${b.name}报送.xlsx`, noMeta, { deptId: b.deptId, receivedAt: '2026-10-12' });
    assert.equal(ok.refused, null);
    assert.equal(ok.lateDays, 2);
    assert.equal((ctx.db.prepare('SELECT matched_by FROM round_submission WHERE dept_id = ? AND round_id = ?').get(b.deptId, round.id) as { matched_by: string }).matched_by, 'confirmed');

    // a corrected file replaces the earlier report; both submissions kept, punctuality by the first
    const corrected = await editLedger(fileA, { [a1]: { status: '已完成', progress: '项目已竣工' } });
    const [rc] = collectRoundFiles(ctx, round.id, [{ name: 'a-修改稿.xlsx', bytes: corrected }], { receivedAt: '2026-10-15' });
    assert.equal(rc.refused, null);
    assert.ok(rc.replaced);
    const all = roundReports(ctx, round.id, { deptId: a.deptId, all: true }).filter((r) => r.measureId === a1);
    assert.deepEqual(all.map((r) => [r.state, r.progress]), [
      ['已替换', '已完成可研批复'],
      ['待审核', '项目已竣工'],
    ]);
    const subs = ctx.db.prepare('SELECT file_name, superseded_by FROM round_submission WHERE round_id = ? AND dept_id = ? ORDER BY id').all(round.id, a.deptId) as { file_name: string; superseded_by: number | null }[];
    assert.equal(subs.length, 2);
    assert.ok(subs[0].superseded_by !== null && subs[1].superseded_by === null);
    assert.equal(roundStatus(ctx, round.id).departments.find((d) => d.deptId === a.deptId)!.lateDays, 0);
    // a2 is back as sent in the correction (the department reverted it): no change reported
    assert.deepEqual(roundReports(ctx, round.id, { deptId: a.deptId }).find((r) => r.measureId === a2)!.changed, []);
  } finally {
    close();
  }
});

test('a closed round counts the days late of a department that never reported up to the close date, not today', () => {
  const { ctx, close } = fresh();
  try {
    const { round } = createRound(ctx, { title: '已结束的轮次', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [5] } });
    const open = roundStatus(ctx, round.id, '2026-10-15').departments[0];
    assert.deepEqual([open.receivedAt, open.lateDays, open.daysToDue], [null, 5, -5]);
    closeRound(ctx, round.id);
    // closed on 20 October (China time); seen months later, still 10 days late (报送情况 shows 已逾期 -daysToDue)
    ctx.db.prepare('UPDATE round SET closed_at = ? WHERE id = ?').run('2026-10-20T02:00:00.000Z', round.id);
    for (const today of ['2026-12-31', '2027-06-30']) {
      const d = roundStatus(ctx, round.id, today).departments[0];
      assert.deepEqual([d.receivedAt, d.lateDays, d.daysToDue, d.light], [null, 10, -10, 'red'], today);
    }
  } finally {
    close();
  }
});

test('a conflict (the measure changed here since distribution) keeps this database\'s value unless take is chosen', async () => {
  const { ctx, dir, close } = fresh();
  try {
    const { round } = createRound(ctx, { title: '冲突', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [5] } });
    const out = path.join(dir, 'out');
    await distributeRound(ctx, round.id, out);
    const d = roundStatus(ctx, round.id).departments[0];
    const id = (ctx.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id LIMIT 1').get(round.id, d.deptId) as { measure_id: string }).measure_id;
    applyEdits(ctx, [{ measureId: id, patch: { progress: '本办更新的进展' } }], '编辑');
    const bytes = await editLedger(path.join(out, packageNames(1, d.name, round.title).ledger), { [id]: { progress: '部门报送的进展' } });
    const [keep] = collectRoundFiles(ctx, round.id, [{ name: 'k.xlsx', bytes }], { dryRun: true });
    assert.equal(keep.conflicts, 1);
    assert.ok(keep.warnings.some((w) => w.includes('保留本库的值')));
    const [take] = collectRoundFiles(ctx, round.id, [{ name: 't.xlsx', bytes }], { onConflict: 'take' });
    assert.equal(take.refused, null);
    assert.equal(roundReports(ctx, round.id, { deptId: d.deptId }).find((r) => r.measureId === id)!.progress, '部门报送的进展');
  } finally {
    close();
  }
});

test('review: accepting writes the reports to the measures (audit names the department and the person), returning needs a reason; rates, reminders, close, compare, scores and the documents', async () => {
  const { ctx, dir, close } = fresh();
  try {
    const q3 = createRound(ctx, { title: '2026年第二季度调度', periodEnd: '2026-06-30', dueDate: '2026-07-10', scope: { chapters: [6] } }).round;
    closeRound(ctx, q3.id);
    const { round } = createRound(ctx, { title: '2026年第三季度调度', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [6] } });
    const out = path.join(dir, 'out');
    await distributeRound(ctx, round.id, out);
    const st0 = roundStatus(ctx, round.id, '2026-10-09');
    assert.ok(st0.departments.every((d) => d.light === 'yellow'));
    assert.ok(roundStatus(ctx, round.id, '2026-10-12').departments.every((d) => d.light === 'red' && d.lateDays === 2));
    const [a, b, c] = st0.departments;
    const part = (deptId: number) => (ctx.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(round.id, deptId) as { measure_id: string }[]).map((x) => x.measure_id);
    const file = (i: number, name: string) => path.join(out, packageNames(i + 1, name, round.title).ledger);
    const [a1] = part(a.deptId);
    const [b1] = part(b.deptId);
    collectRoundFiles(ctx, round.id, [{ name: 'a.xlsx', bytes: await editLedger(file(0, a.name), { [a1]: { status: '已完成', progress: '已建成投用' } }) }], { receivedAt: '2026-10-09' });
    collectRoundFiles(ctx, round.id, [{ name: 'b.xlsx', bytes: await editLedger(file(1, b.name), { [b1]: { status: '滞后', progress: '资金未到位' } }) }], { receivedAt: '2026-10-13' });

    // 退回 needs a reason; the return notice carries it
    assert.throws(() => reviewRound(ctx, round.id, { deptId: b.deptId, action: 'return' }), /退回须说明理由/);
    assert.throws(() => reviewRound(ctx, round.id, { deptId: c.deptId, action: 'accept' }), /尚未报送/);
    const ret = reviewRound(ctx, round.id, { deptId: b.deptId, action: 'return', reason: '滞后原因未说明' });
    assert.equal(ret.state, '已退回');
    const rn = path.join(dir, 'return.docx');
    fs.writeFileSync(rn, await buildReturnNotice(ctx, round.id, b.deptId));
    await valid(rn);
    if (!pythonMissing()) assert.match(docxText(rn), /滞后原因未说明/);

    // 采纳: the measure takes the report, audited with the department in the operation and the person as actor
    const acc = reviewRound(ctx, round.id, { deptId: a.deptId, action: 'accept' });
    assert.deepEqual([acc.state, acc.applied], ['已采纳', 1]);
    const m = listMeasures(ctx).find((x) => x.id === a1)!;
    assert.deepEqual([m.status, m.progress], ['已完成', '已建成投用']);
    const audit = ctx.db.prepare("SELECT actor, unit, op FROM audit WHERE tbl = 'measure' AND row_id = ? AND field = 'progress' ORDER BY id DESC LIMIT 1").get(a1) as { actor: string; unit: string; op: string };
    assert.deepEqual(audit, { actor: '王推进', unit: '省发展改革委', op: `采纳调度报送（${a.name}，第${round.id}轮）` });
    assert.throws(() => reviewRound(ctx, round.id, { deptId: a.deptId, action: 'accept' }), /没有待审核的内容/);

    // rates: 2 of n reported, 1 on time, 1 accepted of 2 reported
    const st = roundStatus(ctx, round.id, '2026-10-14');
    assert.deepEqual([st.rates.reported, st.rates.onTime, st.rates.accepted], [2, 1, 1]);
    assert.equal(st.rates.acceptRate, 0.5);
    assert.equal(st.rates.reportRate, Math.round((2 / st.departments.length) * 1000) / 1000);

    // 催办: one combined notice for everyone not reported or returned; recorded once written
    const docs = await buildReminders(ctx, round.id, { combined: true });
    assert.equal(docs.length, 1);
    assert.equal(roundEvents(ctx, round.id).filter((e) => e.kind === '催办').length, 0, 'making a notice records nothing');
    // what keeps the file fails: the 催办 is not recorded either
    assert.throws(() => recordReminder(ctx, round.id, docs[0], () => { throw new Error('磁盘已满'); }), /磁盘已满/);
    assert.equal(roundEvents(ctx, round.id).filter((e) => e.kind === '催办').length, 0, 'rolled back with it');
    recordReminder(ctx, round.id, docs[0], () => undefined);
    const expected = st.departments.filter((d) => d.state === '未报送' || d.state === '已退回').map((d) => d.deptId);
    assert.deepEqual(docs[0].deptIds, expected);
    const rf = path.join(dir, 'remind.docx');
    fs.writeFileSync(rf, docs[0].buffer);
    await valid(rf);
    if (!pythonMissing()) assert.match(docxText(rf), /各有关单位/);
    const each = await buildReminders(ctx, round.id, { deptIds: [c.deptId] });
    assert.equal(each.length, 1);
    recordReminder(ctx, round.id, each[0], () => undefined);
    assert.equal(roundStatus(ctx, round.id).departments.find((d) => d.deptId === c.deptId)!.reminders, 2);
    assert.equal(roundEvents(ctx, round.id).filter((e) => e.kind === '催办').length, expected.length + 1);

    // close: snapshot frozen, nothing more accepted; compare with the round before; scores
    closeRound(ctx, round.id);
    const before = countRows(ctx);
    assert.throws(() => reviewRound(ctx, round.id, { deptId: b.deptId, action: 'accept' }), /已于 .* 结束/);
    assert.match(collectRoundFiles(ctx, round.id, [{ name: 'late.xlsx', bytes: await editLedger(file(2, c.name), {}) }])[0].refused ?? '', /已于 .* 结束/);
    assert.deepEqual(countRows(ctx), before);
    const snap = ctx.db.prepare('SELECT status, reported_by FROM round_snapshot WHERE round_id = ? AND measure_id = ?').get(round.id, a1) as { status: string; reported_by: string };
    assert.deepEqual(snap, { status: '已完成', reported_by: JSON.stringify([a.deptId]) });
    const cmp = compareRounds(ctx, q3.id, round.id);
    const moved = cmp.measures.find((x) => x.id === a1)!;
    assert.notEqual(moved.before, '已完成');
    assert.equal(moved.after, '已完成');
    assert.ok(cmp.byChapter.find((x) => x.key === '6')!.moved >= 1);
    assert.ok(cmp.byDept.find((x) => x.label === a.name)!.moved >= 1);

    const rules = getScoreRules(ctx);
    assert.deepEqual(rules, { base: 100, notReported: -10, late: -5, lagging: -2, completed: 1 });
    const scores = roundScores(ctx, round.id);
    const sa = scores.find((s) => s.deptId === a.deptId)!;
    const done = (ctx.db.prepare("SELECT count(*) n FROM round_snapshot s JOIN round_measure m ON m.round_id = s.round_id AND m.measure_id = s.measure_id WHERE s.round_id = ? AND m.dept_id = ? AND m.role = '牵头' AND s.status = '已完成'").get(round.id, a.deptId) as { n: number }).n;
    assert.equal(sa.score, 100 + done);
    assert.ok(sa.items.some((i) => i.reason === `牵头措施已完成 ${done} 项` && i.points === done));
    const sb = scores.find((s) => s.deptId === b.deptId)!;
    assert.ok(sb.items.some((i) => i.reason === '逾期 3 天报送' && i.points === -5), JSON.stringify(sb.items));
    const sc = scores.find((s) => s.deptId === c.deptId)!;
    assert.ok(sc.items.some((i) => /未报送/.test(i.reason) && i.points === -10));
    setScoreRules(ctx, { notReported: -20 });
    assert.ok(roundScores(ctx, round.id).find((s) => s.deptId === c.deptId)!.items.some((i) => i.points === -20));
    assert.throws(() => setScoreRules(ctx, { late: Number.NaN }), /考核规则/);
    assert.equal((ctx.db.prepare("SELECT count(*) n FROM audit WHERE op = '修改考核规则'").get() as { n: number }).n, 1);

    // the documents: valid Open XML, read back by openpyxl and python-docx
    const xf = path.join(dir, 'round-scores.xlsx');
    fs.writeFileSync(xf, (await exportRoundScores(ctx, round.id)).buffer);
    await valid(xf);
    const bf = path.join(dir, 'round-briefing.docx');
    fs.writeFileSync(bf, await buildRoundBriefing(ctx, round.id));
    await valid(bf);
    if (!pythonMissing()) {
      const r = spawnSync(PY, ['-c', 'import sys, json, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nws = wb["考核得分"]\nprint(json.dumps([[c.value for c in row] for row in ws.iter_rows(min_row=4)], ensure_ascii=False))', xf], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const rows = JSON.parse(r.stdout) as unknown[][];
      assert.equal(rows.length, st.departments.length);
      assert.deepEqual(rows.find((x) => x[1] === c.name)!.slice(2, 4), [80, '未报送']);
      // the year's assessment: each department's mean over its year's closed rounds
      const year = round.periodEnd.slice(0, 4);
      const closedIds = (ctx.db.prepare("SELECT id FROM round WHERE state = '已结束' AND period_end LIKE ? || '-%'").pluck().all(year) as number[]);
      const cScores = closedIds.map((id) => roundScores(ctx, id).find((x) => x.deptId === c.deptId)?.score).filter((x): x is number => x !== undefined);
      assert.ok(cScores.length >= 1);
      const y = spawnSync(PY, ['-c', 'import sys, json, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nws = wb["年度考核"]\nprint(json.dumps([ws["A1"].value] + [[c.value for c in row] for row in ws.iter_rows(min_row=4)], ensure_ascii=False))', xf], { encoding: 'utf8' });
      assert.equal(y.status, 0, y.stderr);
      const [yTitle, ...yRows] = JSON.parse(y.stdout) as [string, ...unknown[][]];
      assert.equal(yTitle, `${year}年度考核得分表`);
      const yc = yRows.find((x) => x[1] === c.name)!;
      assert.deepEqual(yc.slice(2, 4), [Math.round((cScores.reduce((a, b) => a + b, 0) / cScores.length) * 100) / 100, cScores.length]);
      const text = docxText(bf);
      assert.match(text, /报送率/);
      assert.match(text, new RegExp(`逾期报送的单位（1个）：${b.name}（逾期3天）`));
      assert.match(text, /与上一轮（2026年第二季度调度）相比/);
      assert.match(text, /已建成投用/);
    }
  } finally {
    close();
  }
});
