import { err, ok, type Result } from 'neverthrow';
import { largePagesEnabled, outcomeOf, type BalloonError, type InvalidArgumentError } from '../errors/index.js';
import type { BalloonPlan, BalloonSnapshot, PlanEntry, SnapshotHost, SnapshotVm } from '../domain/balloon-plan.js';
import type { TickEvent, TickFailure } from '../events/tick-event.js';
import { sleep } from '../util/sleep.js';
import type { AutopilotHost, HeldForStarts } from './autopilot-host.js';
import { checkAutopilotOptions } from './autopilot-options.js';
import { otherHoldingVms, otherVmsState, type OtherVmsState } from './other-vms.js';
import { coolingDown, deflateBlind, forgetGone, rememberInflations, watchGuests, type GuestWatch } from './guest-watch.js';
import { learnCaution, withCaution, type HostCaution } from './host-caution.js';
import { planBalloons, policyRules } from './plan-balloons.js';
import type { AutopilotClock, AutopilotHandle, AutopilotOptions } from './types.js';
import type { GuestGuard } from '../domain/memory-ledger.js';

// Read through a function: the loop condition would otherwise narrow `aborted` to false for the checker.
const stopped = (signal: AbortSignal): boolean => signal.aborted;

const realClock: AutopilotClock = { now: () => Date.now(), sleep };

interface KnownVm {
  readonly name: string;
  readonly uuid: string;
  readonly memoryMb: number;
  readonly largePages: boolean; // the VM cannot balloon (the host-memory model counts all of its RAM)
  readonly shownMb: number; // the live balloon showvminfo printed when the VM was first seen
  askedMb: number; // the live balloon last asked for: showvminfo's runtime value, then each change made
  seenMb: number | null; // the achieved balloon at the last tick
}

/** What the loop remembers between ticks, so that a steady tick costs `list runningvms` + one metrics query. */
interface LoopState {
  readonly known: Map<string, KnownVm>;
  host: SnapshotHost | null;
  hostTick: number;
  runningKey: string;
  /** Where the host's record of live balloons was read last. */
  askedMark: number;
  /** VMs outside the running list that may hold memory (the host-memory model counts them). */
  readonly others: OtherVmsState;
  /** Each guest's push-backs, cool-down and last statistics (src/autopilot/guest-watch.ts). */
  readonly watch: GuestWatch;
  /** What the host learned from a guest that ran out (src/autopilot/host-caution.ts). */
  caution: HostCaution | null;
  /** Whether a tick has looked at the guests yet: VMs that appear later were started while the autopilot watched. */
  looked: boolean;
}

const heldOf = (held: HeldForStarts, uuid: string): { heldMb?: number } => {
  const mb = held.holds.get(uuid);
  return mb === undefined ? {} : { heldMb: mb };
};

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Run the autopilot on a host (the controller's core): every `intervalMs`, look at the running VMs, plan with the policy, and change
 * only the balloons the plan moves, by UUID. Ticks never overlap; a failure on one VM or of a whole tick is reported
 * in that tick's event and the loop goes on; a listener that throws is reported as a warning. `done` never rejects. @internal
 */
export function startAutopilot(host: AutopilotHost, input: AutopilotOptions): Result<AutopilotHandle, InvalidArgumentError> {
  const checked = checkAutopilotOptions(input);
  if (checked.isErr()) return err(checked.error);
  const options = checked.value;
  const intervalMs = options.intervalMs ?? 10_000;
  const stopper = new AbortController();
  const signal = options.signal === undefined ? stopper.signal : AbortSignal.any([stopper.signal, options.signal]);
  const clock = options.clock ?? realClock;
  const maxBackoffMs = Math.max(intervalMs, options.maxBackoffMs ?? 300_000);
  // Balloons set before the autopilot started are read afresh with each VM (showvminfo): only later ones count.
  const state: LoopState = { known: new Map(), host: null, hostTick: 0, runningKey: '', askedMark: host.liveBalloonMark(), others: otherVmsState(), watch: new Map(), caution: null, looked: false };
  const emit = (event: Parameters<AutopilotHost['emit']>[0]): void => {
    host.emit(event);
  };
  const done = (async (): Promise<number> => {
    let tick = 0;
    let failedInARow = 0;
    while (!signal.aborted && (options.maxTicks === undefined || tick < options.maxTicks)) {
      tick++;
      let event: TickEvent;
      try {
        event = await runTick(host, options, state, tick, clock.now(), signal);
      } catch (e) {
        // A bug (ours, or a client's that throws): reported, and the loop goes on.
        emit({ type: 'warning', vm: null, message: `autopilot tick ${tick} failed unexpectedly: ${describe(e)}` });
        event = { tick, time: Date.now(), snapshot: null, plan: null, applied: [], maybeApplied: [], errors: [] };
      }
      emit({ type: 'tick', tick: event });
      try {
        options.onTick?.(event);
      } catch (e) {
        emit({ type: 'warning', vm: null, message: `onTick threw on tick ${tick}: ${describe(e)}; the autopilot goes on` });
      }
      host.setGuestGuards?.(guestGuards(state, options, tick, event));
      if (stopped(signal) || tick === options.maxTicks) break;
      // A tick that read nothing (VBoxManage failing for every call) waits twice as long as the last, up to the cap.
      failedInARow = event.snapshot === null ? failedInARow + 1 : 0;
      try {
        if (!(await clock.sleep(Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(failedInARow, 30)), signal))) break;
      } catch (e) {
        emit({ type: 'warning', vm: null, message: `the autopilot's clock failed (${describe(e)}); the autopilot stops` });
        break;
      }
    }
    // Its cool-downs end with the loop: nothing watches those guests any more.
    host.setGuestGuards?.(new Map());
    return tick;
  })();
  return ok({
    stop: () => {
      stopper.abort();
    },
    done,
  });
}

// Each known guest's own reserve (its limits), cool-down, remembered peak and the host's caution, for make room and
// reclaim on the same host: what this tick's snapshot said of it.
function guestGuards(state: LoopState, options: AutopilotOptions, tick: number, event: TickEvent): Map<string, GuestGuard> {
  const cooling = coolingDown(state.watch, tick);
  const seen = new Map((event.snapshot?.vms ?? []).map((v) => [v.uuid, v]));
  const out = new Map<string, GuestGuard>();
  for (const v of state.known.values()) {
    const l = options.limits?.[v.uuid] ?? options.limits?.[v.name];
    const s = seen.get(v.uuid);
    // Cooling down after a push-back, or just started (the snapshot says why).
    const why = cooling.get(v.uuid) ?? s?.settling;
    const guard: GuestGuard = {
      ...(why === undefined ? {} : { coolDown: why }),
      ...(l?.keepFreeMb === undefined ? {} : { keepFreeMb: l.keepFreeMb }),
      ...(l?.keepFreePercent === undefined ? {} : { keepFreePercent: l.keepFreePercent }),
      ...(s?.peakUsedMb === undefined ? {} : { peakUsedMb: s.peakUsedMb }),
      ...(s?.cautionMb === undefined ? {} : { cautionMb: s.cautionMb, ...(s.cautionWhy === undefined ? {} : { cautionWhy: s.cautionWhy }) }),
    };
    if (Object.keys(guard).length > 0) out.set(v.uuid, guard);
  }
  return out;
}

async function runTick(host: AutopilotHost, options: AutopilotOptions, state: LoopState, tick: number, time: number, signal: AbortSignal): Promise<TickEvent> {
  const errors: TickFailure[] = [];
  const failed = (error: BalloonError): TickEvent => ({ tick, time, snapshot: null, plan: null, applied: [], maybeApplied: [], errors: [...errors, { vm: null, error }] });
  const call = { signal, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };

  const running = await host.runningVms(call);
  if (running.isErr()) return failed(running.error);
  const ids = new Set(running.value.map((v) => v.uuid));
  const key = [...ids].sort().join(',');
  for (const uuid of [...state.known.keys()]) if (!ids.has(uuid)) state.known.delete(uuid);
  forgetGone(state.watch, ids, tick);

  // showvminfo only for VMs that started since the last tick.
  const fresh = running.value.filter((v) => !state.known.has(v.uuid));
  const infos = await Promise.all(fresh.map((v) => host.show(v.uuid, call)));
  for (const [i, info] of infos.entries()) {
    const vm = fresh[i];
    if (vm === undefined) continue;
    if (info.isErr()) {
      if (info.error.code !== 'VM_NOT_FOUND') errors.push({ vm: vm.name, error: info.error });
      continue;
    }
    // Large pages: a lasting configuration, not a failure: a warning once, when first seen (never a tick error, which
    // alerts count); the VM stays in the snapshot, where it counts with all of its RAM.
    if (info.value.largePages === true) {
      const lp = largePagesEnabled(vm.name);
      host.emit({ type: 'warning', vm: vm.name, message: `${lp.message} It is left alone.`, ...(lp.fix === undefined ? {} : { fix: lp.fix }) });
    }
    const shownMb = info.value.balloonMb;
    // An earlier run's view goes on only while the balloon is still what it asked for (no restart, nobody else).
    const earlier = options.resume?.[vm.uuid];
    const seenMb = earlier !== undefined && earlier.askedMb === shownMb ? (earlier.seenMb ?? null) : null;
    state.known.set(vm.uuid, { name: info.value.name, uuid: vm.uuid, memoryMb: info.value.memoryMb, largePages: info.value.largePages === true, shownMb, askedMb: shownMb, seenMb });
  }
  const vms = running.value.map((v) => state.known.get(v.uuid)).filter((v): v is KnownVm => v !== undefined);
  // Balloons set through the host since the last tick (setBalloon, reclaim, startWithRoom, this loop) are asked for.
  const asked = host.liveBalloonsSince(state.askedMark);
  state.askedMark = asked.mark;
  for (const [uuid, mb] of asked.balloons) {
    const known = state.known.get(uuid);
    if (known !== undefined) known.askedMb = mb;
  }

  if (state.host === null || state.runningKey !== key) {
    const read = await host.hostMemory(call);
    if (read.isErr()) return failed(read.error);
    state.host = { totalMb: read.value.totalMb, freeMb: read.value.freeMb };
    state.hostTick = tick;
    state.runningKey = key;
  }
  const memory = await host.guestMemory(vms, call);
  if (memory.isErr()) return failed(memory.error);
  const held = host.heldForStarts();
  const snapshotVms: SnapshotVm[] = vms.map((v): SnapshotVm => {
    // Limits are given by name or UUID; the UUID wins when both are.
    const limits = options.limits?.[v.uuid] ?? options.limits?.[v.name];
    const guest = memory.value.get(v.uuid);
    const seen = guest?.balloonMb ?? null;
    // A deflation that made no progress for a whole tick is not in flight (someone else set the balloon, or the VM
    // restarted between two ticks): forget it, or the budget policy would wait for it forever.
    if (seen !== null && v.askedMb < seen && v.seenMb !== null && seen >= v.seenMb) v.askedMb = seen;
    if (seen !== null) v.seenMb = seen;
    return {
      name: v.name,
      uuid: v.uuid,
      memoryMb: v.memoryMb,
      balloonMb: guest?.balloonMb ?? 0,
      requestedMb: limits?.enabled === false ? 0 : (limits?.maxBalloonMb ?? 0),
      guestFreeMb: guest?.freeMb ?? null,
      guestFreeMinMb: guest?.freeMinMb ?? null,
      guestTotalMb: guest?.totalMb ?? null,
      lastAskedMb: v.askedMb,
      ...(v.largePages ? { largePages: true } : {}),
      ...heldOf(held, v.uuid),
      ...(limits === undefined ? {} : { limits }),
    };
  });
  // Guests that pushed back after their balloon grew are deflated now and cooled down.
  const watched = watchGuests(state.watch, snapshotVms, tick, time, policyRules(options.policy), !state.looked);
  state.looked = true;
  // A guest that ran out after its use rose: every guest keeps room for such a rise for a while.
  state.caution = learnCaution(state.caution, watched.rises, tick);
  snapshotVms.splice(0, snapshotVms.length, ...withCaution(state.caution, watched.vms, tick));
  // Starting, stuck, saving… VMs hold memory too: they count with all of their RAM and are left alone.
  snapshotVms.push(...(await otherHoldingVms(host, call, state.others, ids, errors)));
  // A VM being started with room is not in the snapshot yet: what it needs is kept off the budget until it counts itself.
  const inSnapshot = new Set(snapshotVms.map((v) => v.uuid));
  const reservedMb = [...held.reservations.entries()].filter(([uuid]) => !inSnapshot.has(uuid)).reduce((sum, [, mb]) => sum + mb, 0);
  if (reservedMb > 0) state.host = { ...state.host, reservedMb };
  else if (state.host.reservedMb !== undefined) state.host = { totalMb: state.host.totalMb, freeMb: state.host.freeMb };
  let snapshot: BalloonSnapshot = { host: state.host, vms: snapshotVms };
  let plan: BalloonPlan = planBalloons(snapshot, options.policy);
  // VBoxBalloonCtrl's safety margin needs the host's free memory now, but only when something deflates.
  if (options.policy.kind === 'balloonctrl' && state.hostTick !== tick && plan.entries.some((e) => e.deltaMb < 0)) {
    const read = await host.hostMemory(call);
    if (read.isErr()) return failed(read.error);
    state.host = { totalMb: read.value.totalMb, freeMb: read.value.freeMb, ...(reservedMb > 0 ? { reservedMb } : {}) };
    state.hostTick = tick;
    snapshot = { host: state.host, vms: snapshotVms };
    plan = planBalloons(snapshot, options.policy);
  }
  // A guest whose statistics stopped arriving goes back to its default balloon (the one it had when first seen).
  plan = deflateBlind(state.watch, plan, snapshot.vms, time, new Map(vms.map((v) => [v.uuid, v.shownMb])));
  const { applied, maybeApplied } = options.dryRun === true ? { applied: [], maybeApplied: [] } : await applyPlan(host, plan, vms, errors, call);
  rememberInflations(state.watch, snapshot.vms, applied, tick);
  const cooling = coolingDown(state.watch, tick);
  const safety = { pushedBack: watched.pushedBack, coolingDown: snapshot.vms.filter((v) => cooling.has(v.uuid)).map((v) => v.name) };
  return { tick, time, snapshot, plan, applied, maybeApplied, errors, ...safety };
}

/** Make the plan's changes, all at once (one per VM), through the host's gateway; failures go to `errors`. */
async function applyPlan(host: AutopilotHost, plan: BalloonPlan, vms: readonly KnownVm[], errors: TickFailure[], call: { readonly signal: AbortSignal; readonly timeoutMs?: number }): Promise<{ applied: PlanEntry[]; maybeApplied: PlanEntry[] }> {
  // Entries follow the snapshot's order, so each one's VM is at the same index.
  const moves = plan.entries.flatMap((e, i) => (e.deltaMb !== 0 && vms[i] !== undefined ? [{ e, vm: vms[i] }] : []));
  const results = await Promise.all(moves.map(({ e, vm }) => host.setLive({ vm: { name: vm.name, uuid: vm.uuid, memoryMb: vm.memoryMb, balloonMb: vm.shownMb }, fromMb: e.fromMb, toMb: e.toMb }, call)));
  const applied: PlanEntry[] = [];
  const maybeApplied: PlanEntry[] = [];
  for (const [i, r] of results.entries()) {
    const move = moves[i];
    if (move === undefined) continue;
    const { e, vm } = move;
    // What was asked for; after a failure a deflation may still have been made, so it counts as asked.
    if (r.isOk()) {
      vm.askedMb = e.toMb;
      applied.push(e);
      continue;
    }
    if (e.deltaMb < 0) vm.askedMb = Math.min(vm.askedMb, e.toMb);
    if (outcomeOf(r.error) === 'unknown') maybeApplied.push(e);
    errors.push({ vm: e.vm, error: r.error });
  }
  return { applied, maybeApplied };
}
