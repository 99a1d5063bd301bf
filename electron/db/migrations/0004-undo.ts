import type { Database } from 'better-sqlite3';

// Persistent undo/redo per person: each undo or redo is itself an audited operation
// (audit rows with op 撤销 / 重做); this table links it to the operation it reversed or
// re-applied, so the position survives a restart. Plus indexes for the history filters.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE undo_step (
      id        INTEGER PRIMARY KEY,
      op_id     TEXT NOT NULL,
      kind      TEXT NOT NULL CHECK (kind IN ('undo','redo')),
      by_op_id  TEXT NOT NULL UNIQUE,
      actor     TEXT NOT NULL,
      unit      TEXT NOT NULL,
      at        TEXT NOT NULL,
      audit_to  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX undo_step_op ON undo_step(op_id, id);
    CREATE INDEX undo_step_actor ON undo_step(actor, unit, id);
    CREATE INDEX audit_actor ON audit(actor, unit, id);
    CREATE INDEX audit_op ON audit(op_id);
    CREATE INDEX audit_field ON audit(tbl, row_id, field, id);
  `);
}
