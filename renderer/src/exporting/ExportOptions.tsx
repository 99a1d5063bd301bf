// The export centre's scope and options for the chosen document type: department, role, city,
// chapter, dates, title, preamble; the earlier report a 进展情况报告 is compared with; and how the
// suggested (unconfirmed) leads in the scope are to be printed.
import { CITIES, type City, type Department } from '../../../shared/domain';
import { formatTime } from '../components/Busy';
import { DeptCombo } from '../components/DeptCombo';
import { ROLE_LABEL, UNCONFIRMED_LABEL } from './kinds';
import type { ExportForm } from './useExportForm';

export function ExportOptions({ f, departments }: { f: ExportForm; departments: Department[] }) {
  const { info, deptId, setDeptId, role, setRole, city, setCity, chapter, setChapter, chapters, date, setDate, dueDate, setDueDate, title, setTitle, preamble, setPreamble } = f;
  const { reports, base, hasSuggestions, suggested, unconfirmed, setUnconfirmed, plainConfirmed, setPlainConfirmed } = f;
  return (
    <>
      <div className="form doc-form">
        <div className="field wide">
          <span>部门{info.dept === 'required' ? <b className="req">*</b> : ''}</span>
          <DeptCombo
            departments={departments}
            value={deptId}
            onChange={setDeptId}
            testId="export-dept"
            emptyLabel={info.dept === 'required' ? '请选择部门' : '全部单位'}
          />
        </div>
        {info.role && (
          <label className="field wide">
            <span>角色</span>
            <select
              className="input"
              data-testid="export-role"
              value={role}
              disabled={deptId === undefined}
              title={deptId === undefined ? '先选择部门' : undefined}
              onChange={(e) => setRole(e.target.value as 'all' | 'lead' | 'co')}
            >
              {(['all', 'lead', 'co'] as const).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field wide">
          <span>城市</span>
          <select className="input" data-testid="export-city" value={city} onChange={(e) => setCity(e.target.value as City | '')}>
            <option value="">全部城市</option>
            {CITIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="field wide">
          <span>章</span>
          <select className="input" data-testid="export-chapter" value={chapter} onChange={(e) => setChapter(e.target.value)}>
            <option value="">全部章（第三章至第九章）</option>
            {chapters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {info.date && (
          <label className="field wide">
            <span>{info.date === 'report' ? '报告日期' : '落款日期'}</span>
            <input type="date" className="input date-input" data-testid="export-date" value={date} required onChange={(e) => setDate(e.target.value)} />
          </label>
        )}
        {info.due && (
          <label className="field wide">
            <span>回复期限</span>
            <span className="inline">
              <input type="date" className="input date-input" data-testid="export-due" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
              <span className="muted small">留空则为落款日期后 15 天</span>
            </span>
          </label>
        )}
        {info.title && (
          <label className="field wide">
            <span>标题</span>
            <input className="input" data-testid="export-title" maxLength={100} value={title} placeholder={`留空使用默认标题：${info.title}`} onChange={(e) => setTitle(e.target.value)} />
          </label>
        )}
        {info.preamble && (
          <label className="field wide top">
            <span>导语</span>
            <span className="stack">
              <textarea
                className="input textarea"
                data-testid="export-preamble"
                rows={5}
                maxLength={5000}
                value={preamble}
                placeholder="留空使用默认导语（“为深入贯彻落实……现将《规划》明确的重点任务分工如下。各牵头单位要切实履行牵头职责……”）。每行一段。"
                onChange={(e) => setPreamble(e.target.value)}
              />
              <span className="muted small">{preamble.length}/5000 字 · 每行成为一段</span>
            </span>
          </label>
        )}
      </div>

      {info.date === 'report' && (
        <div className="report-base" data-testid="export-report-base">
          <div className="report-base-head">
            {reports === null
              ? '正在读取以往报告…'
              : base
                ? `比较基准：截至 ${base.asOf} 的报告（${formatTime(base.createdAt)} 由 ${base.actor} 生成）。本次报告将写明此后的变化。`
                : `此前没有截至 ${date} 之前的报告，本次报告将作为首次报告，不作比较。`}
          </div>
          {reports && reports.length > 0 && (
            <table className="mini-table">
              <thead>
                <tr>
                  <th>截至日期</th>
                  <th>生成时间</th>
                  <th>生成人</th>
                </tr>
              </thead>
              <tbody>
                {reports.slice(0, 8).map((r) => (
                  <tr key={r.id} className={base?.id === r.id ? 'is-base' : undefined}>
                    <td>
                      {r.asOf}
                      {base?.id === r.id && <span className="tag">比较基准</span>}
                    </td>
                    <td>{formatTime(r.createdAt)}</td>
                    <td>
                      {r.actor}（{r.unit}）
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}

      {hasSuggestions && (
        <fieldset className="notice notice-warn unconfirmed-box" data-testid="export-unconfirmed">
          <legend>
            此范围内有 <b data-testid="export-unconfirmed-count">{suggested}</b> 项措施的牵头单位是系统按职责提出的建议，尚未确认
          </legend>
          {(['mark', 'omit', 'plain'] as const).map((m) => (
            <label key={m} className="inline">
              <input type="radio" name="export-unconfirmed" value={m} checked={unconfirmed === m} onChange={() => setUnconfirmed(m)} />
              {UNCONFIRMED_LABEL[m]}
              {m === 'mark' && <span className="muted small">（文中写作“省教育厅（建议）”，台账“牵头确认”列注明）</span>}
              {m === 'omit' && <span className="muted small">（这些措施照列，牵头单位空出）</span>}
            </label>
          ))}
          {unconfirmed === 'plain' && (
            <label className="inline confirm-plain">
              <input type="checkbox" data-testid="export-plain-confirm" checked={plainConfirmed} onChange={(e) => setPlainConfirmed(e.target.checked)} />
              我已核实，这 {suggested} 项建议可以作为正式分工印发
            </label>
          )}
        </fieldset>
      )}
    </>
  );
}
