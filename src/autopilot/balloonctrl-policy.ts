import { maxBalloonMb } from '../domain/balloon-size.js';
import type { LedgerVm } from '../host-memory/index.js';
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
): { readonly deltaMb: number; readonly reason: string } {
  let req = requestedMb;
  let why = '';
  if (s.maxBalloonMb !== 0 && req > s.maxBalloonMb) {
    why = `the requested ${req} MB is capped at the maximum ${s.maxBalloonMb} MB; `;
    req = s.maxBalloonMb;
  }
  let delta = 0;
  if (freeMb < s.lowerLimitMb) {
    delta = -s.decrementMb;
    if (oldMb + delta < 0) delta = 0; // as VBoxBalloonCtrl: a balloon smaller than one step is left as it is
    why +=
      delta === 0
        ? `guest free ${freeMb} MB is below the lower limit ${s.lowerLimitMb} MB; ${oldMb === 0 ? 'the balloon is already 0' : `the balloon (${oldMb} MB) is smaller than one decrement (${s.decrementMb} MB), so it stays`}`
        : `guest free ${freeMb} MB is below the lower limit ${s.lowerLimitMb} MB; deflating by ${s.decrementMb} MB`;
  } else if (req > oldMb) {
    let inc = s.incrementMb;
    while (inc >= 16 && freeMb - inc < s.lowerLimitMb) inc = Math.floor(inc / 2);
    if (freeMb - inc > s.lowerLimitMb) delta = inc;
    if (oldMb + delta > req) delta = Math.min(s.incrementMb, req - oldMb);
    why +=
      delta === 0
        ? `guest free ${freeMb} MB leaves no room above the lower limit ${s.lowerLimitMb} MB to inflate toward ${req} MB`
        : `guest free ${freeMb} MB; inflating toward the requested ${req} MB by ${delta} MB`;
  } else if (req < oldMb) {
    delta = -Math.min(s.decrementMb, oldMb - req);
    why += `the balloon is above the requested ${req} MB; deflating by ${-delta} MB`;
  } else {
    why += `the balloon is at the requested ${req} MB`;
  }
  if (delta < 0) {
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
  const { deltaMb, reason } = balloonCtrlDelta(vm.guestFreeMb, vm.balloonMb, vm.requestedMb, s, host.freeMb);
  const toMb = Math.max(0, Math.min(maxBalloonMb(vm.memoryMb), vm.balloonMb + deltaMb));
  const capped = toMb !== vm.balloonMb + deltaMb ? `; held within VirtualBox's limit of ${maxBalloonMb(vm.memoryMb)} MB` : '';
  return { vm: vm.name, fromMb: vm.balloonMb, toMb, deltaMb: toMb - vm.balloonMb, reason: reason + capped };
}
