// An SDK error: printed by the Ui, and turned into the exit code its class has.
import type { BalloonError } from '../index.js';
import type { CommandContext } from './command.js';
import { exitCodeFor } from './exit-codes.js';

/** Print the error and return its exit code. */
export function reportError(ctx: CommandContext, e: BalloonError, extra: Readonly<Record<string, unknown>> = {}): number {
  ctx.ui.error(e, extra);
  return exitCodeFor(e.code);
}
