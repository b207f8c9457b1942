// The options every client call takes, checked the same way by both clients and by the controller.
import type { Result } from 'neverthrow';
import type { InvalidArgumentError } from '../errors/index.js';
import { durationMs, object, optional, signal, type Check } from './schema.js';

/** Options every client call takes. */
export interface CallOptions {
  /** Abort the call: a running VBoxManage process is killed and the call returns `ABORTED`. */
  readonly signal?: AbortSignal;
  /**
   * Kill this call's VBoxManage process after this many ms and return `TIMEOUT` (real client), instead of the
   * client's own `timeoutMs`. A whole number from 1 to 2³¹−1.
   */
  readonly timeoutMs?: number;
}

/** The keys of {@link CallOptions} and their checks, for option shapes that extend it. @internal */
export const callOptionsShape = {
  signal: optional(signal),
  timeoutMs: optional(durationMs({ min: 1, example: 60_000 })),
} as const;

/** Check a {@link CallOptions} object (unknown keys refused). @internal */
export const checkCallOptions: Check<CallOptions> = object(callOptionsShape) as Check<CallOptions>;

/**
 * Check the call options a client method got, where unknown keys are allowed: the controller passes its own
 * richer option objects down, already checked. Only `signal` and `timeoutMs` are read. @internal
 */
export function checkClientCallOptions(value: unknown, path = 'options'): Result<CallOptions, InvalidArgumentError> {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return checkCallOptions(value, path);
  const r = value as Record<string, unknown>;
  return checkCallOptions({ ...(r['signal'] === undefined ? {} : { signal: r['signal'] }), ...(r['timeoutMs'] === undefined ? {} : { timeoutMs: r['timeoutMs'] }) }, path);
}
