// What both clients share about `clonevm` and `unregistervm`: what each prints when it worked, and the refusal to
// unregister a VM that runs.
import { err, ok, type Result } from 'neverthrow';
import { invalidVmState, shellWord, vboxManageFailed, type BalloonError } from '../errors/index.js';
import type { VmState } from '../domain/vm-state.js';

/** The states in which a VM can be unregistered: no session holds its lock. @internal */
export const UNREGISTER_STATES: readonly VmState[] = ['poweroff', 'saved', 'aborted-saved', 'aborted', 'teleported'];

// VBoxManage's progress bar (showProgress): `0%...10%...…100%`, alone on a line.
const PROGRESS = /^(?:\d{1,3}%\.\.\.)*\d{1,3}%$/u;
const CLONED = 'Machine has been successfully cloned as "';

/**
 * `clonevm` worked when it printed `Machine has been successfully cloned as "<name>"` (VBoxManageMisc.cpp, after the
 * clone progress completed and the clone was registered). Exit 0 without it cannot be trusted: the clone may or may
 * not exist. @internal
 */
export function clonedOutput(stdout: string, args: readonly string[], base: string, name: string): Result<void, BalloonError> {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines.at(-1) ?? '';
  if (last.startsWith(CLONED) && last.endsWith('"') && lines.slice(0, -1).every((l) => PROGRESS.test(l))) return ok(undefined);
  const excerpt = JSON.stringify(stdout.slice(0, 80));
  return err(
    vboxManageFailed(base, args, 0, '', null, false, `it exited 0 but printed ${excerpt}, not the "has been successfully cloned" line VBoxManage prints when the clone ${JSON.stringify(name)} is made`, 'unknown'),
  );
}

/** `unregistervm` prints nothing on stdout but its progress bar (with `--delete`); anything else cannot be trusted. @internal */
export function unregisteredOutput(stdout: string, args: readonly string[], vm: string): Result<void, BalloonError> {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.every((l) => PROGRESS.test(l))) return ok(undefined);
  const excerpt = JSON.stringify(stdout.slice(0, 80));
  return err(vboxManageFailed(vm, args, 0, '', null, false, `it exited 0 but printed ${excerpt}, which VBoxManage does not print on success`, 'unknown'));
}

/** An unregister of a VM that runs (VirtualBox: "Cannot unregister the machine '…' while it is locked"): no retry helps. @internal */
export function stillRunning(vm: string, state: string): BalloonError {
  return invalidVmState(
    vm,
    state,
    UNREGISTER_STATES,
    'unregister',
    `While it runs, its own session holds its lock: power it off first (VBoxManage controlvm ${shellWord(vm)} poweroff). Nothing was removed.`,
  );
}
