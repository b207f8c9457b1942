// The autopilot scenario suite, shared by test/autopilot/scenarios.test.ts and bench/autopilot-scenarios.ts: noisy
// fleets run in virtual time through the real autopilot loop and the in-memory client.
import {
  BalloonController,
  InMemoryVBoxManageClient,
  guestWorkload,
  maxBalloonMb,
  virtualClock,
  type AutopilotPolicy,
  type FleetEvent,
  type TickEvent,
  type VmLimits,
} from '../../src/index.js';

export { SCENARIOS, SETTLE_TICKS, TICK_MS, type Scenario, type ScenarioVm } from './scenario-list.js';
import { SETTLE_TICKS, TICK_MS, type Scenario } from './scenario-list.js';

/** VirtualBox's overhead per VM as startWithRoom estimates it (no video memory in the simulation), in MB. */
const OVERHEAD_MB = 128;
/** Free memory above its use under which a guest counts as under pressure (the simulation's line), in MB. */
const PRESSURE_MB = 64;

/**
 * The oracle for starts: could the host have made room for `vm` running from now until `stopTick` without pushing
 * any guest into pressure? It knows what the simulator knows and the controller cannot: every guest's workload ahead.
 * Each running guest could give what keeps it 64 MB above the most it will use (demand and unreclaimable cache) until
 * then, within VirtualBox's balloon limit; a guest that takes back what its balloon takes gives nothing.
 */
/** A guest's reserve under the default budget policy: 256 MB, or 10 % of its RAM (its own `keepFreePercent`), if more. */
const reserveMb = (v: Scenario['vms'][number]): number => Math.max(v.limits?.keepFreeMb ?? 256, Math.ceil((v.memoryMb * (v.limits?.keepFreePercent ?? 10)) / 100));

function roomWithoutPressure(s: Scenario, sim: InMemoryVBoxManageClient, vm: string, stopTick: number): boolean {
  const start = s.vms.find((v) => v.name === vm);
  if (start === undefined) return false;
  let room = s.budgetMb - (start.memoryMb + OVERHEAD_MB);
  const until = Math.max(sim.time, (stopTick - 1) * TICK_MS);
  for (const v of s.vms) {
    const g = sim.guestState(v.name);
    if (!g.running) continue;
    room -= g.memoryMb - g.balloonMb;
    if (v.model.refill !== undefined) continue;
    const workload = guestWorkload(v.model);
    let most = 0;
    for (let t = sim.time; t <= until; t += 1000) most = Math.max(most, workload(t, t));
    const use = most + (v.model.unreclaimableMb ?? 0);
    const keep = Math.max(PRESSURE_MB, reserveMb(v));
    room += Math.min(maxBalloonMb(g.memoryMb) - g.balloonMb, g.memoryMb - g.balloonMb - use - keep);
  }
  return room >= 0;
}

export type Mode = 'budget' | 'balloonctrl' | 'none';

export interface ScenarioMetrics {
  readonly scenario: string;
  readonly mode: Mode;
  /** % of converged ticks (after the warm-up, not within SETTLE_TICKS of a start) with the backing at or under the budget. */
  readonly withinPct: number;
  /**
   * VM-ticks in which, at any of its one-second samples, a guest had under 64 MB truly free (its unreclaimable cache
   * not counted) or memory swapped out.
   */
  readonly pressureVmTicks: number;
  /** Swapped MB summed over ticks (each tick's mean over its seconds). */
  readonly swappedMbTicks: number;
  /**
   * Starts with room of short-lived VMs: asked, started, refused with NO_ROOM, failed otherwise; and of the refused,
   * how many the oracle says the host could have made room for without pushing a guest into pressure
   * (`refusedPossible`), and of the started, how many it says could not be made room for that way (`startedSqueezing`).
   */
  readonly starts: { readonly asked: number; readonly started: number; readonly noRoom: number; readonly failed: number; readonly refusedPossible: number; readonly startedSqueezing: number } | null;
  /** Mean memory ballooned out of the guests, MB. */
  readonly meanReclaimedMb: number;
  /** Direction changes per VM in the steady phase: the most for one VM and the mean (null: no steady phase). */
  readonly steadyFlipsMax: number | null;
  readonly steadyFlipsMean: number | null;
  /** Changed VMs per tick in the steady phase, per 20 VMs. */
  readonly steadyChangedPer20: number | null;
  readonly controlvmPerTick: number;
  readonly steadyControlvmPerTick: number | null;
  /** First tick (from 1) from which the backing stayed within budget for 10 ticks, or null. */
  readonly firstWithinTick: number | null;
}

export interface ScenarioRun {
  readonly metrics: ScenarioMetrics;
  readonly events: readonly TickEvent[];
  /** Per tick: backing of the running guests (truth, not the metrics), and each VM's achieved balloon. */
  readonly backing: readonly number[];
  readonly balloons: ReadonlyMap<string, readonly number[]>;
  /** Per VM, the ticks (from 0) in which it was under pressure. */
  readonly pressureTicks: ReadonlyMap<string, readonly number[]>;
}

export const DEFAULT_BUDGET_POLICY = (s: Scenario): AutopilotPolicy => ({ kind: 'budget', budgetMb: s.budgetMb });

export async function runScenario(s: Scenario, mode: Mode, policy: AutopilotPolicy = mode === 'budget' ? DEFAULT_BUDGET_POLICY(s) : { kind: 'balloonctrl' }): Promise<ScenarioRun> {
  const sim = new InMemoryVBoxManageClient({
    host: { memoryMb: s.hostMb },
    balloonRateMbPerSec: s.balloonRateMbPerSec ?? 32, // by default at most 320 MB per 10 s tick, in either direction
    vms: s.vms.map((v) => ({ name: v.name, memoryMb: v.memoryMb, state: v.startTick === undefined && v.runs === undefined ? ('running' as const) : ('poweroff' as const), statsDelayMs: 30_000, ...(v.osType === undefined ? {} : { osType: v.osType }) })),
  });
  for (const v of s.vms) sim.setGuestModel(v.name, v.model);
  const schedule: FleetEvent[] = s.vms.flatMap((v) => [
    ...(v.startTick === undefined ? [] : [{ atMs: (v.startTick - 1) * TICK_MS, vm: v.name, action: 'start' as const }]),
    ...(v.stopTick === undefined ? [] : [{ atMs: (v.stopTick - 1) * TICK_MS, vm: v.name, action: 'poweroff' as const }]),
  ]);
  const controller = new BalloonController({ client: sim });
  const virtual = virtualClock(sim, schedule);
  // Short-lived VMs start with room on the autopilot's controller, between ticks (balloons move at once there).
  const starts = { asked: 0, started: 0, noRoom: 0, failed: 0, refusedPossible: 0, startedSqueezing: 0 };
  const due = s.vms.flatMap((v) => (v.runs ?? []).map(([start, stop]) => ({ tick: start, stop, vm: v.name }))).sort((a, b) => a.tick - b.tick || (a.vm < b.vm ? -1 : 1));
  let nextStart = 0;
  const stops = s.vms.flatMap((v) => (v.runs ?? []).map(([, stop]) => ({ tick: stop, vm: v.name }))).sort((a, b) => a.tick - b.tick);
  let nextStop = 0;
  const startDue = async (): Promise<void> => {
    // A run ends: the VM is powered off, if its start succeeded.
    for (let d = stops[nextStop]; d !== undefined && (d.tick - 1) * TICK_MS <= sim.time; d = stops[++nextStop]) {
      if (sim.guestState(d.vm).running) sim.powerOffVm(d.vm);
    }
    for (let d = due[nextStart]; d !== undefined && (d.tick - 1) * TICK_MS <= sim.time; d = due[++nextStart]) {
      starts.asked++;
      const possible = roomWithoutPressure(s, sim, d.vm, d.stop);
      // Without ballooning, a plain start: VirtualBox refuses it when it cannot back the VM.
      const r = mode === 'none' ? await sim.startVm(d.vm) : await controller.startWithRoom(d.vm, { budgetMb: s.budgetMb, pollMs: 10, waitTimeoutMs: 1000 });
      if (r.isOk()) starts.started++;
      else if (r.error.code === 'NO_ROOM' || mode === 'none') starts.noRoom++;
      else starts.failed++;
      if (r.isOk() && !possible) starts.startedSqueezing++;
      if (r.isErr() && possible) starts.refusedPossible++;
    }
  };
  const clock = {
    now: () => virtual.now(),
    sleep: async (ms: number, signal?: AbortSignal): Promise<boolean> => {
      const going = await virtual.sleep(ms, signal);
      await startDue();
      return going;
    },
  };
  await startDue();
  const events: TickEvent[] = [];
  const backing: number[] = [];
  const balloons = new Map<string, number[]>(s.vms.map((v) => [v.name, []]));
  let pressure = 0;
  const pressureTicks = new Map<string, number[]>(s.vms.map((v) => [v.name, []]));
  let swapped = 0;
  let reclaimed = 0;
  // Seconds of pressure and swapped MB·s seen at the last sample, per VM: a tick counts what happened during it.
  const seen = new Map<string, { p: number; s: number }>();
  const sample = (): void => {
    let b = 0;
    for (const v of s.vms) {
      const g = sim.guestState(v.name);
      balloons.get(v.name)?.push(g.running ? g.balloonMb : 0);
      const last = seen.get(v.name) ?? { p: 0, s: 0 };
      seen.set(v.name, { p: g.pressureSeconds, s: g.swappedMbSeconds });
      if (g.pressureSeconds > last.p) {
        pressure++;
        pressureTicks.get(v.name)?.push(backing.length);
      }
      swapped += (g.swappedMbSeconds - last.s) / (TICK_MS / 1000);
      if (!g.running) continue;
      b += g.memoryMb - g.balloonMb;
      reclaimed += g.balloonMb;
    }
    backing.push(b);
  };
  if (mode === 'none') {
    for (let t = 0; t < s.ticks; t++) {
      sample();
      await clock.sleep(TICK_MS);
    }
  } else {
    const limits: Record<string, VmLimits> = Object.fromEntries(
      s.vms.flatMap((v) => (mode === 'balloonctrl' || v.limits !== undefined ? [[v.name, { ...v.limits, ...(mode === 'balloonctrl' ? { maxBalloonMb: maxBalloonMb(v.memoryMb) } : {}) }]] : [])),
    );
    const handle = controller.autopilot({
      policy,
      limits,
      intervalMs: TICK_MS,
      maxTicks: s.ticks,
      clock,
      onTick: (e) => {
        events.push(e);
        sample();
      },
    });
    if (handle.isErr()) throw new Error(handle.error.message);
    await handle.value.done;
  }
  // Converged ticks: after the warm-up, and not in the settling time after a VM starts (its stats arrive, then
  // the others make room for it).
  const startTicks = s.vms.flatMap((v) => [...(v.startTick === undefined ? [] : [v.startTick]), ...(v.runs ?? []).map(([t]) => t)]);
  const settling = new Set(startTicks.flatMap((t) => Array.from({ length: SETTLE_TICKS }, (_, k) => t - 1 + k)));
  const after = backing.filter((_, i) => i >= s.warmupTicks && !settling.has(i));
  const withinPct = (100 * after.filter((b) => b <= s.budgetMb).length) / Math.max(1, after.length);
  let firstWithinTick: number | null = null;
  for (let i = 0; i + 10 <= backing.length; i++) {
    if (backing.slice(i, i + 10).every((b) => b <= s.budgetMb)) {
      firstWithinTick = i + 1;
      break;
    }
  }
  const controlvm = events.reduce((n, e) => n + e.applied.length, 0);
  let flipsMax: number | null = null;
  let flipsMean: number | null = null;
  let changedPer20: number | null = null;
  let steadyCalls: number | null = null;
  if (s.steady !== null) {
    const [from, to] = s.steady;
    const phase = events.slice(from, to);
    const last = new Map<string, number>();
    const flips = new Map<string, number>(s.vms.map((v) => [v.name, 0]));
    for (const e of phase) {
      for (const a of e.applied) {
        const sign = Math.sign(a.deltaMb);
        if (last.has(a.vm) && last.get(a.vm) !== sign) flips.set(a.vm, (flips.get(a.vm) ?? 0) + 1);
        last.set(a.vm, sign);
      }
    }
    const f = [...flips.values()];
    flipsMax = Math.max(0, ...f);
    flipsMean = f.reduce((a, b) => a + b, 0) / Math.max(1, f.length);
    const changed = phase.reduce((n, e) => n + e.applied.length, 0);
    steadyCalls = changed / Math.max(1, to - from);
    changedPer20 = (steadyCalls * 20) / s.vms.length;
  }
  return {
    metrics: {
      scenario: s.name,
      mode,
      withinPct,
      pressureVmTicks: pressure,
      swappedMbTicks: swapped,
      meanReclaimedMb: reclaimed / Math.max(1, backing.length),
      steadyFlipsMax: flipsMax,
      steadyFlipsMean: flipsMean,
      steadyChangedPer20: changedPer20,
      controlvmPerTick: controlvm / Math.max(1, s.ticks),
      steadyControlvmPerTick: steadyCalls,
      firstWithinTick,
      starts: due.length === 0 ? null : starts,
    },
    events,
    backing,
    balloons,
    pressureTicks,
  };
}

const num = (x: number | null, digits = 1): string => (x === null ? '-' : x.toFixed(digits));

/** The results as a Markdown table. */
export function scenarioTable(rows: readonly ScenarioMetrics[]): string {
  return [
    '| scenario | policy | ticks within budget | guest-pressure VM-ticks | swapped MB·ticks | mean reclaimed MB | steady flips/VM (max, mean) | steady changed VMs/tick per 20 | controlvm/tick (all, steady) | starts with room (started, no room, failed; refused though room was possible, started by squeezing) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.mode} | ${r.withinPct.toFixed(1)} % | ${r.pressureVmTicks} | ${Math.round(r.swappedMbTicks)} | ${Math.round(r.meanReclaimedMb)} | ${r.steadyFlipsMax === null ? '-' : `${r.steadyFlipsMax}, ${num(r.steadyFlipsMean, 2)}`} | ${num(r.steadyChangedPer20, 2)} | ${num(r.controlvmPerTick, 2)}, ${num(r.steadyControlvmPerTick, 2)} | ${r.starts === null ? '-' : `${r.starts.started}, ${r.starts.noRoom}, ${r.starts.failed} of ${r.starts.asked}; ${r.starts.refusedPossible}, ${r.starts.startedSqueezing}`} |`,
    ),
  ].join('\n');
}
