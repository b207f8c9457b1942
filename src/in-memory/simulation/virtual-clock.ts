// Virtual time for a simulated host: the autopilot's waits move the simulation forward instead of sleeping, and
// VMs start and stop on schedule.

/** A VM that starts or stops at a moment of simulated time. */
export interface FleetEvent {
  /** When, in ms of simulated time. */
  readonly atMs: number;
  /** The VM's name or UUID. */
  readonly vm: string;
  /** What happens: it starts, or it is powered off. */
  readonly action: 'start' | 'poweroff';
}

/** What {@link virtualClock} drives: `InMemoryVBoxManageClient` is one. */
export interface SimulatedHostControls {
  /** Simulated time in ms. */
  readonly time: number;
  /** Let simulated time pass. */
  advanceTime(ms: number): unknown;
  /** Power a VM on (a test control). */
  powerOnVm(vm: string): unknown;
  /** Power a VM off. */
  powerOffVm(vm: string): unknown;
}

/** A clock for `autopilot({ clock })`: `now()` and an abortable `sleep()` that never waits in real time. */
export interface VirtualClock {
  /** Simulated time in ms. */
  now(): number;
  /** Move simulated time by `ms` (applying due events on the way); `false` if the signal has aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/**
 * A virtual clock over a simulated host. Each `sleep(ms)` advances the host's time, stopping at each scheduled
 * start or power-off on the way so that it happens at its moment. Pass it as the autopilot's `clock`.
 */
export function virtualClock(sim: SimulatedHostControls, events: readonly FleetEvent[] = []): VirtualClock {
  const due = [...events].sort((a, b) => a.atMs - b.atMs);
  let next = 0;
  const fire = (): void => {
    for (let e = due[next]; e !== undefined && e.atMs <= sim.time; e = due[++next]) {
      if (e.action === 'start') sim.powerOnVm(e.vm);
      else sim.powerOffVm(e.vm);
    }
  };
  fire();
  return {
    now: () => sim.time,
    sleep: (ms, signal) => {
      if (signal?.aborted === true) return Promise.resolve(false);
      const end = sim.time + Math.max(0, ms);
      for (let e = due[next]; e !== undefined && e.atMs < end; e = due[next]) {
        sim.advanceTime(Math.max(0, e.atMs - sim.time));
        fire();
      }
      sim.advanceTime(end - sim.time);
      fire();
      return Promise.resolve(true);
    },
  };
}
