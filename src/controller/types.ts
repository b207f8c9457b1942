import type { BalloonError, LeftOutVm, VmFailure } from '../errors/index.js';
import type { BalloonChange, BalloonEvent } from '../events/index.js';
import type { HostInfo } from '../domain/host.js';
import type { GuestAdditionsInfo } from '../domain/vm-info.js';
import type { VmState } from '../domain/vm-state.js';
import type { LedgerVm, MemoryRules, ReclaimPlanEntry } from '../domain/memory-ledger.js';
import type { CallOptions, VBoxManageClient } from '../port/client.js';

export type { ReclaimPlanEntry } from '../domain/memory-ledger.js';

/** Whether the host where VBoxManage runs can balloon, and why not. */
export interface HostSupport extends HostInfo {
  /** True when VirtualBox can balloon on this host. */
  readonly supported: boolean;
  /** Why it cannot; empty when it can. */
  readonly reasons: readonly string[];
}

/** A guest's own memory report, in MB. */
export interface GuestReport {
  /** Guest RAM. */
  readonly totalMb: number;
  /** Free guest RAM (the latest sample). */
  readonly freeMb: number;
  /** The least free guest RAM over the metrics' window (the last 10 one-second samples), or `null` when not reported. */
  readonly freeMinMb: number | null;
  /** What free memory means for this guest's OS, and what the controller cannot see (no swap activity). */
  readonly freeMeans: string;
}

/** Why a change can or cannot be made now. */
export interface Permission {
  /** True when nothing blocks the change. */
  readonly allowed: boolean;
  /** Every reason it would fail or have no effect. */
  readonly blockers: readonly BalloonError[];
}

/** Page Fusion on one VM, as `inspect` explains it. */
export interface PageFusionStatus {
  /** Whether Page Fusion is on; `null` when showvminfo did not say. */
  readonly enabled: boolean | null;
  /** Guest memory shared with other VMs (`Guest/RAM/Usage/Shared`) in MB, or `null` while the guest does not report. */
  readonly sharedMb: number | null;
  /**
   * What to do about it, or `null`: on for a guest that is not Windows (it costs host CPU and shares nothing), or off
   * for a Windows guest that other VMs with the same Windows version could share memory with.
   */
  readonly hint: string | null;
}

/** Everything about one VM's balloon. */
export interface BalloonStatus {
  /** The VM's name. */
  readonly name: string;
  /** The VM's UUID. */
  readonly uuid: string;
  /** The VM's state. */
  readonly state: VmState;
  /** Configured RAM in MB. */
  readonly memoryMb: number;
  /** The largest balloon VirtualBox accepts for this VM. */
  readonly maxBalloonMb: number;
  /** Large pages on (`true`), off, or not applicable (`null`, ARM VMs). */
  readonly largePages: boolean | null;
  /** Guest Additions status. */
  readonly guestAdditions: GuestAdditionsInfo;
  /** The balloon: what was asked for and what the guest has achieved. */
  readonly balloon: {
    /** The size asked for: the last live request while the VM runs, the default balloon otherwise. */
    readonly requestedMb: number;
    /** The size the guest reports it has inflated, or `null` while not reported (see {@link BalloonStatus.unreported}). */
    readonly actualMb: number | null;
  };
  /** The guest's own memory report, or `null` while not reported (see {@link BalloonStatus.unreported}). */
  readonly guest: GuestReport | null;
  /** Why `balloon.actualMb` and `guest` are `null`; `null` when they are reported. */
  readonly unreported: string | null;
  /** Whether a live change (`setBalloon`) can be made now. */
  readonly live: Permission;
  /** Whether the default balloon (`setDefaultBalloon`) can be changed now. */
  readonly default: Permission;
  /** Page Fusion: on or off, what it shares, and a hint when the setting does not fit the guest. */
  readonly pageFusion: PageFusionStatus;
  /**
   * The VM in the host's memory ledger: the host memory backing it and what it could give (keeping 256 MB free), each
   * with why. See docs/concepts.md, "Host memory".
   */
  readonly memory: LedgerVm;
}

/** How to wait for the guest to reach a live balloon size. */
export interface WaitOptions {
  /** Give up after this long, in ms (0 to 2³¹−1). Default 30 000. */
  readonly timeoutMs?: number;
  /** Close enough, in MB. Default 16. */
  readonly toleranceMb?: number;
  /** Time between metric reads, in ms (10 to 2³¹−1). Default 1000. */
  readonly pollMs?: number;
  /** Called after each read, with the size reached so far (`null` while not reported). */
  readonly onProgress?: (progress: { readonly actualMb: number | null; readonly elapsedMs: number }) => void;
}

/** Options of `setBalloon`. */
export interface SetBalloonOptions extends CallOptions {
  /** Check everything and report the command, but change nothing. */
  readonly dryRun?: boolean;
  /** Wait until the guest has inflated or deflated the balloon. */
  readonly wait?: WaitOptions;
  /** Do not refuse a VM with large pages on (ballooning does not work well with them). */
  readonly allowLargePages?: boolean;
}

/** Options of changes that support a dry run. */
export interface DryRunOptions extends CallOptions {
  /** Check everything and report the command, but change nothing. */
  readonly dryRun?: boolean;
}

/** Options of `prepare`. */
export interface PrepareOptions extends DryRunOptions {
  /** The default balloon to set in the same `modifyvm` call. */
  readonly defaultBalloonMb?: number;
  /**
   * Page Fusion on or off, in the same `modifyvm` call: only on a VM that is off, on a 64-bit host other than
   * macOS. Turning it on for a guest that is not Windows is made, with a `warning` event (it shares nothing there).
   */
  readonly pageFusion?: boolean;
}

/** Options of `memory`: the budget (default 80 % of host RAM) and the free memory a giving guest keeps (default 256 MB). */
export interface MemoryOptions extends CallOptions, MemoryRules {}

/** Options of `reclaim`. */
export interface ReclaimOptions extends DryRunOptions {
  /** How much memory to take back from the guests, in MB. */
  readonly megabytes: number;
  /** The VMs to take it from. Default: every running VM. */
  readonly from?: readonly string[];
  /** Free memory every guest keeps, in MB. Default 256. */
  readonly keepGuestFreeMb?: number;
  /** Free memory every guest keeps as a percentage of its RAM, when that is more than `keepGuestFreeMb`. Default 10. */
  readonly keepGuestFreePercent?: number;
}

/** What `reclaim` did or, under `dryRun`, would do. */
export interface ReclaimResult {
  /** Every VM that gives memory, most free first. */
  readonly plan: readonly ReclaimPlanEntry[];
  /** The changes made (empty under `dryRun`). */
  readonly applied: readonly BalloonChange[];
  /** How much was (or would be) reclaimed, in MB. */
  readonly reclaimedMb: number;
  /** The VMs that could give nothing, each with why. */
  readonly leftOut: readonly LeftOutVm[];
}

/** What `restore` did. */
export interface RestoreResult {
  /** The changes made (VMs already at their default are left alone). */
  readonly changes: readonly BalloonChange[];
  /**
   * VMs that could not be restored, with why. The others were restored all the same. An error whose `outcome` is
   * `unknown` (a timeout or abort while its `controlvm` ran) may have been applied.
   */
  readonly failed: readonly VmFailure[];
  /** True when the caller's signal stopped the restore; the VMs not reached are in `skipped`. */
  readonly aborted: boolean;
  /** The VMs (by name) not attempted because the restore was aborted. */
  readonly skipped: readonly string[];
}

/** Options of {@link BalloonController}. */
export interface BalloonControllerOptions {
  /** How to reach VirtualBox: {@link ExecaVBoxManageClient} or {@link InMemoryVBoxManageClient}. */
  readonly client: VBoxManageClient;
  /** Receives typed events for logging. A listener that throws is ignored: it never breaks a call. */
  readonly onEvent?: (event: BalloonEvent) => void;
}
