// undo.*: the person's own undo/redo, persistent across restarts (not the change log: audit.*).
import { channel } from '../channel';
import type { FieldRestoreResult } from './audit';
import { empty } from './common';

export interface UndoState {
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
  state: UndoState;
}

export const undoChannels = {
  'undo.state': channel<UndoState>()(empty),
  'undo.undo': channel<UndoResult>()(empty),
  'undo.redo': channel<UndoResult>()(empty),
};
