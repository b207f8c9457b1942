import { err, ok, type Result } from 'neverthrow';
import { invalidBalloonSize, type InvalidBalloonSizeError } from '../errors.js';

/**
 * The largest balloon VirtualBox accepts for a VM with `memoryMb` of RAM.
 * VirtualBox refuses `n >= VMMDEV_MAX_MEMORY_BALLOON(memory)` = `floor(9 * memory / 10)`, so the largest
 * accepted value is one less: `maxBalloonMb(4096) === 3685`. Returns -1 when no size fits (RAM under 2 MB).
 */
export function maxBalloonMb(memoryMb: number): number {
  if (!Number.isFinite(memoryMb) || memoryMb < 0) return -1;
  return Math.floor((9 * Math.floor(memoryMb)) / 10) - 1;
}

/**
 * Check a balloon size for a VM with `memoryMb` of RAM: a whole number of MB from 0 to {@link maxBalloonMb}.
 * Numeric strings are refused on purpose: VBoxManage would read `010` as octal in controlvm.
 */
export function validateBalloonSize(value: unknown, memoryMb: number, vm: string | null = null): Result<number, InvalidBalloonSizeError> {
  const max = maxBalloonMb(memoryMb);
  const limits = { maxMb: max, memoryMb: Number.isFinite(memoryMb) ? memoryMb : null };
  if (typeof value !== 'number') {
    const hint = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? ' is a string, not a number (convert it with Number() first)' : ` is a ${value === null ? 'null' : typeof value}, not a number`;
    return err(invalidBalloonSize(value, hint, limits, vm));
  }
  if (Number.isNaN(value)) return err(invalidBalloonSize(value, 'is not a number', limits, vm));
  if (!Number.isFinite(value)) return err(invalidBalloonSize(value, 'is not finite', limits, vm));
  if (!Number.isInteger(value)) return err(invalidBalloonSize(value, 'is not a whole number of megabytes', limits, vm));
  if (value < 0) return err(invalidBalloonSize(value, 'is negative', limits, vm));
  if (value > max) return err(invalidBalloonSize(value, `is above the largest size VirtualBox accepts (${max} MB)`, limits, vm));
  return ok(value === 0 ? 0 : value); // -0 becomes 0 so that it prints as "0"
}
