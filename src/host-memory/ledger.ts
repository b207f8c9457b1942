// The memory ledger: one snapshot of a host in, the figures every feature reports out (backing, budget, headroom,
// what each VM could give), each with a reason a person can read. Pure. The rules are in docs/concepts.md.
import { maxBalloonMb } from '../domain/balloon-size.js';
import { STATE_MEMORY, stateInWords } from '../domain/vm-state.js';
import type { LedgerVm, MemoryLedger, MemoryRules, MemorySnapshot, MemorySnapshotVm, StartInFlight } from './types.js';

/** The budget's default share of host RAM, in percent (everywhere a budget is not given). */
export const DEFAULT_BUDGET_PERCENT = 80;

/** Free memory a giving guest keeps by default, in MB. */
export const DEFAULT_KEEP_GUEST_FREE_MB = 256;

/** Free memory a giving guest keeps by default as a percentage of its RAM (the larger of the two counts). */
export const DEFAULT_KEEP_GUEST_FREE_PERCENT = 10;

/** The free memory every guest keeps: at least `mb`, and at least `percent` of its RAM. */
export interface GuestReserve {
  readonly mb: number;
  readonly percent: number;
}

const percentOf = (x: unknown, fallback: number): number => (typeof x === 'number' && Number.isFinite(x) ? Math.min(100, Math.max(0, x)) : fallback);

/** The reserve the rules set (defaults filled in, noise made harmless). */
export function reserveOf(rules: MemoryRules = {}): GuestReserve {
  return {
    mb: rules.keepGuestFreeMb === undefined ? DEFAULT_KEEP_GUEST_FREE_MB : whole(rules.keepGuestFreeMb),
    percent: percentOf(rules.keepGuestFreePercent, DEFAULT_KEEP_GUEST_FREE_PERCENT),
  };
}

/**
 * The free memory one guest keeps, in MB: the larger of `mb` and `percent` of its RAM, each replaced by the VM's own
 * `keepFreeMb`/`keepFreePercent` when set. No balloon inflates into it, and a guest under it is given memory back.
 */
export function guestReserveMb(v: Pick<MemorySnapshotVm, 'memoryMb' | 'limits'>, reserve: GuestReserve): number {
  const mb = v.limits?.keepFreeMb === undefined ? reserve.mb : whole(v.limits.keepFreeMb);
  const percent = percentOf(v.limits?.keepFreePercent, reserve.percent);
  return Math.max(mb, Math.ceil((whole(v.memoryMb) * percent) / 100));
}

// Callers pass noise (NaN, negative, fractions): a size is a whole number of MB, 0 or more.
const whole = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.floor(x) : 0);
const wholeOrNull = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? Math.max(0, Math.floor(x)) : null);

/** The budget for a host with `totalMb` of RAM: `budgetMb`, else `budgetPercent` (default 80) of its RAM. */
export function budgetOf(totalMb: number, rules: MemoryRules = {}): number {
  if (rules.budgetMb !== undefined) return whole(rules.budgetMb);
  const percent = typeof rules.budgetPercent === 'number' && Number.isFinite(rules.budgetPercent) ? rules.budgetPercent : DEFAULT_BUDGET_PERCENT;
  return Math.max(0, Math.floor((whole(totalMb) * percent) / 100));
}

// Why a VM that runs cannot balloon, in the order a person would check; null when it can.
function cannotBalloon(v: MemorySnapshotVm, hostCannot: string | null): string | null {
  if (hostCannot !== null) return 'the host cannot balloon';
  if (v.largePages === true) return 'large pages are on';
  const level = v.additionsRunLevel;
  if (level !== undefined && (level === null || level < 2)) return 'its Guest Additions are not running';
  if (wholeOrNull(v.balloonMb) === null || wholeOrNull(v.guestFreeMb) === null) return 'the guest has not reported its memory yet';
  return null;
}

// The free memory a guest that pushed back would have at the most it used since (its balloon as it is now), or null.
function freeAtPeak(v: MemorySnapshotVm): number | null {
  const peak = whole(v.peakUsedMb);
  const balloon = wholeOrNull(v.balloonMb);
  return peak === 0 || balloon === null ? null : Math.max(0, whole(v.memoryMb) - balloon - peak);
}

// What a VM that can balloon could give: its free memory above what it keeps, up to the largest balloon allowed.
function giving(v: MemorySnapshotVm, achievedMb: number, freeMb: number, keepMb: number): Pick<LedgerVm, 'topMb' | 'couldGiveMb' | 'giveWhy'> {
  const latest = freeMb;
  const window = Math.min(latest, wholeOrNull(v.guestFreeMinMb) ?? latest);
  const atPeak = freeAtPeak(v);
  const low = Math.min(window, atPeak ?? window);
  // A dip over the window counts: the guest gives from the least it had free, not from the latest sample; a guest
  // that pushed back gives from what it would have free at the most it used since.
  const seen =
    atPeak !== null && atPeak < window
      ? `it used as much as ${whole(v.peakUsedMb)} MB lately (after pushing back, or in an earlier run), which would leave it ${atPeak} MB free (${latest} MB now)`
      : low < latest
        ? `it had as little as ${low} MB free in the last samples (${latest} MB now)`
        : `it has ${latest} MB free`;
  const keeps = typeof v.cautionWhy === 'string' && whole(v.cautionMb) >= keepMb ? `keeps ${keepMb} MB (${v.cautionWhy})` : `keeps ${keepMb} MB`;
  const has = `${seen} and ${keeps}`;
  const ram = whole(v.memoryMb);
  const vbox = Math.max(0, maxBalloonMb(ram));
  const cap = v.limits?.maxBalloonMb === undefined ? Number.POSITIVE_INFINITY : whole(v.limits.maxBalloonMb);
  const topMb = Math.max(0, Math.min(vbox, cap, ram - whole(v.limits?.minMb)));
  if (v.state !== 'running') return { topMb, couldGiveMb: 0, giveWhy: `it is ${stateInWords(v.state)}` };
  if (v.limits?.enabled === false) return { topMb, couldGiveMb: 0, giveWhy: 'ballooning is disabled for this VM' };
  if (v.heldMb !== undefined) return { topMb, couldGiveMb: 0, giveWhy: `its balloon (${whole(v.heldMb)} MB) makes room for a VM being started` };
  if (typeof v.coolDown === 'string') return { topMb, couldGiveMb: 0, giveWhy: v.coolDown };
  const byFree = low - keepMb;
  const byTop = topMb - achievedMb;
  const couldGiveMb = Math.max(0, Math.min(byFree, byTop));
  if (couldGiveMb > 0 && byFree <= byTop) return { topMb, couldGiveMb, giveWhy: has };
  if (couldGiveMb > 0) return { topMb, couldGiveMb, giveWhy: `its balloon (${achievedMb} MB) may grow to ${topMb} MB` };
  if (byTop <= 0) {
    const limit = topMb === vbox ? 'at the most VirtualBox allows' : `at its limit of ${topMb} MB`;
    return { topMb, couldGiveMb: 0, giveWhy: `its balloon (${achievedMb} MB) is ${limit}` };
  }
  return { topMb, couldGiveMb: 0, giveWhy: has };
}

/**
 * One VM in the ledger. A running or paused VM is backed with its RAM minus its balloon: the balloon its guest has
 * inflated, or less while a deflation it was asked for is under way (that memory is the guest's already), or the
 * size a balloon is being inflated to for a start (`heldMb`, counted as reached). A running or paused VM that cannot
 * balloon (large pages on, no Guest Additions, no statistics, or a host that cannot balloon) counts with all of its
 * RAM and gives nothing. Other states: see `STATE_MEMORY`.
 */
export function ledgerVm(v: MemorySnapshotVm, reserve: GuestReserve, hostCannot: string | null = null): LedgerVm {
  const ram = whole(v.memoryMb);
  const free = wholeOrNull(v.guestFreeMb);
  const freeMin = free === null ? null : Math.min(free, wholeOrNull(v.guestFreeMinMb) ?? free, freeAtPeak(v) ?? free);
  const reserveMb = Math.max(guestReserveMb(v, reserve), whole(v.cautionMb));
  const base = { vm: v.name, uuid: v.uuid, state: v.state, memoryMb: ram, achievedMb: wholeOrNull(v.balloonMb), guestFreeMb: free, guestFreeMinMb: freeMin, reserveMb };
  const holds = STATE_MEMORY[v.state];
  const words = stateInWords(v.state);
  if (holds === 'none') {
    return { ...base, rule: 'none', balloonMb: 0, backingMb: 0, backingWhy: `it is ${words}: no VM process holds memory for it`, canBalloon: false, topMb: 0, couldGiveMb: 0, giveWhy: `it is ${words}` };
  }
  if (holds === 'all') {
    const why = `it is ${words}: it may hold all of its RAM (${ram} MB), and no balloon is read for it`;
    return { ...base, rule: 'all-ram', balloonMb: 0, backingMb: ram, backingWhy: why, canBalloon: false, topMb: 0, couldGiveMb: 0, giveWhy: `it is ${words}` };
  }
  const blocked = cannotBalloon(v, hostCannot);
  if (blocked !== null) {
    const why = `${blocked}: it cannot balloon, so all of its RAM (${ram} MB) counts`;
    return { ...base, rule: 'all-ram', balloonMb: 0, backingMb: ram, backingWhy: why, canBalloon: false, topMb: 0, couldGiveMb: 0, giveWhy: blocked };
  }
  const achieved = whole(v.balloonMb);
  const requested = wholeOrNull(v.requestedMb) ?? achieved;
  let counted = Math.min(achieved, requested);
  let note = achieved > requested ? ` (a deflation to ${requested} MB is under way and counts as done)` : '';
  if (v.heldMb !== undefined) {
    counted = Math.max(achieved, whole(v.heldMb));
    note = counted > achieved ? ` (it is being inflated to ${counted} MB to make room for a start, and counts as reached)` : '';
  }
  counted = Math.min(counted, ram);
  const backingWhy = `its RAM (${ram} MB) minus its balloon (${counted} MB)${note}`;
  const give = giving(v, achieved, free ?? 0, reserveMb);
  return { ...base, rule: 'ram-minus-balloon', balloonMb: counted, backingMb: ram - counted, backingWhy, canBalloon: v.state === 'running', ...give };
}

/** Why a VM the ledger says cannot balloon is left as it is: its backing rule when all of its RAM counts, else why it gives nothing. */
export function whyNoBalloon(v: LedgerVm): string {
  return v.rule === 'all-ram' ? v.backingWhy : v.giveWhy;
}

/** Every VM of a snapshot in the ledger, with the same rules as {@link memoryLedger}. */
export function ledgerVms(vms: readonly MemorySnapshotVm[], reserve: GuestReserve, hostCannot: string | null = null): LedgerVm[] {
  return vms.map((v) => ledgerVm(v, reserve, hostCannot));
}

/**
 * The host's memory from one snapshot: the budget, the memory backing the guests (the sum of every VM's backing),
 * the memory kept for starts in flight (a start whose VM already holds memory counts itself instead), the headroom
 * under the budget, and per VM what backs it and what it could give, each with why. Pure and deterministic.
 */
export function memoryLedger(snapshot: MemorySnapshot, rules: MemoryRules = {}): MemoryLedger {
  const reserve = reserveOf(rules);
  const vms = ledgerVms(snapshot.vms, reserve, snapshot.host.cannotBalloon ?? null);
  const holding = new Set(vms.filter((v) => v.rule !== 'none').map((v) => v.uuid));
  const starting: StartInFlight[] = (snapshot.starting ?? []).filter((s) => !holding.has(s.uuid));
  const totalMb = whole(snapshot.host.totalMb);
  const budgetMb = budgetOf(totalMb, rules);
  const backingMb = vms.reduce((sum, v) => sum + v.backingMb, 0);
  const reservedMb = starting.reduce((sum, s) => sum + whole(s.needMb), 0);
  return {
    totalMb,
    freeMb: whole(snapshot.host.freeMb),
    budgetMb,
    backingMb,
    reservedMb,
    headroomMb: Math.max(0, budgetMb - backingMb - reservedMb),
    overBudgetMb: Math.max(0, backingMb + reservedMb - budgetMb),
    keepGuestFreeMb: reserve.mb,
    keepGuestFreePercent: reserve.percent,
    couldGiveMb: vms.reduce((sum, v) => sum + v.couldGiveMb, 0),
    vms,
    starting,
  };
}
