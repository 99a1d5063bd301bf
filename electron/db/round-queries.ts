// The SQL of 调度轮次 (issue 18): rounds, their departments and measures, returned files, reports,
// the round's record, the snapshot at close and the evidence store's index. Logic lives in
// electron/services/rounds.ts; this file only reads and writes rows.
import type { Database } from 'better-sqlite3';
import type { Status } from '../../shared/domain';
import type { RoundDeptState, RoundEventKind, RoundReportState, RoundRole } from '../../shared/rounds';
import { StatementCache } from './statements';

export interface RoundDbRow {
  id: number;
  title: string;
  period_end: string;
  due_date: string;
  scope: string;
  with_co: number;
  note: string;
  state: '进行中' | '已结束';
  created_at: string;
  created_by: string;
  closed_at: string | null;
}

export interface RoundDeptDbRow {
  round_id: number;
  dept_id: number;
  name: string;
  ord: number;
  state: RoundDeptState;
  distributed_at: string | null;
  received_at: string | null;
  reminders: number;
  reminded_at: string | null;
  return_reason: string | null;
  measures: number;
  reported: number;
}

export interface RoundMeasureDbRow {
  dept_id: number;
  measure_id: string;
  role: RoundRole;
}

export interface SubmissionDbRow {
  id: number;
  round_id: number;
  dept_id: number;
  file_name: string;
  sha256: string;
  bytes: number;
  received_at: string;
  collected_at: string;
  actor: string;
  matched_by: 'meta' | 'confirmed';
  rows: number;
  superseded_by: number | null;
}

export interface ReportDbRow {
  id: number;
  submission_id: number;
  round_id: number;
  dept_id: number;
  measure_id: string;
  status: Status;
  progress: string;
  note: string;
  changed: string;
  state: RoundReportState;
  reason: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

export interface RoundEventDbRow {
  id: number;
  round_id: number;
  dept_id: number | null;
  kind: RoundEventKind;
  at: string;
  actor: string;
  detail: string;
}

export interface SnapshotDbRow {
  measure_id: string;
  chapter_no: number;
  status: Status;
  progress: string;
  reported_by: string;
}

export class RoundQueries extends StatementCache {
  // ---- rounds
  insertRound(r: Omit<RoundDbRow, 'id' | 'state' | 'closed_at'>): number {
    return Number(
      this.st(
        `INSERT INTO round (title, period_end, due_date, scope, with_co, note, created_at, created_by)
         VALUES (@title, @period_end, @due_date, @scope, @with_co, @note, @created_at, @created_by)`,
      ).run(r).lastInsertRowid,
    );
  }
  round(id: number): RoundDbRow | undefined {
    return this.st('SELECT * FROM round WHERE id = ?').get(id) as RoundDbRow | undefined;
  }
  rounds(): RoundDbRow[] {
    return this.st('SELECT * FROM round ORDER BY id').all() as RoundDbRow[];
  }
  closeRound(id: number, at: string): void {
    this.st("UPDATE round SET state = '已结束', closed_at = ? WHERE id = ?").run(at, id);
  }
  roundCounts(id: number): { departments: number; measures: number } {
    return this.st(
      `SELECT (SELECT count(*) FROM round_dept WHERE round_id = @id) departments,
              (SELECT count(DISTINCT measure_id) FROM round_measure WHERE round_id = @id) measures`,
    ).get({ id }) as { departments: number; measures: number };
  }

  // ---- departments and their part
  insertRoundDept(roundId: number, deptId: number, ord: number): void {
    this.st('INSERT INTO round_dept (round_id, dept_id, ord) VALUES (?, ?, ?)').run(roundId, deptId, ord);
  }
  insertRoundMeasure(roundId: number, deptId: number, measureId: string, role: RoundRole): void {
    this.st('INSERT INTO round_measure (round_id, dept_id, measure_id, role) VALUES (?, ?, ?, ?)').run(roundId, deptId, measureId, role);
  }
  /** every department of the round with its counts: measures of its part, live reports */
  roundDepts(roundId: number): RoundDeptDbRow[] {
    return this.st(
      `SELECT rd.*, d.name,
              (SELECT count(*) FROM round_measure rm WHERE rm.round_id = rd.round_id AND rm.dept_id = rd.dept_id) measures,
              (SELECT count(*) FROM round_report rr WHERE rr.round_id = rd.round_id AND rr.dept_id = rd.dept_id AND rr.state <> '已替换') reported
       FROM round_dept rd JOIN department d ON d.id = rd.dept_id
       WHERE rd.round_id = ? ORDER BY rd.ord`,
    ).all(roundId) as RoundDeptDbRow[];
  }
  roundDept(roundId: number, deptId: number): RoundDeptDbRow | undefined {
    return this.st(
      `SELECT rd.*, d.name,
              (SELECT count(*) FROM round_measure rm WHERE rm.round_id = rd.round_id AND rm.dept_id = rd.dept_id) measures,
              (SELECT count(*) FROM round_report rr WHERE rr.round_id = rd.round_id AND rr.dept_id = rd.dept_id AND rr.state <> '已替换') reported
       FROM round_dept rd JOIN department d ON d.id = rd.dept_id
       WHERE rd.round_id = ? AND rd.dept_id = ?`,
    ).get(roundId, deptId) as RoundDeptDbRow | undefined;
  }
  roundMeasures(roundId: number, deptId?: number): RoundMeasureDbRow[] {
    return deptId === undefined
      ? (this.st('SELECT dept_id, measure_id, role FROM round_measure WHERE round_id = ? ORDER BY dept_id, measure_id').all(roundId) as RoundMeasureDbRow[])
      : (this.st('SELECT dept_id, measure_id, role FROM round_measure WHERE round_id = ? AND dept_id = ? ORDER BY measure_id').all(roundId, deptId) as RoundMeasureDbRow[]);
  }
  setDistributed(roundId: number, deptId: number, at: string): void {
    this.st('UPDATE round_dept SET distributed_at = ? WHERE round_id = ? AND dept_id = ?').run(at, roundId, deptId);
  }
  setDeptState(roundId: number, deptId: number, state: RoundDeptState, receivedAt: string | null, reason: string | null): void {
    this.st('UPDATE round_dept SET state = ?, received_at = ?, return_reason = ? WHERE round_id = ? AND dept_id = ?').run(state, receivedAt, reason, roundId, deptId);
  }
  addReminder(roundId: number, deptId: number, at: string): void {
    this.st('UPDATE round_dept SET reminders = reminders + 1, reminded_at = ? WHERE round_id = ? AND dept_id = ?').run(at, roundId, deptId);
  }

  // ---- returned files and their reports
  submissionBySha(roundId: number, sha: string): SubmissionDbRow | undefined {
    return this.st('SELECT * FROM round_submission WHERE round_id = ? AND sha256 = ?').get(roundId, sha) as SubmissionDbRow | undefined;
  }
  /** the department's submission now in force (none superseded it), if any */
  liveSubmission(roundId: number, deptId: number): SubmissionDbRow | undefined {
    return this.st('SELECT * FROM round_submission WHERE round_id = ? AND dept_id = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1').get(roundId, deptId) as
      | SubmissionDbRow
      | undefined;
  }
  submissions(roundId: number): SubmissionDbRow[] {
    return this.st('SELECT * FROM round_submission WHERE round_id = ? ORDER BY id').all(roundId) as SubmissionDbRow[];
  }
  insertSubmission(s: Omit<SubmissionDbRow, 'id' | 'superseded_by'>): number {
    return Number(
      this.st(
        `INSERT INTO round_submission (round_id, dept_id, file_name, sha256, bytes, received_at, collected_at, actor, matched_by, rows)
         VALUES (@round_id, @dept_id, @file_name, @sha256, @bytes, @received_at, @collected_at, @actor, @matched_by, @rows)`,
      ).run(s).lastInsertRowid,
    );
  }
  supersede(oldId: number, newId: number): void {
    this.st('UPDATE round_submission SET superseded_by = ? WHERE id = ?').run(newId, oldId);
    this.st("UPDATE round_report SET state = '已替换' WHERE submission_id = ?").run(oldId);
  }
  insertReport(r: Omit<ReportDbRow, 'id' | 'state' | 'reason' | 'reviewed_at' | 'reviewed_by'>): void {
    this.st(
      `INSERT INTO round_report (submission_id, round_id, dept_id, measure_id, status, progress, note, changed)
       VALUES (@submission_id, @round_id, @dept_id, @measure_id, @status, @progress, @note, @changed)`,
    ).run(r);
  }
  /** the live reports (not replaced) of the round, or of one department */
  liveReports(roundId: number, deptId?: number): ReportDbRow[] {
    return deptId === undefined
      ? (this.st("SELECT * FROM round_report WHERE round_id = ? AND state <> '已替换' ORDER BY dept_id, measure_id").all(roundId) as ReportDbRow[])
      : (this.st("SELECT * FROM round_report WHERE round_id = ? AND dept_id = ? AND state <> '已替换' ORDER BY measure_id").all(roundId, deptId) as ReportDbRow[]);
  }
  allReports(roundId: number): ReportDbRow[] {
    return this.st('SELECT * FROM round_report WHERE round_id = ? ORDER BY id').all(roundId) as ReportDbRow[];
  }
  reviewReport(id: number, state: RoundReportState, reason: string | null, at: string, by: string): void {
    this.st('UPDATE round_report SET state = ?, reason = ?, reviewed_at = ?, reviewed_by = ? WHERE id = ?').run(state, reason, at, by, id);
  }

  // ---- record
  insertEvent(e: Omit<RoundEventDbRow, 'id'>): void {
    this.st('INSERT INTO round_event (round_id, dept_id, kind, at, actor, detail) VALUES (@round_id, @dept_id, @kind, @at, @actor, @detail)').run(e);
  }
  events(roundId: number): RoundEventDbRow[] {
    return this.st('SELECT * FROM round_event WHERE round_id = ? ORDER BY id').all(roundId) as RoundEventDbRow[];
  }

  // ---- snapshot
  insertSnapshot(roundId: number, s: SnapshotDbRow): void {
    this.st('INSERT INTO round_snapshot (round_id, measure_id, chapter_no, status, progress, reported_by) VALUES (?, ?, ?, ?, ?, ?)').run(
      roundId,
      s.measure_id,
      s.chapter_no,
      s.status,
      s.progress,
      s.reported_by,
    );
  }
  snapshot(roundId: number): SnapshotDbRow[] {
    return this.st('SELECT measure_id, chapter_no, status, progress, reported_by FROM round_snapshot WHERE round_id = ? ORDER BY measure_id').all(roundId) as SnapshotDbRow[];
  }

  // ---- evidence
  attachment(sha: string): { sha256: string; bytes: number; type: string } | undefined {
    return this.st('SELECT sha256, bytes, type FROM attachment WHERE sha256 = ?').get(sha) as { sha256: string; bytes: number; type: string } | undefined;
  }
  insertAttachment(sha: string, bytes: number, type: string, at: string): void {
    this.st('INSERT OR IGNORE INTO attachment (sha256, bytes, type, created_at) VALUES (?, ?, ?, ?)').run(sha, bytes, type, at);
  }
  insertEvidence(e: { round_id: number; dept_id: number; measure_id: string | null; sha256: string; name: string; added_at: string; actor: string }): number {
    return Number(
      this.st(
        `INSERT INTO round_evidence (round_id, dept_id, measure_id, sha256, name, added_at, actor)
         VALUES (@round_id, @dept_id, @measure_id, @sha256, @name, @added_at, @actor)`,
      ).run(e).lastInsertRowid,
    );
  }
  evidence(roundId: number): EvidenceDbRow[] {
    return this.st(
      `SELECT e.id, e.dept_id, e.measure_id, e.sha256, e.name, e.added_at, e.actor, a.bytes, a.type
       FROM round_evidence e JOIN attachment a ON a.sha256 = e.sha256 WHERE e.round_id = ? ORDER BY e.id`,
    ).all(roundId) as EvidenceDbRow[];
  }
  evidenceRow(roundId: number, id: number): EvidenceDbRow | undefined {
    return this.st(
      `SELECT e.id, e.dept_id, e.measure_id, e.sha256, e.name, e.added_at, e.actor, a.bytes, a.type
       FROM round_evidence e JOIN attachment a ON a.sha256 = e.sha256 WHERE e.round_id = ? AND e.id = ?`,
    ).get(roundId, id) as EvidenceDbRow | undefined;
  }
  /** the index row only: the stored file stays (other rows, backups and restores may name it) */
  deleteEvidence(id: number): void {
    this.st('DELETE FROM round_evidence WHERE id = ?').run(id);
  }
  allAttachmentShas(): string[] {
    return (this.st('SELECT sha256 FROM attachment').all() as { sha256: string }[]).map((r) => r.sha256);
  }
}

export interface EvidenceDbRow {
  id: number;
  dept_id: number;
  measure_id: string | null;
  sha256: string;
  name: string;
  added_at: string;
  actor: string;
  bytes: number;
  type: string;
}

const instances = new WeakMap<Database, RoundQueries>();

/** The statements of one connection, shared by every caller. */
export function roundQueries(db: Database): RoundQueries {
  let q = instances.get(db);
  if (!q) {
    q = new RoundQueries(db);
    instances.set(db, q);
  }
  return q;
}
