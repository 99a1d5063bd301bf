// Loading the plan into an empty shared server (server-init): from a workbench database (the
// office's own, --from FILE) or from seeds/ through the seed builder (a database in memory). The
// same tables with the same columns, copied in one transaction; a measure's lead becomes its list
// of leads through the leads adapter. A server that already holds a plan is left as it is.
import type { Database } from 'better-sqlite3';
import { SHARED_TABLES, syncQueries } from '../db/sync-queries';
import { MEASURE_LEADS } from '../core/sync-leads';
import type { PgClient } from './connect';
import { serverColumns } from './queries';

async function insertJson(client: PgClient, table: string, cols: string[], rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const list = cols.map((c) => `"${c}"`).join(', ');
  // table and column names come from SHARED_TABLES and both schemas, never from input; rows are one parameter
  await client.query(`INSERT INTO czt.${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::czt.${table}, $1::jsonb)`, [
    JSON.stringify(rows),
  ]);
}

/** Copy the plan of a workbench database to the server, unless it has one. */
export async function loadServer(client: PgClient, db: Database): Promise<{ loaded: boolean; measures: number; departments: number; projects: number }> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('czt.load'))");
    const has = await client.query('SELECT (SELECT count(*) FROM czt.plan_node) AS n, (SELECT count(*) FROM czt.measure) AS m, (SELECT count(*) FROM czt.department) AS d, (SELECT count(*) FROM czt.project) AS p');
    const existing = has.rows[0] as { n: string; m: string; d: string; p: string };
    if (Number(existing.n) > 0) {
      await client.query('ROLLBACK');
      return { loaded: false, measures: Number(existing.m), departments: Number(existing.d), projects: Number(existing.p) };
    }
    const counts: Record<string, number> = {};
    const sq = syncQueries(db);
    for (const t of SHARED_TABLES) {
      if (!sq.hasRows(t)) continue;
      const server = new Set(await serverColumns(client, t));
      const cols = sq.tableColumns(t).filter((c) => server.has(c));
      if (!cols.length) continue;
      let n = 0;
      for (const rows of sq.tableRows(t, cols)) {
        await insertJson(client, t, cols, rows);
        n += rows.length;
      }
      counts[t] = n;
      if (t === 'measure') {
        const leads = MEASURE_LEADS.serverRows(sq);
        for (let i = 0; i < leads.length; i += 5000) await insertJson(client, 'measure_lead', ['measure_id', 'dept_id', 'ord'], leads.slice(i, i + 5000));
      }
    }
    for (const s of sq.planSettings()) {
      await client.query('INSERT INTO czt.plan_setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [s.key, s.value]);
    }
    // rounds loaded with their ids: the server's next ones follow them (a schema from before rounds has none)
    if ((await client.query("SELECT to_regproc('czt.round_ids_follow') IS NOT NULL AS ok")).rows[0].ok) await client.query('SELECT czt.round_ids_follow()');
    await client.query('COMMIT');
    return { loaded: true, measures: counts.measure ?? 0, departments: counts.department ?? 0, projects: counts.project ?? 0 };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
