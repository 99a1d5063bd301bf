import { useEffect, useState } from 'react';
import type { UserIdentity } from '../../../shared/domain';
import type { AppInfo } from '../../../shared/ipc/contract';
import { call } from '../api';
import { useToast } from '../components/Toast';
import { IdentityForm } from '../App';
import { TemplateSettings } from './TemplateSettings';
import { BackupSettings } from './BackupSettings';
import { UpdateSettings } from './UpdateSettings';
import { SyncSettings } from './SyncSettings';
import { RoundRulesSettings } from './RoundRulesSettings';

export function SettingsPage({ identity, onIdentity }: { identity: UserIdentity | null; onIdentity: (id: UserIdentity) => void }) {
  const toast = useToast();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    call('app.info', {}).then(setInfo, (e: unknown) => toast.error(e));
  }, [toast]);
  return (
    <div className="settings-page">
      <div className="page-head">
        <h2>设置</h2>
      </div>
      <section className="card">
        <h3>使用人</h3>
        <p className="hint">所有修改都会以此姓名和单位记入操作记录。多人共用电脑时，换人使用前请修改。</p>
        <IdentityForm
          key={identity ? `${identity.name}|${identity.unit}` : 'none'}
          initial={identity}
          compact
          onSaved={(id) => {
            onIdentity(id);
            toast.show('已保存使用人信息', 'success');
          }}
        />
      </section>
      <section className="card card-wide" data-testid="template-settings">
        <h3>公文模板</h3>
        <p className="hint">导出的 Word 文档（分工方案、进展情况报告、任务清单）按此排版，默认值符合 GB/T 9704-2012《党政机关公文格式》。本地有不同要求时可在此调整。</p>
        <TemplateSettings />
      </section>
      <section className="card card-wide">
        <h3>调度考核规则</h3>
        <RoundRulesSettings />
      </section>
      <section className="card card-wide">
        <h3>备份与恢复</h3>
        <BackupSettings />
      </section>
      <section className="card card-wide">
        <h3>联网协同</h3>
        <SyncSettings />
      </section>
      <section className="card card-wide">
        <h3>程序更新</h3>
        <UpdateSettings />
      </section>
      <section className="card">
        <h3>关于</h3>
        {info ? (
          <dl className="info" data-testid="app-info">
            <dt>版本</dt>
            <dd>{info.version || '—'}</dd>
            <dt>数据库</dt>
            <dd className="mono">{info.dbPath}</dd>
            <dt>运行方式</dt>
            <dd>{info.shell === 'electron' ? '桌面程序（Electron）' : '浏览器（测试服务）'}</dd>
            <dt>措施条数</dt>
            <dd>{info.measureCount}</dd>
          </dl>
        ) : (
          <p className="muted">正在读取…</p>
        )}
      </section>
    </div>
  );
}
