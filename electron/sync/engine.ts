// Online collaboration, the copy's side (issue 20): clone a copy from the shared server, push the
// outbox, pull the change log, list and resolve conflicts. Plain functions: the CLI calls them, the
// app's 设置 › 联网协同 page and header status wire them to channels.
//
// Push sends the outbox in order, in batches, to czt.apply_ops (one server transaction per batch);
// each operation's answer is then recorded here in one local transaction: applied ones leave the
// outbox; a conflict or a refusal leaves it too, is listed in sync_conflict with both values, and
// the field takes the server's value (the server keeps it: no silent last-write-wins either way).
// An answer lost on the way (a crash, the network) changes nothing: the same operation ids are sent
// again and the server answers what it did the first time.
// Pull reads the change log after the copy's last sequence number and writes it here in one
// transaction with the new last sequence number, without queueing anything; a field with an
// operation of this copy still waiting keeps the local value until the push decides it.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { openWorkbenchDb } from '../db/open';
import { SHARED_TABLES, fieldKey, parseEncodedNumber, syncQueries } from '../db/sync-queries';
import { connectServer, networkError, pgErrorMessage, publicServer, type PgClient } from '../server/connect';
import { serverVersion } from '../server/schema';
import { applyOps, beginSnapshot, changeLogAfter, endSnapshot, listen, measureLeadsOnServer, planSettingsOnServer, readTable, serverColumns, whoami } from '../server/queries';
import { SERVER_LATEST_VERSION } from '../server/migrations';
import { contextFor, ServiceError, type ServiceContext } from '../core/context';
import { MEASURE_LEADS } from '../core/sync-leads';
import type { SyncIdentity } from '../../shared/ipc/channels/sync';
import { syncStatus, listSyncConflicts, resolveConflict, type SyncConflict, type SyncStatus } from '../services/sync';

// the copy's status and its conflicts are a service (dump and the app read them without a server)
export { syncStatus, listSyncConflicts, resolveConflict, type SyncConflict, type SyncStatus };
import { toLocalChange } from '../core/sync-fields';
import { killPoint, syncPoint } from './test-points';
import { downloadEvidence, uploadEvidence } from './evidence-files';
import { evidenceDir } from '../db/evidence-store';

const PUSH_BATCH = 500;
const PULL_BATCH = 20_000;
/** a clone's page cache (KiB): the whole new file of a large plan, so no page is written twice */
const CLONE_CACHE_KIB = 256 * 1024;

export interface SyncResult {
  pushed: number;
  pulled: number;
  conflicts: number;
}

/** Same server: host, port and database (the login may differ: another person at this PC). */
function sameServer(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.hostname === y.hostname && (x.port || '5432') === (y.port || '5432') && x.pathname === y.pathname;
  } catch {
    return publicServer(a) === publicServer(b);
  }
}

async function checkVersion(client: PgClient): Promise<number> {
  const v = await serverVersion(client);
  if (v === 0) throw new ServiceError('UNSUPPORTED', '服务器上还没有协同数据：请先由信息中心运行 server-init');
  if (v > SERVER_LATEST_VERSION) throw new ServiceError('UNSUPPORTED', `服务器上的协同数据版本为 ${v}，高于本程序支持的 ${SERVER_LATEST_VERSION}：请升级工作台后再同步`);
  return v;
}

/** the server version from which the 佐证材料's bytes travel (0003-evidence-content) */
const EVIDENCE_CONTENT_VERSION = 3;

// ---------------------------------------------------------------- clone

/**
 * A new local copy of the server's data at `file` (which must not exist), attached to the server.
 * Written to a side file and renamed when complete: an interrupted clone leaves no half copy.
 *
 * One read-only snapshot on the server, one local transaction: every table of SHARED_TABLES read
 * through a cursor (the next batch asked for while this one is written) and written with one
 * prepared statement. The side file is new and discarded on any failure, so while it is written:
 * no fsync and no journal on disk, a page cache that holds the whole file, the tables' triggers
 * and secondary indexes dropped and made again at the end (what the triggers would write, a
 * measure's first lead and its measure_lead rows, is written here through the leads adapter; the
 * measure change log stays empty as in any new file: it serves a search index built since), and
 * the references checked once at the end instead of per row.
 */
export async function cloneFromServer(file: string, url: string): Promise<{ measures: number; lastSeq: number }> {
  if (fs.existsSync(file)) throw new ServiceError('VALIDATION', `文件已存在：${file}，不会覆盖`);
  const tmp = `${file}.clone-partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const client = await connectServer(url);
  let db: Database | null = null;
  try {
    const version = await checkVersion(client);
    const lastSeq = await beginSnapshot(client);
    db = openWorkbenchDb(tmp, { quickCheck: false });
    const d = db;
    const sq = syncQueries(d);
    d.pragma('journal_mode = MEMORY');
    d.pragma('synchronous = OFF');
    d.pragma('foreign_keys = OFF');
    d.pragma(`cache_size = ${CLONE_CACHE_KIB * -1}`);
    d.exec('BEGIN');
    const restore = sq.suspendTriggersAndIndexes([...SHARED_TABLES, 'measure_lead']);
    let measures = 0;
    for (const t of SHARED_TABLES) {
      const server = new Set(await serverColumns(client, t));
      const cols = sq.tableColumns(t).filter((c) => server.has(c));
      // a server from before a table existed (rounds: version 2) has none of it to copy
      if (!cols.length) continue;
      // a measure's leads (read before its rows): the adapter makes the local lead column and
      // measure_lead rows of them
      const leadCols = t === 'measure' ? Object.keys(MEASURE_LEADS.localColumns(null)) : [];
      const leadsOf = t === 'measure' ? await measureLeadsOnServer(client) : new Map<string, number[]>();
      const insertCols = [...cols, ...leadCols];
      const idAt = cols.indexOf('id');
      for await (const rows of readTable(client, t, cols)) {
        if (t === 'measure') {
          const leadRows: [string, number, number][] = [];
          for (const row of rows) {
            const leads = leadsOf.get(String(row[idAt])) ?? null;
            const local = MEASURE_LEADS.localColumns(leads) as Record<string, unknown>;
            for (const c of leadCols) row.push(local[c]);
            for (const l of MEASURE_LEADS.localRows(String(row[idAt]), leads)) leadRows.push(l);
          }
          sq.insertRows(t, insertCols, rows);
          sq.insertRows('measure_lead', ['measure_id', 'dept_id', 'ord'], leadRows);
          measures += rows.length;
          killPoint('clone-mid-write');
        } else sq.insertRows(t, insertCols, rows);
      }
    }
    restore();
    for (const r of await planSettingsOnServer(client)) sq.setSetting(r.key, r.value);
    sq.attachSync(publicServer(url), randomUUID(), lastSeq);
    sq.setLastSeq(lastSeq, new Date().toISOString());
    const broken = d.pragma('foreign_key_check') as unknown[];
    if (broken.length) throw new ServiceError('VALIDATION', `服务器上的数据引用不完整（${broken.length} 处），未生成本地副本`);
    d.exec('COMMIT');
    await endSnapshot(client);
    // the 佐证材料's files: the copy is complete without them (a file not here is "not yet
    // downloaded"), so trouble here only leaves them to the next sync
    if (version >= EVIDENCE_CONTENT_VERSION) await downloadEvidence(d, client, evidenceDir(file)).catch(() => undefined);
    // the copy is an ordinary workbench file from here on (WAL, as every open sets it)
    d.pragma('journal_mode = WAL');
    d.close();
    db = null;
    fs.renameSync(tmp, file);
    return { measures, lastSeq };
  } catch (e) {
    if (db) {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    if (e instanceof ServiceError) throw e;
    throw new ServiceError('NETWORK', `从服务器复制数据失败，未生成本地副本：${pgErrorMessage(e)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------- push


/** Send the outbox; returns how many operations the server applied and how many it did not. */
export async function push(ctx: ServiceContext, client: PgClient): Promise<{ pushed: number; conflicts: number }> {
  const state = ctx.q.sync.syncState();
  if (!state) throw new ServiceError('VALIDATION', '此数据库尚未接入协同服务器');
  let pushed = 0;
  let conflicts = 0;
  for (;;) {
    const batch = ctx.q.sync.outboxBatch(PUSH_BATCH);
    if (batch.length === 0) break;
    const ops = batch.map((r) => ({ opId: r.op_id, tbl: r.tbl, rowId: r.row_id, field: r.field, base: r.base, value: r.value, op: r.op, device: state.device, clientAt: r.at }));
    const results = await applyOps(client, ops, () => syncPoint('push-before-commit'));
    await syncPoint('push-after-commit');
    const byId = new Map(batch.map((r) => [r.op_id, r]));
    const at = new Date().toISOString();
    ctx.db.transaction(() => {
      for (const res of results) {
        const o = byId.get(res.opId);
        if (!o) continue;
        ctx.q.sync.deleteOutbox(o.op_id);
        if (res.result === 'applied') {
          pushed++;
          continue;
        }
        conflicts++;
        ctx.q.sync.insertConflict({
          op_id: o.op_id,
          kind: res.result,
          tbl: o.tbl,
          row_id: o.row_id,
          field: o.field,
          base: o.base,
          mine: o.value,
          theirs: res.server ?? null,
          reason: res.reason ?? '',
          actor: o.actor,
          unit: o.unit,
          at: o.at,
        });
        // the server kept its value: so does this copy (the person's value stays in the conflict);
        // a row the server does not have (made in this copy) stays as it is here
        if (res.known === false) continue;
        const local = toLocalChange(o.tbl, o.field, res.server ?? null);
        const now = ctx.q.sync.localFieldValue(o.tbl, o.row_id, local.field);
        if (now !== undefined && now !== local.value) writeChange(ctx, o.tbl, o.row_id, local.field, now, local.value, at, {
          opId: `conflict-${o.op_id}`,
          op: res.result === 'conflict' ? '同步冲突：保留服务器值' : '同步拒绝：保留服务器值',
          actor: '协同服务器',
          unit: '协同服务器',
        });
      }
    })();
  }
  return { pushed, conflicts };
}

/** Write one pulled (or kept) value here with its audit row; indicators year by year. */
function writeChange(
  ctx: ServiceContext,
  tbl: string,
  rowId: string,
  field: string,
  old: string | null,
  value: string | null,
  at: string,
  who: { opId: string; op: string; actor: string; unit: string } | null,
): void {
  if (tbl === 'indicator_actual') {
    const m = /^(\d{4})\.(value|source|note)$/.exec(field);
    if (!m) return;
    const year = Number(m[1]);
    const a = { ...ctx.q.sync.indicatorYear(rowId, year) };
    if (m[2] === 'value') a.value = parseEncodedNumber(value);
    else a[m[2] as 'source' | 'note'] = value ?? '';
    ctx.q.sync.writeIndicatorYear(rowId, year, a, at);
  } else if (!ctx.q.sync.writeLocalField(tbl, rowId, field, value, at)) return;
  if (who) {
    ctx.q.insertAudit({ at, actor: who.actor, unit: who.unit, op_id: who.opId, op: who.op, tbl, row_id: rowId, field, old_value: old, new_value: value });
  }
}

// ---------------------------------------------------------------- pull


/**
 * Apply the server's change log after this copy's last sequence number: a batch at a time, each in
 * one transaction with the new last sequence number; the next batch is asked for before this one
 * is written (the server reads while the copy writes).
 */
export async function pull(ctx: ServiceContext, client: PgClient): Promise<{ pulled: number; lastSeq: number }> {
  const sq = ctx.q.sync;
  const state = sq.syncState();
  if (!state) throw new ServiceError('VALIDATION', '此数据库尚未接入协同服务器');
  let pulled = 0;
  let lastSeq = state.last_seq;
  let next = changeLogAfter(client, lastSeq, PULL_BATCH);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) return { pulled, lastSeq };
    const last = Number(rows[rows.length - 1].seq);
    const more = rows.length === PULL_BATCH;
    if (more) {
      next = changeLogAfter(client, last, PULL_BATCH);
      // a write here that fails leaves this request unanswered: not an unhandled rejection
      next.catch(() => {});
    }
    ctx.db.transaction(() => {
      const pending = sq.pendingFields();
      let n = 0;
      for (const r of rows) {
        // an operation of this copy still waiting on this field: the push decides, not the pull
        if (pending.has(fieldKey(r.tbl, r.row_id, r.field))) continue;
        const local = toLocalChange(r.tbl, r.field, r.new_value);
        const old = sq.localFieldValue(r.tbl, r.row_id, local.field);
        if (old === undefined || sameLocal(r.tbl, local.field, old, local.value)) continue;
        // this copy's own operations are already in its audit trail
        const mine = r.device === state.device;
        writeChange(ctx, r.tbl, r.row_id, local.field, old, local.value, r.server_at.toISOString(), mine ? null : { opId: r.op_id, op: `同步：${r.op}`, actor: r.actor, unit: r.unit });
        if (++n === 100) killPoint('pull-mid-apply');
      }
      killPoint('pull-mid-apply');
      sq.setLastSeq(last, new Date().toISOString());
    })();
    pulled += rows.length;
    lastSeq = last;
    if (!more) return { pulled, lastSeq };
  }
}

function sameLocal(tbl: string, field: string, a: string | null, b: string | null): boolean {
  if (tbl === 'indicator_actual' && /\.(source|note)$/.test(field)) return (a ?? '') === (b ?? '');
  return a === b;
}

// ---------------------------------------------------------------- sync

/**
 * Push, then pull. `url` may carry the password (or PGPASSWORD gives it); it must name the server
 * the copy was cloned from. Network trouble: a NETWORK ServiceError saying what was done and that
 * the rest waits (the outbox and the last sequence number are always consistent).
 */
export async function syncNow(ctx: ServiceContext, url?: string): Promise<SyncResult> {
  const state = ctx.q.sync.syncState();
  if (!state) throw new ServiceError('VALIDATION', '此数据库尚未接入协同服务器：请用 sync 把服务器上的数据复制为一个新文件');
  const target = url ?? state.server;
  if (!sameServer(target, state.server)) {
    throw new ServiceError('VALIDATION', `此副本属于服务器 ${state.server}，不能与 ${publicServer(target)} 同步`);
  }
  let client: PgClient;
  try {
    client = await connectServer(target);
  } catch (e) {
    const msg = `${(e as Error).message}。本机修改已保留（待上传 ${ctx.q.sync.outboxCount()} 条），联网后再同步即可。`;
    ctx.q.sync.setSyncError(msg);
    throw new ServiceError('NETWORK', msg);
  }
  const done = { pushed: 0, pulled: 0, conflicts: 0 };
  try {
    const version = await checkVersion(client);
    const p = await push(ctx, client);
    done.pushed = p.pushed;
    done.conflicts = p.conflicts;
    // the files of the 佐证材料 pushed (or left from an earlier sync cut short) the server lacks
    if (version >= EVIDENCE_CONTENT_VERSION) await uploadEvidence(client, evidenceDir(ctx.db.name));
    await syncPoint('between-push-and-pull');
    done.pulled = (await pull(ctx, client)).pulled;
    if (version >= EVIDENCE_CONTENT_VERSION) await downloadEvidence(ctx.db, client, evidenceDir(ctx.db.name));
    return done;
  } catch (e) {
    if (e instanceof ServiceError && e.code !== 'NETWORK') {
      ctx.q.sync.setSyncError(e.message);
      throw e;
    }
    const why = e instanceof ServiceError ? e.message : networkError(e).message;
    const msg = `同步中断：${why}。已上传 ${done.pushed} 条、已接收 ${done.pulled} 条；本机待上传 ${ctx.q.sync.outboxCount()} 条已保留，联网后再同步即可补齐，不会重复。`;
    ctx.q.sync.setSyncError(msg);
    throw new ServiceError('NETWORK', msg);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * `sync --db FILE --server URL`: clone when FILE does not exist, else push and pull.
 */
export async function syncFile(file: string, url: string | undefined): Promise<SyncResult & { cloned: boolean }> {
  if (!fs.existsSync(file)) {
    if (!url) throw new ServiceError('VALIDATION', '本地文件不存在：复制服务器数据需要 --server');
    const r = await cloneFromServer(file, url);
    return { pushed: 0, pulled: r.measures, conflicts: 0, cloned: true };
  }
  const db = openWorkbenchDb(file);
  try {
    return { ...(await syncNow(contextFor(db), url)), cloned: false };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- connection test

/** who the server takes a login for (the channel's type: one definition) */
export type ServerIdentity = SyncIdentity;

/** 测试连接: who the server takes this login for, and whether this program can use its schema. */
export async function testConnection(url: string): Promise<ServerIdentity> {
  const client = await connectServer(url);
  try {
    await checkVersion(client);
    const r = await whoami(client);
    if (!r) throw new ServiceError('FORBIDDEN', '此登录名未在协同服务器登记：请联系信息中心用 server-user 添加');
    return { login: r.login, name: r.name, unit: r.unit, role: r.role, deptId: r.dept_id, schemaVersion: await serverVersion(client) };
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    throw networkError(e);
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------- notifications

/**
 * Listen for new changes on the server (LISTEN czt_changes); `onChange` gets the latest sequence
 * number. Returns a function that stops listening. The app pulls when told.
 */
export async function listenForChanges(url: string, onChange: (seq: number) => void, onError?: (message: string) => void): Promise<() => Promise<void>> {
  const client = await connectServer(url, { appName: 'czt-workbench-listen' });
  client.on('notification', (n) => {
    if (n.channel === 'czt_changes') onChange(Number(n.payload));
  });
  client.on('error', (e) => onError?.(pgErrorMessage(e)));
  await listen(client);
  return async () => {
    await client.end().catch(() => {});
  };
}
