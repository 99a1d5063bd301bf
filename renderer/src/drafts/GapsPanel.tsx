// 缺漏检查: the measures of the draft's scope it does not cover yet, and the cited measures
// whose allocation changed since they were inserted.
import type { DraftGaps } from '../../../shared/drafts';

interface Props {
  gaps: DraftGaps | null;
  loading: boolean;
  error: string;
  onRefresh: () => void;
  onInsert: (measureId: string) => void;
  onGoto: (blockId: number) => void;
  busy: boolean;
}

export function GapsPanel({ gaps, loading, error, onRefresh, onInsert, onGoto, busy }: Props) {
  return (
    <div className="side-panel" data-testid="gaps-panel">
      <div className="gaps-head">
        <span className="muted small">{loading ? '正在检查…' : '随方案修改自动更新'}</span>
        <button className="link" onClick={onRefresh} data-testid="gaps-refresh">
          重新检查
        </button>
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {gaps && (
        <>
          <h4 className="gaps-title">
            未覆盖的措施 <span className="count-chip k-removed">{gaps.uncovered.length}</span>
          </h4>
          <p className="muted small gaps-help">
            方案范围内正文尚未引用的措施（附件任务分工表虽列出全部措施，正文未必写到）。点击插入为引用：放在同一任务或同一节的引用旁，否则放在所选内容之后。
          </p>
          {gaps.uncovered.length === 0 ? (
            <p className="gaps-ok">✓ 范围内的措施都已覆盖</p>
          ) : (
            <ul className="gaps-list">
              {gaps.uncovered.map((u) => (
                <li key={u.id}>
                  <button className="gap-item" data-testid="gaps-uncovered-item" data-measure-id={u.id} disabled={busy} onClick={() => onInsert(u.id)} title="插入为引用">
                    <span className="measure-id">{u.id}</span>
                    <span className="gap-text">
                      {u.taskTitle && <span className="gap-task">{u.taskTitle}</span>}
                      {u.text}
                    </span>
                    <span className="gap-action" aria-hidden="true">
                      ＋
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <h4 className="gaps-title">
            分工已变化的引用 <span className="count-chip k-changed">{gaps.changed.length}</span>
          </h4>
          <p className="muted small gaps-help">引用插入后，台账中牵头单位、配合单位、城市、时限或状态又有变化的措施。点击定位到方案中的引用。</p>
          {gaps.changed.length === 0 ? (
            <p className="gaps-ok">✓ 引用的措施分工均未变化</p>
          ) : (
            <ul className="gaps-list">
              {gaps.changed.map((c) => (
                <li key={c.blockId}>
                  <button className="gap-item" data-testid="gaps-changed-item" data-block-id={c.blockId} data-measure-id={c.measureId} onClick={() => onGoto(c.blockId)}>
                    <span className="measure-id">{c.measureId}</span>
                    <span className="gap-text">
                      {c.fields.map((f) => (
                        <span key={f.field} className="chg-line">
                          <b>{f.field}</b>：<s>{f.then || '（空）'}</s> → <ins>{f.now || '（空）'}</ins>
                        </span>
                      ))}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
