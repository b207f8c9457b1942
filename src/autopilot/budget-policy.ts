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
 * capped VM cannot take goes to the others. Deterministic: VMs are processed in snapshot order.
 */
function waterFill(active: readonly Active[], pool: number): Map<Active, number> {
  const kept = new Map<Active, number>(active.map((a) => [a, a.floorMb]));
  let open = active.filter((a) => a.ceilMb > a.floorMb);
  let left = pool;
  while (left > 1e-9 && open.length > 0) {
    const shares = open.reduce((s, a) => s + a.shares, 0);
    const full = open.filter((a) => (kept.get(a) ?? 0) + (left * a.shares) / shares >= a.ceilMb);
    if (full.length === 0) {
      for (const a of open) kept.set(a, (kept.get(a) ?? 0) + (left * a.shares) / shares);
      break;
    }
    for (const a of full) {
      left -= a.ceilMb - (kept.get(a) ?? 0);
      kept.set(a, a.ceilMb);
    }
    open = open.filter((a) => !full.includes(a));
  }
  return kept;
}

/** Plan with the budget policy. @internal */
export function planBudget(vms: readonly SnapshotVm[], s: BudgetSettings): BalloonPlan {
  const backingBeforeMb = vms.reduce((sum, v) => sum + (v.memoryMb - v.balloonMb), 0);
  const fixedReason = new Map<SnapshotVm, string>();
  const active: Active[] = [];
  for (const vm of vms) {
    const shares = vm.limits?.shares ?? 1000;
    if (vm.limits?.enabled === false) fixedReason.set(vm, 'ballooning is disabled for this VM; left alone');
    else if (shares <= 0) fixedReason.set(vm, 'shares are 0; left alone');
    else if (vm.guestFreeMb === null) fixedReason.set(vm, 'guest statistics are not up yet; no change until the guest reports its free memory');
    else {
      const capMb = Math.min(maxBalloonMb(vm.memoryMb), vm.limits?.maxBalloonMb ?? Number.POSITIVE_INFINITY);
      const usedMb = Math.max(0, vm.memoryMb - vm.balloonMb - vm.guestFreeMb);
      const floorMb = Math.min(vm.memoryMb, Math.max(vm.limits?.minMb ?? 0, vm.memoryMb - Math.max(0, capMb), usedMb + s.guestMinFreeMb));
      active.push({ vm, floorMb, ceilMb: vm.memoryMb, shares });
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
    const a = active.find((x) => x.vm === vm);
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
