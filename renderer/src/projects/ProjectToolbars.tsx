// The project page's two toolbars: the filter row (what useProjectFilters keeps) and the action row
// (add, bulk set, delete, restore, undo, redo, reload).
import { useMemo } from 'react';
import { CITIES, type Department } from '../../../shared/domain';
import { PROJECT_CATEGORIES, PROJECT_STAGES, type Project } from '../../../shared/projects';
import { UndoRedoButtons } from '../components/UndoRedoButtons';
import type { PersonalUndo } from '../components/usePersonalUndo';
import type { BulkKind } from './ProjectDialogs';
import type { ProjectFilters } from './useProjectFilters';

export function ProjectFilterBar({ f, departments, rows }: { f: ProjectFilters; departments: Department[]; rows: Project[] }) {
  const leadOptions = useMemo(() => departments.filter((d) => d.state === '在用' || rows.some((r) => r.leadId === d.id)), [departments, rows]);
  return (
    <div className="toolbar filters" role="search">
      <select className="input" data-testid="proj-filter-category" value={f.fCategory} onChange={(e) => f.setFCategory(e.target.value)} aria-label="类别">
        <option value="">全部类别</option>
        {PROJECT_CATEGORIES.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <select className="input" data-testid="proj-filter-city" value={f.fCity} onChange={(e) => f.setFCity(e.target.value)} aria-label="城市">
        <option value="">全部城市</option>
        {CITIES.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <select className="input" data-testid="proj-filter-stage" value={f.fStage} onChange={(e) => f.setFStage(e.target.value)} aria-label="建设阶段">
        <option value="">全部阶段</option>
        {PROJECT_STAGES.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <select className="input" data-testid="proj-filter-lead" value={f.fLead} onChange={(e) => f.setFLead(e.target.value)} aria-label="牵头单位">
        <option value="">全部牵头单位</option>
        <option value="none">（未指定牵头单位）</option>
        {leadOptions.map((d) => (
          <option key={d.id} value={String(d.id)}>
            {d.name}
            {d.state !== '在用' ? `（${d.state}）` : ''}
          </option>
        ))}
      </select>
      <input
        className="input grow"
        type="search"
        data-testid="proj-filter-text"
        placeholder="筛选：编号、名称、地点、原文、进度…"
        value={f.fText}
        onChange={(e) => f.setFText(e.target.value)}
      />
      {f.external && (
        <span className="ext-chip" data-testid="projects-external-filter" title="来自统计看板的筛选；点击 × 清除">
          来自统计看板：{f.external.label}
          <button className="ext-chip-x" aria-label="清除来自统计看板的筛选" onClick={f.clearExternal}>
            ×
          </button>
        </span>
      )}
      <label className="check">
        <input type="checkbox" data-testid="proj-filter-deleted" checked={f.withDeleted} onChange={(e) => f.setWithDeleted(e.target.checked)} />
        含已删除
      </label>
    </div>
  );
}

export function ProjectActionBar(p: {
  selectedCount: number;
  selectedRows: Project[];
  busy: boolean;
  personalUndo: PersonalUndo;
  onAdd: () => void;
  onBulk: (kind: BulkKind) => void;
  onDelete: (list: Project[]) => void;
  onRestore: (list: Project[]) => void;
  onReload: () => void;
}) {
  const { selectedRows, busy } = p;
  const off = !p.selectedCount || busy;
  return (
    <div className="toolbar actions">
      <button className="btn primary" data-testid="project-add" disabled={busy} onClick={p.onAdd}>
        ＋ 新增项目
      </button>
      <span className="toolbar-label">　批量：</span>
      <button className="btn" data-testid="proj-bulk-stage" disabled={off} onClick={() => p.onBulk('stage')}>
        设置阶段
      </button>
      <button className="btn" data-testid="proj-bulk-lead" disabled={off} onClick={() => p.onBulk('lead')}>
        设置牵头单位
      </button>
      <button className="btn" data-testid="proj-bulk-category" disabled={off} onClick={() => p.onBulk('category')}>
        设置类别
      </button>
      <button className="btn" data-testid="project-delete" disabled={!selectedRows.some((r) => !r.deleted) || busy} onClick={() => p.onDelete(selectedRows.filter((r) => !r.deleted))}>
        删除
      </button>
      <button className="btn" data-testid="project-restore" disabled={!selectedRows.some((r) => r.deleted) || busy} onClick={() => p.onRestore(selectedRows.filter((r) => r.deleted))}>
        恢复
      </button>
      <span className="spacer" />
      <UndoRedoButtons personalUndo={p.personalUndo} busy={busy} testIds={['proj-undo', 'proj-redo']} />
      <button className="btn" onClick={p.onReload} title="从数据库重新读取">
        刷新
      </button>
    </div>
  );
}
