// The Chinese application menu. Roles keep the native behaviour (clipboard, zoom); labels are
// set explicitly so nothing shows in English. 撤销/重做 and the page items send a
// 'menu.command' event instead: the renderer decides between a text field's own undo and the
// grid's undo stack. Their accelerators are shown but not registered, so Ctrl+Z / Ctrl+Y reach
// the page as ordinary key presses and are handled there once.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export const APP_TITLE = '长株潭规划工作台';

export const MENU_EVENT_CHANNEL = 'czt:event:menu.command';

/**
 * Developer tools only in development: `electron-vite dev` (it sets ELECTRON_RENDERER_URL) or an
 * explicit CZT_DEVTOOLS=1, never in a packaged app. "Not packaged" alone is not development: an
 * unpacked copy run by hand is the app as staff use it, and devtools there reach the page's IPC.
 */
export function devToolsEnabled(env: NodeJS.ProcessEnv = process.env, packaged = app.isPackaged): boolean {
  return !packaged && (env.CZT_DEVTOOLS === '1' || !!env.ELECTRON_RENDERER_URL);
}

export function buildMenu(getWindow: () => BrowserWindow | null): Menu {
  const send = (command: string) => getWindow()?.webContents.send(MENU_EVENT_CHANNEL, command);
  const command = (label: string, cmd: string, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: () => send(cmd),
  });
  const about = async () => {
    const win = getWindow();
    const opts = {
      type: 'info' as const,
      title: `关于${APP_TITLE}`,
      message: APP_TITLE,
      detail: [
        `版本 ${app.getVersion()}`,
        '长株潭都市圈发展规划 任务分工与推进工作台',
        `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
        `数据文件：${app.getPath('userData')}`,
      ].join('\n'),
      buttons: ['确定'],
    };
    if (win) await dialog.showMessageBox(win, opts);
    else await dialog.showMessageBox(opts);
  };

  const template: MenuItemConstructorOptions[] = [];
  if (process.platform === 'darwin') {
    template.push({
      label: APP_TITLE,
      submenu: [
        { label: `关于${APP_TITLE}`, click: () => void about() },
        { type: 'separator' },
        { role: 'hide', label: '隐藏' },
        { role: 'hideOthers', label: '隐藏其他' },
        { role: 'unhide', label: '全部显示' },
        { type: 'separator' },
        { role: 'quit', label: '退出' },
      ],
    });
  }
  template.push(
    {
      label: '文件',
      submenu: [{ role: 'quit', label: '退出', accelerator: 'CmdOrCtrl+Q' }],
    },
    {
      label: '编辑',
      submenu: [
        command('撤销', 'undo', 'CmdOrCtrl+Z'),
        command('重做', 'redo', 'CmdOrCtrl+Y'),
        { type: 'separator' },
        { role: 'cut', label: '剪切' },
        { role: 'copy', label: '复制' },
        { role: 'paste', label: '粘贴' },
        { type: 'separator' },
        { role: 'selectAll', label: '全选' },
      ],
    },
    {
      label: '转到',
      submenu: [
        command('统计看板', 'nav:dashboard'),
        command('规划全文', 'nav:plan'),
        command('任务分工', 'nav:alloc'),
        command('重点项目', 'nav:projects'),
        command('目标指标', 'nav:indicators'),
        command('方案起草', 'nav:drafts'),
        command('导出', 'nav:export'),
        command('导入', 'nav:import'),
        command('部门管理', 'nav:depts'),
        command('操作记录', 'nav:history'),
        command('设置', 'nav:settings'),
        { type: 'separator' },
        command('检索规划全文', 'find', 'CmdOrCtrl+F'),
      ],
    },
    {
      label: '视图',
      submenu: [
        { role: 'reload', label: '重新加载' },
        { type: 'separator' },
        { role: 'resetZoom', label: '实际大小' },
        { role: 'zoomIn', label: '放大' },
        { role: 'zoomOut', label: '缩小' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: '全屏' },
        ...(!devToolsEnabled() ? [] : ([{ type: 'separator' }, { role: 'toggleDevTools', label: '开发者工具' }] as MenuItemConstructorOptions[])),
      ],
    },
    {
      label: '帮助',
      submenu: [{ label: '关于', click: () => void about() }],
    },
  );
  return Menu.buildFromTemplate(template);
}
