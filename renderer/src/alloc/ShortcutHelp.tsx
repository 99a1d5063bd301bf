// The allocation grid's keyboard help (? or F1): every shortcut and what it does.
import { Modal } from '../components/Modal';
import { SHORTCUTS } from './keyboard';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Modal
      title="键盘操作"
      testId="shortcut-help"
      width={600}
      onClose={onClose}
      footer={
        <button className="btn primary" autoFocus onClick={onClose}>
          关闭
        </button>
      }
    >
      <table className="shortcut-list">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th>
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
