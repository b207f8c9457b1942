import { maxBalloonMb } from '../domain/balloon-size.js';
import { DEFAULT_KEEP_GUEST_FREE_PERCENT, type LedgerVm } from '../host-memory/index.js';
import { cannotMove } from './snapshot-ledger.js';
import type { PlanEntry, SnapshotHost, SnapshotVm } from '../domain/balloon-plan.js';
import type { BalloonCtrlPolicy } from './types.js';

/** VBoxBalloonCtrl's options with their defaults filled in. @internal */
export type BalloonCtrlSettings = Required<Omit<BalloonCtrlPolicy, 'kind'>>;

/** @internal */
export function balloonCtrlSettings(p: BalloonCtrlPolicy): BalloonCtrlSettings {
  return {
    incrementMb: p.incrementMb ?? 256,
    decrementMb: p.decrementMb ?? 128,
    lowerLimitMb: p.lowerLimitMb ?? 128,
    maxBalloonMb: p.maxBalloonMb ?? 0,
    safetyMarginMb: p.safetyMarginMb ?? 1024,
    guestMinFreePercent: p.guestMinFreePercent ?? DEFAULT_KEEP_GUEST_FREE_PERCENT,
  };
}

/**
 * VBoxBalloonCtrl's `balloonGetDelta`, step for step, with one deliberate difference: `free - inc` is computed
 * signed. The original uses unsigned 32-bit arithmetic, so with guest free between the lower limit and the
 * increment it wraps around and inflates by the full increment, asking the guest for more than it has free.
 * @internal
 */
export function balloonCtrlDelta(
  freeMb: number,
  oldMb: number,
  requestedMb: number,
  s: BalloonCtrlSettings,
  hostFreeMb: number,
  guard: InflateGuard = {},
): { readonly deltaMb: number; readonly reason: string } {
  let req = requestedMb;
  let why = '';
  if (s.maxBalloonMb !== 0 && req > s.maxBalloonMb) {
    why = `the requested ${req} MB is capped at the maximum ${s.maxBalloonMb} MB; `;
    req = s.maxBalloonMb;
  }
  let delta = 0;
  const low = Math.min(freeMb, guard.freeMinMb ?? freeMb);
  const limit = Math.max(s.lowerLimitMb, guard.reserveMb ?? 0);
  const limitWords = limit > s.lowerLimitMb ? `its reserve ${limit} MB` : `the lower limit ${s.lowerLimitMb} MB`;
  const lowWords = low < freeMb ? `guest free ${freeMb} MB (as little as ${low} MB in the last samples)` : `guest free ${freeMb} MB`;
  if (guard.pushBack !== undefined && oldMb > 0) {
    delta = -Math.min(oldMb, Math.max(s.decrementMb, guard.pushBack.deflateMb));
    why += `${guard.pushBack.reason}; deflating by ${-delta} MB at once`;
  } else if (freeMb < s.lowerLimitMb) {
    delta = -s.decrementMb;
    if (oldMb + delta < 0) delta = 0; // as VBoxBalloonCtrl: a balloon smaller than one step is left as it is
    why +=
      delta === 0
        ? `guest free ${freeMb} MB is below the lower limit ${s.lowerLimitMb} MB; ${oldMb === 0 ? 'the balloon is already 0' : `the balloon (${oldMb} MB) is smaller than one decrement (${s.decrementMb} MB), so it stays`}`
        : `guest free ${freeMb} MB is below the lower limit ${s.lowerLimitMb} MB; deflating by ${s.decrementMb} MB`;
  } else if (req > oldMb && guard.coolDown !== undefined) {
    why += `${guard.coolDown}; no inflation toward the requested ${req} MB`;
  } else if (req > oldMb) {
    // Decided on the least free memory over the window, and never into the guest's reserve.
    let inc = s.incrementMb;
    while (inc >= 16 && low - inc < limit) inc = Math.floor(inc / 2);
    if (low - inc > limit) delta = inc;
    if (oldMb + delta > req) delta = Math.min(s.incrementMb, req - oldMb);
    if (delta > 0 && low - delta < limit) delta = 0;
    why +=
      delta === 0
        ? `${lowWords} leaves no room above ${limitWords} to inflate toward ${req} MB`
        : `${lowWords}; inflating toward the requested ${req} MB by ${delta} MB`;
  } else if (req < oldMb) {
    delta = -Math.min(s.decrementMb, oldMb - req);
    why += `the balloon is above the requested ${req} MB; deflating by ${-delta} MB`;
  } else {
    why += `the balloon is at the requested ${req} MB`;
  }
  // A guest that pushed back gets its memory whatever the host's margin: it is short now.
  if (delta < 0 && guard.pushBack === undefined) {
    // Deflating gives memory back to the guest, which VirtualBox must then back: keep the host's safety margin.
    if (hostFreeMb < s.safetyMarginMb) {
      delta = 0;
      why += `, but host free ${hostFreeMb} MB is below the safety margin ${s.safetyMarginMb} MB, so it stays`;
    } else if (-delta > hostFreeMb - s.safetyMarginMb) {
      delta = -(hostFreeMb - s.safetyMarginMb);
      why += `, limited to ${-delta} MB by the host safety margin`;
    }
  }
  return { deltaMb: delta, reason: why };
}

/** What keeps an inflation out of a guest's way beyond VBoxBalloonCtrl's own rules. @internal */
export interface InflateGuard {
  /** The least free memory over the window: inflation is decided on it. */
  readonly freeMinMb?: number | null;
  /** The guest's reserve (the host-memory model's): no inflation into it. */
  readonly reserveMb?: number;
  /** Why the guest must not be inflated now. */
  readonly coolDown?: string;
  /** The guest pushed back: deflate it by at least this much now. */
  readonly pushBack?: { readonly deflateMb: number; readonly reason: string };
}

/** Plan one VM with the VBoxBalloonCtrl policy; `entry` is the VM in the host-memory ledger. @internal */
export function planBalloonCtrlVm(vm: SnapshotVm, s: BalloonCtrlSettings, host: SnapshotHost, entry: LedgerVm | undefined): PlanEntry {
  const stay = (reason: string): PlanEntry => ({ vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb, deltaMb: 0, reason });
  if (vm.heldMb !== undefined) return stay(`its balloon (${vm.heldMb} MB) makes room for a VM being started; left alone until that VM runs`);
  if (vm.limits?.enabled === false) {
    return vm.balloonMb === 0
      ? stay('ballooning is disabled for this VM; the balloon is already 0')
      : { vm: vm.name, fromMb: vm.balloonMb, toMb: 0, deltaMb: -vm.balloonMb, reason: 'ballooning is disabled for this VM; forcing the balloon to 0' };
  }
  const alone = vm.guestFreeMb !== null && vm.guestFreeMb <= 0 ? 'guest statistics are not up yet; no change until the guest reports its free memory' : cannotMove(vm, entry);
  if (alone !== null || vm.guestFreeMb === null) return stay(alone ?? '');
  const guard: InflateGuard = {
    // The ledger's least free memory: the window's, or what a guest remembered at its peak use would have.
    freeMinMb: entry?.guestFreeMinMb ?? vm.guestFreeMinMb ?? null,
    ...(entry === undefined ? {} : { reserveMb: entry.reserveMb }),
    ...(vm.coolDown === undefined ? {} : { coolDown: vm.coolDown }),
    ...(vm.pushBack === undefined ? {} : { pushBack: vm.pushBack }),
  };
  const { deltaMb, reason } = balloonCtrlDelta(vm.guestFreeMb, vm.balloonMb, vm.requestedMb, s, host.freeMb, guard);
  const toMb = Math.max(0, Math.min(maxBalloonMb(vm.memoryMb), vm.balloonMb + deltaMb));
  const capped = toMb !== vm.balloonMb + deltaMb ? `; held within VirtualBox's limit of ${maxBalloonMb(vm.memoryMb)} MB` : '';
  return { vm: vm.name, fromMb: vm.balloonMb, toMb, deltaMb: toMb - vm.balloonMb, reason: reason + capped };
}
