// The project page's dialogs: bulk set (stage, lead, category) on the checked projects, and the
// question before a soft delete.
import { useState } from 'react';
import type { Department } from '../../../shared/domain';
import { PROJECT_CATEGORIES, PROJECT_STAGES, type Project } from '../../../shared/projects';
import { Modal } from '../components/Modal';
import { DeptPicker } from '../components/Pickers';

export type BulkKind = 'stage' | 'lead' | 'category';
export const BULK_TITLES: Record<BulkKind, string> = { stage: '批量设置建设阶段', lead: '批量设置牵头单位', category: '批量设置类别' };

export function ProjectBulkDialog({
  kind,
  count,
  departments,
  onCancel,
  onOk,
}: {
  kind: BulkKind;
  /** projects it will set (deleted ones are left alone) */
  count: number;
  departments: Department[];
  onCancel: () => void;
  onOk: (kind: BulkKind, value: string | number | null) => void;
}) {
  return (
    <Modal title={`${BULK_TITLES[kind]}（${count} 个项目）`} onClose={onCancel} width={kind === 'lead' ? 520 : 380}>
      {kind === 'lead' ? (
        <DeptPicker departments={departments} multi={false} allowClear value={[]} onCancel={onCancel} onOk={(ids) => onOk('lead', ids[0] ?? null)} />
      ) : (
        <ChoicePicker values={kind === 'stage' ? PROJECT_STAGES : PROJECT_CATEGORIES} onCancel={onCancel} onOk={(v) => onOk(kind, v)} testId={`proj-bulk-${kind}-picker`} />
      )}
    </Modal>
  );
}

export function DeleteConfirm({ list, onCancel, onOk }: { list: Project[]; onCancel: () => void; onOk: () => void }) {
  return (
    <Modal
      title="删除项目"
      onClose={onCancel}
      footer={
        <>
          <button className="btn" onClick={onCancel}>
            取消
          </button>
          <button className="btn danger" data-testid="project-delete-ok" onClick={onOk} autoFocus>
            删除 {list.length} 个项目
          </button>
        </>
      }
    >
      <p>
        将删除：{list.slice(0, 5).map((p) => `${p.id} ${p.name}`).join('；')}
        {list.length > 5 ? ` 等 ${list.length} 个项目` : ''}。
      </p>
      <p className="hint">删除后项目不再计入统计，可勾选“含已删除”找到并恢复。</p>
    </Modal>
  );
}

function ChoicePicker({
  values,
  onOk,
  onCancel,
  testId,
}: {
  values: readonly string[];
  onOk: (v: string) => void;
  onCancel: () => void;
  testId: string;
}) {
  const [v, setV] = useState(values[0]);
  return (
    <div className="picker picker-small" data-testid={testId}>
      <div className="picker-list short">
        {values.map((s) => (
          <label key={s} className="picker-option">
            <input type="radio" name={testId} data-testid="choice-option" checked={v === s} onChange={() => setV(s)} autoFocus={s === values[0]} />
            <span>{s}</span>
          </label>
        ))}
      </div>
      <div className="picker-actions">
        <span className="spacer" />
        <button className="btn" onClick={onCancel}>
          取消
        </button>
        <button className="btn primary" data-testid="choice-ok" onClick={() => onOk(v)}>
          确定
        </button>
      </div>
    </div>
  );
}
