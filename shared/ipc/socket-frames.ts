// The web bridge's socket (electron/bridge/server.ts ↔ renderer/src/api.ts) carries JSON messages;
// a long one goes in several frames, so neither side spends one long task on it:
// - a long message (either way): {"parts":n}, then n pieces of its text;
// - a call with a long text in its input (an import's file as base64, megabytes):
//   {"id":…,"channel":…,"input":{…the rest…},"raw":[[field,frames]…]}, then the frames of each such
//   text as it is: the bridge parses the short header and puts the texts in, no JSON parse of them;
// - an answer whose value is JSON text (shared/ipc/json-text.ts, an import preview):
//   {"id":…,"jsonText":{"arrays":[[key,pieces]…],"frames":[…]}}, then the frames of its texts
//   (the head, then every piece of every array) as they are, not escaped into another JSON text:
//   the page parses the header only and hands the texts on (call() parses them a piece per task).
// A piece never ends between the two halves of a surrogate pair: each frame is UTF-8 on its own.
import { isJsonText, type JsonText } from './json-text';

/** messages longer than this go in several frames */
export const FRAME_CHARS = 256 * 1024;

/** `text` in pieces of at most `frameChars` characters (at least one piece, maybe empty). */
export function cutText(text: string, frameChars = FRAME_CHARS): string[] {
  if (text.length <= frameChars) return [text];
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + frameChars, text.length);
    if (end < text.length && end - at > 1 && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}

/** A message as the frames to send: itself, or {"parts":n} and its pieces. */
export function messageFrames(text: string, frameChars = FRAME_CHARS): string[] {
  if (text.length <= frameChars) return [text];
  const pieces = cutText(text, frameChars);
  return [JSON.stringify({ parts: pieces.length }), ...pieces];
}

/** Page → bridge: the frames of a call; its input's long top-level texts go raw after a short header. */
export function callFrames(id: number, channel: string, input: unknown, frameChars = FRAME_CHARS): string[] {
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    const raw: [string, string[]][] = [];
    for (const [k, v] of Object.entries(rest)) {
      if (typeof v === 'string' && v.length > frameChars) {
        raw.push([k, cutText(v, frameChars)]);
        delete rest[k];
      }
    }
    if (raw.length) return [JSON.stringify({ id, channel, input: rest, raw: raw.map(([k, f]) => [k, f.length]) }), ...raw.flatMap(([, f]) => f)];
  }
  return messageFrames(JSON.stringify({ id, channel, input }), frameChars);
}

/** Bridge → page: the frames of an answer to call `id`. */
export function answerFrames(id: number | null, result: unknown, frameChars = FRAME_CHARS): string[] {
  const r = result as { ok?: unknown; value?: unknown };
  if (r && r.ok === true && isJsonText(r.value)) {
    const v = r.value;
    const arrays = Object.entries(v.arrays ?? {});
    const texts = [v.text, ...arrays.flatMap(([, pieces]) => pieces)].map((t) => cutText(t, frameChars));
    const head = { id, jsonText: { arrays: arrays.map(([k, pieces]) => [k, pieces.length]), frames: texts.map((f) => f.length) } };
    return [JSON.stringify(head), ...texts.flat()];
  }
  return messageFrames(JSON.stringify({ id, result }), frameChars);
}

interface RawState {
  id: number;
  arrays: [string, number][];
  /** frames still due for each text */
  frames: number[];
  texts: string[];
  current: string[];
}

/**
 * Page side: frames in, whole messages out (an answer whose value is JSON text comes back with
 * that value as a JsonText, unparsed). Frames arrive in order on one socket.
 */
export class FrameReader {
  private parts: { left: number; got: string[] } | null = null;
  private raw: RawState | null = null;

  /** The message this frame completes (parsed), or undefined while more frames are due or when it is unreadable. */
  push(frame: string): unknown {
    if (this.raw) return this.pushRaw(this.raw, frame);
    let text = frame;
    if (this.parts) {
      this.parts.got.push(frame);
      if (--this.parts.left > 0) return undefined;
      text = this.parts.got.join('');
      this.parts = null;
    }
    let msg: { id?: unknown; parts?: unknown; jsonText?: { arrays?: unknown; frames?: unknown } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return undefined;
    }
    if (msg && typeof msg.parts === 'number' && msg.parts > 0 && msg.id === undefined) {
      this.parts = { left: msg.parts, got: [] };
      return undefined;
    }
    if (msg && typeof msg.id === 'number' && msg.jsonText) {
      const arrays = Array.isArray(msg.jsonText.arrays) ? (msg.jsonText.arrays as [string, number][]) : [];
      const frames = Array.isArray(msg.jsonText.frames) ? (msg.jsonText.frames as number[]) : [];
      const wanted = 1 + arrays.reduce((n, [, k]) => n + k, 0);
      if (frames.length !== wanted || !frames.every((n) => Number.isInteger(n) && n > 0)) return undefined;
      this.raw = { id: msg.id, arrays, frames: [...frames], texts: [], current: [] };
      return undefined;
    }
    return msg;
  }

  private pushRaw(s: RawState, frame: string): unknown {
    s.current.push(frame);
    if (--s.frames[s.texts.length] > 0) return undefined;
    s.texts.push(s.current.join(''));
    s.current = [];
    if (s.texts.length < s.frames.length) return undefined;
    this.raw = null;
    const [text, ...pieces] = s.texts;
    const arrays: Record<string, string[]> = {};
    let at = 0;
    for (const [k, n] of s.arrays) {
      arrays[k] = pieces.slice(at, at + n);
      at += n;
    }
    const value: JsonText = { __jsonText: true, text, ...(s.arrays.length ? { arrays } : {}) };
    return { id: s.id, result: { ok: true, value } };
  }
}

/** A whole message from the page: parsed, or the text that did not parse. */
export type Incoming = { msg: unknown } | { bad: string } | { tooLarge: true };

/** Frames still due: how many for each text, and what to make of the texts once all came. */
interface Due {
  frames: number[];
  texts: string[];
  current: string[];
  chars: number;
  dropped: boolean;
  finish: (texts: string[]) => Incoming;
}

/**
 * Bridge side: the page's frames in, whole messages out (parsed; a call's raw texts put back in
 * its input); a message of several frames may hold at most `maxChars` characters in all.
 */
export class RequestAssembler {
  private due: Due | null = null;
  constructor(private readonly maxChars: number) {}

  /** The message this frame completes, { tooLarge } once when one goes over the limit (its other frames are dropped), null meanwhile. */
  push(frame: string): Incoming | null {
    const d = this.due;
    if (!d) return this.start(frame);
    const textDone = --d.frames[d.texts.length] === 0;
    const last = textDone && d.texts.length + 1 === d.frames.length;
    if (last) this.due = null;
    if (d.dropped) return null;
    d.chars += frame.length;
    if (d.chars > this.maxChars) {
      d.dropped = true;
      d.texts = [];
      d.current = [];
      return { tooLarge: true };
    }
    d.current.push(frame);
    if (textDone) {
      d.texts.push(d.current.join(''));
      d.current = [];
    }
    return last ? d.finish(d.texts) : null;
  }

  private expect(frames: number[], finish: Due['finish']): Incoming | null {
    // every frame holds a character at least
    if (frames.reduce((n, k) => n + k, 0) > this.maxChars) return { tooLarge: true };
    this.due = { frames, texts: [], current: [], chars: 0, dropped: false, finish };
    return null;
  }

  private start(text: string): Incoming | null {
    let msg: { id?: unknown; parts?: unknown; input?: unknown; raw?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return { bad: text };
    }
    if (!msg || typeof msg !== 'object') return { msg };
    if (msg.id === undefined && typeof msg.parts === 'number' && Number.isInteger(msg.parts) && msg.parts > 0) {
      return this.expect([msg.parts], ([whole]) => {
        try {
          return { msg: JSON.parse(whole) as unknown };
        } catch {
          return { bad: whole };
        }
      });
    }
    if (Array.isArray(msg.raw)) {
      const fields = msg.raw as unknown[];
      const ok =
        fields.length > 0 &&
        fields.every((f) => Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && Number.isInteger(f[1]) && (f[1] as number) > 0) &&
        msg.input !== null && typeof msg.input === 'object' && !Array.isArray(msg.input);
      if (!ok) return { msg: { ...msg, raw: undefined, input: undefined } };
      const { raw: _raw, ...call } = msg;
      const named = fields as [string, number][];
      return this.expect(
        named.map(([, n]) => n),
        (texts) => ({ msg: { ...call, input: { ...(call.input as Record<string, unknown>), ...Object.fromEntries(named.map(([k], i) => [k, texts[i]])) } } }),
      );
    }
    return { msg };
  }
}
