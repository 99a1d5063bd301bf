// 导入预览 › 未识别的单位: for each department name of the file the directory does not know (a typo
// such as 省水力厅), the person chooses the department it means, for this file only; the preview is
// made again with those choices. Nothing is preselected (a suggestion is not a decision) and the
// directory is not changed (an alias is added in 部门管理, if the name should be known for good).
import { useMemo, useState } from 'react';
import type { Department } from '../../../shared/domain';
import type { ImportCellError } from '../../../shared/import';

export function DeptNameMapping({
  errors,
  departments,
  applied,
  busy,
  onApply,
}: {
  errors: readonly ImportCellError[];
  departments: Department[];
  /** the choices the preview shown was made with */
  applied: Readonly<Record<string, number>>;
  busy: boolean;
  onApply: (map: Record<string, number>) => void;
}) {
  const unknown = useMemo(() => {
    const m = new Map<string, { cells: number; suggestions: string[] }>();
    for (const e of errors) {
      if (!e.deptName) continue;
      const u = m.get(e.deptName) ?? { cells: 0, suggestions: e.suggestions ?? [] };
      u.cells++;
      m.set(e.deptName, u);
    }
    return [...m];
  }, [errors]);
  const [chosen, setChosen] = useState<Record<string, number>>({});
  const active = useMemo(() => departments.filter((d) => d.state === '在用'), [departments]);
  const byName = useMemo(() => new Map(active.map((d) => [d.name, d])), [active]);
  const names = useMemo(() => new Map(departments.map((d) => [d.id, d.name])), [departments]);
  const appliedList = Object.entries(applied);
  if (!unknown.length && !appliedList.length) return null;
  const picked = unknown.filter(([n]) => chosen[n]);

  return (
    <section className="card wide-card section-warn" data-testid="import-dept-mapping">
      <h3>未识别的单位（{unknown.length}）</h3>
      {unknown.length > 0 && (
        <>
          <p className="hint">台账中这些单位名称不在单位清单中。可为本文件选择它们所指的单位后重新预览：只对这次导入有效，不修改单位清单。</p>
          <table className="diff-table">
            <thead>
              <tr>
                <th style={{ width: 200 }}>台账中的名称</th>
                <th style={{ width: 90 }}>单元格</th>
                <th>本文件中视为</th>
              </tr>
            </thead>
            <tbody>
              {unknown.map(([name, u]) => {
                const sugg = u.suggestions.map((s) => byName.get(s)).filter((d): d is Department => !!d);
                return (
                  <tr key={name} data-testid="import-unknown-dept" data-name={name}>
                    <td>“{name}”</td>
                    <td>{u.cells} 处</td>
                    <td>
                      <select
                        className="input"
                        aria-label={`“${name}”在本文件中视为`}
                        data-testid="import-dept-choice"
                        value={chosen[name] ?? ''}
                        onChange={(e) => setChosen((c) => ({ ...c, [name]: Number(e.target.value) }))}
                      >
                        <option value="">请选择单位…</option>
                        {sugg.length > 0 && (
                          <optgroup label="可能是">
                            {sugg.map((d) => (
                              <option key={d.id} value={d.id}>
                                {d.name}
                              </option>
                            ))}
                          </optgroup>
                        )}
                        <optgroup label="全部单位">
                          {active.map((d) => (
                            <option key={d.id} value={d.id}>
                              {d.name}
                            </option>
                          ))}
                        </optgroup>
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="form-actions">
            <button
              className="btn primary"
              data-testid="import-dept-remap"
              disabled={busy || picked.length === 0}
              onClick={() => onApply({ ...applied, ...Object.fromEntries(picked.map(([n]) => [n, chosen[n]])) })}
            >
              按所选单位重新预览{picked.length ? `（${picked.length} 个名称）` : ''}
            </button>
          </div>
        </>
      )}
      {appliedList.length > 0 && (
        <p className="hint" data-testid="import-dept-applied">
          本次导入中：{appliedList.map(([n, id]) => `“${n}”视为${names.get(id) ?? `单位${id}`}`).join('；')}（不修改单位清单）
        </p>
      )}
    </section>
  );
}
