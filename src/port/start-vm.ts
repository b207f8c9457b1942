// What both clients share about `startvm`: its options, what it prints when it worked, and the refusal of a VM
// that already runs.
import { err, ok, type Result } from 'neverthrow';
import { invalidVmState, shellWord, vboxManageFailed, type BalloonError } from '../errors/index.js';
import { STARTABLE_STATES } from '../domain/vm-state.js';
import { checkClientCallOptions } from '../validate/call-options.js';
import { oneOf, optional } from '../validate/schema.js';
import { START_VM_TYPES, type StartVmOptions, type StartVmType } from './client.js';

const type = optional(oneOf(START_VM_TYPES));

/** A client's `startVm` options: the call options, and `type` one of `headless`, `gui`, `sdl`, `separate`. @internal */
export function checkStartVmOptions(options: unknown, vm: string): Result<StartVmOptions & { readonly type: StartVmType }, BalloonError> {
  const call = checkClientCallOptions(options);
  if (call.isErr()) return err(call.error);
  const t = type(typeof options === 'object' && options !== null ? (options as Record<string, unknown>)['type'] : undefined, 'options.type', vm);
  if (t.isErr()) return err(t.error);
  return ok({ ...call.value, type: t.value ?? 'headless' });
}

/**
 * `startvm` worked when it printed `VM "<vm>" has been successfully started.` (VBoxManageMisc.cpp, after the
 * launch progress completed). Exit 0 without that line cannot be trusted: the VM may or may not be starting. @internal
 */
export function startedOutput(stdout: string, args: readonly string[], vm: string): Result<void, BalloonError> {
  if (stdout.trimEnd().endsWith('" has been successfully started.')) return ok(undefined);
  const excerpt = JSON.stringify(stdout.slice(0, 80));
  return err(vboxManageFailed(vm, args, 0, '', null, false, `it exited 0 but printed ${excerpt}, not the "has been successfully started" line VBoxManage prints when a VM starts`, 'unknown'));
}

/** A start of a VM that already runs (VirtualBox answers "already locked by a session"): nothing to retry. @internal */
export function alreadyRunning(vm: string, state: string): BalloonError {
  return invalidVmState(
    vm,
    state,
    STARTABLE_STATES,
    'start',
    `It already runs (its own session holds the lock); nothing was started. To restart it, stop it first (VBoxManage controlvm ${shellWord(vm)} acpipowerbutton).`,
  );
}
