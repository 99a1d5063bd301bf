// 调度轮次 from the command line, end to end (issue 18): round-new → round-distribute → the
// departments edit their ledgers in another program (openpyxl) → round-collect with an on-time
// file, a late one, one with a conflict and one for another round → round-review → round-status →
// round-close → export round-briefing.docx / round-scores.xlsx / reminder.docx → dump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PY, pythonMissing } from '../conformance/tools';
import { validate, validatorMissing, describe as describeErrors } from '../conformance/validator';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => spawnSync(TSX, [path.join(ROOT, 'electron', 'cli.ts'), ...args], { encoding: 'utf8', cwd: os.tmpdir() });
const ok = (r: ReturnType<typeof cli>) => {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown;
};

/** Edit a ledger with openpyxl: {id: {column header: value}}; the hidden sheets stay as they are. */
function pyEdit(src: string, dest: string, edits: Record<string, Record<string, string>>): void {
  const script = `
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['任务分工台账']
edits = json.loads(sys.argv[3])
head = [c.value for c in ws[3]]
for row in ws.iter_rows(min_row=4):
    e = edits.get(str(row[0].value))
    if e:
        for k, v in e.items():
            row[head.index(k)].value = v
wb.save(sys.argv[2])
`;
  const r = spawnSync(PY, ['-c', script, src, dest, JSON.stringify(edits)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** the measures of a department's part, read straight from the database file */
function partOf(db: string, round: number, dept: string): string[] {
  const r = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(process.argv[1],{readonly:true});console.log(JSON.stringify(d.prepare("SELECT measure_id FROM round_measure rm JOIN department x ON x.id = rm.dept_id WHERE round_id = ? AND x.name = ? ORDER BY measure_id").all(Number(process.argv[2]), process.argv[3]).map(r=>r.measure_id)))`, db, String(round), dept], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

test('CLI: a round from opening to the briefing, with a late file, a conflict and a file for another round', { skip: pythonMissing() ?? false }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-round-cli-'));
  const db = path.join(dir, 'w.db');
  ok(cli('init', '--db', db));
  const bad = cli('round-new', '--db', db, '--title', 'x', '--period', '2026-09-31', '--due', '2026-10-10');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^错误：报送期末日期“2026-09-31”无效/);
  const { id } = ok(cli('round-new', '--db', db, '--title', '2026年第三季度调度', '--period', '2026-09-30', '--due', '2026-10-10', '--chapters', '4,5', '--user', '王推进', '--unit', '省发展改革委')) as { id: number };
  assert.equal(id, 1);
  const { id: other } = ok(cli('round-new', '--db', db, '--title', '2026年第二季度调度', '--period', '2026-06-30', '--due', '2026-07-10', '--chapters', '4')) as { id: number };

  const out = path.join(dir, '下发');
  const dist = ok(cli('round-distribute', '--db', db, '--round', String(id), '--out', out)) as { departments: number; files: string[] };
  assert.equal(dist.files.length, dist.departments * 2);
  const out2 = path.join(dir, '下发2');
  const dist2 = ok(cli('round-distribute', '--db', db, '--round', String(other), '--out', out2)) as { files: string[] };

  const status0 = ok(cli('round-status', '--db', db, '--round', String(id))) as { departments: { name: string; state: string; measures: number }[] };
  const [a, b, c] = status0.departments;
  const ledgerOf = (i: number, name: string) => path.join(out, `${String(i + 1).padStart(2, '0')}-${name}-2026年第三季度调度.xlsx`);
  assert.ok(fs.existsSync(ledgerOf(2, c.name)));
  const [a1] = partOf(db, id, a.name);
  const [b1] = partOf(db, id, b.name);
  const [c1] = partOf(db, id, c.name);

  // the office edits c1 after distribution: c's report of the same field is a conflict
  ok(cli('set', '--db', db, '--measure', c1, '--progress', '推进办核实的进展', '--user', '王推进', '--unit', '省发展改革委'));
  const back = path.join(dir, '收回');
  fs.mkdirSync(back);
  pyEdit(ledgerOf(0, a.name), path.join(back, 'a.xlsx'), { [a1]: { 状态: '已完成', 进展情况: '已建成通车' } });
  pyEdit(ledgerOf(1, b.name), path.join(dir, 'b-late.xlsx'), { [b1]: { 状态: '滞后', 进展情况: '资金未落实' } });
  pyEdit(ledgerOf(2, c.name), path.join(back, 'c.xlsx'), { [c1]: { 进展情况: '部门填写的进展' } });
  fs.copyFileSync(dist2.files.find((f) => f.endsWith('.xlsx'))!, path.join(back, 'wrong-round.xlsx'));
  // 佐证材料 along with the ledgers, named by measure id; one an executable renamed .pdf
  fs.writeFileSync(path.join(back, `${a1}-验收报告.pdf`), '%PDF-1.4\n%%EOF\n');
  fs.writeFileSync(path.join(back, `${a1}-照片.pdf`), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]));

  // a dry run takes nothing
  const dry = cli('round-collect', '--db', db, '--round', String(id), '--in', back, '--dry-run');
  assert.equal(dry.status, 1); // the wrong-round file is refused
  assert.equal((ok(cli('round-status', '--db', db, '--round', String(id))) as { rates: { reported: number } }).rates.reported, 0);

  const col = cli('round-collect', '--db', db, '--round', String(id), '--in', path.join(back, 'a.xlsx'), path.join(back, 'c.xlsx'), path.join(back, 'wrong-round.xlsx'), path.join(back, `${a1}-验收报告.pdf`), path.join(back, `${a1}-照片.pdf`), '--received', '2026-10-09', '--user', '李收文', '--unit', '省发展改革委');
  assert.equal(col.status, 1, col.stderr);
  const all = JSON.parse(col.stdout) as { file: string; department: string | null; changed: number; refused: string | null; errors: string[]; conflicts: number; evidence?: boolean }[];
  const results = all.filter((r) => !r.evidence);
  assert.deepEqual(
    all.filter((r) => r.evidence).map((r) => [r.file, r.department, r.refused === null]),
    [
      [`${a1}-验收报告.pdf`, a.name, true],
      [`${a1}-照片.pdf`, a.name, false],
    ],
  );
  assert.match(all.find((r) => r.file === `${a1}-照片.pdf`)!.refused!, /可执行程序/);
  const ev = ok(cli('round-evidence', '--db', db, '--round', String(id))) as { name: string; path: string }[];
  assert.deepEqual(ev.map((e) => e.name), [`${a1}-验收报告.pdf`]);
  assert.ok(fs.existsSync(ev[0].path));
  assert.deepEqual(
    results.map((r) => [r.file, r.department, r.changed, r.refused === null]),
    [
      ['a.xlsx', a.name, 1, true],
      ['c.xlsx', c.name, 0, true],
      ['wrong-round.xlsx', results[2].department, 0, false],
    ],
  );
  assert.equal(results[1].conflicts, 1); // kept this database's value (--on-conflict keep)
  assert.match(results[2].refused!, /“2026年第二季度调度”的报送台账，不属于本轮/);
  assert.match(col.stderr, /拒收：wrong-round\.xlsx/);
  const late = ok(cli('round-collect', '--db', db, '--round', String(id), '--in', path.join(dir, 'b-late.xlsx'), '--received', '2026-10-13')) as { lateDays: number }[];
  assert.equal(late[0].lateDays, 3);

  // review: accept a, return b with a reason (and its notice)
  const acc = ok(cli('round-review', '--db', db, '--round', String(id), '--dept', a.name, '--accept', '--user', '王推进', '--unit', '省发展改革委')) as { state: string; applied: number };
  assert.deepEqual([acc.state, acc.applied], ['已采纳', 1]);
  const noReason = cli('round-review', '--db', db, '--round', String(id), '--dept', b.name, '--return');
  assert.equal(noReason.status, 1);
  assert.match(noReason.stderr, /退回须说明理由/);
  const rn = path.join(dir, '退回通知.docx');
  ok(cli('round-review', '--db', db, '--round', String(id), '--dept', b.name, '--return', '滞后原因和下一步措施未说明', '--out', rn));
  ok(cli('round-review', '--db', db, '--round', String(id), '--dept', c.name, '--accept'));

  const st = ok(cli('round-status', '--db', db, '--round', String(id))) as {
    departments: { name: string; state: string; measures: number; reported: number; receivedAt: string | null; lateDays: number; reminders: number }[];
    rates: { departments: number; reported: number; onTime: number; accepted: number; reportRate: number; onTimeRate: number; acceptRate: number };
  };
  assert.deepEqual(Object.keys(st.departments[0]), ['name', 'state', 'measures', 'reported', 'receivedAt', 'lateDays', 'reminders']);
  assert.deepEqual(st.departments.slice(0, 3).map((d) => [d.name, d.state, d.lateDays]), [
    [a.name, '已采纳', 0],
    [b.name, '已退回', 3],
    [c.name, '已采纳', 0],
  ]);
  assert.deepEqual([st.rates.reported, st.rates.onTime, st.rates.accepted], [3, 2, 2]);

  // chase the rest in one combined notice: recorded for each
  const rem = path.join(dir, '催办.docx');
  const r = ok(cli('export', '--db', db, '--kind', 'reminder.docx', '--round', String(id), '--out', rem)) as { rows: number };
  assert.equal(r.rows, st.departments.length - 2);
  const after = ok(cli('round-status', '--db', db, '--round', String(id))) as typeof st;
  assert.ok(after.departments.filter((d) => d.state === '未报送' || d.state === '已退回').every((d) => d.reminders === 1));

  // the measure took the accepted report; c1 kept the office's value (the conflict was kept)
  const dump = ok(cli('dump', '--db', db)) as { chapters: { sections: { tasks: { measures: { id: string; status: string; progress: string }[] }[] }[] }[]; rounds: { id: number; state: string; departments: { name: string; state: string }[] }[] };
  const ms = dump.chapters.flatMap((ch) => ch.sections.flatMap((s) => s.tasks.flatMap((t) => t.measures)));
  assert.deepEqual(
    [ms.find((m) => m.id === a1)!.status, ms.find((m) => m.id === a1)!.progress, ms.find((m) => m.id === c1)!.progress, ms.find((m) => m.id === b1)!.progress === '资金未落实'],
    ['已完成', '已建成通车', '推进办核实的进展', false],
  );
  assert.deepEqual(dump.rounds.map((x) => [x.id, x.state]), [
    [1, '进行中'],
    [2, '进行中'],
  ]);
  assert.equal(dump.rounds[0].departments[1].state, '已退回');

  const closed = ok(cli('round-close', '--db', db, '--round', String(id))) as { state: string; snapshot: number };
  assert.equal(closed.state, '已结束');
  const again = cli('round-collect', '--db', db, '--round', String(id), '--in', path.join(dir, 'b-late.xlsx'));
  assert.equal(again.status, 1);
  assert.match(JSON.parse(again.stdout)[0].refused, /已于 .* 结束/);

  const briefing = path.join(dir, 'round-briefing.docx');
  ok(cli('export', '--db', db, '--kind', 'round-briefing.docx', '--round', String(id), '--out', briefing));
  const scores = path.join(dir, 'round-scores.xlsx');
  ok(cli('export', '--db', db, '--kind', 'round-scores.xlsx', '--round', String(id), '--out', scores));
  const text = spawnSync(PY, ['-c', 'import sys, docx\nd = docx.Document(sys.argv[1])\nprint("\\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells]))', briefing], { encoding: 'utf8' }).stdout;
  assert.match(text, new RegExp(`已报送3个，报送率${((3 / st.rates.departments) * 100).toFixed(1)}%`));
  assert.match(text, new RegExp(`${b.name}（逾期3天）`));
  assert.match(text, /已建成通车/);
  assert.match(text, /佐证材料1份/);
  if (!validatorMissing()) for (const f of [briefing, scores, rem, rn]) assert.deepEqual(describeErrors(await validate(f)), '', f);
  const unknownKind = cli('export', '--db', db, '--kind', 'round-x.docx', '--round', '1', '--out', path.join(dir, 'x'));
  assert.equal(unknownKind.status, 1);
  assert.match(unknownKind.stderr, /--kind 应为/);
});

/** The project files electron/cli.ts imports at start (static imports, followed through; `await import()` is not followed). */
function loadedAtStart(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm)) {
      const spec = m[1] ?? m[2];
      const base = path.resolve(path.dirname(file), spec);
      const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (found) visit(found);
    }
  };
  visit(entry);
  return seen;
}

test('CLI: the rounds\' commands (collect, distribute, their workers) are not loaded at start (only when one runs)', () => {
  const rel = [...loadedAtStart(path.join(ROOT, 'electron', 'cli.ts'))].map((f) => path.relative(ROOT, f));
  assert.ok(rel.includes(path.join('electron', 'round-commands.ts')), 'the names and usage are');
  for (const f of ['electron/cli-rounds.ts', 'electron/import/round-files.ts', 'electron/import/round-offthread.ts', 'electron/ipc/round-transfers.ts']) assert.ok(!rel.includes(f), `${f} loaded at start`);
  // and a round command still runs (loaded then)
  const r = cli('round-status', '--db', path.join(os.tmpdir(), 'czt-no-such-db.db'), '--round', '1');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /数据库文件不存在/);
});
