import type { Database } from 'better-sqlite3';

// Online collaboration (issue 20): this copy's link to the shared PostgreSQL server.
// - sync_state: one row once the copy is attached (cloned from a server): the server (connection
//   string without its password), this copy's device id, the last change-log sequence number
//   applied here.
// - sync_outbox: every field change made here since, queued in the same transaction as the change
//   and its audit row, in the server's terms (table, row, field), with the value it was made
//   against (base) and the new value, encoded as the audit encodes them. op_id is unique: the server
//   applies an operation id at most once, so a resend after a lost answer changes nothing.
// - sync_conflict: operations the server did not apply (a conflict: its value was no longer the
//   base; refused: not this person's to change), with both values, until a person resolves them.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE sync_state (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      server    TEXT NOT NULL,
      device    TEXT NOT NULL,
      last_seq  INTEGER NOT NULL DEFAULT 0,
      synced_at TEXT,
      error     TEXT
    ) STRICT;

    CREATE TABLE sync_outbox (
      id        INTEGER PRIMARY KEY,
      op_id     TEXT NOT NULL UNIQUE,
      local_op  TEXT NOT NULL,
      op        TEXT NOT NULL,
      tbl       TEXT NOT NULL,
      row_id    TEXT NOT NULL,
      field     TEXT NOT NULL,
      base      TEXT,
      value     TEXT,
      actor     TEXT NOT NULL,
      unit      TEXT NOT NULL,
      at        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sync_outbox_field ON sync_outbox(tbl, row_id, field);

    CREATE TABLE sync_conflict (
      op_id       TEXT PRIMARY KEY,
      kind        TEXT NOT NULL CHECK (kind IN ('conflict','refused')),
      tbl         TEXT NOT NULL,
      row_id      TEXT NOT NULL,
      field       TEXT NOT NULL,
      base        TEXT,
      mine        TEXT,
      theirs      TEXT,
      reason      TEXT NOT NULL DEFAULT '',
      actor       TEXT NOT NULL,
      unit        TEXT NOT NULL,
      at          TEXT NOT NULL,
      resolved_at TEXT,
      resolution  TEXT CHECK (resolution IS NULL OR resolution IN ('mine','theirs'))
    ) STRICT;
  `);
}
