// Start-up recovery for the desktop app: a damaged or unreadable database never ends in a crash
// loop. The decisions live in electron/db/backup.ts and electron/services/backup.ts (no window needed, tested with Node);
// this file only asks the person, in Chinese, with native dialogs.
import { dialog } from 'electron';
import type { Database } from 'better-sqlite3';
import { WorkbenchDbError } from '../db/open';
import { BACKUP_KIND_LABELS, latestGoodBackup } from '../db/backup';
import { recoverFromLatestBackup } from '../services/backup';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });

function explain(dbPath: string, err: unknown, abiHint: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  return `长株潭规划工作台无法打开数据文件：\n${dbPath}\n\n原因：${msg}${abiHint}`;
}

/**
 * Open the database; when it is damaged (quick_check fails, not a database, unreadable), offer
 * the latest good backup: restore it (the damaged file is kept, renamed *.damaged-<time>) or quit.
 * Returns null when the app should quit. Tries the restore once: no loop.
 */
export async function openWithRecovery(dbPath: string, open: () => Database, abiHint = ''): Promise<Database | null> {
  try {
    return open();
  } catch (err) {
    // only a damaged file: OPEN_FAILED (a folder, no permission, …) is not helped by a backup
    const damaged = err instanceof WorkbenchDbError && err.code === 'CORRUPT';
    if (!damaged || abiHint) {
      // newer version, locked, failed migration, wrong native module: nothing to restore
      dialog.showErrorBox('无法打开数据库', `${explain(dbPath, err, abiHint)}\n\n程序将退出。数据文件未被改动；如问题持续，请联系维护人员并附上本提示。`);
      return null;
    }
    const backup = latestGoodBackup(dbPath);
    if (!backup) {
      dialog.showErrorBox(
        '无法打开数据库',
        `${explain(dbPath, err, '')}\n\n数据文件已损坏，备份文件夹中没有可用的完好备份。程序将退出，数据文件保持原样未动；请联系维护人员，或用命令行 restore 从其他备份恢复。`,
      );
      return null;
    }
    const choice = dialog.showMessageBoxSync({
      type: 'warning',
      title: '数据库已损坏',
      message: '数据文件已损坏，无法正常打开。',
      detail:
        `${explain(dbPath, err, '')}\n\n` +
        `最近一份完好的备份：${when(backup.at)}（${BACKUP_KIND_LABELS[backup.kind]}，${(backup.bytes / 1048576).toFixed(1)} MB）。\n` +
        `恢复后，该备份之后的修改将不在数据中；损坏的文件会改名保留在原文件夹（*.damaged-时间），不会删除。`,
      buttons: ['恢复此备份', '退出'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    if (choice !== 0) return null;
    try {
      const r = await recoverFromLatestBackup(dbPath);
      if (!r) throw new Error('备份文件已不可用');
      const db = open();
      dialog.showMessageBoxSync({
        type: 'info',
        title: '已恢复',
        message: `已用 ${when(r.backup.at)} 的备份恢复数据。`,
        detail: r.brokenAside ? `损坏的文件已保留为：\n${r.brokenAside}` : '',
        buttons: ['确定'],
      });
      return db;
    } catch (e) {
      dialog.showErrorBox('恢复失败', `${explain(dbPath, e, '')}\n\n程序将退出。损坏的文件和备份都已保留，请联系维护人员。`);
      return null;
    }
  }
}
