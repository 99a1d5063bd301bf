// The Word documents of a 调度轮次 (issue 18), on the GB/T 9704 module (gbt9704.ts): the notice sent
// with each department's ledger (下发通知), the reminder (催办通知, one department or several), the
// return notice (退回通知) and the round briefing (调度情况通报: counts and rates, who is late, what
// moved since the last closed round, the 佐证材料 per department, highlights, the assessment), built
// from the round's snapshot.
import { STATUSES } from '../../../shared/domain';
import { correctedWithNote } from '../../../shared/corrections';
import { BRIEFING_EVIDENCE_PER_DEPT, bytesText, type RoundRole } from '../../../shared/rounds';
import { getIdentity, type ServiceContext } from '../../core/context';
import { chinaToday } from '../../services/reports';
import type { EvidenceDbRow } from '../../db/round-queries';
import { compareRounds, previousClosedRound, roundReports, roundScores, roundStatus, snapshotOf, getScoreRules, RULE_LABELS, rq, roundRow } from '../../services/rounds';
import { GbDocument, chineseDate, deadlineText, type GbColumn } from './gbt9704';
import { getTemplate } from '../../services/templates';
import { planTitle } from './common';

const pctText = (r: number) => `${(r * 100).toFixed(1)}%`;

function contactLine(doc: GbDocument, ctx: ServiceContext): void {
  const who = ctx.actor ?? getIdentity(ctx);
  doc.para([doc.run('联系人：'), who?.name ? doc.run(who.name) : doc.placeholder('请填写姓名'), doc.run('，联系电话：'), doc.placeholder('请填写电话')]);
}

/** a part longer than this is given by chapter in the notice (the ledger lists every measure) */
const NOTICE_LIST_MAX = 300;

const PART_COLUMNS: GbColumn[] = [
  { header: '序号', weight: 6, align: 'center' },
  { header: '编号', weight: 10, align: 'center' },
  { header: '具体措施', weight: 56 },
  { header: '职责', weight: 8, align: 'center' },
  { header: '完成时限', weight: 12, align: 'center' },
];

/** 下发通知: what the department is to fill in, by when, with its part listed as an attachment. */
export async function buildRoundNotice(
  ctx: ServiceContext,
  roundId: number,
  deptId: number,
  ledgerName: string,
  /** each measure's text and deadline (a distribution reads them once for every department) */
  byId: ReadonlyMap<string, { text: string; deadline: string | null }> = new Map(ctx.q.measureStates().map((m) => [m.id, m])),
): Promise<Buffer> {
  const round = roundRow(ctx, roundId);
  const dept = rq(ctx).roundDept(roundId, deptId)!;
  const part = rq(ctx).roundMeasures(roundId, deptId);
  const t = getTemplate(ctx);
  const plan = planTitle(ctx);
  const title = `关于报送${round.title}重点任务推进情况的通知`;
  const led = part.filter((p) => p.role === '牵头').length;
  const co = part.length - led;
  const doc = new GbDocument(t, { title, description: `${dept.name}：${round.title}` });
  doc.title(title);
  doc.recipient(dept.name);
  doc.para(
    `为及时掌握《${plan}》重点任务推进情况，现开展${round.title}。请你单位对照随文发送的报送台账，` +
      `报送截至${chineseDate(round.period_end)}的推进情况。有关事项通知如下：`,
  );
  doc.heading(1, '报送内容');
  doc.para(
    `本轮你单位需报送${part.length}项措施${co ? `（牵头${led}项、配合${co}项）` : ''}，具体见附件。` +
      '请在台账中逐项填写“状态”（未启动、推进中、已完成或滞后）和“进展情况”，需要说明的事项填入“备注”；' +
      '状态为滞后的，请在“进展情况”中说明原因和下一步措施。' +
      (co ? '配合任务请报送你单位配合开展的工作情况。' : ''),
  );
  doc.heading(1, '报送要求');
  doc.para(
    `请于${chineseDate(round.due_date)}前将填写后的台账（${ledgerName}）经单位负责同志审核后报送我办。` +
      '请勿改动台账中的“编号”栏，勿删除或改名台账文件中的工作表，以便汇总；逾期未报送的将予以催办并纳入考核。' +
      '佐证材料（文件、图片等）可随台账一并报送，文件名请以措施编号开头。',
  );
  if (round.note) doc.para(round.note);
  contactLine(doc, ctx);
  doc.attachmentNote([`${dept.name}${round.title}报送任务清单`]);
  doc.signature(t.organ, chinaToday());
  doc.pageBreak();
  doc.attachmentLabel('附件');
  doc.title(`${dept.name}${round.title}报送任务清单`);
  if (part.length <= NOTICE_LIST_MAX)
    doc.table(
      PART_COLUMNS,
      part.map((p, i) => {
        const m = byId.get(p.measure_id);
        return [String(i + 1), p.measure_id, m ? correctedWithNote(m.text) : '', p.role satisfies RoundRole, deadlineText(m?.deadline ?? null)];
      }),
    );
  else {
    // a long part is listed in the ledger itself; the notice gives it by chapter
    doc.para(`你单位本轮报送的措施共${part.length}项，逐项清单见报送台账（${ledgerName}），按章分布如下：`);
    const byChapter = new Map<number, { led: number; co: number }>();
    for (const p of part) {
      const ch = Number(p.measure_id.split('.')[0]);
      const c = byChapter.get(ch) ?? { led: 0, co: 0 };
      if (p.role === '牵头') c.led++;
      else c.co++;
      byChapter.set(ch, c);
    }
    doc.table(
      [
        { header: '章', weight: 30, align: 'center' },
        { header: '牵头（项）', weight: 35, align: 'center' },
        { header: '配合（项）', weight: 35, align: 'center' },
      ],
      [...byChapter].sort((a, b) => a[0] - b[0]).map(([ch, c]) => [`第${ch}章`, String(c.led), String(c.co)]),
    );
  }
  return doc.toBuffer();
}

/**
 * 催办通知: for the departments given (default: every one not yet reported, or returned); one
 * department is addressed by name, several together as 各有关单位 with a table of who and how late.
 */
export async function buildReminder(ctx: ServiceContext, roundId: number, deptIds: number[]): Promise<Buffer> {
  const round = roundRow(ctx, roundId);
  const st = roundStatus(ctx, roundId);
  const depts = st.departments.filter((d) => deptIds.includes(d.deptId));
  const t = getTemplate(ctx);
  const title = `关于催报${round.title}推进情况的通知`;
  const doc = new GbDocument(t, { title, description: depts.map((d) => d.name).join('、') });
  const today = chinaToday();
  const overdue = today > round.due_date;
  doc.title(title);
  doc.recipient(depts.length === 1 ? depts[0].name : '各有关单位');
  doc.para(
    `${round.title}要求各有关单位于${chineseDate(round.due_date)}前报送重点任务推进情况。` +
      (depts.length === 1
        ? `截至${chineseDate(today)}，你单位${depts[0].state === '已退回' ? '退回修改的报送尚未重新报送' : `尚未报送（共${depts[0].measures}项措施）`}` +
          (overdue ? `，已逾期${depts[0].lateDays}天` : '') +
          '。'
        : `截至${chineseDate(today)}，尚有${depts.length}个单位未报送或退回后未重新报送（见下表）。`) +
      `请${overdue ? '接此通知后立即' : `务必于${chineseDate(round.due_date)}前`}按要求报送，逾期未报送的将纳入考核。`,
  );
  if (depts.length > 1)
    doc.table(
      [
        { header: '序号', weight: 8, align: 'center' },
        { header: '单位', weight: 40 },
        { header: '应报措施（项）', weight: 18, align: 'center' },
        { header: '情况', weight: 16, align: 'center' },
        { header: '逾期天数', weight: 18, align: 'center' },
      ],
      depts.map((d, i) => [String(i + 1), d.name, String(d.measures), d.state, d.lateDays ? String(d.lateDays) : '未逾期']),
    );
  contactLine(doc, ctx);
  doc.signature(t.organ, today);
  return doc.toBuffer();
}

/** 退回通知: the department's returned report, the reason, and the measures concerned. */
export async function buildReturnNotice(ctx: ServiceContext, roundId: number, deptId: number): Promise<Buffer> {
  const round = roundRow(ctx, roundId);
  const dept = rq(ctx).roundDept(roundId, deptId)!;
  const reports = roundReports(ctx, roundId, { deptId }).filter((r) => r.state === '已退回');
  const t = getTemplate(ctx);
  const title = `关于退回${round.title}报送材料的通知`;
  const doc = new GbDocument(t, { title, description: dept.name });
  doc.title(title);
  doc.recipient(dept.name);
  doc.para(`你单位报送的${round.title}推进情况经审核，${reports.length}项措施的报送内容需修改完善，现予退回。`);
  doc.heading(1, '退回理由');
  doc.para(dept.return_reason ?? reports[0]?.reason ?? '');
  doc.heading(1, '修改要求');
  doc.para('请按上述意见修改后，在原台账基础上重新填写并报送我办（文件名可注明“修改稿”）；重新报送的内容将替换此前报送的内容。');
  if (reports.length)
    doc.table(
      [
        { header: '序号', weight: 8, align: 'center' },
        { header: '编号', weight: 12, align: 'center' },
        { header: '具体措施', weight: 60 },
        { header: '报送状态', weight: 20, align: 'center' },
      ],
      reports.map((r, i) => [String(i + 1), r.measureId, correctedWithNote(r.measureText), r.status]),
    );
  contactLine(doc, ctx);
  doc.signature(t.organ, chinaToday());
  return doc.toBuffer();
}

/**
 * 佐证材料 in the briefing: per department (in the round's order) its files with the measure each
 * supports (or 整体报送) and size. A round of many measures may carry thousands of files, so each
 * department names its first few and counts the rest: one table row per department at most.
 */
function evidencePart(doc: GbDocument, depts: { deptId: number; name: string }[], evidence: EvidenceDbRow[]): void {
  const byDept = new Map<number, EvidenceDbRow[]>();
  for (const e of evidence) {
    const list = byDept.get(e.dept_id);
    if (list) list.push(e);
    else byDept.set(e.dept_id, [e]);
  }
  const rows = depts.filter((d) => byDept.has(d.deptId));
  doc.heading(1, '佐证材料');
  doc.para(`本轮${rows.length}个单位提交佐证材料${evidence.length}份，按单位列示如下（每个单位列出前${BRIEFING_EVIDENCE_PER_DEPT}份）。`);
  doc.table(
    [
      { header: '序号', weight: 6, align: 'center' },
      { header: '单位', weight: 24 },
      { header: '份数', weight: 8, align: 'center' },
      { header: '佐证材料（名称、所佐证措施、大小）', weight: 62 },
    ],
    rows.map((d, i) => {
      const list = byDept.get(d.deptId)!;
      const named = list
        .slice(0, BRIEFING_EVIDENCE_PER_DEPT)
        .map((e) => `${e.name}（${e.measure_id ?? '整体报送'}，${bytesText(e.bytes)}）`)
        .join('；');
      const rest = list.length - BRIEFING_EVIDENCE_PER_DEPT;
      return [String(i + 1), d.name, String(list.length), rest > 0 ? `${named}；等${list.length}份（其余${rest}份未列出）` : named];
    }),
  );
}

/** 调度情况通报: the round's counts and rates, who is late, what moved, highlights, assessment. */
export async function buildRoundBriefing(ctx: ServiceContext, roundId: number): Promise<Buffer> {
  const round = roundRow(ctx, roundId);
  const st = roundStatus(ctx, roundId);
  const snap = snapshotOf(ctx, roundId);
  const prev = previousClosedRound(ctx, roundId);
  const t = getTemplate(ctx);
  const plan = planTitle(ctx);
  const title = `${round.title}情况通报`;
  const doc = new GbDocument(t, { title, description: `${plan}：${round.title}` });
  const r = st.rates;
  doc.title(title);
  doc.subtitle(`（报送期截至${chineseDate(round.period_end)}${round.state === '进行中' ? '，轮次进行中' : ''}）`);
  doc.para(`按照《${plan}》重点任务调度安排，现将${round.title}有关情况通报如下。`);

  doc.heading(1, '报送情况');
  doc.para(
    `本轮共${r.departments}个单位报送${round.state === '已结束' ? '' : '（截至目前）'}，已报送${r.reported}个，报送率${pctText(r.reportRate)}；` +
      `按时报送${r.onTime}个，按时率${pctText(r.onTimeRate)}；经审核采纳${r.accepted}个，采纳率${pctText(r.acceptRate)}。`,
  );
  const missing = st.departments.filter((d) => d.receivedAt === null);
  const late = st.departments.filter((d) => d.receivedAt !== null && d.lateDays > 0);
  doc.para(missing.length ? `未报送的单位（${missing.length}个）：${missing.map((d) => d.name).join('、')}。` : '各单位均已报送。');
  if (late.length) doc.para(`逾期报送的单位（${late.length}个）：${late.map((d) => `${d.name}（逾期${d.lateDays}天）`).join('、')}。`);
  const evidence = rq(ctx).evidence(roundId);
  if (evidence.length) doc.para(`各单位随报送材料提交佐证材料${evidence.length}份（${new Set(evidence.map((e) => e.dept_id)).size}个单位）。`);
  doc.table(
    [
      { header: '序号', weight: 6, align: 'center' },
      { header: '单位', weight: 30 },
      { header: '应报（项）', weight: 10, align: 'center' },
      { header: '已报（项）', weight: 10, align: 'center' },
      { header: '状态', weight: 12, align: 'center' },
      { header: '报送日期', weight: 14, align: 'center' },
      { header: '逾期（天）', weight: 9, align: 'center' },
      { header: '催办（次）', weight: 9, align: 'center' },
    ],
    st.departments.map((d, i) => [
      String(i + 1),
      d.name,
      String(d.measures),
      String(d.reported),
      d.state,
      d.receivedAt ? chinaToday(new Date(d.receivedAt)) : '—',
      d.lateDays ? String(d.lateDays) : '—',
      String(d.reminders),
    ]),
  );
  if (evidence.length) evidencePart(doc, st.departments, evidence);

  doc.heading(1, '推进情况');
  const counts = Object.fromEntries(STATUSES.map((s) => [s, snap.filter((x) => x.status === s).length])) as Record<(typeof STATUSES)[number], number>;
  doc.para(`本轮调度措施共${snap.length}项，其中${STATUSES.map((s) => `${s}${counts[s]}项`).join('、')}。`);
  if (prev) {
    const cmp = compareRounds(ctx, prev.id, roundId);
    const moved = cmp.measures.filter((m) => m.before && m.after && m.before !== m.after);
    const newlyDone = moved.filter((m) => m.after === '已完成');
    const newlyLate = moved.filter((m) => m.after === '滞后');
    doc.para(
      `与上一轮（${prev.title}）相比，${moved.length}项措施状态有变化，其中新完成${newlyDone.length}项、新转为滞后${newlyLate.length}项。`,
    );
    const chapters = cmp.byChapter.filter((c) => c.moved > 0);
    if (chapters.length)
      doc.table(
        [
          { header: '章', weight: 16, align: 'center' },
          { header: '已完成（上轮→本轮）', weight: 28, align: 'center' },
          { header: '滞后（上轮→本轮）', weight: 28, align: 'center' },
          { header: '状态变化（项）', weight: 28, align: 'center' },
        ],
        chapters.map((c) => [c.label, `${c.before['已完成']}→${c.after['已完成']}`, `${c.before['滞后']}→${c.after['滞后']}`, String(c.moved)]),
      );
  } else doc.para('本轮为首次调度（此前没有已结束的轮次），以下情况未作比较。');

  doc.heading(1, '工作亮点');
  const accepted = roundReports(ctx, roundId).filter((x) => x.state === '已采纳' && x.progress.trim() && x.changed.includes('progress'));
  const highlights = [...accepted.filter((x) => x.status === '已完成'), ...accepted.filter((x) => x.status !== '已完成')].slice(0, 10);
  if (!highlights.length) doc.para('本轮尚无采纳的进展情况。');
  for (const h of highlights) doc.heading(2, `${h.dept}：${h.measureId}（${h.status}）`, `　${h.progress.trim().replace(/\s*\n\s*/g, '；')}`);
  doc.placeholderPara('请在此处补充典型经验做法、存在的问题和下一步工作安排……');

  doc.heading(1, '考核情况');
  const rules = getScoreRules(ctx);
  doc.para(
    `按考核规则（${(['notReported', 'late', 'lagging', 'completed'] as const).map((k) => `${RULE_LABELS[k]}${rules[k] > 0 ? '+' : ''}${rules[k]}分`).join('，')}，基础分${rules.base}分），各单位本轮得分如下：`,
  );
  const scores = roundScores(ctx, roundId, rules).sort((a, b) => b.score - a.score);
  doc.table(
    [
      { header: '序号', weight: 8, align: 'center' },
      { header: '单位', weight: 34 },
      { header: '得分', weight: 12, align: 'center' },
      { header: '加减分事项', weight: 46 },
    ],
    scores.map((s, i) => [String(i + 1), s.name, String(s.score), s.items.map((x) => `${x.reason}（${x.points > 0 ? '+' : ''}${x.points}）`).join('；') || '—']),
  );
  doc.signature(t.organ, round.closed_at ? chinaToday(new Date(round.closed_at)) : chinaToday());
  return doc.toBuffer();
}
