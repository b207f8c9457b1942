import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors.js';
import { validateVmRef } from '../domain/vm-ref.js';
import type { VmLimits } from './types.js';

const WHOLE_MB_FIELDS = ['minMb', 'maxBalloonMb', 'shares'] as const;
const FIELDS = new Set<string>([...WHOLE_MB_FIELDS, 'enabled']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Check per-VM limits (the shape of `AutopilotOptions.limits`, for example read from a JSON file) before they are
 * used: an object keyed by VM name or UUID, each value an object with only `minMb`, `maxBalloonMb`, `shares`
 * (whole numbers, 0 or more) and `enabled` (`true` or `false`). Unknown fields are refused, so that a typo is not
 * silently ignored.
 */
export function validateLimits(limits: unknown): Result<Readonly<Record<string, VmLimits>>, InvalidArgumentError> {
  if (!isRecord(limits)) {
    return err(invalidArgument('limits', limits, 'is not an object keyed by VM name or UUID', 'Pass e.g. { "web-1": { "maxBalloonMb": 1024 } }.'));
  }
  const out: Record<string, VmLimits> = {};
  for (const [vm, value] of Object.entries(limits)) {
    const ref = validateVmRef(vm);
    if (ref.isErr()) return err(invalidArgument('limits key', vm, ref.error.message.replace(/^Invalid VM reference: /u, ''), 'Key the limits by VM name or UUID.'));
    if (!isRecord(value)) return err(invalidArgument(`limits[${JSON.stringify(vm)}]`, value, 'is not an object', 'Pass e.g. { "maxBalloonMb": 1024 }.', vm));
    for (const key of Object.keys(value)) {
      if (!FIELDS.has(key)) {
        return err(invalidArgument(`limits[${JSON.stringify(vm)}].${key}`, value[key], 'is not a known limit', 'Use minMb, maxBalloonMb, shares or enabled.', vm));
      }
    }
    for (const f of WHOLE_MB_FIELDS) {
      const n = value[f];
      if (n !== undefined && !(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1)) {
        return err(invalidArgument(`limits[${JSON.stringify(vm)}].${f}`, n, 'is not a whole number, 0 or more', 'Pass e.g. 1024, or leave it out for the default.', vm));
      }
    }
    const enabled = value['enabled'];
    if (enabled !== undefined && enabled !== true && enabled !== false) {
      return err(invalidArgument(`limits[${JSON.stringify(vm)}].enabled`, enabled, 'is not true or false', 'Pass true or false.', vm));
    }
    out[vm] = Object.freeze({ ...value });
  }
  return ok(Object.freeze(out));
}
