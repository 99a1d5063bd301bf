// What the import would change (old → new per field, a lead to a retired unit flagged), the rows out
// of the ledger's export scope, the ids this database does not know and the rows deleted from it.
import { Paged } from '../components/Paged';
import { IdList, Value, rowMatches } from './parts';
import type { ImportFlow, Preview } from './useImportFlow';

export function ImportChanges({ preview, fl }: { preview: Preview; fl: ImportFlow }) {
  const { deptById } = fl;
  return (
    <>
      <section className="card wide-card">
        <h3>修改（{preview.changes.length} 条措施）</h3>
        {preview.changes.length === 0 ? (
          <p className="muted">台账中没有与本库不同的内容{preview.conflicts.length ? '（冲突见上）' : ''}。</p>
        ) : (
          <Paged
            key={preview.previewId}
            items={preview.changes}
            unit="条措施"
            matches={rowMatches}
            filterLabel="筛选修改"
            render={(c) => (
            <div key={c.rowId} className="row-block" data-testid="import-change" data-measure-id={c.rowId}>
              <div className="row-head">
                <span className="measure-id">{c.rowId}</span>
                <span className="row-text" title={c.text}>
                  {c.text}
                </span>
                <span className="muted small">第 {c.row} 行</span>
              </div>
              <table className="diff-table">
                <tbody>
                  {c.changes.map((f) => (
                    <tr key={f.field} data-field={f.field}>
                      <td style={{ width: 90 }}>{f.header}</td>
                      <td className="old">
                        <Value text={f.old} />
                      </td>
                      <td className="arrow" aria-label="改为">
                        →
                      </td>
                      <td className="new">
                        <Value text={f.new} />
                        {f.field === 'lead' && typeof f.value === 'number' && deptById.get(f.value)?.state !== '在用' && (
                          <span className="tag bad">该单位已停用</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            )}
          />
        )}
      </section>

      {(preview.outOfScope ?? []).length > 0 && (
        <section className="card wide-card">
          <h3>不在导出范围内的行（{preview.outOfScope.length}），不予导入</h3>
          <p className="hint">这些{preview.ledgerKind === 'projects' ? '项目' : '措施'}不在这份台账导出时的范围内，交回的内容不会写入。其他单位负责的内容请由其本单位报送。</p>
          <ul className="warnings" data-testid="import-out-of-scope">
            {preview.outOfScope.slice(0, 200).map((o) => (
              <li key={o.id}>
                第 {o.row} 行 <span className="measure-id">{o.id}</span>：{o.reason}
              </li>
            ))}
            {preview.outOfScope.length > 200 && <li>…… 等共 {preview.outOfScope.length} 行</li>}
          </ul>
        </section>
      )}

      {(preview.unknownIds.length > 0 || preview.dropped.length > 0) && (
        <section className="card wide-card">
          {preview.unknownIds.length > 0 && (
            <>
              <h3>未知编号（{preview.unknownIds.length}）</h3>
              <p className="hint">本库没有这些编号的措施，这些行将被忽略。可能是编号被改动或是新增的行。</p>
              <IdList key={preview.previewId} ids={preview.unknownIds} testId="import-unknown" />
            </>
          )}
          {preview.dropped.length > 0 && (
            <>
              <h3 className={preview.unknownIds.length ? 'doc-sub' : undefined}>台账中被删去的行（{preview.dropped.length}）</h3>
              <p className="hint">导出时在台账范围内、交回时却没有的措施。导入不会删除任何措施，这些措施保持原样。</p>
              <IdList key={preview.previewId} ids={preview.dropped} testId="import-dropped" />
            </>
          )}
        </section>
      )}
    </>
  );
}
