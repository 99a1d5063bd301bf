// The left pane of 方案起草: every draft (open one, delete one), 新建方案 and the field mapping link.
import type { Department } from '../../../shared/domain';
import type { DraftSummary } from '../../../shared/drafts';
import { formatTime } from '../components/Busy';
import { draftScopeLabel } from './model';

export function DraftList(p: {
  list: DraftSummary[] | null;
  openId: number | null;
  departments: Department[];
  onNew: () => void;
  onOpen: (id: number) => void;
  onDelete: (s: DraftSummary) => void;
  onMapping: () => void;
}) {
  const { list, openId, departments } = p;
  return (
    <aside className="drafts-list-pane" aria-label="方案列表">
      <div className="drafts-list-head">
        <h2>方案起草</h2>
        <button className="btn primary" data-testid="draft-new" onClick={p.onNew}>
          ＋ 新建方案
        </button>
      </div>
      <ul className="drafts-list" data-testid="draft-list">
        {list === null && <li className="muted small pad">正在读取…</li>}
        {list?.length === 0 && <li className="muted small pad">还没有方案。点击“新建方案”，按领域、城市或部门生成预填好的方案草稿。</li>}
        {list?.map((s) => (
          <li key={s.id} className={`draft-item${openId === s.id ? ' active' : ''}`}>
            <button className="draft-item-main" data-testid="draft-list-item" data-draft-id={s.id} aria-current={openId === s.id} onClick={() => p.onOpen(s.id)}>
              <span className="draft-item-title">{s.title}</span>
              <span className="draft-item-meta">
                <span className="tag-kind">{draftScopeLabel(s, departments)}</span>
              </span>
              <span className="muted small">
                {formatTime(s.updatedAt)} · {s.versionCount} 个版本
              </span>
            </button>
            <button className="icon-btn danger" title="删除方案" aria-label={`删除方案 ${s.title}`} data-testid="draft-delete" onClick={() => p.onDelete(s)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="drafts-list-foot">
        <button className="link" data-testid="draft-mapping" onClick={p.onMapping}>
          领域范围设置…
        </button>
      </div>
    </aside>
  );
}
