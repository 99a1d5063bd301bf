// The shape of a domain's handler table: each service module exports one for its channels
// (shared/ipc/channels/<domain>.ts) and the router (electron/ipc/router.ts) combines them.
import type { Channel, ChannelOptionsOf, ChannelOutput, ParsedInput } from '../../shared/ipc/contract';
import type { JsonText } from '../../shared/ipc/json-text';
import type { ServiceContext } from './context';

/** What the program running the router is (the desktop app, the web bridge, the CLI). */
export interface ShellInfo {
  shell: 'electron' | 'web';
  dbPath: string;
  version: string;
}

/** What a handler replies: a channel with the jsonText option may reply with JSON text instead. */
export type Reply<C extends Channel> = ChannelOptionsOf<C> extends { jsonText: true } ? ChannelOutput<C> | JsonText : ChannelOutput<C>;

/** One channel's handler: its input already parsed by the channel's schema. `env`: what the shell gives it. */
export type Handler<C extends Channel, Env = unknown> = (ctx: ServiceContext, input: ParsedInput<C>, env: Env) => Reply<C> | Promise<Reply<C>>;

/** The channels whose names start with `${prefix}.` */
export type ChannelsOf<P extends string> = Extract<Channel, `${P}.${string}`>;

/** One handler for each of these channels. */
export type HandlerTable<C extends Channel, Env = unknown> = { [K in C]: Handler<K, Env> };
