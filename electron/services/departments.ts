// Departments: add, rename, merge, retire, restore — without breaking any allocation.
import type { City, Department, DeptLevel } from '../../shared/domain';
import type { DeptRow } from '../db/queries';
import { AuditWriter, ServiceError, type ServiceContext } from '../core/context';
import type { HandlerTable, ChannelsOf } from '../core/handlers';

function toDept(r: DeptRow, aliases: string[], usage?: { lead: number; co: number }): Department {
  return {
    id: r.id,
    name: r.name,
    level: r.level,
    city: r.city,
    state: r.state,
    mergedInto: r.merged_into,
    aliases,
    leadCount: usage?.lead ?? 0,
    coCount: usage?.co ?? 0,
  };
}

export function listDepartments(ctx: ServiceContext, includeInactive = false): Department[] {
  const aliases = new Map<number, string[]>();
  for (const a of ctx.q.aliases()) (aliases.get(a.dept_id) ?? aliases.set(a.dept_id, []).get(a.dept_id)!).push(a.alias);
  const usage = new Map(ctx.q.deptUsage().map((u) => [u.dept_id, u]));
  return ctx.q
    .depts()
    .filter((d) => includeInactive || d.state === '在用')
    .map((d) => toDept(d, aliases.get(d.id) ?? [], usage.get(d.id)));
}

export function getDepartment(ctx: ServiceContext, id: number): Department {
  const d = listDepartments(ctx, true).find((x) => x.id === id);
  if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的部门`);
  return d;
}

/** Normalise what people type: full-width spaces, surrounding blanks. */
export function normaliseDeptName(name: string): string {
  return name.replace(/[\s\u3000]+/g, '').trim();
}

/** Find a department by its name or one of its aliases (former names, full names). */
export function findDepartment(ctx: ServiceContext, name: string): DeptRow | undefined {
  const n = normaliseDeptName(name);
  let d = ctx.q.deptByName(n) ?? ctx.q.deptByAlias(n);
  // a merged department answers with the one it was merged into
  for (let hops = 0; d && d.state === '已合并' && d.merged_into !== null && hops < 20; hops++) d = ctx.q.dept(d.merged_into);
  return d;
}

function assertNameFree(ctx: ServiceContext, name: string, self?: number): void {
  const byName = ctx.q.deptByName(name);
  if (byName && byName.id !== self) throw new ServiceError('CONFLICT', `已有名为“${name}”的部门`);
  const byAlias = ctx.q.deptByAlias(name);
  if (byAlias && byAlias.id !== self) throw new ServiceError('CONFLICT', `“${name}”已是“${byAlias.name}”的别名`);
}

export function addDepartment(ctx: ServiceContext, name: string, level: DeptLevel, city: City | null): Department {
  const n = normaliseDeptName(name);
  if (!n) throw new ServiceError('VALIDATION', '部门名称不能为空');
  if ((level === '市政府' || level === '市直') && !city) throw new ServiceError('VALIDATION', '市政府和市直部门须选择所属城市');
  let id = 0;
  ctx.db.transaction(() => {
    assertNameFree(ctx, n);
    id = ctx.q.insertDept(n, level, city ?? null);
    const audit = new AuditWriter(ctx, '新增部门');
    audit.field('department', String(id), 'name', null, n);
  })();
  return getDepartment(ctx, id);
}

export function renameDepartment(ctx: ServiceContext, id: number, name: string): Department {
  const n = normaliseDeptName(name);
  if (!n) throw new ServiceError('VALIDATION', '部门名称不能为空');
  ctx.db.transaction(() => {
    const d = ctx.q.dept(id);
    if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的部门`);
    if (d.name === n) return;
    assertNameFree(ctx, n, id);
    ctx.q.removeAlias(n);
    ctx.q.renameDept(id, n);
    // the former name keeps matching, e.g. in ledgers sent out before the rename
    ctx.q.addAlias(d.name, id);
    new AuditWriter(ctx, '部门更名').field('department', String(id), 'name', d.name, n);
  })();
  return getDepartment(ctx, id);
}

/**
 * Merge `fromId` into `intoId`: every measure it leads or co-operates on moves to the target
 * (never both lead and co on one measure), its names become the target's aliases, and it is
 * kept as 已合并 so history still reads.
 */
export function mergeDepartments(ctx: ServiceContext, fromId: number, intoId: number) {
  if (fromId === intoId) throw new ServiceError('VALIDATION', '不能把部门并入它自己');
  let movedLead = 0;
  let movedCo = 0;
  ctx.db.transaction(() => {
    const from = ctx.q.dept(fromId);
    const into = ctx.q.dept(intoId);
    if (!from || !into) throw new ServiceError('NOT_FOUND', '要合并的部门不存在');
    if (into.state !== '在用') throw new ServiceError('VALIDATION', `“${into.name}”${into.state}，不能作为并入的目标`);
    if (from.state === '已合并') throw new ServiceError('VALIDATION', `“${from.name}”已经并入其他部门`);
    const audit = new AuditWriter(ctx, '合并部门');
    for (const mid of ctx.q.measuresLedBy(fromId)) {
      // in its place in the list of leads; a measure both led already keeps the first mention
      const leads = ctx.q.leadsOf(mid);
      const nextLeads = [...new Set(leads.map((d) => (d === fromId ? intoId : d)))];
      ctx.q.setLeads(mid, nextLeads);
      ctx.q.updateMeasure(mid, [], audit.at);
      audit.field('measure', mid, 'leadIds', leads, nextLeads);
      const co = ctx.q.coOf(mid);
      if (co.includes(intoId)) {
        const next = co.filter((d) => d !== intoId);
        ctx.q.setCo(mid, next);
        audit.field('measure', mid, 'coIds', co, next);
      }
      movedLead++;
    }
    for (const mid of ctx.q.measuresCoBy(fromId)) {
      const co = ctx.q.coOf(mid);
      const leads = ctx.q.leadsOf(mid);
      const next = [...new Set(co.map((d) => (d === fromId ? intoId : d)))].filter((d) => !leads.includes(d));
      ctx.q.setCo(mid, next);
      audit.field('measure', mid, 'coIds', co, next);
      movedCo++;
    }
    ctx.q.moveAliases(fromId, intoId);
    ctx.q.setDeptState(fromId, '已合并', intoId);
    audit.field('department', String(fromId), 'state', from.state, '已合并');
    audit.field('department', String(fromId), 'mergedInto', null, intoId);
  })();
  return { from: getDepartment(ctx, fromId), into: getDepartment(ctx, intoId), movedLead, movedCo };
}

/** Retire: no longer offered in pick lists; measures that name it keep it and show it as 已撤销. */
export function retireDepartment(ctx: ServiceContext, id: number): Department {
  ctx.db.transaction(() => {
    const d = ctx.q.dept(id);
    if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的部门`);
    if (d.state !== '在用') throw new ServiceError('VALIDATION', `“${d.name}”已是${d.state}状态`);
    ctx.q.setDeptState(id, '已撤销', null);
    new AuditWriter(ctx, '撤销部门').field('department', String(id), 'state', d.state, '已撤销');
  })();
  return getDepartment(ctx, id);
}

export function restoreDepartment(ctx: ServiceContext, id: number): Department {
  ctx.db.transaction(() => {
    const d = ctx.q.dept(id);
    if (!d) throw new ServiceError('NOT_FOUND', `没有编号为 ${id} 的部门`);
    if (d.state === '已合并') throw new ServiceError('VALIDATION', `“${d.name}”已并入其他部门，不能恢复；如需要请新增部门`);
    if (d.state === '在用') return;
    ctx.q.setDeptState(id, '在用', null);
    new AuditWriter(ctx, '恢复部门').field('department', String(id), 'state', d.state, '在用');
  })();
  return getDepartment(ctx, id);
}

/** The departments.* channels (shared/ipc/channels/departments.ts). */
export const departmentsHandlers: HandlerTable<ChannelsOf<'departments'>> = {
  'departments.list': (ctx, i) => listDepartments(ctx, i.includeInactive),
  'departments.add': (ctx, i) => addDepartment(ctx, i.name, i.level, i.city ?? null),
  'departments.rename': (ctx, i) => renameDepartment(ctx, i.id, i.name),
  'departments.merge': (ctx, i) => mergeDepartments(ctx, i.fromId, i.intoId),
  'departments.retire': (ctx, i) => retireDepartment(ctx, i.id),
  'departments.restore': (ctx, i) => restoreDepartment(ctx, i.id),
};
