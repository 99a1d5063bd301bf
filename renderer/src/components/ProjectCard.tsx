// 项目卡片: one project with its plan quote (a citation with task id and title), linked tasks,
// and the year-by-year investment plan, 形象进度 and 存在问题 editable through projects.update.
import { useEffect, useMemo, useState } from 'react';
import { PLAN_YEAR_MAX, PLAN_YEAR_MIN, type Project, type ProjectEdit, type ProjectPatch } from '../../../shared/projects';
import { call } from '../api';
import { deptName, type DeptIndex } from '../alloc/clipboard';
import { Modal } from './Modal';
import { moneyText, parseNumber } from './projectCells';

interface Props {
  project: Project;
  idx: DeptIndex;
  applyEdits: (edits: ProjectEdit[], op: string) => Promise<boolean>;
  onClose: () => void;
}

interface YearDraft {
  year: number;
  planned: string;
  completed: string;
}

function draftsOf(p: Project): YearDraft[] {
  const years = new Set<number>(p.yearPlans.map((y) => y.year));
  years.add(p.year);
  if (p.startYear && p.endYear && p.endYear >= p.startYear)
    for (let y = Math.max(PLAN_YEAR_MIN, p.startYear); y <= Math.min(PLAN_YEAR_MAX, p.endYear); y++) years.add(y);
  return [...years]
    .sort((a, b) => a - b)
    .map((year) => {
      const cur = p.yearPlans.find((y) => y.year === year);
      return { year, planned: moneyText(cur?.planned), completed: moneyText(cur?.completed) };
    });
}

export function ProjectCard({ project: p, idx, applyEdits, onClose }: Props) {
  const [drafts, setDrafts] = useState<YearDraft[]>(() => draftsOf(p));
  const [progress, setProgress] = useState(p.progressText);
  const [problems, setProblems] = useState(p.problems);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const [addYear, setAddYear] = useState('');

  // when the project changes underneath (saved), show the stored values again
  const key = `${p.id}|${p.updatedAt}`;
  const [seen, setSeen] = useState(key);
  if (seen !== key) {
    setSeen(key);
    setDrafts(draftsOf(p));
    setProgress(p.progressText);
    setProblems(p.problems);
  }

  const yearPatch = (): { patch: ProjectPatch['yearPlans']; error: string } => {
    const out: NonNullable<ProjectPatch['yearPlans']> = [];
    for (const d of drafts) {
      const cur = p.yearPlans.find((y) => y.year === d.year);
      const pl = parseNumber(d.planned);
      const co = parseNumber(d.completed);
      if (pl === undefined || (pl !== null && pl < 0)) return { patch: undefined, error: `${d.year}年计划投资“${d.planned}”不是有效金额` };
      if (co === undefined || (co !== null && co < 0)) return { patch: undefined, error: `${d.year}年完成投资“${d.completed}”不是有效金额` };
      if (pl !== (cur?.planned ?? null) || co !== (cur?.completed ?? null)) out.push({ year: d.year, planned: pl, completed: co });
    }
    return { patch: out.length ? out : undefined, error: '' };
  };

  const dirty =
    progress !== p.progressText ||
    problems !== p.problems ||
    drafts.some((d) => {
      const cur = p.yearPlans.find((y) => y.year === d.year);
      return d.planned.trim() !== moneyText(cur?.planned) || d.completed.trim() !== moneyText(cur?.completed);
    });

  const save = async () => {
    const { patch: yp, error } = yearPatch();
    if (error) {
      setErr(error);
      return;
    }
    const patch: ProjectPatch = {};
    if (yp) patch.yearPlans = yp;
    if (progress !== p.progressText) patch.progressText = progress;
    if (problems !== p.problems) patch.problems = problems;
    if (!Object.keys(patch).length) return;
    setErr('');
    setBusy(true);
    const ok = await applyEdits([{ projectId: p.id, patch }], '编辑项目卡片');
    setBusy(false);
    if (!ok) setErr('保存失败，请查看提示');
  };

  const plannedSum = drafts.reduce((a, d) => a + (parseNumber(d.planned) ?? 0), 0);
  const completedSum = drafts.reduce((a, d) => a + (parseNumber(d.completed) ?? 0), 0);
  const freeYears: number[] = [];
  for (let y = PLAN_YEAR_MIN; y <= PLAN_YEAR_MAX; y++) if (!drafts.some((d) => d.year === y)) freeYears.push(y);

  return (
    <Modal title={`项目卡片　${p.id}`} onClose={onClose} width={900} testId="project-card">
      <div className="pcard">
        <div className="pcard-head">
          <h3 data-testid="project-card-name">{p.name}</h3>
          {p.added ? <span className="badge-added">新增</span> : <span className="badge-plan">规划</span>}
          {p.deleted && <span className="badge-deleted">已删除</span>}
        </div>
        <dl className="pcard-info">
          <dt>类别</dt>
          <dd>{p.category}</dd>
          <dt>建设阶段</dt>
          <dd data-testid="project-card-stage">{p.stage}</dd>
          <dt>牵头单位</dt>
          <dd>{p.leadId != null ? deptName(idx, p.leadId) : <span className="muted">未指定</span>}</dd>
          <dt>所在城市</dt>
          <dd>{p.cities.join('、') || <span className="muted">未指定</span>}</dd>
          <dt>所在县市区</dt>
          <dd>{p.location || <span className="muted">—</span>}</dd>
          <dt>建设年限</dt>
          <dd>{p.startYear || p.endYear ? `${p.startYear ?? '？'}—${p.endYear ?? '？'}年` : <span className="muted">未填</span>}</dd>
          <dt>总投资</dt>
          <dd>{p.totalInvestment != null ? `${moneyText(p.totalInvestment)} 亿元` : <span className="muted">未填</span>}</dd>
          <dt>累计完成</dt>
          <dd>
            {moneyText(p.completedTotal) || '0'} 亿元
            {p.totalInvestment ? `（${Math.round((p.completedTotal / p.totalInvestment) * 100)}%）` : ''}
          </dd>
        </dl>

        <ProjectQuote p={p} />

        <div className="pcard-cols">
          <div>
            <h4>年度投资（亿元）</h4>
            <table className="year-table" data-testid="project-year-table">
              <thead>
                <tr>
                  <th>年度</th>
                  <th>计划投资</th>
                  <th>完成投资</th>
                  <th>完成率</th>
                </tr>
              </thead>
              <tbody>
                {drafts.map((d, i) => {
                  const pl = parseNumber(d.planned);
                  const co = parseNumber(d.completed);
                  return (
                    <tr key={d.year} data-testid={`project-year-${d.year}`} className={d.year === p.year ? 'current' : undefined}>
                      <th>{d.year}{d.year === p.year ? '（本年）' : ''}</th>
                      <td>
                        <input
                          className="input num"
                          aria-label={`${d.year}年计划投资`}
                          data-testid="year-planned"
                          value={d.planned}
                          disabled={p.deleted}
                          onChange={(e) => setDrafts((xs) => xs.map((x, j) => (j === i ? { ...x, planned: e.target.value } : x)))}
                        />
                      </td>
                      <td>
                        <input
                          className="input num"
                          aria-label={`${d.year}年完成投资`}
                          data-testid="year-completed"
                          value={d.completed}
                          disabled={p.deleted}
                          onChange={(e) => setDrafts((xs) => xs.map((x, j) => (j === i ? { ...x, completed: e.target.value } : x)))}
                        />
                      </td>
                      <td className="num">{pl && co != null ? `${Math.round((co / pl) * 100)}%` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th>合计</th>
                  <td className="num">{moneyText(plannedSum)}</td>
                  <td className="num">{moneyText(completedSum)}</td>
                  <td className="num">{plannedSum ? `${Math.round((completedSum / plannedSum) * 100)}%` : '—'}</td>
                </tr>
              </tfoot>
            </table>
            {!p.deleted && (
              <div className="year-add">
                <select className="input" value={addYear} onChange={(e) => setAddYear(e.target.value)} aria-label="添加年度">
                  <option value="">添加年度…</option>
                  {freeYears.map((y) => (
                    <option key={y} value={y}>
                      {y}
                    </option>
                  ))}
                </select>
                <button
                  className="btn"
                  disabled={!addYear}
                  onClick={() => {
                    const y = Number(addYear);
                    setDrafts((xs) => [...xs, { year: y, planned: '', completed: '' }].sort((a, b) => a.year - b.year));
                    setAddYear('');
                  }}
                >
                  添加
                </button>
                <span className="muted small">金额留空即清除该年数据</span>
              </div>
            )}
          </div>
          <div>
            <h4 id="pcard-progress-label">形象进度</h4>
            <textarea
              className="input area"
              aria-labelledby="pcard-progress-label"
              data-testid="project-progress"
              value={progress}
              disabled={p.deleted}
              rows={5}
              onChange={(e) => setProgress(e.target.value)}
            />
            <h4 id="pcard-problems-label">存在问题</h4>
            <textarea
              className="input area"
              aria-labelledby="pcard-problems-label"
              data-testid="project-problems"
              value={problems}
              disabled={p.deleted}
              rows={4}
              onChange={(e) => setProblems(e.target.value)}
            />
          </div>
        </div>
        {err && <div className="form-error">{err}</div>}
        <div className="form-actions">
          {p.deleted && <span className="muted small">已删除的项目须先恢复才能修改。</span>}
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            关闭
          </button>
          <button className="btn primary" data-testid="project-card-save" disabled={!dirty || busy || p.deleted} onClick={() => void save()}>
            保存
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** The plan's words for the project (or that staff added it), its task and the other tasks it serves. */
function ProjectQuote({ p }: { p: Project }) {
  const [taskTitles, setTaskTitles] = useState<Record<string, string>>({});
  const linked = useMemo(() => p.linkedTaskIds.filter((t) => t !== p.taskId), [p.linkedTaskIds, p.taskId]);
  useEffect(() => {
    let dead = false;
    void (async () => {
      const out: Record<string, string> = {};
      for (const id of linked) {
        try {
          const n = await call('plan.node', { id });
          out[id] = n.title;
        } catch {
          out[id] = '';
        }
      }
      if (!dead) setTaskTitles(out);
    })();
    return () => {
      dead = true;
    };
  }, [linked]);
  return (
    <>
      {p.quote ? (
        <figure className="pcard-quote" data-testid="project-quote">
          <blockquote>{p.quote}</blockquote>
          <figcaption>
            ——《长株潭都市圈发展规划》
            {p.taskId && (
              <>
                {' '}
                重点任务 <span className="mono" data-testid="project-quote-task">{p.taskId}</span> {p.taskTitle}
              </>
            )}
          </figcaption>
        </figure>
      ) : (
        <div className="pcard-quote none" data-testid="project-quote">
          工作人员新增的项目，规划原文未列明。
          {p.taskId && (
            <>
              关联任务 <span className="mono">{p.taskId}</span> {p.taskTitle}
            </>
          )}
        </div>
      )}
      {linked.length > 0 && (
        <div className="pcard-tasks" data-testid="project-linked-tasks">
          <span className="muted">关联任务：</span>
          {linked.map((t) => (
            <span key={t} className="task-chip">
              <span className="mono">{t}</span> {taskTitles[t] ?? ''}
            </span>
          ))}
        </div>
      )}
    </>
  );
}
