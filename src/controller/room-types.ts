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
  /** Only these running VMs may give memory (names or UUIDs). Default: every running VM. */
  readonly from?: readonly string[];
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
  readonly fixes: readonly ErrorFix[];
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
}

/** Options of `giveBack`. */
export interface GiveBackOptions extends CallOptions {
  /** Give back even though the started VM still runs (it may then lack memory). Default false. */
  readonly force?: boolean;
  /** Plan only: nothing is changed. */
  readonly dryRun?: boolean;
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
}
