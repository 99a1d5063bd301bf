// What the export centre's form holds: the document type, its scope (one per type), the options
// (dates, title, preamble, how unconfirmed leads are printed), the suggested leads the scope would
// name, the report log a 进展情况报告 compares against, and what still stops the export.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { City, Department, PlanTreeNode } from '../../../shared/domain';
import type { ExportKind, ReportLogEntry } from '../../../shared/ipc/contract';
import type { UnconfirmedMode } from '../../../shared/ledger';
import { call } from '../api';
import { chinaToday } from '../components/Busy';
import { useToast } from '../components/Toast';
import { KINDS, NO_SCOPE, ROLE_LABEL, collectChapters, type Scope } from './kinds';

export function useExportForm(active: boolean, departments: Department[]) {
  const toast = useToast();
  const [kind, setKind] = useState<ExportKind>('allocation.docx');
  const [scopes, setScopes] = useState<Partial<Record<ExportKind, Scope>>>({});
  const { deptId, role, city, chapter } = scopes[kind] ?? NO_SCOPE;
  const setScope = (patch: Partial<Scope>) => setScopes((all) => ({ ...all, [kind]: { ...(all[kind] ?? NO_SCOPE), ...patch } }));
  const setDeptId = (v: number | undefined) => setScope({ deptId: v });
  const setRole = (v: Scope['role']) => setScope({ role: v });
  const setCity = (v: City | '') => setScope({ city: v });
  const setChapter = (v: string) => setScope({ chapter: v });
  /** suggested leads in the chosen scope (null: this kind names none; undefined: counting) */
  const [suggested, setSuggested] = useState<number | null | undefined>(undefined);
  const [unconfirmed, setUnconfirmed] = useState<UnconfirmedMode>('mark');
  const [plainConfirmed, setPlainConfirmed] = useState(false);
  const [date, setDate] = useState(chinaToday);
  const [dueDate, setDueDate] = useState('');
  const [title, setTitle] = useState('');
  const [preamble, setPreamble] = useState('');
  const [chapters, setChapters] = useState<PlanTreeNode[]>([]);
  const [reports, setReports] = useState<ReportLogEntry[] | null>(null);
  const info = KINDS.find((k) => k.kind === kind)!;
  const deptName = useCallback((id: number | undefined) => departments.find((d) => d.id === id)?.name ?? '', [departments]);

  useEffect(() => {
    call('plan.tree', {}).then(
      (tree) => setChapters(collectChapters(tree).filter((c) => Number(c.id) >= 3 && Number(c.id) <= 9)),
      (e: unknown) => toast.error(e),
    );
  }, [toast]);

  const loadReports = useCallback(async () => {
    try {
      setReports(await call('reports.list', { kind: 'briefing' }));
    } catch (e) {
      toast.error(e);
    }
  }, [toast]);
  // read the report log whenever the page is shown: reports may also come from the command line
  useEffect(() => {
    if (active) void loadReports();
  }, [active, loadReports]);

  // how many suggested leads this export would name: the warning says so before anything is written
  const scopeInput = useMemo(
    () => ({
      kind,
      ...(info.dept !== 'none' && deptId !== undefined ? { deptId } : {}),
      ...(info.role && deptId !== undefined ? { role } : {}),
      ...(info.city && city ? { city } : {}),
      ...(info.chapter && chapter ? { chapter: Number(chapter) } : {}),
    }),
    [kind, info, deptId, role, city, chapter],
  );
  useEffect(() => {
    if (!active) return;
    let live = true;
    setSuggested(undefined);
    if (info.dept === 'required' && deptId === undefined) return;
    call('export.suggestions', scopeInput).then(
      (r) => live && setSuggested(r.suggested),
      () => live && setSuggested(null),
    );
    return () => {
      live = false;
    };
  }, [active, scopeInput, info.dept, deptId]);
  // printing guesses as assignments is confirmed for one scope at a time
  useEffect(() => setPlainConfirmed(false), [scopeInput]);

  const base = useMemo(() => {
    if (!reports) return null;
    return [...reports].filter((r) => r.asOf < date).sort((a, b) => (a.asOf === b.asOf ? b.id - a.id : a.asOf < b.asOf ? 1 : -1))[0] ?? null;
  }, [reports, date]);

  const problems: string[] = [];
  if (info.dept === 'required' && deptId === undefined) problems.push('部门任务清单须选择一个部门');
  if (info.date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.push(info.date === 'report' ? '请填写报告日期' : '请填写落款日期');
  if (info.due && dueDate && date && dueDate < date) problems.push('回复期限不能早于落款日期');
  if (info.role && role !== 'all' && deptId === undefined) problems.push('按牵头或配合筛选时须选择一个部门');
  const hasSuggestions = typeof suggested === 'number' && suggested > 0;
  if (hasSuggestions && unconfirmed === 'plain' && !plainConfirmed) problems.push('照原样输出未确认的建议牵头单位，须先勾选确认');

  const scopeText = (): string => {
    const parts: string[] = [];
    if (info.dept !== 'none' && deptId !== undefined) parts.push(`${deptName(deptId)}${info.role && role !== 'all' ? `（${ROLE_LABEL[role]}）` : ''}`);
    if (city) parts.push(city);
    if (chapter) parts.push(chapters.find((c) => c.id === chapter)?.label.split(/\s/)[0] ?? `第${chapter}章`);
    if (!parts.length) parts.push(info.kind === 'projects.xlsx' ? '全部重点项目' : info.kind === 'indicators.xlsx' ? '全部目标指标' : '全部措施（第三章至第九章）');
    if (info.date === 'report') parts.push(`截至 ${date}`);
    return parts.join('，');
  };

  /** what export.run is asked for (the scope, the options that apply to this type) */
  const runInput = (exportId: string) => ({
    ...scopeInput,
    ...(hasSuggestions ? { unconfirmed } : {}),
    scopeLabel: scopeText(),
    ...(info.date && date ? { date } : {}),
    ...(info.due && dueDate ? { dueDate } : {}),
    ...(info.title && title.trim() ? { title: title.trim() } : {}),
    ...(info.preamble && preamble.trim() ? { preamble: preamble.trim() } : {}),
    exportId,
  });

  return {
    kind,
    setKind,
    info,
    deptId,
    setDeptId,
    role,
    setRole,
    city,
    setCity,
    chapter,
    setChapter,
    chapters,
    suggested,
    hasSuggestions,
    unconfirmed,
    setUnconfirmed,
    plainConfirmed,
    setPlainConfirmed,
    date,
    setDate,
    dueDate,
    setDueDate,
    title,
    setTitle,
    preamble,
    setPreamble,
    reports,
    loadReports,
    base,
    problems,
    scopeText,
    runInput,
  };
}

export type ExportForm = ReturnType<typeof useExportForm>;
