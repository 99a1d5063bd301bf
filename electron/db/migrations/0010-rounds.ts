import type { Database } from 'better-sqlite3';

const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');
// Spelled out here (not imported from shared/) so that this migration never changes once shipped.
const STATUSES = ['未启动', '推进中', '已完成', '滞后'];
const DEPT_STATES = ['未报送', '已报送', '已采纳', '已退回'];
const REPORT_STATES = ['待审核', '已采纳', '已退回', '已替换'];
const EVENTS = ['新建', '下发', '重新下发', '催办', '收取', '采纳', '退回', '结束', '佐证'];
const DAY = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'";
const SHA = "length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'";

// 调度轮次 (issue 18): a reporting round from the coordinating office to the departments and back.
// - round: title, period end, due date, scope (chapters or chosen measures), state.
// - round_dept: who reports in the round, where each stands (未报送/已报送/已采纳/已退回), received
//   time, reminders sent, the return reason.
// - round_measure: which measure goes to which department, fixed when the round is opened (a later
//   change of allocation does not move a round under way); role 牵头 or 配合.
// - round_submission: each returned file taken in (name, content hash, time received); a corrected
//   file supersedes the earlier one, and both stay.
// - round_report: the reported values per measure per department per submission; the earlier
//   reports of a superseded submission are kept as 已替换. Only one live report per
//   (round, department, measure) (a partial unique index).
// - round_event: the round's record (opened, distributed, re-distributed, reminded, collected,
//   accepted, returned with reason, closed, evidence added).
// - round_snapshot: each measure of the round as it stood when the round closed (accepted reports
//   applied), the base of comparisons and assessments.
// - attachment / round_evidence: content-addressed files (佐证材料) beside the database.
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE round (
      id         INTEGER PRIMARY KEY,
      title      TEXT NOT NULL CHECK (length(trim(title)) > 0 AND length(title) <= 100),
      period_end TEXT NOT NULL CHECK (period_end ${DAY}),
      due_date   TEXT NOT NULL CHECK (due_date ${DAY}),
      scope      TEXT NOT NULL CHECK (json_valid(scope) AND json_type(scope) = 'object'),
      with_co    INTEGER NOT NULL DEFAULT 0 CHECK (with_co IN (0,1)),
      note       TEXT NOT NULL DEFAULT '',
      state      TEXT NOT NULL DEFAULT '进行中' CHECK (state IN ('进行中','已结束')),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      closed_at  TEXT,
      CHECK ((state = '已结束') = (closed_at IS NOT NULL))
    ) STRICT;

    CREATE TABLE round_dept (
      round_id       INTEGER NOT NULL REFERENCES round(id),
      dept_id        INTEGER NOT NULL REFERENCES department(id),
      ord            INTEGER NOT NULL,
      state          TEXT NOT NULL DEFAULT '未报送' CHECK (state IN (${list(DEPT_STATES)})),
      distributed_at TEXT,
      received_at    TEXT,
      reminders      INTEGER NOT NULL DEFAULT 0 CHECK (reminders >= 0),
      reminded_at    TEXT,
      return_reason  TEXT,
      CHECK (state = '未报送' OR received_at IS NOT NULL),
      PRIMARY KEY (round_id, dept_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE round_measure (
      round_id   INTEGER NOT NULL,
      dept_id    INTEGER NOT NULL,
      measure_id TEXT NOT NULL REFERENCES measure(id),
      role       TEXT NOT NULL CHECK (role IN ('牵头','配合')),
      PRIMARY KEY (round_id, dept_id, measure_id),
      FOREIGN KEY (round_id, dept_id) REFERENCES round_dept(round_id, dept_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX round_measure_by_measure ON round_measure(measure_id, round_id);

    CREATE TABLE round_submission (
      id            INTEGER PRIMARY KEY,
      round_id      INTEGER NOT NULL,
      dept_id       INTEGER NOT NULL,
      file_name     TEXT NOT NULL,
      sha256        TEXT NOT NULL CHECK (${SHA}),
      bytes         INTEGER NOT NULL CHECK (bytes >= 0),
      received_at   TEXT NOT NULL,
      collected_at  TEXT NOT NULL,
      actor         TEXT NOT NULL,
      matched_by    TEXT NOT NULL CHECK (matched_by IN ('meta','confirmed')),
      rows          INTEGER NOT NULL,
      superseded_by INTEGER REFERENCES round_submission(id),
      FOREIGN KEY (round_id, dept_id) REFERENCES round_dept(round_id, dept_id),
      UNIQUE (round_id, sha256)
    ) STRICT;
    CREATE INDEX round_submission_by_dept ON round_submission(round_id, dept_id, id);

    CREATE TABLE round_report (
      id            INTEGER PRIMARY KEY,
      submission_id INTEGER NOT NULL REFERENCES round_submission(id),
      round_id      INTEGER NOT NULL,
      dept_id       INTEGER NOT NULL,
      measure_id    TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN (${list(STATUSES)})),
      progress      TEXT NOT NULL,
      note          TEXT NOT NULL,
      changed       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(changed) AND json_type(changed) = 'array'),
      state         TEXT NOT NULL DEFAULT '待审核' CHECK (state IN (${list(REPORT_STATES)})),
      reason        TEXT,
      reviewed_at   TEXT,
      reviewed_by   TEXT,
      FOREIGN KEY (round_id, dept_id, measure_id) REFERENCES round_measure(round_id, dept_id, measure_id)
    ) STRICT;
    CREATE UNIQUE INDEX round_report_live ON round_report(round_id, dept_id, measure_id) WHERE state <> '已替换';
    CREATE INDEX round_report_by_submission ON round_report(submission_id);

    CREATE TABLE round_event (
      id       INTEGER PRIMARY KEY,
      round_id INTEGER NOT NULL REFERENCES round(id),
      dept_id  INTEGER REFERENCES department(id),
      kind     TEXT NOT NULL CHECK (kind IN (${list(EVENTS)})),
      at       TEXT NOT NULL,
      actor    TEXT NOT NULL,
      detail   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail) AND json_type(detail) = 'object')
    ) STRICT;
    CREATE INDEX round_event_by_round ON round_event(round_id, id);

    CREATE TABLE round_snapshot (
      round_id    INTEGER NOT NULL REFERENCES round(id),
      measure_id  TEXT NOT NULL REFERENCES measure(id),
      chapter_no  INTEGER NOT NULL,
      status      TEXT NOT NULL CHECK (status IN (${list(STATUSES)})),
      progress    TEXT NOT NULL,
      reported_by TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reported_by) AND json_type(reported_by) = 'array'),
      PRIMARY KEY (round_id, measure_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE attachment (
      sha256     TEXT PRIMARY KEY CHECK (${SHA}),
      bytes      INTEGER NOT NULL CHECK (bytes >= 0),
      type       TEXT NOT NULL CHECK (type IN ('pdf','docx','xlsx','doc','xls','png','jpg','gif')),
      created_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE round_evidence (
      id         INTEGER PRIMARY KEY,
      round_id   INTEGER NOT NULL,
      dept_id    INTEGER NOT NULL,
      measure_id TEXT REFERENCES measure(id),
      sha256     TEXT NOT NULL REFERENCES attachment(sha256),
      name       TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 200),
      added_at   TEXT NOT NULL,
      actor      TEXT NOT NULL,
      FOREIGN KEY (round_id, dept_id) REFERENCES round_dept(round_id, dept_id)
    ) STRICT;
    CREATE INDEX round_evidence_by_round ON round_evidence(round_id, dept_id);
  `);
}
