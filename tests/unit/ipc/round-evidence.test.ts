// 佐证材料 through the channels the page calls (electron/ipc/round-evidence.ts), on a real database
// through the real dispatcher: attach (each file checked: hostile ones refused in Chinese, nothing
// stored for them), list, open (a copy under its name with its checked type's extension, for the
// system viewer; without one, the bytes to download; a store file changed since refused), take off,
// and files named by measure id that came with returned ledgers (a dry run stores nothing). Also
// rounds.collect's dry run giving each conflict's fields, for a choice per field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { createDispatcher } from '../../../electron/ipc/router';
import type { Platform } from '../../../electron/ipc/platform';
import { writeUnique } from '../../../electron/ipc/transfers';
import { evidenceDir } from '../../../electron/import/evidence';
import { freshDb } from '../../support/db';
import { bombStream, zipOf, CONTENT_TYPES } from '../../hostile/builders';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 1)]);
const b64 = (b: Buffer) => b.toString('base64');

function setup(opts: { viewer?: boolean } = {}) {
  const h = freshDb('czt-round-evidence-');
  const opened: string[] = [];
  const out = path.join(h.dir, 'out');
  const platform: Platform = {
    saveFile: (name, buffer) => writeUnique(out, name, buffer),
    showInFolder: async () => false,
    chooseFolder: async (name) => path.join(out, name),
    ...(opts.viewer ? { openFile: async (f: string) => (opened.push(f), true) } : {}),
  };
  const dispatch = createDispatcher(h.db, { shell: opts.viewer ? 'electron' : 'web', dbPath: h.file, version: 't' }, platform);
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await dispatch(channel, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value as T;
  };
  const count = (sql: string) => (h.db.prepare(sql).get() as { n: number }).n;
  return { ...h, dispatch, call, opened, out, count };
}

type Ev = { id: number; deptId: number; dept: string; measureId: string | null; name: string; bytes: number; type: string; sha256: string };

async function round(h: ReturnType<typeof setup>, title = '佐证调度') {
  const { round: r } = await h.call<{ round: { id: number } }>('rounds.create', { title, periodEnd: '2026-09-30', dueDate: '2026-10-10', chapters: [4] });
  const st = await h.call<{ departments: { deptId: number; name: string }[] }>('rounds.status', { roundId: r.id });
  const dept = st.departments[0];
  const measure = (h.db.prepare('SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id LIMIT 1').get(r.id, dept.deptId) as { measure_id: string }).measure_id;
  return { id: r.id, dept, measure, depts: st.departments };
}

test('rounds.addEvidence: good files added and listed with sizes and types; hostile ones refused in Chinese with nothing stored', async () => {
  const h = setup();
  try {
    const r = await round(h);
    const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);
    const bomb = zipOf([
      { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
      { name: 'word/document.xml', data: Buffer.alloc(0), raw: bombStream(400, 0x00), declared: 1000 },
    ]);
    const hostile = [
      { name: '验收报告.pdf', base64: b64(mz) },
      { name: '../../报告.pdf', base64: b64(PDF) },
      { name: '材料.docx', base64: b64(bomb) },
      { name: '工具.exe', base64: b64(mz) },
    ];
    const bad = await h.call<{ added: Ev[]; refused: { file: string; reason: string }[] }>('rounds.addEvidence', { roundId: r.id, deptId: r.dept.deptId, files: hostile });
    assert.deepEqual(bad.added, []);
    assert.deepEqual(bad.refused.map((x) => x.file), hostile.map((x) => x.name));
    const [exe, pathy, zip, other] = bad.refused.map((x) => x.reason);
    assert.match(exe, /可执行程序/);
    assert.match(pathy, /路径/);
    assert.match(zip, /压缩|超过/);
    assert.match(other, /不接受/);
    for (const x of bad.refused) assert.match(x.reason, /[\u4e00-\u9fff]/);
    assert.equal(fs.existsSync(evidenceDir(h.file)), false, 'nothing stored');
    assert.equal(h.count('SELECT count(*) n FROM round_evidence'), 0);
    assert.equal(h.count("SELECT count(*) n FROM round_event WHERE kind = '佐证'"), 0);

    // a good file and a hostile one together: the good one added, the other refused
    const mixed = await h.call<{ added: Ev[]; refused: { file: string; reason: string }[] }>('rounds.addEvidence', {
      roundId: r.id,
      deptId: r.dept.deptId,
      measureId: r.measure,
      files: [
        { name: '验收报告.pdf', base64: b64(PDF) },
        { name: '照片.png', base64: b64(PDF) },
      ],
    });
    assert.deepEqual(mixed.added.map((e) => [e.name, e.measureId, e.dept, e.type, e.bytes]), [['验收报告.pdf', r.measure, r.dept.name, 'pdf', PDF.length]]);
    assert.match(mixed.refused[0].reason, /不是PNG/);
    const listed = await h.call<Ev[]>('rounds.evidence', { roundId: r.id, deptId: r.dept.deptId });
    assert.deepEqual(listed.map((e) => e.id), mixed.added.map((e) => e.id));
    assert.equal(JSON.stringify(listed).includes(h.dir), false, 'no paths cross to the page');
    assert.deepEqual(await h.call<Ev[]>('rounds.evidence', { roundId: r.id, deptId: r.depts[1].deptId }), []);

    // a measure outside the department's part: refused for the whole request's files
    const outside = await h.call<{ refused: { reason: string }[] }>('rounds.addEvidence', { roundId: r.id, deptId: r.dept.deptId, measureId: '9.9.9.9', files: [{ name: 'a.pdf', base64: b64(PDF) }] });
    assert.match(outside.refused[0].reason, /不属于/);
  } finally {
    h.close();
  }
});

test('rounds.openEvidence: a copy under its name for the viewer, or the bytes to download; a changed store file is refused', async () => {
  const h = setup({ viewer: true });
  try {
    const r = await round(h);
    const { added } = await h.call<{ added: Ev[] }>('rounds.addEvidence', { roundId: r.id, deptId: r.dept.deptId, files: [{ name: '现场照片.JPEG', base64: b64(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(30)])) }, { name: '报告.pdf', base64: b64(PDF) }] });
    const [jpg, pdf] = added;
    const o = await h.call<{ opened: boolean; fileName: string; base64: string | null }>('rounds.openEvidence', { roundId: r.id, id: jpg.id });
    assert.deepEqual([o.opened, o.fileName, o.base64], [true, '现场照片.jpg', null], 'the extension is the checked type\'s');
    assert.equal(h.opened.length, 1);
    assert.equal(path.basename(h.opened[0]), '现场照片.jpg');
    assert.ok(!h.opened[0].startsWith(evidenceDir(h.file)), 'a copy, never the stored file');
    assert.equal(fs.readFileSync(h.opened[0]).length, jpg.bytes);

    // the stored file replaced by an executable: refused, nothing opened
    const stored = path.join(evidenceDir(h.file), pdf.sha256.slice(0, 2), pdf.sha256);
    fs.chmodSync(stored, 0o644);
    fs.writeFileSync(stored, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]));
    const bad = await h.dispatch('rounds.openEvidence', { roundId: r.id, id: pdf.id });
    assert.match(bad.ok ? '' : bad.error.message, /已被改动/);
    assert.equal(h.opened.length, 1);
    for (const f of h.opened) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  } finally {
    h.close();
  }
  const w = setup();
  try {
    const r = await round(w);
    const { added } = await w.call<{ added: Ev[] }>('rounds.addEvidence', { roundId: r.id, deptId: r.dept.deptId, files: [{ name: '报告.pdf', base64: b64(PDF) }] });
    const o = await w.call<{ opened: boolean; fileName: string; base64: string | null }>('rounds.openEvidence', { roundId: r.id, id: added[0].id });
    assert.deepEqual([o.opened, o.fileName], [false, '报告.pdf']);
    assert.ok(Buffer.from(o.base64!, 'base64').equals(PDF), 'the browser version downloads the bytes');
  } finally {
    w.close();
  }
});

test('rounds.removeEvidence: off the list, recorded and audited; the stored file stays; a closed round refuses', async () => {
  const h = setup();
  try {
    const r = await round(h);
    const { added } = await h.call<{ added: Ev[] }>('rounds.addEvidence', { roundId: r.id, deptId: r.dept.deptId, files: [{ name: '报告.pdf', base64: b64(PDF) }, { name: '图.png', base64: b64(PNG) }] });
    assert.deepEqual(await h.call('rounds.removeEvidence', { roundId: r.id, id: added[0].id }), { removed: true });
    assert.deepEqual((await h.call<Ev[]>('rounds.evidence', { roundId: r.id })).map((e) => e.name), ['图.png']);
    const events = await h.call<{ kind: string; detail: Record<string, unknown> }[]>('rounds.events', { roundId: r.id });
    assert.deepEqual(events.filter((e) => e.kind === '佐证').map((e) => [e.detail.name, e.detail.removed ?? false]), [['报告.pdf', false], ['图.png', false], ['报告.pdf', true]]);
    assert.equal(h.count("SELECT count(*) n FROM audit WHERE tbl = 'round_evidence' AND new_value IS NULL"), 1);
    assert.ok(fs.existsSync(path.join(evidenceDir(h.file), added[0].sha256.slice(0, 2), added[0].sha256)), 'stored file kept for the backups');
    const again = await h.dispatch('rounds.removeEvidence', { roundId: r.id, id: added[0].id });
    assert.equal(again.ok ? '' : again.error.code, 'NOT_FOUND');
    await h.call('rounds.close', { roundId: r.id });
    const closed = await h.dispatch('rounds.removeEvidence', { roundId: r.id, id: added[1].id });
    assert.match(closed.ok ? '' : closed.error.message, /已于 .* 结束/);
    const add = await h.dispatch('rounds.addEvidence', { roundId: r.id, deptId: r.dept.deptId, files: [{ name: 'x.pdf', base64: b64(PDF) }] });
    assert.match(add.ok ? '' : add.error.message, /已于 .* 结束/);
  } finally {
    h.close();
  }
});

test('rounds.collectEvidence: files named by measure id go to the department that reports it; a dry run stores nothing', async () => {
  const h = setup();
  try {
    const r = await round(h);
    const files = [
      { name: `${r.measure}-验收报告.pdf`, base64: b64(PDF) },
      { name: '说明.pdf', base64: b64(PDF) },
      { name: `${r.measure}-程序.pdf`, base64: b64(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(50)])) },
    ];
    const dry = await h.call<{ file: string; department: string | null; refused: string | null }[]>('rounds.collectEvidence', { roundId: r.id, deptIds: [r.dept.deptId], files, dryRun: true });
    assert.deepEqual(dry.map((x) => [x.department, x.refused === null]), [[r.dept.name, true], [null, false], [r.dept.name, false]]);
    assert.match(dry[1].refused!, /措施编号/);
    assert.match(dry[2].refused!, /可执行程序/);
    assert.equal(h.count('SELECT count(*) n FROM round_evidence'), 0, 'a dry run stores nothing');
    assert.equal(fs.existsSync(evidenceDir(h.file)), false);
    const done = await h.call<{ refused: string | null }[]>('rounds.collectEvidence', { roundId: r.id, deptIds: [r.dept.deptId], files });
    assert.deepEqual(done.map((x) => x.refused === null), [true, false, false]);
    assert.deepEqual((await h.call<Ev[]>('rounds.evidence', { roundId: r.id })).map((e) => [e.name, e.measureId]), [[`${r.measure}-验收报告.pdf`, r.measure]]);
  } finally {
    h.close();
  }
});

test('rounds.collect dry run gives each conflict\'s fields; perField takes exactly what was chosen per measure', async () => {
  const h = setup();
  try {
    const r = await round(h, '冲突调度');
    const dist = await h.call<{ files: string[] }>('rounds.distribute', { roundId: r.id });
    const ledger = dist.files.find((f) => f.endsWith('.xlsx') && f.includes(`-${r.dept.name}-`))!;
    const wb = XLSX.read(fs.readFileSync(ledger), { type: 'buffer' });
    const ws = wb.Sheets['任务分工台账'];
    const rows = XLSX.utils.sheet_to_json<string[]>(ws, { header: 1, defval: '' });
    const hr = rows.findIndex((x) => x.includes('编号'));
    const idCol = rows[hr].indexOf('编号');
    const progCol = rows[hr].indexOf('进展情况');
    const ids: string[] = [];
    rows.forEach((x, i) => {
      if (i <= hr || !/^\d+\.\d+\.\d+\.\d+$/.test(String(x[idCol])) || ids.length >= 2) return;
      ids.push(String(x[idCol]));
      ws[XLSX.utils.encode_cell({ r: i, c: progCol })] = { t: 's', v: `报送进展${ids.length}` };
    });
    assert.equal(ids.length, 2);
    await h.call('measures.applyEdits', { edits: ids.map((id, i) => ({ measureId: id, patch: { progress: `本办进展${i + 1}` } })), op: '编辑' });
    const files = [{ name: '回传.xlsx', base64: b64(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer) }];
    type Res = { refused: string | null; conflicts: number; conflictRows: { rowId: string; fields: { field: string; ours: string; new: string }[] }[] };
    const [dry] = await h.call<Res[]>('rounds.collect', { roundId: r.id, files, dryRun: true });
    assert.equal(dry.refused, null);
    assert.equal(dry.conflicts, 2);
    assert.deepEqual(dry.conflictRows.map((c) => [c.rowId, c.fields.map((f) => [f.field, f.ours, f.new])]), [
      [ids[0], [['progress', '本办进展1', '报送进展1']]],
      [ids[1], [['progress', '本办进展2', '报送进展2']]],
    ]);
    await h.call('rounds.collect', { roundId: r.id, files, perField: { [ids[0]]: { progress: 'keep' }, [ids[1]]: { progress: 'take' } } });
    const reps = await h.call<{ measureId: string; progress: string; changed: string[] }[]>('rounds.reports', { roundId: r.id, deptId: r.dept.deptId });
    const of = (id: string) => reps.find((x) => x.measureId === id)!;
    assert.deepEqual([of(ids[0]).progress, of(ids[0]).changed], ['本办进展1', []]);
    assert.deepEqual([of(ids[1]).progress, of(ids[1]).changed], ['报送进展2', ['progress']]);
  } finally {
    h.close();
  }
});
