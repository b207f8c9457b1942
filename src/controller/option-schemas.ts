// Every option of the controller's methods, checked in one place before anything runs (see src/validate).
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type BalloonError } from '../errors/index.js';
import { validateVmRef } from '../domain/vm-ref.js';
import { callOptionsShape } from '../validate/call-options.js';
import { arrayOf, boolean, durationMs, func, integer, number, object, optional, type Check } from '../validate/schema.js';
import type { CallOptions } from '../port/client.js';
import { checkSize } from '../port/check-input.js';
import type { PrepareOptions, ReclaimOptions, SetBalloonOptions, DryRunOptions } from './types.js';

/** A VM reference (name or UUID) as an option value. @internal */
export const vmRef: Check<string> = (value, path) => validateVmRef(value, path);

// Sizes fit in 32 bits, the most VBoxManage reads.
/** A whole number of MB that fits 32 bits. @internal */
export const megabytes = (example: number, min = 0): Check<number> => integer({ min, max: 0xffffffff, example, unit: 'of megabytes' });

const waitShape = object({
  timeoutMs: optional(durationMs({ min: 0, example: 30_000 })),
  toleranceMb: optional(megabytes(16)),
  pollMs: optional(durationMs({ min: 10, example: 1000 })),
  onProgress: optional(func),
});

/** @internal */
export const checkSetBalloonOptions = object({ ...callOptionsShape, dryRun: optional(boolean), allowLargePages: optional(boolean), wait: optional(waitShape) }) as Check<SetBalloonOptions>;
/** @internal */
export const checkDryRunOptions = object({ ...callOptionsShape, dryRun: optional(boolean) }) as Check<DryRunOptions>;
/** @internal */
const prepareShape = object({ ...callOptionsShape, dryRun: optional(boolean), defaultBalloonMb: (v: unknown) => ok(v), pageFusion: optional(boolean) });

/** `prepare`'s options; a malformed `defaultBalloonMb` is `INVALID_BALLOON_SIZE`, as for `setDefaultBalloon`. @internal */
export function checkPrepareOptions(options: unknown, path: string, vm: string): Result<PrepareOptions, BalloonError> {
  const o = prepareShape(options, path, vm);
  if (o.isErr()) return err(o.error);
  const size = o.value.defaultBalloonMb;
  if (size === undefined) return ok(o.value as PrepareOptions);
  return checkSize(size, vm).map((n) => ({ ...(o.value as PrepareOptions), defaultBalloonMb: n }));
}

/** A guest's reserve as a percentage of its RAM: 0 to 90. @internal */
export const keepPercent = number({ min: 0, max: 90, example: 10 });

const reclaimShape = object({
  ...callOptionsShape,
  dryRun: optional(boolean),
  megabytes: megabytes(1024, 1),
  keepGuestFreeMb: optional(megabytes(256)),
  keepGuestFreePercent: optional(keepPercent),
  from: optional(arrayOf(vmRef, { example: "['web-1', 'web-2']", nonEmpty: true, maxLength: 10_000 })),
});

/** `reclaim`'s options: `megabytes` is required. @internal */
export function checkReclaimOptions(value: unknown): Result<ReclaimOptions, BalloonError> {
  if (value === undefined || value === null || typeof value !== 'object') {
    return err(invalidArgument('options', value, 'is not an options object', 'Pass at least how much to reclaim, e.g. reclaim({ megabytes: 1024 }).'));
  }
  return reclaimShape(value, 'options').map((o) => o as ReclaimOptions);
}

/** A VM reference and a balloon size before the VM's RAM is known. @internal */
export function checkVmAndSize(vm: unknown, sizeMb: unknown): Result<{ vm: string; sizeMb: number }, BalloonError> {
  const ref = validateVmRef(vm);
  if (ref.isErr()) return err(ref.error);
  const size = checkSize(sizeMb, ref.value);
  return size.isErr() ? err(size.error) : ok({ vm: ref.value, sizeMb: size.value });
}

/** The call options a client method gets: only `signal` and `timeoutMs`, never the controller's own options. @internal */
export function callOptions(options: CallOptions): CallOptions {
  return { ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };
}
