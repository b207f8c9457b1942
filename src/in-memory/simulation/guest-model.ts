// A realistic guest workload: what a guest uses as simulated time passes. Pure functions of time, seeded, so a
// simulation is reproducible and the same at any tick length.
import { seededNoise } from './random.js';

/** A slow wave of use, such as a day's traffic. */
export interface GuestWaveSpec {
  /** Half the swing, in MB: use moves between base − amplitude and base + amplitude. */
  readonly amplitudeMb: number;
  /** The period in ms (a day is 86 400 000). */
  readonly periodMs: number;
  /** Where in its period the wave starts, 0 to 1. Default 0. */
  readonly phase?: number;
}

/** Short bursts of use, such as a build or a batch job. */
export interface GuestBurstSpec {
  /** The largest burst, in MB; each burst is between half of this and all of it. */
  readonly sizeMb: number;
  /** How long a burst lasts, in ms. */
  readonly durationMs: number;
  /** One burst in every window of this many ms, at a random moment in it. Must be at least `durationMs`. */
  readonly everyMs: number;
}

/** A guest that takes back what its balloon takes. */
export interface GuestRefillSpec {
  /** The share of each inflation it takes back, 0 to 1 (1: all of it). */
  readonly fraction: number;
  /** How fast it takes it back, in MB per second. */
  readonly mbPerSec: number;
}

/** What a simulated guest does with its memory. Every part is optional except the base. */
export interface GuestModelSpec {
  /** Memory the guest uses with nothing going on, in MB. */
  readonly baseUsedMb: number;
  /**
   * Per-sample jitter of the reported use, ± this many MB (uniform). On Linux `Guest/RAM/Usage/Free` includes the
   * page cache and buffers, so it moves by tens of MB between two 10 s samples with ordinary file I/O. Default 16.
   */
  readonly jitterMb?: number;
  /** How often the reported use changes (the guest's statistics interval), in ms. Default 10 000. */
  readonly sampleMs?: number;
  /** A slow wave. */
  readonly wave?: GuestWaveSpec;
  /** Short bursts. */
  readonly bursts?: GuestBurstSpec;
  /** A leak: use grows by this many MB per hour of uptime, and starts again from 0 when the VM restarts. */
  readonly leakMbPerHour?: number;
  /** The seed of this guest's noise. Default 1. Give each guest of a fleet its own (see `seedFrom`). */
  readonly seed?: number;
  /**
   * Page cache the guest cannot reclaim, in MB: tmpfs and shared memory. A Linux guest reports all of its page cache
   * as free (`Free` = MemFree + Buffers + Cached), this part included, so a balloon that takes it pushes it to swap.
   * Applied with `InMemoryVBoxManageClient.setGuestModel`. Default 0 (a Windows guest reports available memory,
   * which it can reclaim: leave it 0).
   */
  readonly unreclaimableMb?: number;
  /**
   * A guest that takes back what its balloon takes (an application that sizes itself to the memory it sees, such as
   * a JVM heap or ZFS's ARC): after each inflation its use grows by `fraction` of it, at `mbPerSec`; a deflation
   * gives that back first. Applied with `InMemoryVBoxManageClient.setGuestModel`. Default: none.
   */
  readonly refill?: GuestRefillSpec;
}

/**
 * A guest's memory demand in MB at a moment: `timeMs` of simulated time since the simulation began and `uptimeMs`
 * since the VM last started. The demand may exceed what the balloon leaves the guest; the excess is swapped out.
 */
export type GuestWorkload = (timeMs: number, uptimeMs: number) => number;

/**
 * Build a workload from a spec: base + wave + bursts + leak + jitter, never below 0, in whole MB. The same spec
 * and seed always give the same demand at the same moment.
 *
 * ```ts
 * sim.setWorkload('web-1', guestWorkload({ baseUsedMb: 1200, wave: { amplitudeMb: 600, periodMs: 86_400_000 }, seed: seedFrom('web-1') }));
 * ```
 */
export function guestWorkload(spec: GuestModelSpec): GuestWorkload {
  const seed = spec.seed ?? 1;
  const jitter = spec.jitterMb ?? 16;
  const sampleMs = Math.max(1, spec.sampleMs ?? 10_000);
  const { wave, bursts, leakMbPerHour } = spec;
  return (timeMs, uptimeMs) => {
    let mb = spec.baseUsedMb;
    if (wave !== undefined && wave.periodMs > 0) mb += wave.amplitudeMb * Math.sin(2 * Math.PI * (timeMs / wave.periodMs + (wave.phase ?? 0)));
    if (bursts !== undefined) mb += burstAt(bursts, seed, timeMs);
    if (leakMbPerHour !== undefined) mb += (leakMbPerHour * Math.max(0, uptimeMs)) / 3_600_000;
    if (jitter > 0) mb += (2 * seededNoise(seed, Math.floor(timeMs / sampleMs), 1) - 1) * jitter;
    return Math.max(0, Math.round(mb));
  };
}

/** The burst in progress at `timeMs`, in MB (0 between bursts). */
function burstAt(b: GuestBurstSpec, seed: number, timeMs: number): number {
  const every = Math.max(b.everyMs, b.durationMs, 1);
  const window = Math.floor(timeMs / every);
  // The burst of this window, or one from the window before that is still running.
  for (const w of [window, window - 1]) {
    const start = w * every + seededNoise(seed, w, 2) * (every - b.durationMs);
    if (timeMs >= start && timeMs < start + b.durationMs) return b.sizeMb * (0.5 + 0.5 * seededNoise(seed, w, 3));
  }
  return 0;
}
