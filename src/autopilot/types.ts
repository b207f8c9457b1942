import type { BalloonError } from '../errors/index.js';
import type { CallOptions } from '../port/client.js';

/** Per-VM settings for the planner. */
export interface VmLimits {
  /** Memory always left to the guest, in MB (budget policy). Default 0. */
  readonly minMb?: number;
  /**
   * The most this VM's balloon may take, in MB. Budget policy: a cap below VirtualBox's own limit. BalloonCtrl
   * policy: the VM's requested size, VBoxBalloonCtrl's per-VM `BalloonSizeMax` (unset or 0: no ballooning).
   */
  readonly maxBalloonMb?: number;
  /** Weight when memory is shared out (budget policy), like Proxmox's shares. Default 1000; 0 leaves the VM alone. */
  readonly shares?: number;
  /** `false` deflates the VM's balloon to 0 and keeps it there. Default `true`. */
  readonly enabled?: boolean;
}

/** One running VM as the planner sees it. */
export interface SnapshotVm {
  /** The VM's name. */
  readonly name: string;
  /** The VM's UUID. */
  readonly uuid: string;
  /** Configured RAM in MB. */
  readonly memoryMb: number;
  /** The achieved balloon (the `Guest/RAM/Usage/Balloon` metric), in MB. */
  readonly balloonMb: number;
  /** The VBoxBalloonCtrl-style target for this VM, in MB (0: no ballooning). */
  readonly requestedMb: number;
  /** Free guest memory in MB, or `null` while the guest does not report. */
  readonly guestFreeMb: number | null;
  /** Guest memory in MB, or `null` while the guest does not report. */
  readonly guestTotalMb: number | null;
  /**
   * The balloon last asked for with `controlvm` (the live value VirtualBox works toward), in MB, when known; the
   * autopilot fills it in. The budget policy counts a deflation asked for but not yet achieved as done, so it never
   * spends the same headroom twice. Default: `balloonMb`.
   */
  readonly lastAskedMb?: number;
  /**
   * The balloon `startWithRoom` on the same controller inflated to make room for a VM it is starting, in MB: the
   * policies leave this VM alone until that VM runs. Absent: none.
   */
  readonly heldMb?: number;
  /** Per-VM settings. */
  readonly limits?: VmLimits;
}

/** The host's memory, in MB. */
export interface SnapshotHost {
  /** Host RAM. */
  readonly totalMb: number;
  /** Host RAM available (VBoxBalloonCtrl's safety margin is taken from this). */
  readonly freeMb: number;
  /**
   * Memory promised to VMs that `startWithRoom` is starting on this controller, in MB: the budget policy takes it off
   * its budget until they run. Absent: none.
   */
  readonly reservedMb?: number;
}

/** Everything the planner decides from. */
export interface BalloonSnapshot {
  /** The host. */
  readonly host: SnapshotHost;
  /** The running VMs. */
  readonly vms: readonly SnapshotVm[];
}

/** VBoxBalloonCtrl's algorithm, step for step (see docs/autopilot.md for the one deliberate difference). */
export interface BalloonCtrlPolicy {
  /** Discriminant. */
  readonly kind: 'balloonctrl';
  /** `--balloon-inc`: the inflate step, halved while it would leave the guest below the lower limit. Default 256. */
  readonly incrementMb?: number;
  /** `--balloon-dec`: the deflate step. Default 128. */
  readonly decrementMb?: number;
  /** `--balloon-lower-limit`: guest free memory below which the balloon deflates. Default 128. */
  readonly lowerLimitMb?: number;
  /** `--balloon-max`: a cap on every VM's requested size; 0 for none. Default 0. */
  readonly maxBalloonMb?: number;
  /** `--balloon-safety-margin`: host memory kept free when deflating. Default 1024. */
  readonly safetyMarginMb?: number;
}

/**
 * Keep the memory backing the running guests (the sum of `memoryMb - balloonMb`) at or under a budget, sharing it
 * out by weight in the manner of Proxmox VE's auto-ballooning.
 */
export interface BudgetPolicy {
  /** Discriminant. */
  readonly kind: 'budget';
  /** The budget in MB; when absent, `budgetPercent` of host RAM. */
  readonly budgetMb?: number;
  /** The budget as a percentage of host RAM. Default 80. */
  readonly budgetPercent?: number;
  /**
   * The most one VM's balloon moves in one tick by the band, in MB (pressure relief is not limited). Default 1/64 of
   * the VM's RAM, at least 100 MB (100 MB for 4 GB, 256 MB for 16 GB), so a large guest converges as fast as a small one.
   */
  readonly maxChangeMb?: number;
  /** Changes smaller than this are not made, in MB. Default 10. */
  readonly deadbandMb?: number;
  /**
   * Free memory a guest keeps, in MB: a balloon never inflates into it, and a guest under it is deflated at once.
   * Default 256.
   */
  readonly guestMinFreeMb?: number;
  /**
   * The band under the budget, in MB: above `budget − band/4` the fleet inflates back to `budget − band/2`, under
   * `budget − band` it deflates up to `budget − band/2`, and in between only pressure relief moves a balloon. The
   * headroom it keeps pays for pressure relief without crossing the budget. Default 2 % of the budget, 256 to 4096.
   */
  readonly bandMb?: number;
}

/** How the autopilot sizes balloons. */
export type AutopilotPolicy = BalloonCtrlPolicy | BudgetPolicy;

/** The planner's decision for one VM. */
export interface PlanEntry {
  /** The VM's name. */
  readonly vm: string;
  /** The achieved balloon now, in MB. */
  readonly fromMb: number;
  /** The balloon to ask for, in MB (equal to `fromMb` when the VM is left alone). */
  readonly toMb: number;
  /** `toMb - fromMb`. */
  readonly deltaMb: number;
  /** Why, in words. */
  readonly reason: string;
}

/** What the budget policy aimed at, in MB. */
export interface BudgetSummary {
  /** The budget. */
  readonly budgetMb: number;
  /** The memory backing the running guests now. */
  readonly backingBeforeMb: number;
  /** The memory backing the running guests once the plan is applied. */
  readonly backingAfterMb: number;
}

/** The planner's output: an entry for every VM, those left alone included. */
export interface BalloonPlan {
  /** The policy that decided. */
  readonly policy: AutopilotPolicy['kind'];
  /** One entry per VM, in snapshot order. */
  readonly entries: readonly PlanEntry[];
  /** The budget and the memory backing the guests (budget policy only). */
  readonly budget: BudgetSummary | null;
}

/** A VM the autopilot could not change in a tick, with why. */
export interface TickFailure {
  /** The VM, or `null` when the whole tick failed. */
  readonly vm: string | null;
  /** What went wrong. */
  readonly error: BalloonError;
}

/** What happened in one tick. */
export interface TickEvent {
  /** The tick's number, from 1. */
  readonly tick: number;
  /** When the tick started (ms since the epoch, or the virtual clock's time). */
  readonly time: number;
  /** What the planner saw; `null` when the tick failed before it could look. */
  readonly snapshot: BalloonSnapshot | null;
  /** What it decided; `null` when the tick failed before it could plan. */
  readonly plan: BalloonPlan | null;
  /** The changes made (none under `dryRun`). */
  readonly applied: readonly PlanEntry[];
  /**
   * Changes whose `controlvm` was cut short (the autopilot was stopped, or the call timed out) and so may or may not
   * have been applied; the next tick reads the balloons afresh. Each also has its error in `errors`.
   */
  readonly maybeApplied: readonly PlanEntry[];
  /** What failed. */
  readonly errors: readonly TickFailure[];
}

/** How the autopilot waits between ticks; replace it to run in virtual time. */
export interface AutopilotClock {
  /** The current time in ms. */
  now(): number;
  /** Wait `ms`; resolve `false` if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** Options of `autopilot`. */
export interface AutopilotOptions extends CallOptions {
  /** How to size balloons. */
  readonly policy: AutopilotPolicy;
  /** Time between ticks. Default 10 000 ms. */
  readonly intervalMs?: number;
  /** Plan and report, but change nothing. */
  readonly dryRun?: boolean;
  /** Per-VM settings, by VM name or UUID. */
  readonly limits?: Readonly<Record<string, VmLimits>>;
  /** Called after every tick. A listener that throws is reported as a `warning` event; the loop goes on. */
  readonly onTick?: (event: TickEvent) => void;
  /** Stop after this many ticks. Default: run until stopped. */
  readonly maxTicks?: number;
  /** The clock; default real time. A simulation passes a virtual one. */
  readonly clock?: AutopilotClock;
}

/** A running autopilot. */
export interface AutopilotHandle {
  /** Stop after the current tick (a running VBoxManage call is killed). */
  stop(): void;
  /** Resolves when the loop has ended, with the number of ticks run. */
  readonly done: Promise<number>;
}
