import type { VmLimits } from '../domain/balloon-plan.js';
import type { TickEvent } from '../events/tick-event.js';
import type { CallOptions } from '../port/client.js';

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
  /**
   * Not in VBoxBalloonCtrl: a balloon never inflates into the guest's reserve, the larger of the lower limit and this
   * percentage of its RAM. Default 10; 0 inflates down to the lower limit as VBoxBalloonCtrl does.
   */
  readonly guestMinFreePercent?: number;
}

/**
 * Keep the memory backing the guests (as the host-memory model counts it: docs/concepts.md) and the memory reserved
 * for starts at or under a budget, sharing it out by weight in the manner of Proxmox VE's auto-ballooning.
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
   * Default 256. A guest keeps the larger of this and `guestMinFreePercent` of its RAM (its reserve).
   */
  readonly guestMinFreeMb?: number;
  /** Free memory a guest keeps as a percentage of its RAM, when that is more than `guestMinFreeMb`. Default 10. */
  readonly guestMinFreePercent?: number;
  /**
   * The band under the budget, in MB: above `budget − band/4` the fleet inflates back to `budget − band/2`, under
   * `budget − band` it deflates up to `budget − band/2`, and in between only pressure relief moves a balloon. The
   * headroom it keeps pays for pressure relief without crossing the budget. Default 2 % of the budget, 256 to 4096.
   */
  readonly bandMb?: number;
}

/** How the autopilot sizes balloons. */
export type AutopilotPolicy = BalloonCtrlPolicy | BudgetPolicy;

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
  /**
   * When a whole tick fails (VBoxManage answers nothing: VBoxSVC gone, VirtualBox being upgraded), the wait before the
   * next one doubles, up to this many ms; the first tick that succeeds goes back to `intervalMs`. Default 300 000
   * (5 minutes), or `intervalMs` when that is longer. A failure of one VM is no failed tick.
   */
  readonly maxBackoffMs?: number;
  /**
   * What an earlier run of the autopilot on this host last asked for and last saw, by VM UUID (kept across restarts,
   * as the CLI's state file does): a VM whose live balloon is still the size asked for is followed on from there.
   */
  readonly resume?: Readonly<Record<string, AutopilotResumeVm>>;
}

/** One VM as an earlier run of the autopilot left it. */
export interface AutopilotResumeVm {
  /** The live balloon it last asked for, in MB. */
  readonly askedMb: number;
  /** The achieved balloon it last saw, in MB; absent when it saw none. */
  readonly seenMb?: number;
}

/** A running autopilot. */
export interface AutopilotHandle {
  /** Stop after the current tick (a running VBoxManage call is killed). */
  stop(): void;
  /** Resolves when the loop has ended, with the number of ticks run. */
  readonly done: Promise<number>;
}
