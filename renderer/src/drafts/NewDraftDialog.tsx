// 新建方案: what the draft is for (a field, a city, a department or nothing), the template
// and an optional title → drafts.create.
import { useState } from 'react';
import { CITIES, type City, type Department } from '../../../shared/domain';
import { DRAFT_FIELDS, DRAFT_TITLE_MAX, type Draft, type DraftField, type DraftKind, type DraftTemplate } from '../../../shared/drafts';
import { call, errorMessage } from '../api';
import { Modal } from '../components/Modal';
import { DeptCombo } from '../components/DeptCombo';
import { BusyBar } from '../components/Busy';
import { LimitCount } from '../components/LongTextCellEditor';
import { KIND_LABELS } from './model';

interface Props {
  departments: Department[];
  onCreated: (d: Draft) => void;
  onClose: () => void;
}

export function NewDraftDialog({ departments, onCreated, onClose }: Props) {
  const [kind, setKind] = useState<DraftKind>('field');
  const [field, setField] = useState<DraftField>('生态环境');
  const [city, setCity] = useState<City>('长沙市');
  const [deptId, setDeptId] = useState<number | undefined>(undefined);
  const [template, setTemplate] = useState<DraftTemplate>('standard');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const suggested =
    kind === 'field'
      ? `${field}专项推进方案`
      : kind === 'city'
        ? `${city}贯彻落实长株潭都市圈发展规划行动计划`
        : kind === 'dept'
          ? `${departments.find((d) => d.id === deptId)?.name ?? '部门'}落实长株潭都市圈发展规划工作方案`
          : '未命名方案';

  const create = async () => {
    if (busy) return;
    if (kind === 'dept' && deptId === undefined) {
      setError('部门方案须选择部门');
      return;
    }
    if (title.trim().length > DRAFT_TITLE_MAX) {
      setError(`标题不能超过 ${DRAFT_TITLE_MAX} 字，现有 ${title.trim().length} 字；请删减后再新建`);
      return;
    }
    setBusy(true);
    setError('');
    try {
      const d = await call('drafts.create', {
        kind,
        template,
        ...(kind === 'field' ? { field } : {}),
        ...(kind === 'city' ? { city } : {}),
        ...(kind === 'dept' && deptId !== undefined ? { deptId } : {}),
        ...(title.trim() ? { title: title.trim() } : {}),
      });
      onCreated(d);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="新建方案"
      onClose={busy ? undefined : onClose}
      width={560}
      testId="draft-new-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            取消
          </button>
          <button type="submit" form="draft-new-form" className="btn primary" data-testid="draft-create" disabled={busy}>
            {busy ? '正在生成…' : '创建并打开'}
          </button>
        </>
      }
    >
      <form
        id="draft-new-form"
        className="form doc-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label className="field">
          <span>类型</span>
          <select className="input" data-testid="draft-kind" value={kind} autoFocus onChange={(e) => setKind(e.target.value as DraftKind)}>
            {(['field', 'city', 'dept', 'blank'] as const).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
                {k === 'blank' ? '（不预填内容）' : ''}
              </option>
            ))}
          </select>
        </label>
        {kind === 'field' && (
          <label className="field">
            <span>领域</span>
            <select className="input" data-testid="draft-field" value={field} onChange={(e) => setField(e.target.value as DraftField)}>
              {DRAFT_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'city' && (
          <label className="field">
            <span>城市</span>
            <select className="input" data-testid="draft-city" value={city} onChange={(e) => setCity(e.target.value as City)}>
              {CITIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'dept' && (
          <div className="field">
            <span>
              部门<b className="req">*</b>
            </span>
            <DeptCombo departments={departments} value={deptId} onChange={setDeptId} testId="draft-dept" emptyLabel="请选择部门" />
          </div>
        )}
        <label className="field">
          <span>结构</span>
          <select className="input" data-testid="draft-template" value={template} onChange={(e) => setTemplate(e.target.value as DraftTemplate)}>
            <option value="standard">标准结构（总体要求、工作目标、重点任务、重点项目、保障措施、附件）</option>
            <option value="empty">空白大纲</option>
          </select>
        </label>
        <label className="field">
          <span>标题</span>
          <input className="input" data-testid="draft-title" value={title} placeholder={`留空使用：${suggested}`} onChange={(e) => setTitle(e.target.value)} />
          <LimitCount n={title.trim().length} max={DRAFT_TITLE_MAX} testId="draft-title-count" />
        </label>
        <p className="hint">
          {kind === 'field'
            ? `按“领域范围设置”中${field}对应的章节，预填其重点任务和具体措施（作为引用段落）、相关重点项目和目标指标。`
            : kind === 'city'
              ? `预填${city}承担的具体措施、相关重点项目和目标指标。`
              : kind === 'dept'
                ? '预填该部门牵头或配合的具体措施及其牵头的重点项目。'
                : '不预填规划内容，只按所选结构生成提纲。'}
        </p>
        {busy && <BusyBar label="正在按规划内容生成方案…" />}
        {error && (
          <div className="form-error" role="alert" data-testid="draft-new-error">
            {error}
          </div>
        )}
      </form>
    </Modal>
  );
}
