// Step 3 of 导入台账: what the import wrote, and the ways on (the allocation grid, another ledger).
import type { ImportSummary } from '../../../shared/import';

export function ImportDone({ summary, fileName, onOpenAlloc, onAgain }: { summary: ImportSummary; fileName: string | null; onOpenAlloc: () => void; onAgain: () => void }) {
  return (
    <section className="card wide-card" data-testid="import-summary">
      <div className="result-title">
        <span className="ok-mark" aria-hidden="true">
          ✓
        </span>
        导入完成{fileName !== null ? `：${fileName}` : ''}
      </div>
      <div className="counts">
        <div className="count">
          <b>{summary.changed}</b>
          <span>条措施已更新</span>
        </div>
        <div className="count">
          <b>{summary.unchanged}</b>
          <span>条无变化</span>
        </div>
        <div className="count">
          <b>{summary.conflicts}</b>
          <span>条有冲突（已按所选处理）</span>
        </div>
        {summary.unknownIds.length > 0 && (
          <div className="count warn">
            <b>{summary.unknownIds.length}</b>
            <span>个未知编号（已忽略）</span>
          </div>
        )}
      </div>
      <p className="hint">每项修改都已记入操作记录（操作：导入台账）。任务分工表已刷新，显示导入后的值。</p>
      <div className="form-actions left">
        <button className="btn primary" data-testid="import-open-alloc" onClick={onOpenAlloc}>
          前往任务分工查看
        </button>
        <button className="btn" data-testid="import-again" onClick={onAgain}>
          导入另一个台账
        </button>
      </div>
    </section>
  );
}
