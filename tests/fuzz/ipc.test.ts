// Every channel of the IPC contract, fed arbitrary JSON and mutated valid inputs through the
// real dispatcher over a real temp database: never an INTERNAL error, always a Chinese message
// when refused, and the database is unchanged unless the call succeeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { contract, type Channel } from '../../shared/ipc/contract';
import { createDispatcher } from '../../electron/ipc/router';
import { listMeasures } from '../../electron/services/measures';
import { listDepartments } from '../../electron/services/departments';
import { listProjects } from '../../electron/services/projects';
import { listIndicators } from '../../electron/services/indicators';
import { dbHash, freshDb, isChinese } from '../hostile/builders';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const channels = Object.keys(contract) as Channel[];

function setup() {
  const h = freshDb('czt-fuzz-ipc-');
  process.env.CZT_EXPORT_DIR = path.join(h.dir, 'exports');
  const dispatch = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 'fuzz' });
  const m = listMeasures(h.ctx).find((x) => x.actionable)!;
  const d = listDepartments(h.ctx, false);
  const p = listProjects(h.ctx, {})[0];
  const ind = listIndicators(h.ctx)[0] as unknown as { id: string };
  const csv = Buffer.from(`编号,状态,进展情况\n${m.id},推进中,有进展\n`).toString('base64');
  /** one valid input per channel: mutations of these reach deeper than random JSON */
  const valid: Partial<Record<Channel, unknown>> = {
    'app.info': {},
    'plan.tree': {},
    'plan.node': { id: m.id },
    'plan.search': { query: '交通', limit: 5 },
    'measures.list': {},
    'measures.page': { after: m.id, limit: 50 },
    'measures.get': { ids: [m.id] },
    'measures.facts': {},
    'measures.applyEdits': { edits: [{ measureId: m.id, patch: { status: '推进中', progress: '有进展', deadline: '2025-12-31' } }], op: '编辑' },
    'measures.confirmSuggestions': { ids: [m.id] },
    'departments.list': { includeInactive: true },
    'departments.add': { name: '省测试厅', level: d[0].level, city: null },
    'departments.rename': { id: d[1].id, name: d[1].name + '（新）' },
    'departments.merge': { fromId: d[2].id, intoId: d[3].id },
    'departments.retire': { id: d[4].id },
    'departments.restore': { id: d[4].id },
    'settings.getTemplate': {},
    'settings.setTemplate': {},
    'settings.resetTemplate': {},
    'reports.list': {},
    'settings.getIdentity': {},
    'settings.setIdentity': { name: '王五', unit: '株洲市发展改革委' },
    'audit.list': { limit: 10 },
    'projects.list': { includeDeleted: true },
    'projects.get': { id: p.id },
    'projects.add': { name: '测试项目', category: p.category },
    'projects.update': { edits: [{ id: p.id, patch: { name: p.name + '（改）' } }], op: '编辑' },
    'projects.delete': { id: p.id },
    'projects.restore': { id: p.id },
    'indicators.list': {},
    'indicators.setActual': { indicatorId: ind.id, year: 2024, value: 1.5 },
    'export.run': { kind: 'ledger.xlsx', deptId: d[0].id },
    'files.showInFolder': { path: '/etc/passwd' },
    'import.preview': { fileName: '回传.csv', base64: csv },
    'import.apply': { previewId: '00000000-0000-4000-8000-000000000000', choices: { onConflict: 'keep' } },
    // port 1 on loopback: refused at once, no server is contacted
    'sync.setConfig': { server: 'postgres://127.0.0.1:1/czt', login: 'fuzz_user', password: 'p', auto: true },
    'sync.test': { server: 'postgres://127.0.0.1:1/czt', login: 'fuzz_user', password: 'p' },
    'sync.conflicts': { includeResolved: true },
    'sync.resolve': { opId: '00000000-0000-4000-8000-000000000000', choice: 'mine' },
  };
  return { ...h, dispatch, valid };
}

type Env = ReturnType<typeof setup>;

async function check(env: Env, channel: unknown, input: unknown, state: { hash: string; ok: number; refused: number }) {
  const r = await env.dispatch(channel, input);
  if (r.ok) {
    state.ok++;
    state.hash = dbHash(env.db);
    return;
  }
  state.refused++;
  const where = `${String(channel)} ${JSON.stringify(input)?.slice(0, 300)}`;
  assert.notEqual(r.error.code, 'INTERNAL', `${where} -> ${r.error.message}`);
  assert.ok(isChinese(r.error.message), `${where} -> ${r.error.message}`);
  assert.equal(dbHash(env.db), state.hash, `${where} refused (${r.error.code}) but changed the database`);
}

/** JSON as it arrives over IPC, including __proto__ / constructor keys from JSON.parse. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.json({ maxDepth: 4 }).map((s) => JSON.parse(s) as unknown),
  fc.constantFrom<unknown>(
    JSON.parse('{"__proto__":{"polluted":true}}'),
    { constructor: { prototype: { x: 1 } } },
    { toString: 'x' },
    [],
    '',
    null,
    0,
    -0,
    1e308,
    'A'.repeat(100_000),
  ),
);

test('arbitrary JSON into every channel: refused cleanly, nothing written', async () => {
  const env = setup();
  const state = { hash: dbHash(env.db), ok: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...channels), jsonish, async (ch, input) => {
      await check(env, ch, input, state);
    }),
    { numRuns: RUNS * 3 },
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  console.log(`arbitrary JSON: ${state.ok} accepted, ${state.refused} refused`);
  env.close();
});

test('unknown and odd channel names are refused', async () => {
  const env = setup();
  const state = { hash: dbHash(env.db), ok: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.string(), fc.constantFrom<unknown>('__proto__', 'constructor', 'hasOwnProperty', 'toString', null, undefined, 42, {}, ['app.info'])),
      jsonish,
      async (ch, input) => {
        fc.pre(typeof ch !== 'string' || !(channels as string[]).includes(ch));
        const r = await env.dispatch(ch, input);
        assert.ok(!r.ok && r.error.code === 'UNKNOWN_CHANNEL' && isChinese(r.error.message));
        assert.equal(dbHash(env.db), state.hash);
      },
    ),
    { numRuns: RUNS },
  );
  env.close();
});

/** Replace, delete or add one key somewhere in a valid input. */
function mutate(valid: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(valid, []);
  const odd = fc.oneof(
    jsonish,
    fc.string({ unit: 'binary', maxLength: 50 }),
    fc.constantFrom<unknown>(-1, 0, 1.5, 2 ** 53, NaN, Infinity, '', ' ', '\u0000', '9'.repeat(400), true, null, undefined, [], {}, '2025-02-30', '4.1.1.1'),
  );
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('set', 'delete', 'extra'), odd, fc.string({ maxLength: 8 })).map(([p, op, val, key]) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    if (p.length === 0) return op === 'set' ? val : op === 'extra' && copy && typeof copy === 'object' ? { ...copy, [key || 'x']: val } : copy;
    let parent = copy as Record<string | number, unknown>;
    for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = p[p.length - 1];
    if (op === 'set') parent[last] = val;
    else if (op === 'delete') delete parent[last];
    else if (parent[last] && typeof parent[last] === 'object') (parent[last] as Record<string, unknown>)[key || 'x'] = val;
    else parent[last] = val;
    return copy;
  });
}

test('mutated valid inputs into every channel: succeed, or are refused cleanly with nothing written', async () => {
  const env = setup();
  // a template needs every field: take the current one as the valid input
  const tpl = await env.dispatch('settings.getTemplate', {});
  assert.ok(tpl.ok);
  env.valid['settings.setTemplate'] = tpl.value;
  const state = { hash: dbHash(env.db), ok: 0, refused: 0 };
  const byChannel = fc.constantFrom(...channels).chain((ch) => fc.tuple(fc.constant(ch), mutate(env.valid[ch] ?? {})));
  await fc.assert(
    fc.asyncProperty(byChannel, async ([ch, input]) => {
      // exports make real files: keep them rare so the run stays short
      fc.pre(ch !== 'export.run' || Math.random() < 0.1);
      await check(env, ch, input, state);
    }),
    { numRuns: RUNS * 4 },
  );
  console.log(`mutated inputs: ${state.ok} accepted, ${state.refused} refused`);
  // and the valid ones themselves really are valid (so the mutations start from a real call)
  for (const ch of ['measures.applyEdits', 'settings.setIdentity', 'import.preview'] as Channel[]) {
    const r = await env.dispatch(ch, env.valid[ch]);
    assert.ok(r.ok, `${ch}: ${JSON.stringify(r)}`);
  }
  assert.ok(fs.existsSync(env.file));
  env.close();
});
