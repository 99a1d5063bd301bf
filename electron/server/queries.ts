// The PostgreSQL statements the copy's side of sync runs (electron/sync/engine.ts), in one place
// as the local ones are in electron/db: a consistent snapshot to clone from, a table read through
// a cursor, one batch of operations through czt.apply_ops, the change log after a sequence number,
// the caller's identity.
import type { PgClient } from './connect';

export interface ApplyResult {
  opId: string;
  result: 'applied' | 'conflict' | 'refused';
  seq?: number;
  server?: string | null;
  /** false: the server has no such row (a row made in a copy), `server` is no value of it */
  known?: boolean;
  reason?: string;
  again?: boolean;
}

export interface OutgoingOp {
  opId: string;
  tbl: string;
  rowId: string;
  field: string;
  base: string | null;
  value: string | null;
  op: string;
  device: string;
  clientAt: string;
}

export interface LogRow {
  seq: string;
  op_id: string;
  tbl: string;
  row_id: string;
  field: string;
  new_value: string | null;
  actor: string;
  unit: string;
  device: string;
  op: string;
  server_at: Date;
}

export async function serverColumns(client: PgClient, table: string): Promise<string[]> {
  const r = await client.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'czt' AND table_name = $1", [table]);
  return r.rows.map((x: { column_name: string }) => x.column_name);
}

/** Start a read-only snapshot; returns the last sequence number it contains. */
export async function beginSnapshot(client: PgClient): Promise<number> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // whole tables read once through cursors: plans for reading all of it (not the first rows fast),
  // and no JIT compilation of the scans (it costs more than it saves here)
  await client.query('SET LOCAL cursor_tuple_fraction = 1.0');
  await client.query('SET LOCAL jit = off');
  return Number((await client.query('SELECT coalesce(max(seq), 0) AS s FROM czt.change_log')).rows[0].s);
}

/**
 * Every row of a shared table (names from SHARED_TABLES and the server's own columns, never from
 * input), in batches through a cursor of the open snapshot, each row an array of the columns in
 * the order asked (no object per row), as the server holds them. Plan nodes parent first,
 * departments before those merged into them.
 */
export async function* readTable(client: PgClient, table: string, cols: string[], batch = 5000): AsyncGenerator<unknown[][]> {
  const order = table === 'plan_node' ? ' ORDER BY (x.parent_id IS NOT NULL), length(x.id), x.id' : table === 'department' ? ' ORDER BY (x.merged_into IS NOT NULL), x.id' : '';
  await client.query(`DECLARE c_${table} NO SCROLL CURSOR FOR SELECT ${cols.map((c) => `x."${c}"`).join(', ')} FROM czt.${table} x${order}`);
  const fetch = () => {
    const q = client.query<unknown[]>({ text: `FETCH ${batch} FROM c_${table}`, rowMode: 'array' });
    // a reader that stops early (an error writing the copy) leaves one request unanswered: not an unhandled rejection
    q.catch(() => {});
    return q;
  };
  // the next batch is asked for before this one is handed over: the server reads while the copy writes
  let next = fetch();
  for (;;) {
    const r = await next;
    if (r.rows.length === 0) break;
    next = fetch();
    yield r.rows;
  }
  await client.query(`CLOSE c_${table}`);
}

/**
 * Every measure's ordered leads, in one read of czt.measure_lead by its key (asked once for the
 * whole table: a subquery per measure costs an index probe each).
 */
export async function measureLeadsOnServer(client: PgClient): Promise<Map<string, number[]>> {
  const r = await client.query<[string, number]>({ text: 'SELECT measure_id, dept_id FROM czt.measure_lead ORDER BY measure_id, ord', rowMode: 'array' });
  const leads = new Map<string, number[]>();
  for (const [m, d] of r.rows) {
    const l = leads.get(m);
    if (l) l.push(d);
    else leads.set(m, [d]);
  }
  return leads;
}

export async function planSettingsOnServer(client: PgClient): Promise<{ key: string; value: string }[]> {
  return (await client.query('SELECT key, value FROM czt.plan_setting')).rows as { key: string; value: string }[];
}

/** One batch through czt.apply_ops in its own transaction; `beforeCommit` runs between call and commit. */
export async function applyOps(client: PgClient, ops: OutgoingOp[], beforeCommit: () => Promise<void>): Promise<ApplyResult[]> {
  await client.query('BEGIN');
  try {
    const results = (await client.query('SELECT czt.apply_ops($1::jsonb) AS r', [JSON.stringify(ops)])).rows[0].r as ApplyResult[];
    await beforeCommit();
    await client.query('COMMIT');
    return results;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

export async function changeLogAfter(client: PgClient, seq: number, limit: number): Promise<LogRow[]> {
  return (
    await client.query(
      'SELECT seq, op_id, tbl, row_id, field, new_value, actor, unit, device, op, server_at FROM czt.change_log WHERE seq > $1 ORDER BY seq LIMIT $2',
      [seq, limit],
    )
  ).rows as LogRow[];
}

export async function whoami(client: PgClient): Promise<{ login: string; name: string; unit: string; role: 'office' | 'dept'; dept_id: number | null } | undefined> {
  return (await client.query('SELECT login, name, unit, role, dept_id FROM czt.whoami()')).rows[0] as
    | { login: string; name: string; unit: string; role: 'office' | 'dept'; dept_id: number | null }
    | undefined;
}

export async function listen(client: PgClient): Promise<void> {
  await client.query('LISTEN czt_changes');
}

export async function endSnapshot(client: PgClient): Promise<void> {
  await client.query('COMMIT');
}

/** (version 3) The attachments whose content the server lacks and this login may upload. */
export async function attachmentsToUpload(client: PgClient): Promise<{ sha256: string; bytes: number }[]> {
  return (await client.query('SELECT sha256, bytes FROM czt.attachments_to_upload()')).rows as { sha256: string; bytes: number }[];
}

/** Upload one attachment's content (a Buffer parameter: pg sends it as bytea); false: it was already there. */
export async function putAttachment(client: PgClient, sha: string, content: Buffer): Promise<boolean> {
  return (await client.query('SELECT czt.put_attachment($1, $2) AS stored', [sha, content])).rows[0].stored as boolean;
}

/** The contents the server holds among these hashes and lets this login read (bytea comes back as a Buffer). */
export async function attachmentContents(client: PgClient, shas: string[]): Promise<{ sha256: string; content: Buffer }[]> {
  return (await client.query('SELECT sha256, content FROM czt.attachment_contents($1::text[])', [shas])).rows as {
    sha256: string;
    content: Buffer;
  }[];
}
