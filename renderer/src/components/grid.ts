// What every AG Grid page shares: the look (theme), the id of the grid's own selection column, and
// the test for "the keyboard is in a text field" that keeps grid shortcuts out of typing.
import { themeQuartz } from 'ag-grid-community';

export const gridTheme = themeQuartz.withParams({
  fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif',
  fontSize: 13,
  headerFontSize: 13,
  headerFontWeight: 600,
  accentColor: '#1d5aa6',
  headerBackgroundColor: '#eef2f7',
  foregroundColor: '#1f2933',
  borderColor: '#d8dee6',
  oddRowBackgroundColor: '#fafbfd',
  wrapperBorderRadius: 4,
  spacing: 6,
});

/** the grid's own checkbox column: never a data column (copy, paste) */
export const SELECTION_COL = 'ag-Grid-SelectionColumn';

export function isTextTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable;
}
