import type { Database } from 'better-sqlite3';

// The measure search index (electron/services/measures.ts) lives in memory and used to be
// rebuilt from every measure after any write (seconds on a large ledger: docs/bench.md). Triggers now log
// which measures changed, so the index re-reads only those, whichever connection wrote them.
// `seq` is AUTOINCREMENT (never reused); the log keeps the latest 50,000 entries: an index
// further behind than that is rebuilt whole. `search_epoch` changes on every restore: content
// copied in from a backup is not described by this log.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE measure_change (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,
      measure_id TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER measure_change_insert AFTER INSERT ON measure
      BEGIN INSERT INTO measure_change (measure_id) VALUES (NEW.id); END;
    CREATE TRIGGER measure_change_update AFTER UPDATE OF id, task_id, text, progress, note ON measure
      BEGIN INSERT INTO measure_change (measure_id) VALUES (NEW.id); END;
    CREATE TRIGGER measure_change_delete AFTER DELETE ON measure
      BEGIN INSERT INTO measure_change (measure_id) VALUES (OLD.id); END;
    CREATE TRIGGER measure_change_trim AFTER INSERT ON measure_change WHEN NEW.seq % 1000 = 0
      BEGIN DELETE FROM measure_change WHERE seq <= NEW.seq - 50000; END;
    CREATE TABLE search_epoch (
      id    INTEGER PRIMARY KEY CHECK (id = 1),
      epoch TEXT NOT NULL
    ) STRICT;
    INSERT INTO search_epoch (id, epoch) VALUES (1, lower(hex(randomblob(16))));
  `);
}
