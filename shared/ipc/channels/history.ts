// history.*: the person's own undo/redo, persistent across restarts.
import { channel } from '../channel';
import type { FieldRestoreResult } from './audit';
import { empty } from './common';

export interface HistoryState {
  canUndo: boolean;
  /** e.g. 批量设置（12 处修改，2025/3/1 10:02:03） */
  undoLabel: string | null;
  undoOpId: string | null;
  canRedo: boolean;
  redoLabel: string | null;
  redoOpId: string | null;
}

export interface UndoResult extends FieldRestoreResult {
  /** the operation undone or redone (opId) and the new one that did it (byOpId) */
  op: string;
  byOpId: string;
  state: HistoryState;
}

export const historyChannels = {
  'history.state': channel<HistoryState>()(empty),
  'history.undo': channel<UndoResult>()(empty),
  'history.redo': channel<UndoResult>()(empty),
};
