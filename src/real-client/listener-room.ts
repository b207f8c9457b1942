// The calls of one autopilot tick (or one inspectAll) share the caller's signal, dozens at once with many VMs, and
// each listens on it while it waits for its turn and while its process runs (a few listeners), removing them when
// done. That is no leak, so Node's warning past 10 listeners (which would land in a service's log) is raised as far
// as the calls in flight on that signal need.
import { getMaxListeners, setMaxListeners } from 'node:events';

/** Listeners one call may hold on its caller's signal at once (the VM's queue, the process limiter, the process, a retry's sleep). */
const PER_CALL = 4;
/** Node's default, left to the caller's own listeners. */
const OWN = 10;

const inFlight = new WeakMap<AbortSignal, number>();

/** A call starts listening on `signal`: make room for it; call the result when the call has ended. @internal */
export function roomForCall(signal: AbortSignal | undefined): () => void {
  if (signal === undefined) return () => undefined;
  const calls = (inFlight.get(signal) ?? 0) + 1;
  inFlight.set(signal, calls);
  const need = OWN + calls * PER_CALL;
  if (need > getMaxListeners(signal)) setMaxListeners(need, signal);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight.set(signal, (inFlight.get(signal) ?? 1) - 1);
  };
}
