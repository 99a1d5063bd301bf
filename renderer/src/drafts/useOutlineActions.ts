// What the outline editor can do to the open draft: save a block's text, change its level, freeze
// it, move it to the attachments, move or drag it, delete it (asking first when it holds anything),
// open a cited measure in the plan, and report each block's save state.
import { useMemo } from 'react';
import type { Draft, DraftBlock } from '../../../shared/drafts';
import { TABLE_KIND_LABELS } from '../../../shared/drafts';
import { call } from '../api';
import { useToast } from '../components/Toast';
import type { OutlineActions } from './Outline';
import { isEmptyBlock, planDrop, planMove, type MovePlan } from './model';
import type { DraftDocument, FocusTarget } from './useDraftDocument';

async function executeMove(d: Draft, plan: MovePlan): Promise<Draft> {
  let last = d;
  let after = plan.afterId;
  for (const id of plan.ids) {
    last = await call('drafts.moveBlock', { draftId: d.id, blockId: id, afterId: after });
    after = id;
  }
  return last;
}

const focusTargetOf = (): FocusTarget => (document.activeElement?.matches('[data-testid=block-text]') ? 'editor' : 'block');

/** what a delete question names: the heading, the paragraph's start, the measure or the table */
function blockLabel(d: Draft, b: DraftBlock): string {
  const n = d.numbers[b.id] ?? '';
  return b.type === 'heading'
    ? `标题“${n}${b.text}”（其下内容保留）`
    : b.type === 'para'
      ? `段落“${b.text.slice(0, 30)}${b.text.length > 30 ? '…' : ''}”`
      : b.type === 'citation'
        ? `引用的措施 ${b.measureId}`
        : `${b.tableKind ? TABLE_KIND_LABELS[b.tableKind] : '表格'}`;
}

export function useOutlineActions(
  doc: DraftDocument,
  /** ask before deleting a block that holds something (stable) */
  askRemove: (blockId: number, label: string) => void,
  /** show a cited measure in the plan (stable) */
  openPlan: (measureId: string) => void,
): OutlineActions {
  const toast = useToast();
  const { run, apply, op, removeBlock, draftRef, flushers, pendingFocus, setLastSaved, setSaveStates } = doc;
  return useMemo(
    () => ({
      saveText: async (blockId, text) => {
        try {
          const d = await run(() => call('drafts.updateBlock', { draftId: draftRef.current!.id, blockId, text }));
          apply(d);
          setLastSaved(new Date().toISOString());
        } catch (e) {
          toast.error(e);
          throw e;
        }
      },
      setLevel: (blockId, level) => {
        const target = focusTargetOf();
        pendingFocus.current = { id: blockId, target };
        void op((cur) => call('drafts.updateBlock', { draftId: cur.id, blockId, level }));
      },
      setFrozen: (blockId, frozen) => {
        void op((cur) => call('drafts.updateBlock', { draftId: cur.id, blockId, frozen })).then((d) => {
          if (d) toast.show(frozen ? '已冻结：导出时保持现在的内容' : '已解冻：导出时按最新数据生成', 'success');
        });
      },
      setAttachment: (blockId, attachment) => {
        pendingFocus.current = { id: blockId, target: 'block' };
        void op((cur) => call('drafts.updateBlock', { draftId: cur.id, blockId, attachment }));
      },
      move: (blockId, dir) => {
        const target = focusTargetOf();
        void op(async (cur) => {
          const plan = planMove(cur.blocks, blockId, dir);
          if (typeof plan === 'string') {
            toast.show(plan, 'info');
            return null;
          }
          pendingFocus.current = { id: blockId, target };
          return executeMove(cur, plan);
        });
      },
      drop: (dragId, afterId) => {
        void op(async (cur) => {
          const plan = planDrop(cur.blocks, dragId, afterId);
          if (typeof plan === 'string') {
            if (plan) toast.show(plan, 'info');
            return null;
          }
          pendingFocus.current = { id: dragId, target: 'block' };
          return executeMove(cur, plan);
        });
      },
      remove: (blockId, ask) => {
        const d = draftRef.current;
        const b = d?.blocks.find((x) => x.id === blockId);
        if (!d || !b) return;
        if (ask && !isEmptyBlock(b)) askRemove(blockId, blockLabel(d, b));
        else void removeBlock(blockId);
      },
      openPlan,
      registerFlush: (id, flush) => {
        if (flush) flushers.current.set(id, flush);
        else {
          flushers.current.delete(id);
          // a deleted block no longer has anything to save
          setSaveStates((prev) => {
            if (!(id in prev)) return prev;
            const next = { ...prev };
            delete next[id];
            return next;
          });
        }
      },
      onSaveState: (id, s) => setSaveStates((prev) => (prev[id] === s ? prev : { ...prev, [id]: s })),
    }),
    [apply, op, removeBlock, run, toast, askRemove, openPlan, draftRef, flushers, pendingFocus, setLastSaved, setSaveStates],
  );
}
