// reports.*: the log of generated reports (each briefing compares with the previous one).
import { z } from 'zod';
import { channel } from '../channel';

export interface ReportLogEntry {
  id: number;
  kind: string;
  asOf: string;
  createdAt: string;
  actor: string;
  unit: string;
  params: Record<string, unknown>;
}

export const reportsChannels = {
  'reports.list': channel<ReportLogEntry[]>()(z.object({ kind: z.string().max(40).optional() }).strict()),
};
