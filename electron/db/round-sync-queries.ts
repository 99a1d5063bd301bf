// The rounds' side of online collaboration (issue 20 with issue 18's rounds): a round's synced
// fields read from and written to this copy's tables, encoded exactly as the server's
// czt.field_get builds them (electron/server/migrations/0002-rounds.ts): JSON objects, lists in
// byte order. The same encoders make the operations a step queues (electron/core/sync-rounds.ts),
// so a value pulled back is recognised as the one already here. Rows are found by their keys
// (round, sha256 of a submission, measure, an event's time, kind, department and detail), never by
// this copy's own ids, which differ from copy to copy.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { DEFAULT_SCORE_RULES } from '../../shared/rounds';
import { StatementCache } from './statements';

/** The tables whose fields travel as a round's (setting: the score rules only). */
export const ROUND_SYNC_TABLES: ReadonlySet<string> = new Set(['round', 'round_dept', 'round_submission', 'round_report', 'round_event', 'round_evidence', 'setting']);
export const SCORE_RULES_ROW = 'rounds.scoreRules';

const enc = JSON.stringify;

export interface DeptStateCols {
  state: string;
  received_at: string | null;
  return_reason: string | null;
  reminders: number;
  reminded_at: string | null;
  distributed_at: string | null;
}
export interface ReviewCols {
  state: string;
  reason: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
}
export interface EventCols {
  round_id: number;
  dept_id: number | null;
  kind: string;
  at: string;
  actor: string;
  detail: string;
}

export const encDeptState = (d: DeptStateCols) => enc({ state: d.state, receivedAt: d.received_at, returnReason: d.return_reason });
export const encReminded = (d: DeptStateCols) => enc({ reminders: d.reminders, remindedAt: d.reminded_at });
export const encReview = (r: ReviewCols) => enc({ state: r.state, reason: r.reason, reviewedAt: r.reviewed_at, reviewedBy: r.reviewed_by });
export const encEvent = (e: EventCols) => enc({ actor: e.actor, detail: e.detail });
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex').slice(0, 12);
export const eventKey = (e: EventCols) => `${e.round_id}|${e.at}|${e.kind}|${e.dept_id ?? ''}|${md5(e.detail)}`;
export const evidenceKey = (roundId: number, deptId: number, sha: string, measureId: string | null) => `${roundId}|${deptId}|${sha}|${measureId ?? ''}`;

interface ParsedRound {
  title: string;
  periodEnd: string;
  dueDate: string;
  scope: string;
  withCo: number;
  note: string;
  createdAt: string;
  createdBy: string;
  departments: [number, number][];
  measures: [number, string, string][];
}
interface ParsedSubmission {
  deptId: number;
  fileName: string;
  bytes: number;
  receivedAt: string;
  collectedAt: string;
  actor: string;
  matchedBy: string;
  rows: number;
  replaces: string | null;
  reports: [string, string, string, string, string][];
}

export class RoundSyncQueries extends StatementCache {
  private round(id: string) {
    return this.st('SELECT * FROM round WHERE id = ?').get(Number(id)) as
      | { id: number; title: string; period_end: string; due_date: string; scope: string; with_co: number; note: string; state: string; created_at: string; created_by: string; closed_at: string | null }
      | undefined;
  }

  /** a round as opened: its header, departments and each one's part */
  roundRow(id: number): string | null {
    const r = this.round(String(id));
    if (!r) return null;
    return enc({
      title: r.title,
      periodEnd: r.period_end,
      dueDate: r.due_date,
      scope: r.scope,
      withCo: r.with_co,
      note: r.note,
      createdAt: r.created_at,
      createdBy: r.created_by,
      departments: this.st('SELECT dept_id, ord FROM round_dept WHERE round_id = ? ORDER BY ord').raw().all(id),
      measures: this.st('SELECT dept_id, measure_id, role FROM round_measure WHERE round_id = ? ORDER BY dept_id, measure_id').raw().all(id),
    });
  }

  /** a closed round's time and snapshot; null while it is open */
  closeValue(id: number): string | null {
    const r = this.round(String(id));
    if (!r || r.state !== '已结束') return null;
    return enc({
      closedAt: r.closed_at,
      snapshot: this.st('SELECT measure_id, chapter_no, status, progress, reported_by FROM round_snapshot WHERE round_id = ? ORDER BY measure_id').raw().all(id),
    });
  }

  /** a department of a round as it stands (what a step changed of it is queued) */
  deptRow(roundId: number, deptId: number): DeptStateCols {
    return this.st('SELECT * FROM round_dept WHERE round_id = ? AND dept_id = ?').get(roundId, deptId) as DeptStateCols;
  }

  reviewCols(reportId: number): ReviewCols {
    return this.st('SELECT state, reason, reviewed_at, reviewed_by FROM round_report WHERE id = ?').get(reportId) as ReviewCols;
  }

  private dept(roundId: string, deptId: string): DeptStateCols | undefined {
    return this.st('SELECT * FROM round_dept WHERE round_id = ? AND dept_id = ?').get(Number(roundId), Number(deptId)) as DeptStateCols | undefined;
  }

  private submission(roundId: string, sha: string) {
    return this.st('SELECT * FROM round_submission WHERE round_id = ? AND sha256 = ?').get(Number(roundId), sha) as
      | { id: number; dept_id: number; file_name: string; bytes: number; received_at: string; collected_at: string; actor: string; matched_by: string; rows: number; superseded_by: number | null }
      | undefined;
  }

  submissionSha(id: number): string {
    return this.st('SELECT sha256 FROM round_submission WHERE id = ?').pluck().get(id) as string;
  }

  /** a submission with its reports, as it came in */
  submissionRow(roundId: number, sha: string): string | null {
    const s = this.submission(String(roundId), sha);
    if (!s) return null;
    return enc({
      deptId: s.dept_id,
      fileName: s.file_name,
      bytes: s.bytes,
      receivedAt: s.received_at,
      collectedAt: s.collected_at,
      actor: s.actor,
      matchedBy: s.matched_by,
      rows: s.rows,
      replaces: (this.st('SELECT sha256 FROM round_submission WHERE superseded_by = ?').pluck().get(s.id) as string | undefined) ?? null,
      reports: this.st('SELECT measure_id, status, progress, note, changed FROM round_report WHERE submission_id = ? ORDER BY measure_id').raw().all(s.id),
    });
  }

  private report(roundId: string, sha: string, measureId: string): (ReviewCols & { id: number }) | undefined {
    return this.st(
      `SELECT r.id, r.state, r.reason, r.reviewed_at, r.reviewed_by FROM round_report r JOIN round_submission s ON s.id = r.submission_id
       WHERE s.round_id = ? AND s.sha256 = ? AND r.measure_id = ?`,
    ).get(Number(roundId), sha, measureId) as (ReviewCols & { id: number }) | undefined;
  }

  private event(k: string[]): (EventCols & { id: number }) | undefined {
    const rows = this.st('SELECT * FROM round_event WHERE round_id = ? AND at = ? AND kind = ? AND dept_id IS ? ORDER BY id').all(
      Number(k[0]),
      k[1],
      k[2],
      k[3] === '' ? null : Number(k[3]),
    ) as (EventCols & { id: number })[];
    return rows.find((e) => md5(e.detail) === k[4]);
  }

  private evidence(k: string[]) {
    return this.st(
      `SELECT e.id, e.name, e.added_at, e.actor, a.bytes, a.type FROM round_evidence e JOIN attachment a ON a.sha256 = e.sha256
       WHERE e.round_id = ? AND e.dept_id = ? AND e.sha256 = ? AND e.measure_id IS ? ORDER BY e.id LIMIT 1`,
    ).get(Number(k[0]), Number(k[1]), k[2], k[3] === '' ? null : k[3]) as { id: number; name: string; added_at: string; actor: string; bytes: number; type: string } | undefined;
  }

  private rules(): Record<string, number> {
    const raw = this.st('SELECT value FROM setting WHERE key = ?').pluck().get(SCORE_RULES_ROW) as string | undefined;
    let v: Record<string, unknown> = {};
    try {
      v = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      v = {};
    }
    const out: Record<string, number> = { ...DEFAULT_SCORE_RULES };
    for (const k of Object.keys(out)) if (typeof v[k] === 'number') out[k] = v[k] as number;
    return out;
  }

  /** One synced field of a round, encoded; undefined: the row (or its round) is not in this copy. */
  fieldValue(tbl: string, rowId: string, field: string): string | null | undefined {
    if (tbl === 'setting') {
      if (rowId !== SCORE_RULES_ROW) return undefined;
      const v = this.rules()[field];
      return v === undefined ? undefined : enc(v);
    }
    const k = rowId.split('|');
    if (tbl === 'round' && field === 'row') return this.roundRow(Number(k[0]));
    if (!this.round(k[0])) return undefined;
    if (tbl === 'round') return field === 'close' ? this.closeValue(Number(k[0])) : undefined;
    if (tbl === 'round_dept') {
      const d = this.dept(k[0], k[1]);
      if (!d) return undefined;
      if (field === 'state') return encDeptState(d);
      if (field === 'reminded') return encReminded(d);
      if (field === 'distributedAt') return d.distributed_at;
      return undefined;
    }
    if (tbl === 'round_submission' && field === 'row') return this.submissionRow(Number(k[0]), k[1]);
    if (tbl === 'round_report' && field === 'review') {
      const r = this.report(k[0], k[1], k[2]);
      return r ? encReview(r) : undefined;
    }
    if (tbl === 'round_event' && field === 'row') {
      const e = this.event(k);
      return e ? encEvent(e) : null;
    }
    if (tbl === 'round_evidence' && field === 'row') {
      const e = this.evidence(k);
      return e ? enc({ name: e.name, addedAt: e.added_at, actor: e.actor, bytes: e.bytes, type: e.type }) : null;
    }
    return undefined;
  }

  private deleteRound(id: number): void {
    for (const t of ['round_evidence', 'round_snapshot', 'round_event']) this.st(`DELETE FROM ${t} WHERE round_id = ?`).run(id);
    this.st('DELETE FROM round_report WHERE round_id = ?').run(id);
    this.st('UPDATE round_submission SET superseded_by = NULL WHERE round_id = ?').run(id);
    for (const t of ['round_submission', 'round_measure', 'round_dept', 'round']) this.st(`DELETE FROM ${t} WHERE ${t === 'round' ? 'id' : 'round_id'} = ?`).run(id);
  }

  /** A submission the server does not have leaves this copy; the one it replaced is in force again. */
  private deleteSubmission(id: number): void {
    const old = this.st('SELECT id FROM round_submission WHERE superseded_by = ?').pluck().get(id) as number | undefined;
    if (old !== undefined) {
      this.st('UPDATE round_submission SET superseded_by = NULL WHERE id = ?').run(old);
      // a reviewed report keeps its decision (a return has a reason, a review a time)
      this.st(
        `UPDATE round_report SET state = CASE WHEN reason IS NOT NULL THEN '已退回' WHEN reviewed_at IS NOT NULL THEN '已采纳' ELSE '待审核' END WHERE submission_id = ?`,
      ).run(old);
    }
    this.st('DELETE FROM round_report WHERE submission_id = ?').run(id);
    this.st('DELETE FROM round_submission WHERE id = ?').run(id);
  }

  /**
   * Write one synced field of a round as the server holds it. Returns false when there is nothing
   * to write here (the row or its round is not in this copy, or a whole row is already here).
   */
  writeField(tbl: string, rowId: string, field: string, v: string | null): boolean {
    if (tbl === 'setting') {
      if (rowId !== SCORE_RULES_ROW || v === null) return false;
      const rules = { ...this.rules(), [field]: Number(JSON.parse(v)) };
      this.st('INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)').run(SCORE_RULES_ROW, enc(rules));
      return true;
    }
    const k = rowId.split('|');
    const rid = Number(k[0]);
    if (tbl === 'round' && field === 'row') {
      const here = this.round(k[0]);
      if (v === null) {
        if (!here) return false;
        this.deleteRound(rid);
        return true;
      }
      if (here) return false;
      const r = JSON.parse(v) as ParsedRound;
      this.st(
        `INSERT INTO round (id, title, period_end, due_date, scope, with_co, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(rid, r.title, r.periodEnd, r.dueDate, r.scope, r.withCo, r.note, r.createdAt, r.createdBy);
      for (const [d, ord] of r.departments) this.st('INSERT INTO round_dept (round_id, dept_id, ord) VALUES (?, ?, ?)').run(rid, d, ord);
      for (const [d, m, role] of r.measures) this.st('INSERT INTO round_measure (round_id, dept_id, measure_id, role) VALUES (?, ?, ?, ?)').run(rid, d, m, role);
      return true;
    }
    if (!this.round(k[0])) return false;
    if (tbl === 'round' && field === 'close') {
      this.st('DELETE FROM round_snapshot WHERE round_id = ?').run(rid);
      if (v === null) {
        this.st("UPDATE round SET state = '进行中', closed_at = NULL WHERE id = ?").run(rid);
        return true;
      }
      const c = JSON.parse(v) as { closedAt: string; snapshot: [string, number, string, string, string][] };
      for (const s of c.snapshot) this.st('INSERT INTO round_snapshot (round_id, measure_id, chapter_no, status, progress, reported_by) VALUES (?, ?, ?, ?, ?, ?)').run(rid, ...s);
      this.st("UPDATE round SET state = '已结束', closed_at = ? WHERE id = ?").run(c.closedAt, rid);
      return true;
    }
    if (tbl === 'round_dept') {
      if (!this.dept(k[0], k[1])) return false;
      const did = Number(k[1]);
      if (field === 'state' && v !== null) {
        const s = JSON.parse(v) as { state: string; receivedAt: string | null; returnReason: string | null };
        this.st('UPDATE round_dept SET state = ?, received_at = ?, return_reason = ? WHERE round_id = ? AND dept_id = ?').run(s.state, s.receivedAt, s.returnReason, rid, did);
      } else if (field === 'reminded' && v !== null) {
        const s = JSON.parse(v) as { reminders: number; remindedAt: string | null };
        this.st('UPDATE round_dept SET reminders = ?, reminded_at = ? WHERE round_id = ? AND dept_id = ?').run(s.reminders, s.remindedAt, rid, did);
      } else if (field === 'distributedAt') this.st('UPDATE round_dept SET distributed_at = ? WHERE round_id = ? AND dept_id = ?').run(v, rid, did);
      else return false;
      return true;
    }
    if (tbl === 'round_submission' && field === 'row') {
      const here = this.submission(k[0], k[1]);
      if (v === null) {
        if (!here) return false;
        this.deleteSubmission(here.id);
        return true;
      }
      if (here) return false;
      const s = JSON.parse(v) as ParsedSubmission;
      const old = s.replaces ? this.submission(k[0], s.replaces) : undefined;
      if (old) this.st("UPDATE round_report SET state = '已替换' WHERE submission_id = ?").run(old.id);
      const id = Number(
        this.st(
          `INSERT INTO round_submission (round_id, dept_id, file_name, sha256, bytes, received_at, collected_at, actor, matched_by, rows)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(rid, s.deptId, s.fileName, k[1], s.bytes, s.receivedAt, s.collectedAt, s.actor, s.matchedBy, s.rows).lastInsertRowid,
      );
      if (old) this.st('UPDATE round_submission SET superseded_by = ? WHERE id = ?').run(id, old.id);
      for (const [m, status, progress, note, changed] of s.reports) {
        this.st(
          'INSERT INTO round_report (submission_id, round_id, dept_id, measure_id, status, progress, note, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(id, rid, s.deptId, m, status, progress, note, changed);
      }
      return true;
    }
    if (tbl === 'round_report' && field === 'review' && v !== null) {
      const r = this.report(k[0], k[1], k[2]);
      if (!r) return false;
      const x = JSON.parse(v) as { state: string; reason: string | null; reviewedAt: string | null; reviewedBy: string | null };
      this.st('UPDATE round_report SET state = ?, reason = ?, reviewed_at = ?, reviewed_by = ? WHERE id = ?').run(x.state, x.reason, x.reviewedAt, x.reviewedBy, r.id);
      return true;
    }
    if (tbl === 'round_event' && field === 'row') {
      const here = this.event(k);
      if (v === null) {
        if (!here) return false;
        this.st('DELETE FROM round_event WHERE id = ?').run(here.id);
        return true;
      }
      if (here) return false;
      const e = JSON.parse(v) as { actor: string; detail: string };
      this.st('INSERT INTO round_event (round_id, dept_id, kind, at, actor, detail) VALUES (?, ?, ?, ?, ?, ?)').run(rid, k[3] === '' ? null : Number(k[3]), k[2], k[1], e.actor, e.detail);
      return true;
    }
    if (tbl === 'round_evidence' && field === 'row') {
      const here = this.evidence(k);
      if (v === null) {
        if (!here) return false;
        this.st('DELETE FROM round_evidence WHERE id = ?').run(here.id);
        return true;
      }
      if (here) return false;
      const e = JSON.parse(v) as { name: string; addedAt: string; actor: string; bytes: number; type: string };
      // the index only: the file itself stays in the store of the copy that added it
      this.st('INSERT OR IGNORE INTO attachment (sha256, bytes, type, created_at) VALUES (?, ?, ?, ?)').run(k[2], e.bytes, e.type, e.addedAt);
      this.st('INSERT INTO round_evidence (round_id, dept_id, measure_id, sha256, name, added_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        rid,
        Number(k[1]),
        k[3] === '' ? null : k[3],
        k[2],
        e.name,
        e.addedAt,
        e.actor,
      );
      return true;
    }
    return false;
  }

  /** Every attachment an entry of this copy names (the files its store should hold). */
  evidenceFiles(): { sha256: string; bytes: number; type: string }[] {
    return this.st('SELECT sha256, bytes, type FROM attachment a WHERE EXISTS (SELECT 1 FROM round_evidence e WHERE e.sha256 = a.sha256) ORDER BY sha256').all() as {
      sha256: string;
      bytes: number;
      type: string;
    }[];
  }

  /** (for dump) each round's operations waiting to be pushed and its conflicts not yet resolved */
  roundSyncState(): { id: number; pending: number; conflicts: number }[] {
    const mine = (t: string) =>
      `${t}.tbl IN ('round','round_dept','round_submission','round_report','round_event','round_evidence') AND (${t}.row_id = CAST(r.id AS TEXT) OR ${t}.row_id LIKE r.id || '|%')`;
    return this.st(
      `SELECT r.id,
              (SELECT count(*) FROM sync_outbox o WHERE ${mine('o')}) AS pending,
              (SELECT count(*) FROM sync_conflict c WHERE c.resolved_at IS NULL AND ${mine('c')}) AS conflicts
       FROM round r ORDER BY r.id`,
    ).all() as { id: number; pending: number; conflicts: number }[];
  }
}

const instances = new WeakMap<Database, RoundSyncQueries>();

/** The statements of one connection, shared by every caller. */
export function roundSyncQueries(db: Database): RoundSyncQueries {
  let q = instances.get(db);
  if (!q) instances.set(db, (q = new RoundSyncQueries(db)));
  return q;
}
