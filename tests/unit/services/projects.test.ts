import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkbenchDb } from '../../../electron/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../../electron/db/migrations';
import { contextFor } from '../../../electron/core/context';
import { parsePlan } from '../../../electron/seed/parser';
import { loadProjectSeeds, seedProjectsIfEmpty } from '../../../electron/seed/projects';
import { findDepartment } from '../../../electron/services/departments';
import { listAudit } from '../../../electron/services/audit';
import { getMeasure } from '../../../electron/services/measures';
import {
  addProject,
  deleteProject,
  dumpProjects,
  getProject,
  listProjects,
  restoreProject,
  updateProjects,
} from '../../../electron/services/projects';
import { CITIES } from '../../../shared/domain';
import { PROJECT_CATEGORIES, PROJECT_COLUMNS, PROJECT_STAGES } from '../../../shared/projects';
import { freshDb } from '../../support/db';

const SEEDS = path.join(__dirname, '..', '..', '..', 'seeds');
const plan = parsePlan(fs.readFileSync(path.join(SEEDS, 'plan.txt'), 'utf8'));
const tasks = new Map(plan.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks)).map((t) => [t.id, t]));
const seeds = loadProjectSeeds(SEEDS);
const deptNames = new Set(
  (JSON.parse(fs.readFileSync(path.join(SEEDS, 'departments.json'), 'utf8')) as { departments: { name: string }[] }).departments.map((d) => d.name),
);

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'czt-proj-'));
const fresh = () => freshDb({ identity: { name: '李四', unit: '省发展改革委' } });

test('seeded projects: every quote is verbatim plan text and sits in its task', () => {
  assert.ok(seeds.length >= 60, `${seeds.length} projects`);
  for (const p of seeds) {
    assert.ok(plan.repairedText.includes(p.quote), `${p.id} quote not in the plan: ${p.quote}`);
    const t = tasks.get(p.taskId);
    assert.ok(t, `${p.id}: no task ${p.taskId}`);
    assert.ok(t.paragraphs.join('\n').includes(p.quote), `${p.id}: quote not in task ${p.taskId}`);
    for (const l of p.linkedTaskIds ?? []) assert.ok(tasks.has(l), `${p.id}: no linked task ${l}`);
    assert.equal(p.source, 'plan');
  }
});

test('seeded projects: unique ids and names, known leads, categories, stages and cities', () => {
  const ids = seeds.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  ids.forEach((id, i) => assert.equal(id, `P${String(i + 1).padStart(3, '0')}`));
  assert.equal(new Set(seeds.map((p) => p.name)).size, seeds.length);
  for (const p of seeds) {
    assert.ok(p.lead && deptNames.has(p.lead), `${p.id}: lead ${p.lead} not in departments.json`);
    assert.ok((PROJECT_CATEGORIES as readonly string[]).includes(p.category), `${p.id}: ${p.category}`);
    assert.ok((PROJECT_STAGES as readonly string[]).includes(p.stage), `${p.id}: ${p.stage}`);
    for (const c of p.cities) assert.ok((CITIES as readonly string[]).includes(c), `${p.id}: ${c}`);
    assert.equal(new Set(p.cities).size, p.cities.length);
  }
});

test('500千伏输变电工程 at 宁乡, 长沙县 and 株洲西 are three projects; named projects are all there', () => {
  const kv = seeds.filter((p) => p.name.includes('500千伏输变电工程'));
  assert.deepEqual(kv.map((p) => p.name).sort(), ['宁乡500千伏输变电工程', '株洲西500千伏输变电工程', '长沙县500千伏输变电工程'].sort());
  assert.equal(new Set(kv.map((p) => p.quote)).size, 1);
  assert.deepEqual(kv.find((p) => p.name.startsWith('株洲西'))!.cities, ['株洲市']);
  const names = seeds.map((p) => p.name);
  for (const n of [
    '渝长厦高铁常益长段',
    '渝长厦高铁长赣段',
    '常益长与武广高铁直通线',
    '长沙机场改扩建工程',
    '平江电厂',
    '益阳三期火电项目',
    '平江抽水蓄能电站',
    '长沙特高压交流站',
    '南昌—长沙特高压工程',
    '荆门—长沙特高压工程',
    '“宁电入湘”特高压工程',
    '长沙湘江东岸堤防提标工程',
    '烂泥湖垸堤防加固工程',
    '涟水堤防加固工程',
    '渌水堤防加固工程',
    '椒花水库',
    '官庄灌区提质改造',
    '韶山灌区提质改造',
    '酒埠江灌区提质改造',
    '长沙港霞凝港区三期工程',
    '新港三期铁路专用线',
    '长沙深国际综合物流港',
    '长沙北（三期）铁路物流基地',
    '望城铁路物流基地',
    '株洲铁路物流基地',
    '湘潭东铁路物流基地',
    '省图书馆新馆',
    '省人民体育中心',
    '马栏山视频文创产业园',
    '湖南革命军事馆',
    '韶山至井冈山红色旅游铁路专线',
    '株洲市区二期生活垃圾焚烧发电厂',
    '湘潭市生活垃圾焚烧发电厂',
  ]) {
    assert.ok(names.includes(n), `missing ${n}`);
  }
  const stage = (n: string) => seeds.find((p) => p.name === n)!.stage;
  assert.equal(stage('渝长厦高铁常益长段'), '续建');
  assert.equal(stage('平江电厂'), '续建');
  assert.equal(stage('益阳三期火电项目'), '前期');
  assert.equal(stage('“宁电入湘”特高压工程'), '新开工');
  assert.equal(stage('常益长与武广高铁直通线'), '谋划');
});

test('a new database holds the projects with resolved leads, cities, tasks and quotes', () => {
  const { db, ctx } = fresh();
  const rows = listProjects(ctx);
  assert.equal(rows.length, seeds.length);
  assert.ok(rows.every((r) => r.leadId !== null && r.source === 'plan' && !r.added && r.quote && r.taskTitle));
  const airport = rows.find((r) => r.name === '长沙机场改扩建工程')!;
  assert.equal(airport.taskId, '4.1.3');
  assert.equal(airport.taskTitle, '建设长沙航空枢纽');
  assert.deepEqual(airport.cities, ['长沙市']);
  assert.equal(airport.leadId, findDepartment(ctx, '省机场管理集团')!.id);
  const park = rows.find((r) => r.name === '长株潭都市圈城市中央公园')!;
  assert.deepEqual(park.linkedTaskIds, ['6.1.2']);
  assert.deepEqual(park.cities, ['长沙市', '株洲市', '湘潭市']);
  const d = dumpProjects(ctx);
  assert.deepEqual(Object.keys(d[0]).sort(), ['category', 'cities', 'id', 'lead', 'name', 'quote', 'stage', 'taskId', 'totalInvestment'].sort());
  assert.equal(d.find((p) => p.name === '长沙机场改扩建工程')!.lead, '省机场管理集团');
  // seeding twice does nothing
  assert.deepEqual(seedProjectsIfEmpty(db, SEEDS), { projects: 0, indicators: 0 });
  db.close();
});

test('edits: an audit row per field, year plans and totals, survive a restart', () => {
  const { file: f, db, ctx } = fresh();
  const lead = findDepartment(ctx, '长沙市人民政府')!.id;
  const [p] = updateProjects(
    ctx,
    [
      {
        projectId: 'P015',
        patch: {
          stage: '续建',
          startYear: 2022,
          endYear: 2027,
          totalInvestment: 460.3,
          leadId: lead,
          location: '长沙县',
          progressText: 'T3航站楼主体施工',
          problems: '',
          linkedTaskIds: ['4.2.3', '4.2.3', '4.1.3'],
          yearPlans: [
            { year: 2023, planned: 50, completed: 48.5 },
            { year: 2024, planned: 80 },
          ],
        },
      },
    ],
    '编辑',
  );
  assert.equal(p.name, '长沙机场改扩建工程');
  assert.equal(p.totalInvestment, 460.3);
  assert.deepEqual(p.linkedTaskIds, ['4.2.3'], 'duplicates and its own task are dropped');
  assert.equal(p.plannedTotal, 130);
  assert.equal(p.completedTotal, 48.5);
  const a = listAudit(ctx, 'P015');
  assert.deepEqual(
    a.map((x) => x.field).sort(),
    ['endYear', 'leadId', 'linkedTaskIds', 'location', 'progressText', 'stage', 'startYear', 'totalInvestment', 'yearPlan.2023.completed', 'yearPlan.2023.planned', 'yearPlan.2024.planned'].sort(),
  );
  assert.ok(a.every((x) => x.actor === '李四' && x.op === '编辑' && x.table === 'project'));
  assert.equal(a.find((x) => x.field === 'stage')!.oldValue, '新开工');
  assert.equal(new Set(a.map((x) => x.opId)).size, 1);
  // the year the grid looks at
  const y = getProject(ctx, 'P015', 2023);
  assert.equal(y.yearPlanned, 50);
  assert.equal(y.yearCompleted, 48.5);
  // clearing a year removes it; an unchanged value writes nothing
  const before = listAudit(ctx).length;
  updateProjects(ctx, [{ projectId: 'P015', patch: { stage: '续建', yearPlans: [{ year: 2024, planned: null }] } }], '编辑');
  const after = listAudit(ctx);
  assert.equal(after.length, before + 1);
  assert.equal(after[0].field, 'yearPlan.2024.planned');
  db.close();
  const again = openWorkbenchDb(f);
  const r = getProject(contextFor(again), 'P015');
  assert.deepEqual(r.yearPlans, [{ year: 2023, planned: 50, completed: 48.5 }]);
  assert.equal(r.progressText, 'T3航站楼主体施工');
  again.close();
});

test('a batch is all or nothing', () => {
  const { db, ctx } = fresh();
  const before = listProjects(ctx);
  const ok = { projectId: 'P001', patch: { progressText: '已通车', totalInvestment: 100 } };
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P002', patch: { leadId: 99999 } }], '批量设置'), /P002：牵头单位编号 99999 不存在/);
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P002', patch: { startYear: 2025, endYear: 2023 } }], '粘贴'), /完工年份 2023 早于开工年份 2025/);
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P999', patch: { problems: 'x' } }], '粘贴'), /没有编号为 P999 的项目/);
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P003', patch: { totalInvestment: -1 } }], '粘贴'), /P003/);
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P003', patch: { yearPlans: [{ year: 2040, planned: 1 }] } }], '粘贴'), /P003/);
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P003', patch: { taskId: '4.1.2' } }], '编辑'), /不能修改/);
  assert.throws(() => updateProjects(ctx, [ok, { projectId: 'P003', patch: { linkedTaskIds: ['99.9.9'] } }], '编辑'), /没有编号为 99\.9\.9/);
  assert.deepEqual(listProjects(ctx), before);
  assert.equal(listAudit(ctx).filter((a) => a.table === 'project').length, 0);
  db.close();
});

test('staff add projects the plan does not name: marked as added, audited', () => {
  const { db, ctx } = fresh();
  const lead = findDepartment(ctx, '湘潭市人民政府')!.id;
  const p = addProject(ctx, { name: ' 湘潭某污水处理厂提标改造 ', category: '生态环保', taskId: '6.3.2', leadId: lead, cities: ['湘潭市'], totalInvestment: 3.2 });
  assert.equal(p.id, 'U001');
  assert.equal(p.name, '湘潭某污水处理厂提标改造');
  assert.ok(p.added);
  assert.equal(p.source, 'user');
  assert.equal(p.quote, null);
  assert.equal(p.stage, '谋划');
  assert.equal(p.taskTitle, '联防联治水污染');
  assert.equal(addProject(ctx, { name: '第二个', category: '交通' }).id, 'U002');
  const a = listAudit(ctx, 'U001');
  assert.ok(a.every((x) => x.op === '新增项目'));
  assert.deepEqual(a.map((x) => x.field).sort(), ['category', 'cities', 'leadId', 'name', 'source', 'stage', 'taskId', 'totalInvestment'].sort());
  assert.throws(() => addProject(ctx, { name: '', category: '交通' }), /名称不能为空/);
  assert.throws(() => addProject(ctx, { name: 'x', category: '交通', taskId: '4.9.9' }), /没有编号为 4\.9\.9/);
  // an added project may be moved to another task
  const [m] = updateProjects(ctx, [{ projectId: 'U001', patch: { taskId: '6.3.3' } }], '编辑');
  assert.equal(m.taskId, '6.3.3');
  assert.equal(listProjects(ctx).length, seeds.length + 2);
  db.close();
});

test('soft delete and restore', () => {
  const { db, ctx } = fresh();
  const d = deleteProject(ctx, 'P010');
  assert.equal(d.deleted, true);
  assert.ok(!listProjects(ctx).some((p) => p.id === 'P010'));
  assert.ok(listProjects(ctx, { includeDeleted: true }).some((p) => p.id === 'P010'));
  assert.ok(!dumpProjects(ctx).some((p) => p.id === 'P010'));
  assert.throws(() => updateProjects(ctx, [{ projectId: 'P010', patch: { problems: 'x' } }], '编辑'), /已删除/);
  assert.throws(() => deleteProject(ctx, 'P010'), /已删除/);
  const r = restoreProject(ctx, 'P010');
  assert.equal(r.deleted, false);
  assert.throws(() => restoreProject(ctx, 'P010'), /无需恢复/);
  assert.equal(listProjects(ctx).length, seeds.length);
  const a = listAudit(ctx, 'P010');
  assert.deepEqual(a.map((x) => [x.op, x.field, x.oldValue, x.newValue]), [
    ['恢复项目', 'deleted', 'true', 'false'],
    ['删除项目', 'deleted', 'false', 'true'],
  ]);
  db.close();
});

test('migration 2 → latest keeps the plan and allocations and seeds projects and indicators', () => {
  const f = path.join(tmp(), 'v2.db');
  const v2 = openWorkbenchDb(f, { migrations: MIGRATIONS.slice(0, 2), seedIfEmpty: true });
  assert.equal(v2.pragma('user_version', { simple: true }), 2);
  const ctx2 = contextFor(v2);
  const lead = findDepartment(ctx2, '省教育厅')!.id;
  // as version 2 wrote an allocation (today's services need migration 10's lead lists)
  v2.prepare("UPDATE measure SET lead_id = ?, lead_confirmed = 1, progress = '升级前的进展' WHERE id = '4.1.1.2'").run(lead);
  const nodes = (v2.prepare('SELECT count(*) n FROM plan_node').get() as { n: number }).n;
  v2.close();

  const db = openWorkbenchDb(f);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_VERSION);
  const ctx = contextFor(db);
  assert.equal((db.prepare('SELECT count(*) n FROM plan_node').get() as { n: number }).n, nodes);
  const m = getMeasure(ctx, '4.1.1.2');
  assert.equal(m.leadId, lead);
  assert.equal(m.progress, '升级前的进展');
  assert.equal(listProjects(ctx).length, seeds.length);
  assert.ok((db.prepare('SELECT count(*) n FROM indicator').get() as { n: number }).n > 0);
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type='table' AND (name LIKE 'project%' OR name LIKE 'indicator%')").all() as {
    name: string;
    sql: string;
  }[];
  assert.equal(tables.length, 6);
  for (const t of tables) assert.match(t.sql, /STRICT/, t.name);
  assert.throws(() => db.prepare("INSERT INTO project_city (project_id, city) VALUES ('P999', '长沙市')").run(), /FOREIGN KEY/);
  db.close();
});

test('PROJECT_COLUMNS: one definition with unique keys, headers and aliases', () => {
  const keys = PROJECT_COLUMNS.map((c) => c.key);
  assert.equal(new Set(keys).size, keys.length);
  const labels = PROJECT_COLUMNS.flatMap((c) => [c.header, ...c.aliases]);
  assert.equal(new Set(labels).size, labels.length, 'a header or alias names one column only');
  assert.equal(PROJECT_COLUMNS[0].key, 'id');
  assert.equal(PROJECT_COLUMNS[0].editable, false);
  assert.deepEqual(PROJECT_COLUMNS.find((c) => c.key === 'stage')!.values, PROJECT_STAGES);
});
