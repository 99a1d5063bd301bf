// The export centre's right column: the latest exported file (path, scope, rows, download, open its
// folder) and the list of every export, from the database.
import { exportDownloadUrl } from '../api';
import { formatBytes, formatTime } from '../components/Busy';
import { labelOf, unitOf } from './kinds';
import type { ExportRun } from './useExportRun';

export function ExportResults({ x }: { x: ExportRun }) {
  const { done, folders, openFolder, copy } = x;
  const latest = done?.[0];
  return (
    <section className="card doc-card doc-side">
      <h3>导出结果</h3>
      {latest ? (
        <div className="export-result" data-testid="export-result">
          <div className="result-title">
            <span className="ok-mark" aria-hidden="true">
              ✓
            </span>
            已导出《{labelOf(latest.kind)}》
          </div>
          <dl className="info">
            <dt>文件</dt>
            <dd className="mono" data-testid="export-path">
              {latest.path}
            </dd>
            <dt>范围</dt>
            <dd>{latest.scope || '—'}</dd>
            <dt>内容</dt>
            <dd>
              {latest.rows} {unitOf(latest.kind)} · {formatBytes(latest.bytes)}
              {typeof latest.suggested === 'number' && latest.suggested > 0 && (
                <span className="muted small">（含未确认的建议牵头单位 {latest.suggested} 项）</span>
              )}
            </dd>
          </dl>
          <div className="form-actions left">
            {exportDownloadUrl(latest.id) && latest.exists && (
              <a className="btn primary" data-testid="export-download" href={exportDownloadUrl(latest.id)!} download={latest.fileName}>
                下载文件
              </a>
            )}
            <button className="btn" data-testid="export-open-folder" onClick={() => void openFolder(latest)}>
              打开所在文件夹
            </button>
          </div>
          {!latest.exists && <div className="notice notice-warn">该文件已被移动或删除。</div>}
          {folders[latest.id] && (
            <div className="notice" data-testid="export-folder">
              此处无法直接打开文件夹，请复制路径后在文件管理器中打开：
              <div className="copy-row">
                <code className="mono">{folders[latest.id]}</code>
                <button className="btn small-btn" onClick={() => void copy(folders[latest.id])}>
                  复制
                </button>
              </div>
            </div>
          )}
        </div>
      ) : (
        <p className="muted">
          选择文档类型和范围后点击“导出”。{exportDownloadUrl(0) ? '浏览器版中文件保存在导出文件夹，并同时下载。' : '在桌面程序中会询问保存位置。'}
        </p>
      )}

      <h3 className="doc-sub">导出记录</h3>
      {done === null ? (
        <p className="muted small">正在读取导出记录…</p>
      ) : done.length === 0 ? (
        <p className="muted small">尚未导出文件。</p>
      ) : (
        <ul className="history" data-testid="export-history">
          {done.map((d) => (
            <li key={d.id}>
              <span className={`kind-format fmt-${d.kind.endsWith('xlsx') ? 'Excel' : 'Word'}`}>{d.kind.endsWith('xlsx') ? 'Excel' : 'Word'}</span>
              <span className="history-main">
                <span className="history-name" title={d.path}>
                  {d.fileName}
                  {!d.exists && <span className="muted small">（已不存在）</span>}
                </span>
                <span className="muted small">
                  {formatTime(d.at)} · {d.scope || labelOf(d.kind)} · {d.rows} {unitOf(d.kind)}
                </span>
              </span>
              {exportDownloadUrl(d.id) && d.exists && (
                <a className="link" href={exportDownloadUrl(d.id)!} download={d.fileName}>
                  下载
                </a>
              )}
              <button className="link" onClick={() => void openFolder(d)}>
                打开文件夹
              </button>
              {folders[d.id] && d !== latest && <code className="mono history-folder">所在文件夹：{folders[d.id]}</code>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
