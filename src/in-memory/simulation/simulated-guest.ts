// The memory side of one simulated VM: demand, the requested and the achieved balloon, and how the balloon moves.
import type { GuestWorkload } from './guest-model.js';

/** What a simulated guest's memory looks like now, in MB. */
export interface SimulatedGuestState {
  /** Whether the VM runs (running or paused). */
  readonly running: boolean;
  /** The VM's RAM. */
  readonly memoryMb: number;
  /** What the guest wants to use. */
  readonly demandMb: number;
  /** The balloon the guest has achieved. */
  readonly balloonMb: number;
  /** The balloon last asked for (the live value). */
  readonly requestedMb: number;
  /** Free memory in the guest: RAM − balloon − what it uses. */
  readonly freeMb: number;
  /** Demand that does not fit beside the balloon and is swapped out. */
  readonly swappedMb: number;
}

/**
 * One guest's memory. A balloon deflates whenever asked; it inflates only while the Guest Additions run, and only
 * into memory the guest has free (the guest never deflates it on its own). Both move at most `stepMb` per step.
 * @internal
 */
export class SimulatedGuest {
  readonly memoryMb: number;
  demandMb: number;
  requestedMb = 0;
  balloonMb = 0;
  startedAtMs = 0;
  workload: GuestWorkload | null = null;

  constructor(memoryMb: number, demandMb: number) {
    this.memoryMb = memoryMb;
    this.demandMb = demandMb;
  }

  /** Memory the guest uses: its demand, at most its RAM. */
  get usedMb(): number {
    return Math.min(this.memoryMb, this.demandMb);
  }

  get freeMb(): number {
    return Math.max(0, this.memoryMb - this.usedMb - this.balloonMb);
  }

  get swappedMb(): number {
    return Math.max(0, this.demandMb - (this.memoryMb - this.balloonMb));
  }

  start(nowMs: number, requestedMb: number): void {
    this.startedAtMs = nowMs;
    this.requestedMb = requestedMb;
    this.balloonMb = 0;
    this.follow(nowMs);
  }

  stop(): void {
    this.requestedMb = 0;
    this.balloonMb = 0;
  }

  /** Take the workload's demand at `nowMs`. */
  follow(nowMs: number): void {
    if (this.workload !== null) this.setDemand(this.workload(nowMs, nowMs - this.startedAtMs));
  }

  setDemand(mb: number): void {
    this.demandMb = Number.isFinite(mb) ? Math.max(0, Math.floor(mb)) : 0;
  }

  /** Move the achieved balloon toward the request by at most `stepMb`; inflating needs `canInflate`. */
  settle(stepMb: number, canInflate: boolean): void {
    const target = this.requestedMb;
    if (target < this.balloonMb) {
      this.balloonMb = Math.max(target, this.balloonMb - stepMb);
      return;
    }
    if (!canInflate) return;
    const room = Math.max(this.balloonMb, this.memoryMb - this.usedMb);
    this.balloonMb = Math.min(target, room, this.balloonMb + stepMb);
  }

  state(running: boolean): SimulatedGuestState {
    return { running, memoryMb: this.memoryMb, demandMb: this.demandMb, balloonMb: this.balloonMb, requestedMb: this.requestedMb, freeMb: this.freeMb, swappedMb: this.swappedMb };
  }
}
