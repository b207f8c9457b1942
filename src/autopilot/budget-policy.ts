import { budgetOf, type LedgerVm, type MemoryLedger, type MemoryRules } from '../host-memory/index.js';
import { levelDown, levelUp, type LevelVm } from './budget-levels.js';
import { cannotMove } from './snapshot-ledger.js';
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

/** The policy's budget as the host-memory ledger's rules, with the free memory a guest keeps. @internal */
export function budgetRules(p: BudgetPolicy): MemoryRules {
  return { ...(p.budgetMb === undefined ? {} : { budgetMb: p.budgetMb }), ...(p.budgetPercent === undefined ? {} : { budgetPercent: p.budgetPercent }), keepGuestFreeMb: p.guestMinFreeMb ?? 256, ...(p.guestMinFreePercent === undefined ? {} : { keepGuestFreePercent: p.guestMinFreePercent }) };
}

/** @internal */
export function budgetSettings(p: BudgetPolicy, host: SnapshotHost): BudgetSettings {
  const fullMb = budgetOf(host.totalMb, budgetRules(p));
  return {
    budgetMb: fullMb,
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
  readonly counted: number; // the balloon the ledger counts: a deflation under way as done, a held balloon as reached
  readonly free: number;
  readonly low: number; // the least free memory over the window: inflation is decided on it
  readonly floor: number; // the guest's reserve (the host-memory model's)
  readonly couldGive: number; // what the model says it could give (0 while it cools down)
  readonly push: SnapshotVm['pushBack'];
  readonly topMb: number; // the largest balloon allowed: VirtualBox's limit, maxBalloonMb, RAM minus minMb
  readonly margin: number;
  readonly step: number;
  readonly weight: number;
  deltaMb: number;
  why: string;
}

// Why the budget policy leaves a VM alone whatever its guest does, or `null` when it may move its balloon.
function leftAlone(vm: SnapshotVm, entry: LedgerVm | undefined): string | null {
  if (vm.heldMb !== undefined) return `its balloon (${vm.heldMb} MB) makes room for a VM being started; left alone until that VM runs`;
  if (vm.limits?.enabled === false) return 'ballooning is disabled for this VM; left alone';
  return cannotMove(vm, entry);
}

/**
 * Plan with the budget policy: a ceiling with make-before-break, a band of hysteresis and pressure relief first.
 * Backing, budget and reservations are the host-memory ledger's (`memory`, from the same snapshot). See
 * docs/autopilot.md. @internal
 */
export function planBudget(vms: readonly SnapshotVm[], s: BudgetSettings, memory: MemoryLedger): BalloonPlan {
  // Memory reserved for a VM being started with room is not the guests' to use.
  const B = Math.max(0, memory.budgetMb - memory.reservedMb);
  const backingBeforeMb = memory.backingMb;
  // The ledger counts deflations asked for but not yet achieved as done: the memory is already promised to the guest.
  const committedMb = memory.backingMb;
  const fixed = new Map<SnapshotVm, string>();
  const planned: Planned[] = [];
  for (const [i, vm] of vms.entries()) {
    const weight = (vm.limits?.shares ?? 1000) / 1000;
    const entry = memory.vms[i];
    const alone = leftAlone(vm, entry);
    if (alone !== null) fixed.set(vm, alone);
    else if (weight <= 0) fixed.set(vm, 'shares are 0; left alone');
    else if (entry !== undefined && vm.guestFreeMb !== null) {
      const low = Math.min(vm.guestFreeMb, entry.guestFreeMinMb ?? vm.guestFreeMb);
      planned.push({ vm, counted: entry.balloonMb, free: vm.guestFreeMb, low, floor: entry.reserveMb, couldGive: entry.couldGiveMb, push: vm.pushBack, topMb: entry.topMb, margin: marginMb(vm.memoryMb, s), step: stepMb(vm.memoryMb, s), weight, deltaMb: 0, why: '' });
    }
  }

  // 1. Pressure relief and limits, most urgent first: a balloon above its limit goes down to it, a guest under its
  //    free floor gets back its floor plus its margin. Paid from headroom that exists now; over the budget already,
  //    the guest comes first.
  let headroom = B - committedMb;
  const overAtStart = headroom < 0;
  const relief = planned
    // What is needed beyond a deflation already asked for and not yet achieved.
    .map((p) => ({ p, needMb: Math.min(p.vm.balloonMb, Math.max(p.vm.balloonMb - p.topMb, p.free < p.floor ? p.floor + p.margin - p.free : 0, p.push?.deflateMb ?? 0)) - (p.vm.balloonMb - p.counted) }))
    .filter((r) => r.needMb > 0)
    .sort((a, b) => a.p.free - b.p.free || a.p.vm.balloonMb - b.p.vm.balloonMb);
  let heldBackMb = 0;
  let grantedMb = 0;
  for (const { p, needMb } of relief) {
    // A guest that pushed back gets what it needs at once, whatever the headroom: safety first.
    const grant = overAtStart || p.push !== undefined ? needMb : Math.min(needMb, Math.max(0, headroom));
    const limit = p.push !== undefined ? p.push.reason : p.vm.balloonMb > p.topMb ? `the balloon is above its limit ${p.topMb} MB` : `guest free ${p.free} MB is under the floor ${p.floor} MB`;
    const inFlight = p.vm.balloonMb - p.counted;
    p.deltaMb = -grant - inFlight;
    p.why = grant === needMb ? `${limit}; deflating by ${grant + inFlight} MB at once` : `${limit}; deflating by ${grant + inFlight} of ${needMb + inFlight} MB now, the headroom under the budget allows no more; the rest follows as other guests give memory`;
    if (!overAtStart) headroom -= grant;
    heldBackMb += needMb - grant;
    grantedMb += grant;
  }
  // A deflation already in flight is in committedMb (the ledger counts it as done): only the grants add to it.
  const afterRelief = committedMb + grantedMb;

  // 2. The band: above B − band/4, inflate back to B − band/2 (the donors: most free memory per share); under
  //    B − band, deflate up to B − band/2 (the receivers: least free memory per share); in between, nothing moves.
  const aim = B - Math.floor(s.bandMb / 2);
  const upper = B - Math.floor(s.bandMb / 4);
  const lower = B - s.bandMb;
  // A VM already moved by relief, or with a deflation in flight, is not moved again by the band.
  const movable = planned.filter((p) => p.deltaMb === 0 && p.counted === p.vm.balloonMb);
  const level = (p: Planned, capMb: number): LevelVm => ({
    excessMb: p.low - p.floor - p.margin,
    weight: p.weight,
    capMb: Math.max(0, capMb),
    minMoveMb: Math.min(p.step, Math.max(s.deadbandMb, Math.round(p.margin / 4))),
  });
  let zone: string;
  if (afterRelief + heldBackMb > upper) {
    const want = Math.ceil(afterRelief + heldBackMb - aim);
    const gives = levelDown(movable.map((p) => level(p, Math.min(p.step, p.topMb - p.vm.balloonMb, p.low - p.floor - p.margin, p.couldGive))), want);
    for (const [k, p] of movable.entries()) {
      const g = gives[k] ?? 0;
      if (g <= 0) continue;
      p.deltaMb = g;
      const seen = p.low < p.free ? `guest free ${p.free} MB, as little as ${p.low} MB in the last samples, keeps ${p.low - g} MB` : `guest free ${p.free} MB keeps ${p.free - g} MB`;
      p.why = `inflating by ${g} MB: among the guests with the most free memory per share (${seen}; its reserve is ${p.floor} MB)${g === p.step ? `; limited to ${p.step} MB per tick` : ''}`;
    }
    zone = `${afterRelief + heldBackMb} MB would be above the band's top ${upper} MB, so the fleet gives ${want} MB back toward ${aim} MB`;
  } else if (afterRelief < lower) {
    const room = Math.min(aim - afterRelief, B - afterRelief);
    // Guests relieved above may get more; their free memory counts as it will be.
    const receivers = planned.filter((p) => p.deltaMb < 0 || p.counted === p.vm.balloonMb);
    const gets = levelUp(receivers.map((p) => ({ ...level(p, Math.min(p.step, p.vm.balloonMb + p.deltaMb)), excessMb: p.low - p.deltaMb - p.floor - p.margin })), Math.floor(room));
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
  const reserved = memory.reservedMb > 0 ? ` (${memory.reservedMb} MB of the budget ${memory.budgetMb} MB reserved for starts)` : '';
  const situation = over > 0 ? `backing ${backingBeforeMb} MB is ${over} MB over the budget ${B} MB${reserved}` : `backing ${backingBeforeMb} MB is within the budget ${B} MB${reserved}`;
  const byVm = new Map(planned.map((p) => [p.vm, p]));
  const base = `${situation}; after relief ${zone}`;
  const entries = vms.map((vm): PlanEntry => {
    const stay = (reason: string): PlanEntry => ({ vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb, deltaMb: 0, reason });
    const p = byVm.get(vm);
    if (p === undefined) return stay(fixed.get(vm) ?? 'left alone');
    // A guest whose relief the headroom held back entirely moves by 0 MB now: its reason says so.
    if (p.deltaMb === 0) return stay(p.why === '' ? `${base}; no change (guest free ${p.free} MB)` : `${base}; ${p.why}`);
    return { vm: vm.name, fromMb: vm.balloonMb, toMb: vm.balloonMb + p.deltaMb, deltaMb: p.deltaMb, reason: `${base}; ${p.why}` };
  });
  // A VM the plan moves is backed with its RAM minus its new balloon; every other VM as the ledger counts it.
  const backingAfterMb = entries.reduce((sum, e, i) => sum + (e.deltaMb !== 0 ? (vms[i]?.memoryMb ?? 0) - e.toMb : (memory.vms[i]?.backingMb ?? 0)), 0);
  return { policy: 'budget', entries, budget: { budgetMb: memory.budgetMb, backingBeforeMb, backingAfterMb }, memory, ...(planned.length > 0 ? { fleetReason: base } : {}) };
}
