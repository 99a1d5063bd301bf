// Builds a workbench database from seeds/: the plan text (parsed), departments, suggestions.
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { chapterLabel, sectionLabel, type DeptLevel, type City } from '../../shared/domain';
import { parsePlan, type ParsedPlan } from './parser';
import { compileRules, type AllocationRules } from './suggest';
import { seedProjectsIfEmpty } from './projects';

interface DeptSeed {
  name: string;
  level: DeptLevel;
  city: City | null;
  aliases: string[];
  quote?: string;
}

export function loadSeeds(seedsDir: string): { planText: string; plan: ParsedPlan; departments: DeptSeed[]; rules: AllocationRules } {
  const planText = fs.readFileSync(path.join(seedsDir, 'plan.txt'), 'utf8');
  const departments = (JSON.parse(fs.readFileSync(path.join(seedsDir, 'departments.json'), 'utf8')) as { departments: DeptSeed[] })
    .departments;
  const rules = JSON.parse(fs.readFileSync(path.join(seedsDir, 'allocation-rules.json'), 'utf8')) as AllocationRules;
  return { planText, plan: parsePlan(planText), departments, rules };
}

/** Fill an empty, migrated database from seeds/ in one transaction. */
export function seedDatabase(db: Database, seedsDir: string): { measures: number; departments: number } {
  const { plan, departments, rules } = loadSeeds(seedsDir);
  const insDept = db.prepare('INSERT INTO department (name, level, city, ord, source, quote) VALUES (?, ?, ?, ?, ?, ?)');
  const insAlias = db.prepare('INSERT OR IGNORE INTO dept_alias (alias, dept_id) VALUES (?, ?)');
  const insNode = db.prepare(
    'INSERT INTO plan_node (id, parent_id, kind, ord, no, title, label, section_as_task) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insPara = db.prepare('INSERT INTO plan_para (node_id, ord, text) VALUES (?, ?, ?)');
  // suggest_unsure came in version 9; the migration tests seed databases of every earlier version
  const hasUnsure = db.prepare("SELECT 1 FROM pragma_table_info('measure') WHERE name = 'suggest_unsure'").get() !== undefined;
  const insMeasure = hasUnsure
    ? db.prepare(
        'INSERT INTO measure (id, task_id, ord, text, actionable, lead_id, lead_confirmed, suggest_reason, suggest_unsure) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)',
      )
    : db.prepare(
        'INSERT INTO measure (id, task_id, ord, text, actionable, lead_id, lead_confirmed, suggest_reason) VALUES (?, ?, ?, ?, ?, ?, 0, ?)',
      );
  const suggester = compileRules(rules, departments);
  const insCity = db.prepare('INSERT INTO measure_city (measure_id, city) VALUES (?, ?)');
  const setSetting = db.prepare('INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)');

  let measureCount = 0;
  db.transaction(() => {
    const deptIds = new Map<string, number>();
    departments.forEach((d, i) => {
      const id = Number(insDept.run(d.name, d.level, d.city, i + 1, 'seed', d.quote ?? null).lastInsertRowid);
      deptIds.set(d.name, id);
    });
    departments.forEach((d) => {
      for (const a of d.aliases) if (!deptIds.has(a)) insAlias.run(a, deptIds.get(d.name));
    });

    const paras = (nodeId: string, list: string[]) => list.forEach((t, i) => insPara.run(nodeId, i, t));
    insNode.run('notice', null, 'part', 0, null, plan.notice.title, '通知', 0);
    paras('notice', plan.notice.paragraphs);
    insNode.run('foreword', null, 'part', 1, null, '前言', '前言', 0);
    paras('foreword', plan.foreword.paragraphs);
    for (const ch of plan.chapters) {
      insNode.run(ch.id, null, 'chapter', 1 + ch.no, ch.no, ch.title, `${chapterLabel(ch.no)} ${ch.title}`, 0);
      paras(ch.id, ch.lead);
      for (const s of ch.sections) {
        insNode.run(s.id, ch.id, 'section', s.no, s.no, s.title, `${sectionLabel(s.no)} ${s.title}`, 0);
        paras(s.id, s.lead);
        for (const t of s.tasks) {
          insNode.run(t.id, s.id, 'task', t.no, t.no, t.title, t.title, t.sectionAsTask ? 1 : 0);
          paras(t.id, t.paragraphs);
          const actionable = ch.no >= 3 ? 1 : 0;
          for (const m of t.measures) {
            const sug = actionable
              ? suggester.suggest({ id: m.id, text: m.text, taskTitle: t.title })
              : { lead: null, alsoLeads: [], reason: null, cities: [], unsure: false };
            const leadId = sug.lead ? deptIds.get(sug.lead) : undefined;
            if (sug.lead && leadId === undefined) throw new Error(`建议规则中的部门不在部门清单中：${sug.lead}`);
            for (const n of sug.alsoLeads) if (!deptIds.has(n)) throw new Error(`建议规则中的部门不在部门清单中：${n}`);
            const row = [m.id, t.id, m.ord, m.text, actionable, leadId ?? null, sug.reason];
            insMeasure.run(...(hasUnsure ? [...row, sug.unsure ? 1 : 0] : row));
            for (const c of sug.cities) insCity.run(m.id, c);
            measureCount++;
          }
        }
      }
    }
    insNode.run('figures', null, 'part', 20, null, '附图', '附图', 0);
    for (const f of plan.figures) insNode.run(f.id, 'figures', 'figure', f.no, f.no, f.title, `图${f.no} ${f.title}`, 0);

    setSetting.run('plan.title', plan.planTitle);
    setSetting.run('plan.repairedText', plan.repairedText);
    setSetting.run('plan.repairs', JSON.stringify(plan.repairs));
    setSetting.run('seed.at', new Date().toISOString());
  })();
  seedProjectsIfEmpty(db, seedsDir);
  return { measures: measureCount, departments: departments.length };
}
