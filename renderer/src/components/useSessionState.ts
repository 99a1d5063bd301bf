// useState whose value is kept in the tab's sessionStorage, so a page's filters survive a reload
// (F5 in the browser version, 重新加载 in Electron) but not a new window or the next day's start.
import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';

/** how a value is written as JSON and read back (for values JSON cannot carry, such as a Set) */
export interface SessionCodec<T> {
  toJson: (v: T) => unknown;
  fromJson: (j: unknown) => T;
}

const PREFIX = 'czt-state:';

function read<T>(key: string, initial: T, codec?: SessionCodec<T>): T {
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    if (raw === null) return initial;
    const j: unknown = JSON.parse(raw);
    if (codec) return codec.fromJson(j);
    // a stored value of another type (an older build's) is ignored rather than trusted
    return typeof j === typeof initial || (initial === null && typeof j === 'object') ? (j as T) : initial;
  } catch {
    return initial;
  }
}

export function useSessionState<T>(key: string, initial: T, codec?: SessionCodec<T>): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => read(key, initial, codec));
  const codecRef = useRef(codec);
  codecRef.current = codec;
  useEffect(() => {
    try {
      const j = codecRef.current ? codecRef.current.toJson(value) : value;
      if (j === initial || j === null || j === undefined) sessionStorage.removeItem(PREFIX + key);
      else sessionStorage.setItem(PREFIX + key, JSON.stringify(j));
    } catch {
      // storage full or refused (private mode): the filter still works, it just won't survive a reload
    }
    // `initial` is a constant of the caller
  }, [key, value, initial]);
  return [value, setValue];
}
