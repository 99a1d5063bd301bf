// Updates from an intranet folder (an HTTP folder IT fills with what `npm run dist` writes:
// the installers and latest.yml / latest-linux.yml). Nothing is contacted unless the folder is set
// in 设置; the desktop app checks, downloads (the file's SHA-512 from latest.yml is verified) and
// installs when it quits. Types and the folder address's rules, shared by the service and the page.
import { z } from 'zod';

/** an http(s) folder on the intranet; no user name or password in it, at most 500 characters */
export const updateUrlSchema = z
  .string()
  .trim()
  .max(500, '更新地址不能超过500字符')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !!u.hostname;
    } catch {
      return false;
    }
  }, '更新地址须是 http:// 或 https:// 开头的网址（内网更新文件夹），且不含用户名和密码');

export interface UpdateConfig {
  /** the update folder, or null: never checked */
  url: string | null;
  /** the running version */
  version: string;
  /** false where this shell cannot install updates (the browser version, the CLI, a development build) */
  supported: boolean;
  /** why not, in Chinese, when not supported */
  reason?: string;
}

export interface UpdateCheck {
  current: string;
  /** the newer version found in the folder, or null: this is the newest */
  available: string | null;
  releaseDate?: string;
}

export interface UpdateProgress {
  percent: number;
  transferred: number;
  total: number;
}

export interface UpdateDownloaded {
  version: string;
  /** installed when the app quits */
  installOnQuit: true;
}
