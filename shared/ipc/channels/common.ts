// Schema pieces more than one domain's channels use.
import { z } from 'zod';
import { zhCN } from 'zod/v4/locales';
import { oneLine } from '../../text';
import { isIsoDate } from '../../domain';
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN } from '../../projects';

// zod's own messages (a wrong type, an unknown key …) in Chinese, on both sides of the IPC
z.config(zhCN());

export const nonEmpty = (max: number) => oneLine(max);
export const measureId = z.string().regex(/^\d+\.\d+\.\d+\.\d+$/, '措施编号格式应为 章.节.任务.措施，如 4.1.1.3');
export const deptId = z.number().int().positive();
export const isoDate = z.string().refine(isIsoDate, '日期应为有效的 YYYY-MM-DD，如 2025-12-31');
export const empty = z.object({}).strict();
export const projectYear = z.number().int().min(PLAN_YEAR_MIN).max(PLAN_YEAR_MAX);
