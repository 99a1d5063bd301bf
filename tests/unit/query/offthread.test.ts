// 方案起草's long reads off the thread that serves IPC (electron/query): the read worker gives the
// same gaps and table counts as the calling thread, sees what the main connection commits between
// two calls, keeps a refusal's code and Chinese message, and the dispatcher sends the calls there
// only on a large ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor, ServiceError } from '../../../electron/core/context';
import { createDispatcher } from '../../../electron/ipc/router';
import { createDraft, deleteBlock, draftGaps, draftTableCounts, getDraft, listDrafts } from '../../../electron/services/drafts';
import { listAuditFiltered } from '../../../electron/services/audit';
import { fromJsonText, isJsonText } from '../../../shared/ipc/json-text';
import type { Draft } from '../../../shared/drafts';
import type { MeasureFacts } from '../../../shared/ipc/contract';
import { applyEdits, confirmSuggestions, measureFacts } from '../../../electron/services/measures';
import { countSuggested, type ExportRequest } from '../../../electron/export/produce';
import { deleteProject, listProjects } from '../../../electron/services/projects';
import type { Project } from '../../../shared/projects';
import { findDepartment } from '../../../electron/services/departments';
import { OFF_THREAD_FROM, readCall, readWorkerRunning, stopReadWorker, writeCall } from '../../../electron/query/offthread';
import { freshDb, isChinese } from '../../hostile/builders';
import { generatedLedger } from '../../support/db';

test('the read worker answers gaps and table counts as the calling thread does, and sees each commit', async () => {
  const h = freshDb('czt-readworker-');
  try {
    const d = createDraft(h.ctx, { kind: 'field', field: '生态环境', template: 'standard' });
    const gaps = () => readCall(h.ctx, 'drafts.gaps', d.id, () => draftGaps(h.ctx, d.id), { force: true });
    const counts = () => readCall(h.ctx, 'drafts.tableCounts', d.id, () => draftTableCounts(h.ctx, d.id), { force: true });
    assert.deepEqual(await gaps(), draftGaps(h.ctx, d.id));
    assert.ok(readWorkerRunning(), 'answered by the worker');
    assert.deepEqual(await counts(), draftTableCounts(h.ctx, d.id));

    // committed here between two calls: a citation removed, a cited measure's lead changed
    // citations of measures of the draft's scope (第六章, 生态环境), each cited once
    const cites = d.blocks.filter(
      (b) => b.type === 'citation' && b.measureId?.startsWith('6.') && d.blocks.filter((x) => x.measureId === b.measureId).length === 1,
    );
    assert.ok(cites.length >= 2);
    deleteBlock(h.ctx, d.id, cites[0].id);
    const lead = findDepartment(h.ctx, '省交通运输厅')!;
    applyEdits(h.ctx, [{ measureId: cites[1].measureId!, patch: { leadIds: [lead.id] } }], '编辑');
    const after = (await gaps()) as ReturnType<typeof draftGaps>;
    assert.deepEqual(after, draftGaps(h.ctx, d.id));
    assert.ok(after.uncovered.some((u) => u.id === cites[0].measureId), 'the removed citation is a gap now');
    assert.ok(after.changed.some((c) => c.measureId === cites[1].measureId && c.fields.some((f) => f.field === '牵头单位' && f.now === '省交通运输厅')));

    // a refusal keeps its code and Chinese message
    await assert.rejects(readCall(h.ctx, 'drafts.gaps', 99999, () => draftGaps(h.ctx, 99999), { force: true }), (e: Error) => e instanceof ServiceError && e.code === 'NOT_FOUND' && isChinese(e.message));
    assert.ok(readWorkerRunning(), 'a refusal does not stop the worker');
  } finally {
    await stopReadWorker();
    h.close();
  }
  assert.equal(readWorkerRunning(), false);
});

test('the dashboard facts from the read worker are those of the calling thread, and follow an edit', async () => {
  const h = freshDb('czt-readworker-facts-');
  try {
    const facts = async () => {
      const v = await readCall(h.ctx, 'measures.facts', 0, () => measureFacts(h.ctx), { force: true });
      assert.ok(isJsonText(v) && v.arrays?.ids.length, 'as JSON text, its columns apart');
      return fromJsonText<MeasureFacts>(v);
    };
    const first = await facts();
    assert.ok(readWorkerRunning(), 'answered by the worker');
    assert.deepEqual(first, measureFacts(h.ctx));
    const i = first.status.findIndex((s) => s !== '已完成');
    applyEdits(h.ctx, [{ measureId: first.ids[i], patch: { status: '已完成' } }], '编辑');
    const after = await facts();
    assert.equal(after.status[i], '已完成', 'the edit committed here is seen');
    assert.deepEqual(after, measureFacts(h.ctx));
  } finally {
    await stopReadWorker();
    h.close();
  }
});

test('the project list from the read worker is that of the calling thread, with its options, and follows an edit', async () => {
  const h = freshDb('czt-readworker-projects-');
  try {
    const list = async (input: { includeDeleted?: boolean; year?: number }) => {
      const v = await readCall(h.ctx, 'projects.list', 0, () => listProjects(h.ctx, input), { force: true, input });
      assert.ok(isJsonText(v), 'as JSON text');
      return fromJsonText<Project[]>(v);
    };
    const all = await list({});
    assert.ok(all.length > 10);
    assert.deepEqual(all, JSON.parse(JSON.stringify(listProjects(h.ctx))));
    assert.deepEqual(await list({ year: 2023 }), JSON.parse(JSON.stringify(listProjects(h.ctx, { year: 2023 }))), 'the year asked for');
    deleteProject(h.ctx, all[0].id);
    const after = await list({});
    assert.equal(after.length, all.length - 1, 'the deletion committed here is seen');
    assert.equal((await list({ includeDeleted: true })).length, all.length);
  } finally {
    await stopReadWorker();
    h.close();
  }
});

test('the export page count of suggested leads from the read worker is that of the calling thread, and follows a confirmation', async () => {
  const h = freshDb('czt-readworker-suggestions-');
  try {
    const ask = (input: ExportRequest) => readCall(h.ctx, 'export.suggestions', 0, () => ({ suggested: countSuggested(h.ctx, input) }), { force: true, input });
    for (const input of [{ kind: 'allocation.docx' }, { kind: 'ledger.xlsx', chapter: 6 }, { kind: 'dept-letter.docx', deptId: findDepartment(h.ctx, '省生态环境厅')!.id }, { kind: 'indicators.xlsx' }] as ExportRequest[]) {
      assert.deepEqual(await ask(input), { suggested: countSuggested(h.ctx, input) }, input.kind);
    }
    const before = (await ask({ kind: 'allocation.docx' })) as { suggested: number };
    assert.ok(before.suggested > 250);
    confirmSuggestions(h.ctx, ['3.1.1.1', '3.1.1.2']);
    assert.deepEqual(await ask({ kind: 'allocation.docx' }), { suggested: before.suggested - 2 }, 'the confirmation committed here is seen');
  } finally {
    await stopReadWorker();
    h.close();
  }
});

test('the write worker creates the draft the calling thread would, audited under the same person', async () => {
  const h = freshDb('czt-writeworker-');
  try {
    h.ctx.actor = { name: '李四', unit: '株洲市发展改革委' };
    const here = createDraft(h.ctx, { kind: 'city', city: '株洲市', template: 'standard' });
    const r = await writeCall(h.ctx, 'drafts.create', { kind: 'city', city: '株洲市', template: 'standard' }, () => createDraft(h.ctx, { kind: 'city', city: '株洲市', template: 'standard' }), { force: true });
    assert.ok('json' in r, 'written by the worker');
    const there = JSON.parse(r.json) as Draft;
    assert.notEqual(there.id, here.id);
    const strip = (x: Draft) => ({ ...x, id: 0, updatedAt: '', numbers: x.blocks.map((b) => x.numbers[b.id]), blocks: x.blocks.map((b) => ({ ...b, id: 0 })) });
    assert.deepEqual(strip(JSON.parse(JSON.stringify(there))), strip(JSON.parse(JSON.stringify(here))));
    assert.deepEqual(there, JSON.parse(JSON.stringify(getDraft(h.ctx, there.id))));
    const audit = listAuditFiltered(h.ctx, { table: 'draft', rowId: String(there.id) });
    assert.ok(audit.length >= 5 && audit.every((a) => a.actor === '李四' && a.unit === '株洲市发展改革委' && a.op === '新建方案'), JSON.stringify(audit[0]));
    // a refusal keeps its code and Chinese message; nothing is written
    const before = listDrafts(h.ctx).length;
    await assert.rejects(
      writeCall(h.ctx, 'drafts.create', { kind: 'dept', deptId: 999999, template: 'standard' }, () => createDraft(h.ctx, { kind: 'dept', deptId: 999999, template: 'standard' }), { force: true }),
      (e: Error) => e instanceof ServiceError && e.code === 'VALIDATION' && isChinese(e.message),
    );
    assert.equal(listDrafts(h.ctx).length, before);
  } finally {
    h.close();
  }
});

test('an in-memory database is read on the calling thread', async () => {
  const db = openWorkbenchDb(':memory:', { quickCheck: false });
  try {
    const ctx = contextFor(db);
    const d = createDraft(ctx, { kind: 'city', city: '株洲市', template: 'standard' });
    assert.deepEqual(await readCall(ctx, 'drafts.gaps', d.id, () => draftGaps(ctx, d.id), { force: true }), draftGaps(ctx, d.id));
    assert.equal(readWorkerRunning(), false);
  } finally {
    db.close();
  }
});

test('the dispatcher sends drafts.gaps to the worker on a large ledger only', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'czt-readworker-big-'));
  const small = freshDb('czt-readworker-small-');
  try {
    // an ordinary ledger: answered here
    const ds = createDraft(small.ctx, { kind: 'field', field: '生态环境', template: 'standard' });
    const dsp = createDispatcher(small.db, { shell: 'web', dbPath: small.file, version: 't' });
    const r1 = await dsp('drafts.gaps', { draftId: ds.id });
    assert.ok(r1.ok);
    assert.equal(readWorkerRunning(), false);

    const { file } = generatedLedger({ measures: OFF_THREAD_FROM + 500, projects: 50, seed: 5, dir });
    const db = openWorkbenchDb(file, { quickCheck: false });
    try {
      const ctx = contextFor(db);
      const d = createDraft(ctx, { kind: 'field', field: '生态环境', template: 'standard' });
      const dsp2 = createDispatcher(db, { shell: 'web', dbPath: file, version: 't' });
      const r2 = await dsp2('drafts.gaps', { draftId: d.id });
      assert.ok(r2.ok && readWorkerRunning(), 'a large ledger: the worker answered');
      assert.deepEqual(r2.value, JSON.parse(JSON.stringify(draftGaps(ctx, d.id))));
      await stopReadWorker();
      const facts = await dsp2('measures.facts', {});
      assert.ok(facts.ok && readWorkerRunning(), 'the dashboard facts of a large ledger: the worker answered');
      assert.ok(isJsonText(facts.value), 'as JSON text');
      assert.deepEqual(fromJsonText(facts.value), JSON.parse(JSON.stringify(measureFacts(ctx))));
      // 50 projects: the list is read here, whatever the number of measures
      await stopReadWorker();
      const pl = await dsp2('projects.list', {});
      assert.ok(pl.ok && !isJsonText(pl.value) && !readWorkerRunning(), 'a short project list: answered here');
      const gone = await dsp2('drafts.tableCounts', { draftId: 424242 });
      assert.ok(!gone.ok && gone.error.code === 'NOT_FOUND' && isChinese(gone.error.message));

      // a new draft on a large ledger is written by the write worker; this thread answers meanwhile
      const order: string[] = [];
      const creating = dsp2('drafts.create', { kind: 'field', field: '生态环境', template: 'standard' }).then((r) => (order.push('create'), r));
      const other = dsp2('drafts.list', {}).then((r) => (order.push('list'), r));
      const [made, listed] = await Promise.all([creating, other]);
      assert.deepEqual(order, ['list', 'create'], 'drafts.list was answered while the draft was being written');
      assert.ok(listed.ok && made.ok);
      assert.ok(isJsonText(made.value), 'the draft came from the worker, as JSON text');
      const nd = JSON.parse((made.value as unknown as { text: string }).text) as Draft;
      assert.deepEqual(nd, JSON.parse(JSON.stringify(getDraft(ctx, nd.id))), 'the main connection reads the same draft');
      assert.equal(nd.blocks.length, d.blocks.length);
      assert.ok(listDrafts(ctx).some((x) => x.id === nd.id));
      const bad = await dsp2('drafts.create', { kind: 'dept', deptId: 999999, template: 'standard' });
      assert.ok(!bad.ok && bad.error.code === 'VALIDATION' && isChinese(bad.error.message), JSON.stringify(bad));
    } finally {
      await stopReadWorker();
      db.close();
    }
  } finally {
    small.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
