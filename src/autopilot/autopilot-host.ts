// What the autopilot needs from whoever runs it. The controller's core implements it: every read and every change
// the autopilot makes goes through the controller's one gateway (its checks, per-VM queue, read-back and events).
import type { Result } from 'neverthrow';
import type { BalloonError } from '../errors/index.js';
import type { VmInfo, VmSummary } from '../domain/vm-info.js';
import type { BalloonChange } from '../events/change.js';
import type { BalloonEvent } from '../events/balloon-event.js';
import type { CallOptions, GuestMemory, HostMemory } from '../port/client.js';
import type { GuestGuard } from '../domain/memory-ledger.js';

type Async<T> = Promise<Result<T, BalloonError>>;

/** A VM named for people and acted on by UUID. @internal */
export interface NamedVm {
  readonly name: string;
  readonly uuid: string;
}

/** A running VM whose live balloon is to change, as it was read. @internal */
export interface LiveTarget extends NamedVm {
  /** Configured RAM in MB: the size is checked against VirtualBox's limit for it. */
  readonly memoryMb: number;
  /** The live balloon showvminfo printed when the VM was read, in MB. */
  readonly balloonMb: number;
}

/** One live balloon change: the VM, the size before (for the change record) and the size to ask for. @internal */
export interface LiveChangeRequest {
  readonly vm: LiveTarget;
  readonly fromMb: number;
  readonly toMb: number;
}

/** What is held for VMs being started with room, by UUID, in MB: a copy, taken when asked for. @internal */
export interface HeldForStarts {
  /** Memory promised to each VM being started: off the budget until it runs and counts itself. */
  readonly reservations: ReadonlyMap<string, number>;
  /** Balloons inflated to make that room (the size asked for): left alone while the VM starts. */
  readonly holds: ReadonlyMap<string, number>;
}

/** The live balloons set through the host after a mark (by UUID, the last size asked for), and the mark to pass next. @internal */
export interface LiveBalloonsSince {
  readonly mark: number;
  readonly balloons: ReadonlyMap<string, number>;
}

/**
 * The autopilot's host: the reads it makes, the one way it changes a balloon, where its events go, and what the
 * host's other callers did meanwhile. Each read or change reports its own `command` event; the autopilot emits none.
 * @internal
 */
export interface AutopilotHost {
  /** `list runningvms`. */
  runningVms(options: CallOptions): Async<readonly VmSummary[]>;
  /** `list vms`: every registered VM (the host-memory model counts those that hold memory outside the running list). */
  allVms(options: CallOptions): Async<readonly VmSummary[]>;
  /** `showvminfo` of one VM. */
  show(ref: string, options: CallOptions): Async<VmInfo>;
  /** `list hostinfo`: the host's RAM, total and free. */
  hostMemory(options: CallOptions): Async<HostMemory>;
  /** One metrics query for all of `vms`, by UUID. */
  guestMemory(vms: readonly NamedVm[], options: CallOptions): Async<ReadonlyMap<string, GuestMemory>>;
  /**
   * Set a live balloon through the host's one gateway. Ok with the change record when it was made (an answer that
   * could not be read is checked by reading the VM back); an error's `outcome` says whether it may have been. The
   * gateway emits the `command`, `change` and any `warning` events.
   */
  setLive(change: LiveChangeRequest, options: CallOptions): Async<BalloonChange>;
  /** Report an event to the host's listener; a listener that throws never breaks the autopilot. */
  emit(event: BalloonEvent): void;
  /** What the host holds for VMs it is starting with room now. */
  heldForStarts(): HeldForStarts;
  /** The mark to pass to {@link liveBalloonsSince} to learn only what is set from now on. */
  liveBalloonMark(): number;
  /** The live balloons set through the host (by anyone, the autopilot included) after `mark`. */
  liveBalloonsSince(mark: number): LiveBalloonsSince;
  /**
   * What the autopilot asks for each guest now (by UUID): its own reserve (per-VM limits) and its cool-down after a
   * push-back; after each tick, and empty when it stops. Make room and reclaim on the same host respect them. Optional.
   */
  setGuestGuards?(guards: ReadonlyMap<string, GuestGuard>): void;
}
