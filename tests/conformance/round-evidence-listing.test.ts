// 佐证材料 listed in the round briefing (issue 18 item 7): per department its files with the measure
// each supports (or 整体报送) and size, the first few named and the rest counted; the document is
// valid Office Open XML and python-docx reads the listing back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { initWorkbenchDb } from '../../electron/db/open';
import { contextFor } from '../../electron/core/context';
import { createRound, roundStatus } from '../../electron/services/rounds';
import { addEvidence } from '../../electron/import/evidence';
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
