// The outline of a draft: numbered headings, editable paragraphs, cited measures and live
// tables, reordered by dragging the handle or with Alt+↑/Alt+↓.
import { Fragment, useState, type DragEvent, type KeyboardEvent } from 'react';
import { TABLE_KIND_LABELS, type Draft, type DraftBlock, type DraftGaps, type HeadingLevel } from '../../../shared/drafts';
import { BlockText, type SaveState } from './BlockText';
import { LEVEL_LABELS } from './model';

export interface OutlineActions {
  saveText: (blockId: number, text: string) => Promise<void>;
  setLevel: (blockId: number, level: HeadingLevel) => void;
  setFrozen: (blockId: number, frozen: boolean) => void;
  setAttachment: (blockId: number, attachment: boolean) => void;
  move: (blockId: number, dir: -1 | 1) => void;
  drop: (dragId: number, afterId: number | null) => void;
  remove: (blockId: number, confirm: boolean) => void;
  openPlan: (measureId: string) => void;
  registerFlush: (id: number, flush: (() => Promise<void>) | null) => void;
  onSaveState: (id: number, state: SaveState) => void;
}

interface Props {
  draft: Draft;
  selectedId: number | null;
  onSelect: (id: number) => void;
  changed: DraftGaps['changed'];
  tableCount: (block: DraftBlock) => number | null;
  actions: OutlineActions;
  disabled: boolean;
}

export function focusBlock(id: number, target: 'block' | 'editor' = 'block') {
  const el = document.querySelector<HTMLElement>(`[data-testid=draft-block][data-block-id="${id}"]`);
  if (!el) return;
  const editor = target === 'editor' ? el.querySelector<HTMLElement>('[data-testid=block-text]') : null;
  (editor ?? el).focus({ preventScroll: true });
  el.scrollIntoView({ block: 'nearest' });
}

// a heading's level: Alt+Shift+→ lower, Alt+Shift+← higher (as in Word's outline). Not Tab: Tab
// must move on to the next control, or a keyboard user walking the page changes the headings
const levelKey = (e: KeyboardEvent) => e.altKey && e.shiftKey && !e.ctrlKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft');

/** The outline's keys: on a block (move, walk, edit, delete, heading level) and in its editor. */
function outlineKeys(blocks: DraftBlock[], actions: OutlineActions, disabled: boolean) {
  const neighbour = (i: number, d: -1 | 1) => blocks[i + d]?.id;

  const onBlockKey = (e: KeyboardEvent<HTMLDivElement>, b: DraftBlock, i: number) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      if (!disabled) actions.move(b.id, e.key === 'ArrowUp' ? -1 : 1);
      return;
    }
    if (e.target !== e.currentTarget) return;
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const id = neighbour(i, e.key === 'ArrowUp' ? -1 : 1);
      if (id !== undefined) {
        e.preventDefault();
        focusBlock(id);
      }
    } else if (e.key === 'Enter' || e.key === 'F2') {
      const ed = e.currentTarget.querySelector<HTMLElement>('[data-testid=block-text]');
      if (ed) {
        e.preventDefault();
        ed.focus();
      }
    } else if (e.key === 'Delete') {
      e.preventDefault();
      actions.remove(b.id, true);
    } else if (levelKey(e) && b.type === 'heading' && b.level) {
      const lvl = Math.min(4, Math.max(1, b.level + (e.key === 'ArrowLeft' ? -1 : 1))) as HeadingLevel;
      e.preventDefault();
      if (lvl !== b.level) actions.setLevel(b.id, lvl);
    }
  };

  const onEditorKey = (e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>, b: DraftBlock, value: string) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      focusBlock(b.id);
    } else if (levelKey(e) && b.type === 'heading' && b.level) {
      const lvl = Math.min(4, Math.max(1, b.level + (e.key === 'ArrowLeft' ? -1 : 1))) as HeadingLevel;
      e.preventDefault();
      if (lvl !== b.level) actions.setLevel(b.id, lvl);
    } else if (e.key === 'Delete' && !value && b.type === 'para') {
      e.preventDefault();
      actions.remove(b.id, false);
    } else if (e.key === 'Enter' && b.type === 'heading') {
      e.preventDefault();
      (e.target as HTMLElement).blur();
      focusBlock(b.id);
    }
  };
  return { onBlockKey, onEditorKey };
}

export function Outline({ draft, selectedId, onSelect, changed, tableCount, actions, disabled }: Props) {
  const [dragId, setDragId] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<{ id: number; pos: 'before' | 'after' } | null>(null);
  const blocks = draft.blocks;
  const firstAttachment = blocks.findIndex((b) => b.attachment);

  const { onBlockKey, onEditorKey } = outlineKeys(blocks, actions, disabled);

  const onDragOver = (e: DragEvent<HTMLDivElement>, b: DraftBlock) => {
    if (dragId === null) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const r = e.currentTarget.getBoundingClientRect();
    const pos = e.clientY < r.top + r.height / 2 ? 'before' : 'after';
    if (dropAt?.id !== b.id || dropAt.pos !== pos) setDropAt({ id: b.id, pos });
  };
  const onDrop = (e: DragEvent<HTMLDivElement>, i: number) => {
    e.preventDefault();
    const raw = e.dataTransfer.getData('text/x-draft-block') || String(dragId ?? '');
    const id = Number(raw);
    const at = dropAt;
    setDragId(null);
    setDropAt(null);
    if (!id || !at) return;
    const afterId = at.pos === 'after' ? blocks[i].id : i > 0 ? blocks[i - 1].id : null;
    actions.drop(id, afterId);
  };

  if (!blocks.length) return <div className="empty-state small">大纲是空的。用上方的“插入”按钮添加标题、段落、引用或表格。</div>;

  return (
    <div className="outline" data-testid="draft-outline" role="list" aria-label="方案大纲">
      {blocks.map((b, i) => {
        const number = draft.numbers[b.id] ?? '';
        const ch = changed.find((c) => c.blockId === b.id);
        const cls = [
          'blk',
          `blk-${b.type}`,
          b.type === 'heading' ? `lvl-${b.level ?? 1}` : '',
          b.attachment ? 'in-attachment' : '',
          selectedId === b.id ? 'selected' : '',
          dragId === b.id ? 'dragging' : '',
          dropAt?.id === b.id ? `drop-${dropAt.pos}` : '',
          ch ? 'has-change' : '',
        ]
          .filter(Boolean)
          .join(' ');
        const count = b.type === 'table' ? tableCount(b) : null;
        return (
          <Fragment key={b.id}>
            {i === firstAttachment && (
              <div className="attachment-divider" data-testid="attachment-part" role="listitem">
                <span>附件</span>
                <small>附件部分单独编号，导出时为横向页面</small>
              </div>
            )}
            <div
              className={cls}
              role="listitem"
              tabIndex={0}
              data-testid="draft-block"
              data-block-id={b.id}
              data-type={b.type}
              data-number={number}
              data-level={b.level ?? ''}
              data-measure-id={b.measureId ?? ''}
              aria-label={`${number}${b.type === 'heading' ? b.text : b.type === 'para' ? '段落' : b.type === 'citation' ? `引用措施 ${b.measureId}` : '表格'}`}
              onFocus={() => onSelect(b.id)}
              onKeyDown={(e) => onBlockKey(e, b, i)}
              onDragOver={(e) => onDragOver(e, b)}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node)) setDropAt((d) => (d?.id === b.id ? null : d));
              }}
              onDrop={(e) => onDrop(e, i)}
            >
              <span
                className="blk-handle"
                data-testid="block-drag-handle"
                draggable={!disabled}
                title="拖动以调整顺序（标题连同其下内容一起移动）；也可用 Alt+↑ / Alt+↓"
                aria-hidden="true"
                onDragStart={(e) => {
                  e.dataTransfer.setData('text/x-draft-block', String(b.id));
                  e.dataTransfer.setData('text/plain', String(b.id));
                  e.dataTransfer.effectAllowed = 'move';
                  const row = e.currentTarget.parentElement;
                  if (row) e.dataTransfer.setDragImage(row, 12, 12);
                  setDragId(b.id);
                }}
                onDragEnd={() => {
                  setDragId(null);
                  setDropAt(null);
                }}
              >
                ⋮⋮
              </span>
              {b.type === 'heading' && <span className="blk-number" data-testid="block-number">{number}</span>}
              <div className="blk-body">
                {(b.type === 'heading' || b.type === 'para') && (
                  <BlockText
                    block={b}
                    onSave={(t) => actions.saveText(b.id, t)}
                    registerFlush={actions.registerFlush}
                    onState={actions.onSaveState}
                    onKeyDown={(e, v) => onEditorKey(e, b, v)}
                  />
                )}
                {b.type === 'citation' && (
                  <div className="cite-box">
                    <p className="cite-text">{b.text}</p>
                    <div className="cite-meta">
                      <span className="measure-id">{b.measureId}</span>
                      <span className="cite-source" data-testid="block-citation">
                        {b.citation}
                      </span>
                      {b.measureId && (
                        <button type="button" className="link" data-testid="block-open-plan" onClick={() => actions.openPlan(b.measureId!)}>
                          在规划原文中查看
                        </button>
                      )}
                    </div>
                    {ch && (
                      <div className="cite-changed" data-testid="block-changed">
                        分工已变化：
                        {ch.fields.map((f) => (
                          <span key={f.field} className="chg">
                            {f.field} <s>{f.then || '（空）'}</s> → <b>{f.now || '（空）'}</b>
                          </span>
                        ))}
                      </div>
                    )}
                  </div>
                )}
                {b.type === 'table' && b.tableKind && (
                  <div className={`tbl-box${b.frozen ? ' frozen' : ''}`}>
                    <span className="tbl-icon" aria-hidden="true">
                      表
                    </span>
                    <span className="tbl-label" data-testid="block-table-label">
                      <b>{b.text || TABLE_KIND_LABELS[b.tableKind]}</b>
                      {b.frozen
                        ? ' · 已冻结：导出时保持冻结时的内容，不再按最新数据生成'
                        : ` · ${count === null ? '' : `当前 ${count} 行，`}导出时按最新数据生成`}
                    </span>
                    <button
                      type="button"
                      className={`btn small-btn${b.frozen ? ' accent' : ''}`}
                      data-testid="block-freeze"
                      aria-pressed={b.frozen}
                      disabled={disabled}
                      onClick={() => actions.setFrozen(b.id, !b.frozen)}
                      title={b.frozen ? '解冻后导出时按最新数据重新生成' : '冻结后导出时保持现在的内容'}
                    >
                      {b.frozen ? '解冻' : '冻结'}
                    </button>
                  </div>
                )}
              </div>
              <div className="blk-tools">
                {b.type === 'heading' && (
                  <select
                    className="input blk-level"
                    aria-label="标题级别（Alt+Shift+→ 降级，Alt+Shift+← 升级）"
                    data-testid="block-level"
                    value={b.level ?? 1}
                    disabled={disabled}
                    onChange={(e) => actions.setLevel(b.id, Number(e.target.value) as HeadingLevel)}
                  >
                    {([1, 2, 3, 4] as const).map((l) => (
                      <option key={l} value={l}>
                        {LEVEL_LABELS[l]}
                      </option>
                    ))}
                  </select>
                )}
                <button
                  type="button"
                  className="icon-btn"
                  title={b.attachment ? '移出附件（放回正文）' : '移入附件'}
                  aria-label={b.attachment ? '移出附件' : '移入附件'}
                  data-testid="block-attachment"
                  disabled={disabled}
                  onClick={() => actions.setAttachment(b.id, !b.attachment)}
                >
                  {b.attachment ? '正' : '附'}
                </button>
                <button type="button" className="icon-btn" title="上移（Alt+↑）" aria-label="上移" disabled={disabled} onClick={() => actions.move(b.id, -1)}>
                  ↑
                </button>
                <button type="button" className="icon-btn" title="下移（Alt+↓）" aria-label="下移" disabled={disabled} onClick={() => actions.move(b.id, 1)}>
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-btn danger"
                  title="删除（选中后按 Delete）"
                  aria-label="删除"
                  data-testid="block-delete"
                  disabled={disabled}
                  onClick={() => actions.remove(b.id, true)}
                >
                  ×
                </button>
              </div>
            </div>
          </Fragment>
        );
      })}
    </div>
  );
}
