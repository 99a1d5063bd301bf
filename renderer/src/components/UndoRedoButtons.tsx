// The 撤销 / 重做 buttons of a ledger grid's toolbar (allocation, projects): the person's own undo,
// with the operation's name in the tooltip; off while a save or an undo is running.
import type { PersonalUndo } from './usePersonalUndo';

/** 撤销 / 重做 with the operation's name in the tooltip; shared by the ledger grids' toolbars */
export function UndoRedoButtons({ personalUndo, busy, testIds }: { personalUndo: PersonalUndo; busy: boolean; testIds: [string, string] }) {
  const st = personalUndo.state;
  return (
    <>
      <button
        className="btn"
        data-testid={testIds[0]}
        disabled={!st?.canUndo || busy || personalUndo.busy}
        title={st?.undoLabel ? `撤销：${st.undoLabel}（Ctrl+Z）` : '撤销（Ctrl+Z）'}
        onClick={() => void personalUndo.undo()}
      >
        ↶ 撤销
      </button>
      <button
        className="btn"
        data-testid={testIds[1]}
        disabled={!st?.canRedo || busy || personalUndo.busy}
        title={st?.redoLabel ? `重做：${st.redoLabel}（Ctrl+Y）` : '重做（Ctrl+Y）'}
        onClick={() => void personalUndo.redo()}
      >
        ↷ 重做
      </button>
    </>
  );
}
