// 设置 › 程序更新: the intranet folder the installed app takes updates from (none by default, so
// nothing is contacted), 检查更新 (the version found), 下载 with progress, installed when the app quits.
// The browser version and development builds show the folder but say why they cannot update.
import { useEffect, useState } from 'react';
import type { UpdateCheck, UpdateConfig, UpdateProgress } from '../../../shared/updates';
import { call, onEvent } from '../api';
import { useToast } from '../components/Toast';

export function UpdateSettings() {
  const toast = useToast();
  const [config, setConfig] = useState<UpdateConfig | null>(null);
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState<null | 'save' | 'check' | 'download'>(null);
  const [found, setFound] = useState<UpdateCheck | null>(null);
  const [progress, setProgress] = useState<UpdateProgress | null>(null);
  const [downloaded, setDownloaded] = useState<string | null>(null);

  useEffect(() => {
    call('updates.getConfig', {}).then(
      (c) => {
        setConfig(c);
        setUrl(c.url ?? '');
      },
      (e: unknown) => toast.error(e),
    );
    return onEvent('updates.progress', (p) => setProgress(p as UpdateProgress));
  }, [toast]);

  const run = async <T,>(what: 'save' | 'check' | 'download', fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(what);
    try {
      return await fn();
    } catch (e) {
      toast.error(e);
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const save = () =>
    run('save', async () => {
      const c = await call('updates.setUrl', { url: url.trim() ? url.trim() : null });
      setConfig(c);
      setUrl(c.url ?? '');
      setFound(null);
      toast.show(c.url ? '已保存更新地址' : '已清除更新地址：不再检查更新', 'success');
    });
  const check = () =>
    run('check', async () => {
      const r = await call('updates.check', {});
      setFound(r);
      if (!r.available) toast.show(`当前版本 ${r.current} 已是最新`, 'success');
    });
  const download = () =>
    run('download', async () => {
      setProgress(null);
      const r = await call('updates.download', {});
      setDownloaded(r.version);
    });

  if (!config) return <p className="hint">正在读取…</p>;
  const dirty = (config.url ?? '') !== url.trim();
  return (
    <div className="update-settings" data-testid="update-settings">
      <p className="hint">
        当前版本 {config.version}。信息中心把新版安装包放在内网的一个网址文件夹中（见 README“安装包”），在此填写该网址即可检查更新；不填写则从不联网检查。
      </p>
      <div className="update-row">
        <label htmlFor="update-url">更新地址</label>
        <input
          id="update-url"
          className="input"
          type="url"
          value={url}
          placeholder="例如 http://10.1.2.3/czt-workbench/"
          maxLength={500}
          onChange={(e) => setUrl(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && dirty) void save();
          }}
        />
        <button className="btn" disabled={!dirty || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? '正在保存…' : '保存'}
        </button>
      </div>
      {!config.supported && config.reason && <p className="hint">{config.reason}</p>}
      <div className="update-row">
        <button className="btn" disabled={!config.supported || !config.url || dirty || busy !== null} onClick={() => void check()}>
          {busy === 'check' ? '正在检查…' : '检查更新'}
        </button>
        {found?.available && !downloaded && (
          <>
            <span role="status">
              发现新版本 {found.available}
              {found.releaseDate ? `（${found.releaseDate.slice(0, 10)} 发布）` : ''}
            </span>
            <button className="btn primary" disabled={busy !== null} onClick={() => void download()}>
              {busy === 'download' ? `正在下载 ${progress ? `${progress.percent}%` : '…'}` : '下载'}
            </button>
          </>
        )}
        {busy === 'download' && progress && <progress max={100} value={progress.percent} aria-label="下载进度" />}
        {downloaded && <span role="status">新版本 {downloaded} 已下载并校验，退出程序时自动安装。</span>}
      </div>
    </div>
  );
}
