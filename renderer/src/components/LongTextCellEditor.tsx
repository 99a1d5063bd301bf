// A grid cell editor for long text (进展情况, 备注, a project's 形象进度 …) that never cuts what was
// typed or pasted: it shows a counter against the limit, and text over the limit stays in the box
// with a message and is not saved (the grid's own large-text editor clipped it silently at its
// maxLength). Enter saves, Shift+Enter starts a new line, Esc cancels.
import { useLayoutEffect, useRef, useState } from 'react';
import type { CustomCellEditorProps } from 'ag-grid-react';
import { openingText } from './typeAhead';

/** n / max as a person reads it, red when over */
export function LimitCount({ n, max, testId }: { n: number; max: number; testId?: string }) {
  return (
    <span className={`limit-count${n > max ? ' over' : ''}`} data-testid={testId} aria-live="polite">
      {n.toLocaleString('zh-CN')} / {max.toLocaleString('zh-CN')} 字
    </span>
  );
}

/** the message for text over a limit (what, how long, by how much) */
export function overLimitMessage(label: string, n: number, max: number): string {
  return `${label}不能超过 ${max.toLocaleString('zh-CN')} 字，现有 ${n.toLocaleString('zh-CN')} 字（超出 ${(n - max).toLocaleString('zh-CN')} 字），未保存；请删减后再保存`;
}

type Props = CustomCellEditorProps<unknown, unknown> & { maxLength: number; label?: string };

export function LongTextCellEditor(p: Props) {
  const max = p.maxLength;
  const label = p.label ?? p.colDef.headerName ?? '内容';
  const [text, setText] = useState(() => openingText(p.eventKey) ?? (p.value == null ? '' : String(p.value)));
  const [refused, setRefused] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const over = text.length > max;
  return (
    <div className="longtext-editor" data-testid="longtext-editor">
      <textarea
        ref={area}
        className="longtext-area"
        aria-label={label}
        rows={10}
        cols={60}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setRefused(false);
          p.onValueChange(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            p.stopEditing(true);
          } else if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            e.stopPropagation();
            if (over) setRefused(true);
            else p.stopEditing();
          }
        }}
      />
      <div className="longtext-foot">
        {over ? (
          <span className={refused ? 'form-error small' : 'limit-warn'} role={refused ? 'alert' : undefined} data-testid="longtext-over">
            {overLimitMessage(label, text.length, max)}
          </span>
        ) : (
          <span className="muted">Enter 保存 · Shift+Enter 换行 · Esc 取消</span>
        )}
        <LimitCount n={text.length} max={max} testId="longtext-count" />
      </div>
    </div>
  );
}
