// Ctrl+Z / Ctrl+Y (Ctrl+Shift+Z) and the menu's 撤销 / 重做 commands for a grid page: the person's
// own undo, only while the page is shown, never while a text field, a cell editor or a dialog has
// the keyboard. Shared by the allocation and the project grids.
import { useEffect, type RefObject } from 'react';
import type { GridApi } from 'ag-grid-community';
import { isTextTarget } from '../components/grid';

export function useUndoShortcuts<T>(opts: {
  active: boolean;
  apiRef: RefObject<GridApi<T> | null>;
  commandBus: EventTarget;
  undo: () => Promise<void>;
  redo: () => Promise<void>;
  /** a dialog is open: the keys belong to it */
  blocked: boolean;
}): void {
  const { active, apiRef, commandBus, undo, redo, blocked } = opts;
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      if (isTextTarget(e.target) || isTextTarget(document.activeElement)) return;
      if (apiRef.current && apiRef.current.getEditingCells().length > 0) return;
      if (blocked) return;
      e.preventDefault();
      if (k === 'y' || e.shiftKey) void redo();
      else void undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, apiRef, undo, redo, blocked]);

  useEffect(() => {
    const onCmd = (e: Event) => {
      if (!active) return;
      const cmd = (e as CustomEvent<string>).detail;
      if (cmd === 'undo') void undo();
      else if (cmd === 'redo') void redo();
    };
    commandBus.addEventListener('command', onCmd);
    return () => commandBus.removeEventListener('command', onCmd);
  }, [active, commandBus, undo, redo]);
}
