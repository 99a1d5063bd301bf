// 佐证材料 (issue 18): content-addressed files beside the database, checked by their bytes and names,
// copied with every backup and back on restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { initWorkbenchDb, openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { createRound, roundEvents, roundStatus } from '../../../electron/services/rounds';
import { addEvidence, evidenceDir, listEvidence } from '../../../electron/import/evidence';
import { restoreDatabase } from '../../../electron/services/backup';
import { backupDatabase } from '../../../electron/db/backup';
import { bombStream, xlsxOf, zipOf, CONTENT_TYPES } from '../../hostile/builders';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

function fresh() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-evidence-'));
  const file = path.join(dir, 'w.db');
  const db = initWorkbenchDb(file);
  const ctx = contextFor(db);
  const { round } = createRound(ctx, { title: '佐证测试', periodEnd: '2026-09-30', dueDate: '2026-10-10', scope: { chapters: [4] } });
  const d = roundStatus(ctx, round.id).departments[0];
  const measure = (ctx.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? LIMIT 1').get(round.id, d.deptId) as { measure_id: string }).measure_id;
  return { dir, file, db, ctx, round: round.id, dept: d.deptId, measure };
}

test('a PDF is stored once under its hash beside the database, listed, recorded and audited', () => {
  const f = fresh();
  try {
    const a = addEvidence(f.ctx, f.file, f.round, f.dept, { name: `${f.measure}-验收报告.pdf`, bytes: PDF }, f.measure);
    const sha = createHash('sha256').update(PDF).digest('hex');
    assert.equal(a.sha256, sha);
    assert.equal(a.path, path.join(f.dir, 'evidence', sha.slice(0, 2), sha));
    assert.ok(fs.readFileSync(a.path).equals(PDF));
    // the same bytes under another name: a second entry, one stored file
    addEvidence(f.ctx, f.file, f.round, f.dept, { name: '验收报告-副本.pdf', bytes: PDF });
    assert.deepEqual(fs.readdirSync(path.join(evidenceDir(f.file), sha.slice(0, 2))), [sha]);
    assert.deepEqual(listEvidence(f.ctx, f.file, f.round).map((e) => [e.name, e.measureId]), [
      [`${f.measure}-验收报告.pdf`, f.measure],
      ['验收报告-副本.pdf', null],
    ]);
    assert.equal(roundEvents(f.ctx, f.round).filter((e) => e.kind === '佐证').length, 2);
    assert.equal((f.db.prepare("SELECT count(*) n FROM audit WHERE tbl = 'round_evidence'").get() as { n: number }).n, 2);
    assert.throws(() => addEvidence(f.ctx, f.file, f.round, f.dept, { name: 'x.pdf', bytes: PDF }, '9.9.9.9'), /不属于/);
  } finally {
    f.db.close();
  }
});

test('refused with a Chinese reason, nothing stored: an executable renamed .pdf, a mismatched type, a zip bomb, path parts, disguising marks, other types, too large', () => {
  const f = fresh();
  try {
    const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(100)]);
    const docxBomb = zipOf([
      { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
      { name: 'word/document.xml', data: Buffer.alloc(0), raw: bombStream(400, 0x00), declared: 1000 },
    ]);
    const cases: [string, Buffer, RegExp][] = [
      ['报告.pdf', mz, /可执行程序/],
      ['报告.pdf', elf, /可执行程序/],
      ['报告.pdf', Buffer.from('just text, not a pdf'), /不是PDF/],
      ['照片.png', PDF, /不是PNG/],
      ['材料.docx', docxBomb, /压缩炸弹|超过/],
      ['表格.xlsx', xlsxOf('').subarray(0, 100), /损坏|不完整|压缩/],
      ['../../etc/passwd.pdf', PDF, /路径/],
      ['sub/报告.pdf', PDF, /路径/],
      ['C:\\temp\\报告.pdf', PDF, /路径/],
      ['报告\u202efdp.exe', PDF, /控制/],
      ['报告.exe', mz, /不接受/],
      ['报告', PDF, /无扩展名/],
      ['.hidden.pdf', PDF, /隐藏/],
      ['大文件.pdf', Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]), /超过 20 MB/],
      ['空.pdf', Buffer.alloc(0), /空的/],
    ];
    for (const [name, bytes, re] of cases) assert.throws(() => addEvidence(f.ctx, f.file, f.round, f.dept, { name, bytes }), re, name);
    assert.equal(fs.existsSync(evidenceDir(f.file)), false);
    assert.equal((f.db.prepare('SELECT count(*) n FROM round_evidence').get() as { n: number }).n, 0);
    assert.equal((f.db.prepare('SELECT count(*) n FROM attachment').get() as { n: number }).n, 0);
  } finally {
    f.db.close();
  }
});

test('evidence goes with a backup and comes back with a restore', async () => {
  const f = fresh();
  const a = addEvidence(f.ctx, f.file, f.round, f.dept, { name: '验收.pdf', bytes: PDF });
  const out = path.join(f.dir, '备份', 'b.db');
  await backupDatabase(f.db, out);
  f.db.close();
  const copy = path.join(evidenceDir(out), a.sha256.slice(0, 2), a.sha256);
  assert.ok(fs.readFileSync(copy).equals(PDF));
  // the store beside the database is lost; restoring the backup into a new folder brings it back
  const other = path.join(f.dir, '新', 'w.db');
  fs.mkdirSync(path.dirname(other));
  await restoreDatabase(other, out);
  const db = openWorkbenchDb(other);
  try {
    const list = listEvidence(contextFor(db), other, f.round);
    assert.equal(list.length, 1);
    assert.ok(fs.readFileSync(list[0].path).equals(PDF));
  } finally {
    db.close();
  }
});
