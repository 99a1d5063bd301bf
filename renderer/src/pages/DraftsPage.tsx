// 方案起草: 专项推进方案 / 行动计划 drafted in the workbench. The list of drafts (left), the
// outline editor (centre), versions and gaps (right), Word and Excel export. The state and the
// operations live in renderer/src/drafts/ (useDraftDocument, useOutlineActions, useDraftGaps,
// useDraftExport); this page lays them out.
import { useCallback, useMemo, useState } from 'react';
import type { Department } from '../../../shared/domain';
import type { TableKind } from '../../../shared/drafts';
import { useToast } from '../components/Toast';
import { Outline, focusBlock } from '../drafts/Outline';
import { NewDraftDialog } from '../drafts/NewDraftDialog';
import { CitationPicker } from '../drafts/CitationPicker';
import { VersionsPanel } from '../drafts/VersionsPanel';
import { GapsPanel } from '../drafts/GapsPanel';
import { FieldMappingDialog, PlanMeasureDialog } from '../drafts/Dialogs';
import { DraftHeader } from '../drafts/DraftHeader';
import { DraftList } from '../drafts/DraftList';
import { InsertBar, SaveExportBar } from '../drafts/EditorBars';
import { DeleteConfirm, type Confirm } from '../drafts/DeleteConfirms';
import { placeForMeasure } from '../drafts/model';
import { useDraftDocument } from '../drafts/useDraftDocument';
import { useOutlineActions } from '../drafts/useOutlineActions';
import { useDraftGaps } from '../drafts/useDraftGaps';
import { useDraftExport } from '../drafts/useDraftExport';
import '../drafts/drafts.css';

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
}

export function DraftsPage({ active, departments, dataVersion }: Props) {
  const toast = useToast();
  const [tab, setTab] = useState<'versions' | 'gaps'>('versions');
  const [showNew, setShowNew] = useState(false);
  const [showMapping, setShowMapping] = useState(false);
  const [picking, setPicking] = useState(false);
  const [planMeasure, setPlanMeasure] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [insertTable, setInsertTable] = useState<TableKind>('tasks');

  const doc = useDraftDocument({ active, dataVersion, onSwitch: () => resetViews() });
  const { draft, draftRef, insert } = doc;
  const g = useDraftGaps(draftRef, draft, active, dataVersion);
  const exp = useDraftExport(draftRef, doc.flushAll);
  function resetViews() {
    g.setGaps(null);
    exp.reset();
  }
  const askRemove = useCallback((blockId: number, label: string) => setConfirm({ kind: 'block', blockId, label }), []);
  const actions = useOutlineActions(doc, askRemove, setPlanMeasure);

  const cited = useMemo(() => new Set((draft?.blocks ?? []).filter((b) => b.measureId).map((b) => b.measureId!)), [draft]);

  const insertCitation = async (measureId: string, where?: number | null) => {
    const d = await insert({ type: 'citation', measureId }, where);
    if (d) toast.show(`已插入引用：措施 ${measureId}`, 'success');
    return d;
  };

  const insertUncovered = (measureId: string) => {
    const cur = draftRef.current;
    if (!cur) return;
    const place = placeForMeasure(cur.blocks, measureId);
    void insertCitation(measureId, place !== null ? place : doc.defaultAfter(cur));
  };

  return (
    <div className="drafts-page" data-testid="drafts-page">
      <DraftList
        list={doc.list}
        openId={draft?.id ?? null}
        departments={departments}
        onNew={() => setShowNew(true)}
        onOpen={(id) => void doc.openDraft(id)}
        onDelete={(s) => setConfirm({ kind: 'draft', draft: s })}
        onMapping={() => setShowMapping(true)}
      />

      <section className="drafts-editor" aria-label="方案编辑">
        {!draft ? (
          <div className="empty-state">
            {doc.opening ? '正在打开…' : '在左侧选择一个方案，或'}
            {!doc.opening && (
              <button className="link big-link" onClick={() => setShowNew(true)}>
                新建方案
              </button>
            )}
          </div>
        ) : (
          <>
            <DraftHeader key={draft.id} draft={draft} departments={departments} apply={doc.apply} run={doc.run} />
            <SaveExportBar saveStates={doc.saveStates} lastSaved={doc.lastSaved} exp={exp} />
            <InsertBar
              level={doc.insertLevel}
              onLevel={doc.setInsertLevel}
              table={insertTable}
              onTable={setInsertTable}
              busy={doc.opBusy > 0}
              onHeading={() => void insert({ type: 'heading', level: doc.insertLevel, text: '' })}
              onPara={() => void insert({ type: 'para', text: '' })}
              onCitation={() => setPicking(true)}
              onInsertTable={() => void insert({ type: 'table', tableKind: insertTable })}
            />
            <div className="outline-scroll">
              <div className="paper">
                <Outline
                  draft={draft}
                  selectedId={doc.selectedId}
                  onSelect={doc.select}
                  changed={g.gaps?.changed ?? []}
                  tableCount={(b) => (b.tableKind && g.tableCounts ? g.tableCounts[b.tableKind] : null)}
                  actions={actions}
                  disabled={false}
                />
              </div>
            </div>
          </>
        )}
      </section>

      <aside className="drafts-side" aria-label="版本与缺漏">
        <div className="side-tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'versions'} className={`side-tab${tab === 'versions' ? ' on' : ''}`} data-testid="tab-versions" onClick={() => setTab('versions')}>
            版本
          </button>
          <button role="tab" aria-selected={tab === 'gaps'} className={`side-tab${tab === 'gaps' ? ' on' : ''}`} data-testid="tab-gaps" onClick={() => setTab('gaps')}>
            缺漏检查
            {g.gaps && g.gaps.uncovered.length + g.gaps.changed.length > 0 && <span className="tab-count">{g.gaps.uncovered.length + g.gaps.changed.length}</span>}
          </button>
        </div>
        {!draft ? (
          <p className="muted small pad">打开一个方案后在此保存版本、比较版本和检查缺漏。</p>
        ) : tab === 'versions' ? (
          <VersionsPanel key={draft.id} draft={draft} flush={doc.flushAll} onRestored={(d) => doc.apply(d)} onVersionsChanged={() => void doc.loadList()} />
        ) : (
          <GapsPanel gaps={g.gaps} loading={g.loading} error={g.error} onRefresh={() => void g.load()} onInsert={insertUncovered} onGoto={doc.gotoBlock} busy={false} />
        )}
      </aside>

      {showNew && (
        <NewDraftDialog
          departments={departments}
          onClose={() => setShowNew(false)}
          onCreated={(d) => {
            setShowNew(false);
            toast.show(`已创建方案“${d.title}”（${d.blocks.length} 段）`, 'success');
            doc.adopt(d);
            g.setGaps(null);
            exp.setDone(null);
            void doc.loadList();
          }}
        />
      )}
      {showMapping && <FieldMappingDialog onClose={() => setShowMapping(false)} />}
      {picking && draft && (
        <CitationPicker
          cited={cited}
          busy={doc.opBusy > 0}
          onClose={() => setPicking(false)}
          onPick={(id) => {
            setPicking(false);
            void insertCitation(id);
          }}
        />
      )}
      {planMeasure && <PlanMeasureDialog measureId={planMeasure} onClose={() => setPlanMeasure(null)} />}
      {confirm && (
        <DeleteConfirm
          confirm={confirm}
          onClose={() => {
            setConfirm(null);
            if (confirm.kind === 'block') {
              const id = confirm.blockId;
              window.requestAnimationFrame(() => focusBlock(id));
            }
          }}
          onOk={() => {
            setConfirm(null);
            if (confirm.kind === 'block') void doc.removeBlock(confirm.blockId);
            else void doc.deleteDraft(confirm.draft);
          }}
        />
      )}
    </div>
  );
}
