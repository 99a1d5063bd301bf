import type { Database } from 'better-sqlite3';
import { up as initial } from './0001-initial';
import { up as reportLog } from './0002-report-log';
import { up as projectsIndicators } from './0003-projects-indicators';
import { up as undo } from './0004-undo';
import { up as qualitativeAssessment } from './0005-qualitative-assessment';
import { up as drafts } from './0006-drafts';
import { up as measureChangeLog } from './0007-measure-change-log';
import { up as auditIndex } from './0008-audit-index';
import { up as directory2024 } from './0009-directory-2024';
import { up as rounds } from './0010-rounds';
import { up as sync } from './0011-sync';
import { up as jointLeads } from './0012-joint-leads';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Every migration in order. Versions must increase by one; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: initial },
  { version: 2, name: 'report-log', up: reportLog },
  { version: 3, name: 'projects-indicators', up: projectsIndicators },
  { version: 4, name: 'undo', up: undo },
  { version: 5, name: 'qualitative-assessment', up: qualitativeAssessment },
  { version: 6, name: 'drafts', up: drafts },
  { version: 7, name: 'measure-change-log', up: measureChangeLog },
  { version: 8, name: 'audit-index', up: auditIndex },
  { version: 9, name: 'directory-2024', up: directory2024 },
  { version: 10, name: 'rounds', up: rounds },
  { version: 11, name: 'sync', up: sync },
  { version: 12, name: 'joint-leads', up: jointLeads },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
