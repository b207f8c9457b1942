import type { BalloonError, LeftOutVm, VmFailure } from '../errors/index.js';
import type { TickEvent } from '../autopilot/types.js';
import type { HostInfo } from '../domain/host.js';
import type { GuestAdditionsInfo } from '../domain/vm-info.js';
import type { VmState } from '../domain/vm-state.js';
import type { CallOptions, VBoxManageClient } from '../port/client.js';

/** Whether the host where VBoxManage runs can balloon, and why not. */
export interface HostSupport extends HostInfo {
  /** True when VirtualBox can balloon on this host. */
  readonly supported: boolean;
  /** Why it cannot; empty when it can. */
  readonly reasons: readonly string[];
}

/** A setting before and after a change. */
export interface Transition<T> {
  /** The value before. */
  readonly from: T;
  /** The value after. */
  readonly to: T;
}

/** A guest's own memory report, in MB. */
export interface GuestReport {
  /** Guest RAM. */
  readonly totalMb: number;
  /** Free guest RAM. */
  readonly freeMb: number;
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
}

/** A balloon change that was made or, under `dryRun`, would be made. */
export interface BalloonChange {
  /** The VM's name (even when the caller passed its UUID). */
  readonly vm: string;
  /** The VM's UUID: the reference every command used. */
  readonly uuid: string;
  /** `live`: the running VM's balloon (controlvm); `default`: the balloon requested at every start (modifyvm). */
  readonly kind: 'live' | 'default';
  /** The size before, in MB. */
  readonly fromMb: number;
  /** The size after, in MB. */
  readonly toMb: number;
  /** The VBoxManage argv that ran or, under `dryRun`, would run. */
  readonly commands: readonly (readonly string[])[];
  /** True when nothing was changed. */
  readonly dryRun: boolean;
  /** How waiting for the guest went, when `wait` was asked for. */
  readonly wait?: WaitOutcome;
}

/** A settings change made by `disableLargePages` or `prepare`. */
export interface SettingsChange {
  /** The VM's name (even when the caller passed its UUID). */
  readonly vm: string;
  /** The VM's UUID: the reference every command used. */
  readonly uuid: string;
  /** Always `settings`. */
  readonly kind: 'settings';
  /** Large pages before and after, when they change. */
  readonly largePages?: Transition<boolean>;
  /** The default balloon before and after, when it changes. */
  readonly defaultBalloonMb?: Transition<number>;
  /** Page Fusion before and after, when it changes (`from` is `null` when showvminfo did not say). */
  readonly pageFusion?: Transition<boolean | null>;
  /** The VBoxManage argv that ran or would run: one `modifyvm`, or none when nothing needed changing. */
  readonly commands: readonly (readonly string[])[];
  /** True when nothing was changed. */
  readonly dryRun: boolean;
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

/**
 * How waiting went. The balloon was set before the wait began, so nothing that ends the wait early is an error of
 * the change: running out of time, an abort and a failed metrics read are all reported here, with the progress so far.
 */
export interface WaitOutcome {
  /** True when the guest got within the tolerance in time. */
  readonly reached: boolean;
  /** The last size the guest reported, or `null` when it reported none. */
  readonly actualMb: number | null;
  /** How long the wait took, in whole ms. */
  readonly elapsedMs: number;
  /** Why the wait ended: the size was reached, the time ran out, the caller's signal aborted it, or a read failed. */
  readonly ended: 'reached' | 'timeout' | 'aborted' | 'failed';
  /** The failure that ended the wait (`ended: 'aborted'` or `'failed'`), else `null`. The change itself stands. */
  readonly error: BalloonError | null;
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

/** Options of `reclaim`. */
export interface ReclaimOptions extends DryRunOptions {
  /** How much memory to take back from the guests, in MB. */
  readonly megabytes: number;
  /** The VMs to take it from. Default: every running VM. */
  readonly from?: readonly string[];
  /** Free memory every guest keeps, in MB. Default 256. */
  readonly keepGuestFreeMb?: number;
}

/** One VM's part in a reclaim. */
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

/** What the controller tells `onEvent`; the library itself never writes to the console. */
export type BalloonEvent =
  | {
      /** A client call the controller is about to make. */
      readonly type: 'command';
      /** The equivalent VBoxManage argv. */
      readonly argv: readonly string[];
    }
  | {
      /** A balloon change was made. */
      readonly type: 'change';
      /** The change. */
      readonly change: BalloonChange | SettingsChange;
    }
  | {
      /** A VBoxManage call is being tried again after a transient error (real client only). */
      readonly type: 'retry';
      /** The argv of the call. */
      readonly argv: readonly string[];
      /** The attempt that is starting (2 for the first retry). */
      readonly attempt: number;
    }
  | {
      /** An autopilot tick ended (the same event `onTick` gets). */
      readonly type: 'tick';
      /** What happened in the tick. */
      readonly tick: TickEvent;
    }
  | {
      /** Something the caller should know that is not an error. */
      readonly type: 'warning';
      /** The VM concerned, or `null`. */
      readonly vm: string | null;
      /** What happened. */
      readonly message: string;
    };

/** Options of {@link BalloonController}. */
export interface BalloonControllerOptions {
  /** How to reach VirtualBox: {@link ExecaVBoxManageClient} or {@link InMemoryVBoxManageClient}. */
  readonly client: VBoxManageClient;
  /** Receives typed events for logging. A listener that throws is ignored: it never breaks a call. */
  readonly onEvent?: (event: BalloonEvent) => void;
}
