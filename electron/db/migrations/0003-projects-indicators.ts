import type { Database } from 'better-sqlite3';
import { seedProjectsIfEmpty, locateSeedsDir } from '../../seed/projects';

const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');
// Spelled out here (not imported from shared/) so that this migration never changes once shipped.
const CATEGORIES = ['交通', '物流', '能源', '水利', '产业', '科技创新', '生态环保', '公共服务', '文化旅游', '城市建设', '开放平台'];
const STAGES = ['谋划', '前期', '新开工', '续建', '建成'];

// 重点建设项目清单 and 目标指标. A database that already holds the plan gets the projects and
// indicators of seeds/ in the same transaction, when seeds/ can be found beside the program
// (otherwise openWorkbenchDb's seedProjectsIfEmpty does it with the seeds folder it was given).
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE project (
      id               TEXT PRIMARY KEY CHECK (id GLOB '[PU][0-9][0-9][0-9]*'),
      name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
      category         TEXT NOT NULL CHECK (category IN (${list(CATEGORIES)})),
      stage            TEXT NOT NULL DEFAULT '谋划' CHECK (stage IN (${list(STAGES)})),
      start_year       INTEGER CHECK (start_year IS NULL OR start_year BETWEEN 1990 AND 2100),
      end_year         INTEGER CHECK (end_year IS NULL OR (end_year BETWEEN 1990 AND 2100 AND (start_year IS NULL OR end_year >= start_year))),
      total_investment REAL CHECK (total_investment IS NULL OR total_investment >= 0),
      lead_id          INTEGER REFERENCES department(id),
      quote            TEXT,
      task_id          TEXT REFERENCES plan_node(id),
      source           TEXT NOT NULL CHECK (source IN ('plan','user')),
      progress_text    TEXT NOT NULL DEFAULT '',
      problems         TEXT NOT NULL DEFAULT '',
      location         TEXT NOT NULL DEFAULT '',
      ord              INTEGER NOT NULL,
      deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
      updated_at       TEXT,
      CHECK (source = 'user' OR (quote IS NOT NULL AND length(quote) > 0))
    ) STRICT;
    CREATE INDEX project_by_lead ON project(lead_id);
    CREATE INDEX project_by_task ON project(task_id);

    CREATE TABLE project_city (
      project_id TEXT NOT NULL REFERENCES project(id),
      city       TEXT NOT NULL CHECK (city IN ('长沙市','株洲市','湘潭市')),
      PRIMARY KEY (project_id, city)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE project_task (
      project_id TEXT NOT NULL REFERENCES project(id),
      task_id    TEXT NOT NULL REFERENCES plan_node(id),
      ord        INTEGER NOT NULL,
      PRIMARY KEY (project_id, task_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX project_task_by_task ON project_task(task_id);

    -- 年度计划投资 and the investment completed in that year (亿元); 累计完成投资 is their sum
    CREATE TABLE project_year_plan (
      project_id TEXT NOT NULL REFERENCES project(id),
      year       INTEGER NOT NULL CHECK (year BETWEEN 2021 AND 2035),
      planned    REAL CHECK (planned IS NULL OR planned >= 0),
      completed  REAL CHECK (completed IS NULL OR completed >= 0),
      PRIMARY KEY (project_id, year)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE indicator (
      id             TEXT PRIMARY KEY CHECK (id GLOB 'I[0-9][0-9]*'),
      name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
      unit           TEXT NOT NULL DEFAULT '',
      direction      TEXT CHECK (direction IS NULL OR direction IN ('≥','≤','≈','=')),
      target2025     REAL,
      baseline2021   REAL,
      tolerance      REAL CHECK (tolerance IS NULL OR tolerance >= 0),
      quote          TEXT NOT NULL CHECK (length(quote) > 0),
      baseline_quote TEXT,
      kind           TEXT NOT NULL CHECK (kind IN ('quantitative','qualitative')),
      note           TEXT NOT NULL DEFAULT '',
      ord            INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE indicator_actual (
      indicator_id TEXT NOT NULL REFERENCES indicator(id),
      year         INTEGER NOT NULL CHECK (year BETWEEN 2021 AND 2035),
      value        REAL NOT NULL,
      source       TEXT NOT NULL DEFAULT '',
      note         TEXT NOT NULL DEFAULT '',
      updated_at   TEXT,
      PRIMARY KEY (indicator_id, year)
    ) STRICT, WITHOUT ROWID;
  `);
  const seeds = locateSeedsDir();
  if (seeds) seedProjectsIfEmpty(db, seeds);
}
