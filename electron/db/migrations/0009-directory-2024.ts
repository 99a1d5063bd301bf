import type { Database } from 'better-sqlite3';

// Two things for issue 21:
// 1. measure.suggest_unsure: the suggestion rules mark the suggestions they cannot decide well
//    (a section default, a weak match, a close rival); the grid's 建议 badge shows it.
// 2. The department directory after the 2023–24 institutional reform, for databases made before
//    it: two seed departments renamed in place (same id, so every allocation stays as it is; the
//    former name becomes an alias, as a rename in 部门管理 does), and the units that lead measures
//    of the plan but were missing added. A new database gets all of them from seeds/departments.json
//    (this migration then finds them there and does nothing). A unit a person already added under
//    one of these names or aliases is left alone, as is a seed department a person renamed.
// The list is written out here, not read from seeds/, so that this migration does the same on
// every database whatever seeds/ says later.
const RENAMES: { from: string; to: string; aliases: string[] }[] = [
  {
    from: '省地方金融监管局',
    to: '省委金融办',
    aliases: ['中共湖南省委金融委员会办公室', '省地方金融管理局', '湖南省地方金融管理局'],
  },
  { from: '省政务局', to: '省数据局', aliases: ['湖南省数据局'] },
];

const ADDED: { name: string; level: '省直' | '其他'; aliases: string[] }[] = [
  { name: '省委政法委', level: '省直', aliases: ['中共湖南省委政法委员会', '湖南省委政法委', '省委政法委员会'] },
  { name: '省委编办', level: '省直', aliases: ['中共湖南省委机构编制委员会办公室', '省委机构编制委员会办公室', '省编办'] },
  { name: '省委人才办', level: '省直', aliases: ['中共湖南省委人才工作领导小组办公室', '省委人才工作领导小组办公室', '湖南省委人才办'] },
  {
    name: '省外办',
    level: '省直',
    aliases: ['湖南省人民政府外事办公室', '省人民政府外事办公室', '省政府外事办公室', '中共湖南省委外事工作委员会办公室', '省委外办', '湖南省外办'],
  },
  { name: '省政府督查室', level: '省直', aliases: ['湖南省人民政府督查室', '省人民政府督查室'] },
  { name: '省信访局', level: '省直', aliases: ['湖南省信访局'] },
  { name: '省高级人民法院', level: '省直', aliases: ['湖南省高级人民法院', '省法院', '省高院'] },
  { name: '省人民检察院', level: '省直', aliases: ['湖南省人民检察院', '省检察院'] },
  { name: '省委宣传部', level: '省直', aliases: ['中共湖南省委宣传部'] },
  {
    name: '湖南金融监管局',
    level: '其他',
    aliases: ['国家金融监督管理总局湖南监管局', '湖南银保监局', '中国银行保险监督管理委员会湖南监管局', '中国银保监会湖南监管局', '湖南保监局', '湖南银监局'],
  },
  { name: '湖南证监局', level: '其他', aliases: ['中国证券监督管理委员会湖南监管局', '中国证监会湖南监管局'] },
];

export function up(db: Database): void {
  db.exec('ALTER TABLE measure ADD COLUMN suggest_unsure INTEGER NOT NULL DEFAULT 0 CHECK (suggest_unsure IN (0, 1))');

  // an empty directory is a database about to be seeded: seeds/departments.json has all of this
  if ((db.prepare('SELECT count(*) n FROM department').get() as { n: number }).n === 0) return;

  const byName = db.prepare('SELECT id, source FROM department WHERE name = ?');
  const byAlias = db.prepare('SELECT dept_id FROM dept_alias WHERE alias = ?');
  const taken = (n: string) => byName.get(n) !== undefined || byAlias.get(n) !== undefined;
  const addAlias = db.prepare('INSERT OR IGNORE INTO dept_alias (alias, dept_id) VALUES (?, ?)');
  const aliasIfFree = (alias: string, id: number) => {
    if (byName.get(alias) === undefined) addAlias.run(alias, id);
  };
  const at = new Date().toISOString();
  const opId = `migration-9-${at}`;
  const audit = db.prepare(
    `INSERT INTO audit (at, actor, unit, op_id, op, tbl, row_id, field, old_value, new_value)
     VALUES (?, '工作台升级', '系统', ?, ?, 'department', ?, ?, ?, ?)`,
  );

  for (const r of RENAMES) {
    const d = byName.get(r.from) as { id: number; source: string } | undefined;
    if (!d || d.source !== 'seed') continue;
    const other = byAlias.get(r.to) as { dept_id: number } | undefined;
    if (byName.get(r.to) !== undefined || (other && other.dept_id !== d.id)) continue;
    db.prepare('DELETE FROM dept_alias WHERE alias = ?').run(r.to);
    db.prepare('UPDATE department SET name = ? WHERE id = ?').run(r.to, d.id);
    addAlias.run(r.from, d.id);
    for (const a of r.aliases) if (!taken(a)) addAlias.run(a, d.id);
    audit.run(at, opId, '机构改革更名', String(d.id), 'name', r.from, r.to);
  }

  const ins = db.prepare("INSERT INTO department (name, level, city, ord, source) VALUES (?, ?, NULL, ?, 'seed')");
  let ord = (db.prepare('SELECT coalesce(max(ord), 0) n FROM department').get() as { n: number }).n;
  for (const u of ADDED) {
    if (taken(u.name) || u.aliases.some((a) => byName.get(a) !== undefined)) continue;
    const id = Number(ins.run(u.name, u.level, ++ord).lastInsertRowid);
    for (const a of u.aliases) if (byAlias.get(a) === undefined) aliasIfFree(a, id);
    audit.run(at, opId, '新增部门', String(id), 'name', null, u.name);
  }
}
