// What the autopilot remembers about each guest between ticks to keep it out of trouble: whether it pushed back
// after its balloon grew (then it is deflated at once and cooled down, the cool-down doubling on each repeat), and
// whether its statistics stopped arriving (then its balloon goes back to its default). Pure: the loop holds the state.
import { guestReserveMb, reserveOf, type MemoryRules } from '../host-memory/index.js';
import type { BalloonPlan, PlanEntry, SnapshotVm } from '../domain/balloon-plan.js';
import { RAN_OUT_MB, type Rise } from './host-caution.js';

/** Ticks a guest is watched after its balloon grew. @internal */
export const WATCH_TICKS = 3;
/** The first cool-down, in ticks (1 minute at the default 10 s interval); it doubles on each repeat. @internal */
export const COOL_DOWN_TICKS = 6;
/** The longest cool-down, in ticks (1 hour at the default interval); a guest calm this long starts again at the first. @internal */
export const MAX_COOL_DOWN_TICKS = 360;
/** How long a guest's statistics may be missing before its balloon goes back to its default, in ms. @internal */
export const STALE_STATS_MS = 60_000;
/** Free memory a guest takes back after an inflation, as a share of the inflation, that counts as pushing back. @internal */
export const REFILL_SHARE = 0.75;

interface Inflation {
  readonly tick: number;
  readonly mb: number;
  /** What the guest used then (RAM minus balloon minus free), in MB. */
  readonly usedMb: number;
}

/** One guest's record. @internal */
export interface GuestRecord {
  inflations: Inflation[];
  coolUntil: number; // the first tick it may be inflated again
  coolTicks: number; // the last cool-down's length (0: none yet)
  lastPushTick: number | null;
  why: string | null; // the cool-down's reason while it lasts
  lastStatsAt: number | null; // when its statistics last arrived (clock ms)
  peakUsedMb: number; // after a push-back against an inflation, the most it has used since (0: none remembered)
  lastRefillTick: number | null; // the last push-back against an inflation
  usedLog: number[]; // what it used at each of the last USED_LOG_TICKS ticks
  riseBaseMb: number | null; // during a push-back episode: the least it used just before it
  riseMb: number; // how far its use rose in its last run-out, in MB (0: none remembered)
  startedTick: number | null; // the tick it was first seen running, when the autopilot saw it start (null: it ran before)
  runPeakMb: number; // the most it used in this run
  earlierPeakMb: number; // the most it used in its earlier runs, while remembered (0: none)
  stoppedTick: number | null; // when it was last seen stopped (null: it runs); forgotten after MAX_COOL_DOWN_TICKS
}

/** Ticks after the autopilot saw a VM start (for the first time in the last hour) in which make room and reclaim take nothing from it (5 minutes at the default interval). @internal */
export const SETTLE_TICKS = 30;

/** Ticks of use remembered per guest, to measure how far its use rose when it pushes back. @internal */
export const USED_LOG_TICKS = 6;
/** How far under its reserve a guest's free memory may dip before it counts as pushing back, in MB (page-cache jitter). @internal */
export const DIP_MB = 64;

/** Every guest's record, by UUID. @internal */
export type GuestWatch = Map<string, GuestRecord>;

const recordOf = (w: GuestWatch, uuid: string, startedTick: number | null = null): GuestRecord => {
  let r = w.get(uuid);
  if (r === undefined) {
    r = { inflations: [], coolUntil: 0, coolTicks: 0, lastPushTick: null, why: null, lastStatsAt: null, peakUsedMb: 0, lastRefillTick: null, usedLog: [], riseBaseMb: null, riseMb: 0, startedTick, runPeakMb: 0, earlierPeakMb: 0, stoppedTick: null };
    w.set(uuid, r);
  }
  return r;
};

const usedOf = (v: SnapshotVm): number | null => (v.guestFreeMb === null ? null : v.memoryMb - v.balloonMb - v.guestFreeMb);

/**
 * Look at each guest before planning: one whose free memory fell under its reserve, or whose use grew by most of an
 * inflation made in the last {@link WATCH_TICKS} ticks (it is refilling what was taken), pushed back: it gets
 * `pushBack` (deflate by what was taken, or what it needs to reach its reserve, whichever is more) and a cool-down of
 * {@link COOL_DOWN_TICKS} ticks, doubling on each repeat up to {@link MAX_COOL_DOWN_TICKS}. A guest cooling down gets
 * `coolDown` (no inflation; not a donor). Until it has been calm for {@link MAX_COOL_DOWN_TICKS} ticks, a guest that
 * pushed back after an inflation carries the most it used since (`peakUsedMb`): the ledger counts it as having only
 * the free memory it would have at that use, as it showed it needs it. A dip under the reserve of less than
 * {@link DIP_MB} is jitter, not a push-back (the policies' relief still gives the guest its reserve back). Returns
 * the snapshot's VMs with those fields, the names that pushed back, and the rises in use of guests that ran out (for
 * the host's caution, src/autopilot/host-caution.ts).
 * @internal
 */
export function watchGuests(w: GuestWatch, vms: readonly SnapshotVm[], tick: number, now: number, rules: MemoryRules, firstLook = false): { vms: SnapshotVm[]; pushedBack: string[]; rises: Rise[] } {
  const reserve = reserveOf(rules);
  const pushedBack: string[] = [];
  const rises: Rise[] = [];
  const out = vms.map((v): SnapshotVm => {
    if (v.state !== undefined && v.state !== 'running') return v;
    // A VM that appears after the first look was started while the autopilot watched.
    const r = recordOf(w, v.uuid, firstLook ? null : tick);
    if (r.stoppedTick !== null) {
      // Started again: what it used in its earlier runs is remembered; the rest starts afresh.
      Object.assign(r, { stoppedTick: null, startedTick: tick, inflations: [], usedLog: [], riseBaseMb: null });
    }
    if (v.guestFreeMb !== null) r.lastStatsAt = now;
    r.inflations = r.inflations.filter((x) => tick - x.tick <= WATCH_TICKS);
    const used = usedOf(v);
    let push: SnapshotVm['pushBack'];
    let afterInflation = false; // it showed it needs the memory: remember the most it uses
    // It ran out while ballooned (not only took back an inflation): the host learns from how far its use rose.
    const short = v.guestFreeMb !== null && v.guestFreeMb < RAN_OUT_MB && v.balloonMb > 0;
    const floor = guestReserveMb(v, reserve);
    const cooling = tick < r.coolUntil;
    // While it cools down, the policies' relief gives it what it needs; it does not push back again.
    if (!cooling && v.guestFreeMb !== null && v.guestFreeMb < floor - DIP_MB && v.balloonMb > 0 && r.inflations.length === 0) {
      // Short of its reserve while its balloon holds memory: the balloon is in its way, whenever it grew.
      push = { deflateMb: floor - v.guestFreeMb, reason: `the guest pushed back: its free memory fell to ${v.guestFreeMb} MB, under its reserve ${floor} MB, while its balloon holds ${v.balloonMb} MB` };
      // Under half its reserve, it was short indeed: remember what it used, as after an inflation taken back.
      afterInflation = v.guestFreeMb < floor / 2;
    }
    if (used !== null && v.guestFreeMb !== null && r.inflations.length > 0) {
      const taken = r.inflations.reduce((s, x) => s + x.mb, 0);
      const first = r.inflations[0] as Inflation;
      const grew = used - first.usedMb;
      // Noise (page-cache jitter) is not a push-back: a refill must be at least 64 MB.
      const under = v.guestFreeMb < floor - DIP_MB;
      if (under || grew >= Math.max(64, REFILL_SHARE * taken)) {
        const what = under ? `its free memory fell to ${v.guestFreeMb} MB, under its reserve ${floor} MB,` : `its use grew by ${grew} MB,`;
        afterInflation = true;
        push = { deflateMb: Math.max(taken, floor - v.guestFreeMb), reason: `the guest pushed back: ${what} within ${tick - first.tick} tick(s) of its balloon growing by ${taken} MB` };
      }
    }
    // A guest that took back an inflation is remembered at the most it used, until calm for the longest cool-down.
    if (afterInflation) r.lastRefillTick = tick;
    const remembering = r.lastRefillTick !== null && tick - r.lastRefillTick <= MAX_COOL_DOWN_TICKS;
    if (!remembering) r.peakUsedMb = 0;
    if (used !== null && remembering) r.peakUsedMb = Math.max(r.peakUsedMb, used);
    // How far its use rose in a push-back, from the least it used in the ticks before: what the host learns from it.
    if (short && remembering && r.riseBaseMb === null) r.riseBaseMb = r.usedLog.length > 0 ? Math.min(...r.usedLog) : used;
    if (!remembering) {
      r.riseBaseMb = null;
      r.riseMb = 0;
    }
    if (remembering && r.riseBaseMb !== null && used !== null) {
      // While it deflates with no free memory, what it uses shows more of what it needed: the rise grows.
      r.riseMb = Math.max(r.riseMb, used - r.riseBaseMb);
      if (r.riseMb > 0) rises.push({ vm: v.name, riseMb: r.riseMb, memoryMb: v.memoryMb, short });
    }
    if (used !== null) {
      r.runPeakMb = Math.max(r.runPeakMb, used);
      r.usedLog.push(used);
      if (r.usedLog.length > USED_LOG_TICKS) r.usedLog.shift();
    }
    // A VM started again counts as needing the most it used in its earlier runs.
    const peak = Math.max(r.peakUsedMb, r.earlierPeakMb);
    const remembered = (x: SnapshotVm): SnapshotVm => (peak === 0 ? x : { ...x, peakUsedMb: peak });
    if (push !== undefined) {
      // Calm for a whole longest cool-down: start again at the first length.
      const calm = r.lastPushTick === null || tick - r.lastPushTick > MAX_COOL_DOWN_TICKS;
      r.coolTicks = calm ? COOL_DOWN_TICKS : Math.min(MAX_COOL_DOWN_TICKS, Math.max(COOL_DOWN_TICKS, r.coolTicks * 2));
      r.coolUntil = tick + r.coolTicks;
      r.lastPushTick = tick;
      r.inflations = [];
      pushedBack.push(v.name);
      r.why = `it pushed back at tick ${tick}; cooling down for ${r.coolTicks} ticks (doubling on each repeat, at most ${MAX_COOL_DOWN_TICKS})`;
      return { ...remembered(v), pushBack: { ...push, reason: `${push.reason}; cooling down for ${r.coolTicks} ticks` }, coolDown: r.why };
    }
    if (tick < r.coolUntil && r.why !== null) return { ...remembered(v), coolDown: `${r.why}, ${r.coolUntil - tick} left` };
    // Just started, and never seen run before: what it uses is still settling (boot, caches, the job it was started
    // for), so make room and reclaim take nothing from it; the autopilot's own steps are small and watched.
    if (r.startedTick !== null && r.earlierPeakMb === 0 && tick - r.startedTick < SETTLE_TICKS) {
      return { ...remembered(v), settling: `it started ${tick - r.startedTick} tick(s) ago: a VM that just started gives nothing to make room or reclaim for its first ${SETTLE_TICKS} ticks, while what it uses settles (the autopilot inflates it only step by step, watching it)` };
    }
    r.why = null;
    return remembered(v);
  });
  return { vms: out, pushedBack, rises };
}

/** After the plan was applied: remember the inflations made, to watch the guests that took them. @internal */
export function rememberInflations(w: GuestWatch, vms: readonly SnapshotVm[], applied: readonly PlanEntry[], tick: number): void {
  const byName = new Map(vms.map((v) => [v.name, v]));
  for (const e of applied) {
    if (e.deltaMb <= 0) continue;
    const v = byName.get(e.vm);
    const used = v === undefined ? null : usedOf(v);
    if (v === undefined || used === null) continue;
    recordOf(w, v.uuid).inflations.push({ tick, mb: e.deltaMb, usedMb: used });
  }
}

/** Forget the guests that are gone. @internal */
export function forgetGone(w: GuestWatch, running: ReadonlySet<string>, tick: number): void {
  for (const [uuid, r] of [...w.entries()]) {
    if (running.has(uuid)) continue;
    if (r.stoppedTick === null) {
      // It stopped: the most it used in this run is kept for its next runs, for as long as the longest cool-down.
      Object.assign(r, { stoppedTick: tick, earlierPeakMb: Math.max(r.earlierPeakMb, r.runPeakMb), runPeakMb: 0 });
    } else if (tick - r.stoppedTick > MAX_COOL_DOWN_TICKS) w.delete(uuid);
  }
}

/** The guests cooling down now (by UUID, why), for make room and reclaim on the same controller. @internal */
export function coolingDown(w: GuestWatch, tick: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uuid, r] of w) if (r.stoppedTick === null && r.why !== null && tick < r.coolUntil) out.set(uuid, r.why);
  return out;
}

/**
 * A guest whose statistics stopped arriving (for {@link STALE_STATS_MS} or more) with a balloon above its default is
 * not left ballooned blind: its entry becomes a deflation to the default (`defaults`, by UUID), with why. @internal
 */
export function deflateBlind(w: GuestWatch, plan: BalloonPlan, vms: readonly SnapshotVm[], now: number, defaults: ReadonlyMap<string, number>): BalloonPlan {
  const entries = plan.entries.map((e, i): PlanEntry => {
    const v = vms[i];
    if (v === undefined || v.guestFreeMb !== null || e.deltaMb !== 0) return e;
    const seen = w.get(v.uuid)?.lastStatsAt ?? null;
    const asked = v.lastAskedMb ?? v.balloonMb;
    const def = defaults.get(v.uuid) ?? 0;
    if (seen === null || now - seen < STALE_STATS_MS || asked <= def) return e;
    const s = Math.round((now - seen) / 1000);
    return { vm: e.vm, fromMb: asked, toMb: def, deltaMb: def - asked, reason: `its statistics stopped arriving ${s} s ago (after ${STALE_STATS_MS / 1000} s the autopilot stops trusting its balloon): deflating to its default ${def} MB rather than keep it ballooned blind` };
  });
  return entries.some((e, i) => e !== plan.entries[i]) ? { ...plan, entries } : plan;
}
