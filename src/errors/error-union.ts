// The errors that hold other errors (what changes across several VMs report, BLOCKED), the union of every error,
// and its codes.
import type {
  AbortedError,
  BalloonErrorBase,
  AutopilotRunningError,
  GuestAdditionsNotRunningError,
  HostUnsupportedError,
  InvalidArgumentError,
  InvalidBalloonSizeError,
  InvalidVmStateError,
  LargePagesEnabledError,
  NoRoomError,
  ParseError,
  ReclaimShortfallError,
  RoomNotReadyError,
  SnapshotNotFoundError,
  SshFailedError,
  TimeoutError,
  VBoxManageFailedError,
  VBoxManageNotFoundError,
  VmExistsError,
  VmLockedError,
  VmNotFoundError,
} from './error-types.js';

/** A VM and the balloon size it was put back to. */
export interface RestoredBalloon {
  /** The VM. */
  readonly vm: string;
  /** The size it was put back to, in MB. */
  readonly toMb: number;
}

/** A VM and why something failed for it. */
export interface VmFailure {
  /** The VM. */
  readonly vm: string;
  /** What went wrong. */
  readonly error: BalloonError;
}

/** One VM's part in a change across several VMs that stopped midway: what was done, and whether it was put back. */
export interface ChangeRecord {
  /** The VM's name. */
  readonly vm: string;
  /** The VM's UUID. */
  readonly uuid: string;
  /** The argv that ran. */
  readonly argv: readonly string[];
  /** The live balloon before, in MB (what a rollback puts back). */
  readonly fromMb: number;
  /** The live balloon asked for, in MB. */
  readonly toMb: number;
  /** `applied`: the change was made; `unknown`: the call was cut short and may or may not have been applied. */
  readonly outcome: 'applied' | 'unknown';
  /** `restored`: put back to `fromMb`; `failed`: could not be put back (see `rollbackError`); `kept`: not rolled back. */
  readonly rollback: 'restored' | 'failed' | 'kept';
  /** Why it could not be put back, when `rollback` is `failed`. */
  readonly rollbackError: BalloonError | null;
}

/** A change was refused before anything ran: every reason is listed, not just the first. */
export interface BlockedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'BLOCKED';
  /** What was refused, for example `live balloon change`. */
  readonly operation: string;
  /** Every reason, each a {@link BalloonError} of its own (`INVALID_VM_STATE`, `LARGE_PAGES_ENABLED`, …). */
  readonly blockers: readonly BalloonError[];
}

/** A change across several VMs failed midway; the SDK put back what it had (or may have) changed. */
export interface ApplyFailedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'APPLY_FAILED';
  /** The failure that stopped the change. */
  readonly cause: BalloonError;
  /** Every change that was, or may have been, made before the stop, in order, with what the rollback did. */
  readonly changes: readonly ChangeRecord[];
  /** The VMs whose balloons were put back, with the size they were put back to. */
  readonly restored: readonly RestoredBalloon[];
  /** The VMs whose balloons could not be put back, with why. */
  readonly notRestored: readonly VmFailure[];
  /** A clone made for the start that then failed: whether it was removed again, or why it is left. Absent otherwise. */
  readonly clone?: CloneUndone;
}

/** A clone made for a start that failed, and what became of it. */
export interface CloneUndone {
  /** The clone's name. */
  readonly name: string;
  /** The argv that made it. */
  readonly argv: readonly string[];
  /** Whether it was removed again (`unregistervm --delete`). */
  readonly removed: boolean;
  /** Why it could not be removed, when `removed` is false. */
  readonly error: BalloonError | null;
}

/** One host's answer to a placement, in words: why it cannot start the VM. */
export interface HostRefusal {
  /** The host, as the fleet names it. */
  readonly host: string;
  /** Why it cannot start the VM, with the figures (one line). */
  readonly reason: string;
  /** The error behind the reason, when there was one (a host that did not answer, a start that failed there). */
  readonly error: BalloonError | null;
}

/** No host of a fleet can start the VM (or every host tried failed): every host is listed with why. */
export interface NoHostError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'NO_HOST';
  /** How many hosts were asked. */
  readonly hostCount: number;
  /** Every host, with why it cannot start the VM (or why the start failed there). */
  readonly refusals: readonly HostRefusal[];
}

/** Every failure the SDK can report. Switch on `code`. */
export type BalloonError =
  | HostUnsupportedError
  | InvalidArgumentError
  | InvalidBalloonSizeError
  | VmNotFoundError
  | InvalidVmStateError
  | LargePagesEnabledError
  | GuestAdditionsNotRunningError
  | VmLockedError
  | VBoxManageNotFoundError
  | VBoxManageFailedError
  | TimeoutError
  | AbortedError
  | ParseError
  | BlockedError
  | ReclaimShortfallError
  | ApplyFailedError
  | AutopilotRunningError
  | SshFailedError
  | NoRoomError
  | RoomNotReadyError
  | VmExistsError
  | SnapshotNotFoundError
  | NoHostError;

/** The literal `code` of every {@link BalloonError} variant. */
export type BalloonErrorCode = BalloonError['code'];

/** Every error code, in the order `docs/errors.md` lists them. */
export const BALLOON_ERROR_CODES: readonly BalloonErrorCode[] = [
  'HOST_UNSUPPORTED',
  'INVALID_ARGUMENT',
  'INVALID_BALLOON_SIZE',
  'VM_NOT_FOUND',
  'INVALID_VM_STATE',
  'LARGE_PAGES_ENABLED',
  'GUEST_ADDITIONS_NOT_RUNNING',
  'VM_LOCKED',
  'VBOXMANAGE_NOT_FOUND',
  'VBOXMANAGE_FAILED',
  'TIMEOUT',
  'ABORTED',
  'PARSE_ERROR',
  'BLOCKED',
  'RECLAIM_SHORTFALL',
  'APPLY_FAILED',
  'AUTOPILOT_RUNNING',
  'SSH_FAILED',
  'NO_ROOM',
  'ROOM_NOT_READY',
  'VM_EXISTS',
  'SNAPSHOT_NOT_FOUND',
  'NO_HOST',
];

const CODES = new Set<string>(BALLOON_ERROR_CODES);

/** True when `x` is a {@link BalloonError}: a non-null object with a known `code` and a string `message`. */
export function isBalloonError(x: unknown): x is BalloonError {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r['code'] === 'string' && CODES.has(r['code']) && typeof r['message'] === 'string';
}
