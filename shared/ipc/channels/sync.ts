// sync.*: 设置 › 联网协同 and the header's status (issue 20). The connection's password goes in
// (sync.setConfig, sync.test) and never comes back out: the config says only whether one is kept.
import { z } from 'zod';
import { channel } from '../channel';
import { empty } from './common';

export interface SyncConfig {
  /** the server's connection string without login or password, e.g. postgres://10.1.2.3:5432/czt */
  server: string | null;
  login: string | null;
  hasPassword: boolean;
  auto: boolean;
}

export interface SyncIdentity {
  login: string;
  name: string;
  unit: string;
  role: 'office' | 'dept';
  deptId: number | null;
  schemaVersion: number;
}

export interface SyncConflictView {
  opId: string;
  kind: 'conflict' | 'refused';
  table: string;
  rowId: string;
  field: string;
  base: string | null;
  mine: string | null;
  theirs: string | null;
  reason: string;
  actor: string;
  unit: string;
  at: string;
  resolvedAt: string | null;
  resolution: 'mine' | 'theirs' | null;
}

export interface SyncStatusView {
  /** server, login and password set here */
  configured: boolean;
  /** this database is a copy of a server (cloned): it can push and pull */
  attached: boolean;
  auto: boolean;
  pending: number;
  lastSeq: number;
  syncedAt: string | null;
  /** the last attempt's failure (Chinese), null after a good sync */
  error: string | null;
  /** since when syncing has failed (ISO time), null when online */
  offlineSince: string | null;
  syncing: boolean;
  conflicts: number;
}

export interface SyncRunResult {
  pushed: number;
  pulled: number;
  conflicts: number;
}

const serverAddress = z
  .string()
  .trim()
  .max(300)
  .regex(/^(postgres(ql)?:\/\/)?[^\s@/:]+(:\d{1,5})?\/[A-Za-z0-9_-]+(\?[^\s@]*)?$/, '服务器地址格式应为 postgres://主机:端口/数据库，如 postgres://10.1.2.3:5432/czt（不含用户名和密码）');
const login = z.string().trim().min(1, '请填写登录名').max(63).regex(/^[A-Za-z0-9_.-]+$/, '登录名只能含字母、数字、下划线、点和连字符');
const password = z.string().min(1).max(200);

export const syncChannels = {
  'sync.getConfig': channel<SyncConfig>()(empty),
  /** password: undefined keeps the one kept, null forgets it */
  'sync.setConfig': channel<SyncConfig>()(
    z.object({ server: serverAddress.nullable(), login: login.nullable(), password: password.nullable().optional(), auto: z.boolean() }).strict(),
  ),
  /** 测试连接 with these values (a password left out: the one kept) */
  'sync.test': channel<SyncIdentity>()(z.object({ server: serverAddress, login, password: password.optional() }).strict()),
  'sync.status': channel<SyncStatusView>()(empty),
  'sync.now': channel<SyncRunResult>()(empty),
  'sync.conflicts': channel<SyncConflictView[]>()(z.object({ includeResolved: z.boolean().optional() }).strict()),
  'sync.resolve': channel<SyncConflictView>()(z.object({ opId: z.string().min(1).max(100), choice: z.enum(['mine', 'theirs']) }).strict()),
};
