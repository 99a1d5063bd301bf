// 目标指标: the plan's 2025 targets and 2021 baselines with a coloured status, the plan's words,
// a trend chart and a year-by-year table (2021–2035) where staff enter value, source and note.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { INDICATOR_STATUSES, PLAN_YEAR_MAX, PLAN_YEAR_MIN, type IndicatorRow } from '../../../shared/projects';
import { call } from '../api';
import '../components/projects-dashboard.css';
import { useToast } from '../components/Toast';
import { LineChart } from '../charts/LineChart';
import { fmt } from '../charts/common';
import type { IndicatorFilter } from '../components/externalFilter';

interface Props {
  active: boolean;
  dataVersion: number;
  initialFilter?: IndicatorFilter | null;
}

const YEARS: number[] = [];
for (let y = PLAN_YEAR_MIN; y <= PLAN_YEAR_MAX; y++) YEARS.push(y);

function targetText(i: IndicatorRow): string {
  if (i.kind === 'qualitative') return '定性要求';
  if (i.target2025 == null || !i.direction) return '—';
  return `${i.direction}${fmt(i.target2025)}${i.direction === '≈' && i.tolerance ? `（±${fmt(i.tolerance)}）` : ''}`;
}

export function IndicatorsPage({ active, dataVersion, initialFilter }: Props) {
  const toast = useToast();
  const [rows, setRows] = useState<IndicatorRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [fStatus, setFStatus] = useState('');
  const [fText, setFText] = useState('');
  const [appliedNonce, setAppliedNonce] = useState<number | null>(null);
  if (initialFilter && initialFilter.nonce !== appliedNonce) {
    setAppliedNonce(initialFilter.nonce);
    setFStatus(initialFilter.status ?? '');
    setFText('');
  }

  const load = useCallback(async () => {
    try {
      const list = await call('indicators.list', {});
      setRows(list);
      setSelected((s) => s ?? list[0]?.id ?? null);
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  useEffect(() => {
    if (active) void load();
  }, [active, dataVersion, load]);

  const visible = useMemo(() => {
    const q = fText.trim().toLowerCase();
    return rows.filter(
      (i) => (!fStatus || i.status === fStatus) && (!q || `${i.id}\n${i.name}\n${i.quote}\n${i.unit}`.toLowerCase().includes(q)),
    );
  }, [rows, fStatus, fText]);
  const current = rows.find((r) => r.id === selected) ?? null;

  const onSaved = (row: IndicatorRow) => setRows((xs) => xs.map((x) => (x.id === row.id ? row : x)));

  return (
    <div className="ind-page">
      <div className="ind-side">
        <div className="toolbar filters">
          <select className="input" data-testid="ind-filter-status" value={fStatus} onChange={(e) => setFStatus(e.target.value)} aria-label="状态">
            <option value="">全部状态（{rows.length}）</option>
            {INDICATOR_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}（{rows.filter((r) => r.status === s).length}）
              </option>
            ))}
          </select>
          <input className="input grow" type="search" placeholder="筛选指标名称、原文…" value={fText} onChange={(e) => setFText(e.target.value)} />
        </div>
        <div className="ind-list-wrap">
          <table className="ind-list" data-testid="indicators-list">
            <thead>
              <tr>
                <th>指标</th>
                <th>单位</th>
                <th>2025目标</th>
                <th>2021基期</th>
                <th>最新值</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody
              onKeyDown={(e) => {
                if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
                e.preventDefault();
                const i = visible.findIndex((r) => r.id === selected);
                const next = visible[Math.max(0, Math.min(visible.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
                if (next) {
                  setSelected(next.id);
                  document.querySelector<HTMLElement>(`[data-testid=indicator-row][data-id="${next.id}"]`)?.focus();
                }
              }}
            >
              {visible.map((i) => (
                <tr
                  key={i.id}
                  tabIndex={0}
                  className={i.id === selected ? 'selected' : undefined}
                  data-testid="indicator-row"
                  data-id={i.id}
                  data-status={i.status}
                  aria-selected={i.id === selected}
                  title={i.quote}
                  onClick={() => setSelected(i.id)}
                  onKeyDown={(e) => e.key === 'Enter' && setSelected(i.id)}
                >
                  <td className="ind-name">
                    <span className="mono muted">{i.id}</span> {i.name}
                  </td>
                  <td>{i.unit}</td>
                  <td className="num">{targetText(i)}</td>
                  <td className="num">{i.baseline2021 != null ? fmt(i.baseline2021) : '—'}</td>
                  <td className="num">{i.latest && i.latest.value !== null ? `${fmt(i.latest.value)}（${i.latest.year}）` : '—'}</td>
                  <td>
                    <span className={`ind-pill ind-st-${i.status}`} data-testid="indicator-status">
                      {i.status}
                    </span>
                  </td>
                </tr>
              ))}
              {visible.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    没有符合条件的指标
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
      <div className="ind-detail">
        {current ? <IndicatorDetail key={current.id} ind={current} onSaved={onSaved} /> : <div className="empty-state">请选择左侧的指标</div>}
      </div>
    </div>
  );
}

interface Draft {
  value: string;
  source: string;
  note: string;
}

function IndicatorDetail({ ind, onSaved }: { ind: IndicatorRow; onSaved: (r: IndicatorRow) => void }) {
  const toast = useToast();
  const qualitative = ind.kind === 'qualitative';
  const stored = useCallback(
    (y: number): Draft => {
      const a = ind.actuals.find((x) => x.year === y);
      return a ? { value: a.value === null ? '' : String(a.value), source: a.source, note: a.note } : { value: '', source: '', note: '' };
    },
    [ind.actuals],
  );
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [busyYear, setBusyYear] = useState<number | null>(null);
  const draft = (y: number) => drafts[y] ?? stored(y);
  const dirty = (y: number) => {
    const d = drafts[y];
    if (!d) return false;
    const s = stored(y);
    return d.value.trim() !== s.value || d.source.trim() !== s.source || d.note.trim() !== s.note;
  };
  const setField = (y: number, k: keyof Draft, v: string) => setDrafts((ds) => ({ ...ds, [y]: { ...draft(y), [k]: v } }));

  const save = async (y: number) => {
    const d = draft(y);
    const raw = d.value.trim().replace(/[,，\s]/g, '').replace(/%$/, '');
    let value: number | null = null;
    if (raw) {
      value = Number(raw);
      if (!Number.isFinite(value)) {
        toast.show(`${y}年数值“${d.value}”不是数字`, 'error');
        return;
      }
    }
    setBusyYear(y);
    try {
      // a qualitative indicator's year is an assessment: no number, the note says how it stands
      const keepText = value !== null || qualitative;
      const row = await call('indicators.setActual', {
        indicatorId: ind.id,
        year: y,
        value: qualitative ? null : value,
        source: keepText ? d.source.trim() : '',
        note: keepText ? d.note.trim() : '',
      });
      onSaved(row);
      setDrafts((ds) => {
        const next = { ...ds };
        delete next[y];
        return next;
      });
      const cleared = qualitative ? d.note.trim() === '' : value === null;
      toast.show(
        cleared
          ? `已清除 ${ind.name} ${y}年数据`
          : qualitative
            ? `已保存 ${ind.name} ${y}年评估意见`
            : `已保存 ${ind.name} ${y}年：${fmt(value ?? 0)}${ind.unit}（状态：${row.status}）`,
        'success',
      );
    } catch (e) {
      toast.error(e);
    } finally {
      setBusyYear(null);
    }
  };

  const points = ind.actuals.flatMap((a) => (a.value === null ? [] : [{ year: a.year, value: a.value }]));
  const lastYear = Math.max(2025, ...ind.actuals.map((a) => a.year));
  return (
    <div className="ind-detail-body" data-testid="indicator-detail" data-id={ind.id}>
      <div className="ind-head">
        <h3>{ind.name}</h3>
        <span className={`ind-pill big ind-st-${ind.status}`} data-testid="indicator-detail-status">
          {ind.status}
        </span>
      </div>
      <div className="ind-facts">
        <span>单位：{ind.unit || '—'}</span>
        <span>2025年目标：{targetText(ind)}</span>
        <span>2021年基期：{ind.baseline2021 != null ? `${fmt(ind.baseline2021)}${ind.unit}` : '—'}</span>
        <span>最新：{ind.latest && ind.latest.value !== null ? `${fmt(ind.latest.value)}${ind.unit}（${ind.latest.year}年）` : '无数据'}</span>
      </div>
      <figure className="pcard-quote" data-testid="indicator-quote">
        <blockquote>{ind.quote}</blockquote>
        <figcaption>——《长株潭都市圈发展规划》</figcaption>
      </figure>
      {ind.baselineQuote && ind.baselineQuote !== ind.quote && (
        <figure className="pcard-quote small">
          <blockquote>{ind.baselineQuote}</blockquote>
          <figcaption>——基期数据出处</figcaption>
        </figure>
      )}
      {ind.note && <p className="hint">{ind.note}</p>}
      {qualitative ? (
        <div className="ind-qual hint" data-testid="indicator-qualitative">
          定性指标，不填报数值：在“评估意见”一栏写明当年进展（如“已基本形成”），并注明依据。
        </div>
      ) : (
        <LineChart
          testId="indicator-chart"
          ariaLabel={`${ind.name}趋势图`}
          points={points}
          unit={ind.unit}
          baseline={ind.baseline2021 != null ? { year: 2021, value: ind.baseline2021 } : null}
          target={ind.target2025 != null && ind.direction ? { year: 2025, value: ind.target2025, label: `2025目标 ${ind.direction}${fmt(ind.target2025)}` } : null}
          fromYear={PLAN_YEAR_MIN}
          toYear={Math.min(PLAN_YEAR_MAX, lastYear + 1)}
        />
      )}
      <table className="year-table ind-years">
        <thead>
          <tr>
            <th>年份</th>
            <th>{qualitative ? '数值（定性指标不填）' : `实际值（${ind.unit || '—'}）`}</th>
            <th>数据来源</th>
            <th>{qualitative ? '评估意见' : '备注'}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {YEARS.map((y) => {
            const d = draft(y);
            const has = ind.actuals.some((a) => a.year === y);
            return (
              <tr key={y} data-testid={`indicator-year-${y}`} className={has ? 'has' : undefined}>
                <th>{y}</th>
                <td>
                  <input
                    className="input num"
                    data-testid="year-value"
                    aria-label={`${y}年实际值`}
                    value={d.value}
                    disabled={qualitative}
                    placeholder={qualitative ? '—' : ''}
                    onChange={(e) => setField(y, 'value', e.target.value)}
                    onKeyDown={(e) => e.key === 'Enter' && dirty(y) && void save(y)}
                  />
                </td>
                <td>
                  <input
                    className="input"
                    data-testid="year-source"
                    aria-label={`${y}年数据来源`}
                    value={d.source}
                    placeholder={qualitative ? '如：省发展改革委评估' : '如：统计公报'}
                    onChange={(e) => setField(y, 'source', e.target.value)}
                    onKeyDown={(e) => e.key === 'Enter' && dirty(y) && void save(y)}
                  />
                </td>
                <td>
                  <input
                    className="input"
                    data-testid="year-note"
                    aria-label={`${y}年备注`}
                    value={d.note}
                    onChange={(e) => setField(y, 'note', e.target.value)}
                    onKeyDown={(e) => e.key === 'Enter' && dirty(y) && void save(y)}
                  />
                </td>
                <td>
                  <button className="btn small" data-testid="year-save" disabled={!dirty(y) || busyYear !== null} onClick={() => void save(y)}>
                    {(qualitative ? d.note.trim() === '' : d.value.trim() === '') && has ? '清除' : '保存'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">{qualitative ? '评估意见留空并保存即清除该年记录。' : '数值留空并保存即清除该年数据。'}状态按最新年份的实际值与 2025 年目标比较：达到目标为“达标”，差距在目标的 5% 以内为“接近”，否则为“滞后”。</p>
    </div>
  );
}
