// Persistent undo/redo per person, and setting fields back to values from the audit trail.
//
// An operation is one audit op_id (one applyEdits call, one import, one project edit …).
// Undo writes the old values of all its fields back in ONE transaction through the same
// services that made the change (applyEdits, updateProjects, the department and indicator
// services), so validation and the audit trail are the usual ones; the audit rows that writes
// get one op_id and the op name 撤销 (or 重做), and a row in undo_step links that to the
// operation it reversed. The position therefore lives in the database and survives a restart.
//
// A change that somebody else made later to one of the same fields is never overwritten:
// the undo is refused with a Chinese message naming who changed what.
import { randomUUID } from 'node:crypto';
import type { City, MeasurePatch, Status } from '../../shared/domain';
import type { ProjectPatch } from '../../shared/projects';
import type { AuditRow } from '../db/queries';
import type { OpSummaryRow } from '../db/audit-queries';
import { getIdentity, ServiceError, type ServiceContext } from '../core/context';
import { applyEdits, getMeasure } from './measures';
import { deleteProject, getProject, restoreProject, updateProjects } from './projects';
import { renameDepartment, restoreDepartment, retireDepartment } from './departments';
import { setActual } from './indicators';
import { AUDIT_TABLE_LABELS, MEASURE_AUDIT_FIELDS, PROJECT_AUDIT_FIELDS, auditFieldLabel } from '../../shared/audit-labels';
import type { HandlerTable, ChannelsOf } from '../core/handlers';
import type { UndoResult, UndoState } from '../../shared/ipc/contract';

export const UNDO_OP = '撤销';
export const REDO_OP = '重做';
export const RESTORE_OP = '恢复历史值';

/** How far back a person's own operations are considered. */
const DEPTH = 200;

// ---------------------------------------------------------------- values


const where = (tbl: string, rowId: string, field: string) => `${AUDIT_TABLE_LABELS[tbl] ?? tbl} ${rowId} 的“${auditFieldLabel(tbl, field)}”`;

/** Encode a value exactly as AuditWriter does, to compare with what the audit recorded. */
function enc(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function decodeJson<T>(s: string | null, fallback: T): T {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}
const num = (s: string | null): number | null => (s === null ? null : Number(decodeJson<number | null>(s, null)));

/** The current value of one audited field, encoded like the audit (undefined: the row is gone). */
function currentValue(ctx: ServiceContext, tbl: string, rowId: string, field: string): string | null | undefined {
  try {
    if (tbl === 'measure') {
      const m = getMeasure(ctx, rowId) as unknown as Record<string, unknown>;
      return enc(m[field]);
    }
    if (tbl === 'project') {
      const p = getProject(ctx, rowId);
      const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(field);
      if (y) {
        const plan = p.yearPlans.find((x) => x.year === Number(y[1]));
        return enc(plan ? plan[y[2] as 'planned' | 'completed'] : null);
      }
      return enc((p as unknown as Record<string, unknown>)[field]);
    }
    if (tbl === 'department') {
      const d = ctx.q.dept(Number(rowId));
      if (!d) return undefined;
      if (field === 'name') return d.name;
      if (field === 'state') return d.state;
      if (field === 'mergedInto') return enc(d.merged_into);
      return undefined;
    }
    if (tbl === 'indicator_actual') {
      const m = /^(\d{4})\.(value|source|note)$/.exec(field);
      if (!m) return undefined;
      const a = ctx.q.projects.actual(rowId, Number(m[1]));
      if (!a) return null;
      return enc(a[m[2] as 'value' | 'source' | 'note']);
    }
  } catch (e) {
    if (e instanceof ServiceError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  }
  return undefined;
}

export interface FieldValue {
  tbl: string;
  rowId: string;
  field: string;
  /** encoded as in the audit */
  value: string | null;
}

/** Why a set of field values cannot be written by this module (null: it can). */
function unsupported(changes: FieldValue[]): string | null {
  for (const c of changes) {
    if (c.tbl === 'setting') return '设置的修改不能在此撤销或恢复，请在“设置”中修改';
    if (c.tbl === 'department' && (c.field === 'mergedInto' || c.value === '已合并')) return '部门合并不能撤销；如需要，请新增部门并重新分工';
    if (c.tbl === 'measure' && !(c.field in MEASURE_AUDIT_FIELDS)) return `措施字段“${c.field}”不能恢复`;
    if (c.tbl === 'project' && !(c.field in PROJECT_AUDIT_FIELDS) && !/^yearPlan\.\d{4}\.(planned|completed)$/.test(c.field)) return `项目字段“${c.field}”不能恢复`;
    if (c.tbl === 'indicator_actual' && !/^\d{4}\.(value|source|note)$/.test(c.field)) return `指标字段“${c.field}”不能恢复`;
    if (!['measure', 'project', 'department', 'indicator_actual'].includes(c.tbl)) return `“${c.tbl}”的修改不能撤销`;
  }
  return null;
}

interface Touched {
  measureIds: Set<string>;
  projectIds: Set<string>;
  departmentIds: Set<number>;
  indicatorIds: Set<string>;
}

/**
 * Write these field values through the services, inside the caller's transaction. Every
 * service writes its own audit rows; the caller relabels them as one operation.
 */
function writeValues(ctx: ServiceContext, changes: FieldValue[], op: string): Touched {
  const t: Touched = { measureIds: new Set(), projectIds: new Set(), departmentIds: new Set(), indicatorIds: new Set() };
  // departments first: a measure may name a department this brings back into use
  const deps = changes.filter((c) => c.tbl === 'department');
  for (const c of deps) {
    const id = Number(c.rowId);
    t.departmentIds.add(id);
    if (c.field === 'state') {
      if (c.value === '在用') restoreDepartment(ctx, id);
      else if (c.value === '已撤销') {
        const d = ctx.q.dept(id);
        if (d && d.state !== '已撤销') retireDepartment(ctx, id);
      }
    } else if (c.field === 'name') {
      // a department the operation added: taking it back retires it (soft), bringing it back restores it
      if (c.value === null) {
        const d = ctx.q.dept(id);
        if (d && d.state === '在用') retireDepartment(ctx, id);
      } else {
        const d = ctx.q.dept(id);
        if (d && d.name !== c.value) renameDepartment(ctx, id, c.value);
      }
    }
  }

  const measures = new Map<string, MeasurePatch>();
  for (const c of changes.filter((x) => x.tbl === 'measure')) {
    const p = measures.get(c.rowId) ?? {};
    switch (c.field) {
      case 'leadIds':
        p.leadIds = decodeJson<number[]>(c.value, []);
        break;
      case 'leadId': {
        // an audit row from before joint leads (migration 10): the measure had this one lead
        const lead = num(c.value);
        p.leadIds = lead === null ? [] : [lead];
        break;
      }
      case 'leadConfirmed':
        p.leadConfirmed = decodeJson<boolean>(c.value, false);
        break;
      case 'coIds':
        p.coIds = decodeJson<number[]>(c.value, []);
        break;
      case 'cities':
        p.cities = decodeJson<City[]>(c.value, []);
        break;
      case 'deadline':
        p.deadline = c.value;
        break;
      case 'status':
        p.status = c.value as Status;
        break;
      case 'progress':
        p.progress = c.value ?? '';
        break;
      case 'note':
        p.note = c.value ?? '';
        break;
    }
    measures.set(c.rowId, p);
  }
  if (measures.size) {
    const edits = [...measures].map(([measureId, patch]) => {
      // setting a lead would otherwise also confirm it: keep the confirmation as it is unless recorded
      if (patch.leadIds !== undefined && patch.leadConfirmed === undefined) patch.leadConfirmed = getMeasure(ctx, measureId).leadConfirmed;
      return { measureId, patch };
    });
    for (const r of applyEdits(ctx, edits, op)) t.measureIds.add(r.id);
    for (const e of edits) t.measureIds.add(e.measureId);
  }

  const projects = new Map<string, ProjectPatch & { yearPlans?: { year: number; planned?: number | null; completed?: number | null }[] }>();
  const projectDeleted = new Map<string, boolean>();
  for (const c of changes.filter((x) => x.tbl === 'project')) {
    t.projectIds.add(c.rowId);
    if (c.field === 'deleted') {
      projectDeleted.set(c.rowId, decodeJson<boolean>(c.value, false));
      continue;
    }
    if (c.field === 'source') {
      // the operation added this project: undo deletes it (soft), redo brings it back
      projectDeleted.set(c.rowId, c.value === null);
      continue;
    }
    const p = projects.get(c.rowId) ?? {};
    const y = /^yearPlan\.(\d{4})\.(planned|completed)$/.exec(c.field);
    if (y) {
      const year = Number(y[1]);
      p.yearPlans = p.yearPlans ?? [];
      let e = p.yearPlans.find((x) => x.year === year);
      if (!e) p.yearPlans.push((e = { year }));
      e[y[2] as 'planned' | 'completed'] = num(c.value);
    } else if (c.field === 'cities' || c.field === 'linkedTaskIds') {
      (p as Record<string, unknown>)[c.field] = decodeJson<string[]>(c.value, []);
    } else if (['startYear', 'endYear', 'totalInvestment', 'leadId'].includes(c.field)) {
      (p as Record<string, unknown>)[c.field] = num(c.value);
    } else if (c.field === 'taskId') {
      p.taskId = c.value;
    } else {
      (p as Record<string, unknown>)[c.field] = c.value ?? '';
    }
    projects.set(c.rowId, p);
  }
  // bring back before editing, delete after editing: a deleted project refuses edits
  for (const [id, del] of projectDeleted) if (!del && getProject(ctx, id).deleted) restoreProject(ctx, id);
  const projectEdits = [...projects]
    .filter(([id]) => !(projectDeleted.get(id) === true && getProject(ctx, id).deleted))
    .map(([projectId, patch]) => ({ projectId, patch: patch as ProjectPatch }));
  if (projectEdits.length) updateProjects(ctx, projectEdits, op);
  for (const [id, del] of projectDeleted) if (del && !getProject(ctx, id).deleted) deleteProject(ctx, id);

  const indicators = new Map<string, Map<number, { value?: string | null; source?: string | null; note?: string | null }>>();
  for (const c of changes.filter((x) => x.tbl === 'indicator_actual')) {
    const m = /^(\d{4})\.(value|source|note)$/.exec(c.field)!;
    const years = indicators.get(c.rowId) ?? new Map();
    const e = years.get(Number(m[1])) ?? {};
    e[m[2] as 'value' | 'source' | 'note'] = c.value;
    years.set(Number(m[1]), e);
    indicators.set(c.rowId, years);
  }
  const pq = ctx.q.projects;
  for (const [id, years] of indicators) {
    t.indicatorIds.add(id);
    for (const [year, e] of years) {
      const cur = pq.actual(id, year);
      const value = e.value !== undefined ? num(e.value) : (cur?.value ?? null);
      const source = e.source !== undefined ? (e.source ?? '') : (cur?.source ?? '');
      const note = e.note !== undefined ? (e.note ?? '') : (cur?.note ?? '');
      setActual(ctx, id, year, value, source, note);
    }
  }
  return t;
}

function who(ctx: ServiceContext) {
  return ctx.actor ?? getIdentity(ctx) ?? { name: '未登记', unit: '未登记' };
}

/**
 * Apply field values as ONE audited operation named `op` (all or nothing). Returns its op_id.
 * Used by undo, redo and the history's 恢复历史值.
 */
export function applyFieldValues(ctx: ServiceContext, changes: FieldValue[], op: string): { opId: string; fields: number; touched: Touched } {
  const why = unsupported(changes);
  if (why) throw new ServiceError('VALIDATION', why);
  const opId = randomUUID();
  let fields = 0;
  let touched!: Touched;
  ctx.db.transaction(() => {
    const before = ctx.q.audit.maxId();
    try {
      touched = writeValues(ctx, changes, op);
    } catch (e) {
      if (e instanceof ServiceError) throw new ServiceError(e.code, `无法${op}：${e.message}`);
      throw e;
    }
    fields = ctx.q.audit.relabelSince(before, opId, op);
  })();
  return { opId, fields, touched };
}

// ---------------------------------------------------------------- undo / redo

interface Candidate extends OpSummaryRow {
  rows: AuditRow[];
}

function candidates(ctx: ServiceContext) {
  const me = who(ctx);
  const ops = ctx.q.audit.ownOps(me.name, me.unit, DEPTH);
  const steps = ctx.q.audit.lastSteps(ops.map((o) => o.op_id));
  return { me, ops, steps };
}

/** The first field set of an op per (table, row, field): old of the first row, new of the last. */
function fieldsOf(rows: AuditRow[]): { tbl: string; rowId: string; field: string; old: string | null; new: string | null }[] {
  const m = new Map<string, { tbl: string; rowId: string; field: string; old: string | null; new: string | null }>();
  for (const r of rows) {
    const k = `${r.tbl}\u0000${r.row_id}\u0000${r.field}`;
    const e = m.get(k);
    if (e) e.new = r.new_value;
    else m.set(k, { tbl: r.tbl, rowId: r.row_id, field: r.field, old: r.old_value, new: r.new_value });
  }
  // An operation that created a row (a project or department added) is taken back by a soft
  // delete and brought back by restoring it: only the deleted/state field stands for that row.
  const created = new Set<string>();
  for (const f of m.values()) {
    if (f.old !== null) continue;
    if (f.tbl === 'project' && f.field === 'source') created.add(`project\u0000${f.rowId}`);
    if (f.tbl === 'department' && f.field === 'name') created.add(`department\u0000${f.rowId}`);
  }
  const out = [...m.values()].filter((f) => !created.has(`${f.tbl}\u0000${f.rowId}`));
  for (const k of created) {
    const [tbl, rowId] = k.split('\u0000');
    if (tbl === 'project') out.push({ tbl, rowId, field: 'deleted', old: 'true', new: 'false' });
    else out.push({ tbl, rowId, field: 'state', old: '已撤销', new: '在用' });
  }
  return out;
}

function undoable(ctx: ServiceContext, op: OpSummaryRow): Candidate | null {
  const rows = ctx.q.audit.ofOp(op.op_id);
  const fs = fieldsOf(rows);
  if (unsupported(fs.map((f) => ({ tbl: f.tbl, rowId: f.rowId, field: f.field, value: f.old })))) return null;
  return { ...op, rows };
}

function findUndo(ctx: ServiceContext): Candidate | null {
  const { ops, steps } = candidates(ctx);
  for (const o of ops) {
    if (steps.get(o.op_id)?.kind === 'undo') continue;
    const c = undoable(ctx, o);
    if (c) return c;
  }
  return null;
}

function findRedo(ctx: ServiceContext): Candidate | null {
  const { ops, steps } = candidates(ctx);
  // the most recently undone operation, unless the person has done something new since
  let best: { op: OpSummaryRow; step: { id: number; audit_to: number } } | null = null;
  for (const o of ops) {
    const s = steps.get(o.op_id);
    if (s?.kind === 'undo' && (!best || s.id > best.step.id)) best = { op: o, step: s };
  }
  if (!best) return null;
  const newest = ops[0];
  if (newest && newest.last_id > best.step.audit_to) return null;
  return undoable(ctx, best.op);
}

const label = (c: Candidate) => `${c.op}（${c.n} 处修改，${new Date(c.at).toLocaleString('zh-CN', { hour12: false })}）`;

export function undoState(ctx: ServiceContext): UndoState {
  const u = findUndo(ctx);
  const r = findRedo(ctx);
  return {
    canUndo: !!u,
    undoLabel: u ? label(u) : null,
    undoOpId: u?.op_id ?? null,
    canRedo: !!r,
    redoLabel: r ? label(r) : null,
    redoOpId: r?.op_id ?? null,
  };
}

function conflicts(ctx: ServiceContext, c: Candidate, kind: 'undo' | 'redo', afterId: number): string | null {
  const me = who(ctx);
  for (const f of fieldsOf(c.rows)) {
    // a one-lead change from before joint leads (field leadId) is the same field as a later change of the list
    const same = f.tbl === 'measure' && f.field === 'leadId' ? ['leadId', 'leadIds'] : [f.field];
    const later = same
      .flatMap((field) => ctx.q.audit.laterChanges(f.tbl, f.rowId, field, afterId))
      .sort((a, b) => a.id - b.id)
      .find((r) => r.actor !== me.name || r.unit !== me.unit);
    if (later) {
      const at = new Date(later.at).toLocaleString('zh-CN', { hour12: false });
      return `${where(f.tbl, f.rowId, f.field)}已被 ${later.actor}（${later.unit}）于 ${at} 修改（${later.op}）。为免覆盖他人的修改，未${kind === 'undo' ? '撤销' : '重做'}；如确需要，请在操作记录中逐项恢复。`;
    }
    const expected = kind === 'undo' ? f.new : f.old;
    const now = currentValue(ctx, f.tbl, f.rowId, f.field);
    if (now === undefined) return `${where(f.tbl, f.rowId, f.field)}已不存在，不能${kind === 'undo' ? '撤销' : '重做'}。`;
    if (now !== expected) {
      return `${where(f.tbl, f.rowId, f.field)}在该操作之后又被改动过（现为“${now ?? '空'}”），为免覆盖后来的修改，未${kind === 'undo' ? '撤销' : '重做'}。`;
    }
  }
  return null;
}

function run(ctx: ServiceContext, kind: 'undo' | 'redo'): UndoResult {
  const me = who(ctx);
  let result!: UndoResult;
  ctx.db.transaction(() => {
    const c = kind === 'undo' ? findUndo(ctx) : findRedo(ctx);
    if (!c) throw new ServiceError('NOT_FOUND', kind === 'undo' ? `${me.name}没有可撤销的操作` : `${me.name}没有可重做的操作`);
    // for a redo, the fields must not have moved since the undo that took them back
    const afterId = kind === 'undo' ? c.last_id : ctx.q.audit.lastSteps([c.op_id]).get(c.op_id)!.audit_to;
    const why = conflicts(ctx, c, kind, afterId);
    if (why) throw new ServiceError('CONFLICT', why);
    const values = fieldsOf(c.rows).map((f) => ({ tbl: f.tbl, rowId: f.rowId, field: f.field, value: kind === 'undo' ? f.old : f.new }));
    const opName = kind === 'undo' ? UNDO_OP : REDO_OP;
    const r = applyFieldValues(ctx, values, opName);
    ctx.q.audit.insertUndoStep({
      op_id: c.op_id,
      kind,
      by_op_id: r.opId,
      actor: me.name,
      unit: me.unit,
      at: new Date().toISOString(),
      audit_to: ctx.q.audit.maxId(),
    });
    result = {
      opId: c.op_id,
      op: c.op,
      byOpId: r.opId,
      fields: r.fields,
      measureIds: [...r.touched.measureIds],
      projectIds: [...r.touched.projectIds],
      departmentIds: [...r.touched.departmentIds],
      indicatorIds: [...r.touched.indicatorIds],
      state: null as unknown as UndoState,
    };
  })();
  result.state = undoState(ctx);
  return result;
}

/** Undo the person's most recent operation that is not undone yet. */
export function undo(ctx: ServiceContext): UndoResult {
  return run(ctx, 'undo');
}

/** Redo the operation the person undid last, unless they have done something new since. */
export function redo(ctx: ServiceContext): UndoResult {
  return run(ctx, 'redo');
}

/** The undo.* channels: the person's own undo/redo (shared/ipc/channels/undo.ts). */
export const undoHandlers: HandlerTable<ChannelsOf<'undo'>> = {
  'undo.state': (ctx) => undoState(ctx),
  'undo.undo': (ctx) => undo(ctx),
  'undo.redo': (ctx) => redo(ctx),
};
