// The 调度轮次 commands' names and usage, apart from their code (electron/cli-rounds.ts): the CLI
// checks a command against these at start and loads the rounds' commands (and the documents they
// write) only when one is run, as electron/sync/commands.ts does for the server commands.
export const ROUND_COMMANDS = ['round-new', 'round-distribute', 'round-collect', 'round-review', 'round-status', 'round-close', 'round-compare', 'round-evidence', 'round-rules'] as const;

export const ROUND_EXPORT_KINDS = ['round-briefing.docx', 'round-scores.xlsx', 'reminder.docx'] as const;

export const ROUND_USAGE = `  round-new --db 文件 --title 名称 --period YYYY-MM-DD --due YYYY-MM-DD [--chapters 3,4 | --fields 生态环境,基础设施 | --measures 编号,编号]
        [--with-co] [--note 文本] [--user 姓名] [--unit 单位]
                                   新建调度轮次（默认第三至九章，报送单位为各措施的牵头单位；--with-co 配合单位也报送），输出 {id}
  round-distribute --db 文件 --round 编号 --out 文件夹 [--dept 部门]
                                   下发：为每个单位写出报送台账和通知（--dept 只重新下发一个单位，替换其文件）
  round-collect --db 文件 --round 编号 --in 文件夹|文件... [--dry-run] [--on-conflict keep|take]
        [--dept 部门] [--received YYYY-MM-DD] [--user 姓名] [--unit 单位]
                                   收取报送台账：按隐藏工作表识别轮次和单位；缺少记录的文件须用 --dept 确认单位；
                                   同一文件夹（或各单位子文件夹）中以措施编号开头的其他文件作为佐证材料添加；
                                   有文件被拒收时退出码为 1（其他文件照常收取）
  round-review --db 文件 --round 编号 --dept 部门 (--accept | --return 理由) [--measures 编号,编号] [--out 退回通知.docx]
                                   审核：采纳（写入措施的状态和进展）或退回（须说明理由）
  round-status --db 文件 --round 编号  报送情况（各单位状态、报送率、按时率、采纳率）
  round-close --db 文件 --round 编号   结束轮次，冻结快照
  round-compare --db 文件 --from 编号 --to 编号   对比两轮（按措施、章、单位）
  round-evidence --db 文件 --round 编号 --dept 部门 [--file 文件 [--measure 编号]]
                                   添加佐证材料（PDF、Word、Excel、图片，不超过 20 MB）；不加 --file 时列出本轮的佐证材料
  round-rules --db 文件 [--base N] [--not-reported N] [--late N] [--lagging N] [--completed N]
                                   查看或修改考核规则
  export --db 文件 --kind round-briefing.docx|round-scores.xlsx|reminder.docx --round 编号 --out 文件 [--dept 部门]
                                   调度情况通报、考核得分表、催办通知（不加 --dept：合并催办所有未报送单位；催办会记录在案）`;

/** Whether the CLI's command is one of the rounds' (an export of a round document counts). */
export function isRoundCommand(cmd: string, kind: string | true | undefined): boolean {
  return (ROUND_COMMANDS as readonly string[]).includes(cmd) || (cmd === 'export' && (ROUND_EXPORT_KINDS as readonly unknown[]).includes(kind));
}
