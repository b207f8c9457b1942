import {
  firstErrorLine,
  hostUnsupported,
  invalidBalloonSize,
  invalidVmState,
  shellWord,
  snapshotNotFound,
  vboxManageFailed,
  vmExists,
  vmLocked,
  vmNotFound,
  type BalloonError,
} from '../errors/index.js';
import { LIVE_BALLOON_STATES, MUTABLE_STATES } from '../domain/vm-state.js';

/** What a finished VBoxManage process left behind. */
export interface ProcessOutcome {
  /** Exit code; `null` when the process ended by a signal. */
  readonly exitCode: number | null;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
  /** The arguments VBoxManage ran with, for the error; optional. */
  readonly argv?: readonly string[];
  /** The VM the call was about, as the caller named it; optional. */
  readonly vm?: string | null;
  /**
   * The VM's name where the caller knows it (VirtualBox prints the name even for a call by UUID). Its quoted
   * occurrences are blanked before the text is read, so that a VM named "db already locked" changes nothing.
   */
  readonly vmName?: string | null;
}

const ERROR_LINE = /^VBoxManage(?:\.exe)?: error:/mu;
const PREFIXES = ['VBoxManage: error: ', 'VBoxManage.exe: error: '];

/** VBoxManage failed when it exits non-zero OR prints a `VBoxManage: error:` line (some failures exit 0). */
export function isVBoxManageFailure(outcome: Pick<ProcessOutcome, 'exitCode' | 'stderr'>): boolean {
  return outcome.exitCode !== 0 || ERROR_LINE.test(outcome.stderr);
}

// Classify by the hex value: XPCOM builds print NS_ERROR_* names where Windows prints E_* names.
const CODE_NAMES: Readonly<Record<string, string>> = {
  '0x80bb0001': 'VBOX_E_OBJECT_NOT_FOUND',
  '0x80bb0002': 'VBOX_E_INVALID_VM_STATE',
  '0x80bb0003': 'VBOX_E_VM_ERROR',
  '0x80bb0005': 'VBOX_E_IPRT_ERROR',
  '0x80bb0007': 'VBOX_E_INVALID_OBJECT_STATE',
  '0x80bb000b': 'VBOX_E_INVALID_SESSION_STATE',
  '0x80bb000c': 'VBOX_E_OBJECT_IN_USE',
  '0x80070057': 'E_INVALIDARG',
  '0x80004001': 'E_NOTIMPL',
  '0x80070005': 'E_ACCESSDENIED',
  '0x80004005': 'E_FAIL',
};

/**
 * A settings change (`modifyvm`) on a VM that runs: its own session holds the lock for as long as it runs, so this
 * is no brief lock to retry; the VM must be powered off. Both clients answer with this. @internal
 */
export function settingsOnRunningVm(vm: string, state: string): BalloonError {
  return invalidVmState(
    vm,
    state,
    MUTABLE_STATES,
    'settings change',
    `While it runs, the VM's own session holds its lock, so VirtualBox refuses every settings change: power the VM off first (shut the guest down, or VBoxManage controlvm ${shellWord(vm)} poweroff). Nothing was changed.`,
  );
}

/** A VirtualBox result code found in stderr. */
export interface VBoxResultCode {
  /** Canonical name, e.g. `E_INVALIDARG` even where XPCOM printed `NS_ERROR_INVALID_ARG`. */
  readonly name: string;
  /** The value in lowercase hex, e.g. `0x80070057`. */
  readonly hex: string;
}

// `<NAME> (0x<hex>)` at the start of `text`, read by hand.
function readCode(text: string): VBoxResultCode | null {
  const space = text.indexOf(' (0x');
  if (space <= 0) return null;
  const name = text.slice(0, space);
  if (!/^\w+$/u.test(name)) return null;
  const close = text.indexOf(')', space);
  if (close === -1) return null;
  const hexDigits = text.slice(space + 4, close);
  if (hexDigits === '' || hexDigits.length > 8 || !/^[0-9a-fA-F]+$/u.test(hexDigits)) return null;
  const hex = `0x${hexDigits.toLowerCase()}`;
  return { name: CODE_NAMES[hex] ?? name, hex };
}

/** The message lines of stderr (`VBoxManage: error: ` removed), in order. */
function errorMessages(stderr: string): string[] {
  const found: { at: number; text: string }[] = [];
  for (const p of PREFIXES) {
    // Native search for the prefix, kept only at a line start: one pass per prefix, whatever the size.
    for (let at = stderr.indexOf(p); at !== -1; at = stderr.indexOf(p, at + p.length)) {
      if (at !== 0 && stderr[at - 1] !== '\n') continue;
      const end = stderr.indexOf('\n', at);
      found.push({ at, text: stderr.slice(at + p.length, end === -1 ? stderr.length : end).trim() });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.text);
}

/**
 * The VirtualBox result code in stderr (`Details: code X (0x…)` or `Code X (0x…)`), canonically named. The LAST
 * such line counts: VirtualBox prints it after the message, so a code inside a VM name (printed in the message) cannot
 * stand in for it.
 */
export function extractVBoxCode(stderr: string): VBoxResultCode | null {
  if (typeof stderr !== 'string') return null;
  const messages = errorMessages(stderr.replace(/\r\n?/gu, '\n'));
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] ?? '';
    const rest = m.startsWith('Details: code ') ? m.slice('Details: code '.length) : m.startsWith('Code ') ? m.slice('Code '.length) : null;
    if (rest !== null) {
      const code = readCode(rest);
      if (code !== null) return code;
    }
  }
  // Not at a line start (a capture with other text before it): the fixed phrase, once.
  const at = stderr.lastIndexOf('Details: code ');
  return at === -1 ? null : readCode(stderr.slice(at + 'Details: code '.length));
}

// VirtualBox's CamelCase state names (Global::stringifyMachineState) to showvminfo's names.
function machineStateName(camel: string): string {
  const s = camel.toLowerCase();
  if (s === 'poweredoff') return 'poweroff';
  if (s === 'abortedsaved') return 'aborted-saved';
  return s;
}

function operationOf(argv: readonly string[]): { operation: string; allowed: readonly string[]; fix: string } {
  if (argv[0] === 'controlvm' && argv[2] === 'guestmemoryballoon') {
    return { operation: 'live balloon change', allowed: LIVE_BALLOON_STATES, fix: 'Start the VM first, or set the default balloon while it is off.' };
  }
  if (argv[0] === 'controlvm') {
    return { operation: `controlvm ${argv[2] ?? ''}`.trim(), allowed: LIVE_BALLOON_STATES, fix: 'Start the VM first.' };
  }
  return { operation: 'settings change', allowed: MUTABLE_STATES, fix: 'Power the VM off first; a saved VM must be started and shut down.' };
}

// Blank quoted occurrences of the names the caller gave or knows, so that no name can read as a phrase.
function withoutNames(stderr: string, names: readonly (string | null | undefined)[]): string {
  let text = stderr;
  for (const n of names) {
    if (typeof n !== 'string' || n === '' || !text.includes(n)) continue;
    text = text.split(`'${n}'`).join("'<vm>'").split(`"${n}"`).join('"<vm>"').split(`{${n}}`).join('{<vm>}');
  }
  return text;
}

const STDERR_KEPT = 64 * 1024;

// The value after an option in an argv (`--snapshot base` -> `base`), or null.
function argOf(argv: readonly string[], option: string): string | null {
  const at = argv.indexOf(option);
  const v = at === -1 ? undefined : argv[at + 1];
  return typeof v === 'string' ? v : null;
}

/**
 * clonevm's own refusals (Main's texts): FindSnapshot's "Could not find a snapshot named '…'" and "This machine does
 * not have any snapshots" (both VBOX_E_OBJECT_NOT_FOUND, interface IMachine, where a missing base is IVirtualBox),
 * and CreateMachine's "Machine settings file '…' already exists" (VBOX_E_FILE_ERROR) for a name that is taken.
 */
function classifyClone(messages: readonly string[], stderr: string, raw: string, base: string, snapshot: string | null, name: string): BalloonError | null {
  if (messages.some((m) => m.startsWith('Could not find a snapshot named ') || m.startsWith('Could not find a snapshot with UUID ') || m === 'This machine does not have any snapshots')) {
    return snapshotNotFound(base, snapshot);
  }
  if (/interface IMachine\b/u.test(stderr) && /\(0x80bb0001\)/u.test(stderr) && /FindSnapshot\(/u.test(stderr)) return snapshotNotFound(base, snapshot);
  const exists = messages.find((m) => m.startsWith("Machine settings file '") && m.endsWith("' already exists"));
  if (exists !== undefined) {
    // The path from the original text (names blanked only for reading the phrase).
    const original = raw.split('\n').find((l) => l.includes("Machine settings file '") && l.trimEnd().endsWith("' already exists"));
    const path = original === undefined ? null : original.slice(original.indexOf("Machine settings file '") + "Machine settings file '".length, original.trimEnd().length - "' already exists".length);
    return vmExists(name, path, base);
  }
  return null;
}

const LOCK_ENDINGS = ["' is already locked for a session (or being unlocked)", "' already has a lock request pending", "' is already locked by a session (or being locked or unlocked)"];

/**
 * Turn a failed VBoxManage run into a {@link BalloonError}. The result code in the last `Details:` line decides where
 * there is one; otherwise the fixed parts of VirtualBox's messages, read at the start and end of each error line,
 * never text inside quotes (a VM name). Line numbers are never matched.
 */
export function classifyFailure(outcome: ProcessOutcome): BalloonError {
  // VirtualBox's error output is a few lines: the first 64 KiB are read and kept, whatever came (16 MB at most).
  const raw = typeof outcome.stderr === 'string' ? outcome.stderr.slice(0, STDERR_KEPT).replace(/\r\n?/gu, '\n') : '';
  const argv = Array.isArray(outcome.argv) ? outcome.argv : [];
  const vm = typeof outcome.vm === 'string' ? outcome.vm : null;
  const exitCode = typeof outcome.exitCode === 'number' ? outcome.exitCode : null;
  const stderrOut = typeof outcome.stderr === 'string' ? outcome.stderr.slice(0, STDERR_KEPT) : '';
  // clonevm names a snapshot and a new VM too: neither may read as a phrase either.
  const cloning = argv[0] === 'clonevm';
  const snapshot = cloning ? argOf(argv, '--snapshot') : null;
  const newName = cloning ? argOf(argv, '--name') : null;
  const stderr = withoutNames(raw, [vm, outcome.vmName, snapshot, newName]);
  const code = extractVBoxCode(stderr);
  const hex = code?.hex ?? null;
  const messages = errorMessages(stderr);
  const text = firstErrorLine(raw.slice(0, 4096));
  const any = (test: (m: string) => boolean): string | undefined => messages.find(test);

  if (cloning) {
    const cloneError = classifyClone(messages, stderr, raw, vm ?? '', snapshot, newName ?? '');
    if (cloneError !== null) return cloneError;
  }
  const notFound = any((m) => m.startsWith('Could not find a registered machine named ') || m.startsWith('Could not find a registered machine with UUID ') || m.startsWith('Invalid machine name: '));
  if (hex === '0x80bb0001' || notFound !== undefined) {
    // The name as VirtualBox printed it, from the original text, for a call that named no VM.
    const named = /(?:named|name:) '(.*)'/u.exec(text)?.[1];
    return vmNotFound(vm ?? named ?? '', code?.name ?? null);
  }
  // VBoxSVC not running (stopped, crashed, VirtualBox being upgraded): no VM is locked, every call fails alike.
  if (any((m) => m.startsWith('Failed to create the VirtualBox object!')) !== undefined) {
    return vboxManageFailed(vm, argv, exitCode, stderrOut, code?.name ?? null, true, 'Failed to create the VirtualBox object!');
  }
  const lock = any((m) => (m.startsWith("The machine '") && LOCK_ENDINGS.some((e) => m.endsWith(e))) || m === 'The object is not ready' || m.startsWith('The object functionality is limited'));
  if (hex === '0x80bb0007' || hex === '0x80070005' || lock !== undefined) {
    return vmLocked(vm, code?.name ?? null, stderrOut, true);
  }
  const size = any((m) => m.startsWith('Invalid memory balloon size: '));
  if (size !== undefined) {
    const m = /^Invalid memory balloon size: (\d{1,10}) MB \(must be in range \[0, (\d{1,10})\] MB\)/u.exec(size);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      const limit = Number(m[2]);
      return invalidBalloonSize(Number(m[1]), `was refused by VirtualBox (it must be below ${limit})`, { maxMb: limit - 1, memoryMb: null }, vm);
    }
  }
  const unparsable = any((m) => m.startsWith("Error parsing guest memory balloon size '"));
  if (unparsable !== undefined) {
    const rest = unparsable.slice("Error parsing guest memory balloon size '".length);
    const end = rest.lastIndexOf("'");
    return invalidBalloonSize(end === -1 ? rest : rest.slice(0, end), 'could not be read by VBoxManage', { maxMb: null, memoryMb: null }, vm);
  }
  if (any((m) => m.startsWith('Page fusion is only supported on 64-bit hosts')) !== undefined) {
    return hostUnsupported('unknown', `VirtualBox says "${text}"`, vm, 'page fusion');
  }
  if (hex === '0x80004001' || any((m) => m.startsWith('Memory ballooning is only supported on 64-bit hosts')) !== undefined) {
    return hostUnsupported('unknown', text === '' ? 'VirtualBox does not support ballooning on this host' : `VirtualBox says "${text}"`, vm);
  }
  const op = operationOf(argv);
  // `… (state is Saved)` (6.x/7.x) and `Invalid machine state: PoweredOff (must be Running, Paused or Stuck)` (4.x/5.x).
  let state: string | undefined;
  for (const m of messages) {
    const at = m.lastIndexOf('(state is ');
    if (at !== -1 && m.endsWith(')')) state = m.slice(at + '(state is '.length, -1);
    else if (m.startsWith('Invalid machine state: ')) state = m.slice('Invalid machine state: '.length).split(' ')[0];
    if (state !== undefined) break;
  }
  if (state !== undefined && !/^[\w-]{1,40}$/u.test(state)) state = undefined;
  if (hex === '0x80bb0002' || state !== undefined) {
    return invalidVmState(vm ?? '', state === undefined ? 'unknown' : machineStateName(state), op.allowed, op.operation, op.fix);
  }
  const notRunning = any(
    (m) => (m.startsWith("Machine '") && (m.endsWith("' is not currently running") || m.endsWith("' is not currently running."))) || m === 'Guest not running' || m === 'Guest not running.',
  );
  if (notRunning !== undefined) {
    const named = /Machine '(.*)' is not/u.exec(text)?.[1];
    return invalidVmState(vm ?? named ?? '', 'not running', LIVE_BALLOON_STATES, op.operation, op.fix);
  }
  return vboxManageFailed(vm, argv, exitCode, stderrOut, code?.name ?? null, false);
}
