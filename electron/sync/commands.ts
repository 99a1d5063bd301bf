// The shared-server commands' names, apart from their code: the CLI checks a command against this
// list at start and loads electron/sync/cli.ts (and with it node-postgres) only when one is run.
export const SERVER_COMMANDS = ['server-init', 'server-user', 'sync'] as const;
