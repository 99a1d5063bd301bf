import type { Database } from 'better-sqlite3';

// A log of the reports the workbench generated, so that a briefing can say what moved
// since the previous one.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE report_log (
      id         INTEGER PRIMARY KEY,
      kind       TEXT NOT NULL CHECK (length(kind) > 0),
      as_of      TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
      created_at TEXT NOT NULL,
      actor      TEXT NOT NULL,
      unit       TEXT NOT NULL,
      params     TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
    CREATE INDEX report_log_kind_as_of ON report_log(kind, as_of);
  `);
}
