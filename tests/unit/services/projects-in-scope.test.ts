// A draft's related projects (方案起草's 重点项目表 and its row count) are found in SQL
// (ProjectQueries.projectIdsInScope): on a generated database they must be exactly the projects the
// plain rule picks from the whole list (own task or a linked task in or under the scope, the city,
// the lead department), in the list's order, with the same cities, tasks and year plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openWorkbenchDb } from '../../../electron/db/open';
import { contextFor } from '../../../electron/core/context';
import { deleteProject, listProjects } from '../../../electron/services/projects';
import { getFieldMapping, projectsInScope } from '../../../electron/services/drafts';
import { CITIES } from '../../../shared/domain';
import { DRAFT_FIELDS } from '../../../shared/drafts';
import { generatedLedger } from '../../support/db';

test('projects in a scope, found in SQL, are the ones the plain rule picks from every project', () => {
  const { dir, file } = generatedLedger({ measures: 2000, projects: 1500, seed: 11 });
  const db = openWorkbenchDb(file, { quickCheck: false });
  try {
    const ctx = contextFor(db);
    const all0 = listProjects(ctx);
    // a deleted project is never related
    deleteProject(ctx, all0[3].id);
    const all = listProjects(ctx);
    assert.equal(all.length, all0.length - 1);
    const under = (id: string, scope: string[]) => scope.some((s) => id === s || id.startsWith(`${s}.`));
    const plain = (scope: string[], city: string | null, deptId: number | null) =>
      all.filter(
        (p) =>
          (scope.length === 0 || [p.taskId, ...p.linkedTaskIds].some((t) => t !== null && under(t, scope))) &&
          (!city || (p.cities as string[]).includes(city)) &&
          (deptId === null || p.leadId === deptId),
      );
    const mapping = getFieldMapping(ctx);
    const leads = [...new Set(all.map((p) => p.leadId).filter((x): x is number => x !== null))].slice(0, 4);
    const cases: { scope: string[]; city: string | null; deptId: number | null }[] = [
      ...DRAFT_FIELDS.map((f) => ({ scope: mapping[f], city: null, deptId: null })),
      ...CITIES.map((c) => ({ scope: [], city: c, deptId: null })),
      ...leads.map((d) => ({ scope: [], city: null, deptId: d })),
      { scope: mapping['基础设施'], city: '湘潭市', deptId: null },
      { scope: [all[10].taskId ?? '3'], city: null, deptId: all[10].leadId },
      // a linked task only (not the project's own)
      ...all.filter((p) => p.linkedTaskIds.length).slice(0, 3).map((p) => ({ scope: [p.linkedTaskIds[0]], city: null, deptId: null })),
    ];
    assert.ok(all.some((p) => p.linkedTaskIds.length), 'some projects have linked tasks');
    let nonEmpty = 0;
    for (const c of cases) {
      const want = plain(c.scope, c.city, c.deptId);
      const got = projectsInScope(ctx, { kind: 'field', field: null, city: c.city as never, deptId: c.deptId, scope: c.scope });
      assert.deepEqual(got, want, JSON.stringify(c));
      if (want.length) nonEmpty++;
    }
    assert.ok(nonEmpty >= cases.length - 2, `${nonEmpty} of ${cases.length} cases found projects`);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
