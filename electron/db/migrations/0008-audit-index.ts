import type { Database } from 'better-sqlite3';

// audit_row (tbl, row_id) is a prefix of audit_field (tbl, row_id, field, id), which answers the same
// lookups. Every audit row written kept both up to date: a 10,000-row import writes about 14,000
// audit rows, each placed at a scattered row_id in both indexes. Without audit_row the import's apply
// is faster (measured in docs/bench.md).
export function up(db: Database): void {
  db.exec('DROP INDEX IF EXISTS audit_row;');
}
