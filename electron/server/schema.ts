// Creating or upgrading the shared schema: the pending numbered migrations in one transaction,
// each recorded in czt.schema_migration; a server already at a newer version is refused untouched.
import { ServiceError } from '../core/context';
import type { PgClient } from './connect';
import { SERVER_LATEST_VERSION, SERVER_MIGRATIONS, type ServerMigration } from './migrations';

export async function serverVersion(client: PgClient): Promise<number> {
  const t = await client.query("SELECT to_regclass('czt.schema_migration') IS NOT NULL AS ok");
  if (!t.rows[0].ok) return 0;
  const r = await client.query('SELECT coalesce(max(version), 0) AS v FROM czt.schema_migration');
  return Number(r.rows[0].v);
}

export async function migrateServer(client: PgClient, list: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<{ from: number; to: number }> {
  const latest = list.length ? list[list.length - 1].version : 0;
  await client.query('BEGIN');
  try {
    // two server-init at once: the second waits, then finds nothing to do
    await client.query("SELECT pg_advisory_xact_lock(hashtext('czt.migrate'))");
    const from = await serverVersion(client);
    if (from > latest || from > SERVER_LATEST_VERSION) {
      throw new ServiceError('UNSUPPORTED', `服务器上的协同数据版本为 ${from}，高于本程序支持的 ${latest}：请使用新版本的工作台，本程序不会改动服务器。`);
    }
    let v = from;
    for (const m of list.filter((x) => x.version > from)) {
      if (m.version !== v + 1) throw new Error(`服务器迁移版本不连续：${v} → ${m.version}`);
      await client.query(m.sql);
      await client.query(
        'CREATE TABLE IF NOT EXISTS czt.schema_migration (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      await client.query('GRANT SELECT ON czt.schema_migration TO czt_user');
      await client.query('INSERT INTO czt.schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
      v = m.version;
    }
    await client.query('COMMIT');
    return { from, to: v };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    if (e instanceof ServiceError) throw e;
    throw new ServiceError('UNSUPPORTED', `服务器数据库升级失败，未作任何改动：${(e as Error).message}`);
  }
}
