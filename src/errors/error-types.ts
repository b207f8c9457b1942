// The error objects, one interface per code (those that hold other errors are in ./error-union.ts, beside the
// union). Errors are data: see ./index.ts.
import type { ErrorFix } from './fix.js';

/**
 * Whether a change may have been made by a call that failed: `not-applied` when nothing was changed (the call was a
 * read, never started, or VirtualBox refused it), `unknown` when a change (`controlvm`, `modifyvm`) was cut short or
 * answered in a way that cannot be trusted: it may or may not have been applied, and `inspect` tells.
 */
export type ChangeOutcome = 'not-applied' | 'unknown';

/** Fields that every error variant carries. */
export interface BalloonErrorBase {
  /** What went wrong, which VM and value, and what to do about it. */
  readonly message: string;
  /** The VM the failure is about, as the caller named it; `null` when no VM is involved. */
  readonly vm: string | null;
  /**
   * What gets past the error, as data (the calls to make, the options to change), when the message names SDK calls or
   * options: `message` says it in the SDK's words; the CLI says the same steps with its commands and flags.
   */
  readonly fix?: ErrorFix;
}

/** The host cannot balloon: VirtualBox supports ballooning only on 64-bit Windows, Linux, Solaris and FreeBSD hosts. */
export interface HostUnsupportedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'HOST_UNSUPPORTED';
  /** The host operating system as VirtualBox reports it (for example `Darwin`). */
  readonly os: string;
  /** Why this host is refused. */
  readonly reason: string;
}

/** An argument passed to the SDK is not acceptable (wrong type, bad VM reference, unknown option value). */
export interface InvalidArgumentError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'INVALID_ARGUMENT';
  /** The name of the argument that was refused. */
  readonly argument: string;
  /** A printable rendering of the value that was passed. */
  readonly received: string;
}

/** A balloon size is not an integer from 0 to {@link maxBalloonMb}. */
export interface InvalidBalloonSizeError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'INVALID_BALLOON_SIZE';
  /** The size that was asked for, when it was a number; `null` for a non-number. */
  readonly sizeMb: number | null;
  /** A printable rendering of the value that was passed. */
  readonly received: string;
  /** The largest size VirtualBox accepts for this VM, when known. */
  readonly maxMb: number | null;
  /** The VM's configured RAM in MB, when known. */
  readonly memoryMb: number | null;
}

/** VirtualBox has no registered VM with this name or UUID. */
export interface VmNotFoundError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'VM_NOT_FOUND';
  /** The VirtualBox result code, `VBOX_E_OBJECT_NOT_FOUND` when VBoxManage printed one. */
  readonly vboxCode: string | null;
}

/** The VM is in a state that does not allow the operation. */
export interface InvalidVmStateError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'INVALID_VM_STATE';
  /** The VM's state, as showvminfo's `VMState` prints it, or `unknown`. */
  readonly state: string;
  /** The states in which the operation works. */
  readonly allowedStates: readonly string[];
  /** The operation that was refused, for example `live balloon`. */
  readonly operation: string;
}

/** Large pages are on, and VirtualBox ballooning does not work with them. */
export interface LargePagesEnabledError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'LARGE_PAGES_ENABLED';
}

/** The Guest Additions (VBoxService) are not running in the guest, so nothing would inflate the balloon. */
export interface GuestAdditionsNotRunningError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'GUEST_ADDITIONS_NOT_RUNNING';
  /** The reported run level (0 none, 1 system, 2 userland, 3 desktop), or `null` when not reported. */
  readonly runLevel: number | null;
}

/** Another session holds the VM's lock. Usually transient: the SDK retries these. */
export interface VmLockedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'VM_LOCKED';
  /** The VirtualBox result code, for example `VBOX_E_INVALID_OBJECT_STATE`. */
  readonly vboxCode: string | null;
  /** Whether trying again later can succeed. */
  readonly transient: boolean;
  /** What VBoxManage wrote to stderr. */
  readonly stderr: string;
}

/** The VBoxManage executable could not be found or started. */
export interface VBoxManageNotFoundError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'VBOXMANAGE_NOT_FOUND';
  /** Every place that was tried, in order, each once. */
  readonly searched: readonly string[];
  /** Where the path came from: the `vboxManagePath` option, `VBOXMANAGE_PATH`, the search (`PATH` and the standard places), or the remote host. */
  readonly source: 'option' | 'VBOXMANAGE_PATH' | 'search' | 'remote';
  /** What was wrong: nothing there, a folder, a file that is not executable, or nothing found anywhere. */
  readonly reason: 'missing' | 'folder' | 'not-executable' | 'not-installed';
}

/** VBoxManage failed for a reason the SDK does not map to a more specific code. */
export interface VBoxManageFailedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'VBOXMANAGE_FAILED';
  /** The arguments VBoxManage was run with (without the executable). */
  readonly argv: readonly string[];
  /** The exit code, `null` when the process ended by a signal. */
  readonly exitCode: number | null;
  /** What VBoxManage wrote to stderr. */
  readonly stderr: string;
  /** The VirtualBox result code from the `Details:` line, when there was one. */
  readonly vboxCode: string | null;
  /** Whether trying again later can succeed. */
  readonly transient: boolean;
  /** Whether a change may have been made anyway (a killed change, or exit 0 with output VBoxManage never prints on success). */
  readonly outcome: ChangeOutcome;
}

/** A VBoxManage call took longer than allowed; the process was killed. */
export interface TimeoutError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'TIMEOUT';
  /** The arguments VBoxManage was run with. */
  readonly argv: readonly string[];
  /** The limit that was exceeded. */
  readonly timeoutMs: number;
  /** `unknown` when a change was running: it may or may not have been applied. */
  readonly outcome: ChangeOutcome;
}

/** The caller's `AbortSignal` fired; any running VBoxManage process was killed. */
export interface AbortedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'ABORTED';
  /** The arguments of the call that was stopped, or an empty list when nothing was running. */
  readonly argv: readonly string[];
  /** `unknown` when a change was running: it may or may not have been applied. */
  readonly outcome: ChangeOutcome;
}

/** VBoxManage printed something the SDK cannot read. */
export interface ParseError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'PARSE_ERROR';
  /** Which output was being read, for example `showvminfo`. */
  readonly source: string;
  /** What exactly could not be read. */
  readonly reason: string;
  /** The start of the text that could not be read (at most 200 characters). */
  readonly excerpt: string;
}

/** `reclaim` was asked for more memory than the running guests can give up. Nothing was changed. */
export interface ReclaimShortfallError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'RECLAIM_SHORTFALL';
  /** How much was asked for, in MB. */
  readonly requestedMb: number;
  /** How much can be reclaimed now, in MB. */
  readonly reclaimableMb: number;
  /** The VMs that could not give anything, each with why (off, no Guest Additions, not reporting, no free memory…). */
  readonly leftOut: readonly LeftOutVm[];
}

/** A VM left out of a reclaim, with why. */
export interface LeftOutVm {
  /** The VM's name. */
  readonly vm: string;
  /** Why it gives nothing, in words. */
  readonly reason: string;
}

/** Why OpenSSH could not run a command on a remote host. */
export type SshFailureKind = 'refused' | 'unreachable' | 'auth' | 'host-key-unknown' | 'host-key-changed' | 'dropped' | 'shell' | 'other';

/** The remote host could not be reached or used over OpenSSH (ssh exited 255, or the login shell is not POSIX). */
export interface SshFailedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'SSH_FAILED';
  /** The host, as configured. */
  readonly host: string;
  /** What went wrong, as a word. */
  readonly kind: SshFailureKind;
  /** The VBoxManage arguments the call was for. */
  readonly argv: readonly string[];
  /** What ssh wrote to stderr. */
  readonly stderr: string;
  /** Whether trying again later can succeed (a refused or dropped connection may; a changed host key never). */
  readonly transient: boolean;
  /** `unknown` when the connection dropped while a change ran: it may or may not have been applied. */
  readonly outcome: ChangeOutcome;
}

/** A second autopilot was started on a controller that already runs one. */
export interface AutopilotRunningError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'AUTOPILOT_RUNNING';
}

/** A VM cannot be started on this host: the budget and the running guests' balloons cannot cover what it needs. Nothing was changed. */
export interface NoRoomError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'NO_ROOM';
  /** What the start needs, in MB: the VM's RAM plus VirtualBox's overhead for it. */
  readonly needMb: number;
  /** What the budget has left without ballooning, in MB (0 when the running guests already use it all). */
  readonly headroomMb: number;
  /** What the running guests could give up, in MB, each keeping its free memory floor. */
  readonly reclaimableMb: number;
  /** What is missing, in MB: `needMb - headroomMb - reclaimableMb`. */
  readonly missingMb: number;
  /** The running VMs that could give nothing (or nothing more), each with why. */
  readonly leftOut: readonly LeftOutVm[];
}

/** The balloons inflated to make room did not free enough memory in time; the start did not run. */
export interface RoomNotReadyError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'ROOM_NOT_READY';
  /** What the balloons had to free, in MB. */
  readonly neededMb: number;
  /** What they had freed when the wait ended, in MB. */
  readonly freedMb: number;
  /** How long the wait lasted, in ms. */
  readonly waitedMs: number;
}

/** A VM with this name already exists: `clonevm` found the clone's settings file ("Machine settings file '…' already exists"). */
export interface VmExistsError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'VM_EXISTS';
  /** The name that is taken. */
  readonly name: string;
  /** Where VirtualBox found the settings file, when it said. */
  readonly settingsFile: string | null;
}

/** The VM has no snapshot of that name or UUID ("Could not find a snapshot named '…'", "This machine does not have any snapshots"). */
export interface SnapshotNotFoundError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'SNAPSHOT_NOT_FOUND';
  /** The snapshot asked for; `null` when none was named and the VM has none. */
  readonly snapshot: string | null;
  /** The VM's snapshots by name, when known (empty: none, or not read). */
  readonly snapshots: readonly string[];
}
