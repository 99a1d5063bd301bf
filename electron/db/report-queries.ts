// SQL for the measure history (read from the audit trail) and the log of generated reports.
import { StatementCache } from './statements';
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

/** The report log and the measure history a briefing compares with: reached as ctx.q.reports. */
export class ReportQueries extends StatementCache {
  /** Audit rows of measures for these fields written at or after `fromIso` (an ISO instant), newest first. */
  measureAuditSince(fromIso: string, fields: readonly string[]): AuditRow[] {
    const marks = fields.map(() => '?').join(', ');
    return this.db
      .prepare(`SELECT * FROM audit WHERE tbl = 'measure' AND at >= ? AND field IN (${marks}) ORDER BY at DESC, id DESC`)
      .all(fromIso, ...fields) as AuditRow[];
  }

  insert(r: Omit<ReportLogRow, 'id'>): number {
    return Number(
      this.db
        .prepare('INSERT INTO report_log (kind, as_of, created_at, actor, unit, params) VALUES (@kind, @as_of, @created_at, @actor, @unit, @params)')
        .run(r).lastInsertRowid,
    );
  }

  /** The latest logged report of this kind dated before `asOf` (YYYY-MM-DD). */
  previous(kind: string, asOf: string): ReportLogRow | undefined {
    return this.db
      .prepare('SELECT * FROM report_log WHERE kind = ? AND as_of < ? ORDER BY as_of DESC, id DESC LIMIT 1')
      .get(kind, asOf) as ReportLogRow | undefined;
  }

  list(kind?: string, limit = 100): ReportLogRow[] {
    if (kind) return this.db.prepare('SELECT * FROM report_log WHERE kind = ? ORDER BY id DESC LIMIT ?').all(kind, limit) as ReportLogRow[];
    return this.db.prepare('SELECT * FROM report_log ORDER BY id DESC LIMIT ?').all(limit) as ReportLogRow[];
  }
}
