// The preview's last line: what 确认导入 will write (or why it cannot), 重新选择 and 确认导入.
import type { ImportFlow, Preview } from './useImportFlow';

export function ApplyBar({ preview, fl }: { preview: Preview; fl: ImportFlow }) {
  const { hasErrors, nothing, choiceOf, reset, busy, apply } = fl;
  return (
        <div className="apply-bar">
          {hasErrors ? (
            <span className="form-error" data-testid="import-blocked">
              台账有 {preview.errors.length} 处错误，改正（或为未识别的单位选择所指单位）之前不会写入任何内容。
            </span>
          ) : nothing ? (
            <span className="muted">没有需要写入的内容。</span>
          ) : (
            <span className="muted">
              将更新 {preview.changes.length + preview.conflicts.filter((c) => c.fields.some((f) => choiceOf(c.rowId, f.field) === 'take')).length} 条措施，全部写入或全部不写，每项修改记入操作记录。
            </span>
          )}
          <span className="spacer" />
          <button className="btn" onClick={reset} disabled={!!busy}>
            重新选择
          </button>
          <button className="btn primary big" data-testid="import-apply" disabled={hasErrors || nothing || !!busy} onClick={() => void apply()}>
            确认导入
          </button>
        </div>
  );
}
