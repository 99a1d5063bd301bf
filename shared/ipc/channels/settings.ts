// settings.*: the Word template and the person's identity (who the audit names).
import { z } from 'zod';
import type { UserIdentity } from '../../domain';
import { docTemplateSchema, type DocTemplate } from '../../template';
import { channel } from '../channel';
import { empty, nonEmpty } from './common';

export const identitySchema = z.object({ name: nonEmpty(40), unit: nonEmpty(80) }).strict();

export const settingsChannels = {
  'settings.getTemplate': channel<DocTemplate>()(empty),
  'settings.setTemplate': channel<DocTemplate>()(docTemplateSchema),
  'settings.resetTemplate': channel<DocTemplate>()(empty),
  'settings.getIdentity': channel<UserIdentity | null>()(empty),
  'settings.setIdentity': channel<UserIdentity>()(identitySchema),
};
