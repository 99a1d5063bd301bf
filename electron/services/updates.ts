// 程序更新: the intranet update folder kept in settings (audited like every setting), and checking,
// downloading and installing through the shell's updater (electron/main/updates.ts in the desktop
// app; the browser version and the CLI have none and say so). Nothing is contacted unless the
// folder is set.
import type { UpdateCheck, UpdateConfig, UpdateDownloaded, UpdateProgress } from '../../shared/updates';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import type { EventName } from '../../shared/ipc/events';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

const KEY = 'updates.url';

/** What a shell that can update itself provides (the desktop app, packaged). */
export interface Updater {
  /** null: it can update; otherwise why not, in Chinese */
  unsupportedReason(): string | null;
  check(url: string): Promise<UpdateCheck>;
  download(url: string, onProgress: (p: UpdateProgress) => void): Promise<UpdateDownloaded>;
}

const NO_UPDATER = '只有安装版的桌面程序能检查和安装更新（浏览器版、命令行和开发版不能）。';

export function getUpdateConfig(ctx: ServiceContext, version: string, updater: Updater | undefined): UpdateConfig {
  const reason = updater ? updater.unsupportedReason() : NO_UPDATER;
  return { url: ctx.q.getSetting(KEY), version, supported: reason === null, ...(reason ? { reason } : {}) };
}

export function setUpdateUrl(ctx: ServiceContext, url: string | null, version: string, updater: Updater | undefined): UpdateConfig {
  const clean = url?.trim() ? url.trim() : null;
  ctx.db.transaction(() => {
    const old = ctx.q.getSetting(KEY);
    if (old === clean) return;
    if (clean === null) ctx.q.deleteSetting(KEY);
    else ctx.q.setSetting(KEY, clean);
    new AuditWriter(ctx, '设置更新地址').field('setting', KEY, 'url', old, clean);
  })();
  return getUpdateConfig(ctx, version, updater);
}

function ready(ctx: ServiceContext, updater: Updater | undefined): { url: string; updater: Updater } {
  const reason = updater ? updater.unsupportedReason() : NO_UPDATER;
  if (!updater || reason) throw new ServiceError('UNSUPPORTED', reason ?? NO_UPDATER);
  const url = ctx.q.getSetting(KEY);
  if (!url) throw new ServiceError('VALIDATION', '尚未设置更新地址：请先在“程序更新”中填写内网更新文件夹的网址。');
  return { url, updater };
}

export async function checkForUpdate(ctx: ServiceContext, updater: Updater | undefined): Promise<UpdateCheck> {
  const r = ready(ctx, updater);
  return r.updater.check(r.url);
}

export async function downloadUpdate(ctx: ServiceContext, updater: Updater | undefined, onProgress: (p: UpdateProgress) => void): Promise<UpdateDownloaded> {
  const r = ready(ctx, updater);
  return r.updater.download(r.url, onProgress);
}

/** What the updates.* channels need of the shell: its version, its updater, its event stream. */
export interface UpdatesEnv {
  version: string;
  platform: { updater?: Updater; emit?(event: EventName, payload: unknown): void };
}

/** The updates.* channels (shared/ipc/channels/updates.ts): the shell gives the updater and the event stream. */
export const updatesHandlers: HandlerTable<ChannelsOf<'updates'>, UpdatesEnv> = {
  'updates.getConfig': (ctx, _i, env) => getUpdateConfig(ctx, env.version, env.platform.updater),
  'updates.setUrl': (ctx, i, env) => setUpdateUrl(ctx, i.url, env.version, env.platform.updater),
  'updates.check': (ctx, _i, env) => checkForUpdate(ctx, env.platform.updater),
  'updates.download': (ctx, _i, env) => downloadUpdate(ctx, env.platform.updater, (p) => env.platform.emit?.('updates.progress', p)),
};
