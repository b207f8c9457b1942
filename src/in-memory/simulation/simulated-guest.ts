// The memory side of one simulated VM: demand, the requested and the achieved balloon, and how the balloon moves.
import type { GuestWorkload } from './guest-model.js';

/** What a simulated guest's memory looks like now, in MB. */
export interface SimulatedGuestState {
  /** Whether the VM runs (running or paused). */
  readonly running: boolean;
  /** The VM's RAM. */
  readonly memoryMb: number;
  /** What the guest wants to use (what it reports as used: its page cache not included). */
  readonly demandMb: number;
  /** The balloon the guest has achieved. */
  readonly balloonMb: number;
  /** The balloon last asked for (the live value). */
  readonly requestedMb: number;
  /** Free memory as the guest reports it: RAM − balloon − what it uses (its unreclaimable cache included). */
  readonly freeMb: number;
  /** Page cache the guest reports as free but cannot reclaim (tmpfs, shared memory), in MB. */
  readonly unreclaimableMb: number;
  /** Demand (with the unreclaimable cache) that does not fit beside the balloon and is swapped out. */
  readonly swappedMb: number;
  /** The least reported free memory over the last 10 one-second samples (what `Guest/RAM/Usage/Free:min` shows). */
  readonly freeMinMb: number;
  /** Seconds so far in which the guest was short: less than 64 MB truly free, or memory swapped out. */
  readonly pressureSeconds: number;
  /** Swapped MB summed over every second so far. */
  readonly swappedMbSeconds: number;
}

/** How a simulated guest treats its memory beyond its workload (see `GuestModelSpec`). @internal */
export interface GuestBehaviour {
  readonly unreclaimableMb: number;
  readonly refillFraction: number;
  readonly refillMbPerSec: number;
}

/** Samples kept for the window's least free memory: one a second, as `metrics setup --period 1 --samples 10`. */
const WINDOW = 10;

/**
 * One guest's memory. A balloon deflates whenever asked; it inflates only while the Guest Additions run, and only
 * into memory the guest reports free (the guest never deflates it on its own; unreclaimable cache it takes is
 * swapped out). Both move at most `stepMb` per step. A guest that refills takes back part of every inflation.
 * @internal
 */
export class SimulatedGuest {
  readonly memoryMb: number;
  demandMb: number;
  requestedMb = 0;
  balloonMb = 0;
  startedAtMs = 0;
  workload: GuestWorkload | null = null;
  behaviour: GuestBehaviour = { unreclaimableMb: 0, refillFraction: 0, refillMbPerSec: 0 };
  #window: number[] = [];
  #owedMb = 0; // what a refilling guest is still to take back
  #takenMb = 0; // what it has taken back
  #pressureSeconds = 0;
  #swappedMbSeconds = 0;

  constructor(memoryMb: number, demandMb: number) {
    this.memoryMb = memoryMb;
    this.demandMb = demandMb;
  }

  /** Memory the guest reports used: its demand (with what it took back), at most its RAM. */
  get usedMb(): number {
    return Math.min(this.memoryMb, this.demandMb + Math.floor(this.#takenMb));
  }

  get freeMb(): number {
    return Math.max(0, this.memoryMb - this.usedMb - this.balloonMb);
  }

  get swappedMb(): number {
    return Math.max(0, this.demandMb + Math.floor(this.#takenMb) + this.behaviour.unreclaimableMb - (this.memoryMb - this.balloonMb));
  }

  get freeMinMb(): number {
    return this.#window.reduce((a, b) => Math.min(a, b), this.freeMb);
  }

  start(nowMs: number, requestedMb: number): void {
    this.startedAtMs = nowMs;
    this.requestedMb = requestedMb;
    this.balloonMb = 0;
    this.#window = [];
    this.#owedMb = 0;
    this.#takenMb = 0;
    this.follow(nowMs);
  }

  stop(): void {
    this.requestedMb = 0;
    this.balloonMb = 0;
    this.#window = [];
  }

  /** Take the workload's demand at `nowMs`. */
  follow(nowMs: number): void {
    if (this.workload !== null) this.setDemand(this.workload(nowMs, nowMs - this.startedAtMs));
  }

  setDemand(mb: number): void {
    this.demandMb = Number.isFinite(mb) ? Math.max(0, Math.floor(mb)) : 0;
  }

  /** One second passes: a refilling guest takes back some of what it is owed; the metrics take a sample. */
  second(running: boolean): void {
    const take = Math.min(this.#owedMb, this.behaviour.refillMbPerSec);
    this.#owedMb -= take;
    this.#takenMb += take;
    if (!running) return;
    this.#window.push(this.freeMb);
    if (this.#window.length > WINDOW) this.#window.shift();
    if (this.freeMb - this.behaviour.unreclaimableMb < 64 || this.swappedMb > 0) this.#pressureSeconds++;
    this.#swappedMbSeconds += this.swappedMb;
  }

  /** Move the achieved balloon toward the request by at most `stepMb`; inflating needs `canInflate`. */
  settle(stepMb: number, canInflate: boolean): void {
    const before = this.balloonMb;
    const target = this.requestedMb;
    if (target < this.balloonMb) {
      this.balloonMb = Math.max(target, this.balloonMb - stepMb);
    } else if (canInflate) {
      const room = Math.max(this.balloonMb, this.memoryMb - this.usedMb);
      this.balloonMb = Math.min(target, room, this.balloonMb + stepMb);
    }
    const moved = this.balloonMb - before;
    const f = this.behaviour.refillFraction;
    if (f <= 0 || moved === 0) return;
    if (moved > 0) {
      this.#owedMb += f * moved;
      return;
    }
    // Given memory back, it first stops taking back, then lets go of what it took.
    let back = -f * moved;
    const fromOwed = Math.min(this.#owedMb, back);
    this.#owedMb -= fromOwed;
    back -= fromOwed;
    this.#takenMb = Math.max(0, this.#takenMb - back);
  }

  state(running: boolean): SimulatedGuestState {
    return {
      running,
      memoryMb: this.memoryMb,
      demandMb: this.demandMb,
      balloonMb: this.balloonMb,
      requestedMb: this.requestedMb,
      freeMb: this.freeMb,
      unreclaimableMb: this.behaviour.unreclaimableMb,
      swappedMb: this.swappedMb,
      freeMinMb: this.freeMinMb,
      pressureSeconds: this.#pressureSeconds,
      swappedMbSeconds: this.#swappedMbSeconds,
    };
  }
}
