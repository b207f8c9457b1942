// One autopilot tick, as the `tick` event and `onTick` report it.
import type { BalloonError } from '../errors/index.js';
import type { BalloonPlan, BalloonSnapshot, PlanEntry } from '../domain/balloon-plan.js';

/** A VM the autopilot could not change in a tick, with why. */
export interface TickFailure {
  /** The VM, or `null` when the whole tick failed. */
  readonly vm: string | null;
  /** What went wrong. */
  readonly error: BalloonError;
}

/** What happened in one tick. */
export interface TickEvent {
  /** The tick's number, from 1. */
  readonly tick: number;
  /** When the tick started (ms since the epoch, or the virtual clock's time). */
  readonly time: number;
  /** What the planner saw; `null` when the tick failed before it could look. */
  readonly snapshot: BalloonSnapshot | null;
  /** What it decided; `null` when the tick failed before it could plan. */
  readonly plan: BalloonPlan | null;
  /**
   * The changes made (none under `dryRun`), a change whose answer could not be read included once reading the VM
   * back showed it was made (with a `warning` event).
   */
  readonly applied: readonly PlanEntry[];
  /**
   * Changes whose `controlvm` was cut short (the autopilot was stopped, or the call timed out) and so may or may not
   * have been applied; the next tick reads the balloons afresh. Each also has its error in `errors`.
   */
  readonly maybeApplied: readonly PlanEntry[];
  /** What failed. */
  readonly errors: readonly TickFailure[];
  /**
   * The guests that pushed back in this tick (their free memory fell under their reserve, or they took back most of
   * an inflation, within a few ticks of their balloon growing): each is deflated at once and cooled down. Absent: none.
   */
  readonly pushedBack?: readonly string[];
  /** The guests cooling down in this tick (not inflated, not donors for make room or reclaim). Absent: none. */
  readonly coolingDown?: readonly string[];
}
