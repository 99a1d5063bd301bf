// The shared server's migrations, numbered like the local ones (electron/db/migrations): each is
// SQL run in one transaction with the others pending, then recorded in czt.schema_migration.
// Never edit one that has shipped; add the next number.
import { SQL as initial, GRANTS as initialGrants } from './0001-initial';
import { SQL as rounds, GRANTS as roundsGrants } from './0002-rounds';
import { SQL as evidenceContent, GRANTS as evidenceContentGrants } from './0003-evidence-content';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  { version: 1, name: 'initial', sql: initial + initialGrants },
  { version: 2, name: 'rounds', sql: rounds + roundsGrants },
  { version: 3, name: 'evidence-content', sql: evidenceContent + evidenceContentGrants },
];

export const SERVER_LATEST_VERSION = SERVER_MIGRATIONS[SERVER_MIGRATIONS.length - 1].version;
