// The Word template (margins, fonts, line grid) as saved in settings under 'doc.template'.
import { DEFAULT_TEMPLATE, docTemplateSchema, withTemplateDefaults, type DocTemplate } from '../../shared/template';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handlers';

export const TEMPLATE_SETTING_KEY = 'doc.template';

/** The saved template, or the GB/T 9704-2012 defaults; a damaged stored value falls back to the defaults. */
export function getTemplate(ctx: ServiceContext): DocTemplate {
  const raw = ctx.q.getSetting(TEMPLATE_SETTING_KEY);
  if (!raw) return { ...DEFAULT_TEMPLATE };
  try {
    const parsed = docTemplateSchema.safeParse(withTemplateDefaults(JSON.parse(raw) as Partial<DocTemplate>));
    return parsed.success ? parsed.data : { ...DEFAULT_TEMPLATE };
  } catch {
    return { ...DEFAULT_TEMPLATE };
  }
}

/** Validate and save a template; one audit row per changed value. */
export function setTemplate(ctx: ServiceContext, t: DocTemplate): DocTemplate {
  const parsed = docTemplateSchema.safeParse(t);
  if (!parsed.success) {
    throw new ServiceError('VALIDATION', parsed.error.issues.map((i) => i.message).join('；'));
  }
  const next = parsed.data;
  ctx.db.transaction(() => {
    const old = getTemplate(ctx);
    ctx.q.setSetting(TEMPLATE_SETTING_KEY, JSON.stringify(next));
    const audit = new AuditWriter(ctx, '修改公文模板');
    for (const key of Object.keys(next) as (keyof DocTemplate)[]) {
      if (old[key] !== next[key]) audit.field('setting', TEMPLATE_SETTING_KEY, key, old[key], next[key]);
    }
  })();
  return next;
}

/** Back to the GB/T 9704-2012 defaults. */
export function resetTemplate(ctx: ServiceContext): DocTemplate {
  return setTemplate(ctx, { ...DEFAULT_TEMPLATE });
}

/** The Word template channels of settings.* (shared/ipc/channels/settings.ts). */
export const templateHandlers: HandlerTable<'settings.getTemplate' | 'settings.setTemplate' | 'settings.resetTemplate'> = {
  'settings.getTemplate': (ctx) => getTemplate(ctx),
  'settings.setTemplate': (ctx, i) => setTemplate(ctx, i),
  'settings.resetTemplate': (ctx) => resetTemplate(ctx),
};
