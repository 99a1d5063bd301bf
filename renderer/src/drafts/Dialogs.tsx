// Small dialogs of the drafting page: the field → plan scope mapping, the plan text of a
// cited measure, and the confirmation before deleting.
import { useEffect, useState, type ReactNode } from 'react';
import type { PlanNodeDetail } from '../../../shared/domain';
import { DRAFT_FIELDS, type DraftField } from '../../../shared/drafts';
import { call, errorMessage } from '../api';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { taskOf } from './model';

const SCOPE_RE = /^\d+(\.\d+)?$/;

/** "6" / "5.1, 5.2" / "5.1，5.2" → ['5.1', '5.2'], or a Chinese error */
export function parseScope(text: string): string[] | string {
  const parts = text
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) return '至少填写一个章或节编号';
  const bad = parts.filter((p) => !SCOPE_RE.test(p));
  if (bad.length) return `“${bad.join('、')}”不是章或节编号（章写 6，节写 5.1）`;
  if (parts.length > 20) return '最多 20 个章节';
  return [...new Set(parts)];
}

export function FieldMappingDialog({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [texts, setTexts] = useState<Record<DraftField, string> | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call('drafts.getFieldMapping', {}).then(
      (m) => setTexts(Object.fromEntries(DRAFT_FIELDS.map((f) => [f, (m[f] ?? []).join(', ')])) as Record<DraftField, string>),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  const errors: Partial<Record<DraftField, string>> = {};
  if (texts) for (const f of DRAFT_FIELDS) {
    const r = parseScope(texts[f]);
    if (typeof r === 'string') errors[f] = r;
  }
  const ok = texts && Object.keys(errors).length === 0;

  const save = async () => {
    if (!texts || !ok) return;
    setBusy(true);
    setError('');
    try {
      const mapping = Object.fromEntries(DRAFT_FIELDS.map((f) => [f, parseScope(texts[f]) as string[]])) as Record<DraftField, string[]>;
      await call('drafts.setFieldMapping', { mapping });
      toast.show('已保存领域范围设置', 'success');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="领域范围设置"
      onClose={onClose}
      width={560}
      testId="mapping-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            取消
          </button>
          <button className="btn primary" data-testid="mapping-save" disabled={!ok || busy} onClick={() => void save()}>
            保存
          </button>
        </>
      }
    >
      <p className="hint">每个领域对应规划的哪些章或节：章写 6，节写 5.1，多个用逗号分隔。新建领域方案时按此预填内容；已建方案的范围在方案标题下修改。</p>
      {!texts && !error && <p className="muted">正在读取…</p>}
      {texts && (
        <div className="form doc-form">
          {DRAFT_FIELDS.map((f) => (
            <label key={f} className="field">
              <span>{f}</span>
              <span className="stack">
                <input
                  className="input"
                  data-testid={`mapping-input-${f}`}
                  value={texts[f]}
                  aria-invalid={!!errors[f]}
                  onChange={(e) => setTexts({ ...texts, [f]: e.target.value })}
                />
                {errors[f] && <span className="form-error small">{errors[f]}</span>}
              </span>
            </label>
          ))}
        </div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </Modal>
  );
}

/** The plan text of the task a cited measure belongs to, the measure highlighted. */
export function PlanMeasureDialog({ measureId, onClose }: { measureId: string; onClose: () => void }) {
  const [detail, setDetail] = useState<PlanNodeDetail | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call('plan.node', { id: taskOf(measureId) }).then(setDetail, (e: unknown) => setError(errorMessage(e)));
  }, [measureId]);
  useEffect(() => {
    if (detail) document.querySelector(`[data-testid=plan-measure-dialog] [data-measure-id="${measureId}"]`)?.scrollIntoView({ block: 'center' });
  }, [detail, measureId]);
  return (
    <Modal title="规划原文" onClose={onClose} width={820} testId="plan-measure-dialog" footer={<button className="btn" onClick={onClose} autoFocus>关闭</button>}>
      {error && <div className="form-error">{error}</div>}
      {!detail && !error && <p className="muted">正在读取…</p>}
      {detail && (
        <article className="plan-mini">
          <nav className="breadcrumb">
            {detail.path.map((p, i) => (
              <span key={i} className="crumb">
                {p}
              </span>
            ))}
          </nav>
          <h3>{detail.label}</h3>
          {detail.paragraphs.map((p) => (
            <p key={p.ord} className="para">
              {p.text}
            </p>
          ))}
          <ol className="plan-mini-measures">
            {detail.measures.map((m) => (
              <li key={m.id} data-measure-id={m.id} className={m.id === measureId ? 'hl' : undefined}>
                <span className="measure-id">{m.id}</span>
                <span>{m.text}</span>
              </li>
            ))}
          </ol>
          <div className="citation">引用：{detail.citation}</div>
        </article>
      )}
    </Modal>
  );
}

export function ConfirmDialog({
  title,
  children,
  okLabel,
  onOk,
  onClose,
  testId,
}: {
  title: string;
  children: ReactNode;
  okLabel: string;
  onOk: () => void;
  onClose: () => void;
  testId?: string;
}) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      testId={testId}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            取消
          </button>
          <button className="btn danger" data-testid="confirm-ok" autoFocus onClick={onOk}>
            {okLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
