// A large result that crosses to the renderer as JSON text: one string copy between threads and
// over IPC, parsed once where it is used (the renderer's call(), a test's call()). The 10,000
// changes of an import preview took the thread serving IPC ~100 ms to rebuild as objects from
// the reading worker and to serialise again for the page; as text they cost it a few ms.
export interface JsonText {
  readonly __jsonText: true;
  readonly text: string;
}

export const jsonText = (text: string): JsonText => ({ __jsonText: true, text });

export function isJsonText(v: unknown): v is JsonText {
  return typeof v === 'object' && v !== null && (v as JsonText).__jsonText === true && typeof (v as JsonText).text === 'string';
}

/** The value itself, parsed when it came as JSON text. */
export function fromJsonText<T>(v: T | JsonText): T {
  return isJsonText(v) ? (JSON.parse(v.text) as T) : v;
}
