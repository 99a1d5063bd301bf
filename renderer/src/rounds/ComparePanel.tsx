// 对比上期 (issue 18, item 8): any two rounds side by side — by default the chosen closed round
// against the closed round before it — from rounds.compare: what moved per measure (状态 and 进展
// before → after), per department and per chapter (状态变化, 新完成, 新滞后, 进展更新), each in a
// table the person can sort and filter. A round under way counts as its accepted reports stand.
import { useEffect, useMemo, useState } from 'react';
import type { RoundCompare, RoundCompareMeasure, RoundCompareRow, RoundInfo } from '../../../shared/rounds';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { SortTable, type SortColumn } from './SortTable';

/** the closed round before `to` (by period end, then id), as the services order them */
function closedBefore(rounds: RoundInfo[], to: RoundInfo): RoundInfo | null {
  const earlier = rounds.filter((r) => r.id !== to.id && r.state === '已结束' && (r.periodEnd < to.periodEnd || (r.periodEnd === to.periodEnd && r.id < to.id)));
  earlier.sort((x, y) => x.periodEnd.localeCompare(y.periodEnd) || x.id - y.id);
  return earlier[earlier.length - 1] ?? null;
}

/** the pair shown first: the chosen round if closed (else the latest closed) against the closed one before it */
export function defaultPair(rounds: RoundInfo[], chosenId: number | null): { fromId: number; toId: number } | null {
  const closed = rounds.filter((r) => r.state === '已结束').sort((x, y) => x.periodEnd.localeCompare(y.periodEnd) || x.id - y.id);
  const chosen = rounds.find((r) => r.id === chosenId);
  const to = chosen?.state === '已结束' ? chosen : closed[closed.length - 1];
  const from = to ? closedBefore(rounds, to) : null;
  return to && from ? { fromId: from.id, toId: to.id } : null;
}

type View = 'measures' | 'depts' | 'chapters';
const VIEWS: [View, string][] = [
  ['measures', '按措施'],
  ['depts', '按单位'],
  ['chapters', '按章'],
];

type Change = 'any' | 'moved' | 'done' | 'lagging' | 'progress' | 'all';
const CHANGES: [Change, string][] = [
  ['any', '有变化的（状态或进展）'],
  ['moved', '状态有变化的'],
  ['done', '新完成的'],
  ['lagging', '新转为滞后的'],
  ['progress', '进展有更新的'],
  ['all', '全部措施'],
];

const isNew = (m: RoundCompareMeasure, s: '已完成' | '滞后') => m.before !== null && m.after === s && m.before !== s;

function keep(m: RoundCompareMeasure, c: Change): boolean {
  switch (c) {
    case 'any':
      return m.before !== m.after || m.progressChanged;
    case 'moved':
      return m.before !== m.after;
    case 'done':
      return isNew(m, '已完成');
    case 'lagging':
      return isNew(m, '滞后');
    case 'progress':
      return m.progressChanged;
    default:
      return true;
  }
}

const statusText = (s: string | null) => s ?? '（不在该轮）';

function Arrow({ before, after, testId }: { before: string; after: string; testId?: string }) {
  if (before === after) return <span data-testid={testId}>{after}</span>;
  return (
    <span className="cmp-moved" data-testid={testId}>
      {before} → <b className={`cmp-to-${after}`}>{after}</b>
    </span>
  );
}

const MEASURE_COLUMNS: SortColumn<RoundCompareMeasure>[] = [
  { key: 'id', label: '编号', value: (m) => m.id },
  { key: 'text', label: '措施', value: (m) => m.text, className: 'text-cell cmp-text' },
  { key: 'depts', label: '牵头单位', value: (m) => m.depts.join('、') || '—' },
  { key: 'status', label: '状态（上期 → 本期）', value: (m) => `${statusText(m.before)}→${statusText(m.after)}`, render: (m) => <Arrow before={statusText(m.before)} after={statusText(m.after)} testId="cmp-status" /> },
  {
    key: 'progress',
    label: '进展（上期 → 本期）',
    value: (m) => (m.progressChanged ? 1 : 0),
    className: 'text-cell',
    render: (m) =>
      m.progressChanged ? (
        <span className="cmp-progress">
          <span className="muted">{m.beforeProgress || '（空）'}</span>
          <span aria-hidden="true"> → </span>
          <span className="visually-hidden">改为</span>
          <span>{m.afterProgress || '（空）'}</span>
        </span>
      ) : (
        <span className="muted">{m.afterProgress ?? m.beforeProgress ?? ''}</span>
      ),
  },
];

function groupColumns(label: string): SortColumn<RoundCompareRow>[] {
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, n) => a + n, 0);
  return [
    { key: 'label', label, value: (r) => (label === '章' ? Number(r.key) : r.label), render: (r) => r.label },
    { key: 'measures', label: '措施（本期）', value: (r) => total(r.after), numeric: true },
    { key: 'moved', label: '状态变化', value: (r) => r.moved, numeric: true },
    { key: 'newlyDone', label: '新完成', value: (r) => r.newlyDone, numeric: true },
    { key: 'newlyLagging', label: '新滞后', value: (r) => r.newlyLagging, numeric: true },
    { key: 'progressChanged', label: '进展更新', value: (r) => r.progressChanged, numeric: true },
    { key: 'done', label: '已完成（上期 → 本期）', value: (r) => r.after['已完成'] - r.before['已完成'], render: (r) => <Arrow before={String(r.before['已完成'])} after={String(r.after['已完成'])} /> },
    { key: 'lagging', label: '滞后（上期 → 本期）', value: (r) => r.after['滞后'] - r.before['滞后'], render: (r) => <Arrow before={String(r.before['滞后'])} after={String(r.after['滞后'])} /> },
  ];
}
const DEPT_COLUMNS = groupColumns('单位');
const CHAPTER_COLUMNS = groupColumns('章');

export function ComparePanel({ rounds, chosenId }: { rounds: RoundInfo[]; chosenId: number | null }) {
  const toast = useToast();
  const initial = useMemo(() => defaultPair(rounds, chosenId), [rounds, chosenId]);
  const [pair, setPair] = useState<{ fromId: number | null; toId: number | null }>(() => initial ?? { fromId: null, toId: null });
  const [cmp, setCmp] = useState<RoundCompare | null>(null);
  const [loading, setLoading] = useState(false);
  const [view, setView] = useState<View>('measures');
  const [change, setChange] = useState<Change>('any');
  const [filter, setFilter] = useState('');
  // the rounds' states are part of the answer (a round closed since): asked again when the list changes
  const stamp = rounds.map((r) => `${r.id}:${r.state}`).join(',');
  // a default pair that appears later (the list read, a round closed) is taken while none is chosen
  useEffect(() => {
    if (initial) setPair((p) => (p.fromId === null && p.toId === null ? initial : p));
  }, [initial]);

  useEffect(() => {
    const { fromId, toId } = pair;
    if (fromId === null || toId === null || fromId === toId) return setCmp(null);
    let live = true;
    setLoading(true);
    call('rounds.compare', { fromId, toId }).then(
      (c) => live && (setCmp(c), setLoading(false)),
      (e: unknown) => live && (toast.error(e), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [pair, stamp, toast]);

  const q = filter.trim().toLowerCase();
  const measures = useMemo(
    () => (cmp ? cmp.measures.filter((m) => keep(m, change) && (!q || `${m.id} ${m.text} ${m.depts.join(' ')} ${m.afterProgress ?? ''}`.toLowerCase().includes(q))) : []),
    [cmp, change, q],
  );
  const rowsOf = (rows: RoundCompareRow[]) => rows.filter((r) => !q || r.label.toLowerCase().includes(q));
  const moved = cmp ? cmp.measures.filter((m) => m.before !== m.after).length : 0;
  const done = cmp ? cmp.measures.filter((m) => isNew(m, '已完成')).length : 0;
  const lagging = cmp ? cmp.measures.filter((m) => isNew(m, '滞后')).length : 0;
  const progress = cmp ? cmp.measures.filter((m) => m.progressChanged).length : 0;

  const pick = (which: 'fromId' | 'toId', v: string) => setPair((p) => ({ ...p, [which]: v ? Number(v) : null }));
  const option = (r: RoundInfo) => (
    <option key={r.id} value={r.id}>
      {r.title}（{r.state}，截至 {r.periodEnd}）
    </option>
  );

  return (
    <section className="card card-wide round-compare" aria-labelledby="round-compare-title" data-testid="round-compare">
      <h3 id="round-compare-title">对比上期</h3>
      {rounds.length < 2 ? (
        <p className="muted">至少有两个调度轮次才能对比。</p>
      ) : (
        <>
          <div className="cmp-pick">
            <label>
              上期
              <select className="input" value={pair.fromId ?? ''} onChange={(e) => pick('fromId', e.target.value)} data-testid="cmp-from">
                <option value="">请选择轮次</option>
                {rounds.map(option)}
              </select>
            </label>
            <label>
              本期
              <select className="input" value={pair.toId ?? ''} onChange={(e) => pick('toId', e.target.value)} data-testid="cmp-to">
                <option value="">请选择轮次</option>
                {rounds.map(option)}
              </select>
            </label>
          </div>
          {!initial && pair.fromId === null && <p className="muted">还没有两个已结束的轮次可作默认对比；可任选两个轮次（进行中的轮次按目前已采纳的报送计）。</p>}
          {pair.fromId !== null && pair.fromId === pair.toId && (
            <p className="form-error" role="alert">
              请选择两个不同的轮次。
            </p>
          )}
          {loading && <p role="status">正在对比…</p>}
          {cmp && !loading && (
            <>
              <p className="cmp-summary" data-testid="cmp-summary">
                与“{cmp.from.title}”相比，“{cmp.to.title}”共 <b data-testid="cmp-moved">{moved}</b> 项措施状态有变化，其中新完成 <b data-testid="cmp-done">{done}</b> 项、新转为滞后{' '}
                <b data-testid="cmp-lagging">{lagging}</b> 项；<b data-testid="cmp-progress">{progress}</b> 项进展有更新。
              </p>
              <div className="cmp-controls">
                <div role="group" aria-label="对比方式" className="seg">
                  {VIEWS.map(([v, label]) => (
                    <button key={v} type="button" className={`btn ${view === v ? 'primary' : ''}`} aria-pressed={view === v} onClick={() => setView(v)} data-testid={`cmp-view-${v}`}>
                      {label}
                    </button>
                  ))}
                </div>
                {view === 'measures' && (
                  <label>
                    显示
                    <select className="input" value={change} onChange={(e) => setChange(e.target.value as Change)} data-testid="cmp-change">
                      {CHANGES.map(([c, label]) => (
                        <option key={c} value={c}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <label>
                  筛选
                  <input
                    className="input"
                    type="search"
                    value={filter}
                    placeholder={view === 'measures' ? '编号、措施、单位或进展' : view === 'depts' ? '单位名称' : '章'}
                    onChange={(e) => setFilter(e.target.value)}
                    data-testid="cmp-filter"
                  />
                </label>
              </div>
              {view === 'measures' && (
                <SortTable
                  rows={measures}
                  columns={MEASURE_COLUMNS}
                  rowKey={(m) => m.id}
                  caption={`${cmp.from.title} 与 ${cmp.to.title}：按措施`}
                  testId="cmp-measures"
                  rowProps={(m) => ({ 'data-testid': 'cmp-measure', 'data-id': m.id })}
                />
              )}
              {view === 'depts' && (
                <SortTable
                  rows={rowsOf(cmp.byDept)}
                  columns={DEPT_COLUMNS}
                  rowKey={(r) => r.key}
                  initialSort={{ key: 'moved', desc: true }}
                  caption={`${cmp.from.title} 与 ${cmp.to.title}：按牵头单位`}
                  testId="cmp-depts"
                  rowProps={(r) => ({ 'data-testid': 'cmp-dept', 'data-label': r.label })}
                />
              )}
              {view === 'chapters' && (
                <SortTable
                  rows={rowsOf(cmp.byChapter)}
                  columns={CHAPTER_COLUMNS}
                  rowKey={(r) => r.key}
                  caption={`${cmp.from.title} 与 ${cmp.to.title}：按章`}
                  testId="cmp-chapters"
                  rowProps={(r) => ({ 'data-testid': 'cmp-chapter', 'data-label': r.label })}
                />
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
