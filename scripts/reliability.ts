// `npm run reliability` (tsx scripts/reliability.ts): the crash loop and the hostile-file corpus,
// plus backup and start-up check timings. Prints the figures the README quotes; exits non-zero
// when an operation is found half-applied, an integrity check fails, or a hostile file is not
// rejected cleanly.
//
//   --runs N        crash runs in all (default 200, split between import and bulk edit)
//   --large MB      also build a database of about MB megabytes and time backup/quick_check on it
//   --bridge N      random URLs and raw request lines against the web bridge (default 1000; 0: skip)
//   --no-memory     skip reading every hostile file in a child process for its peak memory
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { crashLoop, prepareFixtures, ROOT, type LoopReport } from '../tests/crash/harness';
import { initWorkbenchDb, openWorkbenchDb } from '../electron/db/open';
import { backupDatabase, checkDbFile } from '../electron/db/backup';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

async function timings(dir: string, largeMb: number | null) {
  const out: string[] = [];
  const seeded = path.join(dir, 'seeded.db');
  initWorkbenchDb(seeded).close();
  const measure = async (file: string, label: string) => {
    const db = openWorkbenchDb(file, { quickCheck: false });
    let t = Date.now();
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const qc = Date.now() - t;
    const res = await backupDatabase(db, path.join(dir, `${label}-backup.db`));
    db.close();
    t = Date.now();
    const c = checkDbFile(res.file);
    const check = Date.now() - t;
    out.push(
      `${label}：数据库 ${mb(fs.statSync(file).size)}；quick_check ${qc} ms（${rows[0]?.quick_check}）；在线备份 ${res.ms} ms，备份文件 ${mb(res.bytes)}；备份只读检查 ${check} ms（${c.message}）`,
    );
  };
  await measure(seeded, '种子数据库');
  if (largeMb) {
    const big = path.join(dir, 'large.db');
    fs.copyFileSync(seeded, big); // seeded is closed: not a live database
    const db = new Database(big);
    db.pragma('journal_mode = WAL');
    // grow the audit trail (the table that grows in real use) to about largeMb
    const ins = db.prepare(
      "INSERT INTO audit (at, actor, unit, op_id, op, tbl, row_id, field, old_value, new_value) VALUES (?, '测试', '测试单位', ?, '批量设置', 'measure', ?, 'progress', ?, ?)",
    );
    const text = '推进长株潭都市圈一体化发展，完成阶段性目标任务。'.repeat(8);
    const fill = db.transaction((n: number, base: number) => {
      for (let i = 0; i < n; i++) ins.run(new Date().toISOString(), `op-${base + i}`, `4.1.1.${i % 9}`, text, text + i);
    });
    let k = 0;
    while (fs.statSync(big).size + (fs.existsSync(`${big}-wal`) ? fs.statSync(`${big}-wal`).size : 0) < largeMb * 1048576) {
      fill(20000, k);
      k += 20000;
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
    db.close();
    await measure(big, `大数据库（${largeMb} MB 级）`);
  }
  return out;
}

interface HostileReport {
  tried: number;
  rejectedCleanly: number;
  failures: string[];
}

async function hostile(): Promise<HostileReport | null> {
  const file = path.join(ROOT, 'tests', 'hostile', 'corpus.ts');
  if (!fs.existsSync(file)) return null;
  const mod = (await import(file)) as { runHostileCorpus?: () => Promise<HostileReport> };
  if (typeof mod.runHostileCorpus !== 'function') throw new Error('tests/hostile/corpus.ts 没有导出 runHostileCorpus()');
  return mod.runHostileCorpus();
}

async function bridgeFuzz(count: number): Promise<{ tried: number; crashes: number; details: string[] } | null> {
  const file = path.join(ROOT, 'tests', 'hostile', 'bridge-fuzz.ts');
  if (count <= 0 || !fs.existsSync(file)) return null;
  const mod = (await import(file)) as { fuzzBridge: (o: { count: number; seed?: number }) => Promise<{ tried: number; crashes: number; details: string[] }> };
  return mod.fuzzBridge({ count, seed: Date.now() % 100000 });
}

async function peakMemory(): Promise<{ files: number; worst: { name: string; peakRssMb: number; ms: number; message: string } } | null> {
  const file = path.join(ROOT, 'tests', 'hostile', 'corpus.ts');
  if (!fs.existsSync(file)) return null;
  const mod = (await import(file)) as { corpusPeakMemory?: () => Promise<{ files: number; worst: { name: string; peakRssMb: number; ms: number; message: string } }> };
  return mod.corpusPeakMemory ? mod.corpusPeakMemory() : null;
}

async function main() {
  const runs = Number(arg('runs') ?? 200);
  const bridgeCount = Number(arg('bridge') ?? 1000);
  const memory = !process.argv.includes('--no-memory');
  const largeMb = arg('large') ? Number(arg('large')) : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-reliability-'));
  console.log(`长株潭规划工作台 可靠性检查（临时目录 ${dir}）`);
  const fx = await prepareFixtures(dir);
  const reports: LoopReport[] = [];
  const half = Math.ceil(runs / 2);
  for (const [scenario, n] of [
    ['import', half],
    ['bulk', runs - half],
  ] as const) {
    let last = Date.now();
    const rep = await crashLoop(fx, scenario, n, (line) => {
      if (Date.now() - last > 15000) {
        console.log(`  ${line}`);
        last = Date.now();
      }
    });
    reports.push(rep);
    console.log(
      `${scenario === 'import' ? '导入台账（改动' : '批量修改（改动'} ${rep.changed} 条措施，单次约 ${rep.opMs} ms）：运行 ${rep.runs} 次，中断 ${rep.interrupted} 次；` +
        `全部写入 ${rep.applied}，未写入 ${rep.notApplied}，半写入 ${rep.halfApplied}，完整性失败 ${rep.integrityFailures}`,
    );
    for (const d of rep.details.slice(0, 10)) console.log(`  ! ${d}`);
  }
  const sum = (k: keyof LoopReport) => reports.reduce((s, r) => s + (r[k] as number), 0);

  let hostileRep: HostileReport | null = null;
  let hostileError: string | null = null;
  try {
    hostileRep = await hostile();
  } catch (e) {
    hostileError = (e as Error).message;
  }

  let bridgeRep: Awaited<ReturnType<typeof bridgeFuzz>> = null;
  let bridgeError: string | null = null;
  try {
    bridgeRep = await bridgeFuzz(bridgeCount);
  } catch (e) {
    bridgeError = (e as Error).message;
  }
  let mem: Awaited<ReturnType<typeof peakMemory>> = null;
  if (memory) {
    try {
      mem = await peakMemory();
    } catch (e) {
      console.log(`峰值内存测量失败：${(e as Error).message}`);
    }
  }

  const times = await timings(dir, largeMb);

  console.log('\n==== 结果 ====');
  console.log(`崩溃测试（kill -9）：运行 ${sum('runs')} 次`);
  console.log(`operations interrupted（被中断的操作）: ${sum('interrupted')}`);
  console.log(`operations found half-applied（半写入，必须为 0）: ${sum('halfApplied')}`);
  console.log(`integrity failures（完整性失败，必须为 0）: ${sum('integrityFailures')}`);
  if (hostileRep) {
    console.log(`hostile files tried（恶意文件）: ${hostileRep.tried}`);
    console.log(`hostile files rejected cleanly（干净拒绝）: ${hostileRep.rejectedCleanly}`);
    for (const f of hostileRep.failures.slice(0, 20)) console.log(`  ! ${f}`);
  } else if (hostileError) {
    console.log(`hostile corpus：运行失败：${hostileError}`);
  } else {
    console.log('hostile corpus：缺少 tests/hostile/corpus.ts（安全测试的恶意文件集尚未提供），未运行');
  }
  if (mem)
    console.log(
      `peak memory of the worst hostile file（最耗内存的恶意文件，子进程读取）: ${Math.round(mem.worst.peakRssMb)} MB — ${mem.worst.name}（${mem.files} 个文件，${Math.round(mem.worst.ms)} ms：${mem.worst.message.slice(0, 60)}）`,
    );
  if (bridgeRep) {
    console.log(`bridge requests tried（浏览器模式服务的随机请求）: ${bridgeRep.tried}`);
    console.log(`bridge crashes（服务崩溃或无响应，必须为 0）: ${bridgeRep.crashes}`);
    for (const d of bridgeRep.details.slice(0, 10)) console.log(`  ! ${d.slice(0, 300)}`);
  } else if (bridgeError) console.log(`bridge fuzz：运行失败：${bridgeError}`);
  for (const t of times) console.log(t);
  fs.rmSync(dir, { recursive: true, force: true });
  const bad =
    sum('halfApplied') > 0 ||
    sum('integrityFailures') > 0 ||
    !!hostileError ||
    !!bridgeError ||
    (bridgeRep !== null && bridgeRep.crashes > 0) ||
    (hostileRep !== null && (hostileRep.failures.length > 0 || hostileRep.rejectedCleanly < hostileRep.tried));
  process.exitCode = bad ? 1 : 0;
}

main().catch((e: Error) => {
  console.error(`错误：${e.stack ?? e.message}`);
  process.exitCode = 2;
});
