// Progress while `set --wait` waits for the guest, on stderr: one line updated in place on a terminal, otherwise
// a line every few seconds (so that a log file stays readable and stdout stays clean for --json).
import { formatDuration } from './units.js';
import { safe } from './text.js';
import type { Ui } from './ui.js';

/** How often a line is written when stderr is not a terminal. */
export const PLAIN_PROGRESS_EVERY_MS = 3000;
/** How often the terminal line is redrawn (the elapsed time moves between reads). */
const REDRAW_MS = 250;

/** A progress display for one wait. */
export interface Progress {
  /** A new reading from the SDK's `onProgress`. */
  update(actualMb: number | null, elapsedMs: number): void;
  /** The last reading, for a report after an interrupted wait. */
  readonly last: { readonly actualMb: number | null; readonly elapsedMs: number };
  /** Stop redrawing and clear the line. */
  stop(): void;
}

/** Show progress toward `targetMb` for `vm`; a no-op display with --quiet. */
export function startProgress(ui: Ui, vm: string, targetMb: number): Progress {
  const started = performance.now();
  let last = { actualMb: null as number | null, elapsedMs: 0 };
  let lastPlain = Number.NEGATIVE_INFINITY;
  const text = (elapsedMs: number): string =>
    `${safe(vm)}: balloon ${last.actualMb ?? '?'}/${targetMb} MB, ${formatDuration(elapsedMs)} (Ctrl-C stops waiting, not the change)`;
  const terminal = ui.stderrIsTerminal && !ui.quiet;
  const draw = (): void => {
    ui.progressLine(ui.err.dim(text(performance.now() - started)));
  };
  const timer = terminal ? setInterval(draw, REDRAW_MS) : undefined;
  timer?.unref();
  if (terminal) draw();
  return {
    get last() {
      return last;
    },
    update(actualMb, elapsedMs) {
      last = { actualMb, elapsedMs };
      if (ui.quiet) return;
      if (terminal) draw();
      else if (elapsedMs - lastPlain >= PLAIN_PROGRESS_EVERY_MS) {
        lastPlain = elapsedMs;
        ui.writeErr(`${text(elapsedMs)}\n`);
      }
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (terminal) ui.clearProgressLine();
    },
  };
}
