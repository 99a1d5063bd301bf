// A due list of the dashboard (overdue and 滞后, or due within 30 days): the first 50 measures with
// their text, lead and days left; each opens the grid on that measure.
import { daysBetween, type DashMeasure } from './model';

export function DueList({
  title,
  light,
  rows,
  today,
  testId,
  deptName,
  texts,
  onOpen,
}: {
  title: string;
  light: 'red' | 'yellow';
  rows: DashMeasure[];
  today: string;
  testId: string;
  deptName: (id: number) => string;
  texts: Map<string, string>;
  onOpen: (m: DashMeasure) => void;
}) {
  return (
    <div className="due-list">
      <div className="due-head">
        <span className={`light-dot small dot-${light}`} aria-hidden="true" />
        {title} <b>{rows.length}</b> 条
      </div>
      {rows.length === 0 ? (
        <div className="muted small due-empty">无</div>
      ) : (
        <ul>
          {rows.slice(0, 50).map((m) => {
            const d = m.deadline ? daysBetween(today, m.deadline) : null;
            const when = m.deadline
              ? d! < 0
                ? `逾期 ${-d!} 天`
                : d === 0
                  ? '今天到期'
                  : `剩 ${d} 天`
              : '未定时限';
            return (
              <li key={m.id}>
                <button className="due-row" data-testid={testId} data-id={m.id} onClick={() => onOpen(m)} title={texts.get(m.id) ?? ''}>
                  <span className={`light-dot small dot-${light}`} aria-hidden="true" />
                  <span className="due-id">{m.id}</span>
                  <span className="due-text">{texts.get(m.id) ?? ''}</span>
                  <span className="due-lead">{m.leadIds.length ? `${m.leadIds.map(deptName).join('、')}${m.leadConfirmed ? '' : '（建议）'}` : '未指定'}</span>
                  <span className={`due-when${m.status === '滞后' ? ' lag' : ''}`}>
                    {m.status === '滞后' ? '滞后 · ' : ''}
                    {when}
                  </span>
                </button>
              </li>
            );
          })}
          {rows.length > 50 && <li className="muted small">另有 {rows.length - 50} 条，点击上方红灯/黄灯查看全部</li>}
        </ul>
      )}
    </div>
  );
}
