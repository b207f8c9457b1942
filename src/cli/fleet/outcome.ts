// How a command across hosts ends when some hosts failed: each one said on stderr, and one exit code for the run.
import type { BalloonError } from '../../index.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import type { Ui } from '../ui.js';

/** A host that could not answer. */
export interface HostFailure {
  readonly host: string;
  readonly error: BalloonError;
}

/**
 * Say on stderr which hosts failed (`error: lab-3: …`) and return the exit code: `null` when none failed; the first
 * failure's own code (9 for ssh) when every host failed; 8 (done in part) when the others answered.
 */
export function reportHostFailures(ui: Ui, failures: readonly HostFailure[], hostCount: number): number | null {
  for (const f of failures) ui.errorLine(f.error, f.host);
  const [first] = failures;
  if (first === undefined) return null;
  return failures.length === hostCount ? exitCodeFor(first.error.code) : EXIT.partial;
}
