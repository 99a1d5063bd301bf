// The web bridge's framing (shared/ipc/socket-frames.ts) and the split JSON text of a large
// answer (shared/ipc/json-text.ts): what one side cuts, the other puts back whole; pieces never
// break a character; a message over the limit is refused and the socket goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromJsonText, fromJsonTextInTasks, joinSplitJson, jsonText, splitJson } from '../../../../shared/ipc/json-text';
import { answerFrames, callFrames, cutText, FrameReader, messageFrames, RequestAssembler } from '../../../../shared/ipc/socket-frames';

const value = {
  kind: 'preview',
  note: '进展😀𠀀',
  changes: Array.from({ length: 257 }, (_, i) => ({ measureId: `4.1.${i}`, text: `第${i}条：湘江😀`, fields: [{ field: 'progress', old: '', new: `完成${i}%` }] })),
  conflicts: [],
  errors: [{ row: 3, message: '状态“已完结”不是可选值' }],
  missing: undefined,
};
const plain = JSON.parse(JSON.stringify(value)) as typeof value;

test('splitJson keeps the named arrays apart in pieces; joined or parsed a piece per task, the same value', async () => {
  const s = splitJson(value, ['changes', 'conflicts', 'errors', 'absent'], 500);
  assert.ok(!('changes' in JSON.parse(s.text)), 'the head has no changes');
  assert.ok(s.arrays!.changes.length > 10, `the changes in pieces: ${s.arrays!.changes.length}`);
  assert.ok(s.arrays!.changes.every((p) => p.length < 500 + 200), 'each piece about the size asked');
  assert.deepEqual(s.arrays!.conflicts, [], 'an empty array: no pieces');
  assert.ok(!('absent' in s.arrays!), 'a name that is not an array is left alone');
  assert.deepEqual(joinSplitJson(s), plain);
  assert.deepEqual(fromJsonText(jsonText(s)), plain);
  let pauses = 0;
  const inTasks = await fromJsonTextInTasks(jsonText(s), async () => {
    pauses++;
    await new Promise((r) => setImmediate(r));
  });
  assert.deepEqual(inTasks, plain);
  assert.equal(pauses, s.arrays!.changes.length + s.arrays!.errors.length, 'one pause before each piece');
  // a plain JSON text, and a value that is no JSON text, pass as before
  assert.deepEqual(fromJsonText(jsonText(JSON.stringify(value))), plain);
  assert.deepEqual(await fromJsonTextInTasks({ a: 1 }, async () => assert.fail('no pause for a plain value')), { a: 1 });
});

test('cutText never ends a piece inside a surrogate pair, and every piece is put back in order', () => {
  const text = 'a😀'.repeat(100) + '𠀀'.repeat(50);
  for (const n of [2, 3, 7, 64]) {
    const pieces = cutText(text, n);
    assert.equal(pieces.join(''), text);
    for (const p of pieces) {
      assert.ok(p.length <= n && p.length > 0);
      assert.equal(Buffer.from(p, 'utf8').toString('utf8'), p, 'each piece is valid UTF-16 on its own');
    }
  }
  assert.deepEqual(cutText('', 8), [''], 'an empty text is one empty piece');
});

test('an answer with a JSON text value crosses unescaped, its texts in frames, and comes back whole and unparsed', () => {
  const s = splitJson(value, ['changes', 'conflicts', 'errors'], 400);
  const frames = answerFrames(9, { ok: true, value: jsonText(s) }, 97);
  const head = JSON.parse(frames[0]) as { id: number; jsonText: { arrays: [string, number][]; frames: number[] } };
  assert.equal(head.id, 9);
  assert.equal(head.jsonText.frames.length, 1 + s.arrays!.changes.length + s.arrays!.errors.length);
  assert.equal(frames.length, 1 + head.jsonText.frames.reduce((a, b) => a + b, 0));
  assert.ok(frames.slice(1).every((f) => f.length <= 97));
  // the texts as they are, not escaped into another JSON string
  assert.ok(frames.slice(1).join('').includes('"measureId":"4.1.0"'));

  const reader = new FrameReader();
  let got: unknown;
  frames.forEach((f, i) => {
    const m = reader.push(f);
    if (i < frames.length - 1) assert.equal(m, undefined, `frame ${i}: not whole yet`);
    else got = m;
  });
  const msg = got as { id: number; result: { ok: true; value: unknown } };
  assert.equal(msg.id, 9);
  assert.deepEqual(msg.result.value, jsonText(s), 'the JSON text itself, unparsed');
  assert.deepEqual(fromJsonText(msg.result.value), plain);

  // the same reader goes on with ordinary and long messages
  assert.deepEqual(reader.push(JSON.stringify({ event: 'export.progress', payload: 1 })), { event: 'export.progress', payload: 1 });
  const long = { id: 10, result: { ok: true, value: '长'.repeat(500) } };
  const lf = answerFrames(10, long.result, 97);
  assert.match(lf[0], /^\{"parts":\d+\}$/);
  let last: unknown;
  for (const f of lf) last = reader.push(f);
  assert.deepEqual(last, long);
  // an error answer is never raw
  assert.deepEqual(reader.push(answerFrames(11, { ok: false, error: { code: 'X', message: '错' } })[0]), { id: 11, result: { ok: false, error: { code: 'X', message: '错' } } });
  // a header with counts that do not add up is not followed
  assert.equal(reader.push(JSON.stringify({ id: 12, jsonText: { arrays: [['changes', 2]], frames: [1] } })), undefined);
  assert.deepEqual(reader.push('{"id":13,"result":{"ok":true,"value":1}}'), { id: 13, result: { ok: true, value: 1 } });
});

test('the bridge puts a long call back together (raw texts or parts), refuses one over its limit, and goes on', () => {
  const input = { fileName: '回传😀.xlsx', base64: 'QUJD'.repeat(300), note: 'short' };
  const frames = callFrames(1, 'import.preview', input, 100);
  const head = JSON.parse(frames[0]) as { id: number; input: Record<string, unknown>; raw: [string, number][] };
  assert.deepEqual(head.raw, [['base64', 12]]);
  assert.ok(!('base64' in head.input), 'the long text is not in the header');
  assert.ok(frames.slice(1).every((f) => /^[A-Za-z0-9+/]+$/.test(f)), 'the base64 as it is');
  const a = new RequestAssembler(2000);
  const outs = frames.map((f) => a.push(f));
  assert.ok(outs.slice(0, -1).every((o) => o === null));
  assert.deepEqual(outs.at(-1), { msg: { id: 1, channel: 'import.preview', input } });
  assert.deepEqual(a.push('{"id":2}'), { msg: { id: 2 } }, 'a short message as it is');
  assert.deepEqual(a.push('{not json'), { bad: '{not json' });

  // parts: a long message with no long text
  const call = JSON.stringify({ id: 3, channel: 'x', input: { list: Array.from({ length: 200 }, (_, i) => i) } });
  const pf = callFrames(3, 'x', { list: Array.from({ length: 200 }, (_, i) => i) }, 100);
  assert.deepEqual(pf, messageFrames(call, 100));
  assert.match(pf[0], /^\{"parts":\d+\}$/);
  let last: unknown;
  for (const f of pf) last = a.push(f);
  assert.deepEqual(last, { msg: JSON.parse(call) });

  for (const big of [messageFrames('"' + 'x'.repeat(2500) + '"', 100), callFrames(4, 'import.preview', { base64: 'x'.repeat(2500) }, 100)]) {
    const res = big.map((f) => a.push(f));
    assert.equal(res.filter((r) => r && 'tooLarge' in r).length, 1, 'refused once');
    assert.ok(res.every((r) => r === null || 'tooLarge' in r), 'its other frames are dropped, not read as messages');
    assert.deepEqual(a.push('{"id":5}'), { msg: { id: 5 } }, 'the next message is read');
  }
  assert.deepEqual(a.push('{"parts":99999}'), { tooLarge: true }, 'more pieces than the limit allows characters');
  assert.deepEqual(a.push(JSON.stringify({ id: 6, input: {}, raw: [['base64', 99999]] })), { tooLarge: true });
  assert.deepEqual(a.push('{"id":7}'), { msg: { id: 7 } });
  // a raw header that does not make sense is not followed: its call goes on without input (refused by the dispatcher)
  const bad = a.push(JSON.stringify({ id: 8, channel: 'import.preview', input: [], raw: [['base64', 2]] })) as { msg: { input?: unknown; raw?: unknown } };
  assert.equal(bad.msg.input, undefined);
  assert.deepEqual(a.push('{"id":9}'), { msg: { id: 9 } });
});
