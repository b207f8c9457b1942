// The autopilot scenario suite, shared by test/autopilot/scenarios.test.ts and bench/autopilot-scenarios.ts: noisy
// fleets run in virtual time through the real autopilot loop and the in-memory client.
import {
  BalloonController,
  InMemoryVBoxManageClient,
  maxBalloonMb,
  seedFrom,
  virtualClock,
  type AutopilotPolicy,
  type FleetEvent,
  type GuestModelSpec,
  type TickEvent,
  type VmLimits,
} from '../../src/index.js';

export const TICK_MS = 10_000;
/** Ticks after a VM starts that do not count as converged. */
export const SETTLE_TICKS = 20;

export interface ScenarioVm {
  readonly name: string;
  readonly memoryMb: number;
  readonly model: GuestModelSpec;
  /** Tick at which the VM starts (default: running from the start). */
  readonly startTick?: number;
  /** Tick at which it is powered off. */
  readonly stopTick?: number;
  /** Runs of a short-lived VM, [start tick, stop tick) each: started with `startWithRoom` on the autopilot's controller. */
  readonly runs?: readonly (readonly [number, number])[];
  /** Guest OS type (a Windows guest reports available memory as free). Default Ubuntu. */
  readonly osType?: string;
  /** Per-VM limits given to the autopilot (which passes the reserve on to make room on its controller). */
  readonly limits?: VmLimits;
}

export interface Scenario {
  readonly name: string;
  readonly what: string;
  readonly hostMb: number;
  readonly budgetMb: number;
  readonly ticks: number;
  /** Ticks [from, to) in which every workload is steady (jitter only), for the flip and call counts. */
  readonly steady: readonly [number, number] | null;
  /** Ticks after which the fleet counts as converged for "% of ticks within budget". */
  readonly warmupTicks: number;
  /** Whether the budget can be met at all (without pushing guests into pressure). */
  readonly feasible: boolean;
  /** Balloon speed in MB/s. Default 32 (at most 320 MB per tick in either direction). */
  readonly balloonRateMbPerSec?: number;
  readonly vms: readonly ScenarioVm[];
}

const pad = (i: number): string => String(i).padStart(2, '0');
const model = (name: string, m: Omit<GuestModelSpec, 'seed'>): GuestModelSpec => ({ seed: seedFrom(name), ...m });
const day = 400 * TICK_MS; // a compressed day: 400 ticks

function fleet(n: number, prefix: string, f: (i: number, name: string) => Omit<ScenarioVm, 'name'>): ScenarioVm[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `${prefix}-${pad(i)}`;
    return { name, ...f(i, name) };
  });
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'idle',
    what: '50 idle 4 GB guests, ±16 MB page-cache jitter',
    hostMb: 262_144,
    budgetMb: 150_000,
    ticks: 300,
    steady: [100, 300],
    warmupTicks: 40,
    feasible: true,
    vms: fleet(50, 'idle', (i, name) => ({ memoryMb: 4096, model: model(name, { baseUsedMb: 700 + ((i * 37) % 700), jitterMb: 16 }) })),
  },
  {
    name: 'diurnal',
    what: '24 guests of 4 and 8 GB on a daily wave (a day = 400 ticks), ±24 MB jitter',
    hostMb: 196_608,
    budgetMb: 100_000,
    ticks: 400,
    steady: null,
    warmupTicks: 40,
    feasible: true,
    vms: fleet(24, 'web', (i, name) => {
      const memoryMb = i % 3 === 0 ? 8192 : 4096;
      return { memoryMb, model: model(name, { baseUsedMb: memoryMb * 0.35, jitterMb: 24, wave: { amplitudeMb: memoryMb * 0.2, periodMs: day, phase: (i % 6) / 6 } }) };
    }),
  },
  {
    name: 'bursty',
    what: '30 guests of 4 GB with 0.6-1.2 GB bursts of 60 s, one per 20 min each',
    hostMb: 196_608,
    budgetMb: 80_000,
    ticks: 360,
    steady: null,
    warmupTicks: 40,
    feasible: true,
    vms: fleet(30, 'ci', (i, name) => ({ memoryMb: 4096, model: model(name, { baseUsedMb: 900 + ((i * 53) % 500), jitterMb: 16, bursts: { sizeMb: 1200, durationMs: 60_000, everyMs: 1_200_000 } }) })),
  },
  {
    name: 'bursty-heavy',
    what: '30 guests of 4 GB with 1.2-2.4 GB bursts of 2 min, one per 15 min each: the budget cannot be met without pushing guests into swap',
    hostMb: 196_608,
    budgetMb: 80_000,
    ticks: 360,
    steady: null,
    warmupTicks: 40,
    feasible: false,
    vms: fleet(30, 'job', (i, name) => ({ memoryMb: 4096, model: model(name, { baseUsedMb: 900 + ((i * 53) % 500), jitterMb: 16, bursts: { sizeMb: 2400, durationMs: 120_000, everyMs: 900_000 } }) })),
  },
  {
    name: 'leaking',
    what: '20 guests of 4 GB; 4 leak 2 GB per hour',
    hostMb: 131_072,
    budgetMb: 55_000,
    ticks: 360,
    steady: null,
    warmupTicks: 40,
    feasible: true,
    vms: fleet(20, 'app', (i, name) => ({ memoryMb: 4096, model: model(name, { baseUsedMb: 900 + ((i * 29) % 400), jitterMb: 16, ...(i % 5 === 0 ? { leakMbPerHour: 2048 } : {}) }) })),
  },
  {
    name: 'mixed',
    what: '16 guests of 2-16 GB, 4 start late (ticks 60, 120), one stops (tick 200)',
    hostMb: 196_608,
    budgetMb: 70_000,
    ticks: 320,
    steady: null,
    warmupTicks: 40,
    feasible: true,
    vms: fleet(16, 'mix', (i, name) => {
      const memoryMb = [2048, 4096, 8192, 16_384][i % 4] ?? 4096;
      return {
        memoryMb,
        model: model(name, { baseUsedMb: memoryMb * (0.25 + 0.1 * (i % 3)), jitterMb: 8 + memoryMb / 256, wave: { amplitudeMb: memoryMb * 0.05, periodMs: day } }),
        ...(i >= 12 ? { startTick: i < 14 ? 60 : 120 } : {}),
        ...(i === 3 ? { stopTick: 200 } : {}),
      };
    }),
  },
  {
    name: 'long-steady',
    what: '50 guests of 2-8 GB, steady but for jitter (±8 to ±32 MB), 600 ticks',
    hostMb: 393_216,
    budgetMb: 140_000,
    ticks: 600,
    steady: [150, 600],
    warmupTicks: 60,
    feasible: true,
    vms: fleet(50, 'vm', (i, name) => {
      const memoryMb = [2048, 4096, 8192][i % 3] ?? 4096;
      return { memoryMb, model: model(name, { baseUsedMb: memoryMb * (0.2 + 0.05 * (i % 5)), jitterMb: memoryMb / 256 }) };
    }),
  },
  {
    name: 'infeasible',
    what: '12 busy 8 GB guests, a budget below what they use',
    hostMb: 131_072,
    budgetMb: 40_000,
    ticks: 240,
    steady: [100, 240],
    warmupTicks: 40,
    feasible: false,
    vms: fleet(12, 'busy', (i, name) => ({ memoryMb: 8192, model: model(name, { baseUsedMb: 3800 + ((i * 71) % 900), jitterMb: 32 }) })),
  },
  {
    name: 'guest-kinds',
    what: '24 guests of 4 and 8 GB: 8 Linux with 10-20 % of RAM in tmpfs (reported free, not reclaimable), 8 that take back what a balloon takes (JVM-like), 8 Windows-like (free = available, ±64 MB)',
    hostMb: 196_608,
    budgetMb: 100_000,
    ticks: 360,
    steady: null,
    warmupTicks: 60,
    feasible: true,
    vms: fleet(24, 'kind', (i, name) => {
      const memoryMb = i % 2 === 0 ? 8192 : 4096;
      const base = { baseUsedMb: memoryMb * (0.25 + 0.05 * (i % 3)), jitterMb: 16 };
      if (i % 3 === 0) return { memoryMb, model: model(name, { ...base, unreclaimableMb: Math.round(memoryMb * (0.1 + 0.05 * (i % 2 === 0 ? 2 : 0))) }) };
      if (i % 3 === 1) return { memoryMb, model: model(name, { ...base, refill: { fraction: 1, mbPerSec: 32 } }) };
      return { memoryMb, osType: 'Windows 10 (64-bit)', model: model(name, { ...base, jitterMb: 64 }) };
    }),
  },
  {
    name: 'ci-farm',
    what: '6 long-lived guests of 8 GB (tmpfs, JVM-like, Windows-like) beside 12 CI VMs of 4 GB that run 3-6 min and stop, started with startWithRoom on the autopilot\'s controller',
    hostMb: 65_536,
    budgetMb: 52_000,
    ticks: 360,
    steady: null,
    warmupTicks: 40,
    feasible: true,
    balloonRateMbPerSec: Number.POSITIVE_INFINITY,
    vms: [
      ...fleet(6, 'svc', (i, name) => ({
        memoryMb: 8192,
        ...(i % 3 === 2 ? { osType: 'Windows 10 (64-bit)' } : {}),
        // 1 GB of tmpfs that the guest reports free: its operator gives it a reserve above that (docs/concepts.md).
        ...(i % 3 === 0 ? { limits: { keepFreePercent: 20 } } : {}),
        model: model(name, { baseUsedMb: 2000 + 300 * i, jitterMb: i % 3 === 2 ? 64 : 16, ...(i % 3 === 0 ? { unreclaimableMb: 1024 } : {}), ...(i % 3 === 1 ? { refill: { fraction: 1, mbPerSec: 32 } } : {}) }),
      })),
      ...fleet(12, 'ci', (i, name) => {
        // Each CI VM runs for 18-36 ticks, rests 12-30 ticks, and runs again, from a staggered first start.
        const runs: [number, number][] = [];
        for (let t = 5 + i * 7; t < 340; ) {
          const len = 18 + ((i * 5 + t) % 19);
          runs.push([t, Math.min(355, t + len)]);
          t += len + 12 + ((i * 3 + t) % 19);
        }
        return { memoryMb: 4096, runs, model: model(name, { baseUsedMb: 1800, jitterMb: 32, bursts: { sizeMb: 800, durationMs: 60_000, everyMs: 300_000 } }) };
      }),
    ],
  },
];

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
  /** Starts with room of short-lived VMs: asked, started, refused with NO_ROOM (the host could not make room), failed otherwise. */
  readonly starts: { readonly asked: number; readonly started: number; readonly noRoom: number; readonly failed: number } | null;
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
  const starts = { asked: 0, started: 0, noRoom: 0, failed: 0 };
  const due = s.vms.flatMap((v) => (v.runs ?? []).map(([start]) => ({ tick: start, vm: v.name }))).sort((a, b) => a.tick - b.tick || (a.vm < b.vm ? -1 : 1));
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
      // Without ballooning, a plain start: VirtualBox refuses it when it cannot back the VM.
      const r = mode === 'none' ? await sim.startVm(d.vm) : await controller.startWithRoom(d.vm, { budgetMb: s.budgetMb, pollMs: 10, waitTimeoutMs: 1000 });
      if (r.isOk()) starts.started++;
      else if (r.error.code === 'NO_ROOM' || mode === 'none') starts.noRoom++;
      else starts.failed++;
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
      if (g.pressureSeconds > last.p) pressure++;
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
  };
}

const num = (x: number | null, digits = 1): string => (x === null ? '-' : x.toFixed(digits));

/** The results as a Markdown table. */
export function scenarioTable(rows: readonly ScenarioMetrics[]): string {
  return [
    '| scenario | policy | ticks within budget | guest-pressure VM-ticks | swapped MB·ticks | mean reclaimed MB | steady flips/VM (max, mean) | steady changed VMs/tick per 20 | controlvm/tick (all, steady) | starts with room (started, no room, failed) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.mode} | ${r.withinPct.toFixed(1)} % | ${r.pressureVmTicks} | ${Math.round(r.swappedMbTicks)} | ${Math.round(r.meanReclaimedMb)} | ${r.steadyFlipsMax === null ? '-' : `${r.steadyFlipsMax}, ${num(r.steadyFlipsMean, 2)}`} | ${num(r.steadyChangedPer20, 2)} | ${num(r.controlvmPerTick, 2)}, ${num(r.steadyControlvmPerTick, 2)} | ${r.starts === null ? '-' : `${r.starts.started}, ${r.starts.noRoom}, ${r.starts.failed} of ${r.starts.asked}`} |`,
    ),
  ].join('\n');
}
