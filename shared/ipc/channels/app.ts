// app.*: what the page asks about the program itself.
import { channel } from '../channel';
import { empty } from './common';

export interface AppInfo {
  version: string;
  dbPath: string;
  /** 'electron' inside the desktop app, 'web' through the test bridge */
  shell: 'electron' | 'web';
  measureCount: number;
}

export const appChannels = {
  'app.info': channel<AppInfo>()(empty),
};
