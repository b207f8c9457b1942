import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import { autopilotRunning, invalidArgument, refusal, type BalloonError } from '../errors/index.js';
import { defaultBalloonBlockers, liveBalloonBlockers } from '../domain/balloon-rules.js';
import { hostSupport } from '../domain/host.js';
import type { MemoryLedger } from '../domain/memory-ledger.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions, VBoxManageClient } from '../port/client.js';
import { startAutopilot } from '../autopilot/autopilot.js';
import type { AutopilotHandle, AutopilotOptions } from '../autopilot/types.js';
import { ControllerCore, liveChange } from './controller-core.js';
import { checkCallOptions } from '../validate/call-options.js';
import { checkControllerOptions } from './controller-options.js';
import { inspect, inspectAll, memory } from './inspect.js';
import { prepare } from './prepare.js';
import {
  checkDryRunOptions,
  checkPrepareOptions,
  checkReclaimOptions,
  checkSetBalloonOptions,
  checkVmAndSize,
  vmRef,
} from './option-schemas.js';
import { reclaim, restore } from './reclaim.js';
import { giveBack } from './give-back.js';
import { planStart, startWithRoom } from './make-room.js';
import { checkGiveBackOptions, checkGiveBackTarget, checkMemoryOptions, checkRoomOptions, checkStartWithRoomOptions } from './room-options.js';
import type { GiveBackOptions, GiveBackResult, RoomOptions, RoomPlan, RoomRecord, StartWithRoomOptions, StartWithRoomResult } from './room-types.js';
import type { BalloonChange, SettingsChange } from '../events/index.js';
import type {
  BalloonControllerOptions,
  BalloonStatus,
  DryRunOptions,
  HostSupport,
  MemoryOptions,
  PrepareOptions,
  ReclaimOptions,
  ReclaimResult,
  RestoreResult,
  SetBalloonOptions,
} from './types.js';
import { waitForBalloon } from './wait.js';

// An argument whose getters or proxies throw is refused like any other bad argument, never thrown on.
function guarded<A>(check: () => Result<A, BalloonError>): Result<A, BalloonError> {
  try {
    return check();
  } catch (e) {
    return err(invalidArgument('arguments', 'an object that throws when read', `could not be read (${e instanceof Error ? e.message : String(e)})`, 'Pass plain values and plain objects.'));
  }
}

/**
 * The public facade: inspect VMs, change live and default balloons, reclaim memory across VMs and put it back.
 * Every method checks all of its arguments and options before any VBoxManage call, resolves the VM once and acts on
 * it by UUID, returns a `ResultAsync`, and never throws. A result or error never hides a change that was (or may
 * have been) made.
 *
 * ```ts
 * const vbox = localController(); // or new BalloonController({ client: new InMemoryVBoxManageClient() })
 * const change = await vbox.setBalloon('web-1', 1024, { wait: { timeoutMs: 30_000 } });
 * ```
 */
export class BalloonController {
  readonly #core: ControllerCore;
  // Options that could not be accepted: every call returns this error (a constructor cannot return a Result).
  readonly #invalid: BalloonError | null;
  #autopilot: AutopilotHandle | null = null;

  /** A controller over any {@link VBoxManageClient}. Bad options make every call return `INVALID_ARGUMENT`. */
  constructor(options: BalloonControllerOptions) {
    const checked = guarded(() => checkControllerOptions(options));
    this.#invalid = checked.isErr() ? checked.error : null;
    const client = checked.isOk() ? checked.value.client : (null as unknown as VBoxManageClient);
    this.#core = new ControllerCore(client, checked.isOk() ? checked.value.onEvent : undefined);
  }

  /**
   * Release what the client holds (for a remote host: end the shared ssh connection). Calls made afterwards open it
   * again. Safe to call more than once; clients without anything to release need no call.
   */
  close(): ResultAsync<void, BalloonError> {
    const client = this.#core.client as Partial<{ close(): ResultAsync<void, BalloonError> }> | null;
    if (client === null || typeof client.close !== 'function') return new ResultAsync(Promise.resolve(ok(undefined)));
    return client.close();
  }

  /** The client this controller talks through. */
  get client(): VBoxManageClient {
    return this.#core.client;
  }

  /** Whether the host where VBoxManage runs can balloon (from `list hostinfo`), and why not. */
  hostSupport(options?: CallOptions): ResultAsync<HostSupport, BalloonError> {
    return this.#run(() => checkCallOptions(options, 'options'), (o) =>
      this.#core.hostInfo(o, true).map((host) => {
        const check = hostSupport(host);
        return { ...host, supported: check.isOk(), reasons: check.isErr() ? [check.error.reason] : [] };
      }),
    );
  }

  /** The balloon status of one VM: showvminfo, plus the guest's metrics while it runs. */
  inspect(vm: string, options?: CallOptions): ResultAsync<BalloonStatus, BalloonError> {
    return this.#run(() => vmRef(vm, 'vm').andThen((ref) => checkCallOptions(options, 'options').map((o) => ({ ref, o }))), ({ ref, o }) => inspect(this.#core, ref, o));
  }

  /** The status of every registered VM, with one metrics query for all the running ones. */
  inspectAll(options?: CallOptions): ResultAsync<BalloonStatus[], BalloonError> {
    return this.#run(() => checkCallOptions(options, 'options'), (o) => inspectAll(this.#core, o));
  }

  /** The host's memory in one model (docs/concepts.md): budget, backing, headroom and what each VM could give, with why. */
  memory(options?: MemoryOptions): ResultAsync<MemoryLedger, BalloonError> {
    return this.#run(() => checkMemoryOptions(options, 'options'), (o) => memory(this.#core, o));
  }

  /**
   * Change the live balloon of a running or paused VM (`controlvm … guestmemoryballoon`). Every blocker is checked
   * first: one comes back as itself, several as `BLOCKED`. With `wait`, polls the achieved size until it is within
   * tolerance; how the wait ended (reached, time out, aborted, a failed read) is in `wait`, never an error, because
   * the balloon was set.
   */
  setBalloon(vm: string, sizeMb: number, options?: SetBalloonOptions): ResultAsync<BalloonChange, BalloonError> {
    return this.#run(() => checkVmAndSize(vm, sizeMb).andThen((a) => checkSetBalloonOptions(options, 'options').map((o) => ({ ...a, o }))), async ({ vm: ref, sizeMb: size, o }) => {
      const info = await this.#core.show(ref, o);
      if (info.isErr()) return err(info.error);
      const v = info.value;
      const blockers = liveBalloonBlockers(v, size, this.#core.host).filter((b) => o.allowLargePages !== true || b.code !== 'LARGE_PAGES_ENABLED');
      if (blockers.length > 0) return err(refusal(v.name, 'live balloon change', blockers));
      if (v.largePages === true) this.#core.emit({ type: 'warning', vm: v.name, message: 'large pages are on; the balloon may not free memory (allowLargePages)' });
      const step = { vm: v, fromMb: v.balloonMb, toMb: size };
      if (o.dryRun === true) return ok(liveChange(step, true));
      const set = await this.#core.setLive(step, o);
      if (set.isErr()) return err(set.error);
      const change = set.value;
      if (o.wait === undefined) return ok(change);
      const waited = await waitForBalloon(this.#core, v, size, o.wait, o.signal);
      // A wait the caller stopped is told by the result (`wait.ended: 'aborted'`), not warned about as well.
      if (waited.ended === 'aborted') return ok({ ...change, wait: waited });
      if (waited.error !== null) this.#core.emit({ type: 'warning', vm: v.name, message: `the balloon was set to ${size} MB; the wait ended early: ${waited.error.message}` });
      else if (!waited.reached) {
        this.#core.emit({ type: 'warning', vm: v.name, message: `the guest reached ${waited.actualMb ?? 'no reported size'} of ${size} MB in ${waited.elapsedMs} ms` });
      }
      return ok({ ...change, wait: waited });
    });
  }

  /** Change the default balloon, requested at every start (`modifyvm --guestmemoryballoon`). The VM must be off. */
  setDefaultBalloon(vm: string, sizeMb: number, options?: DryRunOptions): ResultAsync<BalloonChange, BalloonError> {
    return this.#run(() => checkVmAndSize(vm, sizeMb).andThen((a) => checkDryRunOptions(options, 'options').map((o) => ({ ...a, o }))), async ({ vm: ref, sizeMb: size, o }) => {
      const info = await this.#core.show(ref, o);
      if (info.isErr()) return err(info.error);
      const v = info.value;
      const blockers = defaultBalloonBlockers(v, size, this.#core.host);
      if (blockers.length > 0) return err(refusal(v.name, 'default balloon change', blockers));
      const settings = { defaultBalloonMb: size };
      const change: BalloonChange = { vm: v.name, uuid: v.uuid, kind: 'default', fromMb: v.balloonMb, toMb: size, commands: [commands.modifyVm(v.uuid, settings)], dryRun: o.dryRun === true };
      if (change.dryRun) return ok(change);
      const set = await this.#core.modify(v, settings, o);
      if (set.isErr()) return err(set.error);
      this.#core.emit({ type: 'change', change });
      return ok(change);
    });
  }

  /** Turn large pages off on a VM that is off, so that ballooning works. Nothing runs when they are already off. */
  disableLargePages(vm: string, options?: DryRunOptions): ResultAsync<SettingsChange, BalloonError> {
    return this.#run(() => vmRef(vm, 'vm').andThen((ref) => checkDryRunOptions(options, 'options').map((o) => ({ ref, o }))), ({ ref, o }) => prepare(this.#core, ref, o));
  }

  /**
   * Make a VM that is off ready for ballooning in ONE `modifyvm` call: large pages off and, when given, the default
   * balloon and Page Fusion (see docs/page-fusion.md). Nothing runs when nothing needs changing. A default balloon is only set on a VM that is off: while a
   * VM runs, VirtualBox shows its live balloon, so whether the default is already right cannot be told.
   */
  prepare(vm: string, options?: PrepareOptions): ResultAsync<SettingsChange, BalloonError> {
    return this.#run(() => vmRef(vm, 'vm').andThen((ref) => checkPrepareOptions(options, 'options', ref).map((o) => ({ ref, o }))), ({ ref, o }) => prepare(this.#core, ref, o));
  }

  /**
   * Inflate the balloons of running VMs to free `megabytes` for other VMs: first from the guests with the most free
   * memory, never leaving a guest below `keepGuestFreeMb` free, never past `maxBalloonMb`. `RECLAIM_SHORTFALL` says
   * how much can be had and which VMs were left out, and why. If a change fails or is interrupted midway, every
   * change that was (or may have been) made is put back, and `APPLY_FAILED` lists per VM what was done and undone.
   */
  reclaim(options: ReclaimOptions): ResultAsync<ReclaimResult, BalloonError> {
    return this.#run(() => checkReclaimOptions(options), (o) => reclaim(this.#core, o));
  }

  /**
   * Deflate live balloons back to each VM's default (all running VMs when no VM is given). The default of a running
   * VM cannot be read from VirtualBox; the controller uses what it knows (see docs/concepts.md) and 0 otherwise,
   * with a warning. One VM failing does not stop the others; an abort stops the rest (`aborted`, `skipped`).
   */
  restore(vm?: string, options?: CallOptions): ResultAsync<RestoreResult, BalloonError> {
    const ref: Result<string | undefined, BalloonError> = vm === undefined ? ok(undefined) : vmRef(vm, 'vm');
    return this.#run(() => ref.andThen((r) => checkCallOptions(options, 'options').map((o) => ({ r, o }))), ({ r, o }) => restore(this.#core, r, o));
  }

  /**
   * How starting a VM that is off would be covered, without changing anything: what it needs (RAM plus VirtualBox's
   * overhead), what the budget has left without ballooning, and which running guests' balloons would give the rest,
   * most-free first. `fits: false` with `missingMb` when it cannot be covered. See docs/make-room.md.
   */
  planStart(vm: string, options?: RoomOptions & Pick<StartWithRoomOptions, 'type'>): ResultAsync<RoomPlan, BalloonError> {
    return this.#run(() => vmRef(vm, 'vm').andThen((ref) => checkRoomOptions(options, 'options', ref).map((o) => ({ ref, o }))), async ({ ref, o }) =>
      (await planStart(this.#core, ref, o)).map((p) => p.plan),
    );
  }

  /**
   * Make room and start a VM: inflate the planned balloons, wait until they have freed enough, run `startvm`. If
   * anything fails or the signal aborts, the balloons are put back and `APPLY_FAILED` says what was done and undone;
   * `NO_ROOM` (nothing changed) when the start cannot be covered. The result's `room` is what {@link giveBack} needs.
   */
  startWithRoom(vm: string, options?: StartWithRoomOptions): ResultAsync<StartWithRoomResult, BalloonError> {
    return this.#run(() => vmRef(vm, 'vm').andThen((ref) => checkStartWithRoomOptions(options, 'options', ref).map((o) => ({ ref, o }))), ({ ref, o }) => startWithRoom(this.#core, ref, o));
  }

  /**
   * After a VM started with room has stopped, deflate the balloons inflated for it back to what they asked for
   * before, except those set since by anyone else (their live request is no longer the size the room set): those are
   * left alone and listed in `skipped`. Pass the result of {@link startWithRoom} (or its `room`), or the VM when this
   * controller started it.
   */
  giveBack(target: string | RoomRecord | StartWithRoomResult, options?: GiveBackOptions): ResultAsync<GiveBackResult, BalloonError> {
    return this.#run(() => checkGiveBackTarget(target).andThen((t) => checkGiveBackOptions(options, 'options').map((o) => ({ t, o }))), ({ t, o }) => giveBack(this.#core, t, o));
  }

  /**
   * Size every running VM's balloon automatically, tick after tick, with the VBoxBalloonCtrl or the budget policy
   * (see docs/autopilot.md). A steady tick costs `list runningvms` + one metrics query + one `controlvm` per VM
   * that changes. Its commands, changes and ticks are reported through `onEvent` too. Returns a handle with `stop()`
   * and a `done` promise; `INVALID_ARGUMENT` for bad options; `AUTOPILOT_RUNNING` while this controller runs one.
   */
  autopilot(options: AutopilotOptions): Result<AutopilotHandle, BalloonError> {
    if (this.#invalid !== null) return err(this.#invalid);
    if (this.#autopilot !== null) return err(autopilotRunning());
    // The autopilot runs on the controller's core: its reads and changes go through the same gateway as every call.
    const started = guarded(() => startAutopilot(this.#core, options));
    if (started.isOk()) {
      const handle = started.value;
      this.#autopilot = handle;
      void handle.done.finally(() => {
        if (this.#autopilot === handle) this.#autopilot = null;
      });
    }
    return started;
  }

  // Checked input, then the body; the body never runs for bad input, and a bug that throws is still a rejection
  // rather than a synchronous throw.
  #run<A, T>(check: () => Result<A, BalloonError>, body: (a: A) => PromiseLike<Result<T, BalloonError>>): ResultAsync<T, BalloonError> {
    if (this.#invalid !== null) return errAsync(this.#invalid);
    const pre = guarded(check);
    if (pre.isErr()) return errAsync(pre.error);
    const input = pre.value;
    return new ResultAsync((async () => body(input))());
  }
}
