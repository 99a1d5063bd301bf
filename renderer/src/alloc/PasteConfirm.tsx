// A large or risky paste into the allocation grid is shown before it is saved: how many measures and
// cells change, the confirmed leads it would replace, and a sample of before → after.
import type { MeasureEdit, MeasureRow } from '../../../shared/domain';
import type { LedgerColumn } from '../../../shared/ledger';
import { Modal } from '../components/Modal';
import { cellText, type DeptIndex } from './clipboard';

/** a paste that changes more measures than this (about two screens at 1366×768) asks first */
export const PASTE_ASK_ROWS = 20;
/** before → after pairs a paste's question shows */
const PASTE_SAMPLE = 8;

interface PasteChange {
  id: string;
  header: string;
  before: string;
  after: string;
  /** replaces a confirmed lead */
  confirmed: boolean;
}
export interface PasteReview {
  /** measures that really change */
  rows: number;
  /** cells that really change */
  cells: number;
  /** confirmed leads replaced or cleared */
  confirmedLost: number;
  /** a sample: replaced confirmed leads first */
  sample: PasteChange[];
}

/** What a paste would change, measured against the rows as the grid holds them. */
export function reviewPaste(edits: MeasureEdit[], rowOf: (id: string) => MeasureRow | undefined, cols: LedgerColumn[], idx: DeptIndex): PasteReview {
  let rows = 0;
  let cells = 0;
  let confirmedLost = 0;
  const lost: PasteChange[] = [];
  const other: PasteChange[] = [];
  for (const { measureId, patch } of edits) {
    const cur = rowOf(measureId);
    if (!cur) continue;
    const next: MeasureRow = { ...cur, ...patch, ...(patch.leadIds ? { leadId: patch.leadIds[0] ?? null } : {}) };
    const sameLeads = cur.leadIds.length === next.leadIds.length && cur.leadIds.every((d, i) => d === next.leadIds[i]);
    let changed = false;
    for (const col of cols) {
      const before = cellText(col, cur, idx);
      const after = cellText(col, next, idx);
      const confirmedSame = col.key === 'lead' && sameLeads && cur.leadConfirmed !== next.leadConfirmed;
      if (before === after && !confirmedSame) continue;
      changed = true;
      cells++;
      const confirmed = col.key === 'lead' && cur.leadConfirmed && cur.leadIds.length > 0 && !sameLeads;
      if (confirmed) confirmedLost++;
      const list = confirmed ? lost : other;
      if (list.length < PASTE_SAMPLE)
        list.push({ id: measureId, header: col.header, before: (before || '（空）') + (col.key === 'lead' && cur.leadId != null && !cur.leadConfirmed ? '（建议）' : ''), after: after || '（空）', confirmed });
    }
    if (changed) rows++;
  }
  return { rows, cells, confirmedLost, sample: [...lost, ...other].slice(0, PASTE_SAMPLE) };
}

export function PasteConfirm({ ask, onCancel, onOk }: { ask: PasteReview; onCancel: () => void; onOk: () => void }) {
  return (
    <Modal
      title="确认粘贴"
      testId="paste-confirm"
      width={620}
      onClose={onCancel}
      footer={
        <>
          <button className="btn" data-testid="paste-cancel" autoFocus onClick={onCancel}>
            取消，不粘贴
          </button>
          <button className="btn primary" data-testid="paste-ok" onClick={onOk}>
            粘贴并修改 {ask.rows} 条措施
          </button>
        </>
      }
    >
      <p data-testid="paste-summary">
        这次粘贴将修改 <b>{ask.rows}</b> 条措施的 {ask.cells} 个单元格
        {ask.rows > PASTE_ASK_ROWS ? '，多数不在当前屏幕上' : ''}。
      </p>
      {ask.confirmedLost > 0 && (
        <p className="form-error" data-testid="paste-confirmed-lost">
          其中 {ask.confirmedLost} 条已确认的牵头单位将被替换。
        </p>
      )}
      <table className="paste-sample" data-testid="paste-sample">
        <thead>
          <tr>
            <th>编号</th>
            <th>列</th>
            <th>原值</th>
            <th />
            <th>新值</th>
          </tr>
        </thead>
        <tbody>
          {ask.sample.map((c, i) => (
            <tr key={i} className={c.confirmed ? 'lost' : undefined}>
              <td>{c.id}</td>
              <td>{c.header}</td>
              <td className="clip" title={c.before}>
                {c.before}
                {c.confirmed ? '（已确认）' : ''}
              </td>
              <td>→</td>
              <td className="clip" title={c.after}>
                {c.after}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ask.cells > ask.sample.length && <p className="muted">（仅列出 {ask.sample.length} 处，共 {ask.cells} 处；粘贴后可按 Ctrl+Z 撤销）</p>}
    </Modal>
  );
}
