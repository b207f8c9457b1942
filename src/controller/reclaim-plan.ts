import { err, ok, type Result } from 'neverthrow';
import { reclaimShortfall, type LeftOutVm, type ReclaimShortfallError } from '../errors/index.js';
import { maxBalloonMb } from '../domain/balloon-size.js';
import type { ReclaimPlanEntry } from './types.js';

/** A VM that may give memory: running, Guest Additions up, large pages off, its guest reporting. @internal */
export interface ReclaimCandidate {
  /** The VM's name. */
  readonly vm: string;
  readonly uuid: string;
  readonly memoryMb: number;
  /** The achieved balloon, in MB. */
  readonly balloonMb: number;
  readonly guestFreeMb: number;
}

/** A reclaim plan: the VMs that give, most free first, and the ones that can give nothing, with why. @internal */
export interface ReclaimPlan {
  readonly entries: ReclaimPlanEntry[];
  readonly leftOut: LeftOutVm[];
}

/**
 * Plan a reclaim of `megabytes`: take from the guests with the most free memory first, never leaving one below
 * `keepGuestFreeMb` free and never past `maxBalloonMb`. Pure; ties are broken by UUID so the plan is deterministic.
 * `leftOut` are the VMs already found unable to give (off, no Guest Additions…); those with no room join them. @internal
 */
export function planReclaim(
  candidates: readonly ReclaimCandidate[],
  megabytes: number,
  keepGuestFreeMb: number,
  leftOut: readonly LeftOutVm[] = [],
): Result<ReclaimPlan, ReclaimShortfallError> {
  const order = [...candidates].sort((a, b) => b.guestFreeMb - a.guestFreeMb || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const room = (c: ReclaimCandidate): number => Math.max(0, Math.min(c.guestFreeMb - keepGuestFreeMb, maxBalloonMb(c.memoryMb) - c.balloonMb));
  const out = [...leftOut];
  for (const c of order) {
    if (room(c) > 0) continue;
    out.push({
      vm: c.vm,
      reason: c.balloonMb >= maxBalloonMb(c.memoryMb) ? `its balloon (${c.balloonMb} MB) is at the most VirtualBox allows` : `it has ${c.guestFreeMb} MB free and keeps ${keepGuestFreeMb} MB`,
    });
  }
  const reclaimable = order.reduce((sum, c) => sum + room(c), 0);
  if (reclaimable < megabytes) return err(reclaimShortfall(megabytes, reclaimable, keepGuestFreeMb, out));
  const entries: ReclaimPlanEntry[] = [];
  let left = megabytes;
  for (const c of order) {
    if (left === 0) break;
    const take = Math.min(room(c), left);
    if (take === 0) continue;
    entries.push({ vm: c.vm, uuid: c.uuid, guestFreeMb: c.guestFreeMb, fromMb: c.balloonMb, toMb: c.balloonMb + take, takeMb: take });
    left -= take;
  }
  return ok({ entries, leftOut: out });
}
