// plan.*: the plan text as a tree, one node, and a search over it.
import { z } from 'zod';
import type { PlanNodeDetail, PlanTreeNode, SearchResult } from '../../domain';
import { channel } from '../channel';
import { empty } from './common';

export const planChannels = {
  'plan.tree': channel<PlanTreeNode[]>()(empty),
  'plan.node': channel<PlanNodeDetail>()(z.object({ id: z.string().min(1).max(40) }).strict()),
  'plan.search': channel<SearchResult>()(
    z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(2000).optional() }).strict(),
  ),
};
