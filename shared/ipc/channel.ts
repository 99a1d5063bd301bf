// How one IPC channel is declared: its input schema, its output type and how the router answers
// it, side by side in the domain's file under channels/. contract.ts combines the domains.
import type { z } from 'zod';

/** How the router runs a channel besides calling its handler (electron/ipc/router.ts applies these). */
export interface ChannelOptions {
  /**
   * On a large ledger the call is answered off the thread that serves IPC: by the read worker (a
   * read-only connection of its own) or the write worker (one write in a transaction of its own).
   * The answer may then come as JSON text (fromJsonText on the other side gives the value).
   * `arg`: the input field naming the row the worker reads for (else 0); `sizeBy`: the rows that
   * make the call long (default: the measures).
   */
  worker?: { kind: 'read' | 'write'; arg?: 'draftId'; sizeBy?: 'measures' | 'projects' };
  /** the handler may reply with JSON text (a large value crosses as one string, long arrays in pieces) */
  jsonText?: true;
}

/** One channel: `output` is a type only (never set at run time). */
export interface ChannelDef<I extends z.ZodType = z.ZodType, O = unknown, Opt extends ChannelOptions = ChannelOptions> {
  input: I;
  options: Opt;
  readonly output?: O;
}

/** `channel<Output>()(inputSchema, options?)`: the output type is given, the input schema inferred. */
export const channel =
  <O>() =>
  <I extends z.ZodType, Opt extends ChannelOptions = Record<never, never>>(input: I, options?: Opt): ChannelDef<I, O, Opt> => ({
    input,
    options: (options ?? {}) as Opt,
  });
