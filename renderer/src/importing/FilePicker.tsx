// Step 1 of 导入台账: choose or drop a file (its name and size shown), the reading's progress, and
// what went wrong, saying that nothing in the database changed.
import { useState } from 'react';
import { BusyBar, formatBytes } from '../components/Busy';
import { ACCEPT, type ImportFlow } from './useImportFlow';

export function FilePicker({ fl }: { fl: ImportFlow }) {
  const { preview, file, busy, error, load, inputRef } = fl;
  const [drag, setDrag] = useState(false);
  return (
    <section className="card wide-card">
      <div
        className={`drop-zone${drag ? ' drag' : ''}${preview ? ' compact' : ''}`}
        data-testid="import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDrag(false);
          const f = e.dataTransfer.files[0];
          if (f) void load(f);
        }}
      >
        <div className="drop-main">
          <label className={`btn${preview ? '' : ' primary'}`} htmlFor="import-file-input">
            {preview ? '换一个文件…' : '选择台账文件…'}
          </label>
          <input
            ref={inputRef}
            id="import-file-input"
            className="visually-hidden"
            type="file"
            accept={ACCEPT}
            data-testid="import-file"
            disabled={!!busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void load(f);
            }}
          />
          <span className="muted">或把文件拖到这里</span>
          {preview && file && (
            <span className="file-chip">
              {file.name} · {formatBytes(file.size)}
            </span>
          )}
        </div>
        <div className="muted small drop-help">
          支持 Excel（.xlsx、.xls）、WPS 表格（.et）、CSV（UTF-8 或 GBK），不超过 50 MB。按“编号”列对应措施；列的顺序、名称略有不同也能识别。
        </div>
        {file && !preview && (
          <div className="file-chip">
            {file.name} · {formatBytes(file.size)}
          </div>
        )}
      </div>
      {busy && <BusyBar label={busy} testId="import-busy" />}
      {error && (
        <div className="notice notice-error" role="alert" data-testid="import-failed">
          {error}
          <div className="muted small">本库没有任何改动。</div>
        </div>
      )}
    </section>
  );
}
