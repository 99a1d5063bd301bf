// 方案起草: 专项推进方案 / 行动计划 drafted in the workbench. The list of drafts (left), the
// outline editor (centre), versions and gaps (right), Word and Excel export.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Department } from '../../../shared/domain';
import type { BlockInput, Draft, DraftGaps, DraftSummary, DraftTableCounts, HeadingLevel, TableKind } from '../../../shared/drafts';
import { DRAFT_TITLE_MAX, TABLE_KIND_LABELS, TABLE_KINDS } from '../../../shared/drafts';
import type { ExportResult } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { useToast } from '../components/Toast';
import { useFlushOnHide } from '../components/useFlushOnHide';
import { LimitCount } from '../components/LongTextCellEditor';
import { BusyBar, formatBytes, formatTime } from '../components/Busy';
import { Outline, focusBlock, type OutlineActions } from '../drafts/Outline';
import type { SaveState } from '../drafts/BlockText';
import { NewDraftDialog } from '../drafts/NewDraftDialog';
import { CitationPicker } from '../drafts/CitationPicker';
import { VersionsPanel } from '../drafts/VersionsPanel';
import { GapsPanel } from '../drafts/GapsPanel';
import { ConfirmDialog, FieldMappingDialog, PlanMeasureDialog, parseScope } from '../drafts/Dialogs';
import { LEVEL_LABELS, draftScopeLabel, isEmptyBlock, levelAt, placeForMeasure, planDrop, planMove, scopeText, type MovePlan } from '../drafts/model';
import '../drafts/drafts.css';

interface Props {
  active: boolean;
  departments: Department[];
  dataVersion: number;
}

type Confirm = { kind: 'block'; blockId: number; label: string } | { kind: 'draft'; draft: DraftSummary };

interface ExportDone {
  label: string;
  result: ExportResult;
  folder?: string;
}

function summaryOf(d: Draft): DraftSummary {
  return { id: d.id, title: d.title, kind: d.kind, field: d.field, city: d.city, deptId: d.deptId, updatedAt: d.updatedAt, versionCount: d.versionCount };
}

export function DraftsPage({ active, departments, dataVersion }: Props) {
  const toast = useToast();
  const [list, setList] = useState<DraftSummary[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const draftRef = useRef<Draft | null>(null);
  const [opening, setOpening] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selectedRef = useRef<number | null>(null);
  const [tab, setTab] = useState<'versions' | 'gaps'>('versions');
  const [gaps, setGaps] = useState<DraftGaps | null>(null);
  const [gapsLoading, setGapsLoading] = useState(false);
  const [gapsError, setGapsError] = useState('');
  /** rows of each live table kind (from the main side: it no longer reads every measure here) */
  const [tableCounts, setTableCounts] = useState<DraftTableCounts | null>(null);
  const [showNew, setShowNew] = useState(false);
  const [showMapping, setShowMapping] = useState(false);
  const [picking, setPicking] = useState(false);
  const [planMeasure, setPlanMeasure] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [saveStates, setSaveStates] = useState<Record<number, SaveState>>({});
  const [lastSaved, setLastSaved] = useState<string | null>(null);
  const [opBusy, setOpBusy] = useState(0);
  const [insertLevel, setInsertLevel] = useState<HeadingLevel>(2);
  const [insertTable, setInsertTable] = useState<TableKind>('tasks');
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportDone, setExportDone] = useState<ExportDone | null>(null);
  const [exportError, setExportError] = useState('');
  const [exportCancelled, setExportCancelled] = useState(false);
  const flushers = useRef(new Map<number, () => Promise<void>>());
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pendingFocus = useRef<{ id: number; target: 'block' | 'editor' } | null>(null);
  const gapsSeq = useRef(0);

  const cited = useMemo(() => new Set((draft?.blocks ?? []).filter((b) => b.measureId).map((b) => b.measureId!)), [draft]);

  // ---- loading

  const loadList = useCallback(async () => {
    try {
      setList(await call('drafts.list', {}));
    } catch (e) {
      toast.error(e);
      setList((l) => l ?? []);
    }
  }, [toast]);

  useEffect(() => {
    if (!active) return;
    void loadList();
  }, [active, dataVersion, loadList]);

  /** every operation on the draft goes through one queue: answers arrive in order */
  const run = useCallback(<T,>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.current.then(fn);
    queue.current = p.catch(() => undefined);
    setOpBusy((n) => n + 1);
    void p.finally(() => setOpBusy((n) => n - 1)).catch(() => undefined);
    return p;
  }, []);

  const apply = useCallback((d: Draft) => {
    if (draftRef.current && draftRef.current.id !== d.id) return;
    draftRef.current = d;
    setDraft(d);
    setList((l) => (l ? l.map((x) => (x.id === d.id ? summaryOf(d) : x)) : l));
  }, []);

  const flushAll = useCallback(async () => {
    await Promise.all([...flushers.current.values()].map((f) => f()));
    await queue.current;
  }, []);

  const openDraft = useCallback(
    async (id: number) => {
      if (draftRef.current?.id === id) return;
      setOpening(true);
      try {
        await flushAll();
        const d = await call('drafts.get', { id });
        draftRef.current = d;
        setDraft(d);
        setSaveStates({});
        setLastSaved(null);
        setGaps(null);
        setExportDone(null);
        setExportError('');
        setExportCancelled(false);
        const first = d.blocks[0]?.id ?? null;
        setSelectedId(first);
        selectedRef.current = first;
      } catch (e) {
        toast.error(e);
      } finally {
        setOpening(false);
      }
    },
    [flushAll, toast],
  );

  const loadGaps = useCallback(async () => {
    const d = draftRef.current;
    if (!d) return;
    const my = ++gapsSeq.current;
    setGapsLoading(true);
    try {
      const [g, counts] = await Promise.all([call('drafts.gaps', { draftId: d.id }), call('drafts.tableCounts', { draftId: d.id })]);
      if (my === gapsSeq.current) {
        setGaps(g);
        setTableCounts(counts);
        setGapsError('');
      }
    } catch (e) {
      if (my === gapsSeq.current) setGapsError(errorMessage(e));
    } finally {
      if (my === gapsSeq.current) setGapsLoading(false);
    }
  }, []);

  // gaps follow the draft (and the ledger: the page may come back after allocation edits)
  useEffect(() => {
    if (!draft || !active) return;
    const t = window.setTimeout(() => void loadGaps(), 600);
    return () => window.clearTimeout(t);
  }, [draft, active, dataVersion, loadGaps]);

  // focus the block an operation asked for, once it is rendered
  useEffect(() => {
    const f = pendingFocus.current;
    if (!f || !draft) return;
    pendingFocus.current = null;
    window.requestAnimationFrame(() => focusBlock(f.id, f.target));
  }, [draft]);

  const select = useCallback((id: number) => {
    selectedRef.current = id;
    setSelectedId(id);
    const d = draftRef.current;
    if (d) setInsertLevel(levelAt(d.blocks, id));
  }, []);

  // ---- operations

  const op = useCallback(
    async (fn: (d: Draft) => Promise<Draft | null>): Promise<Draft | null> => {
      try {
        const d = await run(async () => {
          const cur = draftRef.current;
          if (!cur) return null;
          return fn(cur);
        });
        if (d) apply(d);
        return d;
      } catch (e) {
        toast.error(e);
        return null;
      }
    },
    [apply, run, toast],
  );

  const executeMove = useCallback(async (d: Draft, plan: MovePlan): Promise<Draft> => {
    let last = d;
    let after = plan.afterId;
    for (const id of plan.ids) {
      last = await call('drafts.moveBlock', { draftId: d.id, blockId: id, afterId: after });
      after = id;
    }
    return last;
  }, []);

  const focusTargetOf = (): 'block' | 'editor' => (document.activeElement?.matches('[data-testid=block-text]') ? 'editor' : 'block');

  const defaultAfter = (d: Draft): number | null => {
    const sel = selectedRef.current;
    if (sel !== null && d.blocks.some((b) => b.id === sel)) return sel;
    const body = d.blocks.filter((b) => !b.attachment);
    return body.length ? body[body.length - 1].id : null;
  };

  const insert = useCallback(
    async (block: BlockInput, where?: number | null) => {
      const target = block.type === 'heading' || block.type === 'para' ? 'editor' : 'block';
      const d = await op(async (cur) => {
        const afterId = where !== undefined ? where : defaultAfter(cur);
        const after = cur.blocks.find((b) => b.id === afterId);
        const before = new Set(cur.blocks.map((b) => b.id));
        const next = await call('drafts.insertBlock', { draftId: cur.id, afterId, block: { ...block, ...(after?.attachment ? { attachment: true } : {}) } });
        const added = next.blocks.find((b) => !before.has(b.id));
        if (added) {
          pendingFocus.current = { id: added.id, target };
          selectedRef.current = added.id;
          setSelectedId(added.id);
        }
        return next;
      });
      return d;
    },
    [op],
  );

  const removeBlock = useCallback(
    async (blockId: number) => {
      await op(async (cur) => {
        const i = cur.blocks.findIndex((b) => b.id === blockId);
        const next = await call('drafts.deleteBlock', { draftId: cur.id, blockId });
        const focus = next.blocks[Math.min(i, next.blocks.length - 1)] ?? null;
        if (focus) {
          pendingFocus.current = { id: focus.id, target: 'block' };
          selectedRef.current = focus.id;
          setSelectedId(focus.id);
        }
        return next;
      });
    },
    [op],
  );

  const actions: OutlineActions = useMemo(
    () => ({
      saveText: async (blockId, text) => {
        try {
          const d = await run(() => call('drafts.updateBlock', { draftId: draftRef.current!.id, blockId, text }));
          apply(d);
          setLastSaved(new Date().toISOString());
        } catch (e) {
          toast.error(e);
          throw e;
        }
      },
      setLevel: (blockId, level) => {
        const target = focusTargetOf();
        pendingFocus.current = { id: blockId, target };
        void op((cur) => call('drafts.updateBlock', { draftId: cur.id, blockId, level }));
      },
      setFrozen: (blockId, frozen) => {
        void op((cur) => call('drafts.updateBlock', { draftId: cur.id, blockId, frozen })).then((d) => {
          if (d) toast.show(frozen ? '已冻结：导出时保持现在的内容' : '已解冻：导出时按最新数据生成', 'success');
        });
      },
      setAttachment: (blockId, attachment) => {
        pendingFocus.current = { id: blockId, target: 'block' };
        void op((cur) => call('drafts.updateBlock', { draftId: cur.id, blockId, attachment }));
      },
      move: (blockId, dir) => {
        const target = focusTargetOf();
        void op(async (cur) => {
          const plan = planMove(cur.blocks, blockId, dir);
          if (typeof plan === 'string') {
            toast.show(plan, 'info');
            return null;
          }
          pendingFocus.current = { id: blockId, target };
          return executeMove(cur, plan);
        });
      },
      drop: (dragId, afterId) => {
        void op(async (cur) => {
          const plan = planDrop(cur.blocks, dragId, afterId);
          if (typeof plan === 'string') {
            if (plan) toast.show(plan, 'info');
            return null;
          }
          pendingFocus.current = { id: dragId, target: 'block' };
          return executeMove(cur, plan);
        });
      },
      remove: (blockId, ask) => {
        const b = draftRef.current?.blocks.find((x) => x.id === blockId);
        if (!b) return;
        if (ask && !isEmptyBlock(b)) {
          const n = draftRef.current?.numbers[b.id] ?? '';
          const label =
            b.type === 'heading'
              ? `标题“${n}${b.text}”（其下内容保留）`
              : b.type === 'para'
                ? `段落“${b.text.slice(0, 30)}${b.text.length > 30 ? '…' : ''}”`
                : b.type === 'citation'
                  ? `引用的措施 ${b.measureId}`
                  : `${b.tableKind ? TABLE_KIND_LABELS[b.tableKind] : '表格'}`;
          setConfirm({ kind: 'block', blockId, label });
        } else void removeBlock(blockId);
      },
      openPlan: (measureId) => setPlanMeasure(measureId),
      registerFlush: (id, flush) => {
        if (flush) flushers.current.set(id, flush);
        else {
          flushers.current.delete(id);
          // a deleted block no longer has anything to save
          setSaveStates((prev) => {
            if (!(id in prev)) return prev;
            const next = { ...prev };
            delete next[id];
            return next;
          });
        }
      },
      onSaveState: (id, s) => setSaveStates((prev) => (prev[id] === s ? prev : { ...prev, [id]: s })),
    }),
    [apply, executeMove, op, removeBlock, run, toast],
  );

  const insertCitation = async (measureId: string, where?: number | null) => {
    const d = await insert({ type: 'citation', measureId }, where);
    if (d) toast.show(`已插入引用：措施 ${measureId}`, 'success');
    return d;
  };

  const insertUncovered = (measureId: string) => {
    const cur = draftRef.current;
    if (!cur) return;
    const place = placeForMeasure(cur.blocks, measureId);
    void insertCitation(measureId, place !== null ? place : defaultAfter(cur));
  };

  const gotoBlock = (blockId: number) => {
    select(blockId);
    focusBlock(blockId);
    document.querySelector(`[data-testid=draft-block][data-block-id="${blockId}"]`)?.scrollIntoView({ block: 'center' });
  };

  const deleteDraft = async (s: DraftSummary) => {
    try {
      await call('drafts.delete', { id: s.id });
      toast.show(`已删除方案“${s.title}”`, 'success');
      if (draftRef.current?.id === s.id) {
        draftRef.current = null;
        setDraft(null);
      }
      await loadList();
    } catch (e) {
      toast.error(e);
    }
  };

  const runExport = async (kind: 'special-plan.docx' | 'draft-tables.xlsx') => {
    const d = draftRef.current;
    if (!d || exporting) return;
    const label = kind === 'special-plan.docx' ? 'Word 方案' : '附件表格（Excel）';
    setExportError('');
    setExportCancelled(false);
    setExporting(`正在导出${label}，表格按最新数据生成，请稍候…`);
    try {
      await flushAll();
      const r = await call('export.run', { kind, draftId: d.id });
      if (!r) setExportCancelled(true);
      else {
        setExportDone({ label, result: r });
        toast.show(`已导出：${r.fileName}`, 'success');
      }
    } catch (e) {
      setExportError(errorMessage(e));
    } finally {
      setExporting(null);
    }
  };

  const openFolder = async () => {
    if (!exportDone) return;
    try {
      const r = await call('files.showInFolder', { path: exportDone.result.path });
      if (!r.shown) setExportDone({ ...exportDone, folder: r.folder });
    } catch (e) {
      toast.error(e);
    }
  };

  const states = Object.values(saveStates);
  const saveLabel = states.includes('error')
    ? { cls: 'st-error', text: '有段落保存失败（内容保留在编辑框中，将重试）' }
    : states.includes('saving')
      ? { cls: 'st-saving', text: '保存中…' }
      : states.includes('dirty')
        ? { cls: 'st-dirty', text: '正在输入，停顿后自动保存' }
        : { cls: 'st-saved', text: lastSaved ? `已保存 ${formatTime(lastSaved).slice(11)}` : '已保存' };

  return (
    <div className="drafts-page" data-testid="drafts-page">
      <aside className="drafts-list-pane" aria-label="方案列表">
        <div className="drafts-list-head">
          <h2>方案起草</h2>
          <button className="btn primary" data-testid="draft-new" onClick={() => setShowNew(true)}>
            ＋ 新建方案
          </button>
        </div>
        <ul className="drafts-list" data-testid="draft-list">
          {list === null && <li className="muted small pad">正在读取…</li>}
          {list?.length === 0 && <li className="muted small pad">还没有方案。点击“新建方案”，按领域、城市或部门生成预填好的方案草稿。</li>}
          {list?.map((s) => (
            <li key={s.id} className={`draft-item${draft?.id === s.id ? ' active' : ''}`}>
              <button className="draft-item-main" data-testid="draft-list-item" data-draft-id={s.id} aria-current={draft?.id === s.id} onClick={() => void openDraft(s.id)}>
                <span className="draft-item-title">{s.title}</span>
                <span className="draft-item-meta">
                  <span className="tag-kind">{draftScopeLabel(s, departments)}</span>
                </span>
                <span className="muted small">
                  {formatTime(s.updatedAt)} · {s.versionCount} 个版本
                </span>
              </button>
              <button className="icon-btn danger" title="删除方案" aria-label={`删除方案 ${s.title}`} data-testid="draft-delete" onClick={() => setConfirm({ kind: 'draft', draft: s })}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="drafts-list-foot">
          <button className="link" data-testid="draft-mapping" onClick={() => setShowMapping(true)}>
            领域范围设置…
          </button>
        </div>
      </aside>

      <section className="drafts-editor" aria-label="方案编辑">
        {!draft ? (
          <div className="empty-state">
            {opening ? '正在打开…' : '在左侧选择一个方案，或'}
            {!opening && (
              <button className="link big-link" onClick={() => setShowNew(true)}>
                新建方案
              </button>
            )}
          </div>
        ) : (
          <>
            <DraftHeader key={draft.id} draft={draft} departments={departments} apply={apply} run={run} />
            <div className="editor-bar">
              <span className={`save-state ${saveLabel.cls}`} data-testid="draft-save-state" aria-live="polite">
                {saveLabel.text}
              </span>
              <span className="spacer" />
              <button className="btn" data-testid="draft-export-docx" disabled={!!exporting} onClick={() => void runExport('special-plan.docx')}>
                导出 Word
              </button>
              <button className="btn" data-testid="draft-export-xlsx" disabled={!!exporting} onClick={() => void runExport('draft-tables.xlsx')}>
                导出附件表格
              </button>
            </div>
            {(exporting || exportDone || exportError || exportCancelled) && (
              <div className="export-strip">
                {exporting && <BusyBar label={exporting} testId="draft-export-progress" />}
                {!exporting && exportError && (
                  <div className="notice notice-error" role="alert" data-testid="draft-export-error">
                    导出失败：{exportError}
                  </div>
                )}
                {!exporting && exportCancelled && <div className="notice">已取消：没有保存文件。</div>}
                {!exporting && exportDone && !exportError && !exportCancelled && (
                  <div className="notice export-done" data-testid="draft-export-result">
                    <span className="ok-mark" aria-hidden="true">
                      ✓
                    </span>
                    <span>
                      已导出{exportDone.label}：<code className="mono" data-testid="draft-export-path">{exportDone.result.path}</code>（{exportDone.result.rows} 行 ·{' '}
                      {formatBytes(exportDone.result.bytes)}）
                    </span>
                    <button className="btn small-btn" onClick={() => void openFolder()}>
                      打开所在文件夹
                    </button>
                    <button className="icon-btn" aria-label="关闭" onClick={() => setExportDone(null)}>
                      ×
                    </button>
                    {exportDone.folder && <div className="export-folder">此处无法直接打开文件夹，请在文件管理器中打开：<code className="mono">{exportDone.folder}</code></div>}
                  </div>
                )}
              </div>
            )}
            <div className="insert-bar" role="toolbar" aria-label="插入">
              <span className="muted small">在所选内容后插入：</span>
              <select className="input" aria-label="标题级别" data-testid="insert-level" value={insertLevel} onChange={(e) => setInsertLevel(Number(e.target.value) as HeadingLevel)}>
                {([1, 2, 3, 4] as const).map((l) => (
                  <option key={l} value={l}>
                    {LEVEL_LABELS[l]}
                  </option>
                ))}
              </select>
              <button className="btn" data-testid="insert-heading" onClick={() => void insert({ type: 'heading', level: insertLevel, text: '' })}>
                标题
              </button>
              <button className="btn" data-testid="insert-para" onClick={() => void insert({ type: 'para', text: '' })}>
                段落
              </button>
              <button className="btn" data-testid="insert-citation" onClick={() => setPicking(true)}>
                引用规划措施…
              </button>
              <select className="input" aria-label="表格类型" data-testid="insert-table-kind" value={insertTable} onChange={(e) => setInsertTable(e.target.value as TableKind)}>
                {TABLE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {TABLE_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
              <button className="btn" data-testid="insert-table" onClick={() => void insert({ type: 'table', tableKind: insertTable })}>
                表格
              </button>
              <span className="spacer" />
              <span className="muted small kbd-hint" title="选中段落（点击左侧空白或按 Esc 离开输入框）后：↑↓ 选择，Enter 编辑，Delete 删除">
                Alt+↑↓ 移动 · Tab 标题级别 · Delete 删除
              </span>
              {opBusy > 0 && <span className="spinner" aria-label="正在处理" />}
            </div>
            <div className="outline-scroll">
              <div className="paper">
                <Outline
                  draft={draft}
                  selectedId={selectedId}
                  onSelect={select}
                  changed={gaps?.changed ?? []}
                  tableCount={(b) => (b.tableKind && tableCounts ? tableCounts[b.tableKind] : null)}
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
            {gaps && gaps.uncovered.length + gaps.changed.length > 0 && <span className="tab-count">{gaps.uncovered.length + gaps.changed.length}</span>}
          </button>
        </div>
        {!draft ? (
          <p className="muted small pad">打开一个方案后在此保存版本、比较版本和检查缺漏。</p>
        ) : tab === 'versions' ? (
          <VersionsPanel key={draft.id} draft={draft} flush={flushAll} onRestored={(d) => apply(d)} onVersionsChanged={() => void loadList()} />
        ) : (
          <GapsPanel
            gaps={gaps}
            loading={gapsLoading}
            error={gapsError}
            onRefresh={() => void loadGaps()}
            onInsert={insertUncovered}
            onGoto={gotoBlock}
            busy={false}
          />
        )}
      </aside>

      {showNew && (
        <NewDraftDialog
          departments={departments}
          onClose={() => setShowNew(false)}
          onCreated={(d) => {
            setShowNew(false);
            toast.show(`已创建方案“${d.title}”（${d.blocks.length} 段）`, 'success');
            draftRef.current = d;
            setDraft(d);
            setSaveStates({});
            setGaps(null);
            setExportDone(null);
            setSelectedId(d.blocks[0]?.id ?? null);
            selectedRef.current = d.blocks[0]?.id ?? null;
            void loadList();
          }}
        />
      )}
      {showMapping && <FieldMappingDialog onClose={() => setShowMapping(false)} />}
      {picking && draft && (
        <CitationPicker
          cited={cited}
          busy={opBusy > 0}
          onClose={() => setPicking(false)}
          onPick={(id) => {
            setPicking(false);
            void insertCitation(id);
          }}
        />
      )}
      {planMeasure && <PlanMeasureDialog measureId={planMeasure} onClose={() => setPlanMeasure(null)} />}
      {confirm?.kind === 'block' && (
        <ConfirmDialog
          title="删除内容"
          okLabel="删除"
          testId="block-delete-confirm"
          onClose={() => {
            const id = confirm.blockId;
            setConfirm(null);
            window.requestAnimationFrame(() => focusBlock(id));
          }}
          onOk={() => {
            setConfirm(null);
            void removeBlock(confirm.blockId);
          }}
        >
          <p>删除{confirm.label}？</p>
          <p className="hint" style={{ marginTop: 8 }}>
            删除后可通过“版本”恢复到此前保存的版本。
          </p>
        </ConfirmDialog>
      )}
      {confirm?.kind === 'draft' && (
        <ConfirmDialog
          title="删除方案"
          okLabel="删除方案"
          testId="draft-delete-confirm"
          onClose={() => setConfirm(null)}
          onOk={() => {
            const s = confirm.draft;
            setConfirm(null);
            void deleteDraft(s);
          }}
        >
          <p>
            删除方案“<b>{confirm.draft.title}</b>”？
          </p>
          <p className="hint" style={{ marginTop: 8 }}>
            方案将从列表中移除（数据库中保留记录及其 {confirm.draft.versionCount} 个版本）。
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Title, 主送 and scope of the open draft, each saved when the field is left. */
function DraftHeader({
  draft,
  departments,
  apply,
  run,
}: {
  draft: Draft;
  departments: Department[];
  apply: (d: Draft) => void;
  run: <T>(fn: () => Promise<T>) => Promise<T>;
}) {
  const toast = useToast();
  const [title, setTitle] = useState(draft.title);
  const titleOver = title.trim().length > DRAFT_TITLE_MAX;
  const [mainTo, setMainTo] = useState(draft.mainTo);
  const [scope, setScope] = useState(draft.scope.join(', '));
  const [editScope, setEditScope] = useState(false);
  const [scopeError, setScopeError] = useState('');

  const save = async (patch: { title?: string; mainTo?: string; scope?: string[] }) => {
    try {
      apply(await run(() => call('drafts.update', { id: draft.id, ...patch })));
      return true;
    } catch (e) {
      toast.error(e);
      return false;
    }
  };

  // the title and 主送 are saved on leaving the field; a reload or closing the window leaves none
  useFlushOnHide(() => {
    const t = title.trim();
    if (t && t !== draft.title) void save({ title: t });
    if (mainTo !== draft.mainTo) void save({ mainTo });
  });

  const saveScope = async () => {
    const r = parseScope(scope);
    if (typeof r === 'string') {
      setScopeError(r);
      return;
    }
    setScopeError('');
    if (r.join(',') !== draft.scope.join(',') && !(await save({ scope: r }))) return;
    setEditScope(false);
  };

  return (
    <div className="draft-header">
      <input
        className="draft-title-input"
        data-testid="draft-title-input"
        aria-label="方案标题"
        value={title}
        aria-invalid={titleOver || undefined}
        aria-describedby={titleOver ? 'draft-title-over' : undefined}
        onChange={(e) => setTitle(e.target.value)}
        onBlur={() => {
          const t = title.trim();
          if (!t) {
            setTitle(draft.title);
            toast.show('标题不能为空，已恢复原标题', 'error');
          } else if (t.length > DRAFT_TITLE_MAX) {
            // kept in the box as typed (not cut), not saved: the line below says why
          } else if (t !== draft.title) void save({ title: t });
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
      {titleOver && (
        <div className="form-error small" role="alert" id="draft-title-over" data-testid="draft-title-over">
          标题不能超过 {DRAFT_TITLE_MAX} 字，现有 {title.trim().length} 字，未保存；请删减（<LimitCount n={title.trim().length} max={DRAFT_TITLE_MAX} />）
        </div>
      )}
      <div className="draft-meta">
        <span className="tag-kind">{draftScopeLabel(draft, departments)}</span>
        {draft.kind === 'field' || draft.scope.length ? (
          editScope ? (
            <span className="scope-edit">
              范围
              <input
                className="input"
                data-testid="draft-scope-input"
                autoFocus
                value={scope}
                aria-invalid={!!scopeError}
                onChange={(e) => setScope(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void saveScope();
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setScope(draft.scope.join(', '));
                    setEditScope(false);
                    setScopeError('');
                  }
                }}
              />
              <button className="btn small-btn" onClick={() => void saveScope()}>
                确定
              </button>
              {scopeError && <span className="form-error small">{scopeError}</span>}
            </span>
          ) : (
            <span>
              范围：{scopeText(draft.scope)}{' '}
              <button className="link" onClick={() => setEditScope(true)}>
                修改
              </button>
            </span>
          )
        ) : null}
        <span className="muted">
          {draft.blocks.length} 段 · 更新于 {formatTime(draft.updatedAt)}
        </span>
      </div>
      <label className="main-to">
        <span>主送</span>
        <input
          className="input"
          data-testid="draft-mainto"
          value={mainTo}
          maxLength={500}
          placeholder="如：各市人民政府，省直有关单位："
          onChange={(e) => setMainTo(e.target.value)}
          onBlur={() => {
            if (mainTo !== draft.mainTo) void save({ mainTo });
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
      </label>
    </div>
  );
}
