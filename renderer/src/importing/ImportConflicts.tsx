// Conflicts: fields both this database and the returned ledger changed since the export. A default
// (保留本库 / 采用台账), a choice per row and per field, and how many of each will be applied. The
// import page shows one; 调度轮次's 收取 one per returned file (`group` keeps their radios apart).
import type { ReactNode } from 'react';
import type { ImportConflict } from '../../../shared/import';
import { Paged } from '../components/Paged';
import { Value, rowMatches } from './parts';
import type { ConflictChoices } from './conflictChoices';

export function ImportConflicts({
  preview,
  fl,
  group = '',
  title,
  hint,
  baseLabel = '导出时',
}: {
  preview: { previewId: string; conflicts: ImportConflict[] };
  fl: ConflictChoices;
  /** a prefix for the radio groups' names, where several of these are on one page */
  group?: string;
  /** what the conflicts are of (a returned file), in the heading and the radios' names */
  title?: string;
  hint?: ReactNode;
  /** the column of the values the file went out with: 导出时 for a ledger, 下发时 for a round's package */
  baseLabel?: string;
}) {
  const { onConflict, setOnConflict, perField, setPerField, conflictFields, takeCount, choiceOf, setChoice, setRow } = fl;
  return (
    <section className="card wide-card section-warn" data-testid="conflict-section">
      <div className="preview-head">
        <h3>
          {title ?? '冲突'}（{preview.conflicts.length} 条措施，{conflictFields} 处）
        </h3>
        <div className="seg" role="radiogroup" aria-label={`${title ? `${title} ` : ''}冲突默认处理`} data-testid="import-conflict-default">
          <span className="muted small">默认：</span>
          {(['keep', 'take'] as const).map((c) => (
            <label key={c} className={`seg-opt${onConflict === c ? ' on' : ''}`}>
              <input type="radio" name={`${group}conflict-default`} value={c} checked={onConflict === c} onChange={() => setOnConflict(c)} />
              {c === 'keep' ? '保留本库' : '采用台账'}
            </label>
          ))}
          {Object.keys(perField).length > 0 && (
            <button className="link" onClick={() => setPerField({})}>
              全部按默认
            </button>
          )}
        </div>
      </div>
      <p className="hint">
        {hint ?? '导出台账之后，本库和台账都改了同一项。请逐项选择保留本库的现值，还是采用台账填报的值。'}当前将采用台账 {takeCount} 处，保留本库 {conflictFields - takeCount} 处。
      </p>
      <Paged
        key={preview.previewId}
        items={preview.conflicts}
        unit="条措施"
        matches={rowMatches}
        filterLabel="筛选冲突"
        render={(c) => (
        <div key={c.rowId} className="row-block" data-testid="import-conflict" data-measure-id={c.rowId}>
          <div className="row-head">
            <span className="measure-id">{c.rowId}</span>
            <span className="row-text" title={c.text}>
              {c.text}
            </span>
            <span className="muted small">第 {c.row} 行</span>
            <span className="row-btns">
              <button className="btn small-btn" onClick={() => setRow(c.rowId, c.fields, 'keep')}>
                本行保留本库
              </button>
              <button className="btn small-btn" onClick={() => setRow(c.rowId, c.fields, 'take')}>
                本行采用台账
              </button>
            </span>
          </div>
          <table className="diff-table">
            <thead>
              <tr>
                <th style={{ width: 90 }}>项目</th>
                <th>{baseLabel}</th>
                <th>本库现值</th>
                <th>台账填报</th>
                <th style={{ width: 210 }}>处理</th>
              </tr>
            </thead>
            <tbody>
              {c.fields.map((f) => {
                const ch = choiceOf(c.rowId, f.field);
                return (
                  <tr key={f.field} data-field={f.field}>
                    <td>{f.header}</td>
                    <td className="base">
                      <Value text={f.old} />
                    </td>
                    <td className={ch === 'keep' ? 'chosen' : 'dropped-val'}>
                      <Value text={f.ours ?? ''} />
                    </td>
                    <td className={ch === 'take' ? 'chosen' : 'dropped-val'}>
                      <Value text={f.new} />
                    </td>
                    <td>
                      <div className="seg nowrap" role="radiogroup" aria-label={`${c.rowId} ${f.header}`}>
                        {(['keep', 'take'] as const).map((x) => (
                          <label key={x} className={`seg-opt${ch === x ? ' on' : ''}`}>
                            <input
                              type="radio"
                              name={`${group}cf-${c.rowId}-${f.field}`}
                              value={x}
                              data-testid={`conflict-${x}`}
                              checked={ch === x}
                              onChange={() => setChoice(c.rowId, f.field, x)}
                            />
                            {x === 'keep' ? '保留本库' : '采用台账'}
                          </label>
                        ))}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        )}
      />
    </section>
  );
}
