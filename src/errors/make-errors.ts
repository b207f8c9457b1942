// Constructors of the single-cause errors. @internal
import { stateInWords, statesInWords } from './state-words.js';
import type {
  AbortedError,
  ChangeOutcome,
  GuestAdditionsNotRunningError,
  HostUnsupportedError,
  InvalidArgumentError,
  InvalidBalloonSizeError,
  InvalidVmStateError,
  LargePagesEnabledError,
  ParseError,
  TimeoutError,
  VBoxManageFailedError,
  VBoxManageNotFoundError,
  VmLockedError,
  VmNotFoundError,
} from './error-types.js';
import { explanation, firstErrorLine, freeze, isChangeCommand, shellWord, show, unknownNote } from './format.js';
import { fixed, lit, option, sdkFix, type ErrorFix } from './fix.js';

// What a host cannot do, and the hosts VirtualBox does it on.
const HOST_FEATURES = {
  ballooning: ['balloon guest memory', 'VirtualBox supports memory ballooning only on 64-bit Windows, Linux, Solaris and FreeBSD hosts; run the VMs on such a host.'],
  'page fusion': ['use Page Fusion', 'VirtualBox supports Page Fusion only on 64-bit hosts, and not on macOS; run the VMs on such a host, or {0} (there even turning it off is refused).'],
} as const;

/** @internal */
export function hostUnsupported(os: string, reason: string, vm: string | null = null, feature: keyof typeof HOST_FEATURES = 'ballooning'): HostUnsupportedError {
  const subject = vm === null ? 'This host' : `VM ${show(vm)} is on a host that`;
  const [cannot, text] = HOST_FEATURES[feature];
  const f = feature === 'page fusion' ? fixed(text, option('pageFusion', 'leave-out')) : null;
  return freeze({
    code: 'HOST_UNSUPPORTED',
    vm,
    os,
    reason,
    message: `${subject} cannot ${cannot}: ${reason}. ${f?.words ?? text}`,
    ...(f === null ? {} : { fix: f.fix }),
  });
}

/** @internal */
export function invalidArgument(argument: string, value: unknown, problem: string, fix: string, vm: string | null = null): InvalidArgumentError {
  const about = vm === null ? '' : ` for VM ${show(vm)}`;
  const named = fixed('Invalid {0}', option(argument));
  return freeze({
    code: 'INVALID_ARGUMENT',
    vm,
    argument,
    received: show(value),
    message: `${named.words}${about}: ${show(value)} ${problem}. ${fix}`,
    fix: named.fix,
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
export function invalidVmState(vm: string, state: string, allowedStates: readonly string[], operation: string, fix: string | ErrorFix): InvalidVmStateError {
  return freeze({
    code: 'INVALID_VM_STATE',
    vm,
    state,
    allowedStates,
    operation,
    message: `VM ${show(vm)} is ${stateInWords(state)}, but a ${operation} needs it ${statesInWords(allowedStates)}. ${typeof fix === 'string' ? fix : sdkFix(fix)}`,
    ...(typeof fix === 'string' ? {} : { fix }),
  });
}

/** @internal */
export function largePagesEnabled(vm: string): LargePagesEnabledError {
  const f = fixed(`Power the VM off and {0} (VBoxManage modifyvm ${lit(shellWord(vm))} --largepages off).`, { kind: 'disable-large-pages', vm });
  return freeze({
    code: 'LARGE_PAGES_ENABLED',
    vm,
    message: `VM ${show(vm)} has large pages enabled; VirtualBox memory ballooning does not work with large pages. ${f.words}`,
    fix: f.fix,
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
  const file = lit(places[0] ?? '');
  const given = source === 'option' ? 'the {0} option' : source === 'VBOXMANAGE_PATH' ? 'VBOXMANAGE_PATH' : null;
  const fixGiven = source === 'option' ? 'Fix the {0} option' : 'Fix VBOXMANAGE_PATH (or unset it to search PATH and the standard places)';
  let text: string;
  if (given !== null && reason === 'folder') {
    text = `${given} names ${file}, which is a folder, not the VBoxManage executable. Point it at the executable inside, for example ${file.replace(/[\\/]+$/u, '')}/VBoxManage.`;
  } else if (given !== null && reason === 'not-executable') {
    text = `${given} names ${file}, which is not executable. Make it executable (chmod +x) or point ${given} at the real VBoxManage.`;
  } else if (given !== null) {
    text = `${given} names ${file}, which does not exist. ${fixGiven}.`;
  } else if (reason === 'not-executable') {
    text = `VBoxManage at ${file} is not executable. Make it executable (chmod +x), reinstall VirtualBox, or pass {0}.`;
  } else if (source === 'remote') {
    text = `VBoxManage was not found on the remote host (looked in: ${lit(places.join(', '))}). Install VirtualBox there, or pass {0}.`;
  } else {
    text = `VirtualBox's VBoxManage was not found here (looked in: ${places.length === 0 ? 'nowhere: PATH is empty' : lit(places.join(', '))}). Install VirtualBox, or pass {0} or set VBOXMANAGE_PATH to the VBoxManage executable.`;
  }
  const f = fixed(text, option(source === 'remote' ? 'ssh.vboxManagePath' : 'vboxManagePath'));
  const message = f.words;
  const named = /\{\d+\}/u.test(text.replace(/\{\{|\}\}/gu, ''));
  return freeze({ code: 'VBOXMANAGE_NOT_FOUND', vm: null, searched: places, source, reason, message, ...(named ? { fix: f.fix } : {}) });
}


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
  const note = outcome === 'unknown' ? fixed(unknownNote(0), { kind: 'inspect', vm }) : null;
  const next = note?.words ?? 'See stderr for details; run the same command by hand to investigate.';
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
    ...(note === null ? {} : { fix: note.fix }),
  });
}

/** @internal */
export function timeout(vm: string | null, argv: readonly string[], timeoutMs: number, outcome: ChangeOutcome = isChangeCommand(argv) ? 'unknown' : 'not-applied'): TimeoutError {
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  const after = outcome === 'unknown' ? unknownNote(1) : 'Nothing was changed.';
  const f = fixed(`${after} VBoxSVC may be busy or hung: check that 'VBoxManage list runningvms' responds, or {0}.`, option('timeoutMs', 'raise'), { kind: 'inspect', vm });
  return freeze({
    code: 'TIMEOUT',
    vm,
    argv,
    timeoutMs,
    outcome,
    message: `VBoxManage ${argv.join(' ')}${subject} did not finish within ${timeoutMs} ms and was killed. ${f.words}`,
    fix: f.fix,
  });
}

/** @internal */
export function aborted(vm: string | null, argv: readonly string[] = [], outcome: ChangeOutcome = isChangeCommand(argv) ? 'unknown' : 'not-applied'): AbortedError {
  const what = argv.length === 0 ? 'The operation' : `VBoxManage ${argv.join(' ')}`;
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  const after = outcome === 'unknown' ? `It was stopped while it ran: ${unknownNote(1)}` : 'Nothing was changed by it; {2} to retry.';
  const f = fixed(`was aborted by {0}. ${after}`, { kind: 'abort-signal' }, { kind: 'inspect', vm }, { kind: 'retry' });
  return freeze({
    code: 'ABORTED',
    vm,
    argv,
    outcome,
    message: `${what}${subject} ${f.words}`,
    fix: f.fix,
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
