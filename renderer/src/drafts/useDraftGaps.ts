// The open draft's gap check (plan measures it does not cover, cited measures changed since) and the
// row count of each live table, read again shortly after the draft or the ledger changes.
import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { Draft, DraftGaps, DraftTableCounts } from '../../../shared/drafts';
import { call, errorMessage } from '../api';

export function useDraftGaps(draftRef: MutableRefObject<Draft | null>, draft: Draft | null, active: boolean, dataVersion: number) {
  const [gaps, setGaps] = useState<DraftGaps | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  /** rows of each live table kind (from the main side: it no longer reads every measure here) */
  const [tableCounts, setTableCounts] = useState<DraftTableCounts | null>(null);
  const seq = useRef(0);

  const load = useCallback(async () => {
    const d = draftRef.current;
    if (!d) return;
    const my = ++seq.current;
    setLoading(true);
    try {
      const [g, counts] = await Promise.all([call('drafts.gaps', { draftId: d.id }), call('drafts.tableCounts', { draftId: d.id })]);
      if (my === seq.current) {
        setGaps(g);
        setTableCounts(counts);
        setError('');
      }
    } catch (e) {
      if (my === seq.current) setError(errorMessage(e));
    } finally {
      if (my === seq.current) setLoading(false);
    }
  }, [draftRef]);

  // gaps follow the draft (and the ledger: the page may come back after allocation edits)
  useEffect(() => {
    if (!draft || !active) return;
    const t = window.setTimeout(() => void load(), 600);
    return () => window.clearTimeout(t);
  }, [draft, active, dataVersion, load]);

  return { gaps, setGaps, loading, error, tableCounts, load };
}
