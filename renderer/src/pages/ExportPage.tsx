// 导出中心: Word documents (分工方案, 进展情况报告, 部门任务清单) and the Excel 台账 (措施, 项目, 指标).
// The form's state is exporting/useExportForm, running and the list of files exporting/useExportRun.
import type { Department } from '../../../shared/domain';
import { ExportOptions } from '../exporting/ExportOptions';
import { ExportProgressBar } from '../exporting/ExportProgressBar';
import { ExportResults } from '../exporting/ExportResults';
import { KINDS, progressText } from '../exporting/kinds';
import { useExportForm } from '../exporting/useExportForm';
import { useExportRun } from '../exporting/useExportRun';

export function ExportPage({ active, departments }: { active: boolean; departments: Department[] }) {
  const f = useExportForm(active, departments);
  const x = useExportRun(active);
  const { kind, info, hasSuggestions, suggested, unconfirmed, problems } = f;
  const { busy, progress, cancelling, error, cancelled } = x;

  return (
    <div className="doc-page" data-testid="export-page">
      <div className="page-head">
        <h2>导出中心</h2>
        <span className="muted">生成公文（Word）和任务分工台账（Excel）</span>
      </div>
      <div className="doc-columns">
        <section className="card doc-card">
          <h3 id="export-kind-label">文档类型</h3>
          <div className="kind-grid" role="radiogroup" aria-labelledby="export-kind-label" data-testid="export-kind">
            {KINDS.map((k) => (
              <label key={k.kind} className={`kind-option${k.kind === kind ? ' selected' : ''}`}>
                <input type="radio" name="export-kind" value={k.kind} checked={k.kind === kind} onChange={() => f.setKind(k.kind)} />
                <span className="kind-body">
                  <span className="kind-title">
                    {k.label}
                    <span className={`kind-format fmt-${k.format}`}>{k.format}</span>
                  </span>
                  <span className="kind-desc">{k.desc}</span>
                </span>
              </label>
            ))}
          </div>

          <h3 className="doc-sub">范围与选项</h3>
          <ExportOptions f={f} departments={departments} />

          <div className="export-scope-line" data-testid="export-scope-line">
            将导出《{info.label}》：{f.scopeText()}
            {hasSuggestions &&
              `；其中 ${suggested} 项牵头单位为未确认的建议，${unconfirmed === 'mark' ? '将标注“建议”' : unconfirmed === 'omit' ? '不列出其牵头单位' : '将照原样输出'}`}
          </div>
          <div className="doc-actions">
            <button className="btn primary big" data-testid="export-run" disabled={!!busy || problems.length > 0} onClick={() => void x.run(f)}>
              {busy ? '正在导出…' : `导出${info.label}`}
            </button>
          </div>
          {problems.length > 0 && (
            <div className="form-error" role="alert">
              {problems.join('；')}
            </div>
          )}
          {busy && (
            <ExportProgressBar
              text={progressText(info.label, progress, cancelling)}
              fraction={progress?.phase === 'rows' && progress.total > 0 ? progress.done / progress.total : progress?.phase === 'pack' ? 1 : null}
              onCancel={() => void x.cancel()}
              cancelling={cancelling}
            />
          )}
          {error && (
            <div className="notice notice-error" role="alert" data-testid="export-error">
              导出失败：{error}
            </div>
          )}
          {cancelled && !busy && (
            <div className="notice" role="status" data-testid="export-cancelled">
              {cancelled === 'user' ? '已取消导出，没有生成文件。' : '已取消：没有保存文件。'}
            </div>
          )}
        </section>

        <ExportResults x={x} />
      </div>
    </div>
  );
}
