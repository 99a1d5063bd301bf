// The allocation page's filters: chapter, lead, city, status, text, background chapters, grouping
// and the dashboard's external filter (a chip until cleared), kept in the tab's session so a reload
// keeps them. The text filter is applied as typed, or gathered while typing outruns filtering.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EXTERNAL_CODEC, type AllocFilter } from '../components/externalFilter';
import { useSessionState } from '../components/useSessionState';
import type { FilterSpec } from './store';

export function useAllocFilters(initialFilter: AllocFilter | null | undefined, onClearInitialFilter: (() => void) | undefined) {
  const [fChapter, setFChapter] = useSessionState('alloc.chapter', '');
  const [fLead, setFLead] = useSessionState('alloc.lead', '');
  const [fCity, setFCity] = useSessionState('alloc.city', '');
  const [fStatus, setFStatus] = useSessionState('alloc.status', '');
  const [fText, setFText] = useSessionState('alloc.text', '');
  /** the text the filters use (fText as typed, applied by applyText below) */
  const [qText, setQText] = useState(() => fText.trim().toLowerCase());
  const [withBackground, setWithBackground] = useSessionState('alloc.background', false);
  const [grouping, setGrouping] = useSessionState('alloc.grouping', true);
  // exactly these measures (from the dashboard), shown with a chip until cleared
  const [external, setExternal] = useSessionState<{ ids: Set<string> | null; label: string } | null>('alloc.external', null, EXTERNAL_CODEC);
  const [appliedNonce, setAppliedNonce] = useState<number | null>(null);
  if (initialFilter && initialFilter.nonce !== appliedNonce) {
    setAppliedNonce(initialFilter.nonce);
    setFChapter(initialFilter.chapter != null ? String(initialFilter.chapter) : '');
    setFLead(initialFilter.leadId != null ? String(initialFilter.leadId) : '');
    setFCity(initialFilter.city ?? '');
    setFStatus(initialFilter.status ?? '');
    setFText('');
    setQText('');
    setExternal({ ids: initialFilter.ids ? new Set(initialFilter.ids) : null, label: initialFilter.label });
  }
  const clearExternal = () => {
    setExternal(null);
    setFChapter('');
    setFLead('');
    setFCity('');
    setFStatus('');
    onClearInitialFilter?.();
  };

  /** every filter off (the empty grid's 清除筛选) */
  const clearFilters = () => {
    if (external) clearExternal();
    setFChapter('');
    setFLead('');
    setFCity('');
    setFStatus('');
    setFText('');
    setQText('');
  };

  // A keystroke filters at once; on a large ledger, keystrokes that come faster than the last
  // filter took are gathered and applied 60 ms after the last one. `lastFilter` is written by whoever
  // runs the filter (useLedgerLoader). Letters typed into an input method (pinyin before a character
  // is chosen) are not filtered on: the text box calls applyText only outside a composition.
  const lastFilter = useRef({ at: 0, ms: 0 });
  const typingTimer = useRef(0);
  const applyText = useCallback((raw: string) => {
    const q = raw.trim().toLowerCase();
    window.clearTimeout(typingTimer.current);
    const { at, ms } = lastFilter.current;
    if (ms < 30 || performance.now() - at > Math.max(150, 2 * ms)) setQText(q);
    else typingTimer.current = window.setTimeout(() => setQText(q), 60);
  }, []);
  useEffect(() => () => window.clearTimeout(typingTimer.current), []);

  const spec = useMemo<FilterSpec>(
    () => ({ chapter: fChapter, lead: fLead, city: fCity, status: fStatus, text: qText, withBackground, ids: external?.ids ?? null, grouping }),
    [fChapter, fLead, fCity, fStatus, qText, withBackground, external, grouping],
  );

  return {
    fChapter,
    setFChapter,
    fLead,
    setFLead,
    fCity,
    setFCity,
    fStatus,
    setFStatus,
    fText,
    setFText,
    applyText,
    withBackground,
    setWithBackground,
    grouping,
    setGrouping,
    external,
    clearExternal,
    clearFilters,
    spec,
    lastFilter,
  };
}

export type AllocFilters = ReturnType<typeof useAllocFilters>;
