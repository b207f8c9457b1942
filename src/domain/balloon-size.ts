import { err, ok, type Result } from 'neverthrow';
import { invalidBalloonSize, type InvalidBalloonSizeError } from '../errors/index.js';

/**
 * The largest balloon VirtualBox accepts for a VM with `memoryMb` of RAM.
 * VirtualBox refuses `n >= VMMDEV_MAX_MEMORY_BALLOON(memory)` = `floor(9 * memory / 10)`, so the largest
 * accepted value is one less: `maxBalloonMb(4096) === 3685`. Returns -1 when no size fits (RAM under 2 MB).
 */
export function maxBalloonMb(memoryMb: number): number {
  if (!Number.isFinite(memoryMb) || memoryMb < 0) return -1;
  return Math.floor((9 * Math.floor(memoryMb)) / 10) - 1;
}

// What is wrong with a size regardless of the VM, or null: numeric strings are refused on purpose, since
// VBoxManage would read `010` as octal in controlvm.
function shapeProblem(value: unknown): string | null {
  if (typeof value !== 'number') {
    return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
      ? 'is a string, not a number (convert it with Number() first)'
      : `is a ${value === null ? 'null' : typeof value}, not a number`;
  }
  if (Number.isNaN(value)) return 'is not a number';
  if (!Number.isFinite(value)) return 'is not finite';
  if (!Number.isInteger(value)) return 'is not a whole number of megabytes';
  if (value < 0) return 'is negative';
  return null;
}

/**
 * Check a balloon size for a VM with `memoryMb` of RAM: a whole number of MB from 0 to {@link maxBalloonMb}.
 * Numeric strings are refused on purpose: VBoxManage would read `010` as octal in controlvm.
 */
export function validateBalloonSize(value: unknown, memoryMb: number, vm: string | null = null): Result<number, InvalidBalloonSizeError> {
  const max = maxBalloonMb(memoryMb);
  const limits = { maxMb: max, memoryMb: Number.isFinite(memoryMb) ? memoryMb : null };
  const problem = shapeProblem(value);
  if (problem !== null) return err(invalidBalloonSize(value, problem, limits, vm));
  const n = value as number;
  if (n > max) return err(invalidBalloonSize(n, `is above the largest size VirtualBox accepts (${max} MB)`, limits, vm));
  return ok(n === 0 ? 0 : n); // -0 becomes 0 so that it prints as "0"
}

/** The same checks as {@link validateBalloonSize} for a VM whose RAM is not known yet: no upper limit. @internal */
export function validateBalloonSizeShape(value: unknown, vm: string | null = null): Result<number, InvalidBalloonSizeError> {
  const problem = shapeProblem(value);
  if (problem !== null) return err(invalidBalloonSize(value, problem, { maxMb: null, memoryMb: null }, vm));
  const n = value as number;
  return ok(n === 0 ? 0 : n);
}
