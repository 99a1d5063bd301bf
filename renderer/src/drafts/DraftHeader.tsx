// The open draft's header: title, 主送 and scope, each saved when the field is left (and before the
// window is hidden or reloaded); a title over the limit is kept as typed and said, not saved.
import { useState } from 'react';
import type { Department } from '../../../shared/domain';
import type { Draft } from '../../../shared/drafts';
import { DRAFT_TITLE_MAX } from '../../../shared/drafts';
import { call } from '../api';
import { formatTime } from '../components/Busy';
import { LimitCount } from '../components/LongTextCellEditor';
import { useToast } from '../components/Toast';
import { useFlushOnHide } from '../components/useFlushOnHide';
import { parseScope } from './Dialogs';
import { draftScopeLabel, scopeText } from './model';

/** Title, 主送 and scope of the open draft, each saved when the field is left. */
export function DraftHeader({
  draft,
  departments,
  apply,
  run,
}: {
  draft: Draft;
  departments: Department[];
  apply: (d: Draft) => void;
  run: <T>(fn: () => Promise<T>) => Promise<T>;
}) {
  const toast = useToast();
  const [title, setTitle] = useState(draft.title);
  const titleOver = title.trim().length > DRAFT_TITLE_MAX;
  const [mainTo, setMainTo] = useState(draft.mainTo);
  const [scope, setScope] = useState(draft.scope.join(', '));
  const [editScope, setEditScope] = useState(false);
  const [scopeError, setScopeError] = useState('');

  const save = async (patch: { title?: string; mainTo?: string; scope?: string[] }) => {
    try {
      apply(await run(() => call('drafts.update', { id: draft.id, ...patch })));
      return true;
    } catch (e) {
      toast.error(e);
      return false;
    }
  };

  // the title and 主送 are saved on leaving the field; a reload or closing the window leaves none
  useFlushOnHide(() => {
    const t = title.trim();
    if (t && t !== draft.title) void save({ title: t });
    if (mainTo !== draft.mainTo) void save({ mainTo });
  });

  const saveScope = async () => {
    const r = parseScope(scope);
    if (typeof r === 'string') {
      setScopeError(r);
      return;
    }
    setScopeError('');
    if (r.join(',') !== draft.scope.join(',') && !(await save({ scope: r }))) return;
    setEditScope(false);
  };

  return (
    <div className="draft-header">
      <input
        className="draft-title-input"
        data-testid="draft-title-input"
        aria-label="方案标题"
        value={title}
        aria-invalid={titleOver || undefined}
        aria-describedby={titleOver ? 'draft-title-over' : undefined}
        onChange={(e) => setTitle(e.target.value)}
        onBlur={() => {
          const t = title.trim();
          if (!t) {
            setTitle(draft.title);
            toast.show('标题不能为空，已恢复原标题', 'error');
          } else if (t.length > DRAFT_TITLE_MAX) {
            // kept in the box as typed (not cut), not saved: the line below says why
          } else if (t !== draft.title) void save({ title: t });
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
      {titleOver && (
        <div className="form-error small" role="alert" id="draft-title-over" data-testid="draft-title-over">
          标题不能超过 {DRAFT_TITLE_MAX} 字，现有 {title.trim().length} 字，未保存；请删减（<LimitCount n={title.trim().length} max={DRAFT_TITLE_MAX} />）
        </div>
      )}
      <div className="draft-meta">
        <span className="tag-kind">{draftScopeLabel(draft, departments)}</span>
        {draft.kind === 'field' || draft.scope.length ? (
          editScope ? (
            <span className="scope-edit">
              范围
              <input
                className="input"
                data-testid="draft-scope-input"
                autoFocus
                value={scope}
                aria-invalid={!!scopeError}
                onChange={(e) => setScope(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void saveScope();
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setScope(draft.scope.join(', '));
                    setEditScope(false);
                    setScopeError('');
                  }
                }}
              />
              <button className="btn small-btn" onClick={() => void saveScope()}>
                确定
              </button>
              {scopeError && <span className="form-error small">{scopeError}</span>}
            </span>
          ) : (
            <span>
              范围：{scopeText(draft.scope)}{' '}
              <button className="link" onClick={() => setEditScope(true)}>
                修改
              </button>
            </span>
          )
        ) : null}
        <span className="muted">
          {draft.blocks.length} 段 · 更新于 {formatTime(draft.updatedAt)}
        </span>
      </div>
      <label className="main-to">
        <span>主送</span>
        <input
          className="input"
          data-testid="draft-mainto"
          value={mainTo}
          maxLength={500}
          placeholder="如：各市人民政府，省直有关单位："
          onChange={(e) => setMainTo(e.target.value)}
          onBlur={() => {
            if (mainTo !== draft.mainTo) void save({ mainTo });
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
      </label>
    </div>
  );
}
