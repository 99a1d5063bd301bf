// Small pieces the import preview's sections share: a value cell (（空） when empty), a paged list of
// ids, and the filter that matches a row by its id or text.
import { Paged } from '../components/Paged';

/** a change or conflict row matches a filter text by its measure id or text */
export const rowMatches = (r: { rowId: string; text: string }, q: string) => r.rowId.startsWith(q) || r.text.includes(q);
const idMatches = (id: string, q: string) => id.startsWith(q);

/** measure ids, 300 at a time, with a filter */
export function IdList({ ids, testId }: { ids: readonly string[]; testId: string }) {
  return (
    <div className="id-list" data-testid={testId}>
      <Paged
        items={ids}
        step={300}
        unit="个"
        matches={idMatches}
        filterLabel="筛选编号"
        render={(id) => (
          <span key={id} className="measure-id">
            {id}
          </span>
        )}
      />
    </div>
  );
}

export function Value({ text }: { text: string }) {
  return text ? <span className="val">{text}</span> : <span className="val empty">（空）</span>;
}
