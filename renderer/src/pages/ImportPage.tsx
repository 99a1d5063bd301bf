// 导入台账: choose a returned ledger → preview what it would change (conflicts, errors) → apply.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Department } from '../../../shared/domain';
import type { FieldChange, ImportPreview, ImportSummary } from '../../../shared/import';
import { call, errorMessage } from '../api';
import { useToast } from '../components/Toast';
import { BusyBar, formatBytes, formatTime } from '../components/Busy';
import { Paged } from '../components/Paged';
import { DeptNameMapping } from '../components/DeptNameMapping';

const MAX_BYTES = 50 * 1024 * 1024;
const ACCEPT = '.xlsx,.xls,.et,.csv';
const ACCEPT_RE = /\.(xlsx|xls|et|csv)$/i;

type Choice = 'keep' | 'take';
type Preview = ImportPreview & { previewId: string };

/** The file as base64, encoded by the browser's file reader (not in a script task of the page). */
function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => {
      const url = String(fr.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    fr.onerror = () => reject(new Error(`无法读取“${file.name}”：${fr.error?.message ?? '文件不可读'}`));
    fr.readAsDataURL(file);
  });
}

/** a change or conflict row matches a filter text by its measure id or text */
const rowMatches = (r: { measureId: string; text: string }, q: string) => r.measureId.startsWith(q) || r.text.includes(q);
const idMatches = (id: string, q: string) => id.startsWith(q);

/** measure ids, 300 at a time, with a filter */
function IdList({ ids, testId }: { ids: readonly string[]; testId: string }) {
  return (
    <div className="id-list" data-testid={testId}>
      <Paged
        items={ids}
        step={300}
        unit="个"
        matches={idMatches}
        filterLabel="筛选编号"
        render={(id) => (
          <span key={id} className="measure-id">
            {id}
          </span>
        )}
      />
    </div>
  );
}

function Value({ text }: { text: string }) {
  return text ? <span className="val">{text}</span> : <span className="val empty">（空）</span>;
}

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
  const toast = useToast();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; size: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [drag, setDrag] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [onConflict, setOnConflict] = useState<Choice>('keep');
  const [perField, setPerField] = useState<Record<string, Record<string, Choice>>>({});
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  // while the page is open (and after each file) a reader thread is started ahead of the next file
  const [readerUsed, setReaderUsed] = useState(0);
  useEffect(() => {
    if (active) call('import.prepare', {}).catch(() => undefined);
  }, [active, readerUsed]);
  const [errorsShown, setErrorsShown] = useState(200);
  // the file as sent, kept to preview it again with departments chosen for its unknown names
  const sent = useRef<{ name: string; base64: string } | null>(null);
  const [deptMap, setDeptMap] = useState<Record<string, number>>({});
  const deptById = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setSummary(null);
    setError('');
    setPerField({});
    setOnConflict('keep');
    setErrorsShown(200);
    sent.current = null;
    setDeptMap({});
    if (inputRef.current) inputRef.current.value = '';
  };

  const load = useCallback(
    async (f: File) => {
      setError('');
      setPreview(null);
      setSummary(null);
      setPerField({});
      setOnConflict('keep');
      setErrorsShown(200);
      sent.current = null;
      setDeptMap({});
      setFile({ name: f.name, size: f.size });
      if (!ACCEPT_RE.test(f.name)) {
        setError(`“${f.name}”不是台账文件：请选择 Excel（.xlsx、.xls）、WPS 表格（.et）或 CSV 文件。`);
        return;
      }
      if (f.size > MAX_BYTES) {
        setError(`文件过大（${formatBytes(f.size)}），台账文件不能超过 50 MB。请删去无关的工作表或图片后再导入。`);
        return;
      }
      if (f.size === 0) {
        setError(`“${f.name}”是空文件（0 字节），请确认选对了文件。`);
        return;
      }
      setBusy(`正在读取并比对“${f.name}”（${formatBytes(f.size)}）…`);
      try {
        const base64 = await fileToBase64(f);
        // a task boundary between making the text of a large file and sending it: two short tasks, not one long
        await new Promise((r) => setTimeout(r, 0));
        const p = await call('import.preview', { fileName: f.name, base64 });
        sent.current = { name: f.name, base64 };
        setPreview(p);
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(null);
        setReaderUsed((n) => n + 1);
      }
    },
    [],
  );

  /** the same file again, with the departments chosen for names the directory does not know */
  const remap = async (map: Record<string, number>) => {
    const f = sent.current;
    if (!f || busy) return;
    setBusy(`正在按所选单位重新比对“${f.name}”…`);
    setError('');
    try {
      const p = await call('import.preview', { fileName: f.name, base64: f.base64, deptMap: map });
      setDeptMap(map);
      setPreview(p);
      setPerField({});
      setErrorsShown(200);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      setReaderUsed((n) => n + 1);
    }
  };

  const choiceOf = (measureId: string, field: string): Choice => perField[measureId]?.[field] ?? onConflict;
  const setChoice = (measureId: string, field: string, c: Choice) =>
    setPerField((p) => ({ ...p, [measureId]: { ...(p[measureId] ?? {}), [field]: c } }));
  const setRow = (measureId: string, fields: FieldChange[], c: Choice) =>
    setPerField((p) => ({ ...p, [measureId]: Object.fromEntries(fields.map((f) => [f.field, c])) }));

  const apply = async () => {
    if (!preview || busy) return;
    const choices: Record<string, Record<string, Choice>> = {};
    for (const c of preview.conflicts) choices[c.measureId] = Object.fromEntries(c.fields.map((f) => [f.field, choiceOf(c.measureId, f.field)]));
    setBusy('正在写入数据库…');
    setError('');
    try {
      const s = await call('import.apply', { previewId: preview.previewId, choices: { onConflict, perField: choices } });
      setSummary(s);
      onApplied();
      toast.show(`导入完成：更新 ${s.changed} 条措施`, 'success');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      // the apply stopped the spare reader (what it had read ahead is stale now): start another
      setReaderUsed((n) => n + 1);
    }
  };

  const step = summary ? 3 : preview ? 2 : 1;
  const takeCount = preview ? preview.conflicts.reduce((n, c) => n + c.fields.filter((f) => choiceOf(c.measureId, f.field) === 'take').length, 0) : 0;
  const conflictFields = preview ? preview.conflicts.reduce((n, c) => n + c.fields.length, 0) : 0;
  const hasErrors = !!preview && preview.errors.length > 0;
  const nothing = !!preview && preview.changes.length === 0 && preview.conflicts.length === 0;

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

      {!summary && (
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
      )}

      {preview && !summary && (
        <div className="import-preview" data-testid="import-preview">
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

          <DeptNameMapping key={preview.previewId} errors={preview.errors} departments={departments} applied={deptMap} busy={!!busy} onApply={(m) => void remap(m)} />

          {preview.errors.length > 0 && (
            <section className="card wide-card section-bad">
              <h3>错误（{preview.errors.length}）</h3>
              <p className="hint">
                以下单元格无法识别。请在台账中改正后重新选择文件{preview.errors.some((e) => e.deptName) ? '，未识别的单位也可在上方为本文件选择' : ''}；改正之前不会写入任何内容。
              </p>
              <table className="diff-table">
                <thead>
                  <tr>
                    <th style={{ width: 90 }}>位置</th>
                    <th style={{ width: 110 }}>列</th>
                    <th>问题</th>
                    <th style={{ width: 280 }}>可能是</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.slice(0, errorsShown).map((e, i) => (
                    <tr key={i} data-testid="import-error">
                      <td>
                        第 {e.row} 行{e.cell ? <span className="muted small">（{e.cell}）</span> : null}
                      </td>
                      <td>{e.column}</td>
                      <td>{e.message}</td>
                      <td>{e.suggestions?.length ? e.suggestions.join('、') : <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.errors.length > errorsShown && (
                <div className="paged-foot" role="status">
                  <span className="muted small">
                    已显示 {errorsShown} / {preview.errors.length} 处
                  </span>
                  <button className="btn small-btn" onClick={() => setErrorsShown((n) => n + 200)}>
                    再显示 {Math.min(200, preview.errors.length - errorsShown)} 处
                  </button>
                </div>
              )}
            </section>
          )}

          {preview.conflicts.length > 0 && (
            <section className="card wide-card section-warn">
              <div className="preview-head">
                <h3>冲突（{preview.conflicts.length} 条措施，{conflictFields} 处）</h3>
                <div className="seg" role="radiogroup" aria-label="冲突默认处理" data-testid="import-conflict-default">
                  <span className="muted small">默认：</span>
                  {(['keep', 'take'] as const).map((c) => (
                    <label key={c} className={`seg-opt${onConflict === c ? ' on' : ''}`}>
                      <input type="radio" name="conflict-default" value={c} checked={onConflict === c} onChange={() => setOnConflict(c)} />
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
              <p className="hint">导出台账之后，本库和台账都改了同一项。请逐项选择保留本库的现值，还是采用台账填报的值。当前将采用台账 {takeCount} 处，保留本库 {conflictFields - takeCount} 处。</p>
              <Paged
                key={preview.previewId}
                items={preview.conflicts}
                unit="条措施"
                matches={rowMatches}
                filterLabel="筛选冲突"
                render={(c) => (
                <div key={c.measureId} className="row-block" data-testid="import-conflict" data-measure-id={c.measureId}>
                  <div className="row-head">
                    <span className="measure-id">{c.measureId}</span>
                    <span className="row-text" title={c.text}>
                      {c.text}
                    </span>
                    <span className="muted small">第 {c.row} 行</span>
                    <span className="row-btns">
                      <button className="btn small-btn" onClick={() => setRow(c.measureId, c.fields, 'keep')}>
                        本行保留本库
                      </button>
                      <button className="btn small-btn" onClick={() => setRow(c.measureId, c.fields, 'take')}>
                        本行采用台账
                      </button>
                    </span>
                  </div>
                  <table className="diff-table">
                    <thead>
                      <tr>
                        <th style={{ width: 90 }}>项目</th>
                        <th>导出时</th>
                        <th>本库现值</th>
                        <th>台账填报</th>
                        <th style={{ width: 210 }}>处理</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.fields.map((f) => {
                        const ch = choiceOf(c.measureId, f.field);
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
                              <div className="seg nowrap" role="radiogroup" aria-label={`${c.measureId} ${f.header}`}>
                                {(['keep', 'take'] as const).map((x) => (
                                  <label key={x} className={`seg-opt${ch === x ? ' on' : ''}`}>
                                    <input
                                      type="radio"
                                      name={`cf-${c.measureId}-${f.field}`}
                                      value={x}
                                      data-testid={`conflict-${x}`}
                                      checked={ch === x}
                                      onChange={() => setChoice(c.measureId, f.field, x)}
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
          )}

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
                <div key={c.measureId} className="row-block" data-testid="import-change" data-measure-id={c.measureId}>
                  <div className="row-head">
                    <span className="measure-id">{c.measureId}</span>
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

          <div className="apply-bar">
            {hasErrors ? (
              <span className="form-error" data-testid="import-blocked">
                台账有 {preview.errors.length} 处错误，改正（或为未识别的单位选择所指单位）之前不会写入任何内容。
              </span>
            ) : nothing ? (
              <span className="muted">没有需要写入的内容。</span>
            ) : (
              <span className="muted">
                将更新 {preview.changes.length + preview.conflicts.filter((c) => c.fields.some((f) => choiceOf(c.measureId, f.field) === 'take')).length} 条措施，全部写入或全部不写，每项修改记入操作记录。
              </span>
            )}
            <span className="spacer" />
            <button className="btn" onClick={reset} disabled={!!busy}>
              重新选择
            </button>
            <button className="btn primary big" data-testid="import-apply" disabled={hasErrors || nothing || !!busy} onClick={() => void apply()}>
              确认导入
            </button>
          </div>
          {busy && <BusyBar label={busy} />}
        </div>
      )}

      {summary && (
        <section className="card wide-card" data-testid="import-summary">
          <div className="result-title">
            <span className="ok-mark" aria-hidden="true">
              ✓
            </span>
            导入完成{file ? `：${file.name}` : ''}
          </div>
          <div className="counts">
            <div className="count">
              <b>{summary.changed}</b>
              <span>条措施已更新</span>
            </div>
            <div className="count">
              <b>{summary.unchanged}</b>
              <span>条无变化</span>
            </div>
            <div className="count">
              <b>{summary.conflicts}</b>
              <span>条有冲突（已按所选处理）</span>
            </div>
            {summary.unknownIds.length > 0 && (
              <div className="count warn">
                <b>{summary.unknownIds.length}</b>
                <span>个未知编号（已忽略）</span>
              </div>
            )}
          </div>
          <p className="hint">每项修改都已记入操作记录（操作：导入台账）。任务分工表已刷新，显示导入后的值。</p>
          <div className="form-actions left">
            <button className="btn primary" data-testid="import-open-alloc" onClick={onOpenAlloc}>
              前往任务分工查看
            </button>
            <button className="btn" data-testid="import-again" onClick={reset}>
              导入另一个台账
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
