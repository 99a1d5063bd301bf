// 设置 › 考核规则 (issue 18, item 9): the rule set each department's round score is computed by —
// 基础分, 未报送, 逾期报送, 每项滞后, 每项已完成 — checked as typed (Chinese messages), saved through
// rounds.setScoreRules (audited as 修改考核规则), reset to the defaults; a worked example follows the
// form, and the latest closed round's scores under the saved rules show the effect.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DEFAULT_SCORE_RULES, type DeptScore, type RoundInfo, type ScoreRules } from '../../../shared/rounds';
import { call, errorMessage } from '../api';
import { useToast } from '../components/Toast';

type Key = keyof ScoreRules;
const FIELDS: { key: Key; label: string; hint: string; sign: 'positive' | 'minus' | 'plus' }[] = [
  { key: 'base', label: '基础分', hint: '每个单位每轮的起始分', sign: 'positive' },
  { key: 'notReported', label: '未报送', hint: '轮次结束时仍未报送，每轮一次', sign: 'minus' },
  { key: 'late', label: '逾期报送', hint: '在报送期限之后才报送，每轮一次', sign: 'minus' },
  { key: 'lagging', label: '每项滞后', hint: '牵头的措施中每有一项滞后', sign: 'minus' },
  { key: 'completed', label: '每项已完成', hint: '牵头的措施中每有一项已完成', sign: 'plus' },
];

type Draft = Record<Key, string>;
const toDraft = (r: ScoreRules): Draft => Object.fromEntries(FIELDS.map((f) => [f.key, String(r[f.key])])) as Draft;
const signed = (n: number) => (n >= 0 ? `+${n}` : `−${-n}`);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** each field's problem in Chinese (none: the map is empty), and the rules when all are good */
export function checkRules(d: Draft): { errors: Map<Key, string>; rules: ScoreRules | null } {
  const errors = new Map<Key, string>();
  const out = { ...DEFAULT_SCORE_RULES };
  for (const f of FIELDS) {
    const s = d[f.key].trim().replace(/^[−－]/, '-').replace(/^＋/, '+');
    if (!s) errors.set(f.key, `请填写${f.label}`);
    else if (!/^[+-]?\d+(\.\d{1,2})?$/.test(s)) errors.set(f.key, `${f.label}应为数字（最多两位小数），如 ${f.sign === 'minus' ? '-5' : f.sign === 'plus' ? '1' : '100'}`);
    else {
      const n = Number(s);
      if (Math.abs(n) > 1000) errors.set(f.key, `${f.label}应在 -1000 到 1000 之间`);
      else if (f.sign === 'positive' && n <= 0) errors.set(f.key, `${f.label}应大于 0`);
      else if (f.sign === 'minus' && n > 0) errors.set(f.key, `${f.label}是扣分项，应为 0 或负数（如 -5）`);
      else if (f.sign === 'plus' && n < 0) errors.set(f.key, `${f.label}是加分项，应为 0 或正数`);
      else out[f.key] = n;
    }
  }
  return { errors, rules: errors.size ? null : out };
}

/** the latest closed round (by period end, then id), whose scores show the saved rules' effect */
function latestClosed(rounds: RoundInfo[]): RoundInfo | null {
  const closed = rounds.filter((r) => r.state === '已结束').sort((x, y) => x.periodEnd.localeCompare(y.periodEnd) || x.id - y.id);
  return closed[closed.length - 1] ?? null;
}

export function RoundRulesSettings() {
  const toast = useToast();
  const [saved, setSaved] = useState<ScoreRules | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState('');
  const [effect, setEffect] = useState<{ round: RoundInfo; scores: DeptScore[] } | null>(null);

  const loadEffect = useCallback(async () => {
    try {
      const round = latestClosed(await call('rounds.list', {}));
      setEffect(round ? { round, scores: await call('rounds.scores', { roundId: round.id }) } : null);
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);

  useEffect(() => {
    call('rounds.getScoreRules', {}).then(
      (r) => {
        setSaved(r);
        setDraft(toDraft(r));
      },
      (e: unknown) => toast.error(e),
    );
    void loadEffect();
  }, [toast, loadEffect]);

  const check = useMemo(() => (draft ? checkRules(draft) : null), [draft]);
  if (!draft || !saved || !check) return <p className="muted">正在读取考核规则…</p>;
  const dirty = !check.rules || FIELDS.some((f) => check.rules![f.key] !== saved[f.key]);

  const store = async (rules: ScoreRules, done: string) => {
    setBusy(true);
    setServerError('');
    try {
      const r = await call('rounds.setScoreRules', rules);
      setSaved(r);
      setDraft(toDraft(r));
      toast.show(done, 'success');
      await loadEffect();
    } catch (e) {
      setServerError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const r = check.rules;
  const example = r
    ? `${r.base} ${signed(r.late)}（逾期报送）${r.lagging ? ` ${signed(r.lagging)}×2（滞后 2 项）` : ''}${r.completed ? ` ${signed(r.completed)}×3（已完成 3 项）` : ''} = ${round2(r.base + r.late + r.lagging * 2 + r.completed * 3)} 分`
    : null;
  const exampleMissing = r
    ? `${r.base} ${signed(r.notReported)}（未报送）${r.lagging ? ` ${signed(r.lagging)}×2` : ''}${r.completed ? ` ${signed(r.completed)}×3` : ''} = ${round2(r.base + r.notReported + r.lagging * 2 + r.completed * 3)} 分`
    : null;
  const stats = effect?.scores.length
    ? { n: effect.scores.length, avg: round2(effect.scores.reduce((a, s) => a + s.score, 0) / effect.scores.length), max: Math.max(...effect.scores.map((s) => s.score)), min: Math.min(...effect.scores.map((s) => s.score)) }
    : null;

  return (
    <form
      className="template-form rules-form"
      data-testid="round-rules"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (check.rules) void store(check.rules, '已保存考核规则，考核表和调度通报将按新规则计分');
      }}
    >
      <p className="hint">每个单位每轮的得分 = 基础分 + 各项加减分，理由逐项列入考核表；全年得分为当年各已结束轮次得分的平均。修改记入操作记录。</p>
      <div className="tpl-grid">
        {FIELDS.map((f) => {
          const err = check.errors.get(f.key);
          const id = `rule-${f.key}`;
          const def = DEFAULT_SCORE_RULES[f.key];
          return (
            <div key={f.key} className={`tpl-field${err ? ' has-error' : ''}`}>
              <label htmlFor={id}>{f.label}</label>
              <div className="tpl-input">
                <input
                  id={id}
                  className="input"
                  data-testid={`rule-${f.key}`}
                  type="text"
                  inputMode="decimal"
                  value={draft[f.key]}
                  aria-invalid={!!err}
                  aria-describedby={`${id}-hint${err ? ` ${id}-err` : ''}`}
                  onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                />
                <span className="unit">分</span>
              </div>
              <div className="tpl-default" id={`${id}-hint`}>
                {f.hint}；默认 {f.key === 'base' ? def : signed(def)}
              </div>
              {err && (
                <div className="form-error small" id={`${id}-err`} data-testid="rule-error">
                  {err}
                </div>
              )}
            </div>
          );
        })}
      </div>
      <div className="rules-example" data-testid="rule-example" aria-live="polite">
        {r ? (
          <>
            <p>
              示例：某单位逾期报送，牵头的措施中 2 项滞后、3 项已完成，得分 <b>{example}</b>
            </p>
            <p>若该单位到轮次结束仍未报送（措施情况相同）：{exampleMissing}</p>
          </>
        ) : (
          <p className="muted">改正上面的错误后显示示例。</p>
        )}
      </div>
      {serverError && (
        <div className="notice notice-error" role="alert">
          保存失败：{serverError}
        </div>
      )}
      <div className="form-actions left">
        <button type="submit" className="btn primary" data-testid="rules-save" disabled={busy || !check.rules || !dirty}>
          保存
        </button>
        <button
          type="button"
          className="btn"
          data-testid="rules-reset"
          disabled={busy || FIELDS.every((f) => saved[f.key] === DEFAULT_SCORE_RULES[f.key])}
          onClick={() => void store({ ...DEFAULT_SCORE_RULES }, '已恢复默认考核规则')}
        >
          恢复默认
        </button>
        {dirty && (
          <button type="button" className="btn" disabled={busy} onClick={() => setDraft(toDraft(saved))}>
            放弃修改
          </button>
        )}
        <span className="muted small" role="status">
          {!check.rules ? `有 ${check.errors.size} 处需要改正` : dirty ? '有未保存的修改' : '已保存'}
        </span>
      </div>
      <p className="muted small" data-testid="rules-effect">
        {effect && stats
          ? `按已保存的规则，最近结束的轮次“${effect.round.title}”${stats.n} 个单位平均 ${stats.avg} 分，最高 ${stats.max} 分，最低 ${stats.min} 分。`
          : '还没有已结束的调度轮次；结束一轮后，这里显示按已保存规则计算的得分。'}
      </p>
    </form>
  );
}
