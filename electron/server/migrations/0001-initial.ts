// Shared server schema, version 1: the plan, allocations, projects, indicators and departments as
// the workbench holds them (same column names as the local SQLite tables, so one copy routine
// serves server-init and clone), the ordered leads of a measure in their own table, the people,
// an append-only change log and a conflict table, and the one function that writes: czt.apply_ops.
//
// Nobody writes the tables directly: the owner (the role that ran server-init) owns them, every
// other role may only read (conflicts: only its own, by row-level security) and call apply_ops,
// which is SECURITY DEFINER with a fixed search_path and checks the caller (session_user) against
// czt.person before each field operation.
export const SQL = String.raw`
CREATE SCHEMA IF NOT EXISTS czt;
REVOKE ALL ON SCHEMA czt FROM PUBLIC;

CREATE TABLE czt.department (
  id          integer PRIMARY KEY,
  name        text NOT NULL UNIQUE CHECK (length(btrim(name)) > 0),
  level       text NOT NULL CHECK (level IN ('省直','市政府','市直','其他')),
  city        text CHECK (city IS NULL OR city IN ('长沙市','株洲市','湘潭市')),
  state       text NOT NULL DEFAULT '在用' CHECK (state IN ('在用','已撤销','已合并')),
  merged_into integer REFERENCES czt.department(id),
  ord         integer NOT NULL DEFAULT 0,
  source      text NOT NULL DEFAULT 'seed',
  quote       text
);
CREATE TABLE czt.dept_alias (
  alias   text PRIMARY KEY,
  dept_id integer NOT NULL REFERENCES czt.department(id)
);
CREATE TABLE czt.plan_node (
  id              text PRIMARY KEY,
  parent_id       text REFERENCES czt.plan_node(id),
  kind            text NOT NULL,
  ord             integer NOT NULL,
  no              integer,
  title           text NOT NULL,
  label           text NOT NULL,
  section_as_task integer NOT NULL DEFAULT 0
);
CREATE TABLE czt.plan_para (
  node_id text NOT NULL REFERENCES czt.plan_node(id),
  ord     integer NOT NULL,
  text    text NOT NULL,
  PRIMARY KEY (node_id, ord)
);
-- settings of the plan itself (plan.title …), not a person's
CREATE TABLE czt.plan_setting (
  key   text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE czt.measure (
  id             text PRIMARY KEY,
  task_id        text NOT NULL REFERENCES czt.plan_node(id),
  ord            integer NOT NULL,
  text           text NOT NULL,
  actionable     integer NOT NULL CHECK (actionable IN (0,1)),
  lead_confirmed integer NOT NULL DEFAULT 0 CHECK (lead_confirmed IN (0,1)),
  suggest_reason text,
  suggest_unsure integer NOT NULL DEFAULT 0 CHECK (suggest_unsure IN (0,1)),
  deadline       text CHECK (deadline IS NULL OR deadline ~ '^\d{4}-[01]\d-[0-3]\d$'),
  status         text NOT NULL DEFAULT '未启动' CHECK (status IN ('未启动','推进中','已完成','滞后')),
  progress       text NOT NULL DEFAULT '',
  note           text NOT NULL DEFAULT '',
  updated_at     text
);
CREATE INDEX measure_task ON czt.measure(task_id, ord);
-- a measure's leads, in order (the first is the one a single-lead copy shows)
CREATE TABLE czt.measure_lead (
  measure_id text NOT NULL REFERENCES czt.measure(id),
  dept_id    integer NOT NULL REFERENCES czt.department(id),
  ord        integer NOT NULL,
  PRIMARY KEY (measure_id, dept_id)
);
CREATE INDEX measure_lead_dept ON czt.measure_lead(dept_id);
CREATE TABLE czt.measure_co (
  measure_id text NOT NULL REFERENCES czt.measure(id),
  dept_id    integer NOT NULL REFERENCES czt.department(id),
  ord        integer NOT NULL,
  PRIMARY KEY (measure_id, dept_id)
);
CREATE INDEX measure_co_dept ON czt.measure_co(dept_id);
CREATE TABLE czt.measure_city (
  measure_id text NOT NULL REFERENCES czt.measure(id),
  city       text NOT NULL CHECK (city IN ('长沙市','株洲市','湘潭市')),
  PRIMARY KEY (measure_id, city)
);
CREATE TABLE czt.project (
  id               text PRIMARY KEY,
  name             text NOT NULL CHECK (length(btrim(name)) > 0),
  category         text NOT NULL,
  stage            text NOT NULL DEFAULT '谋划',
  start_year       integer,
  end_year         integer,
  total_investment double precision CHECK (total_investment IS NULL OR total_investment >= 0),
  lead_id          integer REFERENCES czt.department(id),
  quote            text,
  task_id          text REFERENCES czt.plan_node(id),
  source           text NOT NULL CHECK (source IN ('plan','user')),
  progress_text    text NOT NULL DEFAULT '',
  problems         text NOT NULL DEFAULT '',
  location         text NOT NULL DEFAULT '',
  ord              integer NOT NULL,
  deleted          integer NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  updated_at       text
);
CREATE TABLE czt.project_city (
  project_id text NOT NULL REFERENCES czt.project(id),
  city       text NOT NULL CHECK (city IN ('长沙市','株洲市','湘潭市')),
  PRIMARY KEY (project_id, city)
);
CREATE TABLE czt.project_task (
  project_id text NOT NULL REFERENCES czt.project(id),
  task_id    text NOT NULL REFERENCES czt.plan_node(id),
  ord        integer NOT NULL,
  PRIMARY KEY (project_id, task_id)
);
CREATE TABLE czt.project_year_plan (
  project_id text NOT NULL REFERENCES czt.project(id),
  year       integer NOT NULL CHECK (year BETWEEN 2021 AND 2035),
  planned    double precision CHECK (planned IS NULL OR planned >= 0),
  completed  double precision CHECK (completed IS NULL OR completed >= 0),
  PRIMARY KEY (project_id, year)
);
CREATE TABLE czt.indicator (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  unit           text NOT NULL DEFAULT '',
  direction      text,
  target2025     double precision,
  baseline2021   double precision,
  tolerance      double precision,
  quote          text NOT NULL,
  baseline_quote text,
  kind           text NOT NULL CHECK (kind IN ('quantitative','qualitative')),
  note           text NOT NULL DEFAULT '',
  ord            integer NOT NULL
);
CREATE TABLE czt.indicator_actual (
  indicator_id text NOT NULL REFERENCES czt.indicator(id),
  year         integer NOT NULL CHECK (year BETWEEN 2021 AND 2035),
  value        double precision,
  source       text NOT NULL DEFAULT '',
  note         text NOT NULL DEFAULT '',
  updated_at   text,
  PRIMARY KEY (indicator_id, year)
);

-- the people: LOGIN is the PostgreSQL role name; a department's people act for dept_id
CREATE TABLE czt.person (
  login      text PRIMARY KEY,
  name       text NOT NULL CHECK (length(btrim(name)) > 0),
  unit       text NOT NULL CHECK (length(btrim(unit)) > 0),
  role       text NOT NULL CHECK (role IN ('office','dept')),
  dept_id    integer REFERENCES czt.department(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (role = 'office' OR dept_id IS NOT NULL)
);

-- every field change applied, in the order applied (seq is assigned under one lock, so a copy
-- that has read up to seq N never later finds a smaller number committed)
CREATE TABLE czt.change_log (
  seq        bigint PRIMARY KEY,
  op_id      text NOT NULL UNIQUE,
  tbl        text NOT NULL,
  row_id     text NOT NULL,
  field      text NOT NULL,
  old_value  text,
  new_value  text,
  person     text NOT NULL,
  actor      text NOT NULL,
  unit       text NOT NULL,
  device     text NOT NULL,
  op         text NOT NULL,
  client_at  text,
  server_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX change_log_row ON czt.change_log(tbl, row_id, field);
CREATE SEQUENCE czt.change_seq;

-- operations not applied: kind 'conflict' (the server value was no longer the base) or
-- 'refused' (the caller may not make it, or the row does not exist); the server value stays
CREATE TABLE czt.conflict (
  id           bigserial PRIMARY KEY,
  op_id        text NOT NULL UNIQUE,
  kind         text NOT NULL CHECK (kind IN ('conflict','refused')),
  tbl          text NOT NULL,
  row_id       text NOT NULL,
  field        text NOT NULL,
  base_value   text,
  mine_value   text,
  server_value text,
  reason       text NOT NULL DEFAULT '',
  person       text NOT NULL,
  actor        text NOT NULL,
  unit         text NOT NULL,
  device       text NOT NULL,
  op           text NOT NULL,
  client_at    text,
  server_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- the change log and the conflicts can be neither rewritten nor emptied, not even by their owner
CREATE FUNCTION czt.refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION '变更记录只能追加，不能修改或删除（%）', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $f$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON czt.change_log FOR EACH ROW EXECUTE FUNCTION czt.refuse_rewrite();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON czt.change_log FOR EACH STATEMENT EXECUTE FUNCTION czt.refuse_rewrite();
CREATE TRIGGER conflict_append_only BEFORE UPDATE OR DELETE ON czt.conflict FOR EACH ROW EXECUTE FUNCTION czt.refuse_rewrite();
CREATE TRIGGER conflict_no_truncate BEFORE TRUNCATE ON czt.conflict FOR EACH STATEMENT EXECUTE FUNCTION czt.refuse_rewrite();

-- ------------------------------------------------------------------ values as the workbench encodes them
-- (the local audit's encoding: text as is, numbers and booleans and lists as JSON, NULL as NULL)

CREATE FUNCTION czt.enc_num(v double precision) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT CASE WHEN v IS NULL THEN NULL ELSE v::text END
$f$;
CREATE FUNCTION czt.enc_ids(ids integer[]) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT '[' || coalesce(array_to_string(ids, ','), '') || ']'
$f$;
-- as JSON.stringify writes a list of strings: no spaces (jsonb's text form has them)
CREATE FUNCTION czt.enc_strs(xs text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT '[' || coalesce((SELECT string_agg(to_json(x)::text, ',' ORDER BY n) FROM unnest(xs) WITH ORDINALITY AS u(x, n)), '') || ']'
$f$;
CREATE FUNCTION czt.city_order(c text) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
  SELECT array_position(ARRAY['长沙市','株洲市','湘潭市'], c)
$f$;

-- One field's current value, encoded; raises no_data_found when the row does not exist.
CREATE FUNCTION czt.field_get(p_tbl text, p_row text, p_field text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = czt, pg_temp AS $f$
DECLARE
  m czt.measure; p czt.project; d czt.department; a czt.indicator_actual; y czt.project_year_plan; r text[];
BEGIN
  IF p_tbl = 'measure' THEN
    SELECT * INTO m FROM measure WHERE id = p_row;
    IF NOT FOUND THEN RAISE EXCEPTION '服务器上没有措施 %', p_row USING ERRCODE = 'no_data_found'; END IF;
    CASE p_field
      WHEN 'leads' THEN RETURN enc_ids(ARRAY(SELECT dept_id FROM measure_lead WHERE measure_id = p_row ORDER BY ord));
      WHEN 'leadConfirmed' THEN RETURN CASE WHEN m.lead_confirmed = 1 THEN 'true' ELSE 'false' END;
      WHEN 'coIds' THEN RETURN enc_ids(ARRAY(SELECT dept_id FROM measure_co WHERE measure_id = p_row ORDER BY ord));
      WHEN 'cities' THEN RETURN enc_strs(ARRAY(SELECT city FROM measure_city WHERE measure_id = p_row ORDER BY city_order(city)));
      WHEN 'deadline' THEN RETURN m.deadline;
      WHEN 'status' THEN RETURN m.status;
      WHEN 'progress' THEN RETURN m.progress;
      WHEN 'note' THEN RETURN m.note;
      ELSE NULL;
    END CASE;
  ELSIF p_tbl = 'project' THEN
    SELECT * INTO p FROM project WHERE id = p_row;
    IF NOT FOUND THEN RAISE EXCEPTION '服务器上没有项目 %', p_row USING ERRCODE = 'no_data_found'; END IF;
    r := regexp_match(p_field, '^yearPlan\.(\d{4})\.(planned|completed)$');
    IF r IS NOT NULL THEN
      SELECT * INTO y FROM project_year_plan WHERE project_id = p_row AND year = r[1]::integer;
      IF NOT FOUND THEN RETURN NULL; END IF;
      RETURN enc_num(CASE WHEN r[2] = 'planned' THEN y.planned ELSE y.completed END);
    END IF;
    CASE p_field
      WHEN 'name' THEN RETURN p.name;
      WHEN 'category' THEN RETURN p.category;
      WHEN 'stage' THEN RETURN p.stage;
      WHEN 'startYear' THEN RETURN p.start_year::text;
      WHEN 'endYear' THEN RETURN p.end_year::text;
      WHEN 'totalInvestment' THEN RETURN enc_num(p.total_investment);
      WHEN 'leadId' THEN RETURN p.lead_id::text;
      WHEN 'location' THEN RETURN p.location;
      WHEN 'progressText' THEN RETURN p.progress_text;
      WHEN 'problems' THEN RETURN p.problems;
      WHEN 'taskId' THEN RETURN p.task_id;
      WHEN 'cities' THEN RETURN enc_strs(ARRAY(SELECT city FROM project_city WHERE project_id = p_row ORDER BY city_order(city)));
      WHEN 'linkedTaskIds' THEN RETURN enc_strs(ARRAY(SELECT task_id FROM project_task WHERE project_id = p_row ORDER BY ord));
      WHEN 'deleted' THEN RETURN CASE WHEN p.deleted = 1 THEN 'true' ELSE 'false' END;
      ELSE NULL;
    END CASE;
  ELSIF p_tbl = 'department' THEN
    SELECT * INTO d FROM department WHERE id::text = p_row;
    IF NOT FOUND THEN RAISE EXCEPTION '服务器上没有部门 %', p_row USING ERRCODE = 'no_data_found'; END IF;
    CASE p_field
      WHEN 'name' THEN RETURN d.name;
      WHEN 'state' THEN RETURN d.state;
      WHEN 'mergedInto' THEN RETURN d.merged_into::text;
      ELSE NULL;
    END CASE;
  ELSIF p_tbl = 'indicator_actual' THEN
    PERFORM 1 FROM indicator WHERE id = p_row;
    IF NOT FOUND THEN RAISE EXCEPTION '服务器上没有指标 %', p_row USING ERRCODE = 'no_data_found'; END IF;
    r := regexp_match(p_field, '^(\d{4})\.(value|source|note)$');
    IF r IS NOT NULL THEN
      SELECT * INTO a FROM indicator_actual WHERE indicator_id = p_row AND year = r[1]::integer;
      IF NOT FOUND THEN RETURN NULL; END IF;
      RETURN CASE r[2] WHEN 'value' THEN enc_num(a.value) WHEN 'source' THEN nullif(a.source, '') ELSE nullif(a.note, '') END;
    END IF;
  END IF;
  RAISE EXCEPTION '不能同步的字段：%.%', p_tbl, p_field USING ERRCODE = 'feature_not_supported';
END $f$;

-- Two encoded values of one field are the same (an indicator's empty source or note is no source)
CREATE FUNCTION czt.same_value(p_tbl text, p_field text, a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
  SELECT CASE WHEN p_tbl = 'indicator_actual' AND p_field ~ '\.(source|note)$'
              THEN coalesce(a, '') = coalesce(b, '')
              ELSE a IS NOT DISTINCT FROM b END
$f$;

CREATE FUNCTION czt.json_ids(v text) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $f$
  SELECT coalesce(ARRAY(SELECT (e.x)::integer FROM jsonb_array_elements_text(coalesce(v, '[]')::jsonb) WITH ORDINALITY AS e(x, n) ORDER BY e.n), '{}')
$f$;
CREATE FUNCTION czt.json_strs(v text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $f$
  SELECT coalesce(ARRAY(SELECT e.x FROM jsonb_array_elements_text(coalesce(v, '[]')::jsonb) WITH ORDINALITY AS e(x, n) ORDER BY e.n), '{}')
$f$;
CREATE FUNCTION czt.json_bool(v text) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$
  SELECT CASE v WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE NULL END
$f$;

-- Write one field (values are data here, never SQL: every statement is written out per field).
CREATE FUNCTION czt.field_set(p_tbl text, p_row text, p_field text, v text, p_at text) RETURNS void
LANGUAGE plpgsql SET search_path = czt, pg_temp AS $f$
DECLARE r text[]; ids integer[]; strs text[]; yr integer; b integer;
BEGIN
  IF p_tbl = 'measure' THEN
    CASE p_field
      WHEN 'leads' THEN
        ids := json_ids(v);
        DELETE FROM measure_lead WHERE measure_id = p_row;
        INSERT INTO measure_lead (measure_id, dept_id, ord) SELECT p_row, x, n - 1 FROM unnest(ids) WITH ORDINALITY AS u(x, n);
      WHEN 'leadConfirmed' THEN
        b := json_bool(v);
        IF b IS NULL THEN RAISE EXCEPTION '“牵头单位已确认”应为 true 或 false' USING ERRCODE = 'invalid_parameter_value'; END IF;
        UPDATE measure SET lead_confirmed = b WHERE id = p_row;
      WHEN 'coIds' THEN
        ids := json_ids(v);
        DELETE FROM measure_co WHERE measure_id = p_row;
        INSERT INTO measure_co (measure_id, dept_id, ord) SELECT p_row, x, n - 1 FROM unnest(ids) WITH ORDINALITY AS u(x, n);
      WHEN 'cities' THEN
        strs := json_strs(v);
        DELETE FROM measure_city WHERE measure_id = p_row;
        INSERT INTO measure_city (measure_id, city) SELECT DISTINCT p_row, x FROM unnest(strs) AS u(x);
      WHEN 'deadline' THEN UPDATE measure SET deadline = v WHERE id = p_row;
      WHEN 'status' THEN UPDATE measure SET status = v WHERE id = p_row;
      WHEN 'progress' THEN UPDATE measure SET progress = coalesce(v, '') WHERE id = p_row;
      WHEN 'note' THEN UPDATE measure SET note = coalesce(v, '') WHERE id = p_row;
    END CASE;
    UPDATE measure SET updated_at = p_at WHERE id = p_row;
  ELSIF p_tbl = 'project' THEN
    r := regexp_match(p_field, '^yearPlan\.(\d{4})\.(planned|completed)$');
    IF r IS NOT NULL THEN
      yr := r[1]::integer;
      INSERT INTO project_year_plan (project_id, year) VALUES (p_row, yr) ON CONFLICT DO NOTHING;
      IF r[2] = 'planned' THEN UPDATE project_year_plan SET planned = v::double precision WHERE project_id = p_row AND year = yr;
      ELSE UPDATE project_year_plan SET completed = v::double precision WHERE project_id = p_row AND year = yr; END IF;
      DELETE FROM project_year_plan WHERE project_id = p_row AND year = yr AND planned IS NULL AND completed IS NULL;
    ELSE
      CASE p_field
        WHEN 'name' THEN UPDATE project SET name = v WHERE id = p_row;
        WHEN 'category' THEN UPDATE project SET category = v WHERE id = p_row;
        WHEN 'stage' THEN UPDATE project SET stage = v WHERE id = p_row;
        WHEN 'startYear' THEN UPDATE project SET start_year = v::integer WHERE id = p_row;
        WHEN 'endYear' THEN UPDATE project SET end_year = v::integer WHERE id = p_row;
        WHEN 'totalInvestment' THEN UPDATE project SET total_investment = v::double precision WHERE id = p_row;
        WHEN 'leadId' THEN UPDATE project SET lead_id = v::integer WHERE id = p_row;
        WHEN 'location' THEN UPDATE project SET location = coalesce(v, '') WHERE id = p_row;
        WHEN 'progressText' THEN UPDATE project SET progress_text = coalesce(v, '') WHERE id = p_row;
        WHEN 'problems' THEN UPDATE project SET problems = coalesce(v, '') WHERE id = p_row;
        WHEN 'taskId' THEN UPDATE project SET task_id = v WHERE id = p_row;
        WHEN 'cities' THEN
          strs := json_strs(v);
          DELETE FROM project_city WHERE project_id = p_row;
          INSERT INTO project_city (project_id, city) SELECT DISTINCT p_row, x FROM unnest(strs) AS u(x);
        WHEN 'linkedTaskIds' THEN
          strs := json_strs(v);
          DELETE FROM project_task WHERE project_id = p_row;
          INSERT INTO project_task (project_id, task_id, ord) SELECT p_row, x, n - 1 FROM unnest(strs) WITH ORDINALITY AS u(x, n);
        WHEN 'deleted' THEN
          b := json_bool(v);
          IF b IS NULL THEN RAISE EXCEPTION '“已删除”应为 true 或 false' USING ERRCODE = 'invalid_parameter_value'; END IF;
          UPDATE project SET deleted = b WHERE id = p_row;
      END CASE;
    END IF;
    UPDATE project SET updated_at = p_at WHERE id = p_row;
  ELSIF p_tbl = 'department' THEN
    CASE p_field
      WHEN 'name' THEN UPDATE department SET name = v WHERE id::text = p_row;
      WHEN 'state' THEN UPDATE department SET state = v WHERE id::text = p_row;
      WHEN 'mergedInto' THEN UPDATE department SET merged_into = v::integer WHERE id::text = p_row;
    END CASE;
  ELSIF p_tbl = 'indicator_actual' THEN
    r := regexp_match(p_field, '^(\d{4})\.(value|source|note)$');
    yr := r[1]::integer;
    INSERT INTO indicator_actual (indicator_id, year) VALUES (p_row, yr) ON CONFLICT DO NOTHING;
    IF r[2] = 'value' THEN UPDATE indicator_actual SET value = v::double precision, updated_at = p_at WHERE indicator_id = p_row AND year = yr;
    ELSIF r[2] = 'source' THEN UPDATE indicator_actual SET source = coalesce(v, ''), updated_at = p_at WHERE indicator_id = p_row AND year = yr;
    ELSE UPDATE indicator_actual SET note = coalesce(v, ''), updated_at = p_at WHERE indicator_id = p_row AND year = yr; END IF;
    DELETE FROM indicator_actual WHERE indicator_id = p_row AND year = yr AND value IS NULL AND source = '' AND note = '';
  END IF;
END $f$;

-- Why this person may not make this operation (NULL: they may). The office changes everything;
-- a department in use changes progress, status and notes of the measures it leads (one of their
-- leads), adds to the note of a measure it co-operates on (the new note keeps the old one at its
-- start), and changes the progress fields of the projects it leads.
CREATE FUNCTION czt.refusal(who czt.person, p_tbl text, p_row text, p_field text, p_old text, p_new text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = czt, pg_temp AS $f$
DECLARE st text;
BEGIN
  IF who.role = 'office' THEN RETURN NULL; END IF;
  SELECT state INTO st FROM department WHERE id = who.dept_id;
  IF st IS DISTINCT FROM '在用' THEN RETURN format('%s已%s，不能再修改', who.unit, coalesce(st, '不存在')); END IF;
  IF p_tbl = 'measure' THEN
    IF p_field IN ('status', 'progress', 'note') AND EXISTS (SELECT 1 FROM measure_lead WHERE measure_id = p_row AND dept_id = who.dept_id) THEN
      RETURN NULL;
    END IF;
    IF p_field = 'note' AND EXISTS (SELECT 1 FROM measure_co WHERE measure_id = p_row AND dept_id = who.dept_id)
       AND left(coalesce(p_new, ''), length(coalesce(p_old, ''))) = coalesce(p_old, '') THEN
      RETURN NULL;
    END IF;
    IF p_field IN ('status', 'progress', 'note') THEN
      RETURN format('措施 %s 不由%s牵头，只有牵头单位能修改进展、状态和备注（配合单位只能追加备注）', p_row, who.unit);
    END IF;
    RETURN format('措施的“%s”只能由统筹办公室修改', p_field);
  END IF;
  IF p_tbl = 'project' THEN
    IF (p_field IN ('stage', 'startYear', 'endYear', 'totalInvestment', 'location', 'progressText', 'problems') OR p_field ~ '^yearPlan\.')
       AND EXISTS (SELECT 1 FROM project WHERE id = p_row AND lead_id = who.dept_id) THEN
      RETURN NULL;
    END IF;
    RETURN format('项目 %s 的“%s”只能由其牵头单位或统筹办公室修改', p_row, p_field);
  END IF;
  RETURN '只有统筹办公室能修改部门和指标';
END $f$;

-- The only way to write. ops: a JSON array of {opId, tbl, rowId, field, base, value, op, device,
-- clientAt}; base and value encoded like the local audit (NULL allowed). Each operation:
-- already seen (its op id in the log or the conflicts) -> its earlier result, nothing changes;
-- refused (rights, missing row, bad value) -> a 'refused' conflict row; the server value no longer
-- its base -> a 'conflict' row with both values; otherwise written and appended to the log.
-- Returns one result per operation, in order: {opId, result, seq?, server?, known?, reason?}
-- (known false: the server has no such row or field, so server is no value of it).
CREATE FUNCTION czt.apply_ops(ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = czt, pg_temp AS $f$
DECLARE
  who person; o jsonb; cur text; why text; s bigint; out jsonb := '[]'::jsonb; res jsonb;
  v_op text; v_tbl text; v_row text; v_field text; v_base text; v_new text; v_dev text; v_at text; v_label text;
  c conflict; last_seq bigint := NULL; known boolean;
BEGIN
  SELECT * INTO who FROM person WHERE login = session_user;
  IF NOT FOUND THEN RAISE EXCEPTION '用户 % 未在协同服务器登记', session_user USING ERRCODE = 'insufficient_privilege'; END IF;
  IF jsonb_typeof(ops) IS DISTINCT FROM 'array' THEN RAISE EXCEPTION '操作应为 JSON 数组' USING ERRCODE = 'invalid_parameter_value'; END IF;
  -- one writer at a time: sequence numbers then follow commit order
  PERFORM pg_advisory_xact_lock(hashtext('czt.apply_ops'));
  FOR o IN SELECT * FROM jsonb_array_elements(ops) LOOP
    v_op := o->>'opId'; v_tbl := o->>'tbl'; v_row := o->>'rowId'; v_field := o->>'field';
    v_base := o->>'base'; v_new := o->>'value';
    v_dev := left(coalesce(o->>'device', ''), 100); v_at := left(o->>'clientAt', 40); v_label := left(coalesce(o->>'op', '同步'), 100);
    IF v_op IS NULL OR length(v_op) NOT BETWEEN 8 AND 100 OR v_tbl IS NULL OR v_row IS NULL OR v_field IS NULL THEN
      RAISE EXCEPTION '操作缺少编号、表、行或字段' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT seq INTO s FROM change_log WHERE op_id = v_op;
    IF FOUND THEN
      out := out || jsonb_build_object('opId', v_op, 'result', 'applied', 'seq', s, 'again', true);
      CONTINUE;
    END IF;
    SELECT * INTO c FROM conflict WHERE op_id = v_op;
    IF FOUND THEN
      known := true;
      BEGIN cur := field_get(v_tbl, v_row, v_field); EXCEPTION WHEN OTHERS THEN cur := NULL; known := false; END;
      out := out || jsonb_build_object('opId', v_op, 'result', c.kind, 'server', cur, 'known', known, 'reason', c.reason, 'again', true);
      CONTINUE;
    END IF;
    why := NULL; cur := NULL; known := false;
    BEGIN
      cur := field_get(v_tbl, v_row, v_field);
      known := true;
      why := refusal(who, v_tbl, v_row, v_field, cur, v_new);
      IF why IS NULL AND same_value(v_tbl, v_field, cur, v_base) THEN
        IF NOT same_value(v_tbl, v_field, cur, v_new) THEN
          PERFORM field_set(v_tbl, v_row, v_field, v_new, coalesce(v_at, clock_timestamp()::text));
        END IF;
        s := nextval('change_seq');
        INSERT INTO change_log (seq, op_id, tbl, row_id, field, old_value, new_value, person, actor, unit, device, op, client_at)
          VALUES (s, v_op, v_tbl, v_row, v_field, cur, v_new, who.login, who.name, who.unit, v_dev, v_label, v_at);
        last_seq := s;
        res := jsonb_build_object('opId', v_op, 'result', 'applied', 'seq', s);
      END IF;
    EXCEPTION WHEN OTHERS THEN
      -- a missing row, a value the table refuses (bad JSON, unknown department, bad date …)
      why := format('未能应用：%s', SQLERRM);
    END;
    IF why IS NOT NULL OR NOT same_value(v_tbl, v_field, cur, v_base) THEN
      INSERT INTO conflict (op_id, kind, tbl, row_id, field, base_value, mine_value, server_value, reason, person, actor, unit, device, op, client_at)
        VALUES (v_op, CASE WHEN why IS NULL THEN 'conflict' ELSE 'refused' END, v_tbl, v_row, v_field, v_base, v_new, cur,
                coalesce(why, ''), who.login, who.name, who.unit, v_dev, v_label, v_at);
      res := jsonb_build_object('opId', v_op, 'result', CASE WHEN why IS NULL THEN 'conflict' ELSE 'refused' END, 'server', cur, 'known', known, 'reason', coalesce(why, ''));
    END IF;
    out := out || res;
  END LOOP;
  IF last_seq IS NOT NULL THEN PERFORM pg_notify('czt_changes', last_seq::text); END IF;
  RETURN out;
END $f$;

-- who is calling (for the app's status line): login, name, unit, role, department
CREATE FUNCTION czt.whoami() RETURNS TABLE (login text, name text, unit text, role text, dept_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = czt, pg_temp AS $f$
  SELECT login, name, unit, role, dept_id FROM person WHERE login = session_user
$f$;
`;

// Rights. Group roles are cluster-wide: czt_user (everybody), czt_office, czt_dept_<id> (made by
// server-user). Reading is open to czt_user; writing only through apply_ops.
export const GRANTS = String.raw`
DO $d$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'czt_user') THEN CREATE ROLE czt_user NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'czt_office') THEN CREATE ROLE czt_office NOLOGIN IN ROLE czt_user; END IF;
END $d$;
REVOKE ALL ON ALL TABLES IN SCHEMA czt FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA czt FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA czt FROM PUBLIC;
GRANT USAGE ON SCHEMA czt TO czt_user;
GRANT SELECT ON ALL TABLES IN SCHEMA czt TO czt_user;
GRANT EXECUTE ON FUNCTION czt.apply_ops(jsonb), czt.whoami() TO czt_user;
-- a department sees its own refused and conflicting operations; the office sees all of them
ALTER TABLE czt.conflict ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS conflict_read ON czt.conflict;
CREATE POLICY conflict_read ON czt.conflict FOR SELECT TO czt_user
  USING (person = session_user OR EXISTS (SELECT 1 FROM czt.person p WHERE p.login = session_user AND p.role = 'office'));
`;
