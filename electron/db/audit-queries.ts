// SQL for the history (audit list with filters) and the persistent undo/redo steps.
import { StatementCache } from './statements';
import type { AuditRow } from './queries';

export interface AuditFilter {
  rowId?: string;
  table?: string;
  actor?: string;
  unit?: string;
  op?: string;
  opId?: string;
  field?: string;
  /** YYYY-MM-DD or ISO instant, inclusive */
  from?: string;
  /** YYYY-MM-DD (the whole day) or ISO instant, inclusive */
  to?: string;
  /** only entries with an id below this (paging backwards) */
  beforeId?: number;
  limit?: number;
}

/** Local midnight of a YYYY-MM-DD day (plus `plusDays`) as an ISO instant: `at` is stored in UTC. */
function dayStartIso(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export interface OpSummaryRow {
  op_id: string;
  op: string;
  at: string;
  first_id: number;
  last_id: number;
  n: number;
}

export interface UndoStepRow {
  id: number;
  op_id: string;
  kind: 'undo' | 'redo';
  by_op_id: string;
  actor: string;
  unit: string;
  at: string;
  audit_to: number;
}

/** The audit log and the undo steps: reached as ctx.q.audit. */
export class AuditQueries extends StatementCache {
  /** the latest entries, of one row or of all */
  recent(rowId: string | undefined, limit: number): AuditRow[] {
    if (rowId) return this.st('SELECT * FROM audit WHERE row_id = ? ORDER BY id DESC LIMIT ?').all(rowId, limit) as AuditRow[];
    return this.st('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
  }

  list(f: AuditFilter): AuditRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const eq = (col: string, v: string | undefined) => {
      if (v === undefined || v === '') return;
      where.push(`${col} = ?`);
      args.push(v);
    };
    eq('row_id', f.rowId);
    eq('tbl', f.table);
    eq('actor', f.actor);
    eq('unit', f.unit);
    eq('op_id', f.opId);
    eq('field', f.field);
    if (f.op) {
      where.push('op LIKE ?');
      args.push(`%${f.op.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
      where[where.length - 1] += " ESCAPE '\\'";
    }
    if (f.from) {
      where.push('at >= ?');
      args.push(f.from.length === 10 ? dayStartIso(f.from) : f.from);
    }
    if (f.to) {
      where.push('at < ?');
      args.push(f.to.length === 10 ? dayStartIso(f.to, 1) : f.to);
    }
    if (f.beforeId !== undefined) {
      where.push('id < ?');
      args.push(f.beforeId);
    }
    const sql = `SELECT * FROM audit${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, f.limit ?? 500) as AuditRow[];
  }

  byId(id: number): AuditRow | undefined {
    return this.db.prepare('SELECT * FROM audit WHERE id = ?').get(id) as AuditRow | undefined;
  }

  ofOp(opId: string): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit WHERE op_id = ? ORDER BY id').all(opId) as AuditRow[];
  }

  maxId(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM audit').get() as { n: number }).n;
  }

  /** Give every audit row written after `afterId` (in this transaction) one operation id and name. */
  relabelSince(afterId: number, opId: string, op: string): number {
    return this.db.prepare('UPDATE audit SET op_id = ?, op = ? WHERE id > ?').run(opId, op, afterId).changes;
  }

  /** Later changes of one field of one row, by anybody, after audit id `afterId`. */
  laterChanges(tbl: string, rowId: string, field: string, afterId: number): AuditRow[] {
    return this.db
      .prepare('SELECT * FROM audit WHERE tbl = ? AND row_id = ? AND field = ? AND id > ? ORDER BY id')
      .all(tbl, rowId, field, afterId) as AuditRow[];
  }

  /** A person's own operations (not the undo/redo steps themselves), newest first. */
  ownOps(actor: string, unit: string, limit: number): OpSummaryRow[] {
    return this.db
      .prepare(
        `SELECT op_id, min(op) AS op, min(at) AS at, min(id) AS first_id, max(id) AS last_id, count(*) AS n
           FROM audit
          WHERE actor = ? AND unit = ? AND op_id NOT IN (SELECT by_op_id FROM undo_step)
          GROUP BY op_id
          ORDER BY last_id DESC
          LIMIT ?`,
      )
      .all(actor, unit, limit) as OpSummaryRow[];
  }

  /** The latest step (undo or redo) of each of these operations. */
  lastSteps(opIds: string[]): Map<string, UndoStepRow> {
    const out = new Map<string, UndoStepRow>();
    if (opIds.length === 0) return out;
    const st = this.db.prepare('SELECT * FROM undo_step WHERE op_id = ? ORDER BY id DESC LIMIT 1');
    for (const id of opIds) {
      const r = st.get(id) as UndoStepRow | undefined;
      if (r) out.set(id, r);
    }
    return out;
  }

  insertUndoStep(r: Omit<UndoStepRow, 'id'>): void {
    this.db.prepare(
      'INSERT INTO undo_step (op_id, kind, by_op_id, actor, unit, at, audit_to) VALUES (@op_id, @kind, @by_op_id, @actor, @unit, @at, @audit_to)',
    ).run(r);
  }

  /** Distinct values for the history page's filter lists. */
  facets(): { actors: { actor: string; unit: string }[]; ops: string[]; tables: string[] } {
    return {
      actors: this.db.prepare('SELECT DISTINCT actor, unit FROM audit ORDER BY actor, unit').all() as { actor: string; unit: string }[],
      ops: (this.db.prepare('SELECT DISTINCT op FROM audit ORDER BY op').all() as { op: string }[]).map((r) => r.op),
      tables: (this.db.prepare('SELECT DISTINCT tbl FROM audit ORDER BY tbl').all() as { tbl: string }[]).map((r) => r.tbl),
    };
  }

  /**
   * Whether anything of one row was changed here after `at` (an ISO time, as audit.at holds it):
   * a returned ledger row without its export-time base may not overwrite such a row unasked.
   */
  changedSince(tbl: string, rowId: string, at: string): boolean {
    return this.db.prepare('SELECT 1 FROM audit WHERE tbl = ? AND row_id = ? AND at > ? LIMIT 1').get(tbl, rowId, at) !== undefined;
  }
}
