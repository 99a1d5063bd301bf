// The text of one heading or paragraph: edited locally, saved after a pause or on leaving the
// field, never overwritten while the person has unsaved typing.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DraftBlock } from '../../../shared/drafts';
import { errorMessage } from '../api';
import { useFlushOnHide } from '../components/useFlushOnHide';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

const PAUSE_MS = 700;

interface Props {
  block: DraftBlock;
  onSave: (text: string) => Promise<void>;
  /** the page flushes every block before saving a version, comparing, exporting or switching drafts */
  registerFlush: (id: number, flush: (() => Promise<void>) | null) => void;
  onState: (id: number, state: SaveState) => void;
  onKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>, value: string) => void;
  placeholder?: string;
}

export function BlockText({ block, onSave, registerFlush, onState, onKeyDown, placeholder }: Props) {
  const [value, setValue] = useState(block.text);
  const [state, setStateRaw] = useState<SaveState>('saved');
  const [error, setError] = useState('');
  const valueRef = useRef(block.text);
  const savedRef = useRef(block.text);
  const stateRef = useRef<SaveState>('saved');
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const onSaveRef = useRef(onSave);
  onSaveRef.current = onSave;

  const setState = useCallback(
    (s: SaveState) => {
      stateRef.current = s;
      setStateRaw(s);
      onState(block.id, s);
    },
    [block.id, onState],
  );

  const save = useCallback((): Promise<void> => {
    window.clearTimeout(timer.current);
    chain.current = chain.current.then(async () => {
      const text = valueRef.current;
      if (text === savedRef.current) {
        if (stateRef.current !== 'saved') setState('saved');
        return;
      }
      setState('saving');
      try {
        await onSaveRef.current(text);
        savedRef.current = text;
        setError('');
        setState(valueRef.current === text ? 'saved' : 'dirty');
      } catch (e) {
        setError(errorMessage(e));
        setState('error');
      }
    });
    return chain.current;
  }, [setState]);

  useEffect(() => {
    registerFlush(block.id, save);
    return () => registerFlush(block.id, null);
  }, [block.id, registerFlush, save]);

  // text changed on the main side (a restored version): take it unless the person is typing
  useEffect(() => {
    if (stateRef.current === 'saved' && block.text !== valueRef.current) {
      valueRef.current = block.text;
      savedRef.current = block.text;
      setValue(block.text);
    } else if (stateRef.current === 'saved') savedRef.current = block.text;
  }, [block.text]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  // typing inside the pause before saving, then a reload or closing: save now, not after the pause
  useFlushOnHide(() => {
    if (valueRef.current !== savedRef.current) void save();
  });

  useLayoutEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + 2}px`;
  }, [value]);

  const change = (v: string) => {
    valueRef.current = v;
    setValue(v);
    if (stateRef.current !== 'saving') setState('dirty');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save(), PAUSE_MS);
  };

  const status =
    state === 'saving' ? '保存中…' : state === 'dirty' ? '未保存' : state === 'error' ? `保存失败：${error}（内容仍在此处，离开输入框时会重试）` : '已保存';

  if (block.type === 'heading') {
    return (
      <div className="blk-text-wrap">
        <input
          className={`blk-heading-input lvl-${block.level ?? 1}`}
          data-testid="block-text"
          aria-label={`标题（${block.level ?? 1}级）`}
          value={value}
          maxLength={20000}
          placeholder={placeholder ?? '输入标题'}
          onChange={(e) => change(e.target.value)}
          onBlur={() => void save()}
          onKeyDown={(e) => onKeyDown?.(e, valueRef.current)}
        />
        <span className={`blk-save st-${state}`} data-testid="block-save-state" data-state={state} aria-live="polite">
          {state === 'saved' ? '' : status}
        </span>
      </div>
    );
  }
  return (
    <div className="blk-text-wrap">
      <textarea
        ref={areaRef}
        className="blk-para-input"
        data-testid="block-text"
        aria-label="段落"
        value={value}
        rows={2}
        maxLength={20000}
        placeholder={placeholder ?? '输入段落内容'}
        onChange={(e) => change(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => onKeyDown?.(e, valueRef.current)}
      />
      <span className={`blk-save st-${state}`} data-testid="block-save-state" data-state={state} aria-live="polite">
        {state === 'saved' ? '' : status}
      </span>
    </div>
  );
}
