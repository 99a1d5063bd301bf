import type { Database } from 'better-sqlite3';

// A qualitative indicator (一小时通勤圈全面形成, …) has no number: its year holds an assessment
// in `note`. `value` becomes nullable; a row must carry a value or an assessment.
// SQLite cannot relax NOT NULL in place: rebuild the table, keeping every row.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE indicator_actual_new (
      indicator_id TEXT NOT NULL REFERENCES indicator(id),
      year         INTEGER NOT NULL CHECK (year BETWEEN 2021 AND 2035),
      value        REAL,
      source       TEXT NOT NULL DEFAULT '',
      note         TEXT NOT NULL DEFAULT '',
      updated_at   TEXT,
      PRIMARY KEY (indicator_id, year),
      CHECK (value IS NOT NULL OR length(note) > 0)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO indicator_actual_new (indicator_id, year, value, source, note, updated_at)
      SELECT indicator_id, year, value, source, note, updated_at FROM indicator_actual;
    DROP TABLE indicator_actual;
    ALTER TABLE indicator_actual_new RENAME TO indicator_actual;
  `);
}
