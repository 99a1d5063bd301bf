// The project page's filters: category, city, stage, lead, text, 含已删除 and the dashboard's
// external filter (a chip until cleared); `visible` is the rows they let through.
import { useMemo, useState } from 'react';
import type { City } from '../../../shared/domain';
import { PROJECT_COLUMNS, type Project } from '../../../shared/projects';
import type { DeptIndex } from '../alloc/clipboard';
import type { ProjectFilter } from '../components/externalFilter';
import { projectCellText } from '../components/projectCells';

export function useProjectFilters(rows: Project[], idx: DeptIndex, initialFilter: ProjectFilter | null | undefined, onClearInitialFilter: (() => void) | undefined) {
  const [fCategory, setFCategory] = useState('');
  const [fCity, setFCity] = useState('');
  const [fStage, setFStage] = useState('');
  const [fLead, setFLead] = useState('');
  const [fText, setFText] = useState('');
  const [withDeleted, setWithDeleted] = useState(false);
  const [external, setExternal] = useState<{ ids: Set<string> | null; label: string } | null>(null);
  const [appliedNonce, setAppliedNonce] = useState<number | null>(null);
  if (initialFilter && initialFilter.nonce !== appliedNonce) {
    setAppliedNonce(initialFilter.nonce);
    setFCategory(initialFilter.category ?? '');
    setFCity(initialFilter.city ?? '');
    setFStage(initialFilter.stage ?? '');
    setFLead('');
    setFText('');
    setExternal({ ids: initialFilter.ids ? new Set(initialFilter.ids) : null, label: initialFilter.label });
  }
  const clearExternal = () => {
    setExternal(null);
    setFCategory('');
    setFCity('');
    setFStage('');
    onClearInitialFilter?.();
  };

  const visible = useMemo(() => {
    const q = fText.trim().toLowerCase();
    const ids = external?.ids ?? null;
    return rows.filter((p) => {
      if (ids && !ids.has(p.id)) return false;
      if (!withDeleted && p.deleted) return false;
      if (fCategory && p.category !== fCategory) return false;
      if (fCity && !p.cities.includes(fCity as City)) return false;
      if (fStage && p.stage !== fStage) return false;
      if (fLead === 'none' ? p.leadId != null : fLead && String(p.leadId) !== fLead) return false;
      if (q) {
        const hay = PROJECT_COLUMNS.map((c) => projectCellText(c, p, idx)).join('\n').toLowerCase();
        if (!hay.includes(q)) return false;
      }
      return true;
    });
  }, [rows, external, withDeleted, fCategory, fCity, fStage, fLead, fText, idx]);

  return {
    fCategory,
    setFCategory,
    fCity,
    setFCity,
    fStage,
    setFStage,
    fLead,
    setFLead,
    fText,
    setFText,
    withDeleted,
    setWithDeleted,
    external,
    clearExternal,
    visible,
  };
}

export type ProjectFilters = ReturnType<typeof useProjectFilters>;
