// What reading a workbook may cost, counted in cells across all its sheets (issue 16 item 4): a
// sheet's declared dimension (<dimension ref="A1:XFD200020"/>) is a claim, not a fact, and 16
// such sheets in a 6.7 KB file once made the reader allocate 4.3 GB. Both readers (xlsx-fast.ts
// and SheetJS's result in read.ts) size each sheet by the cells that hold a value and take
// its cells from one budget per file; a file over it is refused with a Chinese message.
import { ServiceError } from '../core/context';
import type { CellValue } from './read';

/**
 * cells of all sheets together: a ledger at the 200,000-row limit with its _meta sheet has about
 * 3.2 million; this leaves room for wide sheets and stays a small part of the reader's heap
 */
export const MAX_TOTAL_CELLS = 12_000_000;

export class CellBudget {
  left: number;
  constructor(total = MAX_TOTAL_CELLS) {
    this.left = total;
  }
  /** count n cells; refuses the file when the budget is spent */
  take(n: number): void {
    this.left -= n;
    if (this.left < 0)
      throw new ServiceError(
        'VALIDATION',
        `文件的表格范围过大（各工作表合计超过 ${MAX_TOTAL_CELLS / 10000} 万个单元格），不是正常的台账，已拒绝读取。请确认选择的文件，或删除多余的工作表和空白区域后另存再导入。`,
      );
  }
}

/**
 * The extent a sheet really uses inside its claimed one (rows × cols): up to the last row and
 * the last column holding a value (not null). cells i: row rs[i], column cs[i], value vs[i].
 */
export function usedExtent(rs: ArrayLike<number>, cs: ArrayLike<number>, vs: ArrayLike<CellValue>, maxRows: number, maxCols: number): { rows: number; cols: number } {
  let rows = 0;
  let cols = 0;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    const c = cs[i];
    if (vs[i] === null || r < 0 || r >= maxRows || c < 0 || c >= maxCols) continue;
    if (r + 1 > rows) rows = r + 1;
    if (c + 1 > cols) cols = c + 1;
  }
  return rows === 0 ? { rows: 0, cols: 0 } : { rows, cols };
}
