import type { Database, Statement } from 'better-sqlite3';

/** Prepared statements built once per connection; the query classes extend this. */
export class StatementCache {
  private cache = new Map<string, Statement>();
  constructor(public readonly db: Database) {}

  protected st(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
