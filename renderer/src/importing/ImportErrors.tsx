// The cells the import could not read: where, which column, what is wrong, what it may have meant;
// 200 at a time. Nothing is written until they are corrected.
import type { ImportFlow, Preview } from './useImportFlow';

export function ImportErrors({ preview, fl }: { preview: Preview; fl: ImportFlow }) {
  const { errorsShown, setErrorsShown } = fl;
  return (
    <section className="card wide-card section-bad">
      <h3>错误（{preview.errors.length}）</h3>
      <p className="hint">
        以下单元格无法识别。请在台账中改正后重新选择文件{preview.errors.some((e) => e.deptName) ? '，未识别的单位也可在上方为本文件选择' : ''}；改正之前不会写入任何内容。
      </p>
      <table className="diff-table">
        <thead>
          <tr>
            <th style={{ width: 90 }}>位置</th>
            <th style={{ width: 110 }}>列</th>
            <th>问题</th>
            <th style={{ width: 280 }}>可能是</th>
          </tr>
        </thead>
        <tbody>
          {preview.errors.slice(0, errorsShown).map((e, i) => (
            <tr key={i} data-testid="import-error">
              <td>
                第 {e.row} 行{e.cell ? <span className="muted small">（{e.cell}）</span> : null}
              </td>
              <td>{e.column}</td>
              <td>{e.message}</td>
              <td>{e.suggestions?.length ? e.suggestions.join('、') : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.errors.length > errorsShown && (
        <div className="paged-foot" role="status">
          <span className="muted small">
            已显示 {errorsShown} / {preview.errors.length} 处
          </span>
          <button className="btn small-btn" onClick={() => setErrorsShown((n) => n + 200)}>
            再显示 {Math.min(200, preview.errors.length - errorsShown)} 处
          </button>
        </div>
      )}
    </section>
  );
}
