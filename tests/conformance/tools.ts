// The outside readers the conformance tests use, and why one is skipped when it is absent
// (.ci/run installs them all): Debian's Python with openpyxl, pandas and python-docx, LibreOffice.
import { spawnSync } from 'node:child_process';

/** Debian's Python (the pyenv python3 on PATH lacks the packages) */
export const PY = '/usr/bin/python3';

export function pythonMissing(): string | null {
  const r = spawnSync(PY, ['-c', 'import openpyxl, pandas, docx'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PY} with openpyxl, pandas and python-docx is not installed (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
}

export function sofficeMissing(): string | null {
  const r = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'LibreOffice (soffice) is not installed';
}
