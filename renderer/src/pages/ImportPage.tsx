// 导入台账: choose a returned ledger → preview what it would change (conflicts, errors) → apply.
// The steps' state is importing/useImportFlow; each part of the preview is its own component there.
import type { Department } from '../../../shared/domain';
import { BusyBar } from '../components/Busy';
import { DeptNameMapping } from '../components/DeptNameMapping';
import { ApplyBar } from '../importing/ApplyBar';
import { FilePicker } from '../importing/FilePicker';
import { ImportChanges } from '../importing/ImportChanges';
import { ImportConflicts } from '../importing/ImportConflicts';
import { ImportDone } from '../importing/ImportDone';
import { ImportErrors } from '../importing/ImportErrors';
import { PreviewHead } from '../importing/PreviewHead';
import { useImportFlow } from '../importing/useImportFlow';

export function ImportPage({
  active = true,
  departments,
  onApplied,
  onOpenAlloc,
}: {
  active?: boolean;
  departments: Department[];
  onApplied: () => void;
  onOpenAlloc: () => void;
}) {
  const fl = useImportFlow({ active, departments, onApplied });
  const { preview, summary, step, busy, deptMap, file } = fl;

  return (
    <div className="doc-page" data-testid="import-page">
      <div className="page-head">
        <h2>导入台账</h2>
        <span className="muted">把部门填报后交回的台账合并进本库：先预览，确认后一次写入</span>
      </div>
      <ol className="steps" aria-label="导入步骤">
        {['选择文件', '预览与确认', '完成'].map((s, i) => (
          <li key={s} className={step === i + 1 ? 'current' : step > i + 1 ? 'done' : ''} aria-current={step === i + 1 ? 'step' : undefined}>
            <span className="step-no">{step > i + 1 ? '✓' : i + 1}</span>
            {s}
          </li>
        ))}
      </ol>

      {!summary && <FilePicker fl={fl} />}

      {preview && !summary && (
        <div className="import-preview" data-testid="import-preview">
          <PreviewHead preview={preview} />
          <DeptNameMapping key={preview.previewId} errors={preview.errors} departments={departments} applied={deptMap} busy={!!busy} onApply={(m) => void fl.remap(m)} />
          {preview.errors.length > 0 && <ImportErrors preview={preview} fl={fl} />}
          {preview.conflicts.length > 0 && <ImportConflicts preview={preview} fl={fl} />}
          <ImportChanges preview={preview} fl={fl} />
          <ApplyBar preview={preview} fl={fl} />
          {busy && <BusyBar label={busy} />}
        </div>
      )}

      {summary && <ImportDone summary={summary} fileName={file ? file.name : null} onOpenAlloc={onOpenAlloc} onAgain={fl.reset} />}
    </div>
  );
}
