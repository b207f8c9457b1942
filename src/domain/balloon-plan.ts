// What the autopilot's planner decides from (a snapshot of the host and its running VMs) and what it decides (a plan):
// plain data, shared by the policies, the loop, the tick event and everything that reads one.
import type { MemoryLedger } from './memory-ledger.js';
import type { VmState } from './vm-state.js';

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
  /** Free memory this guest keeps, in MB: replaces the policy's `guestMinFreeMb` for this VM. */
  readonly keepFreeMb?: number;
  /** Free memory this guest keeps as a percentage of its RAM: replaces the policy's `guestMinFreePercent` for this VM. */
  readonly keepFreePercent?: number;
}

/** A guest that pushed back against its balloon: deflate it by this much now. */
export interface PushBack {
  /** What the guest needs back, in MB. */
  readonly deflateMb: number;
  /** Why, in words (it goes into the plan entry's reason). */
  readonly reason: string;
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
  /** Free guest memory in MB (the latest sample), or `null` while the guest does not report. */
  readonly guestFreeMb: number | null;
  /** The least free guest memory over the metrics' window, in MB: inflation is decided on this. Default: `guestFreeMb`. */
  readonly guestFreeMinMb?: number | null;
  /** The guest pushed back after its balloon grew: both policies deflate it by what it needs, at once. Absent: it did not. */
  readonly pushBack?: PushBack;
  /** Why the guest must not be inflated now (it is cooling down after pushing back). Absent: it may be. */
  readonly coolDown?: string;
  /**
   * The most this guest used lately, in MB: since it pushed back against its balloon, or in its earlier runs when the
   * autopilot saw it start again (each remembered for an hour). It counts as having only the free memory it would
   * have at that use. Absent: none remembered.
   */
  readonly peakUsedMb?: number;
  /** Why make room and reclaim take nothing from this guest now (it just started); the autopilot itself may still inflate it gently. */
  readonly settling?: string;
  /** Free memory the autopilot learned this guest should keep beyond its reserve, in MB (see `MemorySnapshotVm.cautionMb`). */
  readonly cautionMb?: number;
  /** Why, in words. */
  readonly cautionWhy?: string;
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
  /**
   * The VM's state, for the host-memory model (docs/concepts.md). Default `running`. A VM that is not running or
   * paused is left alone, and counts with all of its RAM or none of it, as its state says (`STATE_MEMORY`).
   */
  readonly state?: VmState;
  /** Large pages on: the VM cannot balloon, is left alone, and counts with all of its RAM. Default: off. */
  readonly largePages?: boolean | null;
}

/** The host's memory, in MB. */
export interface SnapshotHost {
  /** Host RAM. */
  readonly totalMb: number;
  /** Host RAM available (VBoxBalloonCtrl's safety margin is taken from this). */
  readonly freeMb: number;
  /**
   * Memory promised to VMs that `startWithRoom` is starting on this controller, in MB: it counts against the headroom
   * under the budget until they run. Absent: none.
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
  /** The budget (the same as `BalloonPlan.memory.budgetMb`). */
  readonly budgetMb: number;
  /** The memory backing the guests now (the same as `BalloonPlan.memory.backingMb`). */
  readonly backingBeforeMb: number;
  /** The memory backing the guests once the plan is applied. */
  readonly backingAfterMb: number;
}

/** The planner's output: an entry for every VM, those left alone included. */
export interface BalloonPlan {
  /** The policy that decided. */
  readonly policy: 'balloonctrl' | 'budget';
  /** One entry per VM, in snapshot order. */
  readonly entries: readonly PlanEntry[];
  /** The budget and the memory backing the guests (budget policy only). */
  readonly budget: BudgetSummary | null;
  /**
   * The fleet-level part of the reasons (budget policy, when a VM moves or is weighed): the words every such entry's
   * `reason` starts with, followed by `; ` and that VM's own words. Absent when there is none.
   */
  readonly fleetReason?: string;
  /**
   * The host's memory as the one model counts it (both policies): budget (the budget policy's, else 80 % of host
   * RAM), backing, reserved, headroom, and per VM what backs it and what it could give.
   */
  readonly memory: MemoryLedger;
}
