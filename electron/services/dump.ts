// The whole database as plain JSON (CLI `dump`): chapters → sections → tasks → measures, departments.
import type { ServiceContext } from '../core/context';
import { planTree } from './plan';
import { listMeasures } from './measures';
import { listDepartments } from './departments';
import { dumpProjects } from './projects';
import { dumpIndicators } from './indicators';
import { dumpRounds } from './rounds';
import { syncStatus } from './sync';
import { roundSyncQueries } from '../db/round-sync-queries';

export function dumpDatabase(ctx: ServiceContext) {
  const depts = listDepartments(ctx, true);
  const name = new Map(depts.map((d) => [d.id, d.name]));
  const measures = listMeasures(ctx);
  const byTask = new Map<string, typeof measures>();
  for (const m of measures) (byTask.get(m.taskId) ?? byTask.set(m.taskId, []).get(m.taskId)!).push(m);
  const tree = planTree(ctx);
  const paras = (id: string) => ctx.q.paras(id).map((p) => p.text);
  return {
    title: ctx.q.getSetting('plan.title'),
    notice: paras('notice'),
    foreword: paras('foreword'),
    chapters: tree
      .filter((c) => c.kind === 'chapter')
      .map((c) => ({
        no: Number(c.id),
        title: c.title,
        lead: paras(c.id),
        sections: c.children.map((s) => ({
          no: Number(s.id.split('.')[1]),
          title: s.title,
          lead: paras(s.id),
          tasks: s.children.map((t) => ({
            id: t.id,
            title: t.title,
            text: paras(t.id).join(''),
            measures: (byTask.get(t.id) ?? []).map((m) => ({
              id: m.id,
              text: m.text,
              actionable: m.actionable,
              lead: m.leadId === null ? null : (name.get(m.leadId) ?? null),
              // every lead in order (the first is lead, 主责)
              leads: m.leadIds.map((d) => name.get(d) ?? String(d)),
              leadConfirmed: m.leadConfirmed,
              co: m.coIds.map((d) => name.get(d) ?? String(d)),
              cities: m.cities,
              deadline: m.deadline,
              status: m.status,
              progress: m.progress,
              note: m.note,
            })),
          })),
        })),
      })),
    figures: tree.filter((n) => n.id === 'figures').flatMap((f) => f.children.map((x) => ({ id: x.id, title: x.title }))),
    projects: dumpProjects(ctx),
    indicators: dumpIndicators(ctx),
    rounds: dumpRounds(ctx),
    departments: depts.map((d) => ({ id: d.id, name: d.name, level: d.level, city: d.city, state: d.state, aliases: d.aliases })),
    sync: dumpSync(ctx),
  };
}

/** The copy's link to a shared server (issue 20): server null for a copy that works alone. */
function dumpSync(ctx: ServiceContext) {
  const s = syncStatus(ctx);
  // each round's part of it: operations waiting and conflicts not yet resolved (rounds travel online too)
  return { server: s.server, lastSeq: s.lastSeq, pending: s.pending, conflicts: s.conflicts, rounds: roundSyncQueries(ctx.db).roundSyncState() };
}
