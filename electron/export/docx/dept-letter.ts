// 部门任务清单: a notice to one department enclosing the measures it leads and co-operates on,
// asking for the ledger back by a date.
import { correctedWithNote } from '../../../shared/corrections';
import { ServiceError, getIdentity, type ServiceContext } from '../../core/context';
import { listMeasures } from '../../services/measures';
import { GbDocument, chineseDate, deadlineText, type GbColumn } from './gbt9704';
import { addDays, deptName, deptNames, planTitle, resolveDate, safeFileName, unconfirmedMode, type DocxOptions, type DocxResult } from './common';
import { SUGGESTION_MARK, isSuggested, withUnconfirmed } from '../../../shared/ledger';
import { getTemplate } from '../../services/templates';
import { isIsoDate } from '../../../shared/domain';

const LED_COLUMNS: GbColumn[] = [
  { header: '序号', weight: 6, align: 'center' },
  { header: '编号', weight: 10, align: 'center' },
  { header: '具体措施', weight: 50 },
  { header: '配合单位', weight: 22 },
  { header: '完成时限', weight: 12, align: 'center' },
];
const CO_COLUMNS: GbColumn[] = [
  { header: '序号', weight: 6, align: 'center' },
  { header: '编号', weight: 10, align: 'center' },
  { header: '具体措施', weight: 50 },
  { header: '牵头单位', weight: 22, align: 'center' },
  { header: '完成时限', weight: 12, align: 'center' },
];

export async function buildDeptLetter(ctx: ServiceContext, opts: DocxOptions): Promise<DocxResult> {
  if (opts.deptId === undefined) throw new ServiceError('VALIDATION', '请选择要发送任务清单的部门');
  const dept = deptName(ctx, opts.deptId);
  const date = resolveDate(opts);
  const due = opts.dueDate ?? addDays(date, 15);
  if (!isIsoDate(due)) throw new ServiceError('VALIDATION', `报送日期“${due}”无效，应为 YYYY-MM-DD`);
  const t = getTemplate(ctx);
  const mode = unconfirmedMode(opts);
  const names = deptNames(ctx, mode);
  const plan = planTitle(ctx);
  const all = listMeasures(ctx).filter((m) => m.actionable && (opts.chapter === undefined || m.chapterNo === opts.chapter) && (!opts.city || m.cities.includes(opts.city)));
  // omit: a suggestion is not yet this department's task
  // any of its leads: 主责 (first) or 共同牵头
  const led = all.filter((m) => withUnconfirmed(m, mode).leadIds.includes(opts.deptId!));
  const jointly = led.filter((m) => m.leadIds.length > 1);
  const suggested = led.filter(isSuggested).length;
  const co = all.filter((m) => m.coIds.includes(opts.deptId!));
  const title = opts.title?.trim() || `关于报送${plan}重点任务落实情况的通知`;
  const doc = new GbDocument(t, { title, description: `${dept}：牵头${led.length}项，配合${co.length}项` });
  const ledColumns = jointly.length ? LED_COLUMNS.map((c) => (c.header === '配合单位' ? { ...c, header: '共同牵头及配合单位' } : c)) : LED_COLUMNS;
  /** the 配合单位 cell of a measure it leads; for joint leads who leads with it and who is 主责 */
  const ledOther = (m: (typeof led)[number]): string => {
    const parts: string[] = [];
    if (m.leadIds.length > 1) {
      const others = names.names(m.leadIds.filter((d) => d !== opts.deptId));
      const first = names.name(m.leadIds[0]);
      if (m.leadIds[0] === opts.deptId) parts.push(`主责，与${others}共同牵头`);
      // with one other lead it is the 主责; with more, they are named and the 主责 said
      else parts.push(m.leadIds.length === 2 ? `共同牵头（${first}主责）` : `与${others}共同牵头（${first}主责）`);
    }
    if (m.coIds.length) parts.push(m.leadIds.length > 1 ? `配合：${names.names(m.coIds)}` : names.names(m.coIds));
    return parts.join('；');
  };

  doc.title(title);
  doc.recipient(dept);
  doc.para(
    `为及时掌握《${plan}》（湘政发〔2022〕6号）重点任务推进情况，按照任务分工安排，现将你单位牵头和配合的重点任务清单印发给你们，请抓好落实并报送进展情况。有关事项通知如下：`,
  );
  doc.heading(1, '任务范围');
  doc.para(
    led.length + co.length === 0
      ? '经梳理，目前暂无明确由你单位牵头或配合的重点任务。如对分工有意见，请一并反馈。'
      : `经梳理，你单位牵头重点任务${led.length}项${jointly.length ? `（其中与其他单位共同牵头${jointly.length}项，清单中注明主责单位）` : ''}、配合重点任务${co.length}项，具体见附件。` +
          (suggested && mode === 'mark'
            ? `牵头任务中有${suggested}项系根据职责提出的建议分工、尚未确认（清单中标注“${SUGGESTION_MARK}”），请予核实，有不同意见的请在台账“备注”栏说明。`
            : '') +
          '牵头任务请会同配合单位制定具体推进措施，明确时间表和路线图；配合任务请按照职责分工积极支持牵头单位开展工作。',
  );
  doc.heading(1, '报送要求');
  doc.para(
    `请对照任务清单，在随文发送的任务分工台账中逐项填写“状态”“进展情况”栏目（状态填写未启动、推进中、已完成或滞后），` +
      `“完成时限”尚未明确的请提出建议时限，于${chineseDate(due)}前将台账电子版报送我办。` +
      '请勿改动台账中的“编号”栏，以便汇总；对任务分工有不同意见的，请在“备注”栏说明理由。',
  );
  // the person using this PC (设置) is who the department will ring back; the telephone is not known
  const who = getIdentity(ctx);
  doc.para([doc.run('联系人：'), who?.name ? doc.run(who.name) : doc.placeholder('请填写姓名'), doc.run('，联系电话：'), doc.placeholder('请填写电话')]);
  const attachments: string[] = [];
  if (led.length) attachments.push(`${dept}牵头的重点任务清单`);
  if (co.length) attachments.push(`${dept}配合的重点任务清单`);
  doc.attachmentNote(attachments);
  doc.signature(t.organ, date);

  let n = 0;
  const section = (label: string, heading: string, rows: typeof led, columns: GbColumn[], other: (m: (typeof led)[number]) => string) => {
    doc.pageBreak();
    doc.attachmentLabel(label);
    doc.title(heading);
    doc.table(
      columns,
      // in the list of measures it leads, a suggested lead is marked beside the measure's number
      rows.map((m, i) => [String(i + 1), columns === ledColumns && mode === 'mark' && isSuggested(m) ? `${m.id}${SUGGESTION_MARK}` : m.id, correctedWithNote(m.text), other(m), deadlineText(m.deadline)]),
    );
    n += rows.length;
  };
  let k = 0;
  if (led.length) section(`附件${attachments.length > 1 ? ++k : ''}`, attachments[0], led, ledColumns, ledOther);
  if (co.length) section(`附件${attachments.length > 1 ? ++k : ''}`, attachments[attachments.length - 1], co, CO_COLUMNS, (m) => names.lead(m));

  const buffer = await doc.toBuffer();
  return { buffer, rows: n, fileName: safeFileName(['任务清单', dept], date), suggested: [...all.filter((m) => m.leadIds.includes(opts.deptId!)), ...co].filter(isSuggested).length };
}
