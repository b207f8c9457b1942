// The vocabulary of the one model of host memory (src/host-memory computes it): what goes in (one snapshot of a
// host) and what comes out (the ledger). Plain data, on the domain floor so that plans and events can carry it.
import type { VmState } from './vm-state.js';

/** Per-VM limits on what a VM may give: the same fields as the autopilot's `VmLimits`. */
export interface GiveLimits {
  /** Memory always left to the guest, in MB: the balloon never grows past RAM minus this. Default 0. */
  readonly minMb?: number;
  /** The most this VM's balloon may take, in MB (below VirtualBox's own limit). Default: VirtualBox's limit. */
  readonly maxBalloonMb?: number;
  /** `false`: ballooning is disabled for this VM; it gives nothing. Default `true`. */
  readonly enabled?: boolean;
  /** Free memory this guest keeps, in MB: replaces the rules' `keepGuestFreeMb` for this VM. */
  readonly keepFreeMb?: number;
  /** Free memory this guest keeps as a percentage of its RAM: replaces the rules' `keepGuestFreePercent` for this VM. */
  readonly keepFreePercent?: number;
}

/**
 * What an autopilot on the same controller asks make room and reclaim to respect for one guest: its own reserve (its
 * per-VM limits) and whether it is cooling down after pushing back.
 */
export interface GuestGuard {
  /** Why the guest must not give memory now; absent: it may. */
  readonly coolDown?: string;
  /** The guest's own reserve in MB (its per-VM limit), if set. */
  readonly keepFreeMb?: number;
  /** The guest's own reserve as a percentage of its RAM (its per-VM limit), if set. */
  readonly keepFreePercent?: number;
  /** The most the guest used lately, in MB (see `MemorySnapshotVm.peakUsedMb`). */
  readonly peakUsedMb?: number;
  /** Free memory the guest keeps because of what the autopilot learned on the host, in MB (see `MemorySnapshotVm.cautionMb`). */
  readonly cautionMb?: number;
  /** Why, in words. */
  readonly cautionWhy?: string;
}

/** One VM of a {@link MemorySnapshot}: what showvminfo and the guest's statistics say about it. */
export interface MemorySnapshotVm {
  /** The VM's name. */
  readonly name: string;
  /** The VM's UUID. */
  readonly uuid: string;
  /** The VM's state: it decides whether and how the VM holds host memory (see `STATE_MEMORY`). */
  readonly state: VmState;
  /** Configured RAM, in MB. */
  readonly memoryMb: number;
  /**
   * The live balloon asked for (showvminfo's `GuestMemoryBalloon` while the VM runs, or the last `controlvm`), in MB;
   * `null` when not known. A deflation asked for but not yet achieved counts as done: that memory is the guest's.
   */
  readonly requestedMb: number | null;
  /** The balloon the guest has inflated (the `Guest/RAM/Usage/Balloon` metric), in MB; `null` while not reported. */
  readonly balloonMb: number | null;
  /** Free guest memory, in MB (the latest sample); `null` while the guest does not report its statistics. */
  readonly guestFreeMb: number | null;
  /**
   * The least free guest memory over the metrics' window (`GuestMemory.freeMinMb`), in MB: what a guest could give is
   * counted from this, so that a dip between two reads is not given away. Absent or `null`: the latest sample.
   */
  readonly guestFreeMinMb?: number | null;
  /** Why this guest must not give memory now (it pushed back against a balloon and is cooling down); absent: it may. */
  readonly coolDown?: string;
  /**
   * The most this guest used lately, in MB: since it pushed back against its balloon, or in its earlier runs when the
   * autopilot saw it start again (each remembered for an hour). It counts as having only the free memory it would
   * have at that use. Absent: none remembered.
   */
  readonly peakUsedMb?: number;
  /**
   * Free memory this guest keeps because of what an autopilot learned on the host (a guest ran short after its use
   * rose), in MB: its reserve is at least this. Absent: none.
   */
  readonly cautionMb?: number;
  /** Why, in words. */
  readonly cautionWhy?: string;
  /** Whether large pages are on; `null` when showvminfo does not say (ARM VMs). */
  readonly largePages: boolean | null;
  /**
   * The Guest Additions run level as showvminfo reports it (ballooning needs 2 or more; `null`: none reported);
   * absent when not read, and then the guest's statistics decide.
   */
  readonly additionsRunLevel?: number | null;
  /** Per-VM limits. */
  readonly limits?: GiveLimits;
  /** The balloon being inflated to make room for a VM being started (the size asked for), in MB: counted as reached. */
  readonly heldMb?: number;
}

/** A VM being started with room: what its start needs (RAM plus VirtualBox's overhead) is kept off the headroom. */
export interface StartInFlight {
  /** The UUID of the VM being started. Once the snapshot shows the VM holding memory itself, its reservation is no longer counted. */
  readonly uuid: string;
  /** What its start needs, in MB. */
  readonly needMb: number;
}

/** One snapshot of a host: everything the ledger decides from. */
export interface MemorySnapshot {
  /** The host. */
  readonly host: {
    /** Host RAM, in MB. */
    readonly totalMb: number;
    /** Host RAM the host reports available, in MB (for reference: ballooned memory never shows up there). */
    readonly freeMb: number;
    /** Why VirtualBox cannot balloon on this host (macOS, 32-bit), or absent/`null` when it can. */
    readonly cannotBalloon?: string | null;
  };
  /** Every VM known on the host, in any state. */
  readonly vms: readonly MemorySnapshotVm[];
  /** Starts in flight (on the controller that took the snapshot). */
  readonly starting?: readonly StartInFlight[];
}

/** The budget, and the free memory a giving guest keeps. */
export interface MemoryRules {
  /** The budget, in MB; when absent, `budgetPercent` of host RAM. */
  readonly budgetMb?: number;
  /** The budget as a percentage of host RAM. Default 80. */
  readonly budgetPercent?: number;
  /** Free memory a guest keeps when its balloon grows, in MB. Default 256. */
  readonly keepGuestFreeMb?: number;
  /**
   * Free memory a guest keeps as a percentage of its RAM: a guest keeps the larger of this and `keepGuestFreeMb`
   * (its reserve). Default 10.
   */
  readonly keepGuestFreePercent?: number;
}

/** How a VM's backing is counted: RAM minus its balloon, all of its RAM, or nothing. */
export type BackingRule = 'ram-minus-balloon' | 'all-ram' | 'none';

/** One VM in the ledger: what backs it, and what it could give, each with why. */
export interface LedgerVm {
  /** The VM's name. */
  readonly vm: string;
  /** Its UUID. */
  readonly uuid: string;
  /** Its state. */
  readonly state: VmState;
  /** Configured RAM, in MB. */
  readonly memoryMb: number;
  /** How its backing is counted. */
  readonly rule: BackingRule;
  /** The balloon counted, in MB (0 unless `rule` is `ram-minus-balloon`). */
  readonly balloonMb: number;
  /** The balloon the guest reports it has inflated, in MB, or `null` while not reported. */
  readonly achievedMb: number | null;
  /** Host memory backing this VM, in MB. */
  readonly backingMb: number;
  /** Why the backing is what it is, in words. */
  readonly backingWhy: string;
  /** Whether VirtualBox can balloon this VM now (running, large pages off, Guest Additions up, statistics reported). */
  readonly canBalloon: boolean;
  /** Free guest memory, in MB, or `null` while not reported. */
  readonly guestFreeMb: number | null;
  /** The least free guest memory over the metrics' window, in MB (at most `guestFreeMb`), or `null` while not reported. */
  readonly guestFreeMinMb: number | null;
  /**
   * The free memory this guest keeps, in MB (its reserve): the larger of `keepGuestFreeMb` and `keepGuestFreePercent`
   * of its RAM (or its own limits' `keepFreeMb`/`keepFreePercent`). No balloon inflates into it.
   */
  readonly reserveMb: number;
  /** The largest balloon allowed: VirtualBox's limit, `maxBalloonMb`, RAM minus `minMb` (0 when it cannot balloon). */
  readonly topMb: number;
  /**
   * What it could give now, in MB: the least free memory over the window above its reserve, up to `topMb`; 0 while it
   * cools down after pushing back.
   */
  readonly couldGiveMb: number;
  /** Why it could give that much (or nothing), in words. */
  readonly giveWhy: string;
}

/** The host's memory as one model counts it: every feature reports these figures. */
export interface MemoryLedger {
  /** Host RAM, in MB. */
  readonly totalMb: number;
  /** Host RAM the host reports available, in MB (for reference). */
  readonly freeMb: number;
  /** The budget: the most the guests may be backed with, in MB. */
  readonly budgetMb: number;
  /** Host memory backing the guests now, in MB: the sum of every VM's `backingMb`. */
  readonly backingMb: number;
  /** Memory kept for starts in flight, in MB. */
  readonly reservedMb: number;
  /** What the budget has left: `budgetMb - backingMb - reservedMb`, at least 0, in MB. */
  readonly headroomMb: number;
  /** How far the guests and the starts are over the budget, in MB (0 when within it). */
  readonly overBudgetMb: number;
  /** Free memory a giving guest keeps, in MB (each VM's reserve is the larger of this and the percentage). */
  readonly keepGuestFreeMb: number;
  /** Free memory a giving guest keeps as a percentage of its RAM. */
  readonly keepGuestFreePercent: number;
  /** What the guests could give together, in MB. */
  readonly couldGiveMb: number;
  /** Every VM, in snapshot order. */
  readonly vms: readonly LedgerVm[];
  /** The starts in flight that are counted (those whose VM does not yet hold memory itself). */
  readonly starting: readonly StartInFlight[];
}

/** One VM's part in a reclaim or in making room: the balloon it inflates and how much it gives. */
export interface ReclaimPlanEntry {
  /** The VM's name. */
  readonly vm: string;
  /** The VM's UUID. */
  readonly uuid: string;
  /** The guest's free memory before, in MB. */
  readonly guestFreeMb: number;
  /** The balloon before (the size the guest had achieved), in MB. */
  readonly fromMb: number;
  /** The balloon after, in MB. */
  readonly toMb: number;
  /** How much this VM gives up, in MB. */
  readonly takeMb: number;
}
