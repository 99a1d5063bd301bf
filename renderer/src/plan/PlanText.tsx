// One node of the plan as text: its path, title, paragraphs (a search hit marked, with the
// paragraph's later matches marked lightly), its measures and its citation, which 复制引用 copies.
import type { ReactNode } from 'react';
import type { PlanNodeDetail } from '../../../shared/domain';

export interface Highlight {
  paraOrd: number;
  offset: number;
  length: number;
  /** the paragraph's later matches of this query are marked too (a hit stands for the whole paragraph) */
  query: string;
}

/** the paragraph with the hit's match marked (the one scrolled to) and its later matches marked lightly */
function markedText(text: string, hl: Highlight): ReactNode[] {
  const out: ReactNode[] = [text.slice(0, hl.offset), <mark key="hit" data-testid="search-mark">{text.slice(hl.offset, hl.offset + hl.length)}</mark>];
  const hay = text.toLowerCase();
  const needle = hl.query.toLowerCase();
  let from = hl.offset + hl.length;
  for (let at = needle ? hay.indexOf(needle, from) : -1; at >= 0; at = hay.indexOf(needle, from)) {
    out.push(text.slice(from, at), <mark key={at} className="search-mark-more">{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  out.push(text.slice(from));
  return out;
}

export function PlanText({ detail, highlight, onCopyCitation }: { detail: PlanNodeDetail; highlight: Highlight | null; onCopyCitation: () => void }) {
  return (
    <article className="plan-text" data-testid="plan-text" data-node-id={detail.id}>
      <nav className="breadcrumb" aria-label="位置">
        {detail.path.map((p, i) => (
          <span key={i} className="crumb">
            {p}
          </span>
        ))}
      </nav>
      <div className="plan-title-row">
        <h2>{detail.label}</h2>
        <button className="btn" data-testid="copy-citation" onClick={onCopyCitation} title={detail.citation}>
          复制引用
        </button>
      </div>
      {detail.paragraphs.map((p) => (
        <p key={p.ord} className="para" data-para-ord={p.ord}>
          {highlight && highlight.paraOrd === p.ord ? markedText(p.text, highlight) : p.text}
        </p>
      ))}
      {detail.measures.length > 0 && (
        <section className="measures">
          <h3>具体措施（{detail.measures.length} 条）</h3>
          <ol>
            {detail.measures.map((m) => (
              <li key={m.id} data-measure-id={m.id}>
                <span className="measure-id">{m.id}</span>
                <span className="measure-text">{m.text}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
      <div className="citation">引用：{detail.citation}</div>
    </article>
  );
}
