import { maxBalloonMb } from '../domain/balloon-size.js';
import type { BalloonPlan, BudgetPolicy, PlanEntry, SnapshotHost, SnapshotVm } from './types.js';

/** The budget policy's options with their defaults filled in. @internal */
export interface BudgetSettings {
  readonly budgetMb: number;
  readonly maxChangeMb: number;
  readonly deadbandMb: number;
  readonly guestMinFreeMb: number;
}

/** @internal */
export function budgetSettings(p: BudgetPolicy, host: SnapshotHost): BudgetSettings {
  return {
    budgetMb: p.budgetMb ?? Math.floor((host.totalMb * (p.budgetPercent ?? 80)) / 100),
    maxChangeMb: p.maxChangeMb ?? 100,
    deadbandMb: p.deadbandMb ?? 10,
    guestMinFreeMb: p.guestMinFreeMb ?? 256,
  };
}

interface Active {
  readonly vm: SnapshotVm;
  readonly floorMb: number; // the least memory this guest keeps: its use plus its free floor, its minimum, VirtualBox's limit
  readonly ceilMb: number; // all of its RAM
  readonly shares: number;
}

/**
 * Share-weighted water-filling of `pool` MB over the VMs above their floors, each capped at its ceiling; what a
 * capped VM cannot take goes to the others. O(n log n): VMs are taken in the order they fill up (room per share),
 * ties by snapshot order, so the result is deterministic.
 */
function waterFill(active: readonly Active[], pool: number): Map<Active, number> {
  const kept = new Map<Active, number>(active.map((a) => [a, a.floorMb]));
  const order = active
    .map((a, i) => ({ a, i, room: a.ceilMb - a.floorMb }))
    .filter((x) => x.room > 0)
    .sort((x, y) => x.room / x.a.shares - y.room / y.a.shares || x.i - y.i);
  let left = pool;
  let shares = order.reduce((sum, x) => sum + x.a.shares, 0);
  for (const [k, x] of order.entries()) {
    if (left <= 0 || shares <= 0) break;
    const fair = (left * x.a.shares) / shares;
    if (x.room <= fair) {
      kept.set(x.a, x.a.ceilMb); // full: what it cannot take goes to the rest
      left -= x.room;
      shares -= x.a.shares;
      continue;
    }
    // Nobody after this one fills up either: share what is left by weight.
    const level = left / shares;
    for (const y of order.slice(k)) kept.set(y.a, y.a.floorMb + level * y.a.shares);
    break;
  }
  return kept;
}

/** Plan with the budget policy. @internal */
export function planBudget(vms: readonly SnapshotVm[], s: BudgetSettings): BalloonPlan {
  const backingBeforeMb = vms.reduce((sum, v) => sum + (v.memoryMb - v.balloonMb), 0);
  const fixedReason = new Map<SnapshotVm, string>();
  const active: Active[] = [];
  const activeOf = new Map<SnapshotVm, Active>();
  for (const vm of vms) {
    const shares = vm.limits?.shares ?? 1000;
    if (vm.limits?.enabled === false) fixedReason.set(vm, 'ballooning is disabled for this VM; left alone');
    else if (shares <= 0) fixedReason.set(vm, 'shares are 0; left alone');
    else if (vm.guestFreeMb === null) fixedReason.set(vm, 'guest statistics are not up yet; no change until the guest reports its free memory');
    else {
      const capMb = Math.min(maxBalloonMb(vm.memoryMb), vm.limits?.maxBalloonMb ?? Number.POSITIVE_INFINITY);
      const usedMb = Math.max(0, vm.memoryMb - vm.balloonMb - vm.guestFreeMb);
      const floorMb = Math.min(vm.memoryMb, Math.max(vm.limits?.minMb ?? 0, vm.memoryMb - Math.max(0, capMb), usedMb + s.guestMinFreeMb));
      const a = { vm, floorMb, ceilMb: vm.memoryMb, shares };
      active.push(a);
      activeOf.set(vm, a);
    }
  }
  const fixedMb = vms.filter((v) => fixedReason.has(v)).reduce((sum, v) => sum + (v.memoryMb - v.balloonMb), 0);
  const pool = s.budgetMb - fixedMb - active.reduce((sum, a) => sum + a.floorMb, 0);
  const kept = waterFill(active, Math.max(0, pool));
  const over = backingBeforeMb - s.budgetMb;
  const situation = over > 0 ? `backing ${backingBeforeMb} MB is ${over} MB over the budget ${s.budgetMb} MB` : `backing ${backingBeforeMb} MB is within the budget ${s.budgetMb} MB`;
  const short = pool < 0 ? `; the guests' floors alone need ${-pool} MB more than the budget, so every guest is held at its floor` : '';

  const entries = vms.map((vm): PlanEntry => {
    const fixed = fixedReason.get(vm);
    const stay = (reason: string): PlanEntry => ({ vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb, deltaMb: 0, reason });
    if (fixed !== undefined) return stay(fixed);
    const a = activeOf.get(vm);
    if (a === undefined) return stay('left alone');
    const free = vm.guestFreeMb ?? 0;
    const target = Math.max(0, Math.min(maxBalloonMb(vm.memoryMb), vm.memoryMb - Math.round(kept.get(a) ?? a.ceilMb)));
    let delta = target - vm.balloonMb;
    let note = '';
    // Never inflate a guest below its free floor, whatever the budget says.
    if (delta > 0 && delta > free - s.guestMinFreeMb) {
      delta = Math.max(0, free - s.guestMinFreeMb);
      note = `; held so the guest keeps ${s.guestMinFreeMb} MB free`;
    }
    if (Math.abs(delta) > s.maxChangeMb) {
      delta = Math.sign(delta) * s.maxChangeMb;
      note += `; limited to ${s.maxChangeMb} MB per tick`;
    }
    const base = `${situation}${short}; its share puts the balloon at ${target} MB (guest free ${free} MB, floor ${Math.round(a.floorMb)} MB kept)`;
    if (delta === 0) return stay(`${base}; no change${note}`);
    if (Math.abs(delta) < s.deadbandMb) return stay(`${base}; the change of ${delta} MB is within the deadband ${s.deadbandMb} MB`);
    return { vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb + delta, deltaMb: delta, reason: `${base}; ${delta > 0 ? 'inflating' : 'deflating'} by ${Math.abs(delta)} MB${note}` };
  });
  const backingAfterMb = entries.reduce((sum, e, i) => sum + ((vms[i]?.memoryMb ?? 0) - e.toMb), 0);
  return { policy: 'budget', entries, budget: { budgetMb: s.budgetMb, backingBeforeMb, backingAfterMb } };
}
