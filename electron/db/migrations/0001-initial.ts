import type { Database } from 'better-sqlite3';

// The plan (nodes, paragraphs, measures), departments, allocations, audit, settings.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE department (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
      level       TEXT NOT NULL CHECK (level IN ('省直','市政府','市直','其他')),
      city        TEXT CHECK (city IS NULL OR city IN ('长沙市','株洲市','湘潭市')),
      state       TEXT NOT NULL DEFAULT '在用' CHECK (state IN ('在用','已撤销','已合并')),
      merged_into INTEGER REFERENCES department(id),
      ord         INTEGER NOT NULL DEFAULT 0,
      source      TEXT NOT NULL DEFAULT 'seed' CHECK (source IN ('seed','user')),
      quote       TEXT
    ) STRICT;

    CREATE TABLE dept_alias (
      alias   TEXT PRIMARY KEY,
      dept_id INTEGER NOT NULL REFERENCES department(id)
    ) STRICT;

    CREATE TABLE plan_node (
      id              TEXT PRIMARY KEY,
      parent_id       TEXT REFERENCES plan_node(id),
      kind            TEXT NOT NULL CHECK (kind IN ('part','chapter','section','task','figure')),
      ord             INTEGER NOT NULL,
      no              INTEGER,
      title           TEXT NOT NULL,
      label           TEXT NOT NULL,
      section_as_task INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX plan_node_parent ON plan_node(parent_id, ord);

    CREATE TABLE plan_para (
      node_id TEXT NOT NULL REFERENCES plan_node(id),
      ord     INTEGER NOT NULL,
      text    TEXT NOT NULL CHECK (instr(text, char(10)) = 0 AND instr(text, char(13)) = 0),
      PRIMARY KEY (node_id, ord)
    ) STRICT;

    CREATE TABLE measure (
      id             TEXT PRIMARY KEY,
      task_id        TEXT NOT NULL REFERENCES plan_node(id),
      ord            INTEGER NOT NULL,
      text           TEXT NOT NULL CHECK (instr(text, char(10)) = 0 AND instr(text, char(13)) = 0),
      actionable     INTEGER NOT NULL CHECK (actionable IN (0,1)),
      lead_id        INTEGER REFERENCES department(id),
      lead_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (lead_confirmed IN (0,1)),
      suggest_reason TEXT,
      deadline       TEXT CHECK (deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
      status         TEXT NOT NULL DEFAULT '未启动' CHECK (status IN ('未启动','推进中','已完成','滞后')),
      progress       TEXT NOT NULL DEFAULT '',
      note           TEXT NOT NULL DEFAULT '',
      updated_at     TEXT
    ) STRICT;
    CREATE INDEX measure_task ON measure(task_id, ord);
    CREATE INDEX measure_lead ON measure(lead_id);

    CREATE TABLE measure_co (
      measure_id TEXT NOT NULL REFERENCES measure(id),
      dept_id    INTEGER NOT NULL REFERENCES department(id),
      ord        INTEGER NOT NULL,
      PRIMARY KEY (measure_id, dept_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX measure_co_dept ON measure_co(dept_id);

    CREATE TABLE measure_city (
      measure_id TEXT NOT NULL REFERENCES measure(id),
      city       TEXT NOT NULL CHECK (city IN ('长沙市','株洲市','湘潭市')),
      PRIMARY KEY (measure_id, city)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE audit (
      id        INTEGER PRIMARY KEY,
      at        TEXT NOT NULL,
      actor     TEXT NOT NULL,
      unit      TEXT NOT NULL,
      op_id     TEXT NOT NULL,
      op        TEXT NOT NULL,
      tbl       TEXT NOT NULL,
      row_id    TEXT NOT NULL,
      field     TEXT NOT NULL,
      old_value TEXT,
      new_value TEXT
    ) STRICT;
    CREATE INDEX audit_row ON audit(tbl, row_id);

    CREATE TABLE setting (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
