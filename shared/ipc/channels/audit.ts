// audit.*: the change log (修改记录): filtered list, filter options, restoring one field's old value.
import { z } from 'zod';
import type { AuditEntry } from '../../domain';
import { channel } from '../channel';
import { empty, isoDate } from './common';

export interface AuditFacets {
  actors: { actor: string; unit: string }[];
  ops: string[];
  tables: string[];
}

export interface FieldRestoreResult {
  opId: string;
  fields: number;
  measureIds: string[];
  projectIds: string[];
  departmentIds: number[];
  indicatorIds: string[];
}

export const auditChannels = {
  'audit.list': channel<AuditEntry[]>()(
    z
      .object({
        rowId: z.string().max(40).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
        table: z.string().max(40).optional(),
        actor: z.string().max(40).optional(),
        unit: z.string().max(80).optional(),
        op: z.string().max(40).optional(),
        opId: z.string().max(40).optional(),
        field: z.string().max(60).optional(),
        /** YYYY-MM-DD, inclusive */
        from: isoDate.optional(),
        to: isoDate.optional(),
        beforeId: z.number().int().positive().optional(),
      })
      .strict(),
  ),
  /** the people, operations and tables the history filters offer */
  'audit.facets': channel<AuditFacets>()(empty),
  /** set the field of one audit entry back to its value before that change (op 恢复历史值) */
  'audit.restore': channel<FieldRestoreResult>()(z.object({ auditId: z.number().int().positive() }).strict()),
};
