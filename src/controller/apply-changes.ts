// The one way the controller makes a change across several VMs: in order, and on a failure every change that was,
// or may have been, made is put back, and the error lists per VM what was done and undone.
import { err, ok, type Result } from 'neverthrow';
import { applyFailed, outcomeOf, type ApplyFailedError, type BalloonError, type ChangeRecord } from '../errors/index.js';
import type { VmInfo } from '../domain/vm-info.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions } from '../port/client.js';
import type { ControllerCore } from './controller-core.js';
import type { BalloonChange } from '../events/index.js';

/** One live balloon change of a resolved VM. @internal */
export interface LiveStep {
  readonly vm: VmInfo;
  /** The live balloon to put back on a rollback, in MB. */
  readonly fromMb: number;
  readonly toMb: number;
}

/**
 * Apply `steps` one after another. Ok with every change when all were made. Otherwise every change that was made,
 * and the one whose outcome is unknown, is put back (without the caller's signal: a half-applied change must not be
 * left behind), and `APPLY_FAILED` says per VM what happened. @internal
 */
export async function applyLiveSteps(core: ControllerCore, steps: readonly LiveStep[], options: CallOptions): Promise<Result<BalloonChange[], ApplyFailedError>> {
  const done: { step: LiveStep; outcome: 'applied' | 'unknown' }[] = [];
  const applied: BalloonChange[] = [];
  for (const step of steps) {
    const set = await core.setLive(step, options);
    if (set.isErr()) {
      if (outcomeOf(set.error) === 'unknown') done.push({ step, outcome: 'unknown' });
      return err(await rollBack(core, set.error, done, options));
    }
    done.push({ step, outcome: 'applied' });
    applied.push(set.value);
  }
  return ok(applied);
}

/** Put back every change that was, or may have been, made, newest first; the error lists what was done and undone. @internal */
export async function rollBack(core: ControllerCore, cause: BalloonError, done: readonly { step: LiveStep; outcome: 'applied' | 'unknown' }[], options: CallOptions): Promise<ApplyFailedError> {
  const records: ChangeRecord[] = [];
  const rollbackOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  for (const { step, outcome } of [...done].reverse()) {
    // Putting a change back is a change too: it goes through the same gateway and is reported the same way.
    const back = await core.setLive({ vm: step.vm, fromMb: step.toMb, toMb: step.fromMb }, rollbackOptions);
    records.unshift({
      vm: step.vm.name,
      uuid: step.vm.uuid,
      argv: commands.setLiveBalloon(step.vm.uuid, step.toMb),
      fromMb: step.fromMb,
      toMb: step.toMb,
      outcome,
      rollback: back.isOk() ? 'restored' : 'failed',
      rollbackError: back.isOk() ? null : back.error,
    });
  }
  const e = applyFailed(cause, records);
  core.emit({ type: 'warning', vm: cause.vm, message: e.message });
  return e;
}
