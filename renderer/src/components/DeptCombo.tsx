import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Department } from '../../../shared/domain';

interface Props {
  departments: Department[];
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  testId?: string;
  placeholder?: string;
  /** text shown for "no department" */
  emptyLabel?: string;
  ariaLabel?: string;
}

function matches(d: Department, q: string): boolean {
  const s = q.trim().toLowerCase();
  if (!s) return true;
  return d.name.toLowerCase().includes(s) || d.aliases.some((a) => a.toLowerCase().includes(s));
}

/**
 * A searchable single-department select: type to filter (names and aliases), ↑/↓ to move,
 * Enter to choose, Esc to close. Active departments only.
 */
export function DeptCombo({ departments, value, onChange, testId, placeholder = '输入单位名称或简称搜索', emptyLabel = '全部单位', ariaLabel = '部门' }: Props) {
  const listId = useId();
  const chosen = value === undefined ? undefined : departments.find((d) => d.id === value);
  const [query, setQuery] = useState(chosen?.name ?? '');
  const [open, setOpen] = useState(false);
  const [hi, setHi] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const active = useMemo(() => departments.filter((d) => d.state === '在用'), [departments]);
  const typed = open && query !== (chosen?.name ?? '');
  const shown = useMemo(() => {
    if (!typed) return active;
    const q = query.trim();
    // the exact name (or alias) first, then names that start with the text, then the rest
    const rank = (d: Department) => (d.name === q || d.aliases.includes(q) ? 0 : d.name.startsWith(q) ? 1 : 2);
    return active.filter((d) => matches(d, query)).sort((a, b) => rank(a) - rank(b));
  }, [active, query, typed]);

  useEffect(() => {
    if (!open) setQuery(chosen?.name ?? '');
  }, [chosen?.name, open]);
  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${hi}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [hi, open]);

  const pick = (d: Department | undefined) => {
    onChange(d?.id);
    setQuery(d?.name ?? '');
    setOpen(false);
  };

  return (
    <div className="combo">
      <input
        className="input combo-input"
        role="combobox"
        aria-label={ariaLabel}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && shown[hi] ? `${listId}-${shown[hi].id}` : undefined}
        data-testid={testId}
        data-value={value ?? ''}
        placeholder={chosen ? chosen.name : `${emptyLabel}（${placeholder}）`}
        value={query}
        onFocus={(e) => {
          e.currentTarget.select();
          setOpen(true);
          setHi(0);
        }}
        onBlur={() => {
          // leave the chosen value as it was when the text does not name one
          window.setTimeout(() => setOpen(false), 120);
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setHi(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setHi((h) => Math.min(h + 1, shown.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setHi((h) => Math.max(h - 1, 0));
          } else if (e.key === 'Enter') {
            if (!open) return;
            e.preventDefault();
            if (!query.trim()) pick(undefined);
            else if (shown[hi]) pick(shown[hi]);
          } else if (e.key === 'Escape') {
            if (open) {
              e.preventDefault();
              e.stopPropagation();
              setOpen(false);
              setQuery(chosen?.name ?? '');
            }
          }
        }}
      />
      {value !== undefined && (
        <button type="button" className="combo-clear" aria-label="清除所选单位" title="清除所选单位" onClick={() => pick(undefined)}>
          ×
        </button>
      )}
      {open && (
        <ul className="combo-list" role="listbox" id={listId} ref={listRef}>
          <li
            className={`combo-option muted${value === undefined ? ' selected' : ''}`}
            role="option"
            aria-selected={value === undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(undefined)}
          >
            {emptyLabel}
          </li>
          {shown.length === 0 && <li className="combo-empty">没有匹配的单位</li>}
          {shown.map((d, i) => (
            <li
              key={d.id}
              id={`${listId}-${d.id}`}
              data-index={i}
              className={`combo-option${i === hi ? ' hi' : ''}${d.id === value ? ' selected' : ''}`}
              role="option"
              aria-selected={d.id === value}
              data-testid="combo-option"
              title={d.aliases.length ? `别名：${d.aliases.join('、')}` : d.name}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setHi(i)}
              onClick={() => pick(d)}
            >
              <span>{d.name}</span>
              <span className="combo-level">{d.level}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
