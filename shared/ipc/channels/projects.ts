// projects.* and indicators.*: the project ledger (重大项目) and the plan's indicators.
import { z } from 'zod';
import { projectAddSchema, projectIdSchema, projectUpdateSchema, setActualSchema, type IndicatorRow, type Project } from '../../projects';
import { channel } from '../channel';
import { empty, projectYear } from './common';

export const projectsChannels = {
  /** 20,000 projects take long to read: from a size on, in the read worker */
  'projects.list': channel<Project[]>()(z.object({ includeDeleted: z.boolean().optional(), year: projectYear.optional() }).strict(), {
    worker: { kind: 'read', sizeBy: 'projects' },
  }),
  'projects.get': channel<Project>()(z.object({ id: projectIdSchema, year: projectYear.optional() }).strict()),
  'projects.add': channel<Project>()(projectAddSchema),
  'projects.update': channel<Project[]>()(projectUpdateSchema),
  'projects.delete': channel<Project>()(z.object({ id: projectIdSchema }).strict()),
  'projects.restore': channel<Project>()(z.object({ id: projectIdSchema }).strict()),
};

export const indicatorsChannels = {
  'indicators.list': channel<IndicatorRow[]>()(empty),
  'indicators.setActual': channel<IndicatorRow>()(setActualSchema),
};
