// updates.*: the intranet update folder (设置 › 程序更新) and what this shell can do with it.
import { z } from 'zod';
import { updateUrlSchema, type UpdateCheck, type UpdateConfig, type UpdateDownloaded } from '../../updates';
import { channel } from '../channel';
import { empty } from './common';

export const updatesChannels = {
  'updates.getConfig': channel<UpdateConfig>()(empty),
  'updates.setUrl': channel<UpdateConfig>()(z.object({ url: updateUrlSchema.nullable() }).strict()),
  /** look in the folder for a newer version (nothing is downloaded) */
  'updates.check': channel<UpdateCheck>()(empty),
  /** download the newer version (updates.progress events), verified, installed when the app quits */
  'updates.download': channel<UpdateDownloaded>()(empty),
};
