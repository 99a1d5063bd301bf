// 公文模板: the GB/T 9704 page and type settings the Word documents use, with local variants.
import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_TEMPLATE, docTemplateSchema, type DocTemplate } from '../../../shared/template';
import { call, errorMessage } from '../api';
import { useToast } from '../components/Toast';

type Key = keyof DocTemplate;
interface FieldDef {
  key: Key;
  label: string;
  unit?: string;
  step?: number;
}

const GROUPS: { title: string; hint?: string; fields: FieldDef[] }[] = [
  {
    title: '页边距（A4 纵向）',
    fields: [
      { key: 'marginTopMm', label: '上边距', unit: '毫米', step: 1 },
      { key: 'marginBottomMm', label: '下边距', unit: '毫米', step: 1 },
      { key: 'marginLeftMm', label: '左边距', unit: '毫米', step: 1 },
      { key: 'marginRightMm', label: '右边距', unit: '毫米', step: 1 },
    ],
  },
  {
    title: '版心',
    hint: '每页行数和每行字数决定行距和字距，须与正文字号相称。',
    fields: [
      { key: 'linesPerPage', label: '每页行数', unit: '行', step: 1 },
      { key: 'charsPerLine', label: '每行字数', unit: '字', step: 1 },
    ],
  },
  {
    title: '字体字号',
    hint: '字号以磅为单位：二号 22、三号 16、四号 14、五号 10.5。',
    fields: [
      { key: 'titleFont', label: '标题字体' },
      { key: 'titleSizePt', label: '标题字号', unit: '磅', step: 0.5 },
      { key: 'bodyFont', label: '正文字体' },
      { key: 'bodySizePt', label: '正文字号', unit: '磅', step: 0.5 },
      { key: 'heading1Font', label: '一级标题字体' },
      { key: 'heading2Font', label: '二级标题字体' },
      { key: 'heading3Font', label: '三级标题字体' },
      { key: 'latinFont', label: '西文字体' },
      { key: 'tableFont', label: '表格字体' },
      { key: 'tableSizePt', label: '表格字号', unit: '磅', step: 0.5 },
      { key: 'pageNumberFont', label: '页码字体' },
      { key: 'pageNumberSizePt', label: '页码字号', unit: '磅', step: 0.5 },
    ],
  },
  {
    title: '落款',
    fields: [{ key: 'organ', label: '落款单位' }],
  },
];

const NUMERIC = new Set<Key>(Object.keys(DEFAULT_TEMPLATE).filter((k) => typeof DEFAULT_TEMPLATE[k as Key] === 'number') as Key[]);

type Draft = Record<Key, string>;
const toDraft = (t: DocTemplate): Draft => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, String(v)])) as Draft;
function fromDraft(d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (NUMERIC.has(k as Key)) out[k] = v.trim() === '' ? undefined : Number(v);
    else out[k] = v;
  }
  return out;
}

export function TemplateSettings() {
  const toast = useToast();
  const [saved, setSaved] = useState<DocTemplate | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState('');

  useEffect(() => {
    call('settings.getTemplate', {}).then(
      (t) => {
        setSaved(t);
        setDraft(toDraft(t));
      },
      (e: unknown) => toast.error(e),
    );
  }, [toast]);

  const check = useMemo(() => (draft ? docTemplateSchema.safeParse(fromDraft(draft)) : null), [draft]);
  const errors = useMemo(() => {
    const m = new Map<string, string>();
    if (check && !check.success) {
      for (const i of check.error.issues) {
        const k = String(i.path[0] ?? '');
        if (!m.has(k)) m.set(k, i.message);
      }
    }
    return m;
  }, [check]);
  const dirty = !!draft && !!saved && Object.keys(draft).some((k) => draft[k as Key] !== String(saved[k as Key]));

  if (!draft || !saved) return <p className="muted">正在读取公文模板…</p>;

  const save = async () => {
    if (!check?.success) return;
    setBusy(true);
    setServerError('');
    try {
      const t = await call('settings.setTemplate', check.data);
      setSaved(t);
      setDraft(toDraft(t));
      toast.show('已保存公文模板，之后导出的 Word 文档将按此排版', 'success');
    } catch (e) {
      setServerError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const reset = async () => {
    setBusy(true);
    setServerError('');
    try {
      const t = await call('settings.resetTemplate', {});
      setSaved(t);
      setDraft(toDraft(t));
      toast.show('已恢复 GB/T 9704-2012 默认模板', 'success');
    } catch (e) {
      setServerError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="template-form"
      data-testid="template-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {GROUPS.map((g) => (
        <fieldset key={g.title} className="tpl-group">
          <legend>{g.title}</legend>
          {g.hint && <p className="hint">{g.hint}</p>}
          <div className="tpl-grid">
            {g.fields.map((f) => {
              const err = errors.get(f.key);
              const def = DEFAULT_TEMPLATE[f.key];
              const changed = draft[f.key] !== String(def);
              const id = `tpl-${f.key}`;
              return (
                <div key={f.key} className={`tpl-field${err ? ' has-error' : ''}${f.key === 'organ' ? ' span2' : ''}`}>
                  <label htmlFor={id}>{f.label}</label>
                  <div className="tpl-input">
                    <input
                      id={id}
                      className="input"
                      data-testid={`template-field-${f.key}`}
                      type={NUMERIC.has(f.key) ? 'number' : 'text'}
                      inputMode={NUMERIC.has(f.key) ? 'decimal' : undefined}
                      step={f.step}
                      value={draft[f.key]}
                      aria-invalid={!!err}
                      aria-describedby={err ? `${id}-err` : undefined}
                      onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                    />
                    {f.unit && <span className="unit">{f.unit}</span>}
                  </div>
                  <div className="tpl-default">
                    默认：{String(def)}
                    {f.unit ?? ''}
                    {changed && (
                      <button type="button" className="link" onClick={() => setDraft({ ...draft, [f.key]: String(def) })}>
                        用默认值
                      </button>
                    )}
                  </div>
                  {err && (
                    <div className="form-error small" id={`${id}-err`} data-testid="template-error">
                      {err}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      {serverError && (
        <div className="notice notice-error" role="alert">
          保存失败：{serverError}
        </div>
      )}
      <div className="form-actions left">
        <button type="submit" className="btn primary" data-testid="template-save" disabled={busy || !check?.success || !dirty}>
          保存
        </button>
        <button type="button" className="btn" data-testid="template-reset" disabled={busy} onClick={() => void reset()}>
          恢复默认
        </button>
        {dirty && (
          <button type="button" className="btn" disabled={busy} onClick={() => setDraft(toDraft(saved))}>
            放弃修改
          </button>
        )}
        <span className="muted small">
          {!check?.success ? `有 ${errors.size} 处需要改正` : dirty ? '有未保存的修改' : '已保存'}
        </span>
      </div>
    </form>
  );
}
