// Donor choice for reclaim and make room: which guests give memory, and how much each. Pure.
import { err, ok, type Result } from 'neverthrow';
import { reclaimShortfall, type LeftOutVm, type ReclaimShortfallError } from '../errors/index.js';
import type { GuestReserve } from './ledger.js';
import type { LedgerVm, ReclaimPlanEntry } from './types.js';

/** The guests that give, most free first, and the ones that can give nothing, with why. */
export interface DonorPlan {
  /** The balloons to inflate, in order. */
  readonly entries: ReclaimPlanEntry[];
  /** The VMs that give nothing, with why. */
  readonly leftOut: LeftOutVm[];
}

/**
 * Take `megabytes` from the guests of the ledger with the most free memory first, each giving at most what the
 * ledger says it could give (it keeps its reserve, the least free memory over the window counts, a guest cooling down
 * gives nothing, and its balloon stays within VirtualBox's limit and its own).
 * Ties are broken by UUID, so the plan is deterministic. The VMs that can give nothing are `leftOut`, with the
 * ledger's reason: first those that cannot balloon at all, then those with no room left, in the order they were
 * considered. `RECLAIM_SHORTFALL` when together they cannot give `megabytes`.
 */
export function chooseDonors(vms: readonly LedgerVm[], megabytes: number, reserve: GuestReserve): Result<DonorPlan, ReclaimShortfallError> {
  // Most free first, as the least free memory over the window counts it.
  const order = [...vms].sort((a, b) => (b.guestFreeMinMb ?? 0) - (a.guestFreeMinMb ?? 0) || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  const leftOut: LeftOutVm[] = [
    ...vms.filter((v) => !v.canBalloon).map((v) => ({ vm: v.vm, reason: v.giveWhy })),
    ...order.filter((v) => v.canBalloon && v.couldGiveMb === 0).map((v) => ({ vm: v.vm, reason: v.giveWhy })),
  ];
  const reclaimable = order.reduce((sum, v) => sum + v.couldGiveMb, 0);
  if (reclaimable < megabytes) return err(reclaimShortfall(megabytes, reclaimable, reserve.mb, leftOut, reserve.percent));
  const entries: ReclaimPlanEntry[] = [];
  let left = megabytes;
  for (const v of order) {
    if (left <= 0) break;
    const take = Math.min(v.couldGiveMb, left);
    if (take <= 0) continue;
    const fromMb = v.achievedMb ?? 0;
    entries.push({ vm: v.vm, uuid: v.uuid, guestFreeMb: v.guestFreeMb ?? 0, fromMb, toMb: fromMb + take, takeMb: take });
    left -= take;
  }
  return ok({ entries, leftOut });
}
