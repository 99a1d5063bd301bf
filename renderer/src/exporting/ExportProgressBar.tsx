// The export's progress bar with 取消 (rows written so far, or sliding while the count is unknown).
/** The export's progress: a bar that fills as rows are written (sliding while unknown) and 取消. */
export function ExportProgressBar({ text, fraction, onCancel, cancelling }: { text: string; fraction: number | null; onCancel: () => void; cancelling: boolean }) {
  return (
    <div className="busy" role="status" aria-live="polite" data-testid="export-progress">
      <div className="busy-label">
        <span className="spinner" aria-hidden="true" />
        <span data-testid="export-progress-text">{text}</span>
        <button className="btn small-btn" data-testid="export-cancel" disabled={cancelling} onClick={onCancel} style={{ marginLeft: 'auto' }}>
          取消
        </button>
      </div>
      <div
        className="busy-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
        data-testid="export-progress-bar"
      >
        {fraction === null ? (
          <div className="busy-bar" />
        ) : (
          <div style={{ position: 'absolute', top: 0, bottom: 0, left: 0, width: `${(fraction * 100).toFixed(1)}%`, background: 'var(--primary)', borderRadius: 2 }} />
        )}
      </div>
    </div>
  );
}
