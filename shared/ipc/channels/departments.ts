// departments.*: the directory of units (单位名录): list, add, rename, merge, retire, restore.
import { z } from 'zod';
import { CITIES, DEPT_LEVELS, type Department } from '../../domain';
import { channel } from '../channel';
import { deptId, nonEmpty } from './common';

export interface MergeResult {
  from: Department;
  into: Department;
  movedLead: number;
  movedCo: number;
}

export const departmentsChannels = {
  'departments.list': channel<Department[]>()(z.object({ includeInactive: z.boolean().optional() }).strict()),
  'departments.add': channel<Department>()(
    z.object({ name: nonEmpty(60), level: z.enum(DEPT_LEVELS), city: z.enum(CITIES).nullable().optional() }).strict(),
  ),
  'departments.rename': channel<Department>()(z.object({ id: deptId, name: nonEmpty(60) }).strict()),
  'departments.merge': channel<MergeResult>()(z.object({ fromId: deptId, intoId: deptId }).strict()),
  'departments.retire': channel<Department>()(z.object({ id: deptId }).strict()),
  'departments.restore': channel<Department>()(z.object({ id: deptId }).strict()),
};
