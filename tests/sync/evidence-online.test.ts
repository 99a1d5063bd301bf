// Issues 18 (item 7) and 20: the 佐证材料 online. A department attaching a PDF from its own copy sends
// the file as well as its index: after its sync and the office's, the office's copy opens the same
// bytes, and so does a copy cloned afterwards. The server takes content only for an attachment the
// caller's department has an entry for (or from the office), only when its hash is the key, and never
// replaces stored content (tried with each department's own credentials through psql). A file whose
// bytes are not what its type says is never stored by a copy that downloads it. Removing an
// attachment reaches the server and every copy. Each copy lives in a folder of its own, so no store
// is shared between copies.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRound } from '../../electron/services/rounds';
import { addEvidence, evidenceDir, evidenceForViewing, listEvidence, removeEvidence } from '../../electron/import/evidence';
import { storePath } from '../../electron/db/evidence-store';
import { syncNow } from '../../electron/sync/engine';
import { cloneCopy, PASSWORD, PEOPLE, serverRows, startWorld, type SyncWorld, type Who } from './support';

let world: SyncWorld;
before(async () => {
  world = await startWorld();
});
after(() => world?.close());

const DEPT = { fgw: 1, sthj: 4 };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
type Copy = Awaited<ReturnType<typeof cloneCopy>>;

/** a copy in a folder of its own (its own evidence store) */
async function copyOf(db: string, who: Who, tag: string = who): Promise<Copy> {
  const dir = path.join(world.dir, db, tag);
  fs.mkdirSync(dir, { recursive: true });
  return cloneCopy(world, db, who, path.join(dir, 'workbench.db'));
}

/** A server with a round (chapters 3–9) the office opened and synced, and the copies asked for. */
async function roundWorld(name: string, who: Who[]) {
  const db = world.newServer(name);
  const office = await copyOf(db, 'office');
  const { round } = createRound(office.ctx, { title: `${name} 调度`, periodEnd: '2026-12-31', dueDate: '2030-01-10' });
  assert.equal((await syncNow(office.ctx, world.url(db, 'office'))).conflicts, 0);
  const copies: Partial<Record<Who, Copy>> = { office };
  for (const w of who) copies[w] = await copyOf(db, w);
  return { db, roundId: round.id, copies: copies as Record<Who, Copy> };
}

const ledBy = (c: Copy, roundId: number, dept: number) =>
  c.db.prepare("SELECT measure_id FROM round_measure WHERE round_id = ? AND dept_id = ? AND role = '牵头' ORDER BY measure_id").pluck().all(roundId, dept) as string[];

const psql = (db: string, who: Who | 'postgres', sql: string) =>
  who === 'postgres' ? world.cluster.psql(db, 'postgres', null, sql) : world.cluster.psql(db, PEOPLE[who].login, PASSWORD, sql);

// the admin's view: what the server stores
const serverContent = async (db: string, sha: string) =>
  (await serverRows<{ content: Buffer | null }>(world.url(db), 'SELECT content FROM czt.attachment WHERE sha256 = $1', [sha]))[0]?.content ?? null;

test('a PDF attached online: the office and a later clone open the same bytes', async () => {
  const { db, roundId, copies } = await roundWorld('ev_bytes', ['fgw']);
  const { office, fgw } = copies;
  let clone: Copy | undefined;
  try {
    const [m] = ledBy(fgw, roundId, DEPT.fgw);
    const bytes = pdf('发改委批复文件');
    const item = addEvidence(fgw.ctx, fgw.file, roundId, DEPT.fgw, { name: `${m}-批复文件.pdf`, bytes }, m);
    assert.equal((await syncNow(fgw.ctx, world.url(db, 'fgw'))).conflicts, 0);
    const stored = await serverContent(db, item.sha256);
    assert.ok(stored && stored.equals(bytes), 'the server holds the content');

    assert.notEqual(path.dirname(office.file), path.dirname(fgw.file));
    assert.equal(fs.existsSync(storePath(evidenceDir(office.file), item.sha256)), false, 'nothing shared between the copies');
    assert.equal((await syncNow(office.ctx, world.url(db, 'office'))).conflicts, 0);
    const [listed] = listEvidence(office.ctx, office.file, roundId);
    assert.equal(listed.sha256, item.sha256);
    const opened = evidenceForViewing(office.ctx, office.file, roundId, listed.id);
    assert.equal(sha256(opened.bytes), item.sha256, 'the office opens the same bytes');
    assert.equal(opened.fileName, `${m}-批复文件.pdf`);

    clone = await copyOf(db, 'office', 'office-clone');
    const [c] = listEvidence(clone.ctx, clone.file, roundId);
    assert.equal(sha256(evidenceForViewing(clone.ctx, clone.file, roundId, c.id).bytes), item.sha256, 'a clone gets them too');

    // a file not (or no longer) here is only "not yet downloaded": the next sync brings it
    const officeFile = storePath(evidenceDir(office.file), item.sha256);
    fs.rmSync(officeFile);
    assert.throws(() => evidenceForViewing(office.ctx, office.file, roundId, listed.id), /不在存放目录中/);
    await syncNow(office.ctx, world.url(db, 'office'));
    assert.ok(fs.readFileSync(officeFile).equals(bytes));

    // a sync again uploads and downloads nothing more, changes nothing
    assert.deepEqual(await syncNow(fgw.ctx, world.url(db, 'fgw')), { pushed: 0, pulled: 0, conflicts: 0 });
  } finally {
    for (const c of [office, fgw, clone]) c?.db.close();
  }
});

test('the server takes content only from its owner, matching its hash, never replacing it; a copy never stores a hostile file', async () => {
  const { db, roundId, copies } = await roundWorld('ev_rights', ['fgw']);
  const { office, fgw } = copies;
  try {
    const [m] = ledBy(fgw, roundId, DEPT.fgw);
    const good = pdf('已上传的材料');
    addEvidence(fgw.ctx, fgw.file, roundId, DEPT.fgw, { name: `${m}-材料.pdf`, bytes: good }, m);
    await syncNow(fgw.ctx, world.url(db, 'fgw'));
    const goodSha = sha256(good);

    // an entry whose file is not uploaded yet: 省发展改革委 registers it through apply_ops only
    const later = pdf('尚未上传的材料');
    const laterSha = sha256(later);
    const entry = (bytes: Buffer, type: string, name: string) =>
      JSON.stringify({ name, addedAt: '2026-12-20T08:00:00.000Z', actor: '张发改（省发展改革委）', bytes: bytes.length, type });
    const register = (sha: string, value: string) => {
      const ops = JSON.stringify([{ opId: `ev-rights-${sha.slice(0, 12)}`, device: 'psql', tbl: 'round_evidence', rowId: `${roundId}|${DEPT.fgw}|${sha}|${m}`, field: 'row', base: null, value, op: '佐证' }]);
      const r = psql(db, 'fgw', `SELECT czt.apply_ops('${ops.replace(/'/g, "''")}'::jsonb)`);
      assert.equal(r.status, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { result: string }[])[0].result, 'applied');
    };
    register(laterSha, entry(later, 'pdf', '后补材料.pdf'));
    const put = (who: Who, sha: string, bytes: Buffer) => psql(db, who, `SELECT czt.put_attachment('${sha}', '\\x${bytes.toString('hex')}'::bytea)`);

    // another department: neither content for an attachment it has no entry for, nor over one stored
    let r = put('sthj', laterSha, later);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /省生态环境厅没有登记这份佐证材料/);
    assert.equal(await serverContent(db, laterSha), null);
    r = put('sthj', goodSha, good);
    assert.notEqual(r.status, 0);
    // nor by writing the table
    r = psql(db, 'sthj', `UPDATE czt.attachment SET content = '\\x00'::bytea WHERE sha256 = '${goodSha}'`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /permission denied/);
    // the owner: wrong bytes for the key refused; a second upload of stored content changes nothing
    r = put('fgw', laterSha, pdf('别的内容'));
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /SHA-256 不符/);
    assert.equal(await serverContent(db, laterSha), null);
    r = put('fgw', goodSha, good);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'f', 'already stored: nothing written');
    assert.ok((await serverContent(db, goodSha))!.equals(good));
    // the right content from its owner is taken
    r = put('fgw', laterSha, later);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 't');

    // an executable registered as a PDF: the server can only check hash and size; the office's copy
    // checks the bytes as a local add does and never stores it
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.from('%PDF-1.4 不是 PDF')]);
    const elfSha = sha256(elf);
    register(elfSha, entry(elf, 'pdf', '伪装的程序.pdf'));
    r = put('fgw', elfSha, elf);
    assert.equal(r.status, 0, r.stderr);

    await syncNow(office.ctx, world.url(db, 'office'));
    const dir = evidenceDir(office.file);
    assert.ok(fs.readFileSync(storePath(dir, goodSha)).equals(good));
    assert.ok(fs.readFileSync(storePath(dir, laterSha)).equals(later));
    assert.equal(fs.existsSync(storePath(dir, elfSha)), false, 'the hostile file is not stored');
    const hostile = listEvidence(office.ctx, office.file, roundId).find((e) => e.sha256 === elfSha)!;
    assert.throws(() => evidenceForViewing(office.ctx, office.file, roundId, hostile.id), /不在存放目录中/);
  } finally {
    for (const c of [office, fgw]) c.db.close();
  }
});

test('removing an attachment reaches the server and every copy; another department may not remove it', async () => {
  const { db, roundId, copies } = await roundWorld('ev_remove', ['fgw', 'sthj']);
  const { office, fgw, sthj } = copies;
  try {
    const [m1, m2] = ledBy(fgw, roundId, DEPT.fgw);
    const a = addEvidence(fgw.ctx, fgw.file, roundId, DEPT.fgw, { name: `${m1}-第一份.pdf`, bytes: pdf('第一份') }, m1);
    const b = addEvidence(fgw.ctx, fgw.file, roundId, DEPT.fgw, { name: `${m2}-第二份.pdf`, bytes: pdf('第二份') }, m2);
    await syncNow(fgw.ctx, world.url(db, 'fgw'));
    await syncNow(office.ctx, world.url(db, 'office'));
    await syncNow(sthj.ctx, world.url(db, 'sthj'));
    assert.equal(listEvidence(office.ctx, office.file, roundId).length, 2);
    assert.ok(fs.existsSync(storePath(evidenceDir(office.file), a.sha256)), 'the office downloads every department\'s files');
    assert.equal(listEvidence(sthj.ctx, sthj.file, roundId).length, 2, 'another department lists them');
    assert.equal(fs.existsSync(storePath(evidenceDir(sthj.file), a.sha256)), false, 'but does not get their content');
    assert.equal(psql(db, 'sthj', `SELECT count(*) FROM czt.attachment_contents(ARRAY['${a.sha256}'])`).stdout.trim(), '0');

    // 省生态环境厅 cannot take 省发展改革委's attachment off (through the apply function: refused)
    const key = `${roundId}|${DEPT.fgw}|${a.sha256}|${m1}`;
    const [before] = await serverRows<{ v: string }>(world.url(db), "SELECT czt.field_get('round_evidence', $1, 'row') AS v", [key]);
    const ops = JSON.stringify([{ opId: 'ev-remove-sthj-1', device: 'psql', tbl: 'round_evidence', rowId: key, field: 'row', base: before.v, value: null, op: '删除佐证材料' }]);
    const r = psql(db, 'sthj', `SELECT czt.apply_ops('${ops.replace(/'/g, "''")}'::jsonb)`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { result: string }[]).map((x) => x.result), ['refused']);

    // 省发展改革委 removes the first from its copy; the office removes the second from its own
    removeEvidence(fgw.ctx, roundId, a.id);
    const officeB = listEvidence(office.ctx, office.file, roundId).find((e) => e.sha256 === b.sha256)!;
    removeEvidence(office.ctx, roundId, officeB.id);
    assert.equal((await syncNow(fgw.ctx, world.url(db, 'fgw'))).conflicts, 0);
    assert.equal((await syncNow(office.ctx, world.url(db, 'office'))).conflicts, 0);
    await syncNow(fgw.ctx, world.url(db, 'fgw'));
    await syncNow(sthj.ctx, world.url(db, 'sthj'));
    const onServer = await serverRows<{ n: string }>(world.url(db), 'SELECT count(*) AS n FROM czt.round_evidence WHERE round_id = $1', [roundId]);
    assert.equal(Number(onServer[0].n), 0, 'the server lists neither');
    for (const c of [office, fgw, sthj]) assert.deepEqual(listEvidence(c.ctx, c.file, roundId), [], 'no copy lists them');
    // each removal is in the shared log, by who made it
    const log = await serverRows<{ unit: string }>(world.url(db), "SELECT unit FROM czt.change_log WHERE tbl = 'round_evidence' AND new_value IS NULL ORDER BY seq");
    assert.deepEqual(log.map((x) => x.unit).sort(), [PEOPLE.fgw.unit, PEOPLE.office.unit].sort());
  } finally {
    for (const c of [office, fgw, sthj]) c.db.close();
  }
});
