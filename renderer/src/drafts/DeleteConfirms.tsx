// The two questions 方案起草 asks before deleting: a block that holds something, or a whole draft.
import type { DraftSummary } from '../../../shared/drafts';
import { ConfirmDialog } from './Dialogs';

export type Confirm = { kind: 'block'; blockId: number; label: string } | { kind: 'draft'; draft: DraftSummary };

export function DeleteConfirm({ confirm, onClose, onOk }: { confirm: Confirm; onClose: () => void; onOk: () => void }) {
  if (confirm.kind === 'block')
    return (
      <ConfirmDialog title="删除内容" okLabel="删除" testId="block-delete-confirm" onClose={onClose} onOk={onOk}>
        <p>删除{confirm.label}？</p>
        <p className="hint" style={{ marginTop: 8 }}>
          删除后可通过“版本”恢复到此前保存的版本。
        </p>
      </ConfirmDialog>
    );
  return (
    <ConfirmDialog title="删除方案" okLabel="删除方案" testId="draft-delete-confirm" onClose={onClose} onOk={onOk}>
      <p>
        删除方案“<b>{confirm.draft.title}</b>”？
      </p>
      <p className="hint" style={{ marginTop: 8 }}>
        方案将从列表中移除（数据库中保留记录及其 {confirm.draft.versionCount} 个版本）。
      </p>
    </ConfirmDialog>
  );
}
