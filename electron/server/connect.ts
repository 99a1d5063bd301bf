// Connecting to the shared PostgreSQL server with node-postgres, and saying in plain Chinese what
// went wrong (the network, the password, the rights, the server's version of the schema).
import pg from 'pg';
import { ServiceError } from '../core/context';

export type PgClient = pg.Client;

/** A connection string without its password (what the copy keeps and shows). */
export function publicServer(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, '@');
  }
}

const SQLSTATE: Record<string, string> = {
  '28P01': '用户名或密码错误',
  '28000': '服务器拒绝了此用户的连接（pg_hba 未允许）',
  '3D000': '服务器上没有这个数据库',
  '42501': '没有权限',
  '57P01': '服务器正在关闭',
  '57P03': '服务器正在启动，暂不能连接',
  '53300': '服务器连接数已满',
};

/** A node-postgres or network error as a Chinese message (never the password). */
export function pgErrorMessage(e: unknown): string {
  const err = e as Error & { code?: string };
  const code = err?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ENETUNREACH', 'EAI_AGAIN'].includes(code)) {
    return `无法连接协同服务器（${code}）：请检查网络（电子政务外网）或服务器是否在运行`;
  }
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(err?.message ?? '')) {
    return '与协同服务器的连接中断：请检查网络或服务器是否在运行';
  }
  if (code.startsWith('SQLITE_')) return `本机数据库出错（${code}）：${err.message}`;
  if (SQLSTATE[code]) return `${SQLSTATE[code]}：${err.message}`;
  if (/^[0-9A-Z]{5}$/.test(code)) return `服务器报错（${code}）：${err.message}`;
  return `协同服务器出错：${err?.message ?? String(e)}`;
}

export function networkError(e: unknown): ServiceError {
  return new ServiceError('NETWORK', pgErrorMessage(e));
}

/** Open a connection (TLS as the connection string says: sslmode=require / verify-full …). */
export async function connectServer(url: string, opts: { appName?: string } = {}): Promise<PgClient> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, application_name: opts.appName ?? 'czt-workbench', connectionTimeoutMillis: 10_000 });
  } catch (e) {
    throw new ServiceError('VALIDATION', `服务器地址不是有效的 PostgreSQL 连接串：${(e as Error).message}`);
  }
  // an idle connection dropped by the network must not crash the process: the next query fails instead
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw networkError(e);
  }
  return client;
}
