// The one place where a measure's leads change shape between this copy and the server.
// The server keeps an ORDERED list of leads (czt.measure_lead, field `leads`, encoded "[12,7]");
// this copy keeps the same list (measure_lead, audit field `leadIds`, encoded "[12,7]"; issue 21).
// An audit value from before joint leads ("12" or NULL) is read as a list of one.
import type { SyncQueries } from '../db/sync-queries';

export const MEASURE_LEADS = {
  /** the audit field that holds a measure's lead(s) here */
  localField: 'leadIds',
  /** the field name on the server */
  serverField: 'leads',
  /** a local encoded value (audit encoding) -> the server's encoded list */
  toServer(local: string | null): string {
    if (local === null) return '[]';
    const v = JSON.parse(local) as unknown;
    return JSON.stringify(Array.isArray(v) ? v.map(Number) : [Number(v)]);
  },
  /** the server's encoded list -> the local encoded value (the same ordered list) */
  toLocal(server: string | null): string | null {
    return JSON.stringify(server === null ? [] : (JSON.parse(server) as number[]).map(Number));
  },
  /** every measure's leads as rows of the server's measure_lead (server-init) */
  serverRows(q: SyncQueries): { measure_id: string; dept_id: number; ord: number }[] {
    return q.measureLeadIds();
  },
  /** the local measure row's lead column from the server's ordered leads (clone) */
  localColumns(ordered: number[] | null): { lead_id: number | null } {
    return { lead_id: ordered && ordered.length ? ordered[0] : null };
  },
  /** the local measure_lead rows of a measure (clone): each lead once, in the server's order */
  localRows(measureId: string, ordered: number[] | null): [string, number, number][] {
    return [...new Set(ordered ?? [])].map((d, i) => [measureId, d, i]);
  },
};
