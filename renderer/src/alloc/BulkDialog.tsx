// Bulk set on the checked measures: lead, co-operating units (added), cities, deadline, status.
// bulkEdits turns the picked value into one edit per measure; BulkDialog is the picker in a dialog.
import type { City, Department, MeasureEdit, MeasureRow, Status } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { CityPicker, DatePicker, DeptPicker, StatusPicker } from '../components/Pickers';

export type BulkKind = 'lead' | 'co' | 'cities' | 'deadline' | 'status';
export const BULK_TITLES: Record<BulkKind, string> = {
  lead: '批量设置牵头单位',
  co: '批量添加配合单位',
  cities: '批量设置责任城市',
  deadline: '批量设置完成时限',
  status: '批量设置状态',
};

/** the edits a bulk set makes, or why it makes none (said to the person) */
export function bulkEdits(kind: BulkKind, value: unknown, targets: MeasureRow[]): MeasureEdit[] | string {
  switch (kind) {
    case 'lead': {
      const ids = value as number[];
      // the whole ordered list (the first is 主责), as the cell's picker sets it
      return targets.map((r) => ({ measureId: r.id, patch: { leadIds: ids, leadConfirmed: ids.length > 0 } }));
    }
    case 'co': {
      const add = value as number[];
      if (!add.length) return '未选择配合单位';
      return targets.map((r) => ({
        measureId: r.id,
        patch: { coIds: [...r.coIds, ...add.filter((id) => !r.coIds.includes(id) && !r.leadIds.includes(id))] },
      }));
    }
    case 'cities':
      return targets.map((r) => ({ measureId: r.id, patch: { cities: value as City[] } }));
    case 'deadline':
      return targets.map((r) => ({ measureId: r.id, patch: { deadline: value as string | null } }));
    case 'status':
      return targets.map((r) => ({ measureId: r.id, patch: { status: value as Status } }));
  }
}

export function BulkDialog({
  kind,
  count,
  departments,
  onCancel,
  onOk,
}: {
  kind: BulkKind;
  /** measures it will set */
  count: number;
  departments: Department[];
  onCancel: () => void;
  onOk: (kind: BulkKind, value: unknown) => void;
}) {
  return (
    <Modal title={`${BULK_TITLES[kind]}（${count} 条措施）`} onClose={onCancel} width={kind === 'lead' || kind === 'co' ? 520 : 380}>
      {kind === 'lead' && <DeptPicker departments={departments} multi ordered value={[]} onCancel={onCancel} onOk={(ids) => onOk('lead', ids)} />}
      {kind === 'co' && <DeptPicker departments={departments} multi value={[]} okLabel="添加" onCancel={onCancel} onOk={(ids) => onOk('co', ids)} />}
      {kind === 'cities' && <CityPicker value={[]} onCancel={onCancel} onOk={(v) => onOk('cities', v)} />}
      {kind === 'deadline' && <DatePicker value={null} onCancel={onCancel} onOk={(v) => onOk('deadline', v)} />}
      {kind === 'status' && <StatusPicker value={null} onCancel={onCancel} onOk={(v) => onOk('status', v)} />}
    </Modal>
  );
}
