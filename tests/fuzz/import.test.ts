// Fuzzing the importer (previewImport) with random bytes and with real exported ledgers that
// were damaged: bit flips, truncation, corrupted zip entries (sizes, offsets, names, data) and
// corrupted XML inside an otherwise valid zip. Every case ends in a preview or a Chinese
// ServiceError — never another exception, never a hang — and the database is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ServiceError } from '../../electron/core/context';
import { findDepartment } from '../../electron/services/departments';
import { exportLedger } from '../../electron/export/xlsx/ledger';
import { previewImport } from '../../electron/import';
import { dbHash, freshDb, isChinese, unzipEntries, zipOf } from '../hostile/builders';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** per case: a damaged 30 KB ledger must not take seconds */
const MAX_MS = 5000;

type Env = ReturnType<typeof freshDb> & { hash: string; good: Buffer; stats: { preview: number; refused: number; slowest: number } };

async function setup(): Promise<Env> {
  const h = freshDb('czt-fuzz-imp-');
  const dept = findDepartment(h.ctx, '省发展改革委')!;
  const good = (await exportLedger(h.ctx, { deptId: dept.id })).buffer;
  return { ...h, hash: dbHash(h.db), good, stats: { preview: 0, refused: 0, slowest: 0 } };
}

function tryOne(env: Env, name: string, bytes: Buffer): void {
  const t = performance.now();
  try {
    const p = previewImport(env.ctx, { name, bytes });
    assert.equal(p.kind, 'czt-ledger-import-preview');
    env.stats.preview++;
  } catch (e) {
    if (!(e instanceof ServiceError)) {
      assert.fail(`${name} (${bytes.length} bytes): ${(e as Error)?.constructor?.name} ${(e as Error)?.stack ?? e}`);
    }
    assert.ok(isChinese(e.message), e.message);
    env.stats.refused++;
  }
  const ms = performance.now() - t;
  env.stats.slowest = Math.max(env.stats.slowest, ms);
  assert.ok(ms < MAX_MS, `${name}: ${Math.round(ms)} ms`);
}

const names = fc.constantFrom('回传.xlsx', '回传.xls', '回传.csv', '回传.et', '回传.ods', '回传', 'a.XLSX', '..\\..\\x.xlsx');

test('random bytes: a preview or a Chinese message', async () => {
  const env = await setup();
  fc.assert(
    fc.property(
      names,
      fc.oneof(
        fc.uint8Array({ maxLength: 4096 }),
        // the magic numbers the reader branches on, followed by junk
        fc.tuple(fc.constantFrom([0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06], [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x3c]), fc.uint8Array({ maxLength: 2048 })).map(([a, b]) => Uint8Array.from([...a, ...b])),
        fc.string({ unit: 'binary', maxLength: 2000 }).map((s) => new TextEncoder().encode(s)),
      ),
      (name, bytes) => tryOne(env, name, Buffer.from(bytes)),
    ),
    { numRuns: RUNS * 2 },
  );
  assert.equal(dbHash(env.db), env.hash);
  console.log('random bytes:', env.stats);
  env.close();
});

test('a real exported ledger, bit-flipped and truncated', async () => {
  const env = await setup();
  const len = env.good.length;
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: len - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 20 }),
      fc.option(fc.nat({ max: len }), { nil: undefined }),
      (flips, cut) => {
        const b = Buffer.from(env.good);
        for (const [pos, x] of flips) b[pos] ^= x;
        tryOne(env, '回传.xlsx', cut === undefined ? b : b.subarray(0, cut));
      },
    ),
    { numRuns: RUNS },
  );
  // every truncation length near the ends (central directory, local headers)
  for (let cut = 0; cut < len; cut += cut < 200 || cut > len - 200 ? 1 : 997) tryOne(env, '截断.xlsx', env.good.subarray(0, cut));
  assert.equal(dbHash(env.db), env.hash);
  console.log('flips and cuts:', env.stats);
  env.close();
});

test('zip entries corrupted: sizes, offsets, flags, names and data', async () => {
  const env = await setup();
  const entries = unzipEntries(env.good);
  // central directory fields: [offset in header, width]
  const fields: [string, number, 2 | 4][] = [
    ['flags', 8, 2],
    ['method', 10, 2],
    ['crc', 16, 4],
    ['csize', 20, 4],
    ['usize', 24, 4],
    ['nameLen', 28, 2],
    ['extraLen', 30, 2],
    ['local', 42, 4],
  ];
  fc.assert(
    fc.property(
      fc.nat({ max: entries.length - 1 }),
      fc.oneof(
        fc.record({ kind: fc.constant('cd' as const), field: fc.constantFrom(...fields), value: fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 1, 0xffff, 0xffffffff)) }),
        fc.record({ kind: fc.constant('data' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
        fc.record({ kind: fc.constant('local' as const), at: fc.nat({ max: 29 }), value: fc.nat({ max: 255 }) }),
      ),
      (i, m) => {
        const b = Buffer.from(env.good);
        const e = entries[i];
        if (m.kind === 'cd') {
          const [, off, w] = m.field;
          if (w === 2) b.writeUInt16LE(m.value & 0xffff, e.cdPos + off);
          else b.writeUInt32LE(m.value >>> 0, e.cdPos + off);
        } else if (m.kind === 'data') {
          const at = e.dataPos + (m.at % Math.max(1, e.csz));
          Buffer.from(m.bytes).copy(b, at, 0, Math.min(m.bytes.length, b.length - at));
        } else b[e.localPos + m.at] = m.value;
        tryOne(env, '回传.xlsx', b);
      },
    ),
    { numRuns: RUNS },
  );
  assert.equal(dbHash(env.db), env.hash);
  console.log('zip fields:', env.stats);
  env.close();
});

test('valid zip, damaged XML inside (the parser behind the zip layer)', async () => {
  const env = await setup();
  const entries = unzipEntries(env.good);
  const xml = entries.map((e, i) => [e, i] as const).filter(([e]) => /\.(xml|rels)$/.test(e.name));
  fc.assert(
    fc.property(
      fc.constantFrom(...xml.map(([, i]) => i)),
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), x: fc.integer({ min: 1, max: 255 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), s: fc.constantFrom('<', '>', '&', '&amp', '"', '<!--', ']]>', '<![CDATA[', '&#0;', '&#xD800;', '<c r="XFD1048576"><v>1</v></c>', '<row r="1048576">', '</sheetData>', '\u0000', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', 'r="A0"', 'r="-1"') }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      ),
      (i, m) => {
        const list = entries.map((e) => ({ name: e.name, data: e.data }));
        const d = list[i].data;
        const at = m.at % Math.max(1, d.length);
        if (m.kind === 'flip') {
          const c = Buffer.from(d);
          c[at] ^= m.x;
          list[i].data = c;
        } else if (m.kind === 'insert') list[i].data = Buffer.concat([d.subarray(0, at), Buffer.from(m.s), d.subarray(at)]);
        else list[i].data = d.subarray(0, at);
        tryOne(env, '回传.xlsx', zipOf(list));
      },
    ),
    { numRuns: RUNS },
  );
  assert.equal(dbHash(env.db), env.hash);
  console.log('xml damage:', env.stats);
  env.close();
});
