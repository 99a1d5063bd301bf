// Seeds 重点建设项目 (seeds/projects.json) and 目标指标 (seeds/indicators.json) into a database
// that holds the plan: on a new database (seedDatabase) and on one upgraded from before
// migration 3 (the migration itself, or openWorkbenchDb through seedProjectsIfEmpty).
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { City } from '../../shared/domain';
import type { IndicatorDirection, IndicatorKind, ProjectCategory, ProjectStage } from '../../shared/projects';
import { projectQueries } from '../db/project-queries';

export interface ProjectSeed {
  id: string;
  name: string;
  category: ProjectCategory;
  cities: City[];
  /** suggested lead: a name in seeds/departments.json */
  lead: string | null;
  stage: ProjectStage;
  quote: string;
  taskId: string;
  source: 'plan';
  linkedTaskIds?: string[];
}

export interface IndicatorSeed {
  id: string;
  name: string;
  unit: string;
  direction: IndicatorDirection | null;
  target2025: number | null;
  baseline2021: number | null;
  tolerance: number | null;
  quote: string;
  baselineQuote: string | null;
  kind: IndicatorKind;
  note: string;
}

export function loadProjectSeeds(seedsDir: string): ProjectSeed[] {
  const f = path.join(seedsDir, 'projects.json');
  return (JSON.parse(fs.readFileSync(f, 'utf8')) as { projects: ProjectSeed[] }).projects;
}

export function loadIndicatorSeeds(seedsDir: string): IndicatorSeed[] {
  const f = path.join(seedsDir, 'indicators.json');
  return (JSON.parse(fs.readFileSync(f, 'utf8')) as { indicators: IndicatorSeed[] }).indicators;
}

/** seeds/ beside the sources (tsx) or the bundle (out/main), or in the working folder; null when none has projects.json. */
export function locateSeedsDir(): string | null {
  const candidates = [path.resolve(__dirname, '..', '..', 'seeds'), path.resolve(__dirname, '..', 'seeds'), path.resolve(process.cwd(), 'seeds')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'projects.json')) && fs.existsSync(path.join(d, 'indicators.json'))) ?? null;
}

/**
 * Fill the project and indicator tables from seeds/ when they are empty and the plan is there.
 * Does nothing on a database without those tables (before migration 3) or without the plan,
 * or when a seed file is missing. Idempotent; one transaction.
 */
export function seedProjectsIfEmpty(db: Database, seedsDir: string): { projects: number; indicators: number } {
  const q = projectQueries(db);
  const done = { projects: 0, indicators: 0 };
  if (!q.tableExists('project') || !q.tableExists('indicator') || !q.tableExists('plan_node')) return done;
  if (q.planNodeCount() === 0) return done;
  const hasProjects = fs.existsSync(path.join(seedsDir, 'projects.json'));
  const hasIndicators = fs.existsSync(path.join(seedsDir, 'indicators.json'));
  db.transaction(() => {
    if (hasProjects && q.projectCount() === 0) {
      loadProjectSeeds(seedsDir).forEach((p, i) => {
        // a department renamed or merged since is found by its alias; none found: no suggestion
        const leadId = p.lead ? (q.deptIdByName(p.lead) ?? null) : null;
        q.insertProject({
          id: p.id,
          name: p.name,
          category: p.category,
          stage: p.stage,
          start_year: null,
          end_year: null,
          total_investment: null,
          lead_id: leadId,
          quote: p.quote,
          task_id: p.taskId,
          source: 'plan',
          progress_text: '',
          problems: '',
          location: '',
          ord: i + 1,
          updated_at: null,
        });
        if (p.cities.length) q.setProjectCities(p.id, p.cities);
        if (p.linkedTaskIds?.length) q.setProjectTasks(p.id, p.linkedTaskIds);
        done.projects++;
      });
    }
    if (hasIndicators && q.indicatorCount() === 0) {
      loadIndicatorSeeds(seedsDir).forEach((x, i) => {
        q.insertIndicator({
          id: x.id,
          name: x.name,
          unit: x.unit,
          direction: x.direction,
          target2025: x.target2025,
          baseline2021: x.baseline2021,
          tolerance: x.tolerance,
          quote: x.quote,
          baseline_quote: x.baselineQuote,
          kind: x.kind,
          note: x.note,
          ord: i + 1,
        });
        done.indicators++;
      });
    }
  })();
  return done;
}
