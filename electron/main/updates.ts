// The desktop app's self-update from an intranet folder (设置 › 程序更新, electron/services/updates.ts):
// electron-updater with a generic provider at the folder's address. It reads latest.yml (Windows) or
// latest-linux.yml, downloads the installer, checks its SHA-512 against the one in that file (and on
// Windows the installer's signature when the app is signed) and installs it when the app quits.
// electron-updater is loaded on first use only: nothing is contacted, or even loaded, until the
// person asks.
import { app } from 'electron';
import type { AppUpdater } from 'electron-updater';
import { ServiceError } from '../core/context';
import type { Updater } from '../services/updates';

function networkError(e: unknown): ServiceError {
  const msg = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);
  return new ServiceError('NETWORK', `无法从更新地址取得更新：${msg}`);
}

export function desktopUpdater(): Updater {
  let updater: AppUpdater | null = null;
  let feed: string | null = null;
  const at = async (url: string): Promise<AppUpdater> => {
    if (!updater) {
      // a chunk of its own, loaded when first asked for, not at start
      updater = (await import('electron-updater')).autoUpdater;
      updater.autoDownload = false;
      updater.autoInstallOnAppQuit = true;
      updater.allowDowngrade = false;
      updater.logger = null;
    }
    if (feed !== url) {
      updater.setFeedURL({ provider: 'generic', url });
      feed = url;
    }
    return updater;
  };
  return {
    unsupportedReason: () => {
      if (!app.isPackaged) return '开发版（npm start）不检查更新：更新只对安装版有效。';
      // Linux: the AppImage replaces itself; the .deb (installed under /opt) is replaced through the package manager
      if (process.platform === 'linux' && !process.env.APPIMAGE && !app.getAppPath().startsWith('/opt/'))
        return '此安装方式不能自动更新：请由信息中心安装新版 .deb 或 AppImage。';
      return null;
    },
    check: async (url) => {
      try {
        const r = await (await at(url)).checkForUpdates();
        return {
          current: app.getVersion(),
          available: r?.isUpdateAvailable ? r.updateInfo.version : null,
          ...(r?.updateInfo.releaseDate ? { releaseDate: r.updateInfo.releaseDate } : {}),
        };
      } catch (e) {
        throw networkError(e);
      }
    },
    download: async (url, onProgress) => {
      const u = await at(url);
      const listener = (p: { percent: number; transferred: number; total: number }) =>
        onProgress({ percent: Math.round(p.percent * 10) / 10, transferred: p.transferred, total: p.total });
      u.on('download-progress', listener);
      try {
        const r = await u.checkForUpdates();
        if (!r?.isUpdateAvailable) throw new ServiceError('VALIDATION', `没有更新：当前版本 ${app.getVersion()} 已是更新文件夹中的最新版本。`);
        // electron-updater verifies the download's SHA-512 (from the folder's latest*.yml) before it is kept
        await u.downloadUpdate();
        return { version: r.updateInfo.version, installOnQuit: true as const };
      } catch (e) {
        if (e instanceof ServiceError) throw e;
        throw networkError(e);
      } finally {
        u.off('download-progress', listener);
      }
    },
  };
}
