import type { Result } from 'neverthrow';
import type { InvalidArgumentError } from '../errors/index.js';
import { checkLimits } from './autopilot-options.js';
import type { VmLimits } from '../domain/balloon-plan.js';

/**
 * Check per-VM limits (the shape of `AutopilotOptions.limits`, for example read from a JSON file) before they are
 * used: an object keyed by VM name or UUID, each value an object with only `minMb`, `maxBalloonMb`, `shares`
 * (whole numbers, 0 or more) and `enabled` (`true` or `false`). Unknown fields are refused, so that a typo is not
 * silently ignored. The autopilot runs the same check on its `limits` option.
 */
export function validateLimits(limits: unknown): Result<Readonly<Record<string, VmLimits>>, InvalidArgumentError> {
  // A checked copy, frozen: the caller's object can change afterwards without changing what was checked.
  return checkLimits(limits, 'limits').map((r) => Object.freeze(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Object.freeze({ ...v })]))));
}
