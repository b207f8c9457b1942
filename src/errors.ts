import { stateInWords } from './domain/vm-state.js';

/**
 * Errors are data: every failure the SDK reports is a readonly plain object with a literal `code`.
 * Switch on `code` exhaustively; never use `instanceof` (two copies of the package may be loaded).
 */

/**
 * Whether a change may have been made by a call that failed: `not-applied` when nothing was changed (the call was a
 * read, never started, or VirtualBox refused it), `unknown` when a change (`controlvm`, `modifyvm`) was cut short or
 * answered in a way that cannot be trusted: it may or may not have been applied, and `inspect` tells.
 */
export type ChangeOutcome = 'not-applied' | 'unknown';

/** Fields that every {@link BalloonError} variant carries. */
export interface BalloonErrorBase {
  /** What went wrong, which VM and value, and what to do about it. */
  readonly message: string;
  /** The VM the failure is about, as the caller named it; `null` when no VM is involved. */
  readonly vm: string | null;
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

/** A change was refused before anything ran: every reason is listed, not just the first. */
export interface BlockedError extends BalloonErrorBase {
  /** Discriminant. */
  readonly code: 'BLOCKED';
  /** What was refused, for example `live balloon change`. */
  readonly operation: string;
  /** Every reason, each a {@link BalloonError} of its own (`INVALID_VM_STATE`, `LARGE_PAGES_ENABLED`, …). */
  readonly blockers: readonly BalloonError[];
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
  | SshFailedError;

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
];

const CODES = new Set<string>(BALLOON_ERROR_CODES);

/** True when `x` is a {@link BalloonError}: a non-null object with a known `code` and a string `message`. */
export function isBalloonError(x: unknown): x is BalloonError {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r['code'] === 'string' && CODES.has(r['code']) && typeof r['message'] === 'string';
}

/** Quote a value for a message: VM names may hold anything, so show them JSON-escaped when unusual. @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return /^[\w .:@/+-]*$/u.test(value) ? `'${value}'` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value);
  } catch {
    return 'an object';
  }
}

/** How a VM reference is best written on a shell command line in a message. @internal */
export function shellWord(value: string): string {
  return /^[\w.:@/+-]+$/u.test(value) && !value.startsWith('-') ? value : `"${value.replace(/["\\$`]/gu, '\\$&')}"`;
}

/** Freeze an error and its list fields so that callers cannot change it. */
function freeze<T extends BalloonError>(e: T): T {
  const r = e as unknown as Record<string, unknown>;
  // Copy lists so that freezing never touches an array the caller still owns.
  for (const [k, v] of Object.entries(r)) if (Array.isArray(v)) r[k] = Object.freeze([...(v as unknown[])]);
  return Object.freeze(e);
}

/** @internal */
export function hostUnsupported(os: string, reason: string, vm: string | null = null): HostUnsupportedError {
  const subject = vm === null ? 'This host' : `VM ${show(vm)} is on a host that`;
  return freeze({
    code: 'HOST_UNSUPPORTED',
    vm,
    os,
    reason,
    message: `${subject} cannot balloon guest memory: ${reason}. VirtualBox supports memory ballooning only on 64-bit Windows, Linux, Solaris and FreeBSD hosts; run the VMs on such a host.`,
  });
}

/** @internal */
export function invalidArgument(argument: string, value: unknown, problem: string, fix: string, vm: string | null = null): InvalidArgumentError {
  const about = vm === null ? '' : ` for VM ${show(vm)}`;
  return freeze({
    code: 'INVALID_ARGUMENT',
    vm,
    argument,
    received: show(value),
    message: `Invalid ${argument}${about}: ${show(value)} ${problem}. ${fix}`,
  });
}

/** @internal */
export function invalidBalloonSize(
  value: unknown,
  problem: string,
  limits: { readonly maxMb: number | null; readonly memoryMb: number | null },
  vm: string | null = null,
): InvalidBalloonSizeError {
  const about = vm === null ? '' : ` for VM ${show(vm)}`;
  const range =
    limits.maxMb === null
      ? 'Pass a whole number of megabytes, 0 or more.'
      : limits.maxMb < 0
        ? `No balloon fits a VM with ${limits.memoryMb ?? 0} MB of RAM.`
        : `Pass a whole number of megabytes from 0 to ${limits.maxMb}${limits.memoryMb === null ? '' : ` (90% of the VM's ${limits.memoryMb} MB RAM, exclusive)`}.`;
  return freeze({
    code: 'INVALID_BALLOON_SIZE',
    vm,
    sizeMb: typeof value === 'number' ? value : null,
    received: show(value),
    maxMb: limits.maxMb,
    memoryMb: limits.memoryMb,
    message: `Invalid balloon size${about}: ${show(value)} ${problem}. ${range}`,
  });
}

/** @internal */
export function vmNotFound(vm: string, vboxCode: string | null = null): VmNotFoundError {
  return freeze({
    code: 'VM_NOT_FOUND',
    vm,
    vboxCode,
    message: `VM ${show(vm)} is not registered with VirtualBox. Check the name (it is case-sensitive) or use the UUID; 'VBoxManage list vms' lists every VM.`,
  });
}

/** @internal */
export function invalidVmState(vm: string, state: string, allowedStates: readonly string[], operation: string, fix: string): InvalidVmStateError {
  return freeze({
    code: 'INVALID_VM_STATE',
    vm,
    state,
    allowedStates,
    operation,
    message: `VM ${show(vm)} is ${stateInWords(state)}, but a ${operation} needs it ${allowedStates.map(stateInWords).join(' or ')}. ${fix}`,
  });
}

/** @internal */
export function largePagesEnabled(vm: string): LargePagesEnabledError {
  return freeze({
    code: 'LARGE_PAGES_ENABLED',
    vm,
    message: `VM ${show(vm)} has large pages enabled; VirtualBox memory ballooning does not work with large pages. Power the VM off and call disableLargePages(${show(vm)}) (VBoxManage modifyvm ${shellWord(vm)} --largepages off).`,
  });
}

/** @internal */
export function guestAdditionsNotRunning(vm: string, runLevel: number | null): GuestAdditionsNotRunningError {
  const seen = runLevel === null ? 'reports no Guest Additions run level' : `reports Guest Additions run level ${runLevel}`;
  return freeze({
    code: 'GUEST_ADDITIONS_NOT_RUNNING',
    vm,
    runLevel,
    message: `VM ${show(vm)} ${seen}; the balloon is inflated by the Guest Additions service (run level 2 or more), so nothing would happen. Install the Guest Additions in the guest and make sure VBoxService is running.`,
  });
}

/** @internal */
export function vmLocked(vm: string | null, vboxCode: string | null, stderr: string, transient = true): VmLockedError {
  const subject = vm === null ? 'The VM' : `VM ${show(vm)}`;
  return freeze({
    code: 'VM_LOCKED',
    vm,
    vboxCode,
    transient,
    stderr,
    message: `${subject} is locked by another VirtualBox session${transient ? ' (usually briefly)' : ''}. Try again in a moment; if it persists, close the other session (another VBoxManage, the VirtualBox GUI, a running snapshot or clone).`,
  });
}

/** @internal */
export function vboxManageNotFound(
  searched: readonly string[],
  reason: VBoxManageNotFoundError['reason'] = 'not-installed',
  source: VBoxManageNotFoundError['source'] = 'search',
): VBoxManageNotFoundError {
  const places = [...new Set(searched)];
  const file = places[0] ?? '';
  const given = source === 'option' ? 'the vboxManagePath option' : source === 'VBOXMANAGE_PATH' ? 'VBOXMANAGE_PATH' : null;
  const fixGiven = source === 'option' ? 'Fix the vboxManagePath option' : 'Fix VBOXMANAGE_PATH (or unset it to search PATH and the standard places)';
  let message: string;
  if (given !== null && reason === 'folder') {
    message = `${given} names ${file}, which is a folder, not the VBoxManage executable. Point it at the executable inside, for example ${file.replace(/[\\/]+$/u, '')}/VBoxManage.`;
  } else if (given !== null && reason === 'not-executable') {
    message = `${given} names ${file}, which is not executable. Make it executable (chmod +x) or point ${given} at the real VBoxManage.`;
  } else if (given !== null) {
    message = `${given} names ${file}, which does not exist. ${fixGiven}.`;
  } else if (reason === 'not-executable') {
    message = `VBoxManage at ${file} is not executable. Make it executable (chmod +x), reinstall VirtualBox, or pass vboxManagePath.`;
  } else if (source === 'remote') {
    message = `VBoxManage was not found on the remote host (looked in: ${places.join(', ')}). Install VirtualBox there, or pass ssh.vboxManagePath.`;
  } else {
    message = `VirtualBox's VBoxManage was not found here (looked in: ${places.length === 0 ? 'nowhere: PATH is empty' : places.join(', ')}). Install VirtualBox, or pass vboxManagePath or set VBOXMANAGE_PATH to the VBoxManage executable.`;
  }
  return freeze({ code: 'VBOXMANAGE_NOT_FOUND', vm: null, searched: places, source, reason, message });
}

/** The commands that change a VM: when one is cut short, its outcome is unknown. @internal */
export function isChangeCommand(argv: readonly string[]): boolean {
  return argv[0] === 'controlvm' || argv[0] === 'modifyvm' || argv[0] === 'startvm';
}

const UNKNOWN_NOTE = 'The change may or may not have been applied; call inspect to see.';

/** @internal */
export function vboxManageFailed(
  vm: string | null,
  argv: readonly string[],
  exitCode: number | null,
  stderr: string,
  vboxCode: string | null,
  transient = false,
  detail?: string,
  outcome: ChangeOutcome = 'not-applied',
): VBoxManageFailedError {
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  const what = detail ?? (firstErrorLine(stderr) || `exit code ${exitCode ?? 'none'}`);
  // VirtualBox's own explanation (for example "Most likely, the VirtualBox COM server is not running") is kept.
  const explain = explanation(stderr);
  const next = outcome === 'unknown' ? UNKNOWN_NOTE : 'See stderr for details; run the same command by hand to investigate.';
  return freeze({
    code: 'VBOXMANAGE_FAILED',
    vm,
    argv,
    exitCode,
    stderr,
    vboxCode,
    transient,
    outcome,
    message: `VBoxManage ${argv.join(' ')} failed${subject}: ${what}${vboxCode === null ? '' : ` (${vboxCode})`}.${explain === '' ? '' : ` ${explain}`} ${next}`,
  });
}

/** @internal */
export function timeout(vm: string | null, argv: readonly string[], timeoutMs: number, outcome: ChangeOutcome = isChangeCommand(argv) ? 'unknown' : 'not-applied'): TimeoutError {
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  const after = outcome === 'unknown' ? UNKNOWN_NOTE : 'Nothing was changed.';
  return freeze({
    code: 'TIMEOUT',
    vm,
    argv,
    timeoutMs,
    outcome,
    message: `VBoxManage ${argv.join(' ')}${subject} did not finish within ${timeoutMs} ms and was killed. ${after} VBoxSVC may be busy or hung: check that 'VBoxManage list runningvms' responds, or raise timeoutMs.`,
  });
}

/** @internal */
export function aborted(vm: string | null, argv: readonly string[] = [], outcome: ChangeOutcome = isChangeCommand(argv) ? 'unknown' : 'not-applied'): AbortedError {
  const what = argv.length === 0 ? 'The operation' : `VBoxManage ${argv.join(' ')}`;
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  const after = outcome === 'unknown' ? `It was stopped while it ran: ${UNKNOWN_NOTE}` : 'Nothing was changed by it; call again to retry.';
  return freeze({
    code: 'ABORTED',
    vm,
    argv,
    outcome,
    message: `${what}${subject} was aborted by the caller's signal. ${after}`,
  });
}

/** @internal */
export function parseError(source: string, text: string, reason: string, vm: string | null = null): ParseError {
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  return freeze({
    code: 'PARSE_ERROR',
    vm,
    source,
    reason,
    excerpt: text.slice(0, 200),
    message: `Cannot read the output of VBoxManage ${source}${subject}: ${reason}. This VirtualBox version may print a format the SDK does not know; please report it with the output.`,
  });
}

/**
 * What a refused change returns: one blocker comes back as itself (so `switch (e.code)` sees the cause), several as
 * `BLOCKED` with every one in `blockers`. @internal
 */
export function refusal<E extends BalloonError>(vm: string, operation: string, blockers: readonly E[]): E | BlockedError {
  return blockers.length === 1 && blockers[0] !== undefined ? blockers[0] : blocked(vm, operation, blockers);
}

/** @internal */
export function blocked(vm: string, operation: string, blockers: readonly BalloonError[]): BlockedError {
  const reasons = blockers.map((b, i) => `(${i + 1}) ${b.message}`).join(' ');
  return freeze({
    code: 'BLOCKED',
    vm,
    operation,
    blockers,
    message: `Cannot make the ${operation} on VM ${show(vm)}; ${blockers.length === 1 ? 'one reason' : `${blockers.length} reasons`}: ${reasons}`,
  });
}

/** @internal */
export function reclaimShortfall(requestedMb: number, reclaimableMb: number, keepGuestFreeMb: number, leftOut: readonly LeftOutVm[] = []): ReclaimShortfallError {
  const out = leftOut.length === 0 ? '' : ` Left out: ${leftOut.map((l) => `${show(l.vm)} (${l.reason})`).join('; ')}.`;
  const can = reclaimableMb > 0 ? `the running guests can give up only ${reclaimableMb} MB while each keeps ${keepGuestFreeMb} MB free` : `no running guest can give anything while each keeps ${keepGuestFreeMb} MB free`;
  const fix =
    reclaimableMb > 0
      ? `Ask for ${reclaimableMb} MB or less, lower keepGuestFreeMb, or start or include more VMs.`
      : 'Start VMs with the Guest Additions running, lower keepGuestFreeMb, or include other VMs.';
  return freeze({
    code: 'RECLAIM_SHORTFALL',
    vm: null,
    requestedMb,
    reclaimableMb,
    leftOut,
    message: `Cannot reclaim ${requestedMb} MB: ${can}.${out} ${fix} Nothing was changed.`,
  });
}

const SSH_FIX: Readonly<Record<SshFailureKind, string>> = {
  refused: 'Nothing listens for ssh there: check that sshd runs on the host and the port is right.',
  unreachable: 'Check the host name, the network and the firewall (ConnectTimeout can be raised in ssh options).',
  auth: 'The key was refused: check the user, the identityFile, and that its public key is in ~/.ssh/authorized_keys on the host (BatchMode is on: ssh never asks for a password).',
  'host-key-unknown': "The host's key is not in known_hosts: connect once by hand (ssh user@host) and check its fingerprint, or add it with ssh-keyscan after checking it.",
  'host-key-changed': "The host's key differs from the one in known_hosts: this may be an attack. Check with the host's admin before you remove the old key (ssh-keygen -R host).",
  dropped: 'The connection was lost during the call: check the network and the host, then inspect the VM before you try again.',
  shell: "The remote login shell is not a POSIX shell (Windows' cmd.exe or PowerShell): vbox-balloon needs sh, bash, zsh or similar on the remote host.",
  other: 'Run the same ssh command by hand with -v to see why.',
};

/** @internal */
export function sshFailed(host: string, kind: SshFailureKind, argv: readonly string[], stderr: string, vm: string | null, outcome: ChangeOutcome = 'not-applied'): SshFailedError {
  const first = stderr.trim().split(/\r?\n/u).find((l) => l.trim() !== '') ?? `ssh exited 255`;
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  const doubt = outcome === 'unknown' ? ` ${UNKNOWN_NOTE}` : '';
  return freeze({
    code: 'SSH_FAILED',
    vm,
    host,
    kind,
    argv,
    stderr,
    transient: kind === 'refused' || kind === 'unreachable' || kind === 'dropped',
    outcome,
    message: `Could not run VBoxManage ${argv.join(' ')}${subject} on ${host} over ssh (${kind}): ${first}.${doubt} ${SSH_FIX[kind]}`,
  });
}

/** @internal */
export function autopilotRunning(): AutopilotRunningError {
  return freeze({
    code: 'AUTOPILOT_RUNNING',
    vm: null,
    message: 'This controller already runs an autopilot; two would fight over the same balloons. Stop the first (handle.stop(), then await handle.done) before starting another.',
  });
}

/** @internal */
export function applyFailed(cause: BalloonError, changes: readonly ChangeRecord[]): ApplyFailedError {
  const restored = changes.filter((c) => c.rollback === 'restored').map((c) => ({ vm: c.vm, toMb: c.fromMb }));
  const notRestored = changes.flatMap((c) => (c.rollback === 'failed' && c.rollbackError !== null ? [{ vm: c.vm, error: c.rollbackError }] : []));
  const each = changes.map((c) => {
    const done = c.outcome === 'applied' ? `set ${c.fromMb} -> ${c.toMb} MB` : `${c.fromMb} -> ${c.toMb} MB may or may not have been applied`;
    const back = c.rollback === 'restored' ? `put back to ${c.fromMb} MB` : c.rollback === 'failed' ? `NOT put back (set it by hand with setBalloon: ${c.fromMb} MB)` : 'kept';
    return `${show(c.vm)} ${done}, ${back}`;
  });
  const summary = changes.length === 0 ? 'Nothing had been changed.' : `What was done: ${each.join('; ')}.`;
  return freeze({
    code: 'APPLY_FAILED',
    vm: cause.vm,
    cause,
    changes,
    restored,
    notRestored,
    message: `The change stopped at VM ${show(cause.vm ?? '?')}: ${cause.message} ${summary}`,
  });
}

/** The text VirtualBox adds to explain a failure (`Most likely, …`), or an empty string. @internal */
export function explanation(stderr: string): string {
  for (const line of stderr.split(/\r?\n/u)) {
    const m = /^VBoxManage(?:\.exe)?: error: (Most likely,.*)$/u.exec(line);
    if (m?.[1] !== undefined) return m[1].trim();
  }
  return '';
}

/** The first `VBoxManage: error:` message line of stderr, without its prefix. @internal */
export function firstErrorLine(stderr: string): string {
  for (const line of stderr.split(/\r?\n/u)) {
    const m = /^VBoxManage(?:\.exe)?: error: (.*)$/u.exec(line);
    if (m?.[1] !== undefined) return m[1].trim();
  }
  return stderr.trim().split(/\r?\n/u)[0] ?? '';
}
