// 版本: save a named version, list them, compare any two (or one with 当前) side by side,
// go back to one.
import { useCallback, useEffect, useState } from 'react';
import type { Draft, DraftCompare, DraftVersion } from '../../../shared/drafts';
import { call, errorMessage } from '../api';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toast';
import { formatTime } from '../components/Busy';

type Side = number | 'current';

interface Props {
  draft: Draft;
  /** saves every pending paragraph first */
  flush: () => Promise<void>;
  onRestored: (d: Draft) => void;
  /** a version was saved or restored: the list's version counts are stale */
  onVersionsChanged: () => void;
}

const KIND_TEXT = { same: '相同', added: '新增', removed: '删除', changed: '修改' } as const;

export function VersionsPanel({ draft, flush, onRestored, onVersionsChanged }: Props) {
  const toast = useToast();
  const [versions, setVersions] = useState<DraftVersion[] | null>(null);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [left, setLeft] = useState<Side | ''>('');
  const [right, setRight] = useState<Side>('current');
  const [compare, setCompare] = useState<DraftCompare | null>(null);
  const [comparing, setComparing] = useState(false);
  const [onlyChanges, setOnlyChanges] = useState(true);
  const [restore, setRestore] = useState<DraftVersion | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    try {
      const vs = await call('drafts.listVersions', { draftId: draft.id });
      setVersions(vs);
      setLeft((l) => (l === '' || (typeof l === 'number' && !vs.some((v) => v.id === l)) ? (vs[0]?.id ?? '') : l));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [draft.id]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    const n = name.trim() || `版本 ${(versions?.length ?? 0) + 1}`;
    setSaving(true);
    setError('');
    try {
      await flush();
      const v = await call('drafts.saveVersion', { draftId: draft.id, name: n });
      setName('');
      toast.show(`已保存版本“${v.name}”`, 'success');
      await load();
      setLeft(v.id);
      onVersionsChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const runCompare = async (l: Side, r: Side) => {
    if (l === r) {
      setError('请选择两个不同的版本进行比较');
      return;
    }
    setComparing(true);
    setError('');
    try {
      await flush();
      setCompare(await call('drafts.compare', { draftId: draft.id, left: l, right: r }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setComparing(false);
    }
  };

  const doRestore = async () => {
    if (!restore) return;
    setRestoring(true);
    try {
      await flush();
      const d = await call('drafts.restoreVersion', { draftId: draft.id, versionId: restore.id });
      toast.show(`已恢复到版本“${restore.name}”`, 'success');
      setRestore(null);
      setCompare(null);
      onRestored(d);
      await load();
      onVersionsChanged();
    } catch (e) {
      toast.error(e);
    } finally {
      setRestoring(false);
    }
  };

  const sideName = (s: Side | '') => (s === 'current' ? '当前' : (versions?.find((v) => v.id === s)?.name ?? ''));
  const rows = compare ? (onlyChanges ? compare.rows.filter((r) => r.kind !== 'same') : compare.rows) : [];

  return (
    <div className="side-panel" data-testid="versions-panel">
      <form
        className="version-save"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input
          className="input grow"
          data-testid="version-name"
          aria-label="版本名称"
          maxLength={60}
          placeholder={`版本名称，如：征求意见稿（留空为“版本 ${(versions?.length ?? 0) + 1}”）`}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button className="btn primary" type="submit" data-testid="version-save" disabled={saving}>
          {saving ? '保存中…' : '保存版本'}
        </button>
      </form>

      <div className="version-compare-bar">
        <select className="input" aria-label="较早的版本" data-testid="compare-left" value={left} onChange={(e) => setLeft(e.target.value === 'current' ? 'current' : Number(e.target.value))}>
          {versions?.length === 0 && <option value="">（还没有版本）</option>}
          {versions?.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
          <option value="current">当前</option>
        </select>
        <span className="muted">与</span>
        <select className="input" aria-label="较新的版本" data-testid="compare-right" value={right} onChange={(e) => setRight(e.target.value === 'current' ? 'current' : Number(e.target.value))}>
          <option value="current">当前</option>
          {versions?.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
        <button className="btn" data-testid="version-compare" disabled={left === '' || comparing} onClick={() => left !== '' && void runCompare(left, right)}>
          {comparing ? '比较中…' : '比较'}
        </button>
      </div>
      {error && (
        <div className="form-error" role="alert" data-testid="version-error">
          {error}
        </div>
      )}

      {versions === null ? (
        <p className="muted small">正在读取版本…</p>
      ) : versions.length === 0 ? (
        <p className="muted small">还没有保存过版本。定稿、送审或征求意见前保存一个版本，以后可以比较或恢复。</p>
      ) : (
        <ul className="version-list">
          {versions.map((v) => (
            <li key={v.id} data-testid="version-item" data-version-id={v.id}>
              <div className="version-main">
                <span className="version-name">{v.name}</span>
                <span className="muted small">
                  {formatTime(v.createdAt)} · {v.actor}
                </span>
              </div>
              <div className="version-btns">
                <button
                  className="link"
                  data-testid="version-compare-current"
                  onClick={() => {
                    setLeft(v.id);
                    setRight('current');
                    void runCompare(v.id, 'current');
                  }}
                >
                  与当前比较
                </button>
                <button className="link danger-link" data-testid="version-restore" onClick={() => setRestore(v)}>
                  恢复到此版本
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {compare && (
        <Modal title={`比较：${compare.left} → ${compare.right}`} onClose={() => setCompare(null)} width={1180} testId="compare-modal">
          <div className="compare-head">
            <span className="count-chip k-added">新增 {compare.counts.added}</span>
            <span className="count-chip k-removed">删除 {compare.counts.removed}</span>
            <span className="count-chip k-changed">修改 {compare.counts.changed}</span>
            <span className="count-chip k-same">相同 {compare.counts.same}</span>
            <label className="check">
              <input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} data-testid="compare-only-changes" />
              只显示变化
            </label>
          </div>
          <table className="compare-table" data-testid="compare-table">
            <thead>
              <tr>
                <th className="k">　</th>
                <th>{compare.left || sideName(left)}</th>
                <th>{compare.right || sideName(right)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className={`k-${r.kind}`} data-testid="compare-row" data-kind={r.kind}>
                  <td className="k">{KIND_TEXT[r.kind]}</td>
                  <td className="l">{r.left ?? ''}</td>
                  <td className="r">{r.right ?? ''}</td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    两者内容相同。
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </Modal>
      )}

      {restore && (
        <Modal
          title="恢复到此版本"
          onClose={restoring ? undefined : () => setRestore(null)}
          testId="restore-confirm"
          footer={
            <>
              <button className="btn" onClick={() => setRestore(null)} disabled={restoring}>
                取消
              </button>
              <button className="btn danger" data-testid="restore-confirm-ok" autoFocus disabled={restoring} onClick={() => void doRestore()}>
                {restoring ? '正在恢复…' : '恢复'}
              </button>
            </>
          }
        >
          <p>
            将方案内容恢复为版本“<b>{restore.name}</b>”（{formatTime(restore.createdAt)}，{restore.actor}）。
          </p>
          <p className="hint" style={{ marginTop: 8 }}>
            当前内容会被替换。如需保留当前内容，请先取消并“保存版本”。
          </p>
        </Modal>
      )}
    </div>
  );
}
