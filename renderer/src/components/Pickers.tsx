import { useEffect, useMemo, useRef, useState } from 'react';
import { CITIES, DEPT_LEVELS, STATUSES, type City, type Department, type Status } from '../../../shared/domain';

function matches(d: Department, q: string): boolean {
  if (!q) return true;
  const s = q.trim().toLowerCase();
  if (!s) return true;
  return d.name.toLowerCase().includes(s) || d.aliases.some((a) => a.toLowerCase().includes(s));
}

interface DeptPickerProps {
  departments: Department[];
  multi: boolean;
  value: number[];
  onOk: (ids: number[]) => void;
  onCancel: () => void;
  okLabel?: string;
  /** show a 清空 button (single mode: set to none) */
  allowClear?: boolean;
}

/** Searchable department list; single (radio-like) or multi (checkbox) selection. Active departments only. */
export function DeptPicker({ departments, multi, value, onOk, onCancel, okLabel = '确定', allowClear }: DeptPickerProps) {
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<number[]>(value);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const t = window.setTimeout(() => searchRef.current?.focus(), 0);
    return () => window.clearTimeout(t);
  }, []);
  const active = useMemo(() => departments.filter((d) => d.state === '在用'), [departments]);
  const shown = useMemo(() => active.filter((d) => matches(d, query)), [active, query]);
  const groups = useMemo(
    () => DEPT_LEVELS.map((level) => ({ level, items: shown.filter((d) => d.level === level) })).filter((g) => g.items.length),
    [shown],
  );
  const toggle = (id: number) => {
    if (multi) setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
    else setChosen([id]);
  };
  const names = chosen
    .map((id) => departments.find((d) => d.id === id)?.name)
    .filter((x): x is string => !!x);
  return (
    <div
      className="picker"
      data-testid="dept-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        } else if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
          e.preventDefault();
          e.stopPropagation();
          if (!multi && shown.length === 1 && query.trim()) onOk([shown[0].id]);
          else onOk(chosen);
        }
      }}
    >
      <input
        ref={searchRef}
        className="picker-search"
        data-testid="dept-picker-search"
        placeholder="搜索单位名称或简称"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="picker-list" role="listbox" aria-label="单位" tabIndex={0} aria-multiselectable={multi}>
        {groups.length === 0 && <div className="picker-empty">没有匹配的单位</div>}
        {groups.map((g) => (
          <div key={g.level} className="picker-group">
            <div className="picker-group-title">{g.level}</div>
            {g.items.map((d) => {
              const on = chosen.includes(d.id);
              return (
                <div
                  key={d.id}
                  className={`picker-option${on ? ' selected' : ''}`}
                  role="option"
                  aria-selected={on}
                  title={d.aliases.length ? `别名：${d.aliases.join('、')}` : d.name}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => toggle(d.id)}
                  onDoubleClick={() => !multi && onOk([d.id])}
                >
                  <span className={multi ? 'check' : 'radio'} aria-hidden="true">
                    {on ? (multi ? '☑' : '◉') : multi ? '☐' : '○'}
                  </span>
                  <span data-testid="dept-option">{d.name}</span>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <div className="picker-chosen">{names.length ? `已选：${names.join('、')}` : '未选择'}</div>
      <div className="picker-actions">
        {allowClear && (
          <button className="btn" onClick={() => onOk([])}>
            清空
          </button>
        )}
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="dept-picker-ok" onClick={() => onOk(chosen)}>
          {okLabel}
        </button>
      </div>
    </div>
  );
}

interface CityPickerProps {
  value: City[];
  onOk: (v: City[]) => void;
  onCancel: () => void;
}

export function CityPicker({ value, onOk, onCancel }: CityPickerProps) {
  const [chosen, setChosen] = useState<City[]>(value);
  const firstRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const t = window.setTimeout(() => firstRef.current?.focus(), 0);
    return () => window.clearTimeout(t);
  }, []);
  return (
    <div
      className="picker picker-small"
      data-testid="city-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        } else if (e.key === 'Enter') {
          e.preventDefault();
          e.stopPropagation();
          onOk(CITIES.filter((c) => chosen.includes(c)));
        }
      }}
    >
      <div className="picker-list short">
        {CITIES.map((c, i) => (
          <label key={c} className="picker-option">
            <input
              ref={i === 0 ? firstRef : undefined}
              type="checkbox"
              data-testid="city-option"
              checked={chosen.includes(c)}
              onChange={() => setChosen((xs) => (xs.includes(c) ? xs.filter((x) => x !== c) : [...xs, c]))}
            />
            <span>{c}</span>
          </label>
        ))}
      </div>
      <div className="picker-actions">
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="city-picker-ok" onClick={() => onOk(CITIES.filter((c) => chosen.includes(c)))}>
          确定
        </button>
      </div>
    </div>
  );
}

export function DatePicker({ value, onOk, onCancel }: { value: string | null; onOk: (v: string | null) => void; onCancel: () => void }) {
  const [v, setV] = useState(value ?? '');
  return (
    <div className="picker picker-small" data-testid="date-picker">
      <input type="date" className="input" aria-label="完成时限" data-testid="date-input" value={v} onChange={(e) => setV(e.target.value)} autoFocus />
      <div className="picker-actions">
        <button className="btn" onClick={() => onOk(null)}>
          清空
        </button>
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="date-picker-ok" disabled={!v} onClick={() => onOk(v || null)}>
          确定
        </button>
      </div>
    </div>
  );
}

export function StatusPicker({ value, onOk, onCancel }: { value: Status; onOk: (v: Status) => void; onCancel: () => void }) {
  const [v, setV] = useState<Status>(value);
  return (
    <div className="picker picker-small" data-testid="status-picker">
      <div className="picker-list short">
        {STATUSES.map((s) => (
          <label key={s} className="picker-option">
            <input type="radio" name="status-pick" data-testid="status-option" checked={v === s} onChange={() => setV(s)} />
            <span className={`status-pill st-${s}`}>{s}</span>
          </label>
        ))}
      </div>
      <div className="picker-actions">
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="status-picker-ok" onClick={() => onOk(v)}>
          确定
        </button>
      </div>
    </div>
  );
}
