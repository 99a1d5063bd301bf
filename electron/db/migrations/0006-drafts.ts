import type { Database } from 'better-sqlite3';

const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');
// Spelled out here (not imported from shared/) so that this migration never changes once shipped.
const FIELDS = ['基础设施', '产业发展', '国土空间', '生态环境', '公共服务', '对外开放'];
const CITIES = ['长沙市', '株洲市', '湘潭市'];

// 专项推进方案 / 行动计划 drafts: the draft, its outline blocks in order, and named versions
// (each a JSON copy of the blocks). Block ids are AUTOINCREMENT, never reused: a restored
// version puts its blocks back under their old ids, and version compares align on them.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE draft (
      id         INTEGER PRIMARY KEY,
      title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
      kind       TEXT NOT NULL CHECK (kind IN ('field','city','dept','blank')),
      field      TEXT CHECK (field IS NULL OR field IN (${list(FIELDS)})),
      city       TEXT CHECK (city IS NULL OR city IN (${list(CITIES)})),
      dept_id    INTEGER REFERENCES department(id),
      main_to    TEXT NOT NULL DEFAULT '',
      scope      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scope) AND json_type(scope) = 'array'),
      template   TEXT NOT NULL CHECK (template IN ('standard','empty')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
    ) STRICT;

    CREATE TABLE draft_block (
      id             INTEGER PRIMARY KEY AUTOINCREMENT,
      draft_id       INTEGER NOT NULL REFERENCES draft(id),
      ord            INTEGER NOT NULL,
      type           TEXT NOT NULL CHECK (type IN ('heading','para','citation','table')),
      level          INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 4),
      text           TEXT NOT NULL DEFAULT '',
      measure_id     TEXT REFERENCES measure(id),
      citation       TEXT,
      cited_snapshot TEXT CHECK (cited_snapshot IS NULL OR json_valid(cited_snapshot)),
      table_kind     TEXT CHECK (table_kind IS NULL OR table_kind IN ('tasks','projects','indicators')),
      frozen         INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0,1)),
      frozen_rows    TEXT CHECK (frozen_rows IS NULL OR json_valid(frozen_rows)),
      attachment     INTEGER NOT NULL DEFAULT 0 CHECK (attachment IN (0,1)),
      CHECK (type <> 'heading' OR level IS NOT NULL),
      CHECK (type <> 'citation' OR measure_id IS NOT NULL),
      CHECK (type <> 'table' OR table_kind IS NOT NULL),
      CHECK (frozen = 0 OR frozen_rows IS NOT NULL)
    ) STRICT;
    CREATE INDEX draft_block_order ON draft_block(draft_id, ord);

    CREATE TABLE draft_version (
      id         INTEGER PRIMARY KEY,
      draft_id   INTEGER NOT NULL REFERENCES draft(id),
      name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
      created_at TEXT NOT NULL,
      actor      TEXT NOT NULL,
      content    TEXT NOT NULL CHECK (json_valid(content))
    ) STRICT;
    CREATE INDEX draft_version_by_draft ON draft_version(draft_id, id);
  `);
}
