// 新增项目: a project the plan does not list, added with its name, category, stage, lead, cities,
// location, years and total investment; checked here first, then by the main side.
import { useState, type FormEvent } from 'react';
import type { City, Department } from '../../../shared/domain';
import { PROJECT_CATEGORIES, PROJECT_STAGES, type Project, type ProjectCategory, type ProjectNew, type ProjectStage } from '../../../shared/projects';
import { call } from '../api';
import { Modal } from '../components/Modal';
import { CityPicker } from '../components/Pickers';

export function NewProjectForm({ departments, onCancel, onSaved }: { departments: Department[]; onCancel: () => void; onSaved: (p: Project) => void }) {
  const [name, setName] = useState('');
  const [category, setCategory] = useState<ProjectCategory>(PROJECT_CATEGORIES[0]);
  const [stage, setStage] = useState<ProjectStage>('谋划');
  const [leadId, setLeadId] = useState('');
  const [cities, setCities] = useState<City[]>([]);
  const [pickCities, setPickCities] = useState(false);
  const [location, setLocation] = useState('');
  const [startYear, setStartYear] = useState('');
  const [endYear, setEndYear] = useState('');
  const [total, setTotal] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const active = departments.filter((d) => d.state === '在用');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setErr('请填写项目名称');
      return;
    }
    const num = (s: string) => (s.trim() ? Number(s) : null);
    const input: ProjectNew = {
      name: name.trim(),
      category,
      stage,
      leadId: leadId ? Number(leadId) : null,
      cities,
      location: location.trim(),
      startYear: num(startYear),
      endYear: num(endYear),
      totalInvestment: num(total),
    };
    for (const [k, v] of [['开工年份', input.startYear], ['完工年份', input.endYear], ['总投资', input.totalInvestment]] as const) {
      if (v !== null && v !== undefined && !Number.isFinite(v)) {
        setErr(`${k}应为数字`);
        return;
      }
    }
    setBusy(true);
    setErr('');
    try {
      onSaved(await call('projects.add', input));
    } catch (e2) {
      setErr(e2 instanceof Error ? e2.message : String(e2));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="新增项目（规划未列明的项目）" onClose={onCancel} width={560} testId="project-add-form">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>项目名称</span>
          <input className="input" data-testid="new-project-name" value={name} maxLength={200} autoFocus onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>类别</span>
          <select className="input" data-testid="new-project-category" value={category} onChange={(e) => setCategory(e.target.value as ProjectCategory)}>
            {PROJECT_CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>建设阶段</span>
          <select className="input" value={stage} onChange={(e) => setStage(e.target.value as ProjectStage)}>
            {PROJECT_STAGES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>牵头单位</span>
          <select className="input" value={leadId} onChange={(e) => setLeadId(e.target.value)}>
            <option value="">（暂不指定）</option>
            {active.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <span>所在城市</span>
          <span className="inline-pick">
            {cities.join('、') || <span className="muted">未选择</span>}
            <button type="button" className="btn" onClick={() => setPickCities(true)}>
              选择…
            </button>
          </span>
        </div>
        {pickCities && (
          <CityPicker
            value={cities}
            onCancel={() => setPickCities(false)}
            onOk={(v) => {
              setCities(v);
              setPickCities(false);
            }}
          />
        )}
        <label className="field">
          <span>县市区</span>
          <input className="input" value={location} maxLength={200} onChange={(e) => setLocation(e.target.value)} />
        </label>
        <div className="field">
          <span>建设年限</span>
          <span className="inline-pick">
            <input className="input num short" aria-label="开工年份" placeholder="开工" value={startYear} onChange={(e) => setStartYear(e.target.value)} />—
            <input className="input num short" aria-label="完工年份" placeholder="完工" value={endYear} onChange={(e) => setEndYear(e.target.value)} />年
          </span>
        </div>
        <label className="field">
          <span>总投资</span>
          <span className="inline-pick">
            <input className="input num short" value={total} onChange={(e) => setTotal(e.target.value)} /> 亿元
          </span>
        </label>
        {err && <div className="form-error">{err}</div>}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onCancel}>
            取消
          </button>
          <button type="submit" className="btn primary" data-testid="new-project-save" disabled={busy}>
            新增
          </button>
        </div>
      </form>
    </Modal>
  );
}
