// 导出中心: Word documents (分工方案, 进展情况报告, 部门任务清单) and the Excel 台账 (措施, 项目, 指标).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CITIES, type City, type Department, type PlanTreeNode } from '../../../shared/domain';
import type { ExportedFile, ExportKind, ExportProgressEvent, ReportLogEntry } from '../../../shared/ipc/contract';
import type { UnconfirmedMode } from '../../../shared/ledger';
import { ApiError, call, errorMessage, eventsReady, exportDownloadUrl, onEvent } from '../api';
import { useToast } from '../components/Toast';
import { DeptCombo } from '../components/DeptCombo';
import { chinaToday, formatBytes, formatTime } from '../components/Busy';

interface KindInfo {
  kind: ExportKind;
  label: string;
  format: 'Word' | 'Excel';
  desc: string;
  /** which options apply */
  dept: 'none' | 'optional' | 'required';
  role: boolean;
  city: boolean;
  chapter: boolean;
  date: '' | 'report' | 'signed';
  due: boolean;
  title: string;
  preamble: boolean;
  rowsUnit: string;
}

const KINDS: KindInfo[] = [
  {
    kind: 'allocation.docx',
    label: '任务分工方案',
    format: 'Word',
    desc: '标题、导语，按章列出 序号/重点任务/具体措施/牵头单位/配合单位/完成时限',
    dept: 'optional',
    role: true,
    city: true,
    chapter: true,
    date: '',
    due: false,
    title: '长株潭都市圈发展规划重点任务分工方案',
    preamble: true,
    rowsUnit: '项具体措施',
  },
  {
    kind: 'briefing.docx',
    label: '工作进展情况报告',
    format: 'Word',
    desc: '按报告日期时各措施的状态和进展成文，并与上一次报告比较',
    dept: 'optional',
    role: true,
    city: true,
    chapter: true,
    date: 'report',
    due: false,
    title: '长株潭都市圈发展规划重点任务工作进展情况报告',
    preamble: false,
    rowsUnit: '项措施',
  },
  {
    kind: 'dept-letter.docx',
    label: '部门任务清单',
    format: 'Word',
    desc: '发给一个部门的通知：其牵头和配合的措施清单，随台账一并下发',
    dept: 'required',
    role: false,
    city: true,
    chapter: true,
    date: 'signed',
    due: true,
    title: '关于报送长株潭都市圈发展规划重点任务落实情况的通知',
    preamble: false,
    rowsUnit: '项措施',
  },
  {
    kind: 'ledger.xlsx',
    label: '任务分工台账',
    format: 'Excel',
    desc: '可打印的台账，部门填写后可在“导入”中导回；编号列已锁定',
    dept: 'optional',
    role: false,
    city: true,
    chapter: true,
    date: '',
    due: false,
    title: '',
    preamble: false,
    rowsUnit: '行措施',
  },
  {
    kind: 'projects.xlsx',
    label: '重点建设项目台账',
    format: 'Excel',
    desc: '项目的类别、阶段、投资与形象进度，牵头单位填写后可在“导入”中导回；项目编号列已锁定',
    dept: 'optional',
    role: false,
    city: true,
    chapter: false,
    date: '',
    due: false,
    title: '',
    preamble: false,
    rowsUnit: '个项目',
  },
  {
    kind: 'indicators.xlsx',
    label: '目标指标表',
    format: 'Excel',
    desc: '2025年目标、2021年基期、历年实际值、最新值与状态，附规划原文依据',
    dept: 'none',
    role: false,
    city: false,
    chapter: false,
    date: '',
    due: false,
    title: '',
    preamble: false,
    rowsUnit: '项指标',
  },
];

const ROLE_LABEL = { all: '全部（牵头和配合）', lead: '牵头', co: '配合' } as const;

/** The scope of one document type: each type keeps its own (a department chosen for 部门任务清单 is not the scheme's). */
interface Scope {
  deptId?: number;
  role: 'all' | 'lead' | 'co';
  city: City | '';
  chapter: string;
}
const NO_SCOPE: Scope = { role: 'all', city: '', chapter: '' };

const UNCONFIRMED_LABEL: Record<UnconfirmedMode, string> = {
  mark: '标注为“建议”（推荐）',
  omit: '不列出未确认的牵头单位',
  plain: '照原样输出，不加标注',
};

/** Start a browser download of an exported file (the web version: no folder to show). */
function startDownload(url: string, fileName: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** What the progress line says for a phase of the export (electron/export/progress.ts). */
function progressText(label: string, p: ExportProgressEvent | null, cancelling: boolean): string {
  if (cancelling) return '正在取消导出…';
  if (p?.phase === 'rows' && p.total > 0) return `正在写入《${label}》：${p.done.toLocaleString('zh-CN')} / ${p.total.toLocaleString('zh-CN')} 行`;
  if (p?.phase === 'pack') return `正在压缩并保存《${label}》…`;
  return `正在生成《${label}》，措施较多时需要十几秒，可随时取消…`;
}

/** The export's progress: a bar that fills as rows are written (sliding while unknown) and 取消. */
function ExportProgressBar({ text, fraction, onCancel, cancelling }: { text: string; fraction: number | null; onCancel: () => void; cancelling: boolean }) {
  return (
    <div className="busy" role="status" aria-live="polite" data-testid="export-progress">
      <div className="busy-label">
        <span className="spinner" aria-hidden="true" />
        <span data-testid="export-progress-text">{text}</span>
        <button className="btn small-btn" data-testid="export-cancel" disabled={cancelling} onClick={onCancel} style={{ marginLeft: 'auto' }}>
          取消
        </button>
      </div>
      <div
        className="busy-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
        data-testid="export-progress-bar"
      >
        {fraction === null ? (
          <div className="busy-bar" />
        ) : (
          <div style={{ position: 'absolute', top: 0, bottom: 0, left: 0, width: `${(fraction * 100).toFixed(1)}%`, background: 'var(--primary)', borderRadius: 2 }} />
        )}
      </div>
    </div>
  );
}

function collectChapters(nodes: PlanTreeNode[], out: PlanTreeNode[] = []): PlanTreeNode[] {
  for (const n of nodes) {
    if (n.kind === 'chapter') out.push(n);
    else if (n.children.length) collectChapters(n.children, out);
  }
  return out;
}

export function ExportPage({ active, departments }: { active: boolean; departments: Department[] }) {
  const toast = useToast();
  const [kind, setKind] = useState<ExportKind>('allocation.docx');
  const [scopes, setScopes] = useState<Partial<Record<ExportKind, Scope>>>({});
  const { deptId, role, city, chapter } = scopes[kind] ?? NO_SCOPE;
  const setScope = (patch: Partial<Scope>) => setScopes((all) => ({ ...all, [kind]: { ...(all[kind] ?? NO_SCOPE), ...patch } }));
  const setDeptId = (v: number | undefined) => setScope({ deptId: v });
  const setRole = (v: Scope['role']) => setScope({ role: v });
  const setCity = (v: City | '') => setScope({ city: v });
  const setChapter = (v: string) => setScope({ chapter: v });
  /** suggested leads in the chosen scope (null: this kind names none; undefined: counting) */
  const [suggested, setSuggested] = useState<number | null | undefined>(undefined);
  const [unconfirmed, setUnconfirmed] = useState<UnconfirmedMode>('mark');
  const [plainConfirmed, setPlainConfirmed] = useState(false);
  const [date, setDate] = useState(chinaToday);
  const [dueDate, setDueDate] = useState('');
  const [title, setTitle] = useState('');
  const [preamble, setPreamble] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ExportProgressEvent | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const exportIdRef = useRef<string | null>(null);
  const [error, setError] = useState('');
  /** dialog: the save dialog was closed without a file; user: the export was cancelled with 取消 */
  const [cancelled, setCancelled] = useState<'dialog' | 'user' | null>(null);
  /** the list of exported files, from the database (it survives a reload) */
  const [done, setDone] = useState<ExportedFile[] | null>(null);
  /** folders to show for copying where they cannot be opened (web bridge), by export id */
  const [folders, setFolders] = useState<Record<number, string>>({});
  const [chapters, setChapters] = useState<PlanTreeNode[]>([]);
  const [reports, setReports] = useState<ReportLogEntry[] | null>(null);
  const info = KINDS.find((k) => k.kind === kind)!;
  const deptName = useCallback((id: number | undefined) => departments.find((d) => d.id === id)?.name ?? '', [departments]);

  useEffect(() => {
    call('plan.tree', {}).then(
      (tree) => setChapters(collectChapters(tree).filter((c) => Number(c.id) >= 3 && Number(c.id) <= 9)),
      (e: unknown) => toast.error(e),
    );
  }, [toast]);

  const loadReports = useCallback(async () => {
    try {
      setReports(await call('reports.list', { kind: 'briefing' }));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  // read the report log whenever the page is shown: reports may also come from the command line
  useEffect(() => {
    if (active) void loadReports();
  }, [active, loadReports]);

  const loadExports = useCallback(async () => {
    try {
      setDone(await call('export.list', {}));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  useEffect(() => {
    if (active) void loadExports();
  }, [active, loadExports]);

  // how many suggested leads this export would name: the warning says so before anything is written
  const scopeInput = useMemo(
    () => ({
      kind,
      ...(info.dept !== 'none' && deptId !== undefined ? { deptId } : {}),
      ...(info.role && deptId !== undefined ? { role } : {}),
      ...(info.city && city ? { city } : {}),
      ...(info.chapter && chapter ? { chapter: Number(chapter) } : {}),
    }),
    [kind, info, deptId, role, city, chapter],
  );
  useEffect(() => {
    if (!active) return;
    let live = true;
    setSuggested(undefined);
    if (info.dept === 'required' && deptId === undefined) return;
    call('export.suggestions', scopeInput).then(
      (r) => live && setSuggested(r.suggested),
      () => live && setSuggested(null),
    );
    return () => {
      live = false;
    };
  }, [active, scopeInput, info.dept, deptId]);
  // printing guesses as assignments is confirmed for one scope at a time
  useEffect(() => setPlainConfirmed(false), [scopeInput]);

  const base = useMemo(() => {
    if (!reports) return null;
    return [...reports].filter((r) => r.asOf < date).sort((a, b) => (a.asOf === b.asOf ? b.id - a.id : a.asOf < b.asOf ? 1 : -1))[0] ?? null;
  }, [reports, date]);

  const problems: string[] = [];
  if (info.dept === 'required' && deptId === undefined) problems.push('部门任务清单须选择一个部门');
  if (info.date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.push(info.date === 'report' ? '请填写报告日期' : '请填写落款日期');
  if (info.due && dueDate && date && dueDate < date) problems.push('回复期限不能早于落款日期');
  if (info.role && role !== 'all' && deptId === undefined) problems.push('按牵头或配合筛选时须选择一个部门');
  const hasSuggestions = typeof suggested === 'number' && suggested > 0;
  if (hasSuggestions && unconfirmed === 'plain' && !plainConfirmed) problems.push('照原样输出未确认的建议牵头单位，须先勾选确认');

  const scopeText = (): string => {
    const parts: string[] = [];
    if (info.dept !== 'none' && deptId !== undefined) parts.push(`${deptName(deptId)}${info.role && role !== 'all' ? `（${ROLE_LABEL[role]}）` : ''}`);
    if (city) parts.push(city);
    if (chapter) parts.push(chapters.find((c) => c.id === chapter)?.label.split(/\s/)[0] ?? `第${chapter}章`);
    if (!parts.length) parts.push(info.kind === 'projects.xlsx' ? '全部重点项目' : info.kind === 'indicators.xlsx' ? '全部目标指标' : '全部措施（第三章至第九章）');
    if (info.date === 'report') parts.push(`截至 ${date}`);
    return parts.join('，');
  };

  const run = async () => {
    if (busy || problems.length) return;
    setError('');
    setCancelled(null);
    setBusy(true);
    setProgress(null);
    setCancelling(false);
    // the export runs in a worker on the main side; its progress comes as export.progress events
    const exportId = crypto.randomUUID();
    exportIdRef.current = exportId;
    const off = onEvent('export.progress', (payload) => {
      const p = payload as ExportProgressEvent;
      if (p?.exportId === exportId) setProgress(p);
    });
    try {
      await eventsReady();
      const scope = scopeText();
      const input = {
        ...scopeInput,
        ...(hasSuggestions ? { unconfirmed } : {}),
        scopeLabel: scope,
        ...(info.date && date ? { date } : {}),
        ...(info.due && dueDate ? { dueDate } : {}),
        ...(info.title && title.trim() ? { title: title.trim() } : {}),
        ...(info.preamble && preamble.trim() ? { preamble: preamble.trim() } : {}),
        exportId,
      };
      const r = await call('export.run', input);
      if (!r) {
        setCancelled('dialog');
        return;
      }
      toast.show(`已导出：${r.fileName}`, 'success');
      // the browser version: the file is also offered as a download (it is kept in the export folder too)
      const url = r.id !== undefined ? exportDownloadUrl(r.id) : null;
      if (url) startDownload(url, r.fileName);
      void loadExports();
      if (kind === 'briefing.docx') void loadReports();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CANCELLED') setCancelled('user');
      else setError(errorMessage(e));
    } finally {
      off();
      exportIdRef.current = null;
      setBusy(false);
      setProgress(null);
      setCancelling(false);
    }
  };

  const cancel = async () => {
    const exportId = exportIdRef.current;
    if (!exportId || cancelling) return;
    setCancelling(true);
    try {
      // false: it had already finished (the file is being saved); the result then shows as usual
      const r = await call('export.cancel', { exportId });
      if (!r.cancelled) setCancelling(false);
    } catch (e) {
      setCancelling(false);
      toast.error(e);
    }
  };

  const openFolder = async (d: ExportedFile) => {
    try {
      const r = await call('files.showInFolder', { path: d.path });
      if (!r.shown) setFolders((f) => ({ ...f, [d.id]: r.folder }));
    } catch (e) {
      toast.error(e);
    }
  };

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      toast.show('已复制文件夹路径', 'success');
    } catch {
      toast.show('无法写入剪贴板，请手动选中路径复制', 'error');
    }
  };

  const latest = done?.[0];
  const unitOf = (k: ExportKind) => KINDS.find((x) => x.kind === k)?.rowsUnit ?? '行';
  const labelOf = (k: ExportKind) => KINDS.find((x) => x.kind === k)?.label ?? k;

  return (
    <div className="doc-page" data-testid="export-page">
      <div className="page-head">
        <h2>导出中心</h2>
        <span className="muted">生成公文（Word）和任务分工台账（Excel）</span>
      </div>
      <div className="doc-columns">
        <section className="card doc-card">
          <h3 id="export-kind-label">文档类型</h3>
          <div className="kind-grid" role="radiogroup" aria-labelledby="export-kind-label" data-testid="export-kind">
            {KINDS.map((k) => (
              <label key={k.kind} className={`kind-option${k.kind === kind ? ' selected' : ''}`}>
                <input type="radio" name="export-kind" value={k.kind} checked={k.kind === kind} onChange={() => setKind(k.kind)} />
                <span className="kind-body">
                  <span className="kind-title">
                    {k.label}
                    <span className={`kind-format fmt-${k.format}`}>{k.format}</span>
                  </span>
                  <span className="kind-desc">{k.desc}</span>
                </span>
              </label>
            ))}
          </div>

          <h3 className="doc-sub">范围与选项</h3>
          <div className="form doc-form">
            <div className="field wide">
              <span>部门{info.dept === 'required' ? <b className="req">*</b> : ''}</span>
              <DeptCombo
                departments={departments}
                value={deptId}
                onChange={setDeptId}
                testId="export-dept"
                emptyLabel={info.dept === 'required' ? '请选择部门' : '全部单位'}
              />
            </div>
            {info.role && (
              <label className="field wide">
                <span>角色</span>
                <select
                  className="input"
                  data-testid="export-role"
                  value={role}
                  disabled={deptId === undefined}
                  title={deptId === undefined ? '先选择部门' : undefined}
                  onChange={(e) => setRole(e.target.value as 'all' | 'lead' | 'co')}
                >
                  {(['all', 'lead', 'co'] as const).map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABEL[r]}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="field wide">
              <span>城市</span>
              <select className="input" data-testid="export-city" value={city} onChange={(e) => setCity(e.target.value as City | '')}>
                <option value="">全部城市</option>
                {CITIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label className="field wide">
              <span>章</span>
              <select className="input" data-testid="export-chapter" value={chapter} onChange={(e) => setChapter(e.target.value)}>
                <option value="">全部章（第三章至第九章）</option>
                {chapters.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
            {info.date && (
              <label className="field wide">
                <span>{info.date === 'report' ? '报告日期' : '落款日期'}</span>
                <input type="date" className="input date-input" data-testid="export-date" value={date} required onChange={(e) => setDate(e.target.value)} />
              </label>
            )}
            {info.due && (
              <label className="field wide">
                <span>回复期限</span>
                <span className="inline">
                  <input type="date" className="input date-input" data-testid="export-due" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
                  <span className="muted small">留空则为落款日期后 15 天</span>
                </span>
              </label>
            )}
            {info.title && (
              <label className="field wide">
                <span>标题</span>
                <input className="input" data-testid="export-title" maxLength={100} value={title} placeholder={`留空使用默认标题：${info.title}`} onChange={(e) => setTitle(e.target.value)} />
              </label>
            )}
            {info.preamble && (
              <label className="field wide top">
                <span>导语</span>
                <span className="stack">
                  <textarea
                    className="input textarea"
                    data-testid="export-preamble"
                    rows={5}
                    maxLength={5000}
                    value={preamble}
                    placeholder="留空使用默认导语（“为深入贯彻落实……现将《规划》明确的重点任务分工如下。各牵头单位要切实履行牵头职责……”）。每行一段。"
                    onChange={(e) => setPreamble(e.target.value)}
                  />
                  <span className="muted small">{preamble.length}/5000 字 · 每行成为一段</span>
                </span>
              </label>
            )}
          </div>

          {info.date === 'report' && (
            <div className="report-base" data-testid="export-report-base">
              <div className="report-base-head">
                {reports === null
                  ? '正在读取以往报告…'
                  : base
                    ? `比较基准：截至 ${base.asOf} 的报告（${formatTime(base.createdAt)} 由 ${base.actor} 生成）。本次报告将写明此后的变化。`
                    : `此前没有截至 ${date} 之前的报告，本次报告将作为首次报告，不作比较。`}
              </div>
              {reports && reports.length > 0 && (
                <table className="mini-table">
                  <thead>
                    <tr>
                      <th>截至日期</th>
                      <th>生成时间</th>
                      <th>生成人</th>
                    </tr>
                  </thead>
                  <tbody>
                    {reports.slice(0, 8).map((r) => (
                      <tr key={r.id} className={base?.id === r.id ? 'is-base' : undefined}>
                        <td>
                          {r.asOf}
                          {base?.id === r.id && <span className="tag">比较基准</span>}
                        </td>
                        <td>{formatTime(r.createdAt)}</td>
                        <td>
                          {r.actor}（{r.unit}）
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}

          {hasSuggestions && (
            <fieldset className="notice notice-warn unconfirmed-box" data-testid="export-unconfirmed">
              <legend>
                此范围内有 <b data-testid="export-unconfirmed-count">{suggested}</b> 项措施的牵头单位是系统按职责提出的建议，尚未确认
              </legend>
              {(['mark', 'omit', 'plain'] as const).map((m) => (
                <label key={m} className="inline">
                  <input type="radio" name="export-unconfirmed" value={m} checked={unconfirmed === m} onChange={() => setUnconfirmed(m)} />
                  {UNCONFIRMED_LABEL[m]}
                  {m === 'mark' && <span className="muted small">（文中写作“省教育厅（建议）”，台账“牵头确认”列注明）</span>}
                  {m === 'omit' && <span className="muted small">（这些措施照列，牵头单位空出）</span>}
                </label>
              ))}
              {unconfirmed === 'plain' && (
                <label className="inline confirm-plain">
                  <input type="checkbox" data-testid="export-plain-confirm" checked={plainConfirmed} onChange={(e) => setPlainConfirmed(e.target.checked)} />
                  我已核实，这 {suggested} 项建议可以作为正式分工印发
                </label>
              )}
            </fieldset>
          )}

          <div className="export-scope-line" data-testid="export-scope-line">
            将导出《{info.label}》：{scopeText()}
            {hasSuggestions &&
              `；其中 ${suggested} 项牵头单位为未确认的建议，${unconfirmed === 'mark' ? '将标注“建议”' : unconfirmed === 'omit' ? '不列出其牵头单位' : '将照原样输出'}`}
          </div>
          <div className="doc-actions">
            <button className="btn primary big" data-testid="export-run" disabled={!!busy || problems.length > 0} onClick={() => void run()}>
              {busy ? '正在导出…' : `导出${info.label}`}
            </button>
          </div>
          {problems.length > 0 && (
            <div className="form-error" role="alert">
              {problems.join('；')}
            </div>
          )}
          {busy && (
            <ExportProgressBar
              text={progressText(info.label, progress, cancelling)}
              fraction={progress?.phase === 'rows' && progress.total > 0 ? progress.done / progress.total : progress?.phase === 'pack' ? 1 : null}
              onCancel={() => void cancel()}
              cancelling={cancelling}
            />
          )}
          {error && (
            <div className="notice notice-error" role="alert" data-testid="export-error">
              导出失败：{error}
            </div>
          )}
          {cancelled && !busy && (
            <div className="notice" role="status" data-testid="export-cancelled">
              {cancelled === 'user' ? '已取消导出，没有生成文件。' : '已取消：没有保存文件。'}
            </div>
          )}
        </section>

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
      </div>
    </div>
  );
}
