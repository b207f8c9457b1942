// The types of making room for a VM to start, and of giving the memory back.
import type { LeftOutVm, BalloonError, ErrorFix, VmFailure } from '../errors/index.js';
import type { VmState } from '../domain/vm-state.js';
import type { CallOptions, StartVmType } from '../port/client.js';
import type { BalloonChange } from '../events/index.js';
import type { ReclaimPlanEntry } from './types.js';

/** What decides how much room a VM needs and where it comes from. */
export interface RoomOptions extends CallOptions {
  /**
   * The memory the guests may be backed with, in MB, counted by the host-memory model as everywhere (a running VM's
   * RAM minus its balloon; a VM that cannot balloon, or is starting, stuck or saving, with all of its RAM; see
   * docs/concepts.md). Ballooned memory is not returned to the host as free memory, so the host's free memory cannot
   * say how much room there is. Default: `budgetPercent` of host RAM.
   */
  readonly budgetMb?: number;
  /** The budget as a percentage of host RAM, when `budgetMb` is not given. Default 80 (as the autopilot's). */
  readonly budgetPercent?: number;
  /**
   * VirtualBox's memory for the VM beyond its RAM (page tables, device state, video memory), in MB. Default
   * {@link DEFAULT_VM_OVERHEAD_MB} plus the VM's video memory (`vram`). VirtualBox does not document a figure: measure
   * yours (the VM process's resident memory minus its RAM) and set it.
   */
  readonly overheadMb?: number;
  /** Free memory each running guest keeps when its balloon grows, in MB. Default 256. */
  readonly keepGuestFreeMb?: number;
  /** Free memory each running guest keeps as a percentage of its RAM, when that is more than `keepGuestFreeMb`. Default 10. */
  readonly keepGuestFreePercent?: number;
  /**
   * Only these running VMs may give memory (names or UUIDs). Default: every running VM. An empty list: none gives,
   * so the start must fit the budget's headroom without any ballooning (`NO_ROOM` otherwise).
   */
  readonly from?: readonly string[];
  /**
   * Start a new linked clone instead of a VM that exists: the VM named in the call is made with `cloneVm` from this
   * base's snapshot (default: the base's current snapshot) once the plan fits, and planned with the base's RAM. A
   * base that is missing, a snapshot it lacks or a name that is taken is refused before anything is made.
   */
  readonly clone?: CloneFrom;
}

/** The template of a clone: the base VM and its snapshot. */
export interface CloneFrom {
  /** The base VM (name or UUID), registered on the host. */
  readonly from: string;
  /** The base's snapshot (name or UUID). Default: the base's current snapshot. */
  readonly snapshot?: string;
}

/** A clone made for a start. */
export interface CloneMade {
  /** The base VM's name. */
  readonly from: string;
  /** The snapshot it was cloned from (as passed to `clonevm`). */
  readonly snapshot: string;
  /** The clone's name. */
  readonly name: string;
  /** The clone's UUID, as read back after `clonevm`; `null` when it could not be read. */
  readonly uuid: string | null;
}

/** What `startWithRoom` does beyond the plan. */
export interface StartWithRoomOptions extends RoomOptions {
  /** How the VM runs (`startvm --type`). Default `headless`. */
  readonly type?: StartVmType;
  /** Plan only: nothing is changed and nothing is started. */
  readonly dryRun?: boolean;
  /** How long to wait for the balloons to free what the start needs, in ms. Default 120 000. */
  readonly waitTimeoutMs?: number;
  /** How often to read the guests' balloons while waiting, in ms. Default 1000. */
  readonly pollMs?: number;
  /** The time limit of the `startvm` call itself, in ms (a start can take a while). Default 120 000. */
  readonly startTimeoutMs?: number;
  /** The time limit of the `clonevm` call (with `clone`), in ms. Default 600 000. */
  readonly cloneTimeoutMs?: number;
  /**
   * Called once the start's memory is held on this controller's model (its plan fits and no other start on this
   * controller can plan from the same memory any more), before anything changes. A fleet uses it to plan its next
   * placement. A callback that throws is ignored.
   */
  readonly onPlanned?: (plan: RoomPlan) => void;
}

/** VirtualBox's overhead per VM, in MB, that `overheadMb` defaults to (plus the VM's video memory). An estimate. */
export const DEFAULT_VM_OVERHEAD_MB = 128;

/** Where a start's memory would come from: the budget's headroom first, then the balloons of running guests. */
export interface RoomPlan {
  /** The VM to start (its name). */
  readonly vm: string;
  /** Its UUID. */
  readonly uuid: string;
  /** Its state now. */
  readonly state: VmState;
  /** Its RAM, in MB. */
  readonly memoryMb: number;
  /** VirtualBox's overhead counted for it, in MB. */
  readonly overheadMb: number;
  /** What its start needs: RAM plus overhead, in MB. */
  readonly needMb: number;
  /** The budget, in MB. */
  readonly budgetMb: number;
  /** Memory backing the guests now, in MB: the host-memory ledger's `backingMb` (docs/concepts.md). */
  readonly backingMb: number;
  /** Memory kept for other starts in flight on this controller, in MB. */
  readonly reservedMb: number;
  /** What the budget has left without ballooning (`budgetMb - backingMb - reservedMb`, at least 0), in MB. */
  readonly headroomMb: number;
  /** What must come from balloons, in MB (0 when the headroom covers the start). */
  readonly reclaimMb: number;
  /** Whether the start fits: the headroom and the reclaim plan cover `needMb`. */
  readonly fits: boolean;
  /** What is missing when it does not fit, in MB (else 0). */
  readonly missingMb: number;
  /** The balloons to inflate, most-free guests first (empty when nothing must be reclaimed or it does not fit). */
  readonly entries: readonly ReclaimPlanEntry[];
  /** VMs that hold memory but can give nothing (or, with `from`, those named that cannot), with why. */
  readonly leftOut: readonly LeftOutVm[];
  /** Host RAM and what the host reports free (for reference: ballooned memory never shows up as free). */
  readonly host: {
    /** Host RAM in MB. */
    readonly totalMb: number;
    /** Host RAM the host reports free, in MB. */
    readonly freeMb: number;
  };
  /** The plan in words, one line per step of the reasoning. */
  readonly explanation: readonly string[];
  /** The options the explanation names (an estimated overhead names `overheadMb`), as data: see {@link ErrorFix}. */
  readonly fixes?: readonly ErrorFix[];
  /** The VBoxManage argv that a start with room would run, in order. */
  readonly commands: readonly (readonly string[])[];
}

/** One balloon inflated to make room: what `giveBack` puts back. */
export interface RoomTaken {
  /** The VM's name. */
  readonly vm: string;
  /** Its UUID. */
  readonly uuid: string;
  /** The live balloon it asked for before, in MB (what giving back restores). */
  readonly fromMb: number;
  /** The live balloon set to make room, in MB. */
  readonly toMb: number;
}

/** What was taken for a VM's start: plain data (JSON round-trips it), for `giveBack` in this process or another. */
export interface RoomRecord {
  /** The VM that was started (its name). */
  readonly vm: string;
  /** Its UUID. */
  readonly uuid: string;
  /** The balloons inflated for it. */
  readonly taken: readonly RoomTaken[];
  /** When the VM is a clone made for this start: its base and snapshot (`giveBack` with `delete` removes it). */
  readonly clone?: {
    /** The base VM's name. */
    readonly from: string;
    /** The snapshot it was cloned from (its name). */
    readonly snapshot: string;
  };
}

/** What `startWithRoom` did or, under `dryRun`, would do. */
export interface StartWithRoomResult {
  /** The VM (its name). */
  readonly vm: string;
  /** Its UUID. */
  readonly uuid: string;
  /** True when nothing was changed or started. */
  readonly dryRun: boolean;
  /** The plan it followed. */
  readonly plan: RoomPlan;
  /** The balloon changes made to make room, in order. */
  readonly changes: readonly BalloonChange[];
  /** Whether the VM was started (false only under `dryRun`). */
  readonly started: boolean;
  /** The VM's state after the start, as read back. */
  readonly state: VmState;
  /**
   * The error that cut the `startvm` call short when the VM started all the same (a time limit or the caller's signal
   * hit while VirtualBox was starting it); else `null`.
   */
  readonly interrupted: BalloonError | null;
  /** What `giveBack` needs once the VM has stopped. */
  readonly room: RoomRecord;
  /** The clone made for this start (with `clone`), else `null`. */
  readonly clone: CloneMade | null;
}

/** Options of `giveBack`. */
export interface GiveBackOptions extends CallOptions {
  /** Give back even though the started VM still runs (it may then lack memory). Default false. */
  readonly force?: boolean;
  /** Plan only: nothing is changed. */
  readonly dryRun?: boolean;
  /**
   * Remove the VM too (`unregistervm --delete`), once its balloons are given back: only for a clone made by
   * `startWithRoom` with `clone` (its record says so), and only while it is not running (`force` does not change that).
   */
  readonly delete?: boolean;
}

/** A balloon `giveBack` left alone, with why. */
export interface RoomSkipped {
  /** The VM's name. */
  readonly vm: string;
  /** Why, in words (it stopped; its balloon was changed since by someone else, with the sizes). */
  readonly reason: string;
}

/** What `giveBack` did. */
export interface GiveBackResult {
  /** The VM the room was made for. */
  readonly vm: string;
  /** The balloons deflated, in order. */
  readonly changes: readonly BalloonChange[];
  /** The balloons left alone, with why. */
  readonly skipped: readonly RoomSkipped[];
  /** The balloons that could not be deflated, with why. */
  readonly failed: readonly VmFailure[];
  /** Whether the caller's signal stopped it before every balloon was handled (the rest are in `skipped`). */
  readonly aborted: boolean;
  /** True when nothing was changed. */
  readonly dryRun: boolean;
  /** With `delete`: whether the clone was removed (`unregistervm --delete`); `false` without `delete` or under `dryRun`. */
  readonly deleted: boolean;
}
