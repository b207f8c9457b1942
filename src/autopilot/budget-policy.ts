import { maxBalloonMb } from '../domain/balloon-size.js';
import { levelDown, levelUp, type LevelVm } from './budget-levels.js';
import type { BalloonPlan, PlanEntry, SnapshotHost, SnapshotVm } from '../domain/balloon-plan.js';
import type { BudgetPolicy } from './types.js';

/** The budget policy's options with their defaults filled in. @internal */
export interface BudgetSettings {
  readonly budgetMb: number;
  readonly maxChangeMb: number | null; // null: the default, which scales with each VM's RAM
  readonly deadbandMb: number;
  readonly guestMinFreeMb: number;
  readonly bandMb: number;
}

/** @internal */
export function budgetSettings(p: BudgetPolicy, host: SnapshotHost): BudgetSettings {
  const fullMb = p.budgetMb ?? Math.floor((host.totalMb * (p.budgetPercent ?? 80)) / 100);
  // Memory promised to a VM being started with room is not the running guests' to use.
  const budgetMb = Math.max(0, fullMb - (host.reservedMb ?? 0));
  return {
    budgetMb,
    maxChangeMb: p.maxChangeMb ?? null,
    deadbandMb: p.deadbandMb ?? 10,
    guestMinFreeMb: p.guestMinFreeMb ?? 256,
    bandMb: p.bandMb ?? defaultBandMb(fullMb),
  };
}

/** The default band under the budget: 2 % of it, at least 256 MB and at most 4096 MB. @internal */
export const defaultBandMb = (budgetMb: number): number => Math.min(4096, Math.max(256, Math.round(budgetMb * 0.02)));

/** The most one VM's balloon moves per tick: `maxChangeMb`, or by default 1/64 of its RAM and at least 100 MB. @internal */
export const stepMb = (memoryMb: number, s: BudgetSettings): number => s.maxChangeMb ?? Math.max(100, Math.round(memoryMb / 64));

/** A VM's margin above its free floor: 1/32 of its RAM, 64 to 512 MB (and at least the deadband). @internal */
export const marginMb = (memoryMb: number, s: BudgetSettings): number => Math.max(s.deadbandMb, Math.min(512, Math.max(64, Math.round(memoryMb / 32))));

interface Planned {
  readonly vm: SnapshotVm;
  readonly free: number;
  readonly topMb: number; // the largest balloon allowed: VirtualBox's limit, maxBalloonMb, RAM minus minMb
  readonly margin: number;
  readonly step: number;
  readonly weight: number;
  deltaMb: number;
  why: string;
}

// A held balloon (making room for a VM being started) counts as reached: the start waits for it.
const committed = (v: SnapshotVm): number => (v.heldMb !== undefined ? Math.max(v.balloonMb, v.heldMb) : Math.min(v.balloonMb, v.lastAskedMb ?? v.balloonMb));

/**
 * Plan with the budget policy: a ceiling with make-before-break, a band of hysteresis and pressure relief first.
 * See docs/autopilot.md. @internal
 */
export function planBudget(vms: readonly SnapshotVm[], s: BudgetSettings): BalloonPlan {
  const B = s.budgetMb;
  const backingBeforeMb = vms.reduce((sum, v) => sum + (v.memoryMb - v.balloonMb), 0);
  // Deflations asked for but not yet achieved count as done: the memory is already promised to the guest.
  const committedMb = vms.reduce((sum, v) => sum + (v.memoryMb - committed(v)), 0);
  const fixed = new Map<SnapshotVm, string>();
  const planned: Planned[] = [];
  for (const vm of vms) {
    const weight = (vm.limits?.shares ?? 1000) / 1000;
    if (vm.heldMb !== undefined) fixed.set(vm, `its balloon (${vm.heldMb} MB) makes room for a VM being started; left alone until that VM runs`);
    else if (vm.limits?.enabled === false) fixed.set(vm, 'ballooning is disabled for this VM; left alone');
    else if (weight <= 0) fixed.set(vm, 'shares are 0; left alone');
    else if (vm.guestFreeMb === null) fixed.set(vm, 'guest statistics are not up yet; no change until the guest reports its free memory');
    else {
      const topMb = Math.max(0, Math.min(maxBalloonMb(vm.memoryMb), vm.limits?.maxBalloonMb ?? Number.POSITIVE_INFINITY, vm.memoryMb - (vm.limits?.minMb ?? 0)));
      planned.push({ vm, free: vm.guestFreeMb, topMb, margin: marginMb(vm.memoryMb, s), step: stepMb(vm.memoryMb, s), weight, deltaMb: 0, why: '' });
    }
  }

  // 1. Pressure relief and limits, most urgent first: a balloon above its limit goes down to it, a guest under its
  //    free floor gets back its floor plus its margin. Paid from headroom that exists now; over the budget already,
  //    the guest comes first.
  let headroom = B - committedMb;
  const overAtStart = headroom < 0;
  const relief = planned
    // What is needed beyond a deflation already asked for and not yet achieved.
    .map((p) => ({ p, needMb: Math.min(p.vm.balloonMb, Math.max(p.vm.balloonMb - p.topMb, p.free < s.guestMinFreeMb ? s.guestMinFreeMb + p.margin - p.free : 0)) - (p.vm.balloonMb - committed(p.vm)) }))
    .filter((r) => r.needMb > 0)
    .sort((a, b) => a.p.free - b.p.free || a.p.vm.balloonMb - b.p.vm.balloonMb);
  let heldBackMb = 0;
  for (const { p, needMb } of relief) {
    const grant = overAtStart ? needMb : Math.min(needMb, Math.max(0, headroom));
    const limit = p.vm.balloonMb > p.topMb ? `the balloon is above its limit ${p.topMb} MB` : `guest free ${p.free} MB is under the floor ${s.guestMinFreeMb} MB`;
    const inFlight = p.vm.balloonMb - committed(p.vm);
    p.deltaMb = -grant - inFlight;
    p.why = grant === needMb ? `${limit}; deflating by ${grant + inFlight} MB at once` : `${limit}; deflating by ${grant + inFlight} of ${needMb + inFlight} MB now, the headroom under the budget allows no more; the rest follows as other guests give memory`;
    if (!overAtStart) headroom -= grant;
    heldBackMb += needMb - grant;
  }
  const afterRelief = committedMb + planned.reduce((sum, p) => sum - p.deltaMb, 0);

  // 2. The band: above B − band/4, inflate back to B − band/2 (the donors: most free memory per share); under
  //    B − band, deflate up to B − band/2 (the receivers: least free memory per share); in between, nothing moves.
  const aim = B - Math.floor(s.bandMb / 2);
  const upper = B - Math.floor(s.bandMb / 4);
  const lower = B - s.bandMb;
  // A VM already moved by relief, or with a deflation in flight, is not moved again by the band.
  const movable = planned.filter((p) => p.deltaMb === 0 && committed(p.vm) === p.vm.balloonMb);
  const level = (p: Planned, capMb: number): LevelVm => ({
    excessMb: p.free - s.guestMinFreeMb - p.margin,
    weight: p.weight,
    capMb: Math.max(0, capMb),
    minMoveMb: Math.min(p.step, Math.max(s.deadbandMb, Math.round(p.margin / 4))),
  });
  let zone: string;
  if (afterRelief + heldBackMb > upper) {
    const want = Math.ceil(afterRelief + heldBackMb - aim);
    const gives = levelDown(movable.map((p) => level(p, Math.min(p.step, p.topMb - p.vm.balloonMb, p.free - s.guestMinFreeMb - p.margin))), want);
    for (const [k, p] of movable.entries()) {
      const g = gives[k] ?? 0;
      if (g <= 0) continue;
      p.deltaMb = g;
      p.why = `inflating by ${g} MB: among the guests with the most free memory per share (guest free ${p.free} MB keeps ${p.free - g} MB)${g === p.step ? `; limited to ${p.step} MB per tick` : ''}`;
    }
    zone = `${afterRelief + heldBackMb} MB would be above the band's top ${upper} MB, so the fleet gives ${want} MB back toward ${aim} MB`;
  } else if (afterRelief < lower) {
    const room = Math.min(aim - afterRelief, B - afterRelief);
    // Guests relieved above may get more; their free memory counts as it will be.
    const receivers = planned.filter((p) => p.deltaMb < 0 || committed(p.vm) === p.vm.balloonMb);
    const gets = levelUp(receivers.map((p) => ({ ...level(p, Math.min(p.step, p.vm.balloonMb + p.deltaMb)), excessMb: p.free - p.deltaMb - s.guestMinFreeMb - p.margin })), Math.floor(room));
    for (const [k, p] of receivers.entries()) {
      const g = gets[k] ?? 0;
      if (g <= 0) continue;
      const text = `deflating by ${g} MB: among the guests with the least free memory per share (guest free ${p.free} MB)${g === p.step ? `; limited to ${p.step} MB per tick` : ''}`;
      p.why = p.deltaMb < 0 ? `${p.why}; then ${text}` : text;
      p.deltaMb -= g;
    }
    zone = `${afterRelief} MB is under the band's bottom ${lower} MB, so up to ${Math.floor(room)} MB goes back to the guests, toward ${aim} MB`;
  } else {
    zone = `${afterRelief} MB is inside the band ${lower}-${upper} MB, where only pressure moves a balloon`;
  }

  const over = backingBeforeMb - B;
  const situation = over > 0 ? `backing ${backingBeforeMb} MB is ${over} MB over the budget ${B} MB` : `backing ${backingBeforeMb} MB is within the budget ${B} MB`;
  const byVm = new Map(planned.map((p) => [p.vm, p]));
  const entries = vms.map((vm): PlanEntry => {
    const stay = (reason: string): PlanEntry => ({ vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb, deltaMb: 0, reason });
    const p = byVm.get(vm);
    if (p === undefined) return stay(fixed.get(vm) ?? 'left alone');
    const base = `${situation}; after relief ${zone}`;
    if (p.deltaMb === 0) return stay(`${base}; no change (guest free ${p.free} MB)`);
    return { vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb + p.deltaMb, deltaMb: p.deltaMb, reason: `${base}; ${p.why}` };
  });
  const backingAfterMb = entries.reduce((sum, e, i) => sum + ((vms[i]?.memoryMb ?? 0) - e.toMb), 0);
  return { policy: 'budget', entries, budget: { budgetMb: B, backingBeforeMb, backingAfterMb } };
}
