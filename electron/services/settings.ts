import type { UserIdentity } from '../../shared/domain';
import { AuditWriter, getIdentity, type ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handlers';

export { getIdentity };

export function setIdentity(ctx: ServiceContext, who: UserIdentity): UserIdentity {
  const clean = { name: who.name.trim(), unit: who.unit.trim() };
  ctx.db.transaction(() => {
    const old = getIdentity(ctx);
    ctx.q.setSetting('user.identity', JSON.stringify(clean));
    const audit = new AuditWriter(ctx, '设置使用人');
    audit.field('setting', 'user.identity', 'name', old?.name ?? null, clean.name);
    audit.field('setting', 'user.identity', 'unit', old?.unit ?? null, clean.unit);
  })();
  return clean;
}

/** The identity channels of settings.* (shared/ipc/channels/settings.ts). */
export const identityHandlers: HandlerTable<'settings.getIdentity' | 'settings.setIdentity'> = {
  'settings.getIdentity': (ctx) => getIdentity(ctx),
  'settings.setIdentity': (ctx, i) => setIdentity(ctx, i),
};
