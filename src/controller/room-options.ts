// The options of planStart, startWithRoom and giveBack, checked before anything runs (see src/validate).
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type BalloonError } from '../errors/index.js';
import { isUuid } from '../domain/vm-ref.js';
import { keepPercent, megabytes, vmRef } from './option-schemas.js';
import { callOptionsShape } from '../validate/call-options.js';
import { checkCloneFrom } from '../validate/clone-options.js';
import { arrayOf, boolean, durationMs, func, number, object, oneOf, optional, string, type Check } from '../validate/schema.js';
import { START_VM_TYPES } from '../port/client.js';
import type { GiveBackOptions, RoomOptions, RoomRecord, StartWithRoomOptions } from './room-types.js';
import type { MemoryOptions } from './types.js';


const roomShape = {
  ...callOptionsShape,
  budgetMb: optional(megabytes(49_152, 1)),
  budgetPercent: optional(number({ min: 0, max: 100, minExclusive: true, example: 80 })),
  overheadMb: optional(megabytes(256)),
  keepGuestFreeMb: optional(megabytes(256)),
  keepGuestFreePercent: optional(keepPercent),
  // An empty list: no VM gives, so the start must fit the budget's headroom without ballooning.
  from: optional(arrayOf(vmRef, { example: "['web-1', 'web-2']", maxLength: 10_000 })),
  clone: optional(checkCloneFrom),
} as const;

/** `memory`'s options: the budget and the free memory a giving guest keeps, as for planStart. @internal */
export const checkMemoryOptions = object({ ...callOptionsShape, budgetMb: roomShape.budgetMb, budgetPercent: roomShape.budgetPercent, keepGuestFreeMb: roomShape.keepGuestFreeMb, keepGuestFreePercent: roomShape.keepGuestFreePercent }) as Check<MemoryOptions>;

/** @internal */
export const checkRoomOptions = object({ ...roomShape, type: optional(oneOf(START_VM_TYPES)) }) as Check<RoomOptions & Pick<StartWithRoomOptions, 'type'>>;

/** @internal */
export const checkStartWithRoomOptions = object({
  ...roomShape,
  type: optional(oneOf(START_VM_TYPES)),
  dryRun: optional(boolean),
  waitTimeoutMs: optional(durationMs({ min: 0, example: 120_000 })),
  pollMs: optional(durationMs({ min: 10, example: 1000 })),
  startTimeoutMs: optional(durationMs({ min: 1, example: 120_000 })),
  cloneTimeoutMs: optional(durationMs({ min: 1, example: 600_000 })),
  onPlanned: optional(func),
}) as unknown as Check<StartWithRoomOptions>;

/** @internal */
export const checkGiveBackOptions = object({ ...callOptionsShape, force: optional(boolean), dryRun: optional(boolean), delete: optional(boolean) }) as Check<GiveBackOptions>;

const uuid: Check<string> = (value, path, vm) =>
  typeof value === 'string' && isUuid(value) ? ok(value.replace(/[{}]/gu, '').toLowerCase()) : err(invalidArgument(path, value, 'is not a VM UUID', "Pass the record startWithRoom returned (result.room) as it is, e.g. read back from JSON.", vm ?? null));

const takenShape = object({ vm: string({ nonEmpty: true, example: 'web-1' }), uuid, fromMb: megabytes(0), toMb: megabytes(1024) });
const cloneOfShape = object({ from: string({ nonEmpty: true, example: 'ci-base' }), snapshot: string({ nonEmpty: true, example: 'base' }) });
const recordShape = object({
  vm: string({ nonEmpty: true, example: 'build-7' }),
  uuid,
  taken: arrayOf(takenShape, { example: '[{ vm, uuid, fromMb, toMb }]', maxLength: 10_000 }),
  clone: optional(cloneOfShape),
});

/** What `giveBack` was given: a VM reference, or a room record (a whole `startWithRoom` result carries one in `room`). @internal */
export function checkGiveBackTarget(value: unknown): Result<string | RoomRecord, BalloonError> {
  if (typeof value === 'string') return vmRef(value, 'target');
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const room = (value as Record<string, unknown>)['room'];
    const record = typeof room === 'object' && room !== null && 'taken' in room ? room : value;
    // Only the record's own keys are read: a whole result passes, its other keys ignored.
    const r = record as Record<string, unknown>;
    return recordShape({ vm: r['vm'], uuid: r['uuid'], taken: r['taken'], ...(r['clone'] === undefined ? {} : { clone: r['clone'] }) }, 'target').map((x) => x as RoomRecord);
  }
  return err(invalidArgument('target', value, 'is neither a VM nor a room record', "Pass the VM's name or UUID, or the record startWithRoom returned (result.room).", null));
}
