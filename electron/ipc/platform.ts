// The platform seam: what differs between the desktop app, the web bridge and the CLI (where an
// exported file goes, how an event reaches the page, whether the app can update itself). One
// router (router.ts) serves all three through it.
import type { EventName } from '../../shared/ipc/contract';
import type { Updater } from '../services/updates';
import { defaultExportDir, writeUnique } from './transfers';

export interface ShellInfo {
  shell: 'electron' | 'web';
  dbPath: string;
  version: string;
}

/** What differs between the desktop app and the web bridge: where files go. */
export interface Platform {
  /** write an exported file; Electron asks with a save dialog (null: the person cancelled) */
  saveFile(fileName: string, buffer: Buffer): Promise<string | null>;
  /** where a set of files goes (调度轮次's 下发): Electron asks with a folder dialog (null: cancelled); without it, a folder beside the exports */
  chooseFolder?(suggestedName: string): Promise<string | null>;
  /** open a file with the system's viewer for its type (佐证材料); absent where the page must download it instead */
  openFile?(file: string): Promise<boolean>;
  /** show a file this session wrote in the system's file manager; false where it can't */
  showInFolder(file: string): Promise<boolean>;
  /** push an event to the renderer (Electron: webContents.send; the bridge: its event stream) */
  emit?(event: EventName, payload: unknown): void;
  /** the desktop app's self-update (electron-updater); absent in the browser version and the CLI */
  updater?: Updater;
}

/** Without a dialog: into the export folder beside the database, never replacing a file. */
export function folderPlatform(dbPath: string): Platform {
  return {
    saveFile: async (fileName, buffer) => writeUnique(defaultExportDir(dbPath), fileName, buffer),
    showInFolder: async () => false,
  };
}

