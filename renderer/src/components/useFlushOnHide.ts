// Runs a save when the page is hidden or unloaded (a reload, closing the tab or window, switching
// away) and when Electron's window is about to close (app.closing: it waits for these saves), so text typed in the last moment before it — inside an editor's pause before saving, or in
// a field saved on leaving it — is sent rather than lost. The save must start at once (no waiting on
// a timer): the page may be gone after this task.
import { useEffect, useRef } from 'react';
import { onEvent } from '../api';

export function useFlushOnHide(flush: () => void): void {
  const ref = useRef(flush);
  ref.current = flush;
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') ref.current();
    };
    const onPageHide = () => ref.current();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onPageHide);
    const offClosing = onEvent('app.closing', () => ref.current());
    return () => {
      offClosing();
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
    };
  }, []);
}
