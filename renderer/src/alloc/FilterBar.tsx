// The allocation page's filter row: chapter, lead, city, status, text, the dashboard's chip,
// background chapters and grouping. Shows and sets what useAllocFilters keeps.
import { useMemo } from 'react';
import { CITIES, STATUSES, chapterLabel, type Department } from '../../../shared/domain';
import type { ChapterOption } from './store';
import type { AllocFilters } from './useAllocFilters';

export function FilterBar({ f, chapters, departments, visible }: { f: AllocFilters; chapters: ChapterOption[]; departments: Department[]; visible: number }) {
  const leadOptions = useMemo(() => [...departments].sort((a, b) => Number(b.state === '在用') - Number(a.state === '在用') || a.id - b.id), [departments]);
  return (
    <div className="toolbar filters" role="search">
      <select className="input" data-testid="filter-chapter" value={f.fChapter} onChange={(e) => f.setFChapter(e.target.value)} aria-label="章">
        <option value="">全部章</option>
        {chapters
          .filter((c) => f.withBackground || c.actionable)
          .map(({ no, title }) => (
            <option key={no} value={String(no)}>
              {chapterLabel(no)} {title}
            </option>
          ))}
      </select>
      <select className="input" data-testid="filter-lead" value={f.fLead} onChange={(e) => f.setFLead(e.target.value)} aria-label="牵头单位">
        <option value="">全部牵头单位</option>
        <option value="none">（未指定牵头单位）</option>
        <option value="suggested">（待确认的建议）</option>
        {leadOptions.map((d) => (
          <option key={d.id} value={String(d.id)}>
            {d.name}
            {d.state !== '在用' ? `（${d.state}）` : ''}
          </option>
        ))}
      </select>
      <select className="input" data-testid="filter-city" value={f.fCity} onChange={(e) => f.setFCity(e.target.value)} aria-label="责任城市">
        <option value="">全部城市</option>
        {CITIES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <select className="input" data-testid="filter-status" value={f.fStatus} onChange={(e) => f.setFStatus(e.target.value)} aria-label="状态">
        <option value="">全部状态</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <input
        className="input grow"
        type="search"
        data-testid="filter-text"
        placeholder="筛选：编号、措施内容、单位、进展…"
        value={f.fText}
        onChange={(e) => {
          f.setFText(e.target.value);
          if (!(e.nativeEvent as InputEvent).isComposing) f.applyText(e.target.value);
        }}
        onCompositionEnd={(e) => f.applyText(e.currentTarget.value)}
      />
      {f.external && (
        <span className="ext-chip" data-testid="alloc-external-filter" data-count={visible} title={`来自统计看板：${f.external.label}（点击 × 清除）`}>
          <span className="ext-chip-label">来自统计看板：{f.external.label}</span>
          <button className="ext-chip-x" aria-label="清除来自统计看板的筛选" data-testid="alloc-external-filter-clear" onClick={f.clearExternal}>
            ×
          </button>
        </span>
      )}
      <label className="check">
        <input type="checkbox" data-testid="filter-background" checked={f.withBackground} onChange={(e) => f.setWithBackground(e.target.checked)} />
        含第一、二章
      </label>
      <label className="check">
        <input type="checkbox" data-testid="group-toggle" checked={f.grouping} onChange={(e) => f.setGrouping(e.target.checked)} />
        按章节分组
      </label>
    </div>
  );
}
