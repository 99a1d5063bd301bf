import type { Department, MeasureEdit, MeasureRow } from '../../../shared/domain';
import type { LedgerColumn } from '../../../shared/ledger';
import type { DeptIndex } from './clipboard';

export interface MeasureGridRow {
  kind: 'measure';
  id: string;
  m: MeasureRow;
  /** order keys for keeping sorted rows inside their groups */
  ck: number;
  tk: number;
  /** passes the page's filters (read by the grid's external filter) */
  pass: boolean;
}
export interface HeaderGridRow {
  kind: 'chapter' | 'task';
  id: string;
  label: string;
  count: number;
  ck: number;
  tk: number;
  /** shown: grouping is on and some of its measures pass the filters */
  pass: boolean;
}
export type GridRow = MeasureGridRow | HeaderGridRow;

export interface GridCtx {
  idx: DeptIndex;
  departments: Department[];
  applyEdits(edits: MeasureEdit[], op: string): Promise<boolean>;
  confirm(ids: string[]): Promise<void>;
  colByKey: Map<string, LedgerColumn>;
  /** a value typed into a cell editor: save it (the grid's data is left as it is) */
  editCell(data: GridRow | undefined, key: string, value: unknown): void;
  /** measures that pass the filters now */
  visibleCount(): number;
}
