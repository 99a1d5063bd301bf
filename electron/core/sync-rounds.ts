// Queueing a round's steps for the shared server (issue 20 with issue 18): each step of a round
// (open, distribute, collect or report online, remind, review, close, evidence, the round's record)
// queues, in its own transaction, the operations that carry it, encoded by the same functions that
// read them back (electron/db/round-sync-queries.ts). Rows made as a whole go against no value (a
// second one for the same key is a conflict on the server); a department's state, reminders and a
// report's review go against the value they had before the step. Nothing is encoded, and nothing
// queued, while the copy works alone.
import type { ServiceContext } from './context';
import { AuditWriter } from './context';
import {
  encDeptState,
  encEvent,
  encReminded,
  encReview,
  eventKey,
  evidenceKey,
  roundSyncQueries,
  type DeptStateCols,
  type EventCols,
  type ReviewCols,
} from '../db/round-sync-queries';

/** 新建: the round with its departments and their parts, as one row. */
export function queueRoundOpened(ctx: ServiceContext, audit: AuditWriter, roundId: number): void {
  if (!audit.syncing) return;
  audit.queueOp('round', String(roundId), 'row', null, roundSyncQueries(ctx.db).roundRow(roundId));
}

/** 结束: the round's close time and its snapshot. */
export function queueRoundClosed(ctx: ServiceContext, audit: AuditWriter, roundId: number): void {
  if (!audit.syncing) return;
  audit.queueOp('round', String(roundId), 'close', null, roundSyncQueries(ctx.db).closeValue(roundId));
}

/** A department of the round after a step: what changed of its state, reminders and distribution. */
export function queueRoundDept(ctx: ServiceContext, audit: AuditWriter, before: DeptStateCols & { round_id: number; dept_id: number }): void {
  if (!audit.syncing) return;
  const row = `${before.round_id}|${before.dept_id}`;
  const after = roundSyncQueries(ctx.db).deptRow(before.round_id, before.dept_id);
  if (before.distributed_at !== after.distributed_at) audit.queueOp('round_dept', row, 'distributedAt', before.distributed_at, after.distributed_at);
  const [r0, r1] = [encReminded(before), encReminded(after)];
  if (r0 !== r1) audit.queueOp('round_dept', row, 'reminded', r0, r1);
  const [s0, s1] = [encDeptState(before), encDeptState(after)];
  if (s0 !== s1) audit.queueOp('round_dept', row, 'state', s0, s1);
}

/** A submission taken in (a returned file, or a department's copy reporting online) with its reports. */
export function queueSubmission(ctx: ServiceContext, audit: AuditWriter, roundId: number, submissionId: number): void {
  if (!audit.syncing) return;
  const q = roundSyncQueries(ctx.db);
  const sha = q.submissionSha(submissionId);
  audit.queueOp('round_submission', `${roundId}|${sha}`, 'row', null, q.submissionRow(roundId, sha));
}

/** A report reviewed (采纳 / 退回): its decision against the one it had. */
export function queueReview(ctx: ServiceContext, audit: AuditWriter, before: ReviewCols & { id: number; round_id: number; submission_id: number; measure_id: string }): void {
  if (!audit.syncing) return;
  const q = roundSyncQueries(ctx.db);
  const after = q.reviewCols(before.id);
  const sha = q.submissionSha(before.submission_id);
  audit.queueOp('round_report', `${before.round_id}|${sha}|${before.measure_id}`, 'review', encReview(before), encReview(after));
}

/** An entry of the round's record. */
export function queueRoundEvent(ctx: ServiceContext, e: EventCols): void {
  const audit = new AuditWriter(ctx, `调度记录：${e.kind}`);
  if (!audit.syncing) return;
  audit.queueOp('round_event', eventKey(e), 'row', null, encEvent(e));
}

/** Evidence attached (its index entry; the file stays in this copy's store). */
export function queueEvidence(ctx: ServiceContext, audit: AuditWriter, e: { round_id: number; dept_id: number; measure_id: string | null; sha256: string }): void {
  if (!audit.syncing) return;
  const key = evidenceKey(e.round_id, e.dept_id, e.sha256, e.measure_id);
  audit.queueOp('round_evidence', key, 'row', null, roundSyncQueries(ctx.db).fieldValue('round_evidence', key, 'row') ?? null);
}

/** An entry as the server names it, read before it is removed (nothing while the copy works alone). */
export function evidenceEntry(ctx: ServiceContext, audit: AuditWriter, e: { round_id: number; dept_id: number; measure_id: string | null; sha256: string }): { key: string; value: string | null } | null {
  if (!audit.syncing) return null;
  const key = evidenceKey(e.round_id, e.dept_id, e.sha256, e.measure_id);
  return { key, value: roundSyncQueries(ctx.db).fieldValue('round_evidence', key, 'row') ?? null };
}

/**
 * Evidence taken off a report: its entry set to nothing against the entry it was, so the server and
 * every copy stop listing it (the stored bytes stay, as every stored file does). When another entry
 * with the same key remains here, the server's one stays too: nothing to send.
 */
export function queueEvidenceRemoved(ctx: ServiceContext, audit: AuditWriter, entry: { key: string; value: string | null } | null): void {
  if (!entry || entry.value === null) return;
  if (roundSyncQueries(ctx.db).fieldValue('round_evidence', entry.key, 'row')) return;
  audit.queueOp('round_evidence', entry.key, 'row', entry.value, null);
}
