// The preview's first card: the file (type, sheet, header row, rows), when and for what scope it was
// exported, two-way or three-way comparison, missing or ignored columns, the counts and warnings.
import { formatTime } from '../components/Busy';
import type { Preview } from './useImportFlow';

export function PreviewHead({ preview }: { preview: Preview }) {
  return (
    <section className="card wide-card">
      <div className="preview-head">
        <h3>预览：{preview.fileName}</h3>
        <span className={`mode-tag ${preview.mode}`} data-testid="import-mode">
          {preview.mode === 'three-way' ? '三方比对' : '二方比对'}
        </span>
      </div>
      <dl className="info info-wide">
        <dt>文件</dt>
        <dd>
          {preview.fileType.toUpperCase()} · 工作表“{preview.sheet}” · 表头在第 {preview.headerRow} 行 · 数据 {preview.rows} 行
        </dd>
        {preview.meta && (
          <>
            <dt>导出时</dt>
            <dd>
              {formatTime(preview.meta.exportedAt)} 导出 · 范围：{preview.meta.scopeLabel} · 共 {preview.meta.ids.length} 条
            </dd>
          </>
        )}
        <dt>比对方式</dt>
        <dd>
          {preview.mode === 'three-way'
            ? '三方比对：台账记录了导出时的原值，能分清哪些是部门改的、哪些是本库此后改的；两边都改了的列为冲突。'
            : '二方比对：台账没有导出时的原值，只能与本库现值直接比较，凡不同处都视为部门的修改。'}
        </dd>
        {preview.missingColumns.length > 0 && (
          <>
            <dt>缺少的列</dt>
            <dd>{preview.missingColumns.join('、')}（这些内容保持不变）</dd>
          </>
        )}
        {preview.ignoredColumns.length > 0 && (
          <>
            <dt>忽略的列</dt>
            <dd>{preview.ignoredColumns.join('、')}</dd>
          </>
        )}
      </dl>
      <div className="counts" data-testid="import-counts">
        <div className="count">
          <b>{preview.changes.length}</b>
          <span>条措施有修改</span>
        </div>
        <div className="count">
          <b>{preview.summary.unchanged}</b>
          <span>条无变化</span>
        </div>
        <div className={`count${preview.conflicts.length ? ' warn' : ''}`}>
          <b>{preview.conflicts.length}</b>
          <span>条有冲突</span>
        </div>
        <div className={`count${preview.unknownIds.length ? ' warn' : ''}`}>
          <b>{preview.unknownIds.length}</b>
          <span>个未知编号</span>
        </div>
        <div className={`count${preview.dropped.length ? ' warn' : ''}`}>
          <b>{preview.dropped.length}</b>
          <span>条被删去</span>
        </div>
        <div className={`count${preview.errors.length ? ' bad' : ''}`}>
          <b>{preview.errors.length}</b>
          <span>处错误</span>
        </div>
      </div>
      {preview.warnings.length > 0 && (
        <ul className="warnings" data-testid="import-warnings">
          {preview.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
