// How far an export has got, for the export centre's progress bar. The exporters call
// exportProgress(…) at a few points (the ledger writer every couple of thousand rows); it does
// nothing unless a sink is set, which only the export worker does (electron/export/worker.ts):
// there one export runs per thread, so a module-level sink is enough.
export type ExportPhase = 'read' | 'rows' | 'pack';

export interface ExportProgressInfo {
  phase: ExportPhase;
  /** rows written so far (phase 'rows'); 0 otherwise */
  done: number;
  /** rows in all (phase 'rows'); 0 when unknown */
  total: number;
}

type Sink = (p: ExportProgressInfo) => void;
let sink: Sink | null = null;

/** Route progress to fn (null: nowhere); returns the previous sink. */
export function setExportProgressSink(fn: Sink | null): Sink | null {
  const prev = sink;
  sink = fn;
  return prev;
}

export function exportProgress(phase: ExportPhase, done = 0, total = 0): void {
  sink?.({ phase, done, total });
}
