// 佐证材料 listed in the round briefing and the round's department ledgers (issue 18 item 7). The
// briefing: per department its files with the measure each supports (or 整体报送) and size, the first
// few named and the rest counted. A (re-)distributed ledger: each measure's files in a read-only
// 佐证材料 column, which a returned ledger's collect ignores (edited or not, nothing changes for it
// and the file is not refused). Valid Office Open XML; python-docx and openpyxl read them back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { initWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { createRound, roundReports, roundStatus } from '../../electron/services/rounds';
import { addEvidence, listEvidence } from '../../electron/import/evidence';
import { previewImport } from '../../electron/import/index';
import { collectRoundFiles, distributeRound, packageNames } from '../../electron/import/round-files';
import { buildRoundBriefing } from '../../electron/export/docx/rounds';
import { BRIEFING_EVIDENCE_PER_DEPT } from '../../shared/rounds';
import { PY, pythonMissing } from './tools';
import { validate, validatorMissing } from './validator';

const skip = pythonMissing() ?? validatorMissing() ?? false;
const pdf = (i: number) => Buffer.from(`%PDF-1.4\n% ${i}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

test('the round briefing lists each department\'s 佐证材料, bounded per department', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-evidence-list-'));
  const file = path.join(dir, 'w.db');
  const db = initWorkbenchDb(file);
  try {
    const ctx = contextFor(db);
    const { round } = createRound(ctx, { title: '佐证列示', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [4] } });
    const [a, b] = roundStatus(ctx, round.id).departments;
    const measuresOf = (dept: number) =>
      (db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(round.id, dept) as { measure_id: string }[]).map((r) => r.measure_id);
    const ma = measuresOf(a.deptId)[0];
    const many = BRIEFING_EVIDENCE_PER_DEPT + 3;
    for (let i = 0; i < many; i++) addEvidence(ctx, file, round.id, a.deptId, { name: `${ma}-材料${i + 1}.pdf`, bytes: pdf(i) }, ma);
    const big = Buffer.concat([pdf(99), Buffer.alloc(3 * 1024 * 1024 - pdf(99).length, 0x20)]);
    addEvidence(ctx, file, round.id, b.deptId, { name: '整体情况说明.pdf', bytes: big });

    const out = path.join(dir, 'briefing.docx');
    fs.writeFileSync(out, await buildRoundBriefing(ctx, round.id));
    assert.deepEqual(await validate(out), []);
    const read = execFileSync(
      PY,
      [
        '-c',
        `import docx, json, sys
d = docx.Document(sys.argv[1])
print(json.dumps({"paras": [p.text for p in d.paragraphs], "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]}, ensure_ascii=False))`,
        out,
      ],
      { encoding: 'utf8' },
    );
    const { paras, tables } = JSON.parse(read) as { paras: string[]; tables: string[][][] };
    assert.ok(paras.some((p) => /佐证材料$/.test(p.trim())), 'a 佐证材料 heading');
    const t = tables.find((x) => x[0].some((h) => h.startsWith('佐证材料（')));
    assert.ok(t, 'a 佐证材料 table');
    assert.deepEqual(t[0], ['序号', '单位', '份数', '佐证材料（名称、所佐证措施、大小）']);
    assert.equal(t.length, 3, 'one row per department with evidence');
    const [, rowA, rowB] = t;
    assert.deepEqual(rowA.slice(0, 3), ['1', a.name, String(many)]);
    for (let i = 1; i <= BRIEFING_EVIDENCE_PER_DEPT; i++) assert.ok(rowA[3].includes(`${ma}-材料${i}.pdf（${ma}，`), `file ${i} named`);
    assert.ok(!rowA[3].includes(`材料${BRIEFING_EVIDENCE_PER_DEPT + 1}.pdf`), 'beyond the first few, not named');
    assert.match(rowA[3], new RegExp(`等${many}份（其余3份未列出）`));
    assert.deepEqual(rowB.slice(0, 3), ['2', b.name, '1']);
    assert.equal(rowB[3], '整体情况说明.pdf（整体报送，3.0 MB）');
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// reads the ledger's 编号 → 佐证材料, or edits cells by (id, header) and saves: openpyxl, as a person's Excel would
const LEDGER_PY = `import json, sys, openpyxl
cmd, src = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(src)
ws = wb.worksheets[0]
hr = next(r for r in range(1, 10) if any(c.value == "编号" for c in ws[r]))
col = {c.value: c.column for c in ws[hr] if c.value}
rows = {ws.cell(r, col["编号"]).value: r for r in range(hr + 1, ws.max_row + 1)}
if cmd == "read":
    print(json.dumps({"headers": list(col), "evidence": {k: ws.cell(r, col["佐证材料"]).value for k, r in rows.items() if k}}, ensure_ascii=False))
else:
    for mid, cells in json.loads(sys.argv[4]).items():
        for h, v in cells.items():
            ws.cell(rows[mid], col[h]).value = v
    wb.save(sys.argv[3])`;

test('a re-distributed department ledger lists each measure\'s 佐证材料, read-only on collect', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-evidence-ledger-'));
  const file = path.join(dir, 'w.db');
  const db = initWorkbenchDb(file);
  try {
    const ctx = contextFor(db);
    const { round } = createRound(ctx, { title: '佐证台账', periodEnd: '2026-09-30', dueDate: '2030-10-10', scope: { chapters: [4] } });
    const st = roundStatus(ctx, round.id);
    const a = st.departments.find((d) => d.measures >= 2)!;
    const [m1, m2] = (db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(round.id, a.deptId) as { measure_id: string }[]).map((r) => r.measure_id);
    addEvidence(ctx, file, round.id, a.deptId, { name: `${m1}-验收报告.pdf`, bytes: pdf(1) }, m1);
    addEvidence(ctx, file, round.id, a.deptId, { name: `${m1}-现场照片.pdf`, bytes: pdf(2) }, m1);
    addEvidence(ctx, file, round.id, a.deptId, { name: '整体说明.pdf', bytes: pdf(3) });

    const out = path.join(dir, 'out');
    await distributeRound(ctx, round.id, out, { deptIds: [a.deptId] });
    const ledger = path.join(out, packageNames(st.departments.indexOf(a) + 1, a.name, round.title).ledger);
    assert.deepEqual(await validate(ledger), []);
    const read = JSON.parse(execFileSync(PY, ['-c', LEDGER_PY, 'read', ledger], { encoding: 'utf8' })) as { headers: string[]; evidence: Record<string, string | null> };
    assert.equal(read.headers.at(-1), '佐证材料');
    assert.equal(read.evidence[m1], `${m1}-验收报告.pdf、${m1}-现场照片.pdf`);
    assert.ok(!read.evidence[m2], 'no files, an empty cell');
    assert.equal(Object.keys(read.evidence).length, a.measures);

    // returned with the 佐证材料 cells edited (and one progress filled): the progress is taken, the column is not
    const edited = path.join(dir, 'returned.xlsx');
    const edits = { [m1]: { 佐证材料: '改过的.pdf', 进展情况: '已完成验收' }, [m2]: { 佐证材料: '新增.pdf' } };
    execFileSync(PY, ['-c', LEDGER_PY, 'edit', ledger, edited, JSON.stringify(edits)], { encoding: 'utf8' });
    // the office's own import of the same file: 佐证材料 is a known read-only column, not an unknown one
    const p = previewImport(ctx, { name: 'returned.xlsx', bytes: fs.readFileSync(edited) });
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.ignoredColumns, []);
    const evidenceBefore = listEvidence(ctx, file, round.id).map((e) => [e.name, e.measureId]);
    const [r] = collectRoundFiles(ctx, round.id, [{ name: 'returned.xlsx', bytes: fs.readFileSync(edited) }], { receivedAt: '2026-10-08' });
    assert.equal(r.refused, null, r.refused ?? '');
    assert.deepEqual(r.errors, []);
    assert.ok(!r.warnings.some((w) => w.includes('佐证材料')), r.warnings.join('\n'));
    assert.equal(r.changed, 1);
    const reps = roundReports(ctx, round.id, { deptId: a.deptId });
    assert.deepEqual(reps.find((x) => x.measureId === m1)!.changed, ['progress']);
    assert.deepEqual(reps.find((x) => x.measureId === m2)!.changed, []);
    assert.deepEqual(listEvidence(ctx, file, round.id).map((e) => [e.name, e.measureId]), evidenceBefore);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
