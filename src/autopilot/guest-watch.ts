// What the autopilot remembers about each guest between ticks to keep it out of trouble: whether it pushed back
// after its balloon grew (then it is deflated at once and cooled down, the cool-down doubling on each repeat), and
// whether its statistics stopped arriving (then its balloon goes back to its default). Pure: the loop holds the state.
import { guestReserveMb, reserveOf, type MemoryRules } from '../host-memory/index.js';
import type { BalloonPlan, PlanEntry, SnapshotVm } from '../domain/balloon-plan.js';

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
}

/** Every guest's record, by UUID. @internal */
export type GuestWatch = Map<string, GuestRecord>;

const recordOf = (w: GuestWatch, uuid: string): GuestRecord => {
  let r = w.get(uuid);
  if (r === undefined) {
    r = { inflations: [], coolUntil: 0, coolTicks: 0, lastPushTick: null, why: null, lastStatsAt: null, peakUsedMb: 0, lastRefillTick: null };
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
 * pushed back after an inflation counts as having only the free memory it would have at the most it used since
 * (`guestFreeMinMb`): it showed it needs that memory. Returns the snapshot's VMs with those fields, and the names that pushed back.
 * @internal
 */
export function watchGuests(w: GuestWatch, vms: readonly SnapshotVm[], tick: number, now: number, rules: MemoryRules): { vms: SnapshotVm[]; pushedBack: string[] } {
  const reserve = reserveOf(rules);
  const pushedBack: string[] = [];
  const out = vms.map((v): SnapshotVm => {
    if (v.state !== undefined && v.state !== 'running') return v;
    const r = recordOf(w, v.uuid);
    if (v.guestFreeMb !== null) r.lastStatsAt = now;
    r.inflations = r.inflations.filter((x) => tick - x.tick <= WATCH_TICKS);
    const used = usedOf(v);
    let push: SnapshotVm['pushBack'];
    let afterInflation = false; // it showed it needs the memory: remember the most it uses
    const floor = guestReserveMb(v, reserve);
    const cooling = tick < r.coolUntil;
    // While it cools down, the policies' relief gives it what it needs; it does not push back again.
    if (!cooling && v.guestFreeMb !== null && v.guestFreeMb < floor && v.balloonMb > 0 && r.inflations.length === 0) {
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
      if (v.guestFreeMb < floor || grew >= Math.max(64, REFILL_SHARE * taken)) {
        const what = v.guestFreeMb < floor ? `its free memory fell to ${v.guestFreeMb} MB, under its reserve ${floor} MB,` : `its use grew by ${grew} MB,`;
        afterInflation = true;
        push = { deflateMb: Math.max(taken, floor - v.guestFreeMb), reason: `the guest pushed back: ${what} within ${tick - first.tick} tick(s) of its balloon growing by ${taken} MB` };
      }
    }
    // A guest that took back an inflation is remembered at the most it used, until calm for the longest cool-down.
    if (afterInflation) r.lastRefillTick = tick;
    const remembering = r.lastRefillTick !== null && tick - r.lastRefillTick <= MAX_COOL_DOWN_TICKS;
    if (!remembering) r.peakUsedMb = 0;
    if (used !== null && remembering) r.peakUsedMb = Math.max(r.peakUsedMb, used);
    const remembered = (x: SnapshotVm): SnapshotVm => {
      if (r.peakUsedMb === 0 || x.guestFreeMb === null) return x;
      const atPeak = Math.max(0, x.memoryMb - x.balloonMb - r.peakUsedMb);
      return atPeak < Math.min(x.guestFreeMb, x.guestFreeMinMb ?? x.guestFreeMb) ? { ...x, guestFreeMinMb: atPeak } : x;
    };
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
    r.why = null;
    return remembered(v);
  });
  return { vms: out, pushedBack };
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
export function forgetGone(w: GuestWatch, running: ReadonlySet<string>): void {
  for (const uuid of [...w.keys()]) if (!running.has(uuid)) w.delete(uuid);
}

/** The guests cooling down now (by UUID, why), for make room and reclaim on the same controller. @internal */
export function coolingDown(w: GuestWatch, tick: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const [uuid, r] of w) if (r.why !== null && tick < r.coolUntil) out.set(uuid, r.why);
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
