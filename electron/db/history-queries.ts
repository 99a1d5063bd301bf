// SQL for the measure history (read from the audit trail) and the log of generated reports.
import type { Database } from 'better-sqlite3';
import type { AuditRow } from './queries';

export interface ReportLogRow {
  id: number;
  kind: string;
  as_of: string;
  created_at: string;
  actor: string;
  unit: string;
  params: string;
}

/** Audit rows of measures for these fields written at or after `fromIso` (an ISO instant), newest first. */
export function measureAuditSince(db: Database, fromIso: string, fields: readonly string[]): AuditRow[] {
  const marks = fields.map(() => '?').join(', ');
  return db
    .prepare(`SELECT * FROM audit WHERE tbl = 'measure' AND at >= ? AND field IN (${marks}) ORDER BY at DESC, id DESC`)
    .all(fromIso, ...fields) as AuditRow[];
}

export function insertReportLog(db: Database, r: Omit<ReportLogRow, 'id'>): number {
  return Number(
    db
      .prepare('INSERT INTO report_log (kind, as_of, created_at, actor, unit, params) VALUES (@kind, @as_of, @created_at, @actor, @unit, @params)')
      .run(r).lastInsertRowid,
  );
}

/** The latest logged report of this kind dated before `asOf` (YYYY-MM-DD). */
export function previousReport(db: Database, kind: string, asOf: string): ReportLogRow | undefined {
  return db
    .prepare('SELECT * FROM report_log WHERE kind = ? AND as_of < ? ORDER BY as_of DESC, id DESC LIMIT 1')
    .get(kind, asOf) as ReportLogRow | undefined;
}

export function reportLog(db: Database, kind?: string, limit = 100): ReportLogRow[] {
  if (kind) return db.prepare('SELECT * FROM report_log WHERE kind = ? ORDER BY id DESC LIMIT ?').all(kind, limit) as ReportLogRow[];
  return db.prepare('SELECT * FROM report_log ORDER BY id DESC LIMIT ?').all(limit) as ReportLogRow[];
}
