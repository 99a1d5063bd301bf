// server-user: a person's PostgreSQL login role, in the group role of their department
// (czt_dept_<id>) or the office's (czt_office), both inside czt_user, and their row in czt.person
// (name and 单位 the change log records; the apply function checks rights against it).
// The password never reaches the server in clear: the role gets a SCRAM-SHA-256 verifier made
// here (RFC 5802 / 7677), as psql's \password does.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { ServiceError } from '../core/context';
import type { PgClient } from './connect';

export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

export interface ServerUserInput {
  login: string;
  name: string;
  unit: string;
  role: 'office' | 'dept';
  password: string;
}

const LOGIN_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createServerUser(client: PgClient, u: ServerUserInput): Promise<{ login: string; role: string; deptId: number | null; created: boolean }> {
  if (!LOGIN_RE.test(u.login)) throw new ServiceError('VALIDATION', `登录名“${u.login}”应由小写字母、数字和下划线组成，以字母或下划线开头，最长 63 个字符`);
  if (u.login.startsWith('czt_') || u.login === 'postgres') throw new ServiceError('VALIDATION', `登录名“${u.login}”为系统保留，请另选`);
  if (!u.name.trim()) throw new ServiceError('VALIDATION', '姓名不能为空');
  if (!u.unit.trim()) throw new ServiceError('VALIDATION', '单位不能为空');
  if (u.password.length < 8) throw new ServiceError('VALIDATION', '密码至少 8 个字符');
  await client.query('BEGIN');
  try {
    const d = await client.query(
      `SELECT id, state FROM czt.department WHERE name = $1
       UNION ALL SELECT d.id, d.state FROM czt.dept_alias a JOIN czt.department d ON d.id = a.dept_id WHERE a.alias = $1 LIMIT 1`,
      [u.unit.trim()],
    );
    const dept = d.rows[0] as { id: number; state: string } | undefined;
    if (u.role === 'dept' && !dept) throw new ServiceError('VALIDATION', `服务器上没有单位“${u.unit}”：部门用户的单位须是部门名录中的部门`);
    if (u.role === 'dept' && dept!.state !== '在用') throw new ServiceError('VALIDATION', `“${u.unit}”已${dept!.state}，不能再添加用户`);
    const login = client.escapeIdentifier(u.login);
    const verifier = client.escapeLiteral(scramVerifier(u.password));
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [u.login])).rowCount! > 0;
    if (exists) {
      // roles belong to the whole cluster: a person made by server-user for another database of it is one of ours too
      const known = (await client.query("SELECT 1 FROM czt.person WHERE login = $1 UNION ALL SELECT 1 WHERE pg_has_role($1, 'czt_user', 'MEMBER')", [u.login])).rowCount! > 0;
      if (!known) throw new ServiceError('VALIDATION', `数据库中已有名为“${u.login}”的角色且不是协同用户，请另选登录名`);
      await client.query(`ALTER ROLE ${login} LOGIN PASSWORD ${verifier}`);
      // a person moving to another department or to the office leaves their former group
      const groups = await client.query(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1 AND g.rolname LIKE 'czt\\_%'",
        [u.login],
      );
      for (const g of groups.rows as { rolname: string }[]) await client.query(`REVOKE ${client.escapeIdentifier(g.rolname)} FROM ${login}`);
    } else {
      await client.query(`CREATE ROLE ${login} LOGIN PASSWORD ${verifier}`);
    }
    let group = 'czt_office';
    if (u.role === 'dept') {
      group = `czt_dept_${dept!.id}`;
      if ((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [group])).rowCount === 0) {
        await client.query(`CREATE ROLE ${client.escapeIdentifier(group)} NOLOGIN IN ROLE czt_user`);
      }
    }
    await client.query(`GRANT ${client.escapeIdentifier(group)} TO ${login}`);
    await client.query('GRANT czt_user TO ' + login);
    await client.query(
      `INSERT INTO czt.person (login, name, unit, role, dept_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (login) DO UPDATE SET name = excluded.name, unit = excluded.unit, role = excluded.role, dept_id = excluded.dept_id`,
      [u.login, u.name.trim(), u.unit.trim(), u.role, u.role === 'dept' ? dept!.id : (dept?.id ?? null)],
    );
    await client.query('COMMIT');
    return { login: u.login, role: group, deptId: dept?.id ?? null, created: !exists };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
