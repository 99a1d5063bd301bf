// A realistic, deterministic large workbench database for the benchmark: the real plan seeded
// first (initWorkbenchDb), then N measures broken down under the plan's actionable tasks (ids
// continuing each task's numbering, so chapter.section.task.measure holds), city and county
// bodies added to the departments, allocations (lead, co, cities, deadlines, statuses, progress
// text), M projects and several audit entries per measure spread over months. Everything from a
// seeded PRNG: the same seed gives the same content (only setting seed.at carries the clock).
// One transaction, prepared statements.
import type { Database } from 'better-sqlite3';
import { initWorkbenchDb, openWorkbenchDb } from '../db/open';
import { CITIES, STATUSES, type City, type Status } from '../../shared/domain';

export interface GenerateOptions {
  measures: number;
  projects: number;
  seed?: number;
  seedsDir?: string;
}

export interface GenerateResult {
  measures: number;
  projects: number;
  auditRows: number;
  departments: number;
  seconds: number;
}

/** mulberry32: small, fast, good enough for test data, and the same everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COUNTIES: Record<City, string[]> = {
  长沙市: ['芙蓉区', '天心区', '岳麓区', '开福区', '雨花区', '望城区', '长沙县', '浏阳市', '宁乡市'],
  株洲市: ['荷塘区', '芦淞区', '石峰区', '天元区', '渌口区', '醴陵市', '攸县', '茶陵县', '炎陵县'],
  湘潭市: ['雨湖区', '岳塘区', '湘潭县', '湘乡市', '韶山市'],
};
const COUNTY_BUREAUS = ['发展和改革局', '自然资源局', '住房和城乡建设局', '交通运输局', '工业和信息化局'];
const CITY_BUREAUS = ['科学技术局', '商务局', '文化旅游广电体育局', '水利局', '城市管理局', '数据资源局'];
const LEADS = ['', '加快', '全面', '持续', '统筹', '大力', '积极'];
const TAILS = [
  '',
  '，确保年底前完成阶段性目标',
  '，形成可复制可推广的经验',
  '，纳入年度重点工作考核',
  '，按季度报送推进情况',
  '，建立工作台账和问题清单',
  '，强化要素保障和资金支持',
];
const PROGRESS = [
  '已制定实施方案，正在组织推进。',
  '已完成前期研究，进入项目审批阶段。',
  '已召开专题协调会，明确责任分工和时间节点。',
  '完成年度目标的{p}%，部分子项目已开工建设。',
  '受用地指标影响，进度滞后，已报请协调解决。',
  '已列入{y}年省重点建设项目，完成投资{n}亿元。',
  '已完成全部建设内容，正在组织验收。',
  '相关政策文件已出台，配套细则正在起草。',
];
const NOTES = ['', '', '', '需省级层面协调', '涉及跨市协同', '资金缺口较大', '纳入督查事项'];
const PROJECT_CATS = ['交通', '物流', '能源', '水利', '产业', '科技创新', '生态环保', '公共服务', '文化旅游', '城市建设', '开放平台'];
const PROJECT_STAGES = ['谋划', '前期', '新开工', '续建', '建成'];
const PROJECT_KINDS = ['综合交通枢纽', '产业园区', '污水处理厂', '220千伏输变电工程', '城市快速路', '公共实训基地', '智慧物流园', '湘江风光带'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Build the database at file (replacing it). Returns what was written and how long it took. */
export function generateDatabase(file: string, opts: GenerateOptions): GenerateResult {
  const t0 = process.hrtime.bigint();
  const db = initWorkbenchDb(file, { force: true, ...(opts.seedsDir ? { seedsDir: opts.seedsDir } : {}) });
  try {
    const r = fill(db, opts);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { ...r, seconds: Math.round(seconds * 1000) / 1000 };
  } finally {
    db.close();
  }
}

function fill(db: Database, opts: GenerateOptions): Omit<GenerateResult, 'seconds'> {
  const rnd = prng(opts.seed ?? 20220301);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

  const tasks = db
    .prepare(
      `SELECT t.id, t.title, coalesce((SELECT max(ord) FROM measure m WHERE m.task_id = t.id), 0) AS maxOrd
         FROM plan_node t JOIN plan_node s ON s.id = t.parent_id JOIN plan_node ch ON ch.id = s.parent_id
        WHERE t.kind = 'task' AND ch.no >= 3 ORDER BY ch.no, s.no, t.no`,
    )
    .all() as { id: string; title: string; maxOrd: number }[];
  const sentences = new Map<string, string[]>();
  for (const r of db.prepare('SELECT task_id, text FROM measure WHERE actionable = 1 ORDER BY task_id, ord').all() as { task_id: string; text: string }[]) {
    (sentences.get(r.task_id) ?? sentences.set(r.task_id, []).get(r.task_id)!).push(r.text.replace(/[。；;]+$/, ''));
  }
  const allSentences = [...sentences.values()].flat();

  const insDept = db.prepare("INSERT INTO department (name, level, city, ord, source) VALUES (?, ?, ?, ?, 'seed')");
  const insMeasure = db.prepare(
    `INSERT INTO measure (id, task_id, ord, text, actionable, lead_id, lead_confirmed, suggest_reason, deadline, status, progress, note, updated_at)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insCo = db.prepare('INSERT INTO measure_co (measure_id, dept_id, ord) VALUES (?, ?, ?)');
  const insCity = db.prepare('INSERT INTO measure_city (measure_id, city) VALUES (?, ?)');
  const insAudit = db.prepare(
    `INSERT INTO audit (at, actor, unit, op_id, op, tbl, row_id, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, 'measure', ?, ?, ?, ?)`,
  );
  const insProject = db.prepare(
    `INSERT INTO project (id, name, category, stage, start_year, end_year, total_investment, lead_id, quote, task_id, source, progress_text, problems, location, ord, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 'user', ?, ?, ?, ?, ?)`,
  );
  const insProjectCity = db.prepare('INSERT INTO project_city (project_id, city) VALUES (?, ?)');
  const insYear = db.prepare('INSERT INTO project_year_plan (project_id, year, planned, completed) VALUES (?, ?, ?, ?)');

  let auditRows = 0;
  let addedDepts = 0;
  db.transaction(() => {
    // departments: the seeded ones, plus city bureaus and county governments and bureaus
    const existing = new Set((db.prepare('SELECT name FROM department').all() as { name: string }[]).map((r) => r.name));
    let ord = (db.prepare('SELECT coalesce(max(ord), 0) AS o FROM department').get() as { o: number }).o;
    const add = (name: string, level: string, city: City) => {
      if (existing.has(name)) return;
      existing.add(name);
      insDept.run(name, level, city, ++ord);
      addedDepts++;
    };
    for (const city of CITIES) {
      for (const b of CITY_BUREAUS) add(`${city}${b}`, '市直', city);
      for (const county of COUNTIES[city]) {
        add(`${county}人民政府`, '其他', city);
        for (const b of COUNTY_BUREAUS) add(`${county}${b}`, '其他', city);
      }
    }
    const depts = db.prepare("SELECT id, name, level, city FROM department WHERE state = '在用' ORDER BY id").all() as {
      id: number;
      name: string;
      level: string;
      city: City | null;
    }[];
    const provincial = depts.filter((d) => d.level === '省直');
    const cityDepts = new Map<City, typeof depts>(CITIES.map((c) => [c, depts.filter((d) => d.city === c)]));
    const actors = [
      { name: '李明', unit: '省发展改革委' },
      { name: '王芳', unit: '省长株潭一体化发展事务中心' },
      { name: '张伟', unit: '长沙市发展改革委' },
      { name: '刘洋', unit: '株洲市发展改革委' },
      { name: '陈静', unit: '湘潭市发展改革委' },
    ];

    // measures: spread over the tasks, numbering continuing after each task's own measures
    const next = new Map(tasks.map((t) => [t.id, t.maxOrd]));
    for (let i = 0; i < opts.measures; i++) {
      const task = tasks[i % tasks.length];
      const ord = next.get(task.id)! + 1;
      next.set(task.id, ord);
      const id = `${task.id}.${ord}`;
      const city = pick(CITIES);
      const county = rnd() < 0.6 ? pick(COUNTIES[city]) : '';
      const year = int(2022, 2027);
      const base = pick(sentences.get(task.id) ?? allSentences);
      const text = `${year}年，${city}${county}${pick(LEADS)}${base}${pick(TAILS)}。`;
      const local = cityDepts.get(city)!;
      const lead = rnd() < 0.55 ? pick(provincial) : pick(local);
      const confirmed = rnd() < 0.7 ? 1 : 0;
      const coCount = int(0, 3);
      const co: number[] = [];
      for (let k = 0; k < coCount; k++) {
        const d = rnd() < 0.5 ? pick(provincial) : pick(local);
        if (d.id !== lead.id && !co.includes(d.id)) co.push(d.id);
      }
      const cities: City[] = rnd() < 0.2 ? [...CITIES] : [city];
      const deadline = rnd() < 0.85 ? `${year}-${pad2(int(1, 12))}-${pad2(int(1, 28))}` : null;
      const status: Status = pick(STATUSES);
      const progress =
        status === '未启动'
          ? ''
          : pick(PROGRESS)
              .replace('{p}', String(int(10, 95)))
              .replace('{y}', String(year))
              .replace('{n}', (rnd() * 50).toFixed(1));
      const note = pick(NOTES);
      // audit: creation by import, then 2–5 edits spread over the months since
      const entries = int(3, 6);
      let month = int(0, 8);
      let at = '';
      let prevStatus: Status = '未启动';
      for (let k = 0; k < entries; k++) {
        month += int(1, 4);
        const y = 2022 + Math.floor(month / 12);
        at = `${y}-${pad2((month % 12) + 1)}-${pad2(int(1, 28))}T${pad2(int(1, 10))}:${pad2(int(0, 59))}:${pad2(int(0, 59))}.000Z`;
        const who = pick(actors);
        const opId = `gen-${i}-${k}`;
        if (k === 0) {
          insAudit.run(at, who.name, who.unit, opId, '导入台账', id, 'leadId', null, String(lead.id));
        } else if (k === entries - 1) {
          insAudit.run(at, who.name, who.unit, opId, '编辑', id, 'status', prevStatus, status);
          prevStatus = status;
        } else if (k % 2 === 1) {
          const s = pick(STATUSES);
          insAudit.run(at, who.name, who.unit, opId, '批量设置', id, 'status', prevStatus, s);
          prevStatus = s;
        } else {
          insAudit.run(at, who.name, who.unit, opId, '编辑', id, 'progress', '', progress || '正在推进。');
        }
        auditRows++;
      }
      insMeasure.run(id, task.id, ord, text, lead.id, confirmed, confirmed ? null : '按职责和地域建议', deadline, status, progress, note, at);
      co.forEach((d, k) => insCo.run(id, d, k));
      for (const c of cities) insCity.run(id, c);
    }

    // projects (source user, ids U000001…)
    for (let i = 1; i <= opts.projects; i++) {
      const city = pick(CITIES);
      const county = pick(COUNTIES[city]);
      const start = int(2021, 2025);
      const end = start + int(0, 5);
      const total = Math.round(rnd() * 2000) / 10;
      const id = `U${String(i).padStart(6, '0')}`;
      const task = pick(tasks);
      insProject.run(
        id,
        `${city}${county}${pick(PROJECT_KINDS)}（${i}）`,
        pick(PROJECT_CATS),
        pick(PROJECT_STAGES),
        start,
        end,
        total,
        pick(cityDepts.get(city)!).id,
        task.id,
        rnd() < 0.5 ? '' : pick(PROGRESS).replace('{p}', '60').replace('{y}', String(start)).replace('{n}', '3.2'),
        rnd() < 0.8 ? '' : '征地拆迁进度偏慢',
        `${city}${county}`,
        1000 + i,
        `${start}-06-30T08:00:00.000Z`,
      );
      insProjectCity.run(id, city);
      for (let y = start; y <= Math.min(end, 2025); y++) {
        const planned = Math.round((total / (end - start + 1)) * 100) / 100;
        insYear.run(id, y, planned, y < 2025 ? Math.round(planned * (0.5 + rnd() * 0.5) * 100) / 100 : null);
      }
    }
  })();
  return {
    measures: opts.measures,
    projects: opts.projects,
    auditRows,
    departments: addedDepts,
  };
}

/**
 * The 调度轮次 benchmark's shape (issue 18: some 70 units carry out the plan): every actionable
 * measure's lead moved to one of the `n` in-use departments that lead most, so that a round over
 * all of them has n departments. Changes the file in place (a working copy).
 */
export function concentrateLeads(file: string, n: number): { departments: number; measures: number } {
  const db = openWorkbenchDb(file, { quickCheck: false });
  try {
    const keep = (
      db
        .prepare(
          `SELECT m.lead_id AS id FROM measure m JOIN department d ON d.id = m.lead_id
            WHERE m.actionable = 1 AND d.state = '在用' GROUP BY m.lead_id ORDER BY count(*) DESC, m.lead_id LIMIT ?`,
        )
        .all(n) as { id: number }[]
    ).map((r) => r.id);
    const ids = db.prepare('SELECT id FROM measure WHERE actionable = 1 ORDER BY rowid').pluck().all() as string[];
    // the list of leads is the truth (migration 12): measure.lead_id follows it by trigger
    const clear = db.prepare('DELETE FROM measure_lead WHERE measure_id = ?');
    const add = db.prepare('INSERT INTO measure_lead (measure_id, dept_id, ord) VALUES (?, ?, 0)');
    const notCo = db.prepare('DELETE FROM measure_co WHERE measure_id = ? AND dept_id = ?');
    db.transaction(() =>
      ids.forEach((id, i) => {
        const dept = keep[i % keep.length];
        clear.run(id);
        add.run(id, dept);
        notCo.run(id, dept);
      }),
    )();
    return { departments: keep.length, measures: ids.length };
  } finally {
    db.close();
  }
}
