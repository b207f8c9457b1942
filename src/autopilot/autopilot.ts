import { err, ok, type Result } from 'neverthrow';
import { largePagesEnabled, outcomeOf, type BalloonError, type InvalidArgumentError } from '../errors/index.js';
import { argv as commands } from '../port/argv.js';
import type { VBoxManageClient } from '../port/client.js';
import { sleep } from '../util/sleep.js';
import type { BalloonEvent } from '../controller/types.js';
import { checkAutopilotOptions } from './autopilot-options.js';
import { planBalloons } from './plan-balloons.js';
import type { AutopilotClock, AutopilotHandle, AutopilotOptions, BalloonPlan, BalloonSnapshot, PlanEntry, SnapshotHost, SnapshotVm, TickEvent, TickFailure } from './types.js';

// Read through a function: the loop condition would otherwise narrow `aborted` to false for the checker.
const stopped = (signal: AbortSignal): boolean => signal.aborted;

const realClock: AutopilotClock = { now: () => Date.now(), sleep };

interface KnownVm {
  readonly name: string;
  readonly uuid: string;
  readonly memoryMb: number;
  askedMb: number; // the live balloon last asked for: showvminfo's runtime value, then each change made
  seenMb: number | null; // the achieved balloon at the last tick
}

/** What the loop remembers between ticks, so that a steady tick costs `list runningvms` + one metrics query. */
interface LoopState {
  readonly known: Map<string, KnownVm>;
  readonly skipped: Set<string>;
  host: SnapshotHost | null;
  hostTick: number;
  runningKey: string;
  readonly peer: AutopilotPeer | undefined;
}

type Emit = (event: BalloonEvent) => void;

const heldOf = (peer: AutopilotPeer | undefined, uuid: string): { heldMb?: number } => {
  const held = peer?.holds.get(uuid);
  return held === undefined ? {} : { heldMb: held };
};

/**
 * What the controller that runs the autopilot shares with it: memory promised to VMs being started with room (taken
 * off the budget) and the live balloons it set itself since the last tick (so that the autopilot knows them). @internal
 */
export interface AutopilotPeer {
  readonly reservations: ReadonlyMap<string, number>;
  /** Balloons inflated to make that room (by UUID, the size asked for): left alone while the VM starts. */
  readonly holds: ReadonlyMap<string, number>;
  readonly asked: Map<string, number>;
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Run the autopilot over a client: every `intervalMs`, look at the running VMs, plan with the policy, and change
 * only the balloons the plan moves, by UUID. Ticks never overlap; a failure on one VM or of a whole tick is reported
 * in that tick's event and the loop goes on; a listener that throws is reported as a warning. `done` never rejects. @internal
 */
export function startAutopilot(client: VBoxManageClient, input: AutopilotOptions, emit: Emit = () => undefined, peer?: AutopilotPeer): Result<AutopilotHandle, InvalidArgumentError> {
  const checked = checkAutopilotOptions(input);
  if (checked.isErr()) return err(checked.error);
  const options = checked.value;
  const intervalMs = options.intervalMs ?? 10_000;
  const stopper = new AbortController();
  const signal = options.signal === undefined ? stopper.signal : AbortSignal.any([stopper.signal, options.signal]);
  const clock = options.clock ?? realClock;
  const state: LoopState = { known: new Map(), skipped: new Set(), host: null, hostTick: 0, runningKey: '', peer };
  peer?.asked.clear();
  const done = (async (): Promise<number> => {
    let tick = 0;
    while (!signal.aborted && (options.maxTicks === undefined || tick < options.maxTicks)) {
      tick++;
      let event: TickEvent;
      try {
        event = await runTick(client, options, state, tick, clock.now(), signal, emit);
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
      if (stopped(signal) || tick === options.maxTicks) break;
      try {
        if (!(await clock.sleep(intervalMs, signal))) break;
      } catch (e) {
        emit({ type: 'warning', vm: null, message: `the autopilot's clock failed (${describe(e)}); the autopilot stops` });
        break;
      }
    }
    return tick;
  })();
  return ok({
    stop: () => {
      stopper.abort();
    },
    done,
  });
}

async function runTick(client: VBoxManageClient, options: AutopilotOptions, state: LoopState, tick: number, time: number, signal: AbortSignal, emit: Emit): Promise<TickEvent> {
  const errors: TickFailure[] = [];
  const failed = (error: BalloonError): TickEvent => ({ tick, time, snapshot: null, plan: null, applied: [], maybeApplied: [], errors: [...errors, { vm: null, error }] });
  const call = { signal, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };
  const command = (argv: readonly string[]): void => {
    emit({ type: 'command', argv });
  };

  command(commands.listRunningVms());
  const running = await client.listRunningVms(call);
  if (running.isErr()) return failed(running.error);
  const ids = new Set(running.value.map((v) => v.uuid));
  const key = [...ids].sort().join(',');
  for (const uuid of [...state.known.keys()]) if (!ids.has(uuid)) state.known.delete(uuid);
  for (const uuid of [...state.skipped]) if (!ids.has(uuid)) state.skipped.delete(uuid);

  // showvminfo only for VMs that started since the last tick.
  const fresh = running.value.filter((v) => !state.known.has(v.uuid) && !state.skipped.has(v.uuid));
  for (const v of fresh) command(commands.showVmInfo(v.uuid));
  const infos = await Promise.all(fresh.map((v) => client.showVmInfo(v.uuid, call)));
  for (const [i, info] of infos.entries()) {
    const vm = fresh[i];
    if (vm === undefined) continue;
    if (info.isErr()) {
      if (info.error.code !== 'VM_NOT_FOUND') errors.push({ vm: vm.name, error: info.error });
      continue;
    }
    if (info.value.largePages === true) {
      state.skipped.add(vm.uuid); // reported once, when first seen
      errors.push({ vm: vm.name, error: largePagesEnabled(vm.name) });
      continue;
    }
    state.known.set(vm.uuid, { name: info.value.name, uuid: vm.uuid, memoryMb: info.value.memoryMb, askedMb: info.value.balloonMb, seenMb: null });
  }
  const vms = running.value.map((v) => state.known.get(v.uuid)).filter((v): v is KnownVm => v !== undefined);
  // Balloons the controller set itself since the last tick (setBalloon, reclaim, startWithRoom) are asked for too.
  if (state.peer !== undefined) {
    for (const [uuid, mb] of state.peer.asked) {
      const known = state.known.get(uuid);
      if (known !== undefined) known.askedMb = mb;
    }
    state.peer.asked.clear();
  }

  if (state.host === null || state.runningKey !== key) {
    command(commands.hostInfo());
    const host = await client.hostMemory(call);
    if (host.isErr()) return failed(host.error);
    state.host = { totalMb: host.value.totalMb, freeMb: host.value.freeMb };
    state.hostTick = tick;
    state.runningKey = key;
  }
  if (vms.length > 0) command(commands.metricsQuery());
  const memory = vms.length === 0 ? ok([]) : await client.guestMemory(vms.map((v) => v.uuid), call);
  if (memory.isErr()) return failed(memory.error);
  const byUuid = new Map(memory.value.map((m) => [m.vm, m]));
  const snapshotVms = vms.map((v): SnapshotVm => {
    // Limits are given by name or UUID; the UUID wins when both are.
    const limits = options.limits?.[v.uuid] ?? options.limits?.[v.name];
    const guest = byUuid.get(v.uuid);
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
      guestTotalMb: guest?.totalMb ?? null,
      lastAskedMb: v.askedMb,
      ...heldOf(state.peer, v.uuid),
      ...(limits === undefined ? {} : { limits }),
    };
  });
  // A VM being started with room is not running yet: what it needs is kept off the budget until it counts itself.
  const reservedMb = [...(state.peer?.reservations.entries() ?? [])].filter(([uuid]) => !ids.has(uuid)).reduce((sum, [, mb]) => sum + mb, 0);
  if (reservedMb > 0) state.host = { ...state.host, reservedMb };
  else if (state.host.reservedMb !== undefined) state.host = { totalMb: state.host.totalMb, freeMb: state.host.freeMb };
  let snapshot: BalloonSnapshot = { host: state.host, vms: snapshotVms };
  let plan: BalloonPlan = planBalloons(snapshot, options.policy);
  // VBoxBalloonCtrl's safety margin needs the host's free memory now, but only when something deflates.
  if (options.policy.kind === 'balloonctrl' && state.hostTick !== tick && plan.entries.some((e) => e.deltaMb < 0)) {
    command(commands.hostInfo());
    const host = await client.hostMemory(call);
    if (host.isErr()) return failed(host.error);
    state.host = { totalMb: host.value.totalMb, freeMb: host.value.freeMb, ...(reservedMb > 0 ? { reservedMb } : {}) };
    state.hostTick = tick;
    snapshot = { host: state.host, vms: snapshotVms };
    plan = planBalloons(snapshot, options.policy);
  }
  // Entries follow the snapshot's order, so each one's VM is at the same index.
  const moves = plan.entries.flatMap((e, i) => (e.deltaMb !== 0 && snapshotVms[i] !== undefined ? [{ e, vm: snapshotVms[i] }] : []));
  const applied: PlanEntry[] = [];
  const maybeApplied: PlanEntry[] = [];
  if (options.dryRun !== true) {
    for (const { e, vm } of moves) command(commands.setLiveBalloon(vm.uuid, e.toMb));
    const results = await Promise.all(moves.map(({ e, vm }) => client.setLiveBalloon(vm.uuid, e.toMb, call)));
    for (const [i, r] of results.entries()) {
      const move = moves[i];
      if (move === undefined) continue;
      const { e, vm } = move;
      const known = state.known.get(vm.uuid);
      // What was asked for; after a failure a deflation may still have been made, so it counts as asked.
      if (known !== undefined && (r.isOk() || e.deltaMb < 0)) known.askedMb = r.isOk() ? e.toMb : Math.min(known.askedMb, e.toMb);
      const change = { vm: vm.name, uuid: vm.uuid, kind: 'live' as const, fromMb: e.fromMb, toMb: e.toMb, commands: [commands.setLiveBalloon(vm.uuid, e.toMb)], dryRun: false };
      if (r.isOk()) {
        applied.push(e);
        emit({ type: 'change', change });
        continue;
      }
      const err = r.error;
      if (outcomeOf(err) === 'unknown') maybeApplied.push(e);
      errors.push({ vm: e.vm, error: err });
    }
  }
  return { tick, time, snapshot, plan, applied, maybeApplied, errors };
}
