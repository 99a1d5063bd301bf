// The rounds.* channels as the page calls them, through the real dispatcher on a real database:
// 下发 with progress events and 取消 (nothing written, nothing recorded), the round documents through
// export.run (a reminder only through rounds.remind, which records the 催办), 收取 of a distributed
// ledger as it came back, refusals worded in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDispatcher } from '../../../electron/ipc/router';
import type { Platform } from '../../../electron/ipc/platform';
import { writeUnique } from '../../../electron/ipc/transfers';
import { freshDb } from '../../support/db';

function setup(save?: Platform['saveFile']) {
  const h = freshDb('czt-round-ipc-');
  const events: { event: string; payload: unknown }[] = [];
  const out = path.join(h.dir, 'out');
  const platform: Platform = {
    saveFile: save ?? ((name, buffer) => writeUnique(out, name, buffer)),
    showInFolder: async () => false,
    chooseFolder: async (name) => path.join(out, name),
    emit: (event, payload) => events.push({ event, payload }),
  };
  const dispatch = createDispatcher(h.db, { shell: 'web', dbPath: h.file, version: 't' }, platform);
  const call = async (channel: string, input: unknown) => {
    const r = await dispatch(channel, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value as never;
  };
  return { ...h, dispatch, call, events, out };
}

test('rounds.distribute: progress events, then 取消 writes and records nothing; again, every package', async () => {
  const h = setup();
  try {
    const { round } = await h.call('rounds.create', { title: '测试调度', periodEnd: '2026-09-30', dueDate: '2026-10-10' }) as { round: { id: number; departments: number } };
    const running = h.dispatch('rounds.distribute', { roundId: round.id, jobId: 'job-1' });
    // the first department is being made: cancel now
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await h.call('rounds.cancel', { jobId: 'job-1' }), { cancelled: true });
    const r = await running;
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : '', /已取消下发/);
    const folder = path.join(h.out, '测试调度-下发');
    assert.deepEqual(fs.existsSync(folder) ? fs.readdirSync(folder) : [], [], 'no files left');
    const events = (await h.call('rounds.events', { roundId: round.id })) as { kind: string }[];
    assert.ok(!events.some((e) => e.kind === '下发'), 'not recorded');

    h.events.length = 0;
    const done = (await h.call('rounds.distribute', { roundId: round.id, jobId: 'job-2' })) as { departments: number; files: string[]; folder: string };
    assert.equal(done.folder, folder);
    assert.equal(done.departments, round.departments);
    assert.equal(fs.readdirSync(folder).length, 2 * round.departments, 'a ledger and a notice each');
    const progress = h.events.filter((e) => e.event === 'rounds.progress').map((e) => (e.payload as { jobId: string; done: number }).done);
    assert.deepEqual(progress, Array.from({ length: round.departments }, (_, i) => i + 1));
    assert.deepEqual(await h.call('rounds.cancel', { jobId: 'job-2' }), { cancelled: false }, 'nothing under way any more');

    // 收取 one ledger as it was sent: recognised, nothing changed; a dry run takes nothing in
    const ledger = done.files.find((f) => f.endsWith('.xlsx'))!;
    const files = [{ name: path.basename(ledger), base64: fs.readFileSync(ledger).toString('base64') }];
    const [dry] = (await h.call('rounds.collect', { roundId: round.id, files, dryRun: true })) as { department: string; refused: string | null }[];
    assert.equal(dry.refused, null);
    assert.ok(ledger.includes(`-${dry.department}-`), `recognised as ${dry.department}`);
    const st = (await h.call('rounds.status', { roundId: round.id })) as { rates: { reported: number } };
    assert.equal(st.rates.reported, 0, 'a dry run takes nothing in');
    // a file that is not a ledger: refused with a reason, never an internal error
    const [bad] = (await h.call('rounds.collect', { roundId: round.id, files: [{ name: '坏文件.xlsx', base64: Buffer.from('not a workbook').toString('base64') }] })) as { refused: string | null }[];
    assert.ok(bad.refused && /[\u4e00-\u9fff]/.test(bad.refused), `refused in Chinese: ${bad.refused}`);
    // in Electron a chosen file comes as its path (the bytes do not cross IPC): the same answer
    const [byPath] = (await h.call('rounds.collect', { roundId: round.id, files: [{ name: path.basename(ledger), path: ledger }], dryRun: true })) as typeof dry[];
    assert.deepEqual(byPath, dry);
    // a path that is not a chosen spreadsheet is refused in Chinese before anything is read
    for (const p of ['relative/a.xlsx', h.file, path.join(h.dir, '不存在.xlsx')]) {
      const r = await h.dispatch('rounds.collect', { roundId: round.id, files: [{ name: 'a.xlsx', path: p }], dryRun: true });
      assert.ok(!r.ok && r.error.code === 'VALIDATION' && /未收取/.test(r.error.message), JSON.stringify(r));
    }
    assert.equal(((await h.call('rounds.status', { roundId: round.id })) as { rates: { reported: number } }).rates.reported, 0);
  } finally {
    h.close();
  }
});

test('round documents: briefing, scores and return notice through export.run; a reminder only through rounds.remind, recorded and listed', async () => {
  const h = setup();
  try {
    const { round } = await h.call('rounds.create', { title: '文书调度', periodEnd: '2026-09-30', dueDate: '2026-10-10', chapters: [4] }) as { round: { id: number; departments: number } };
    for (const kind of ['round-briefing.docx', 'round-scores.xlsx'] as const) {
      const r = (await h.call('export.run', { kind, roundId: round.id, scopeLabel: '文书调度' })) as { path: string; id: number };
      assert.ok(fs.statSync(r.path).size > 5000, `${kind} written`);
    }
    for (const input of [{ kind: 'round-briefing.docx' }, { kind: 'return-notice.docx', roundId: round.id }, { kind: 'reminder.docx', roundId: round.id }]) {
      const r = await h.dispatch('export.run', input);
      assert.equal(r.ok ? '' : r.error.code, 'VALIDATION', JSON.stringify(input));
    }
    const missing = await h.dispatch('export.run', { kind: 'round-briefing.docx', roundId: 999 });
    assert.equal(missing.ok ? '' : missing.error.code, 'NOT_FOUND');

    const r = (await h.call('rounds.remind', { roundId: round.id, combined: true })) as { files: { path: string; departments: number }[] };
    assert.equal(r.files.length, 1);
    assert.equal(r.files[0].departments, round.departments);
    const list = (await h.call('export.list', {})) as { kind: string }[];
    assert.deepEqual(list.map((e) => e.kind).sort(), ['reminder.docx', 'round-briefing.docx', 'round-scores.xlsx']);
    const st = (await h.call('rounds.status', { roundId: round.id })) as { departments: { reminders: number }[] };
    assert.ok(st.departments.every((d) => d.reminders === 1), 'each reminder recorded');
    // 退回 without a reason is refused by the channel
    const ret = await h.dispatch('rounds.review', { roundId: round.id, deptId: 1, action: 'return', reason: '  ' });
    assert.equal(ret.ok ? '' : ret.error.code, 'VALIDATION');
  } finally {
    h.close();
  }
});

test('rounds.remind: a save the person cancels records no 催办; of several notices only the saved ones are recorded', async () => {
  let cancelNext = true;
  const saved: string[] = [];
  // the save dialog cancelled once (cancelNext), then saving
  const h = setup(async (name, buffer) => {
    if (cancelNext) {
      cancelNext = false;
      return null;
    }
    const p = await writeUnique(path.join(h.dir, 'out'), name, buffer);
    saved.push(p);
    return p;
  });
  try {
    const { round } = (await h.call('rounds.create', { title: '催办调度', periodEnd: '2026-09-30', dueDate: '2026-10-10', chapters: [4] })) as { round: { id: number; departments: number } };
    const reminders = async () => ((await h.call('rounds.status', { roundId: round.id })) as { departments: { deptId: number; reminders: number }[] }).departments;
    const events = async () => ((await h.call('rounds.events', { roundId: round.id })) as { kind: string }[]).filter((e) => e.kind === '催办').length;
    const audits = () => (h.db.prepare("SELECT count(*) n FROM audit WHERE op = '调度催办'").get() as { n: number }).n;

    const r = (await h.call('rounds.remind', { roundId: round.id, combined: true })) as { files: unknown[] };
    assert.deepEqual(r.files, [], 'nothing saved');
    assert.ok((await reminders()).every((d) => d.reminders === 0), 'no reminder counted');
    assert.equal(await events(), 0, 'no 催办 in the round\'s record');
    assert.equal(audits(), 0, 'no audit entry');
    assert.deepEqual((await h.call('export.list', {})) as unknown[], [], 'nothing in the export list');

    // one notice per department: the first save cancelled, the others kept and recorded
    cancelNext = true;
    const each = (await h.call('rounds.remind', { roundId: round.id, combined: false })) as { files: { path: string; departments: number }[] };
    assert.equal(each.files.length, round.departments - 1);
    const after = await reminders();
    assert.equal(after[0].reminders, 0, 'the cancelled one not recorded');
    assert.ok(after.slice(1).every((d) => d.reminders === 1), 'each saved one recorded');
    assert.equal(await events(), round.departments - 1);
    assert.deepEqual(each.files.map((f) => f.path), saved);
  } finally {
    h.close();
  }
});

test('rounds.remind: when the 催办 cannot be recorded the saved notice is removed', async () => {
  const saved: string[] = [];
  const h = setup(async (name, buffer) => {
    const p = await writeUnique(path.join(h.dir, 'out'), name, buffer);
    saved.push(p);
    // the round closes while the save dialog is open
    h.db.prepare("UPDATE round SET state = '已结束', closed_at = ?").run(new Date().toISOString());
    return p;
  });
  try {
    const { round } = (await h.call('rounds.create', { title: '结束中催办', periodEnd: '2026-09-30', dueDate: '2026-10-10', chapters: [4] })) as { round: { id: number } };
    const r = await h.dispatch('rounds.remind', { roundId: round.id, combined: true });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error.message : '', /已于 .* 结束/);
    assert.equal(saved.length, 1);
    assert.equal(fs.existsSync(saved[0]), false, 'the notice not left behind unrecorded');
    assert.equal((h.db.prepare("SELECT count(*) n FROM round_event WHERE kind = '催办'").get() as { n: number }).n, 0);
  } finally {
    h.close();
  }
});
