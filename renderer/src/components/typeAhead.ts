// Keys typed into a grid cell while its editor is still being drawn. A key on a focused cell starts
// the editor, but a React editor appears a moment later: keys typed in between reached the grid,
// which dropped them (2026/3/15 became 226/3/15). The grid page gathers them here; the editor takes
// them as it opens, after the key that opened it.
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';

let pending = '';

/** a printable key arriving while a cell's editor is opening: kept for the editor (true: taken) */
export function holdTypedKey(e: ReactKeyboardEvent, editing: boolean): boolean {
  const t = e.target as HTMLElement;
  // a key on a cell that is not being edited may open a new editor: it starts afresh
  if (!editing) pending = '';
  if (!editing || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 || e.nativeEvent.isComposing) return false;
  if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable) return false;
  pending += e.key;
  e.preventDefault();
  e.stopPropagation();
  return true;
}

/**
 * The text an editor opened by a key starts with: that key and the ones typed since. Reading does
 * not consume (React may call an initializer twice); the next key on an idle grid clears them.
 */
export function openingText(eventKey: string | null | undefined): string | undefined {
  // opened otherwise (Enter, a double click): nothing was typed ahead for it
  if (!eventKey || eventKey.length !== 1) return undefined;
  return eventKey + pending;
}
