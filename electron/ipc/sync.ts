// 设置 › 联网协同 and the header's status (issue 20) as channels, and the automatic sync the main
// side runs while a server is configured and 自动同步 is on: on a timer, soon after edits settle
// (the outbox stops growing), and at once when the server's LISTEN/NOTIFY says another copy
// changed something. A failure only records 离线 with its time (the status and a sync.status
// event): no dialog. The server address and login are settings; the password is a setting too
// (there is no OS keychain the bridge and the desktop app share here), never audited, never
// returned to the renderer, never put in a log or an error: messages name the server through
// publicServer only.
import { ServiceError, type ServiceContext } from '../core/context';
import { listSyncConflicts, resolveConflict, syncStatus } from '../services/sync';
import { AuditWriter } from '../core/context';
import { listenForChanges, syncNow, testConnection } from '../sync/engine';
import type { SyncConfig, SyncStatusView } from '../../shared/ipc/contract';
import type { EventName } from '../../shared/ipc/events';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

const K = { server: 'sync.server', login: 'sync.login', password: 'sync.password', auto: 'sync.auto' } as const;
// read when the timer starts (not when this module loads), so a test in the same process can shorten them
/** how often an automatic sync runs anyway */
const periodMs = () => Number(process.env.CZT_SYNC_PERIOD_MS) || 5 * 60_000;
/** how often the outbox is looked at: unchanged and not empty since the last look = settled */
const settleMs = () => Number(process.env.CZT_SYNC_SETTLE_MS) || 15_000;

export function getSyncConfig(ctx: ServiceContext): SyncConfig {
  return {
    server: ctx.q.getSetting(K.server),
    login: ctx.q.getSetting(K.login),
    hasPassword: ctx.q.getSetting(K.password) !== null,
    auto: ctx.q.getSetting(K.auto) === '1',
  };
}

/** The connection string with login and password: only ever handed to the pg client. */
export function connectionUrl(server: string, login: string, password: string | null): string {
  const u = new URL(/^postgres(ql)?:\/\//.test(server) ? server : `postgres://${server}`);
  u.username = encodeURIComponent(login);
  u.password = password === null ? '' : encodeURIComponent(password);
  return u.toString();
}

function storedUrl(ctx: ServiceContext): string | null {
  const c = getSyncConfig(ctx);
  if (!c.server || !c.login || !c.hasPassword) return null;
  return connectionUrl(c.server, c.login, ctx.q.getSetting(K.password));
}

function setConfig(ctx: ServiceContext, i: { server: string | null; login: string | null; password?: string | null; auto: boolean }): SyncConfig {
  ctx.db.transaction(() => {
    const audit = new AuditWriter(ctx, '设置联网协同');
    const put = (key: string, v: string | null, audited: boolean) => {
      const old = ctx.q.getSetting(key);
      if (old === v) return;
      if (v === null) ctx.q.deleteSetting(key);
      else ctx.q.setSetting(key, v);
      if (audited) audit.field('setting', key, 'value', old, v);
    };
    put(K.server, i.server, true);
    put(K.login, i.login, true);
    put(K.auto, i.auto ? '1' : null, true);
    // the password is kept but never written to the audit log
    if (i.password !== undefined) put(K.password, i.password, false);
  })();
  return getSyncConfig(ctx);
}

/** The automatic sync of one open database (one per dispatcher). */
export class AutoSync {
  private running: Promise<unknown> | null = null;
  private offlineSince: string | null = null;
  private lastPending = -1;
  private lastRun = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopListen: (() => Promise<void>) | null = null;
  private listenUrl: string | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly emit: (event: EventName, payload: unknown) => void,
  ) {}

  status(): SyncStatusView {
    const s = syncStatus(this.ctx);
    const c = getSyncConfig(this.ctx);
    return {
      configured: storedUrl(this.ctx) !== null,
      attached: s.server !== null,
      auto: c.auto,
      pending: s.pending,
      lastSeq: s.lastSeq,
      syncedAt: s.syncedAt,
      error: s.error,
      offlineSince: s.error ? (this.offlineSince ?? s.syncedAt) : null,
      syncing: this.running !== null,
      conflicts: s.conflicts.length,
    };
  }

  /** 立即同步 (and the automatic one): one at a time; a second call waits for the first. */
  async run(): Promise<{ pushed: number; pulled: number; conflicts: number }> {
    if (this.running) await this.running.catch(() => {});
    const url = storedUrl(this.ctx);
    if (!url) throw new ServiceError('VALIDATION', '尚未设置协同服务器：请在“设置 › 联网协同”填写服务器地址、登录名和密码');
    if (!this.ctx.q.sync.syncState()) throw new ServiceError('VALIDATION', '此数据库不是协同服务器的副本：请由信息中心用 sync 命令从服务器复制一份，再用本程序打开');
    const p = syncNow(this.ctx, url);
    this.running = p;
    this.emit('sync.status', this.status());
    try {
      const r = await p;
      this.offlineSince = null;
      return r;
    } catch (e) {
      if (e instanceof ServiceError && e.code === 'NETWORK') this.offlineSince ??= new Date().toISOString();
      throw e;
    } finally {
      this.running = null;
      this.lastRun = Date.now();
      this.lastPending = this.ctx.q.sync.outboxCount();
      this.emit('sync.status', this.status());
    }
  }

  /** Start or stop the timer and the listener as the settings now say. */
  configure(): void {
    const on = getSyncConfig(this.ctx).auto && storedUrl(this.ctx) !== null && this.ctx.q.sync.syncState() !== null;
    if (!on) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      void this.unlisten();
      return;
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), settleMs());
      this.timer.unref();
    }
    void this.listen();
    this.quiet();
  }

  private tick(): void {
    if (this.running) return;
    const pending = this.ctx.q.sync.outboxCount();
    const settled = pending > 0 && pending === this.lastPending;
    this.lastPending = pending;
    if (settled || Date.now() - this.lastRun >= periodMs() || (this.offlineSince && !this.stopListen)) {
      this.quiet();
      void this.listen();
    }
  }

  /** an automatic sync: its failure is the status's 离线, nothing else */
  private quiet(): void {
    if (this.running) return;
    this.run().catch(() => {});
  }

  private async listen(): Promise<void> {
    const url = storedUrl(this.ctx);
    if (!url || (this.stopListen && this.listenUrl === url)) return;
    await this.unlisten();
    this.listenUrl = url;
    try {
      this.stopListen = await listenForChanges(
        url,
        () => this.quiet(),
        () => {
          void this.unlisten();
        },
      );
    } catch {
      this.listenUrl = null;
    }
  }

  private async unlisten(): Promise<void> {
    const stop = this.stopListen;
    this.stopListen = null;
    this.listenUrl = null;
    if (stop) await stop();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten();
  }
}

export interface SyncEnv {
  autoSync: AutoSync;
}

/** The sync.* channels (shared/ipc/channels/sync.ts). */
export const syncHandlers: HandlerTable<ChannelsOf<'sync'>, SyncEnv> = {
  'sync.getConfig': (ctx) => getSyncConfig(ctx),
  'sync.setConfig': (ctx, i, env) => {
    const c = setConfig(ctx, i);
    env.autoSync.configure();
    return c;
  },
  'sync.test': async (ctx, i) => {
    const password = i.password ?? ctx.q.getSetting(K.password);
    return testConnection(connectionUrl(i.server, i.login, password));
  },
  'sync.status': (_ctx, _i, env) => env.autoSync.status(),
  'sync.now': (_ctx, _i, env) => env.autoSync.run(),
  'sync.conflicts': (ctx, i) => listSyncConflicts(ctx, i.includeResolved ?? false),
  'sync.resolve': (ctx, i, env) => {
    const r = resolveConflict(ctx, i.opId, i.choice);
    env.autoSync.configure();
    return r;
  },
};
