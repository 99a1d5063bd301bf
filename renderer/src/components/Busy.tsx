import { bytesText } from '../../../shared/rounds';

/** An indeterminate progress bar with a line saying what is being done. */
export function BusyBar({ label, testId }: { label: string; testId?: string }) {
  return (
    <div className="busy" role="status" aria-live="polite" data-testid={testId}>
      <div className="busy-label">
        <span className="spinner" aria-hidden="true" />
        {label}
      </div>
      <div className="busy-track" aria-hidden="true">
        <div className="busy-bar" />
      </div>
    </div>
  );
}

/** Bytes as people read them: 12.3 KB, 4.5 MB. */
/** one wording of sizes with the documents (shared/rounds.ts bytesText) */
export const formatBytes = bytesText;

/** Today in China (YYYY-MM-DD), as the documents date themselves. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** An ISO timestamp as local 2025-06-30 14:05. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
