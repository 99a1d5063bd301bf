// A large result that crosses to the renderer as JSON text: one string copy between threads and
// over IPC, parsed once where it is used (the renderer's call(), a test's call()). The 10,000
// changes of an import preview were slow for the thread serving IPC to rebuild as objects from
// the reading worker and to serialise again for the page; as text they cost it little (docs/bench.md).
//
// Its large arrays may come apart from the rest (SplitJson.arrays: each array as pieces of JSON
// text of ~128K characters), so the page parses them a piece per task: a 10,000-change preview
// (3.5 M characters) parsed at once was one long task on the renderer's main thread, longer
// with the drawing that follows (docs/bench.md).

/** JSON text of an object; `arrays`: some of its fields kept apart, each as JSON array texts to concatenate. */
export interface SplitJson {
  readonly text: string;
  readonly arrays?: Readonly<Record<string, readonly string[]>>;
}

export interface JsonText extends SplitJson {
  readonly __jsonText: true;
}

export const jsonText = (text: string | SplitJson): JsonText =>
  typeof text === 'string' ? { __jsonText: true, text } : { __jsonText: true, text: text.text, ...(text.arrays ? { arrays: text.arrays } : {}) };

export function isJsonText(v: unknown): v is JsonText {
  if (typeof v !== 'object' || v === null || (v as JsonText).__jsonText !== true || typeof (v as JsonText).text !== 'string') return false;
  const a = (v as JsonText).arrays;
  if (a === undefined) return true;
  return typeof a === 'object' && a !== null && Object.values(a).every((p) => Array.isArray(p) && p.every((s) => typeof s === 'string'));
}

/** pieces of an array's JSON of about this many characters (one item may make a piece longer) */
export const SPLIT_PIECE_CHARS = 128 * 1024;

/**
 * `value` as SplitJson: the fields named in `keys` (arrays) apart, in pieces. Made where the value
 * is made (a worker): joinSplitJson gives back the same value.
 */
export function splitJson(value: object, keys: readonly string[], pieceChars = SPLIT_PIECE_CHARS): SplitJson {
  const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const arrays: Record<string, string[]> = {};
  for (const k of keys) {
    const arr = rest[k];
    if (!Array.isArray(arr)) continue;
    delete rest[k];
    const pieces: string[] = [];
    let items: string[] = [];
    let chars = 0;
    for (const item of arr) {
      const s = JSON.stringify(item) ?? 'null';
      items.push(s);
      chars += s.length + 1;
      if (chars >= pieceChars) {
        pieces.push(`[${items.join(',')}]`);
        items = [];
        chars = 0;
      }
    }
    if (items.length) pieces.push(`[${items.join(',')}]`);
    arrays[k] = pieces;
  }
  return { text: JSON.stringify(rest), arrays };
}

/** The value, parsed at once. */
export function joinSplitJson<T>(s: SplitJson): T {
  const head = JSON.parse(s.text) as Record<string, unknown>;
  for (const [k, pieces] of Object.entries(s.arrays ?? {})) head[k] = pieces.flatMap((p) => JSON.parse(p) as unknown[]);
  return head as T;
}

/** The value itself, parsed when it came as JSON text. */
export function fromJsonText<T>(v: T | JsonText): T {
  return isJsonText(v) ? joinSplitJson<T>(v) : v;
}

/**
 * The same, a piece per task: `pause` resolves after the thread has done other work (a macrotask).
 * The pieces are parsed in order; the value is whole only when this resolves.
 */
export async function fromJsonTextInTasks<T>(v: T | JsonText, pause: () => Promise<void>): Promise<T> {
  if (!isJsonText(v)) return v;
  if (!v.arrays) return JSON.parse(v.text) as T;
  const head = JSON.parse(v.text) as Record<string, unknown>;
  for (const [k, pieces] of Object.entries(v.arrays)) {
    const out: unknown[] = [];
    for (const p of pieces) {
      await pause();
      const items = JSON.parse(p) as unknown[];
      for (const item of items) out.push(item);
    }
    head[k] = out;
  }
  return head as T;
}
