// 考核得分表 (round-scores.xlsx, issue 18): a department's score in a round from the rule set, and
// each point added or taken with its reason, written by the ledger writer (sheet.ts) so the file is
// valid Open XML. A report: the hidden _meta says kind 'round-scores' (the ledger import refuses it).
import type { ServiceContext } from '../../core/context';
import { getScoreRules, roundRow, roundScores, roundStatus, RULE_LABELS, yearScores } from '../../services/rounds';
import pkg from '../../../package.json';
import { dateStamp, fileSafe, writeWorkbook, type WriterColumn } from './sheet';

export const ROUND_SCORES_FORMAT = 'czt-round-scores/1';

export async function exportRoundScores(ctx: ServiceContext, roundId: number): Promise<{ buffer: Buffer; rows: number; fileName: string }> {
  const round = roundRow(ctx, roundId);
  const st = roundStatus(ctx, roundId);
  const rules = getScoreRules(ctx);
  const scores = roundScores(ctx, roundId, rules);
  const byDept = new Map(st.departments.map((d) => [d.deptId, d]));
  const now = new Date();
  const ruleText = (['base', 'notReported', 'late', 'lagging', 'completed'] as const).map((k) => `${RULE_LABELS[k]} ${rules[k]}`).join('，');
  const col = (header: string, width: number, align: WriterColumn['align'] = 'center'): WriterColumn => ({ header, width, editable: false, align });
  const ranked = [...scores].sort((a, b) => b.score - a.score);
  // the year of the round's period: each department's mean over that year's closed rounds
  const year = Number(round.period_end.slice(0, 4));
  const yearRanked = yearScores(ctx, year, rules).sort((a, b) => b.score - a.score);
  const buffer = await writeWorkbook({ workbookTitle: `${round.title}考核得分`, now, meta: { kv: [
    ['format', ROUND_SCORES_FORMAT],
    ['kind', 'round-scores'],
    ['version', String(pkg.version)],
    ['exportedAt', now.toISOString()],
    ['round', String(round.id)],
    ['rules', JSON.stringify(rules)],
  ] } }, [
    {
      sheetName: '考核得分',
      title: `${round.title}考核得分表`,
      note: `导出时间：${now.toLocaleString('zh-CN', { hour12: false })}　共 ${scores.length} 个单位　规则：${ruleText}　${round.state === '已结束' ? '轮次已结束，按结束时的快照计分' : '轮次进行中，按目前情况计分'}`,
      columns: [
        col('名次', 6),
        col('单位', 24, 'left'),
        col('得分', 8),
        col('报送状态', 10),
        col('报送日期', 12),
        col('逾期天数', 9),
        col('催办次数', 9),
        col('加减分事项', 60, 'left'),
      ],
      rows: ranked.map((s, i) => {
        const d = byDept.get(s.deptId)!;
        return [i + 1, s.name, s.score, d.state, d.receivedAt ? d.receivedAt.slice(0, 10) : '', d.lateDays, d.reminders, s.items.map((x) => `${x.reason}（${x.points > 0 ? '+' : ''}${x.points}）`).join('；')];
      }),
      freezeCols: 2,
      protect: false,
      spareRows: 0,
    },
    {
      sheetName: '加减分明细',
      title: `${round.title}考核加减分明细`,
      note: `每个单位的每一项加减分及其理由；基础分 ${rules.base}`,
      columns: [col('单位', 24, 'left'), col('事项', 40, 'left'), col('分值', 8)],
      rows: scores.flatMap((s) => s.items.map((x) => [s.name, x.reason, x.points])),
      freezeCols: 1,
      protect: false,
      spareRows: 0,
    },
    {
      sheetName: '年度考核',
      title: `${year}年度考核得分表`,
      note: yearRanked.length
        ? `按${year}年已结束的调度轮次计：各单位年度得分为其各轮得分的平均值；规则：${ruleText}`
        : `${year}年尚无已结束的调度轮次，年度得分待轮次结束后计算`,
      columns: [col('名次', 6), col('单位', 24, 'left'), col('年度得分', 10), col('计分轮次', 9), col('各轮加减分事项', 70, 'left')],
      rows: yearRanked.map((s, i) => [i + 1, s.name, s.score, s.rounds, s.items.map((x) => `${x.reason}（${x.points > 0 ? '+' : ''}${x.points}）`).join('；')]),
      freezeCols: 2,
      protect: false,
      spareRows: 0,
    },
  ]);
  return { buffer, rows: scores.length, fileName: `${fileSafe(round.title)}-考核得分-${dateStamp(now)}.xlsx` };
}
