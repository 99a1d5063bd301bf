// The open draft and the list of drafts: reading them, opening one (after every pending edit is
// saved), and every operation on the draft through one queue so answers arrive in order; inserting
// and removing blocks, with the focus moved to the block an operation asked for once it is drawn.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BlockInput, Draft, DraftSummary, HeadingLevel } from '../../../shared/drafts';
import { call } from '../api';
import { useToast } from '../components/Toast';
import type { SaveState } from './BlockText';
import { levelAt } from './model';
import { focusBlock } from './Outline';

function summaryOf(d: Draft): DraftSummary {
  return { id: d.id, title: d.title, kind: d.kind, field: d.field, city: d.city, deptId: d.deptId, updatedAt: d.updatedAt, versionCount: d.versionCount };
}

export type FocusTarget = 'block' | 'editor';

export function useDraftDocument(opts: {
  active: boolean;
  dataVersion: number;
  /** another draft was opened: views of the last one (gaps, export result) start afresh */
  onSwitch: () => void;
}) {
  const { active, dataVersion } = opts;
  const onSwitch = useRef(opts.onSwitch);
  onSwitch.current = opts.onSwitch;
  const toast = useToast();
  const [list, setList] = useState<DraftSummary[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const draftRef = useRef<Draft | null>(null);
  const [opening, setOpening] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selectedRef = useRef<number | null>(null);
  const [saveStates, setSaveStates] = useState<Record<number, SaveState>>({});
  const [lastSaved, setLastSaved] = useState<string | null>(null);
  const [opBusy, setOpBusy] = useState(0);
  const [insertLevel, setInsertLevel] = useState<HeadingLevel>(2);
  const flushers = useRef(new Map<number, () => Promise<void>>());
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pendingFocus = useRef<{ id: number; target: FocusTarget } | null>(null);

  const loadList = useCallback(async () => {
    try {
      setList(await call('drafts.list', {}));
    } catch (e) {
      toast.error(e);
      setList((l) => l ?? []);
    }
  }, [toast]);

  useEffect(() => {
    if (!active) return;
    void loadList();
  }, [active, dataVersion, loadList]);

  /** every operation on the draft goes through one queue: answers arrive in order */
  const run = useCallback(<T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.current.then(fn);
    queue.current = p.catch(() => undefined);
    setOpBusy((n) => n + 1);
    void p.finally(() => setOpBusy((n) => n - 1)).catch(() => undefined);
    return p;
  }, []);

  const apply = useCallback((d: Draft) => {
    if (draftRef.current && draftRef.current.id !== d.id) return;
    draftRef.current = d;
    setDraft(d);
    setList((l) => (l ? l.map((x) => (x.id === d.id ? summaryOf(d) : x)) : l));
  }, []);

  const flushAll = useCallback(async () => {
    await Promise.all([...flushers.current.values()].map((f) => f()));
    await queue.current;
  }, []);

  const setSelected = (id: number | null) => {
    setSelectedId(id);
    selectedRef.current = id;
  };

  const openDraft = useCallback(
    async (id: number) => {
      if (draftRef.current?.id === id) return;
      setOpening(true);
      try {
        await flushAll();
        const d = await call('drafts.get', { id });
        draftRef.current = d;
        setDraft(d);
        setSaveStates({});
        setLastSaved(null);
        onSwitch.current();
        setSelected(d.blocks[0]?.id ?? null);
      } catch (e) {
        toast.error(e);
      } finally {
        setOpening(false);
      }
    },
    [flushAll, toast],
  );

  /** a draft just made (新建方案): open it */
  const adopt = (d: Draft) => {
    draftRef.current = d;
    setDraft(d);
    setSaveStates({});
    setSelected(d.blocks[0]?.id ?? null);
  };

  // focus the block an operation asked for, once it is rendered
  useEffect(() => {
    const f = pendingFocus.current;
    if (!f || !draft) return;
    pendingFocus.current = null;
    window.requestAnimationFrame(() => focusBlock(f.id, f.target));
  }, [draft]);

  const select = useCallback((id: number) => {
    selectedRef.current = id;
    setSelectedId(id);
    const d = draftRef.current;
    if (d) setInsertLevel(levelAt(d.blocks, id));
  }, []);

  const op = useCallback(
    async (fn: (d: Draft) => Promise<Draft | null>): Promise<Draft | null> => {
      try {
        const d = await run(async () => {
          const cur = draftRef.current;
          if (!cur) return null;
          return fn(cur);
        });
        if (d) apply(d);
        return d;
      } catch (e) {
        toast.error(e);
        return null;
      }
    },
    [apply, run, toast],
  );

  /** where an insert goes when no place is given: after the selected block, or at the body's end */
  const defaultAfter = (d: Draft): number | null => {
    const sel = selectedRef.current;
    if (sel !== null && d.blocks.some((b) => b.id === sel)) return sel;
    const body = d.blocks.filter((b) => !b.attachment);
    return body.length ? body[body.length - 1].id : null;
  };

  const insert = useCallback(
    async (block: BlockInput, where?: number | null) => {
      const target = block.type === 'heading' || block.type === 'para' ? 'editor' : 'block';
      const d = await op(async (cur) => {
        const afterId = where !== undefined ? where : defaultAfter(cur);
        const after = cur.blocks.find((b) => b.id === afterId);
        const before = new Set(cur.blocks.map((b) => b.id));
        const next = await call('drafts.insertBlock', { draftId: cur.id, afterId, block: { ...block, ...(after?.attachment ? { attachment: true } : {}) } });
        const added = next.blocks.find((b) => !before.has(b.id));
        if (added) {
          pendingFocus.current = { id: added.id, target };
          selectedRef.current = added.id;
          setSelectedId(added.id);
        }
        return next;
      });
      return d;
    },
    [op],
  );

  const removeBlock = useCallback(
    async (blockId: number) => {
      await op(async (cur) => {
        const i = cur.blocks.findIndex((b) => b.id === blockId);
        const next = await call('drafts.deleteBlock', { draftId: cur.id, blockId });
        const focus = next.blocks[Math.min(i, next.blocks.length - 1)] ?? null;
        if (focus) {
          pendingFocus.current = { id: focus.id, target: 'block' };
          selectedRef.current = focus.id;
          setSelectedId(focus.id);
        }
        return next;
      });
    },
    [op],
  );

  const gotoBlock = (blockId: number) => {
    select(blockId);
    focusBlock(blockId);
    document.querySelector(`[data-testid=draft-block][data-block-id="${blockId}"]`)?.scrollIntoView({ block: 'center' });
  };

  const deleteDraft = async (s: DraftSummary) => {
    try {
      await call('drafts.delete', { id: s.id });
      toast.show(`已删除方案“${s.title}”`, 'success');
      if (draftRef.current?.id === s.id) {
        draftRef.current = null;
        setDraft(null);
      }
      await loadList();
    } catch (e) {
      toast.error(e);
    }
  };

  return {
    list,
    loadList,
    draft,
    draftRef,
    opening,
    selectedId,
    select,
    saveStates,
    setSaveStates,
    lastSaved,
    setLastSaved,
    opBusy,
    insertLevel,
    setInsertLevel,
    flushers,
    pendingFocus,
    run,
    apply,
    flushAll,
    openDraft,
    adopt,
    op,
    defaultAfter,
    insert,
    removeBlock,
    gotoBlock,
    deleteDraft,
  };
}

export type DraftDocument = ReturnType<typeof useDraftDocument>;
