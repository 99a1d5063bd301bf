// Joint leads (issue 21, item 1) in the documents: the ledger writes 省发展改革委、省交通运输厅 and an
// independent reader (openpyxl) sees it so; the ledger, edited by openpyxl as a department's script
// would, comes back through the import's three-way merge with the list as one field (and the same
// near-miss name checks as for one lead); the Word documents show every lead and stay valid Open XML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freshDb } from './corpus';
import { validate, validatorMissing, describe as describeErrors } from './validator';
import { PY, pythonMissing } from './tools';
import { applyEdits, getMeasure } from '../../electron/services/measures';
import { findDepartment } from '../../electron/services/departments';
import { listAudit } from '../../electron/services/audit';
import { produceExport } from '../../electron/export/produce';
import { HEADER_ROW, LEDGER_SHEET } from '../../electron/export/xlsx/ledger';
import { applyImport, previewImport } from '../../electron/import';
import { LEDGER_COLUMNS } from '../../shared/ledger';
import { leadListOf } from '../../shared/import';
import type { ServiceContext } from '../../electron/core/context';

const READERS = path.join(__dirname, 'readers.py');
const colNo = (key: string) => LEDGER_COLUMNS.findIndex((c) => c.key === key) + 1;
const dept = (ctx: ServiceContext, name: string) => findDepartment(ctx, name)!.id;
const skip = pythonMissing() ?? validatorMissing() ?? false;

/** the 牵头单位 cell of each row, as openpyxl reads the sheet */
function leadCells(file: string): Record<string, string | null> {
  const script = `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
out = {}
for r in range(${HEADER_ROW} + 1, ws.max_row + 1):
    out[str(ws.cell(r, 1).value)] = ws.cell(r, int(sys.argv[3])).value
json.dump(out, sys.stdout, ensure_ascii=False)`;
  return JSON.parse(execFileSync(PY, ['-c', script, file, LEDGER_SHEET, String(colNo('lead'))], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Record<string, string | null>;
}

function setUp() {
  const { db, ctx, dir } = freshDb('czt-joint-doc-');
  const fgw = dept(ctx, '省发展改革委');
  const jt = dept(ctx, '省交通运输厅');
  const zr = dept(ctx, '省自然资源厅');
  const cs = dept(ctx, '长沙市人民政府');
  const zz = dept(ctx, '株洲市人民政府');
  const xt = dept(ctx, '湘潭市人民政府');
  applyEdits(
    ctx,
    [
      { measureId: '4.1.1.1', patch: { leadIds: [fgw, jt], coIds: [zr] } },
      { measureId: '4.1.1.2', patch: { leadIds: [jt, fgw] } },
      { measureId: '9.2.1.2', patch: { leadIds: [cs, zz, xt] } },
    ],
    '编辑',
  );
  return { db, ctx, dir, fgw, jt, zr, cs, zz, xt };
}

test('ledger and Word documents write every lead in order, valid Open XML, read back by openpyxl and python-docx', { skip }, async () => {
  const { db, ctx, dir, jt } = setUp();
  const files: Record<string, string> = {};
  for (const [name, req] of [
    ['ledger.xlsx', { kind: 'ledger.xlsx' }],
    ['allocation.docx', { kind: 'allocation.docx' }],
    ['briefing.docx', { kind: 'briefing.docx' }],
    ['letter-jt.docx', { kind: 'dept-letter.docx', deptId: jt }],
    ['allocation-jt-lead.docx', { kind: 'allocation.docx', deptId: jt, role: 'lead' }],
  ] as const) {
    const out = await produceExport(ctx, req);
    files[name] = path.join(dir, name);
    fs.writeFileSync(files[name], out.buffer);
  }
  for (const f of Object.values(files)) {
    const errors = await validate(f);
    assert.deepEqual(errors, [], `${path.basename(f)}: ${describeErrors(errors)}`);
  }

  const cells = leadCells(files['ledger.xlsx']);
  assert.equal(cells['4.1.1.1'], '省发展改革委、省交通运输厅');
  assert.equal(cells['4.1.1.2'], '省交通运输厅、省发展改革委');
  assert.equal(cells['9.2.1.2'], '长沙市人民政府、株洲市人民政府、湘潭市人民政府');

  const read = JSON.parse(execFileSync(PY, [READERS, 'read', files['allocation.docx'], files['letter-jt.docx'], files['allocation-jt-lead.docx'], files['briefing.docx']], { encoding: 'utf8', maxBuffer: 256 << 20 })) as Record<string, { text: string }>;
  const alloc = read[files['allocation.docx']].text;
  assert.ok(alloc.includes('省发展改革委、省交通运输厅'), 'allocation scheme: both leads, 主责 first');
  assert.ok(alloc.includes('长沙市人民政府、株洲市人民政府、湘潭市人民政府'));
  // the department's letter lists a measure it leads second, and says who is 主责
  const letter = read[files['letter-jt.docx']].text;
  assert.ok(letter.includes('共同牵头（省发展改革委主责）'), 'the joint lead is marked with its 主责');
  assert.ok(letter.includes('主责，与省发展改革委共同牵头'), 'where it is 主责 that is said too');
  assert.match(letter, /其中与其他单位共同牵头\d+项/);
  assert.ok(letter.includes('共同牵头及配合单位'));
  // the allocation for the department as lead takes measures where it is any lead
  const jtLead = read[files['allocation-jt-lead.docx']].text;
  assert.ok(jtLead.includes('省发展改革委、省交通运输厅') && jtLead.includes('省交通运输厅、省发展改革委'));
  // the briefing counts a joint measure for each lead and says so
  assert.match(read[files['briefing.docx']].text, /\d+项措施由多个单位共同牵头，计入每个牵头单位/);
  db.close();
});

test('import: a lead list changed on both sides is one conflicting field; a list changed in the ledger only is one change; near-miss names refused', { skip }, async () => {
  const { db, ctx, dir, fgw, jt, zr, cs, zz, xt } = setUp();
  const out = await produceExport(ctx, { kind: 'ledger.xlsx' });
  const src = path.join(dir, 'sent.xlsx');
  fs.writeFileSync(src, out.buffer);
  // here, after the export: 4.1.1.1 gets a third lead
  applyEdits(ctx, [{ measureId: '4.1.1.1', patch: { leadIds: [fgw, jt, zr] } }], '编辑');
  // the department (a script with openpyxl): 4.1.1.1 swapped, 4.1.1.2 a list with the separators people type
  // and a full name (an alias), 9.2.1.2 left as sent
  const edited = path.join(dir, 'back.xlsx');
  const lead = String(colNo('lead'));
  const cells = {
    '4.1.1.1': { [lead]: '省交通运输厅、省发展改革委' },
    '4.1.1.2': { [lead]: '省交通运输厅，湖南省发展和改革委员会；省自然资源厅' },
  };
  execFileSync(PY, [READERS, 'edit', src, edited, JSON.stringify({ sheet: LEDGER_SHEET, idColumn: 1, headerRow: HEADER_ROW, cells })]);
  const p = previewImport(ctx, { name: 'back.xlsx', bytes: fs.readFileSync(edited) });
  assert.equal(p.mode, 'three-way');
  assert.deepEqual(p.errors, []);
  assert.deepEqual(
    p.conflicts.map((c) => [c.rowId, c.fields.map((f) => [f.field, f.old, f.new, f.ours])]),
    [['4.1.1.1', [['lead', '省发展改革委、省交通运输厅', '省交通运输厅、省发展改革委', '省发展改革委、省交通运输厅、省自然资源厅']]]],
  );
  assert.deepEqual(
    p.changes.map((c) => [c.rowId, c.changes.map((f) => [f.field, f.old, f.new, f.value])]),
    [['4.1.1.2', [['lead', '省交通运输厅、省发展改革委', '省交通运输厅、省发展改革委、省自然资源厅', [jt, fgw, zr]]]]],
  );
  // take the ledger's side of the conflict: the whole list, one audit row each
  const auditBefore = listAudit(ctx, undefined, 100000).length;
  const sum = applyImport(ctx, JSON.parse(JSON.stringify(p)), { onConflict: 'take' });
  assert.equal(sum.changed, 2);
  assert.deepEqual(getMeasure(ctx, '4.1.1.1').leadIds, [jt, fgw]);
  assert.deepEqual(getMeasure(ctx, '4.1.1.2').leadIds, [jt, fgw, zr]);
  assert.deepEqual(getMeasure(ctx, '9.2.1.2').leadIds, [cs, zz, xt]);
  const rows = listAudit(ctx, undefined, 100000).slice(0, listAudit(ctx, undefined, 100000).length - auditBefore);
  assert.deepEqual(rows.map((r) => [r.rowId, r.field]).sort(), [['4.1.1.1', 'leadIds'], ['4.1.1.2', 'leadIds']]);

  // a misspelt name in a list is refused with the same suggestion as a single lead
  const typo = path.join(dir, 'typo.xlsx');
  execFileSync(PY, [READERS, 'edit', src, typo, JSON.stringify({ sheet: LEDGER_SHEET, idColumn: 1, headerRow: HEADER_ROW, cells: { '9.2.1.2': { [lead]: '长沙市人民政府、株洲市人民正府' } } })]);
  const bad = previewImport(ctx, { name: 'typo.xlsx', bytes: fs.readFileSync(typo) });
  assert.equal(bad.errors.length, 1);
  assert.equal(bad.errors[0].column, '牵头单位');
  assert.match(bad.errors[0].message, /株洲市人民正府.*株洲市人民政府/);
  db.close();
});

test('a ledger base written before joint leads (one id or null) reads as a list', () => {
  assert.deepEqual(leadListOf(7), [7]);
  assert.deepEqual(leadListOf(null), []);
  assert.deepEqual(leadListOf([3, 9]), [3, 9]);
});
