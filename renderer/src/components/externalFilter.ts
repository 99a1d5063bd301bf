// Filters one page asks another to apply (the dashboard opening the allocation or project grid
// on exactly the rows behind a bar, a number or a light).
import type { City, Status } from '../../../shared/domain';
import type { ProjectCategory, ProjectStage } from '../../../shared/projects';
import type { SessionCodec } from './useSessionState';

export interface AllocFilter {
  chapter?: number;
  leadId?: number;
  city?: City;
  status?: Status;
  /** exactly these measures (shown even if they are background measures) */
  ids?: string[];
  /** what the chip says, e.g. 状态：滞后 */
  label: string;
  /** changes on every request, so asking twice for the same filter re-applies it */
  nonce: number;
}

/** the grid's applied outside filter (exactly these rows, with the chip's label) as kept in the session */
export const EXTERNAL_CODEC: SessionCodec<{ ids: Set<string> | null; label: string } | null> = {
  toJson: (e) => e && { ids: e.ids && [...e.ids], label: e.label },
  fromJson: (j) => {
    const e = j as { ids?: unknown; label?: unknown } | null;
    if (!e || typeof e.label !== 'string') return null;
    return { ids: Array.isArray(e.ids) ? new Set(e.ids.map(String)) : null, label: e.label };
  },
};

export interface ProjectFilter {
  category?: ProjectCategory;
  city?: City;
  stage?: ProjectStage;
  ids?: string[];
  label: string;
  nonce: number;
}

export interface IndicatorFilter {
  status?: string;
  label: string;
  nonce: number;
}

let n = 0;
export function nextNonce(): number {
  n += 1;
  return n;
}
