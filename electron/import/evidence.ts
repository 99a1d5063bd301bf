// 佐证材料 (issue 18): files attached to a department's report in a round (or to one measure of it),
// stored content-addressed beside the database (evidence/<2 hex>/<sha256>), indexed in the
// attachment and round_evidence tables. Only PDF, Word, Excel and images, checked by their bytes
// (an executable renamed .pdf is refused), within a size limit, a zip bomb refused by the same
// capped inflate the ledger import uses, and a name with path parts or control characters refused.
// The store is copied with every backup (db/backup.ts) and back on restore: a file once stored is
// never changed or removed, so copying the missing ones is enough.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { checkZip } from './read';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import { evidenceEntry, queueEvidence, queueEvidenceRemoved } from '../core/sync-rounds';
import { actorName, openRoundRow, recordEvent, roundDeptRow, roundRow, rq } from '../services/rounds';
import { EVIDENCE_MAX_MB, EVIDENCE_MEASURE_PREFIX, type EvidenceFileResult, type RoundEvidence } from '../../shared/rounds';
import { evidenceDir, storePath, writeStoreFile } from '../db/evidence-store';

export { evidenceDir, syncEvidence } from '../db/evidence-store';
export type { EvidenceFileResult } from '../../shared/rounds';

export const EVIDENCE_MAX_BYTES = EVIDENCE_MAX_MB * 1024 * 1024;
const TYPES = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  doc: 'doc',
  xls: 'xls',
  png: 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  gif: 'gif',
} as const;
type EvidenceType = (typeof TYPES)[keyof typeof TYPES];


const refuse = (why: string): never => {
  throw new ServiceError('VALIDATION', why);
};

/** A file name as given, checked: one name, no path parts, nothing a file system or a shell would read otherwise. */
export function checkEvidenceName(name: string): { name: string; type: EvidenceType } {
  if (typeof name !== 'string' || !name.trim()) refuse('文件名不能为空');
  if (/[\\/]/.test(name) || name.split(/[\\/]/).some((p) => p === '..')) refuse(`文件名“${name.slice(0, 80)}”含有路径，已拒绝：只接受单个文件名`);
  // control characters and the bidirectional marks that can disguise an extension (报告‮fdp.exe)
  if (/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) refuse('文件名含有控制字符或方向控制符，已拒绝');
  if (/[:*?"<>|]/.test(name)) refuse(`文件名“${name.slice(0, 80)}”含有不允许的字符（: * ? " < > |）`);
  if (name.startsWith('.')) refuse('不接受以“.”开头的隐藏文件');
  if (name.length > 200) refuse('文件名过长（超过 200 字）');
  const ext = (name.match(/\.([A-Za-z0-9]+)$/)?.[1] ?? '').toLowerCase();
  const type = (TYPES as Record<string, EvidenceType>)[ext];
  if (!type) refuse(`不接受“.${ext || '（无扩展名）'}”文件：佐证材料只能是 PDF、Word、Excel 或图片（png、jpg、gif）`);
  return { name: name.trim(), type };
}

function looksExecutable(b: Buffer): boolean {
  return (b[0] === 0x4d && b[1] === 0x5a) || b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || (b[0] === 0x23 && b[1] === 0x21) || b.readUInt32BE(0) === 0xcafebabe || b.readUInt32LE(0) === 0xfeedfacf;
}

const LABEL: Record<EvidenceType, string> = { pdf: 'PDF', docx: 'Word', doc: 'Word', xlsx: 'Excel', xls: 'Excel', png: 'PNG 图片', jpg: 'JPEG 图片', gif: 'GIF 图片' };

/** The bytes are what the name says (magic numbers; an Office file's parts); a zip bomb is refused. */
export function checkEvidenceBytes(type: EvidenceType, b: Buffer): void {
  if (b.length === 0) refuse('文件是空的（0 字节）');
  if (b.length > EVIDENCE_MAX_BYTES) refuse(`文件大小为 ${(b.length / 1048576).toFixed(1)} MB，超过 ${EVIDENCE_MAX_BYTES / 1048576} MB 的上限`);
  if (b.length >= 4 && looksExecutable(b)) refuse(`文件内容是可执行程序或脚本，不是${LABEL[type]}，已拒绝`);
  const starts = (...xs: number[]) => xs.every((x, i) => b[i] === x);
  const ok =
    type === 'pdf'
      ? b.subarray(0, 1024).includes('%PDF-')
      : type === 'png'
        ? starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
        : type === 'jpg'
          ? starts(0xff, 0xd8, 0xff)
          : type === 'gif'
            ? b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a'
            : type === 'doc' || type === 'xls'
              ? b.length >= 8 && b.readUInt32BE(0) === 0xd0cf11e0 && b.readUInt32BE(4) === 0xa1b11ae1
              : starts(0x50, 0x4b, 0x03, 0x04);
  if (!ok) refuse(`文件内容不是${LABEL[type]}（与扩展名不符），已拒绝`);
  if (type === 'docx' || type === 'xlsx') {
    // every entry inflated under the import's caps: a zip bomb or a damaged archive is refused here
    const parts = checkZip(b);
    const main = type === 'docx' ? 'word/document.xml' : 'xl/workbook.xml';
    if (!parts.has('[Content_Types].xml') || !parts.has(main)) refuse(`文件内容不是${LABEL[type]}文档（缺少 ${main}），已拒绝`);
  }
}

export interface EvidenceItem {
  id: number;
  deptId: number;
  measureId: string | null;
  name: string;
  sha256: string;
  bytes: number;
  type: string;
  addedAt: string;
  /** where the file is, for the system viewer */
  path: string;
}

/** Everything addEvidence checks before it stores: the round open, the department and measure of it, the name, the bytes. */
function checkEvidence(ctx: ServiceContext, roundId: number, deptId: number, file: { name: string; bytes: Buffer }, measureId: string | null): { dept: string; name: string; type: EvidenceType } {
  const round = openRoundRow(ctx, roundId);
  const dept = roundDeptRow(ctx, round, deptId);
  if (measureId !== null && !rq(ctx).roundMeasures(roundId, deptId).some((m) => m.measure_id === measureId)) {
    refuse(`措施 ${measureId} 不属于${dept.name}本轮的报送范围`);
  }
  const { name, type } = checkEvidenceName(file.name);
  checkEvidenceBytes(type, file.bytes);
  return { dept: dept.name, name, type };
}

/**
 * Attach a file to a department's report in a round (and to one measure of its part, if given):
 * checked, stored under its content hash (a file already stored is not written again), then one
 * transaction for the index rows, the round's record and the audit.
 */
export function addEvidence(ctx: ServiceContext, dbFile: string, roundId: number, deptId: number, file: { name: string; bytes: Buffer }, measureId: string | null = null): EvidenceItem {
  const { dept, name, type } = checkEvidence(ctx, roundId, deptId, file, measureId);
  const sha = createHash('sha256').update(file.bytes).digest('hex');
  writeStoreFile(evidenceDir(dbFile), sha, file.bytes);
  let id = 0;
  ctx.db.transaction(() => {
    const audit = new AuditWriter(ctx, `添加佐证材料（${dept}）`);
    rq(ctx).insertAttachment(sha, file.bytes.length, type, audit.at);
    id = rq(ctx).insertEvidence({ round_id: roundId, dept_id: deptId, measure_id: measureId, sha256: sha, name, added_at: audit.at, actor: actorName(ctx) });
    audit.field('round_evidence', String(id), 'name', null, name);
    queueEvidence(ctx, audit, { round_id: roundId, dept_id: deptId, measure_id: measureId, sha256: sha });
    recordEvent(ctx, roundId, deptId, '佐证', { name, sha256: sha, bytes: file.bytes.length, measure: measureId }, audit.at);
  })();
  return listEvidence(ctx, dbFile, roundId).find((e) => e.id === id)!;
}

/**
 * Take an attachment off a report: its index row goes (audited, in the round's record); the stored
 * file stays, as every stored file does (another entry or a backup may name the same bytes).
 */
export function removeEvidence(ctx: ServiceContext, roundId: number, id: number): void {
  openRoundRow(ctx, roundId);
  const q = rq(ctx);
  ctx.db.transaction(() => {
    const e = q.evidenceRow(roundId, id);
    if (!e) throw new ServiceError('NOT_FOUND', '本轮没有这份佐证材料（可能已被删除）');
    const dept = q.roundDept(roundId, e.dept_id)?.name ?? String(e.dept_id);
    const audit = new AuditWriter(ctx, `删除佐证材料（${dept}）`);
    const entry = evidenceEntry(ctx, audit, { round_id: roundId, dept_id: e.dept_id, measure_id: e.measure_id, sha256: e.sha256 });
    q.deleteEvidence(id);
    queueEvidenceRemoved(ctx, audit, entry);
    audit.field('round_evidence', String(id), 'name', e.name, null);
    recordEvent(ctx, roundId, e.dept_id, '佐证', { removed: true, name: e.name, sha256: e.sha256, measure: e.measure_id }, audit.at);
  })();
}

/** The 佐证材料 of a round (of one department) for the page: no paths. */
export function roundEvidence(ctx: ServiceContext, roundId: number, deptId?: number): RoundEvidence[] {
  roundRow(ctx, roundId);
  const q = rq(ctx);
  const names = new Map(q.roundDepts(roundId).map((d) => [d.dept_id, d.name]));
  return q
    .evidence(roundId)
    .filter((e) => deptId === undefined || e.dept_id === deptId)
    .map((e) => ({ id: e.id, deptId: e.dept_id, dept: names.get(e.dept_id) ?? String(e.dept_id), measureId: e.measure_id, name: e.name, sha256: e.sha256, bytes: e.bytes, type: e.type, addedAt: e.added_at, actor: e.actor }));
}

/**
 * A stored attachment to be opened with the system viewer: its bytes, checked again (the hash it is
 * stored under, and that they are still what its type says), and a name to give the copy that is
 * opened: the name it was added with, its extension the one of its checked type, so the viewer
 * chosen by the extension is the one for that type and nothing is run.
 */
export function evidenceForViewing(ctx: ServiceContext, dbFile: string, roundId: number, id: number): { fileName: string; bytes: Buffer; type: string } {
  roundRow(ctx, roundId);
  const e = rq(ctx).evidenceRow(roundId, id);
  if (!e) throw new ServiceError('NOT_FOUND', '本轮没有这份佐证材料（可能已被删除）');
  const file = storePath(evidenceDir(dbFile), e.sha256);
  if (!fs.existsSync(file)) throw new ServiceError('NOT_FOUND', `佐证材料“${e.name}”的文件不在存放目录中（可从备份恢复）`);
  const bytes = fs.readFileSync(file);
  if (createHash('sha256').update(bytes).digest('hex') !== e.sha256) throw new ServiceError('CONFLICT', `佐证材料“${e.name}”的文件已被改动，与添加时不符，不予打开`);
  const type = e.type as EvidenceType;
  checkEvidenceBytes(type, bytes);
  const stem = e.name.replace(/\.[A-Za-z0-9]+$/, '') || '佐证材料';
  return { fileName: `${stem}.${type}`, bytes, type };
}

export function listEvidence(ctx: ServiceContext, dbFile: string, roundId: number): EvidenceItem[] {
  const dir = evidenceDir(dbFile);
  return rq(ctx)
    .evidence(roundId)
    .map((e) => ({ id: e.id, deptId: e.dept_id, measureId: e.measure_id, name: e.name, sha256: e.sha256, bytes: e.bytes, type: e.type, addedAt: e.added_at, path: storePath(dir, e.sha256) }));
}

/** a file named by the measure it supports: 4.1.1.3-验收报告.pdf */
export const MEASURE_PREFIX = EVIDENCE_MEASURE_PREFIX;

/**
 * 佐证材料 that came with returned ledgers, named by measure id (4.1.1.3-验收报告.pdf): each is
 * attached to the department whose part of the round has that measure — among the departments
 * given (those whose ledgers came in the same folder), or the only one that has it. A file that
 * names no measure, or one several departments report, is refused with the reason. A dry run checks
 * each file as adding it would and stores nothing.
 */
export function addEvidenceByName(ctx: ServiceContext, dbFile: string, roundId: number, files: { name: string; bytes: Buffer }[], deptIds: number[], opts: { dryRun?: boolean } = {}): EvidenceFileResult[] {
  const byMeasure = new Map<string, number[]>();
  for (const m of rq(ctx).roundMeasures(roundId)) (byMeasure.get(m.measure_id) ?? byMeasure.set(m.measure_id, []).get(m.measure_id)!).push(m.dept_id);
  const names = new Map(rq(ctx).roundDepts(roundId).map((d) => [d.dept_id, d.name]));
  return files.map((f) => {
    const res: EvidenceFileResult = { file: f.name, department: null, measureId: null, refused: null, sha256: null };
    const id = f.name.match(MEASURE_PREFIX)?.[1];
    if (!id) return { ...res, refused: '文件名没有以措施编号开头（如 4.1.1.3-验收报告.pdf），无法确定所属措施，未添加' };
    res.measureId = id;
    const owners = byMeasure.get(id) ?? [];
    const among = owners.filter((d) => deptIds.includes(d));
    const dept = among.length === 1 ? among[0] : owners.length === 1 ? owners[0] : undefined;
    if (dept === undefined)
      return { ...res, refused: owners.length ? `措施 ${id} 由多个单位报送，无法确定所属单位，未添加` : `措施 ${id} 不在本轮的报送范围内，未添加` };
    res.department = names.get(dept) ?? null;
    try {
      if (opts.dryRun) {
        checkEvidence(ctx, roundId, dept, f, id);
        res.sha256 = createHash('sha256').update(f.bytes).digest('hex');
      } else res.sha256 = addEvidence(ctx, dbFile, roundId, dept, f, id).sha256;
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      res.refused = `${e.message}（未添加）`;
    }
    return res;
  });
}
