// The autopilot scenario suite's fleets: what each scenario runs (test/autopilot/scenarios.ts runs them).
import { seedFrom, type GuestModelSpec, type VmLimits } from '../../src/index.js';

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
