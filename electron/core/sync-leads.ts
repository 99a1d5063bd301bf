// The one place where a measure's leads change shape between this copy and the server.
// The server keeps an ORDERED list of leads (czt.measure_lead, field `leads`, encoded "[12,7]");
// this copy keeps one lead (measure.lead_id, audit field `leadId`, encoded "12" or NULL).
// When the copy holds an ordered list too (issue 21), only this adapter changes.
import type { Database } from 'better-sqlite3';
import { measureLeadIds } from '../db/sync-queries';

export const MEASURE_LEADS = {
  /** the audit field that holds a measure's lead(s) here */
  localField: 'leadId',
  /** the field name on the server */
  serverField: 'leads',
  /** a local encoded value (audit encoding) -> the server's encoded list */
  toServer(local: string | null): string {
    return local === null ? '[]' : `[${Number(JSON.parse(local))}]`;
  },
  /** the server's encoded list -> the local encoded value: the first lead stands for the list */
  toLocal(server: string | null): string | null {
    const ids = server === null ? [] : (JSON.parse(server) as number[]);
    return ids.length ? String(ids[0]) : null;
  },
  /** every measure's leads as rows of the server's measure_lead (server-init) */
  serverRows(db: Database): { measure_id: string; dept_id: number; ord: number }[] {
    return measureLeadIds(db)
      .filter((m) => m.lead_id !== null)
      .map((m) => ({ measure_id: m.id, dept_id: m.lead_id!, ord: 0 }));
  },
  /** the local measure row's lead column from the server's ordered leads (clone) */
  localColumns(ordered: number[] | null): { lead_id: number | null } {
    return { lead_id: ordered && ordered.length ? ordered[0] : null };
  },
};
