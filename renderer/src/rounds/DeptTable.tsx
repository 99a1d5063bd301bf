// 报送情况's table: every department of the round with its measures, what it reported, its state,
// when received, on time or late, reminders; a light by days to the due date; per row 明细 (its
// reports), 采纳, 退回 (the reason asked in a dialog), 催办.
import type { RoundDeptStatus } from '../../../shared/rounds';
import { formatTime } from '../components/Busy';

const LIGHT_LABEL = { red: '已逾期', yellow: '临近期限', green: '正常' } as const;

function timing(d: RoundDeptStatus): string {
  if (d.receivedAt) return d.lateDays > 0 ? `逾期 ${d.lateDays} 天` : '按时';
  return d.daysToDue >= 0 ? `剩 ${d.daysToDue} 天` : `已逾期 ${-d.daysToDue} 天`;
}

export interface DeptActions {
  open: (d: RoundDeptStatus) => void;
  accept: (d: RoundDeptStatus) => void;
  ret: (d: RoundDeptStatus) => void;
  remind: (d: RoundDeptStatus) => void;
}

export function DeptTable({ departments, closed, disabled, actions }: { departments: RoundDeptStatus[]; closed: boolean; disabled: boolean; actions: DeptActions }) {
  return (
    <table className="data-table round-table" data-testid="round-depts">
      <thead>
        <tr>
          <th scope="col">提示</th>
          <th scope="col">单位</th>
          <th scope="col">措施</th>
          <th scope="col">已报</th>
          <th scope="col">状态</th>
          <th scope="col">收到时间</th>
          <th scope="col">按时</th>
          <th scope="col">催办</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {departments.map((d) => (
          <tr key={d.deptId} data-testid="round-dept" data-dept={d.name} data-state={d.state}>
            <td>
              <span className={`round-light round-light-${d.light}`} role="img" aria-label={LIGHT_LABEL[d.light]} title={LIGHT_LABEL[d.light]} />
            </td>
            <th scope="row">{d.name}</th>
            <td>{d.measures}</td>
            <td>{d.reported}</td>
            <td className={`round-state state-${d.state}`}>
              {d.state}
              {d.returnReason ? `（${d.returnReason}）` : ''}
            </td>
            <td>{d.receivedAt ? formatTime(d.receivedAt) : '—'}</td>
            <td className={d.lateDays > 0 ? 'bad' : ''}>{timing(d)}</td>
            <td>{d.reminders || '—'}</td>
            <td className="row-actions">
              <button type="button" className="btn small-btn" onClick={() => actions.open(d)} aria-label={`${d.name} 报送明细`}>
                明细
              </button>
              {!closed && d.state === '已报送' && (
                <>
                  <button type="button" className="btn small-btn" disabled={disabled} onClick={() => actions.accept(d)} aria-label={`采纳 ${d.name}`} data-testid="dept-accept">
                    采纳
                  </button>
                  <button type="button" className="btn small-btn" disabled={disabled} onClick={() => actions.ret(d)} aria-label={`退回 ${d.name}`} data-testid="dept-return">
                    退回
                  </button>
                </>
              )}
              {!closed && (d.state === '未报送' || d.state === '已退回') && (
                <button type="button" className="btn small-btn" disabled={disabled} onClick={() => actions.remind(d)} aria-label={`催办 ${d.name}`} data-testid="dept-remind">
                  催办
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
