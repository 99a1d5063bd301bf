// Every kind of file the workbench writes, made from a real database: every export kind with each
// of its options, drafts with every block type, and text that is hard on an XML writer (XML-special
// characters, formula-like text, emoji, rare CJK outside the BMP, control characters) in the
// measures, projects and drafts the files show. Used by the conformance tests.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { type ServiceContext } from '../../electron/core/context';
import { applyEdits, listMeasures } from '../../electron/services/measures';
import { findDepartment } from '../../electron/services/departments';
import { listProjects, updateProjects } from '../../electron/services/projects';
import { createDraft, insertBlock, updateBlock, getDraft } from '../../electron/services/drafts';
import { produceExport, type ExportRequest } from '../../electron/export/produce';
import { CITIES } from '../../shared/domain';
import { PROJECT_CATEGORIES } from '../../shared/projects';
import { freshDb as sharedFreshDb, type FreshDb } from '../support/db';

/** Text hard on a writer: XML specials, formula-like starts, emoji (with a modifier), 𠮷 and 㐀, control characters. */
export const HOSTILE = '<b>&amp; "引号" \'单引号\' ]]> =SUM(A1)+1 😀👍🏽 𠮷野家 㐀 \u0001\u0008\u000b\u001f\uFFFE end';
export const HOSTILE_LINES = ['=1+1', '+86-731', '-减号开头', '@SUM(A1)', 'a\tb', ' 首尾空格 ', '第一行\n第二行\r\n第三行'];

export interface Corpus {
  db: Database;
  ctx: ServiceContext;
  dir: string;
  /** every file to make: a name for messages and the export request */
  requests: { name: string; req: ExportRequest }[];
}

/** The shared fresh database (tests/support/db.ts), signed in as the person these documents name. */
export function freshDb(prefix = 'czt-conf-'): FreshDb {
  return sharedFreshDb({ prefix, identity: { name: '张三', unit: '省发展改革委' } });
}

/** A fresh database with hostile text in measures, projects and drafts, and the list of every file to make. */
export function buildCorpus(): Corpus {
  const { db, ctx, dir } = freshDb();
  const dept = findDepartment(ctx, '省发展改革委')!;
  const co = findDepartment(ctx, '省生态环境厅')!;
  const ms = listMeasures(ctx).filter((m) => m.actionable);
  // hostile text in a few measures of the department, with the fields every document shows
  const mine = ms.filter((m) => m.leadId === dept.id).slice(0, HOSTILE_LINES.length + 1);
  applyEdits(
    ctx,
    mine.map((m, i) => ({
      measureId: m.id,
      patch: {
        progress: i === 0 ? HOSTILE : HOSTILE_LINES[i - 1],
        note: i === 0 ? HOSTILE : `备注${HOSTILE_LINES[i - 1]}`,
        deadline: '2026-12-31',
        status: i % 2 ? '推进中' : '已完成',
        cities: [...CITIES],
        coIds: [co.id],
      },
    })),
    '编辑',
  );
  const p0 = listProjects(ctx)[0];
  updateProjects(ctx, [{ projectId: p0.id, patch: { name: HOSTILE.replace(/[\u0000-\u001f\uFFFE]/g, '') } }], '编辑');

  // a field draft from the standard template, then every block type added: headings at all four
  // levels, paragraphs (hostile text), a citation, live and frozen tables of each kind, in the body and as attachments
  const d = createDraft(ctx, { kind: 'field', field: '生态环境', template: 'standard' });
  let after: number | null = getDraft(ctx, d.id).blocks[0].id;
  const add = (b: Parameters<typeof insertBlock>[3]) => {
    const dr = insertBlock(ctx, d.id, after, b);
    const i = dr.blocks.findIndex((x) => x.id === after) + 1;
    after = dr.blocks[i].id;
    return dr.blocks[i];
  };
  for (const level of [1, 2, 3, 4] as const) add({ type: 'heading', level, text: `第${level}级标题 ${HOSTILE}` });
  add({ type: 'para', text: HOSTILE });
  for (const t of HOSTILE_LINES) add({ type: 'para', text: t });
  add({ type: 'citation', measureId: mine[0].id });
  for (const tableKind of ['tasks', 'projects', 'indicators'] as const) {
    add({ type: 'table', tableKind, text: `正文${tableKind}` });
    const frozen = add({ type: 'table', tableKind, text: `冻结${tableKind}`, attachment: true });
    updateBlock(ctx, { draftId: d.id, blockId: frozen.id, frozen: true });
  }
  const city = createDraft(ctx, { kind: 'city', city: '株洲市', template: 'standard' });
  const deptDraft = createDraft(ctx, { kind: 'dept', deptId: dept.id, template: 'standard' });
  const blank = createDraft(ctx, { kind: 'blank', template: 'empty' });
  // a draft with one table only (the workbook is the writer's, not gathered)
  const one = createDraft(ctx, { kind: 'blank', template: 'empty' });
  insertBlock(ctx, one.id, null, { type: 'table', tableKind: 'indicators', text: HOSTILE.replace(/[\u0000-\u001f\uFFFE]/g, '') });

  const requests: Corpus['requests'] = [];
  const r = (name: string, req: ExportRequest) => requests.push({ name, req });
  // ledgers: whole, per department, per city, per chapter
  r('ledger-all', { kind: 'ledger.xlsx' });
  r('ledger-dept', { kind: 'ledger.xlsx', deptId: dept.id });
  r('ledger-city', { kind: 'ledger.xlsx', city: '湘潭市' });
  r('ledger-chapter', { kind: 'ledger.xlsx', chapter: 6 });
  // allocation: plan, department (each role), city, chapter
  r('allocation-all', { kind: 'allocation.docx' });
  r('allocation-preamble', { kind: 'allocation.docx', title: '分工方案 <&> 😀 𠮷', preamble: `${HOSTILE}\n第二段 ${HOSTILE_LINES.join(' ')}` });
  for (const role of ['lead', 'co', 'all'] as const) r(`allocation-dept-${role}`, { kind: 'allocation.docx', deptId: dept.id, role });
  r('allocation-city', { kind: 'allocation.docx', city: '长沙市' });
  r('allocation-chapter', { kind: 'allocation.docx', chapter: 3 });
  // briefing: plain, dated, with title and preamble, per department and city
  r('briefing', { kind: 'briefing.docx' });
  r('briefing-dated', { kind: 'briefing.docx', date: '2026-06-30', title: `简报${HOSTILE.slice(0, 20)}`, preamble: HOSTILE });
  r('briefing-dept', { kind: 'briefing.docx', deptId: dept.id });
  r('briefing-city', { kind: 'briefing.docx', city: '株洲市' });
  // department letter with its dates
  r('dept-letter', { kind: 'dept-letter.docx', deptId: dept.id });
  r('dept-letter-dated', { kind: 'dept-letter.docx', deptId: dept.id, date: '2026-07-01', dueDate: '2026-07-15' });
  // projects: all, by city, category, department, year
  r('projects-all', { kind: 'projects.xlsx' });
  r('projects-city', { kind: 'projects.xlsx', city: '长沙市' });
  r('projects-category', { kind: 'projects.xlsx', category: PROJECT_CATEGORIES[0] });
  r('projects-dept', { kind: 'projects.xlsx', deptId: dept.id });
  r('projects-year', { kind: 'projects.xlsx', year: 2027 });
  r('indicators', { kind: 'indicators.xlsx' });
  for (const [name, id] of [
    ['field', d.id],
    ['city', city.id],
    ['dept', deptDraft.id],
    ['blank', blank.id],
    ['one-table', one.id],
  ] as const) {
    r(`special-plan-${name}`, { kind: 'special-plan.docx', draftId: id });
    r(`draft-tables-${name}`, { kind: 'draft-tables.xlsx', draftId: id });
  }
  return { db, ctx, dir, requests };
}

/** Make one file of the corpus; returns its path. */
export async function makeFile(c: Corpus, name: string, req: ExportRequest): Promise<string> {
  const out = await produceExport(c.ctx, req);
  const ext = req.kind.endsWith('.xlsx') ? 'xlsx' : 'docx';
  const file = path.join(c.dir, `${name}.${ext}`);
  fs.writeFileSync(file, out.buffer);
  return file;
}
