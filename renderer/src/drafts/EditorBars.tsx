// The bars above the outline: save state and export (with its progress, result or failure), and the
// insert toolbar (heading of a level, paragraph, cited measure, live table).
import type { HeadingLevel, TableKind } from '../../../shared/drafts';
import { TABLE_KIND_LABELS, TABLE_KINDS } from '../../../shared/drafts';
import { BusyBar, formatBytes, formatTime } from '../components/Busy';
import type { SaveState } from './BlockText';
import { LEVEL_LABELS } from './model';
import type { DraftExport } from './useDraftExport';

function saveLabelOf(saveStates: Record<number, SaveState>, lastSaved: string | null) {
  const states = Object.values(saveStates);
  return states.includes('error')
    ? { cls: 'st-error', text: '有段落保存失败（内容保留在编辑框中，将重试）' }
    : states.includes('saving')
      ? { cls: 'st-saving', text: '保存中…' }
      : states.includes('dirty')
        ? { cls: 'st-dirty', text: '正在输入，停顿后自动保存' }
        : { cls: 'st-saved', text: lastSaved ? `已保存 ${formatTime(lastSaved).slice(11)}` : '已保存' };
}

export function SaveExportBar({ saveStates, lastSaved, exp }: { saveStates: Record<number, SaveState>; lastSaved: string | null; exp: DraftExport }) {
  const saveLabel = saveLabelOf(saveStates, lastSaved);
  const { exporting, done, error, cancelled } = exp;
  return (
    <>
      <div className="editor-bar">
        <span className={`save-state ${saveLabel.cls}`} data-testid="draft-save-state" aria-live="polite">
          {saveLabel.text}
        </span>
        <span className="spacer" />
        <button className="btn" data-testid="draft-export-docx" disabled={!!exporting} onClick={() => void exp.runExport('special-plan.docx')}>
          导出 Word
        </button>
        <button className="btn" data-testid="draft-export-xlsx" disabled={!!exporting} onClick={() => void exp.runExport('draft-tables.xlsx')}>
          导出附件表格
        </button>
      </div>
      {(exporting || done || error || cancelled) && (
        <div className="export-strip">
          {exporting && <BusyBar label={exporting} testId="draft-export-progress" />}
          {!exporting && error && (
            <div className="notice notice-error" role="alert" data-testid="draft-export-error">
              导出失败：{error}
            </div>
          )}
          {!exporting && cancelled && <div className="notice">已取消：没有保存文件。</div>}
          {!exporting && done && !error && !cancelled && (
            <div className="notice export-done" data-testid="draft-export-result">
              <span className="ok-mark" aria-hidden="true">
                ✓
              </span>
              <span>
                已导出{done.label}：<code className="mono" data-testid="draft-export-path">{done.result.path}</code>（{done.result.rows} 行 ·{' '}
                {formatBytes(done.result.bytes)}）
              </span>
              <button className="btn small-btn" onClick={() => void exp.openFolder()}>
                打开所在文件夹
              </button>
              <button className="icon-btn" aria-label="关闭" onClick={() => exp.setDone(null)}>
                ×
              </button>
              {done.folder && <div className="export-folder">此处无法直接打开文件夹，请在文件管理器中打开：<code className="mono">{done.folder}</code></div>}
            </div>
          )}
        </div>
      )}
    </>
  );
}

export function InsertBar(p: {
  level: HeadingLevel;
  onLevel: (l: HeadingLevel) => void;
  table: TableKind;
  onTable: (k: TableKind) => void;
  busy: boolean;
  onHeading: () => void;
  onPara: () => void;
  onCitation: () => void;
  onInsertTable: () => void;
}) {
  return (
    <div className="insert-bar" role="toolbar" aria-label="插入">
      <span className="muted small">在所选内容后插入：</span>
      <select className="input" aria-label="标题级别" data-testid="insert-level" value={p.level} onChange={(e) => p.onLevel(Number(e.target.value) as HeadingLevel)}>
        {([1, 2, 3, 4] as const).map((l) => (
          <option key={l} value={l}>
            {LEVEL_LABELS[l]}
          </option>
        ))}
      </select>
      <button className="btn" data-testid="insert-heading" onClick={p.onHeading}>
        标题
      </button>
      <button className="btn" data-testid="insert-para" onClick={p.onPara}>
        段落
      </button>
      <button className="btn" data-testid="insert-citation" onClick={p.onCitation}>
        引用规划措施…
      </button>
      <select className="input" aria-label="表格类型" data-testid="insert-table-kind" value={p.table} onChange={(e) => p.onTable(e.target.value as TableKind)}>
        {TABLE_KINDS.map((k) => (
          <option key={k} value={k}>
            {TABLE_KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <button className="btn" data-testid="insert-table" onClick={p.onInsertTable}>
        表格
      </button>
      <span className="spacer" />
      <span className="muted small kbd-hint" title="选中段落（点击左侧空白或按 Esc 离开输入框）后：↑↓ 选择，Enter 编辑，Delete 删除">
        Alt+↑↓ 移动 · Tab 标题级别 · Delete 删除
      </span>
      {p.busy && <span className="spinner" aria-label="正在处理" />}
    </div>
  );
}
