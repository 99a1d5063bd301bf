// Every SQL statement of the 专项推进方案 / 行动计划 drafts. Rows in, rows out; no logic.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statements';
import type { City } from '../../shared/domain';
import type { BlockType, DraftField, DraftKind, DraftTemplate, TableKind } from '../../shared/drafts';

export interface DraftDbRow {
  id: number;
  title: string;
  kind: DraftKind;
  field: DraftField | null;
  city: City | null;
  dept_id: number | null;
  main_to: string;
  /** JSON array of chapter/section ids */
  scope: string;
  template: DraftTemplate;
  created_at: string;
  updated_at: string;
  created_by: string;
  deleted: number;
  /** joined: number of saved versions */
  version_count: number;
}

export interface BlockDbRow {
  id: number;
  draft_id: number;
  ord: number;
  type: BlockType;
  level: number | null;
  text: string;
  measure_id: string | null;
  citation: string | null;
  cited_snapshot: string | null;
  table_kind: TableKind | null;
  frozen: number;
  frozen_rows: string | null;
  attachment: number;
}

export type BlockInsert = Omit<BlockDbRow, 'id' | 'draft_id' | 'ord'> & { id?: number };

export interface VersionDbRow {
  id: number;
  draft_id: number;
  name: string;
  created_at: string;
  actor: string;
  content: string;
}

/** Columns of draft_block a person may set one at a time (names never come from input). */
export type BlockColumnName = 'text' | 'level' | 'frozen' | 'frozen_rows' | 'attachment';
export type DraftColumnName = 'title' | 'main_to' | 'scope' | 'deleted';

const DRAFT_SELECT = `
  SELECT d.*, (SELECT count(*) FROM draft_version v WHERE v.draft_id = d.id) AS version_count
    FROM draft d`;

/** Prepared statements, built once per database connection. */
export class DraftQueries extends StatementCache {
  // ---- drafts
  drafts(includeDeleted: boolean): DraftDbRow[] {
    return this.st(DRAFT_SELECT + (includeDeleted ? '' : ' WHERE d.deleted = 0') + ' ORDER BY d.updated_at DESC, d.id DESC').all() as DraftDbRow[];
  }
  draft(id: number): DraftDbRow | undefined {
    return this.st(DRAFT_SELECT + ' WHERE d.id = ?').get(id) as DraftDbRow | undefined;
  }
  insertDraft(r: Omit<DraftDbRow, 'id' | 'deleted' | 'version_count'>): number {
    return Number(
      this.st(
        `INSERT INTO draft (title, kind, field, city, dept_id, main_to, scope, template, created_at, updated_at, created_by)
         VALUES (@title, @kind, @field, @city, @dept_id, @main_to, @scope, @template, @created_at, @updated_at, @created_by)`,
      ).run(r).lastInsertRowid,
    );
  }
  updateDraftColumn(id: number, column: DraftColumnName, value: string | number, at: string): void {
    // column names come from the closed union above, never from input
    this.st(`UPDATE draft SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, at, id);
  }
  touchDraft(id: number, at: string): void {
    this.st('UPDATE draft SET updated_at = ? WHERE id = ?').run(at, id);
  }

  // ---- blocks
  blocks(draftId: number): BlockDbRow[] {
    return this.st('SELECT * FROM draft_block WHERE draft_id = ? ORDER BY ord, id').all(draftId) as BlockDbRow[];
  }
  block(draftId: number, id: number): BlockDbRow | undefined {
    return this.st('SELECT * FROM draft_block WHERE draft_id = ? AND id = ?').get(draftId, id) as BlockDbRow | undefined;
  }
  insertBlock(draftId: number, ord: number, b: BlockInsert): number {
    const row = { id: b.id ?? null, draft_id: draftId, ord, ...b };
    return Number(
      this.st(
        `INSERT INTO draft_block (id, draft_id, ord, type, level, text, measure_id, citation, cited_snapshot, table_kind, frozen, frozen_rows, attachment)
         VALUES (@id, @draft_id, @ord, @type, @level, @text, @measure_id, @citation, @cited_snapshot, @table_kind, @frozen, @frozen_rows, @attachment)`,
      ).run({ ...row, id: b.id ?? null }).lastInsertRowid,
    );
  }
  updateBlockColumn(id: number, column: BlockColumnName, value: string | number | null): void {
    this.st(`UPDATE draft_block SET ${column} = ? WHERE id = ?`).run(value, id);
  }
  setBlockOrd(id: number, ord: number): void {
    this.st('UPDATE draft_block SET ord = ? WHERE id = ?').run(ord, id);
  }
  deleteBlock(id: number): void {
    this.st('DELETE FROM draft_block WHERE id = ?').run(id);
  }
  deleteBlocksOf(draftId: number): void {
    this.st('DELETE FROM draft_block WHERE draft_id = ?').run(draftId);
  }

  // ---- versions
  versions(draftId: number): VersionDbRow[] {
    return this.st('SELECT * FROM draft_version WHERE draft_id = ? ORDER BY id DESC').all(draftId) as VersionDbRow[];
  }
  version(draftId: number, id: number): VersionDbRow | undefined {
    return this.st('SELECT * FROM draft_version WHERE draft_id = ? AND id = ?').get(draftId, id) as VersionDbRow | undefined;
  }
  insertVersion(r: Omit<VersionDbRow, 'id'>): number {
    return Number(
      this.st('INSERT INTO draft_version (draft_id, name, created_at, actor, content) VALUES (@draft_id, @name, @created_at, @actor, @content)').run(r)
        .lastInsertRowid,
    );
  }

  // ---- the plan as drafts need it
  scopeNode(id: string): { id: string; kind: string } | undefined {
    return this.st("SELECT id, kind FROM plan_node WHERE id = ? AND kind IN ('chapter','section')").get(id) as { id: string; kind: string } | undefined;
  }
  deptExists(id: number): boolean {
    return !!this.st('SELECT 1 FROM department WHERE id = ?').get(id);
  }
}

const instances = new WeakMap<Database, DraftQueries>();

/** The statements of one connection, shared by every caller. */
export function draftQueries(db: Database): DraftQueries {
  let q = instances.get(db);
  if (!q) {
    q = new DraftQueries(db);
    instances.set(db, q);
  }
  return q;
}
