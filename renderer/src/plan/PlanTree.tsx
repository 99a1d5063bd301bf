// The plan's table of contents as a WAI-ARIA tree: one tab stop (the selected item, else the first),
// ↑/↓ Home/End move, → opens or goes to the first child, ← closes or goes to the parent, Enter/Space
// open the node; a click on the caret only opens or closes.
import type { KeyboardEvent, ReactNode } from 'react';
import type { PlanTreeNode } from '../../../shared/domain';

export function PlanTree({
  tree,
  expanded,
  toggle,
  selectedId,
  onOpen,
}: {
  tree: PlanTreeNode[];
  expanded: Set<string>;
  toggle: (id: string) => void;
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  // the tree's keyboard (WAI-ARIA tree pattern): one tab stop (the selected item, else the first),
  // ↑/↓ Home/End move, → opens or goes to the first child, ← closes or goes to the parent, Enter/Space open
  const shownIds = new Set<string>();
  const addShown = (nodes: PlanTreeNode[]) => {
    for (const n of nodes) {
      shownIds.add(n.id);
      if (expanded.has(n.id)) addShown(n.children);
    }
  };
  addShown(tree);
  const tabStop = selectedId && shownIds.has(selectedId) ? selectedId : tree[0]?.id;
  const onTreeKey = (e: KeyboardEvent<HTMLLIElement>, n: PlanTreeNode, hasKids: boolean, open: boolean) => {
    if (e.target !== e.currentTarget) return;
    const items = [...(e.currentTarget.closest('[role=tree]')?.querySelectorAll<HTMLElement>('[role=treeitem]') ?? [])];
    const at = items.indexOf(e.currentTarget);
    const focus = (el: Element | null | undefined) => {
      if (!el) return;
      e.preventDefault();
      (el as HTMLElement).focus();
    };
    if (e.key === 'ArrowDown') focus(items[at + 1]);
    else if (e.key === 'ArrowUp') focus(items[at - 1]);
    else if (e.key === 'Home') focus(items[0]);
    else if (e.key === 'End') focus(items[items.length - 1]);
    else if (e.key === 'ArrowRight' && hasKids) {
      e.preventDefault();
      if (!open) toggle(n.id);
      else focus(e.currentTarget.querySelector('[role=treeitem]'));
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      if (hasKids && open) toggle(n.id);
      else focus(e.currentTarget.parentElement?.closest('[role=treeitem]'));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (hasKids && !open) toggle(n.id);
      onOpen(n.id);
    }
  };

  const renderTree = (nodes: PlanTreeNode[], depth: number): ReactNode =>
    nodes.map((n) => {
      const hasKids = n.children.length > 0;
      const open = expanded.has(n.id);
      return (
        <li
          key={n.id}
          role="treeitem"
          aria-expanded={hasKids ? open : undefined}
          aria-selected={selectedId === n.id}
          tabIndex={n.id === tabStop ? 0 : -1}
          onKeyDown={(e) => onTreeKey(e, n, hasKids, open)}
        >
          <div
            className={`tree-row kind-${n.kind}${selectedId === n.id ? ' selected' : ''}`}
            style={{ paddingLeft: 6 + depth * 16 }}
            data-node-id={n.id}
            data-testid="plan-tree-item"
            title={n.label}
            onClick={() => {
              if (hasKids && !open) toggle(n.id);
              onOpen(n.id);
            }}
          >
            <span
              className={`tree-caret${hasKids ? '' : ' leaf'}`}
              onClick={(e) => {
                if (!hasKids) return;
                e.stopPropagation();
                toggle(n.id);
              }}
              aria-hidden="true"
            >
              {hasKids ? (open ? '▾' : '▸') : '·'}
            </span>
            <span className="tree-label">{n.label}</span>
          </div>
          {hasKids && open && <ul role="group">{renderTree(n.children, depth + 1)}</ul>}
        </li>
      );
    });

  return (
    <ul className="plan-tree" role="tree" data-testid="plan-tree" aria-label="规划目录">
      {renderTree(tree, 0)}
    </ul>
  );
}
