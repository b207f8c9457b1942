import { err, ok, type Result } from 'neverthrow';
import { reclaimShortfall, type ReclaimShortfallError } from '../errors.js';
import { maxBalloonMb } from '../domain/balloon-size.js';
import type { ReclaimPlanEntry } from './types.js';

/** A VM that may give memory: running, Guest Additions up, large pages off, its guest reporting. @internal */
export interface ReclaimCandidate {
  readonly vm: string;
  readonly memoryMb: number;
  /** The achieved balloon, in MB. */
  readonly balloonMb: number;
  readonly guestFreeMb: number;
}

/**
 * Plan a reclaim of `megabytes`: take from the guests with the most free memory first, never leaving one below
 * `keepGuestFreeMb` free and never past `maxBalloonMb`. Pure; ties are broken by name so the plan is deterministic. @internal
 */
export function planReclaim(candidates: readonly ReclaimCandidate[], megabytes: number, keepGuestFreeMb: number): Result<ReclaimPlanEntry[], ReclaimShortfallError> {
  const order = [...candidates].sort((a, b) => b.guestFreeMb - a.guestFreeMb || (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0));
  const room = (c: ReclaimCandidate): number => Math.max(0, Math.min(c.guestFreeMb - keepGuestFreeMb, maxBalloonMb(c.memoryMb) - c.balloonMb));
  const reclaimable = order.reduce((sum, c) => sum + room(c), 0);
  if (reclaimable < megabytes) return err(reclaimShortfall(megabytes, reclaimable, keepGuestFreeMb));
  const plan: ReclaimPlanEntry[] = [];
  let left = megabytes;
  for (const c of order) {
    if (left === 0) break;
    const take = Math.min(room(c), left);
    if (take === 0) continue;
    plan.push({ vm: c.vm, guestFreeMb: c.guestFreeMb, fromMb: c.balloonMb, toMb: c.balloonMb + take, takeMb: take });
    left -= take;
  }
  return ok(plan);
}
