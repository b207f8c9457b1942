import {
  firstErrorLine,
  hostUnsupported,
  invalidBalloonSize,
  invalidVmState,
  vboxManageFailed,
  vmLocked,
  vmNotFound,
  type BalloonError,
} from '../errors.js';
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
}

const ERROR_LINE = /^VBoxManage(?:\.exe)?: error:/mu;

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

/** A VirtualBox result code found in stderr. */
export interface VBoxResultCode {
  /** Canonical name, e.g. `E_INVALIDARG` even where XPCOM printed `NS_ERROR_INVALID_ARG`. */
  readonly name: string;
  /** The value in lowercase hex, e.g. `0x80070057`. */
  readonly hex: string;
}

/** The VirtualBox result code in stderr (`Details: code X (0x…)` or `Code X (0x…)`), canonically named. */
export function extractVBoxCode(stderr: string): VBoxResultCode | null {
  const m = /(?:Details: code|error: Code) (\w+) \((0x[0-9a-fA-F]+)\)/u.exec(stderr);
  if (m?.[1] === undefined || m[2] === undefined) return null;
  const hex = m[2].toLowerCase();
  return { name: CODE_NAMES[hex] ?? m[1], hex };
}

// VirtualBox's CamelCase state names (Global::stringifyMachineState) to showvminfo's names.
function machineStateName(camel: string): string {
  const s = camel.toLowerCase();
  return s === 'poweredoff' ? 'poweroff' : s;
}

function operationOf(argv: readonly string[]): { operation: string; allowed: readonly string[]; fix: string } {
  if (argv[0] === 'controlvm') {
    return { operation: 'live balloon change', allowed: LIVE_BALLOON_STATES, fix: 'Start the VM first, or set the default balloon while it is off.' };
  }
  return { operation: 'settings change', allowed: MUTABLE_STATES, fix: 'Power the VM off first; a saved VM must be started and shut down.' };
}

/**
 * Turn a failed VBoxManage run into a {@link BalloonError}. The result code in the `Details:` line decides where
 * there is one; the message text decides otherwise. Line numbers are never matched.
 */
export function classifyFailure(outcome: ProcessOutcome): BalloonError {
  const stderr = outcome.stderr.replace(/\r\n?/gu, '\n');
  const argv = outcome.argv ?? [];
  const vm = outcome.vm ?? null;
  const code = extractVBoxCode(stderr);
  const hex = code?.hex ?? null;
  const text = firstErrorLine(stderr);
  const has = (re: RegExp): boolean => re.test(stderr);

  if (hex === '0x80bb0001' || has(/Could not find a registered machine/u) || has(/error: Invalid machine name: /u)) {
    const named = /(?:named|name:) '(.*)'/u.exec(text)?.[1];
    return vmNotFound(vm ?? named ?? '', code?.name ?? null);
  }
  if (hex === '0x80bb0007' || hex === '0x80070005' || has(/already locked|lock request pending|The object is not ready|object functionality is limited/u)) {
    return vmLocked(vm, code?.name ?? null, stderr, true);
  }
  const size = /Invalid memory balloon size: (\d+) MB \(must be in range \[0, (\d+)\] MB\)/u.exec(stderr);
  if (size?.[1] !== undefined && size[2] !== undefined) {
    const limit = Number(size[2]);
    return invalidBalloonSize(Number(size[1]), `was refused by VirtualBox (it must be below ${limit})`, { maxMb: limit - 1, memoryMb: null }, vm);
  }
  const unparsable = /Error parsing guest memory balloon size '(.*?)'/u.exec(stderr);
  if (unparsable?.[1] !== undefined) {
    return invalidBalloonSize(unparsable[1], 'could not be read by VBoxManage', { maxMb: null, memoryMb: null }, vm);
  }
  if (hex === '0x80004001' || has(/only supported on 64-bit hosts/u)) {
    return hostUnsupported('unknown', text === '' ? 'VirtualBox does not support ballooning on this host' : `VirtualBox says "${text}"`, vm);
  }
  const op = operationOf(argv);
  const stateIs = /\(state is ([\w-]+)\)/u.exec(stderr)?.[1];
  if (hex === '0x80bb0002' || stateIs !== undefined) {
    return invalidVmState(vm ?? '', stateIs === undefined ? 'unknown' : machineStateName(stateIs), op.allowed, op.operation, op.fix);
  }
  if (has(/is not currently running|error: Guest not running/u)) {
    return invalidVmState(vm ?? /Machine '(.*)' is not/u.exec(text)?.[1] ?? '', 'not running', LIVE_BALLOON_STATES, 'live balloon change', 'Start the VM first, or set the default balloon while it is off.');
  }
  return vboxManageFailed(vm, argv, outcome.exitCode, outcome.stderr, code?.name ?? null, false);
}
