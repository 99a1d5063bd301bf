// 收取: many returned ledgers at once (files, or a folder with a sub-folder per department), and the
// 佐证材料 that came with them, named by measure id (4.1.1.3-验收报告.pdf). First everything is
// checked (dry runs): the department each ledger was recognised as, or why it is refused; each
// conflict (a value changed here since 下发 and in the file), chosen field by field with the import
// page's component, or all at once (全部保留 / 全部采用); each attachment, to which department and
// measure it goes, or why it is refused. Then the accepted files are taken in with exactly the
// choices made, and the attachments added to the departments whose ledgers were taken in.
import { useRef, useState } from 'react';
import { EVIDENCE_MAX_MB, EVIDENCE_MEASURE_PREFIX, type CollectFileResult, type EvidenceFileResult, type RoundDeptStatus } from '../../../shared/rounds';
import { call, fileForCall } from '../api';
import { chinaToday, formatBytes } from '../components/Busy';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { fileToBase64 } from '../importing/useImportFlow';
import { ImportConflicts } from '../importing/ImportConflicts';
import { conflictChoices, type Choice, type ConflictChoices, type PerField } from '../importing/conflictChoices';
import { EVIDENCE_ACCEPT } from './EvidencePanel';

/** a returned ledger as the call sends it: its path in Electron (read by the collect worker), else base64 */
type Ledger = Awaited<ReturnType<typeof fileForCall>>;
type Picked = { name: string; base64: string; size: number };
type Local = { name: string; size: number; refused: string };

const LEDGER = /\.(xlsx|xls|et|csv|ods)$/i;
const MAX_BYTES = EVIDENCE_MAX_MB * 1024 * 1024;

/** the person's conflict choices for one returned file */
type FileChoice = { onConflict: Choice; perField: PerField };
const DEFAULT_CHOICE: FileChoice = { onConflict: 'keep', perField: {} };

/** Every file's explicit choices in one perField, or null when two files chose differently for the same measure's field. */
export function mergeChoices(perFile: PerField[]): PerField | null {
  const merged: PerField = {};
  for (const p of perFile)
    for (const [m, fields] of Object.entries(p))
      for (const [f, c] of Object.entries(fields)) {
        if (merged[m]?.[f] !== undefined && merged[m][f] !== c) return null;
        (merged[m] ??= {})[f] = c;
      }
  return merged;
}

/** Files in requests of at most ~40 MB of base64 (the browser version's bridge takes 64 MB a request) and 200 files each (the channel's limit). */
function inBatches<T extends { base64: string }>(files: T[], max = 40_000_000): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let size = 0;
  for (const f of files) {
    if (cur.length && (size + f.base64.length > max || cur.length >= 200)) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(f);
    size += f.base64.length;
  }
  if (cur.length) out.push(cur);
  return out;
}

export function CollectDialog({ roundId, departments, onClose, onCollected }: { roundId: number; departments: RoundDeptStatus[]; onClose: () => void; onCollected: () => void }) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const [ledgers, setLedgers] = useState<Ledger[]>([]);
  const [evidence, setEvidence] = useState<Picked[]>([]);
  const [tooBig, setTooBig] = useState<Local[]>([]);
  const [ignored, setIgnored] = useState<string[]>([]);
  const [checked, setChecked] = useState<CollectFileResult[] | null>(null);
  const [evChecked, setEvChecked] = useState<EvidenceFileResult[]>([]);
  const [received, setReceived] = useState(chinaToday());
  const [choices, setChoices] = useState<Record<string, FileChoice>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<CollectFileResult[] | null>(null);
  const [evDone, setEvDone] = useState<EvidenceFileResult[] | null>(null);
  /** files without the round's record whose department the person named: file → deptId */
  const [confirmed, setConfirmed] = useState<Record<string, number>>({});
  /** the department chosen in a refused file's picker, before it is confirmed */
  const [chosenDept, setChosenDept] = useState<Record<string, number>>({});

  const deptIdOf = (name: string | null) => departments.find((d) => d.name === name)?.deptId;
  const takenDepts = (rs: CollectFileResult[]) => [...new Set(rs.filter((r) => !r.refused).map((r) => deptIdOf(r.department)).filter((x): x is number => x !== undefined))];
  // today: received now (a date alone means noon, which may not have come yet)
  const receivedAt = () => (received === chinaToday() ? {} : { receivedAt: received });

  const pick = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy('正在读取并识别文件…');
    try {
      const all = [...list].filter((f) => !f.name.startsWith('.'));
      // an Excel file named by a measure id is an attachment, not a ledger (ledgers are named 03-单位-轮次.xlsx)
      const isEvidence = (n: string) => EVIDENCE_MEASURE_PREFIX.test(n);
      const ledgerFiles = all.filter((f) => LEDGER.test(f.name) && !isEvidence(f.name));
      const evFiles = all.filter((f) => isEvidence(f.name));
      setIgnored(all.filter((f) => !ledgerFiles.includes(f) && !evFiles.includes(f)).map((f) => f.name));
      const big = evFiles.filter((f) => f.size > MAX_BYTES);
      setTooBig(big.map((f) => ({ name: f.name, size: f.size, refused: `文件大小为 ${(f.size / 1048576).toFixed(1)} MB，超过 ${EVIDENCE_MAX_MB} MB 的上限（未添加）` })));
      const read = (fs: File[]) => Promise.all(fs.map(async (f) => ({ name: f.name, base64: await fileToBase64(f), size: f.size })));
      const l = await Promise.all(ledgerFiles.map((f) => fileForCall(f, fileToBase64)));
      const e = await read(evFiles.filter((f) => f.size <= MAX_BYTES));
      setLedgers(l);
      setEvidence(e);
      setChoices({});
      setConfirmed({});
      setChosenDept({});
      setDone(null);
      setEvDone(null);
      const c = l.length ? await call('rounds.collect', { roundId, files: l, dryRun: true, ...receivedAt() }) : [];
      setChecked(c);
      setEvChecked(await collectEvidence(e, takenDepts(c), true));
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(null);
    }
  };

  /** the attachments named by measure id, to the departments whose ledgers were (or would be) taken in */
  const collectEvidence = async (files: Picked[], deptIds: number[], dryRun: boolean): Promise<EvidenceFileResult[]> => {
    const out: EvidenceFileResult[] = [];
    for (const b of inBatches(files)) out.push(...(await call('rounds.collectEvidence', { roundId, files: b.map(({ name, base64 }) => ({ name, base64 })), deptIds, ...(dryRun ? { dryRun } : {}) })));
    return out;
  };

  const choiceFor = (r: CollectFileResult): ConflictChoices => {
    const c = choices[r.file] ?? DEFAULT_CHOICE;
    const set = (next: (c: FileChoice) => FileChoice) => setChoices((all) => ({ ...all, [r.file]: next(all[r.file] ?? DEFAULT_CHOICE) }));
    return conflictChoices(
      r.conflictRows,
      c.onConflict,
      (onConflict) => set((x) => ({ ...x, onConflict })),
      c.perField,
      (u) => set((x) => ({ ...x, perField: typeof u === 'function' ? u(x.perField) : u })),
    );
  };
  const setAll = (c: Choice) => setChoices(Object.fromEntries((checked ?? []).map((r) => [r.file, { onConflict: c, perField: {} }])));

  // a file without the round's record: checked again as the department the person named
  const confirmDept = async (file: string) => {
    const r = (checked ?? []).find((c) => c.file === file);
    const deptId = chosenDept[file] ?? r?.suggestedDeptId ?? undefined;
    const ledger = ledgers.find((f) => f.name === file);
    if (!r || !ledger || deptId === undefined) return;
    setBusy('正在按指定单位检查…');
    try {
      const [again] = await call('rounds.collect', { roundId, files: [ledger], dryRun: true, deptId, ...receivedAt() });
      // refused as that department (the file names another): the picker stays for another choice
      const row = again.refused ? { ...again, needsDept: true, suggestedDeptId: r.suggestedDeptId } : again;
      setChecked((all) => (all ?? []).map((c) => (c.file === file ? row : c)));
      if (!again.refused) setConfirmed((all) => ({ ...all, [file]: deptId }));
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(null);
    }
  };

  const takeIn = async () => {
    const ok = (checked ?? []).filter((c) => !c.refused);
    const okEvidence = evChecked.filter((e) => !e.refused);
    if (!ok.length && !okEvidence.length) return;
    setBusy('正在收取…');
    try {
      // files whose department the person named go one by one, with that department
      const perFile = ok.filter((r) => confirmed[r.file] === undefined).map((r) => ({ file: ledgers.find((f) => f.name === r.file)!, perField: choiceFor(r).explicit() }));
      // one request with every file's choices; where two files chose differently for the same
      // measure's field (a lead and a co-operating department), one request per file
      const merged = mergeChoices(perFile.map((p) => p.perField));
      const requests = merged ? (perFile.length ? [{ files: perFile.map((p) => p.file), perField: merged }] : []) : perFile.map((p) => ({ files: [p.file], perField: p.perField }));
      const results: CollectFileResult[] = [];
      for (const q of requests)
        results.push(...(await call('rounds.collect', { roundId, files: q.files, onConflict: 'keep', perField: q.perField, ...receivedAt() })));
      for (const r of ok.filter((x) => confirmed[x.file] !== undefined))
        results.push(
          ...(await call('rounds.collect', { roundId, files: [ledgers.find((f) => f.name === r.file)!], deptId: confirmed[r.file], onConflict: 'keep', perField: choiceFor(r).explicit(), ...receivedAt() })),
        );
      setDone(results);
      const evFiles = evidence.filter((f) => okEvidence.some((e) => e.file === f.name));
      const ev = await collectEvidence(evFiles, takenDepts(results), false);
      setEvDone(ev);
      const n = results.filter((x) => !x.refused).length;
      const m = ev.filter((x) => !x.refused).length;
      toast.show(`已收取 ${n} 个单位的报送${m ? `，添加佐证材料 ${m} 份` : ''}`, 'success');
      onCollected();
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(null);
    }
  };

  const rows = done ?? checked ?? [];
  const evRows = evDone ?? evChecked;
  const withConflicts = (checked ?? []).filter((c) => !c.refused && (c.conflictRows?.length ?? 0) > 0);
  const conflicts = withConflicts.reduce((n, c) => n + c.conflicts, 0);
  const takeable = (checked ?? []).filter((c) => !c.refused).length;
  const evTakeable = evChecked.filter((e) => !e.refused).length;
  const sizeOf = (name: string) => evidence.find((f) => f.name === name)?.size;
  return (
    <Modal
      title="收取报送文件"
      onClose={onClose}
      width={980}
      testId="round-collect-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {done ? '完成' : '取消'}
          </button>
          {!done && (
            <button type="button" className="btn primary" disabled={(!takeable && !evTakeable) || !!busy} onClick={() => void takeIn()} data-testid="collect-take">
              收取 {takeable} 个文件{evTakeable ? `和 ${evTakeable} 份佐证材料` : ''}
            </button>
          )}
        </>
      }
    >
      <div className="toolbar">
        <label>
          收到日期
          <input className="input" type="date" value={received} max={chinaToday()} onChange={(e) => setReceived(e.target.value)} data-testid="collect-received" />
        </label>
        <button type="button" className="btn" onClick={() => input.current?.click()} disabled={!!busy} data-testid="collect-choose">
          选择文件（可多选）…
        </button>
        <button type="button" className="btn" onClick={() => folder.current?.click()} disabled={!!busy} data-testid="collect-choose-folder">
          选择文件夹…
        </button>
        <input ref={input} type="file" multiple accept={`.xlsx,.xls,.et,.csv,${EVIDENCE_ACCEPT}`} hidden aria-label="选择报送文件" data-testid="collect-input" onChange={(e) => void pick(e.target.files)} />
        <input ref={folder} type="file" hidden aria-label="选择报送文件夹" data-testid="collect-folder" {...{ webkitdirectory: '' }} onChange={(e) => void pick(e.target.files)} />
      </div>
      <p className="muted small">佐证材料（PDF、Word、Excel、图片，每份不超过 {EVIDENCE_MAX_MB} MB）请以措施编号开头命名，如“4.1.1.3-验收报告.pdf”，与台账一并选择或放在同一文件夹中。</p>
      {busy && <p role="status">{busy}</p>}
      {rows.length > 0 && (
        <table className="data-table" data-testid="collect-files">
          <thead>
            <tr>
              <th scope="col">文件</th>
              <th scope="col">识别为</th>
              <th scope="col">报送项</th>
              <th scope="col">有变化</th>
              <th scope="col">冲突</th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.file} data-testid="collect-file">
                <td>{r.file}</td>
                <td>{r.department ?? '未识别'}</td>
                <td>{r.reports}</td>
                <td>{r.changed}</td>
                <td>{r.conflicts}</td>
                <td className={r.refused ? 'bad' : ''}>
                  {r.refused ? `拒收：${r.refused}` : done ? `已收取${r.lateDays > 0 ? `（逾期 ${r.lateDays} 天）` : ''}` : `可收取${r.lateDays > 0 ? `（逾期 ${r.lateDays} 天）` : ''}`}
                  {!done && confirmed[r.file] !== undefined && !r.refused && <span className="muted small">（按您确认的单位）</span>}
                  {!done && r.needsDept && (
                    <span className="collect-confirm-dept">
                      <select
                        aria-label={`“${r.file}”的报送单位`}
                        value={chosenDept[r.file] ?? r.suggestedDeptId ?? ''}
                        onChange={(e) => setChosenDept((all) => ({ ...all, [r.file]: Number(e.target.value) }))}
                        data-testid="collect-dept-select"
                      >
                        {(r.suggestedDeptId ?? null) === null && chosenDept[r.file] === undefined && <option value="">请选择报送单位</option>}
                        {departments.map((d) => (
                          <option key={d.deptId} value={d.deptId}>
                            {d.name}
                          </option>
                        ))}
                      </select>
                      <button
                        type="button"
                        className="btn small-btn"
                        disabled={!!busy || (chosenDept[r.file] ?? r.suggestedDeptId ?? null) === null}
                        onClick={() => void confirmDept(r.file)}
                        data-testid="collect-dept-confirm"
                      >
                        确认单位并检查
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(evRows.length > 0 || tooBig.length > 0) && (
        <table className="data-table" data-testid="collect-evidence">
          <caption className="muted small">随报送提交的佐证材料</caption>
          <thead>
            <tr>
              <th scope="col">文件</th>
              <th scope="col">措施</th>
              <th scope="col">单位</th>
              <th scope="col">大小</th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {evRows.map((e) => (
              <tr key={e.file} data-testid="collect-evidence-file">
                <td>{e.file}</td>
                <td>{e.measureId ?? '—'}</td>
                <td>{e.department ?? '—'}</td>
                <td>{sizeOf(e.file) !== undefined ? formatBytes(sizeOf(e.file)!) : '—'}</td>
                <td className={e.refused ? 'bad' : ''}>{e.refused ? `拒收：${e.refused}` : evDone ? '已添加' : '可添加'}</td>
              </tr>
            ))}
            {tooBig.map((e) => (
              <tr key={e.name} data-testid="collect-evidence-file">
                <td>{e.name}</td>
                <td>—</td>
                <td>—</td>
                <td>{formatBytes(e.size)}</td>
                <td className="bad">拒收：{e.refused}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ignored.length > 0 && (
        <p className="muted small" data-testid="collect-ignored">
          已忽略 {ignored.length} 个既不是台账、也未以措施编号开头的文件：{ignored.slice(0, 5).join('、')}
          {ignored.length > 5 ? ' 等' : ''}
        </p>
      )}
      {!done && conflicts > 0 && (
        <div className="collect-conflicts" data-testid="collect-conflicts">
          <div className="toolbar" role="group" aria-label="全部冲突">
            <span>
              {conflicts} 处冲突：下发后本库已修改、报送文件也改了同一项。请逐项选择，或
            </span>
            <button type="button" className="btn small-btn" onClick={() => setAll('keep')} data-testid="collect-conflict-keep">
              全部保留本库
            </button>
            <button type="button" className="btn small-btn" onClick={() => setAll('take')} data-testid="collect-conflict-take">
              全部采用报送
            </button>
          </div>
          {withConflicts.map((r, i) => (
            <ImportConflicts
              key={r.file}
              preview={{ previewId: r.file, conflicts: r.conflictRows ?? [] }}
              fl={choiceFor(r)}
              group={`f${i}-`}
              title={`${r.department}（${r.file}）`}
              baseLabel="下发时"
              hint="下发之后，本库和报送文件都改了同一项。请逐项选择保留本库的现值，还是采用报送文件填报的值（“台账填报”）。"
            />
          ))}
        </div>
      )}
    </Modal>
  );
}
