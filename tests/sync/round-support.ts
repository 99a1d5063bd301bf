// The rounds' synced fields of a copy and of the server, keyed "tbl row field" as the operations
// name them, values parsed and written with sorted keys (the server's jsonb orders keys its own
// way): two copies, or a copy and the server, hold the same rounds when these maps are equal.
import pg from 'pg';
import type { Database } from 'better-sqlite3';
import { syncQueries } from '../../electron/db/sync-queries';
import { eventKey, evidenceKey, type EventCols } from '../../electron/db/round-sync-queries';
import type { ServiceContext } from '../../electron/core/context';
import { buildReminders, recordReminder } from '../../electron/import/round-files';

const canon = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
/** a value as compared: JSON values with their keys sorted, plain text as it is */
export function canonical(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  try {
    return JSON.stringify(canon(JSON.parse(v)));
  } catch {
    return v;
  }
}

interface Keys {
  rounds: number[];
  depts: [number, number][];
  subs: [number, string][];
  reports: [number, string, string][];
  events: EventCols[];
  evidence: [number, number, string, string | null][];
}

function fieldsOf(k: Keys): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const r of k.rounds) out.push(['round', String(r), 'row'], ['round', String(r), 'close']);
  for (const [r, d] of k.depts) for (const f of ['state', 'reminded', 'distributedAt']) out.push(['round_dept', `${r}|${d}`, f]);
  for (const [r, s] of k.subs) out.push(['round_submission', `${r}|${s}`, 'row']);
  for (const [r, s, m] of k.reports) out.push(['round_report', `${r}|${s}|${m}`, 'review']);
  for (const e of k.events) out.push(['round_event', eventKey(e), 'row']);
  for (const [r, d, s, m] of k.evidence) out.push(['round_evidence', evidenceKey(r, d, s, m), 'row']);
  for (const f of ['base', 'notReported', 'late', 'lagging', 'completed']) out.push(['setting', 'rounds.scoreRules', f]);
  return out;
}

export function localRounds(db: Database): Map<string, string | null> {
  const all = <T>(sql: string) => db.prepare(sql).raw().all() as T[];
  const keys: Keys = {
    rounds: all<[number]>('SELECT id FROM round').map((r) => r[0]),
    depts: all('SELECT round_id, dept_id FROM round_dept'),
    subs: all('SELECT round_id, sha256 FROM round_submission'),
    reports: all('SELECT s.round_id, s.sha256, r.measure_id FROM round_report r JOIN round_submission s ON s.id = r.submission_id'),
    events: db.prepare('SELECT round_id, dept_id, kind, at, actor, detail FROM round_event').all() as EventCols[],
    evidence: all('SELECT round_id, dept_id, sha256, measure_id FROM round_evidence'),
  };
  return new Map(fieldsOf(keys).map(([t, r, f]) => [`${t} ${r} ${f}`, canonical(syncQueries(db).localFieldValue(t, r, f))]));
}

export async function serverRounds(url: string): Promise<Map<string, string | null>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const all = async <T>(sql: string) => (await c.query({ text: sql, rowMode: 'array' })).rows as T[];
    const keys: Keys = {
      rounds: (await all<[number]>('SELECT id FROM czt.round')).map((r) => r[0]),
      depts: await all('SELECT round_id, dept_id FROM czt.round_dept'),
      subs: await all('SELECT round_id, sha256 FROM czt.round_submission'),
      reports: await all('SELECT s.round_id, s.sha256, r.measure_id FROM czt.round_report r JOIN czt.round_submission s ON s.id = r.submission_id'),
      events: (await c.query('SELECT round_id, dept_id, kind, at, actor, detail FROM czt.round_event')).rows as EventCols[],
      evidence: await all('SELECT round_id, dept_id, sha256, measure_id FROM czt.round_evidence'),
    };
    const fields = fieldsOf(keys);
    const r = await c.query('SELECT t, r, f, czt.field_get(t, r, f) AS v FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, f)', [
      fields.map((x) => x[0]),
      fields.map((x) => x[1]),
      fields.map((x) => x[2]),
    ]);
    return new Map(r.rows.map((x: { t: string; r: string; f: string; v: string | null }) => [`${x.t} ${x.r} ${x.f}`, canonical(x.v)]));
  } finally {
    await c.end();
  }
}

/** 催办 as the app does it, every notice taken as saved (buildReminders, then recordReminder each). */
export async function remindRound(ctx: ServiceContext, roundId: number, opts: { deptIds?: number[]; combined?: boolean }): Promise<void> {
  for (const doc of await buildReminders(ctx, roundId, opts)) recordReminder(ctx, roundId, doc, () => undefined);
}
