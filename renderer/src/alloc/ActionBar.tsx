// The allocation page's action row: bulk set on the checked measures, confirm suggestions, the 佐证材料
// of one checked measure in the round under way, undo, redo and reload. Its keys (← → between buttons, Esc back to the grid) come from useToolbarFocus.
import type { KeyboardEvent as ReactKeyboardEvent, RefObject } from 'react';
import type { PersonalUndo } from '../components/usePersonalUndo';
import { UndoRedoButtons } from '../components/UndoRedoButtons';
import type { BulkKind } from './BulkDialog';

export function ActionBar({
  toolbarRef,
  onKeyDown,
  selectedCount,
  busy,
  personalUndo,
  onBulk,
  onConfirm,
  onEvidence,
  onReload,
}: {
  toolbarRef: RefObject<HTMLDivElement | null>;
  onKeyDown: (e: ReactKeyboardEvent<HTMLDivElement>) => void;
  selectedCount: number;
  busy: boolean;
  personalUndo: PersonalUndo;
  onBulk: (kind: BulkKind) => void;
  onConfirm: () => void;
  /** 佐证材料 of the one selected measure in the round under way */
  onEvidence: () => void;
  onReload: () => void;
}) {
  const off = !selectedCount || busy;
  return (
    <div className="toolbar actions" ref={toolbarRef} onKeyDown={onKeyDown}>
      <span className="toolbar-label">批量：</span>
      <button className="btn" data-testid="bulk-lead" disabled={off} onClick={() => onBulk('lead')}>
        设置牵头单位
      </button>
      <button className="btn" data-testid="bulk-co" disabled={off} onClick={() => onBulk('co')}>
        添加配合单位
      </button>
      <button className="btn" data-testid="bulk-cities" disabled={off} onClick={() => onBulk('cities')}>
        设置责任城市
      </button>
      <button className="btn" data-testid="bulk-deadline" disabled={off} onClick={() => onBulk('deadline')}>
        设置完成时限
      </button>
      <button className="btn" data-testid="bulk-status" disabled={off} onClick={() => onBulk('status')}>
        设置状态
      </button>
      <button className="btn accent" data-testid="confirm-suggestions" disabled={off} title="确认所选措施中系统建议的牵头单位" onClick={onConfirm}>
        ✓ 确认建议
      </button>
      <button className="btn" data-testid="measure-evidence" disabled={selectedCount !== 1 || busy} title="所选措施在进行中的调度轮次的佐证材料（选中一条措施）" onClick={onEvidence}>
        佐证材料
      </button>
      <span className="spacer" />
      <UndoRedoButtons personalUndo={personalUndo} busy={busy} testIds={['undo', 'redo']} />
      <button className="btn" onClick={onReload} title="从数据库重新读取">
        刷新
      </button>
    </div>
  );
}
