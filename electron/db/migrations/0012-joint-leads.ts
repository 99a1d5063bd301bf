import type { Database } from 'better-sqlite3';

// Migration 12 (numbered 0010 on its branch), issue 21, joint leads: a measure's 牵头单位 is an ordered list of departments (the first is
// 主责), as 任务分工方案 write "省发展改革委、省交通运输厅" or "三市人民政府". measure_lead holds
// the list as measure_co holds the co-operators; each measure's existing lead_id becomes its
// lead of ord 0 (lead_confirmed and the suggestion columns stay per measure).
//
// measure.lead_id stays, as the first lead: the indices, the sort and the dashboard's facts read
// one column. It is derived, and the database keeps it so:
// - every change of measure_lead sets measure.lead_id to the list's first department;
// - an UPDATE that sets lead_id to anything else is refused (ABORT), so no code path can make
//   the column and the list disagree;
// - a measure inserted with a lead_id (the seed, the benchmark generator) gets that lead as
//   its list of one.
export function up(db: Database): void {
  db.exec(`
    -- the name goes to the table; the index on the first lead stays under another name
    DROP INDEX measure_lead;
    CREATE INDEX measure_first_lead ON measure(lead_id);
    CREATE TABLE measure_lead (
      measure_id TEXT NOT NULL REFERENCES measure(id),
      dept_id    INTEGER NOT NULL REFERENCES department(id),
      ord        INTEGER NOT NULL,
      PRIMARY KEY (measure_id, dept_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX measure_lead_dept ON measure_lead(dept_id);

    INSERT INTO measure_lead (measure_id, dept_id, ord) SELECT id, lead_id, 0 FROM measure WHERE lead_id IS NOT NULL;
    -- a department is a lead or a co-operator of a measure, not both (the service kept this for lead_id already)
    DELETE FROM measure_co WHERE EXISTS (SELECT 1 FROM measure_lead l WHERE l.measure_id = measure_co.measure_id AND l.dept_id = measure_co.dept_id);

    CREATE TRIGGER measure_lead_first_insert AFTER INSERT ON measure_lead BEGIN
      UPDATE measure SET lead_id = (SELECT dept_id FROM measure_lead WHERE measure_id = NEW.measure_id ORDER BY ord LIMIT 1)
       WHERE id = NEW.measure_id;
    END;
    CREATE TRIGGER measure_lead_first_delete AFTER DELETE ON measure_lead BEGIN
      UPDATE measure SET lead_id = (SELECT dept_id FROM measure_lead WHERE measure_id = OLD.measure_id ORDER BY ord LIMIT 1)
       WHERE id = OLD.measure_id;
    END;
    CREATE TRIGGER measure_lead_first_update AFTER UPDATE ON measure_lead BEGIN
      UPDATE measure SET lead_id = (SELECT dept_id FROM measure_lead WHERE measure_id = OLD.measure_id ORDER BY ord LIMIT 1)
       WHERE id = OLD.measure_id;
      UPDATE measure SET lead_id = (SELECT dept_id FROM measure_lead WHERE measure_id = NEW.measure_id ORDER BY ord LIMIT 1)
       WHERE id = NEW.measure_id;
    END;
    CREATE TRIGGER measure_lead_id_derived BEFORE UPDATE OF lead_id ON measure
      WHEN NEW.lead_id IS NOT (SELECT dept_id FROM measure_lead WHERE measure_id = NEW.id ORDER BY ord LIMIT 1)
      BEGIN SELECT RAISE(ABORT, 'measure.lead_id is the first of measure_lead: change the list'); END;
    CREATE TRIGGER measure_lead_on_insert AFTER INSERT ON measure WHEN NEW.lead_id IS NOT NULL BEGIN
      INSERT OR IGNORE INTO measure_lead (measure_id, dept_id, ord) VALUES (NEW.id, NEW.lead_id, 0);
    END;
  `);
}
