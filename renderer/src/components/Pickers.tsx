import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { CITIES, DEPT_LEVELS, STATUSES, type City, type Department, type Status } from '../../../shared/domain';
import { parseDeadline } from '../../../shared/parse';

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
  /** text already typed (the key that opened a grid cell's editor) */
  initialQuery?: string;
  /** multi: the order chosen matters (牵头单位: the first is 主责); each ticked one shows its place */
  ordered?: boolean;
  /** 清空 (allowClear) does this instead of onOk([]) */
  onClear?: () => void;
  /** a line above the list, e.g. the system's suggestion that is not ticked */
  hint?: string;
}

/**
 * A picker's own keys, kept from the grid behind it: Escape cancels, Enter in its text box confirms.
 * True when the key was one of them (or belongs to an input method still composing).
 */
function popupKey(e: KeyboardEvent, onCancel: () => void, onEnter: () => void): boolean {
  if (e.nativeEvent.isComposing) return true;
  const inBox = (e.target as HTMLElement).tagName === 'INPUT';
  if (e.key !== 'Escape' && !(e.key === 'Enter' && inBox)) return false;
  e.preventDefault();
  e.stopPropagation();
  if (e.key === 'Escape') onCancel();
  else onEnter();
  return true;
}

/**
 * Searchable department list; single (radio-like) or multi (checkbox) selection. Active departments
 * only. Keyboard: typing highlights the first match, ↑/↓ move the highlight, Enter takes the
 * highlighted department (in a multi list: ticks it and clears the search; Enter with nothing
 * highlighted confirms), Esc cancels. Text that matches no department is never dropped silently:
 * the picker stays open and says so.
 */
export function DeptPicker({ departments, multi, value, onOk, onCancel, okLabel = '确定', allowClear, initialQuery = '', ordered, onClear, hint }: DeptPickerProps) {
  const [query, setQuery] = useState(initialQuery);
  const [chosen, setChosen] = useState<number[]>(value);
  /** the highlighted department's place in `flat`; -1: none */
  const [hi, setHi] = useState(initialQuery.trim() ? 0 : -1);
  const [note, setNote] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  // focused as soon as it is in the page, so keys typed right after the one that opened a grid
  // cell's editor land in the search box
  useLayoutEffect(() => {
    const el = searchRef.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const active = useMemo(() => departments.filter((d) => d.state === '在用'), [departments]);
  const shown = useMemo(() => active.filter((d) => matches(d, query)), [active, query]);
  const groups = useMemo(
    () => DEPT_LEVELS.map((level) => ({ level, items: shown.filter((d) => d.level === level) })).filter((g) => g.items.length),
    [shown],
  );
  // the order the list shows (by level), which the arrows follow
  const flat = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  const hiDept = hi >= 0 ? flat[hi] : undefined;
  useEffect(() => {
    if (hiDept) listRef.current?.querySelector<HTMLElement>(`[data-dept-id="${hiDept.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [hiDept]);
  const toggle = (id: number) => {
    if (multi) setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
    else setChosen([id]);
  };
  /** typed text that names no department: say so instead of closing with the old value */
  const unmatched = (): boolean => {
    const q = query.trim();
    if (!q || flat.length) return false;
    setNote(`没有与“${q}”匹配的在用单位，未作修改。请改写名称或从列表中选择，Esc 取消。`);
    return true;
  };
  const confirm = () => {
    if (!unmatched()) onOk(chosen);
  };
  const enter = () => {
    if (unmatched()) return;
    if (hiDept) {
      if (!multi) return onOk([hiDept.id]);
      toggle(hiDept.id);
      setQuery('');
      setHi(-1);
      return;
    }
    onOk(chosen);
  };
  const names = chosen
    .map((id) => departments.find((d) => d.id === id)?.name)
    .filter((x): x is string => !!x);
  return (
    <div
      className="picker"
      data-testid="dept-picker"
      onKeyDown={(e) => {
        if (popupKey(e, onCancel, enter)) return;
        if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && (e.target as HTMLElement).tagName === 'INPUT') {
          e.preventDefault();
          e.stopPropagation();
          if (!flat.length) return;
          setHi((h) => (e.key === 'ArrowDown' ? Math.min(h + 1, flat.length - 1) : Math.max(h - 1, 0)));
        }
      }}
    >
      <input
        ref={searchRef}
        className="picker-search"
        data-testid="dept-picker-search"
        placeholder="搜索单位名称或简称；↑↓ 选择，Enter 确定"
        role="combobox"
        aria-label="搜索单位"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={hiDept ? `${listId}-${hiDept.id}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setNote('');
          setHi(e.target.value.trim() ? 0 : -1);
        }}
      />
      {hint && (
        <div className="picker-hint muted small" data-testid="dept-picker-hint">
          {hint}
        </div>
      )}
      <div className="picker-list" role="listbox" aria-label="单位" tabIndex={0} id={listId} ref={listRef} aria-multiselectable={multi}>
        {groups.length === 0 && <div className="picker-empty">没有匹配的单位</div>}
        {groups.map((g) => (
          <div key={g.level} className="picker-group">
            <div className="picker-group-title">{g.level}</div>
            {g.items.map((d) => {
              const on = chosen.includes(d.id);
              return (
                <div
                  key={d.id}
                  id={`${listId}-${d.id}`}
                  data-dept-id={d.id}
                  className={`picker-option${on ? ' selected' : ''}${d === hiDept ? ' hi' : ''}`}
                  role="option"
                  aria-selected={on}
                  title={d.aliases.length ? `别名：${d.aliases.join('、')}` : d.name}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    toggle(d.id);
                    setHi(flat.indexOf(d));
                  }}
                  onDoubleClick={() => !multi && onOk([d.id])}
                >
                  <span className={multi ? 'check' : 'radio'} aria-hidden="true">
                    {on ? (multi ? '☑' : '◉') : multi ? '☐' : '○'}
                  </span>
                  <span data-testid="dept-option">{d.name}</span>
                  {ordered && on && (
                    <span className="picker-order" data-testid="dept-order">
                      {chosen.indexOf(d.id) === 0 ? '主责' : `共同牵头 ${chosen.indexOf(d.id) + 1}`}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {note && (
        <div className="form-error" role="alert" data-testid="dept-picker-note">
          {note}
        </div>
      )}
      <div className="picker-chosen" data-testid="dept-picker-chosen">
        {names.length ? `已选${ordered && names.length > 1 ? '（按勾选顺序，第一个为主责）' : ''}：${names.join('、')}` : '未选择'}
      </div>
      <div className="picker-actions">
        {allowClear && (
          <button className="btn" onClick={() => (onClear ? onClear() : onOk([]))}>
            清空
          </button>
        )}
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="dept-picker-ok" onClick={confirm}>
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

/** a deadline as the importer reads it, with what it was read as (or why not) */
export function readDeadline(text: string): { ok: true; value: string | null; read: string } | { ok: false; message: string } {
  const r = parseDeadline(text);
  if (!r.ok) return { ok: false, message: r.message };
  if (r.value === null) return { ok: true, value: null, read: r.note ? `${r.note}（不设完成时限）` : '不设完成时限（清空）' };
  const [y, m, d] = r.value.split('-').map(Number);
  return { ok: true, value: r.value, read: `${y}年${m}月${d}日（${r.value}）` };
}

/**
 * A deadline typed as people write it (2025年底, 2025年6月底, 2025-06-30 …, the importer's parser):
 * the line under the box says what it is read as, or why it cannot be read; Enter saves a readable
 * one, refuses the rest with the message; Esc cancels.
 */
export function DatePicker({ value, onOk, onCancel, initialText }: { value: string | null; onOk: (v: string | null) => void; onCancel: () => void; initialText?: string }) {
  // a key that opened a grid cell's editor replaces the old value, as in a spreadsheet
  const [v, setV] = useState(initialText ?? value ?? '');
  const readId = useId();
  const [refused, setRefused] = useState(false);
  const boxRef = useRef<HTMLInputElement>(null);
  // focused as soon as it is in the page: keys typed right after the one that opened a cell's
  // editor go into the box (a timer let them reach the grid, which dropped them)
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const r = readDeadline(v);
  const ok = () => {
    if (r.ok) onOk(r.value);
    else setRefused(true);
  };
  return (
    <div
      className="picker picker-date"
      data-testid="date-picker"
      onKeyDown={(e) => popupKey(e, onCancel, ok)}
    >
      <input
        ref={boxRef}
        className="input"
        data-testid="date-input"
        aria-label="完成时限"
        aria-describedby={readId}
        placeholder="如 2025年底、2025年6月底、2025-06-30"
        value={v}
        onChange={(e) => {
          setV(e.target.value);
          setRefused(false);
        }}
      />
      {r.ok ? (
        <div className="date-read" id={readId} data-testid="date-read">
          读作：{r.read}
        </div>
      ) : (
        <div className={refused ? 'form-error small' : 'date-read bad'} id={readId} role={refused ? 'alert' : undefined} data-testid="date-error">
          {refused ? '未保存：' : ''}
          {r.message}
        </div>
      )}
      <div className="picker-actions">
        <button className="btn" onClick={() => onOk(null)}>
          清空
        </button>
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="date-picker-ok" onClick={ok}>
          确定
        </button>
      </div>
    </div>
  );
}

/** A status for many measures: nothing chosen at first (a preselected one is too easily applied by mistake). */
export function StatusPicker({ value, onOk, onCancel }: { value: Status | null; onOk: (v: Status) => void; onCancel: () => void }) {
  const [v, setV] = useState<Status | null>(value);
  const [asked, setAsked] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const t = window.setTimeout(() => firstRef.current?.focus(), 0);
    return () => window.clearTimeout(t);
  }, []);
  const ok = () => {
    if (v) onOk(v);
    else setAsked(true);
  };
  return (
    <div
      className="picker picker-small"
      data-testid="status-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        } else if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
          e.preventDefault();
          e.stopPropagation();
          ok();
        }
      }}
    >
      <div className="picker-list short" role="radiogroup" aria-label="状态">
        {STATUSES.map((s, i) => (
          <label key={s} className="picker-option">
            <input
              ref={i === 0 ? firstRef : undefined}
              type="radio"
              name="status-pick"
              data-testid="status-option"
              value={s}
              checked={v === s}
              onChange={() => {
                setV(s);
                setAsked(false);
              }}
            />
            <span className={`status-pill st-${s}`}>{s}</span>
          </label>
        ))}
      </div>
      <div className={asked ? 'form-error small' : 'date-read'} role={asked ? 'alert' : undefined} data-testid="status-picker-hint">
        {v ? `将设为：${v}` : '请选择一个状态（↑↓ 或 Space 选择，Enter 确定）'}
      </div>
      <div className="picker-actions">
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="status-picker-ok" disabled={!v} onClick={ok}>
          确定
        </button>
      </div>
    </div>
  );
}
