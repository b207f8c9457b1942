import type { VmInfo } from '../domain/vm-info.js';
import { aborted, fixed, show } from '../errors/index.js';
import { sleep } from '../util/sleep.js';
import type { ControllerCore } from './controller-core.js';
import type { WaitOutcome } from '../events/index.js';
import type { WaitOptions } from './types.js';

/**
 * Poll the achieved balloon of a VM whose balloon was just set, until it is within tolerance, the time runs out, the
 * signal aborts or a read fails. Never an error: the change was made, and the outcome says how far the guest got. @internal
 */
export async function waitForBalloon(core: ControllerCore, vm: VmInfo, toMb: number, w: WaitOptions, signal: AbortSignal | undefined): Promise<WaitOutcome> {
  const timeoutMs = w.timeoutMs ?? 30_000;
  const tolerance = w.toleranceMb ?? 16;
  const pollMs = w.pollMs ?? 1000;
  const started = performance.now();
  let actualMb: number | null = null;
  const elapsed = (): number => Math.round(performance.now() - started);
  for (;;) {
    const mem = await core.guestMemory([vm], signal === undefined ? {} : { signal });
    if (mem.isErr()) {
      const ended = mem.error.code === 'ABORTED' ? 'aborted' : 'failed';
      return { reached: false, actualMb, elapsedMs: elapsed(), ended, error: mem.error };
    }
    actualMb = mem.value.get(vm.uuid)?.balloonMb ?? null;
    const elapsedMs = elapsed();
    try {
      w.onProgress?.({ actualMb, elapsedMs });
    } catch {
      // A progress listener's own bug never ends the wait.
    }
    if (actualMb !== null && Math.abs(actualMb - toMb) <= tolerance) return { reached: true, actualMb, elapsedMs, ended: 'reached', error: null };
    if (elapsedMs >= timeoutMs) return { reached: false, actualMb, elapsedMs, ended: 'timeout', error: null };
    // The last read is at the deadline, not one poll before it.
    if (!(await sleep(Math.min(pollMs, timeoutMs - elapsedMs), signal))) {
      const e = aborted(vm.name, [], 'not-applied');
      const stopped = fixed('was aborted by {0}', { kind: 'abort-signal' });
      const message = `The wait for VM ${show(vm.name)} to reach ${toMb} MB ${stopped.words}. The balloon was set; only the wait stopped (the guest had reached ${actualMb ?? 'no reported size'}).`;
      return { reached: false, actualMb, elapsedMs: elapsed(), ended: 'aborted', error: Object.freeze({ ...e, message, fix: stopped.fix }) };
    }
  }
}
