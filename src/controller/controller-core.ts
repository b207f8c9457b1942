// What every controller operation shares: the client, events, the host, the defaults it knows, and the one gateway
// through which every live change is made (by UUID, one at a time per VM, with its outcome told truthfully). It is
// the autopilot's host too: the autopilot reads and changes through it, and never touches its state.
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { aborted, show, type BalloonError } from '../errors/index.js';
import { validateBalloonSize } from '../domain/balloon-size.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo, VmSummary } from '../domain/vm-info.js';
import type { GuestGuard } from '../domain/memory-ledger.js';
import { LIVE_BALLOON_STATES } from '../domain/vm-state.js';
import type { BalloonChange, BalloonEvent } from '../events/index.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions, GuestMemory, HostMemory, ModifyVmSettings, StartVmType, VBoxManageClient } from '../port/client.js';
import { KeyedQueue } from '../util/keyed-queue.js';
import type { AutopilotHost, HeldForStarts, LiveBalloonsSince, LiveChangeRequest, NamedVm } from '../autopilot/autopilot-host.js';
import type { RoomRecord } from './room-types.js';
import { callOptions } from './option-schemas.js';

/** @internal */
export type Async<T> = Promise<Result<T, BalloonError>>;


/** True for a running or paused VM: one with a console, live balloon and guest metrics. @internal */
export function isOnline(vm: VmInfo): boolean {
  return LIVE_BALLOON_STATES.includes(vm.state);
}

/**
 * An error the client reported about a VM it was given by UUID, renamed for people: `vm` is the VM's name, and the
 * message names it too. @internal
 */
export function named<E extends BalloonError>(e: E, vm: { readonly name: string; readonly uuid: string }): E {
  if (e.vm !== vm.uuid || vm.name === vm.uuid) return e;
  return Object.freeze({ ...e, vm: vm.name, message: e.message.split(show(vm.uuid)).join(`${show(vm.name)} (${vm.uuid})`) }) as unknown as E;
}

/** The change record of a live change, as results and events show it. @internal */
export function liveChange(change: LiveChangeRequest, dryRun: boolean): BalloonChange {
  return { vm: change.vm.name, uuid: change.vm.uuid, kind: 'live', fromMb: change.fromMb, toMb: change.toMb, commands: [commands.setLiveBalloon(change.vm.uuid, change.toMb)], dryRun };
}

/** The shared core of {@link BalloonController}, and the host its autopilot runs on. @internal */
export class ControllerCore implements AutopilotHost {
  readonly client: VBoxManageClient;
  readonly #onEvent: ((event: BalloonEvent) => void) | undefined;
  #host: HostInfo | undefined;
  // The default balloon of each VM (by UUID), as far as this controller knows it: showvminfo prints the runtime
  // value while a VM runs, so the default is remembered from VMs seen off, from our own modifyvm calls, and from
  // the value a VM had before this controller first changed it.
  readonly defaults = new Map<string, number>();
  // Memory promised to VMs being started with room (by UUID): an autopilot on this controller takes it off its budget.
  readonly reservations = new Map<string, number>();
  // The balloons inflated for those starts (by UUID, the size asked for): the autopilot leaves them alone meanwhile.
  readonly holds = new Map<string, number>();
  // What an autopilot on this controller asks for each guest (by UUID): its own reserve, and a cool-down after it
  // pushed back (then it is not a donor).
  readonly guards = new Map<string, GuestGuard>();
  // What was taken for each VM started with room (by UUID), for giveBack by VM.
  readonly rooms = new Map<string, RoomRecord>();
  // The VMs (by UUID) whose room was given back, until they are started with room again: a second giveBack says so.
  readonly givenBack = new Set<string>();
  // The last live balloon set through the gateway for each VM (by UUID), with the mark it was set at: an autopilot
  // asks for those set after the mark it last saw.
  readonly #asked = new Map<string, { readonly mb: number; readonly mark: number }>();
  #mark = 0;
  // Live changes to one VM go through the gateway one at a time (a change and its read-back are never interleaved).
  readonly #perVm = new KeyedQueue();
  // Starts with room plan one at a time, each until its memory is held: two never plan from the same free memory.
  readonly planning = new KeyedQueue();

  constructor(client: VBoxManageClient, onEvent: ((event: BalloonEvent) => void) | undefined) {
    this.client = client;
    this.#onEvent = onEvent;
  }

  get host(): HostInfo | undefined {
    return this.#host;
  }

  /** Tell the listener; a listener that throws never breaks the call that emits. */
  emit(event: BalloonEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // The listener's own bug: ignored on purpose (documented on BalloonControllerOptions.onEvent).
    }
  }

  // The host's OS does not change: it is read once per controller (hostSupport always reads it afresh).
  hostInfo(options: CallOptions, fresh: boolean): ResultAsync<HostInfo, BalloonError> {
    if (!fresh && this.#host !== undefined) return new ResultAsync(Promise.resolve(ok(this.#host)));
    this.emit({ type: 'command', argv: commands.hostInfo() });
    return this.client.hostInfo(callOptions(options)).map((h) => (this.#host = h));
  }

  /** showvminfo: resolves a name or UUID once; everything after it uses the UUID. */
  async show(ref: string, options: CallOptions): Async<VmInfo> {
    this.emit({ type: 'command', argv: commands.showVmInfo(ref) });
    const info = await this.client.showVmInfo(ref, callOptions(options));
    if (info.isOk() && !isOnline(info.value)) this.defaults.set(info.value.uuid, info.value.balloonMb);
    return info;
  }

  /** `list runningvms`. */
  async runningVms(options: CallOptions): Async<readonly VmSummary[]> {
    this.emit({ type: 'command', argv: commands.listRunningVms() });
    return await this.client.listRunningVms(callOptions(options));
  }

  /** `list vms`. */
  async allVms(options: CallOptions): Async<readonly VmSummary[]> {
    this.emit({ type: 'command', argv: commands.listVms() });
    return await this.client.listVms(callOptions(options));
  }

  /** The host's RAM, total and free (`list hostinfo`). */
  async hostMemory(options: CallOptions): Async<HostMemory> {
    this.emit({ type: 'command', argv: commands.hostInfo() });
    return await this.client.hostMemory(callOptions(options));
  }

  /**
   * Guest memory of resolved VMs, by UUID. One call may run several commands (`metrics setup`, `metrics query`): the
   * client tells each through `onRun`; a client that does not is taken to have run the one `metrics query`.
   */
  async guestMemory(vms: readonly NamedVm[], options: CallOptions): Async<Map<string, GuestMemory>> {
    if (vms.length === 0) return ok(new Map());
    let told = 0;
    const onRun = (argv: readonly string[]): void => {
      told++;
      this.emit({ type: 'command', argv: [...argv] });
    };
    const mem = await this.client.guestMemory(
      vms.map((v) => v.uuid),
      { ...callOptions(options), onRun },
    );
    if (told === 0) this.emit({ type: 'command', argv: commands.metricsQuery() });
    if (mem.isErr()) {
      const only = vms.length === 1 ? vms[0] : undefined;
      return err(only === undefined ? mem.error : named(mem.error, only));
    }
    return ok(new Map(mem.value.map((m, i) => [vms[i]?.uuid ?? m.vm, m])));
  }

  /**
   * THE gateway for live balloon changes: `setBalloon`, `reclaim`, a start's room, `giveBack`, `restore`, rollbacks
   * and the autopilot all change a live balloon here and nowhere else. The size is checked against the VM's RAM (no
   * call for a bad one); changes to one VM run one at a time; it emits `command`, then `change` once made. Ok only
   * when the change was made; an error's `outcome` says whether it may have been. An answer that cannot be trusted
   * (exit 0 with unexpected output) is checked by reading the VM back.
   */
  setLive(change: LiveChangeRequest, options: CallOptions): Async<BalloonChange> {
    const { vm, toMb } = change;
    const size = validateBalloonSize(toMb, vm.memoryMb, vm.name);
    if (size.isErr()) return Promise.resolve(err(size.error));
    // Given up while it waits behind another change to the same VM: nothing ran.
    const gaveUp = (): Result<BalloonChange, BalloonError> => err(aborted(vm.name, commands.setLiveBalloon(vm.uuid, toMb), 'not-applied'));
    return this.#perVm.run(vm.uuid, () => this.#setLiveNow(change, options), options.signal, gaveUp);
  }

  async #setLiveNow(change: LiveChangeRequest, options: CallOptions): Async<BalloonChange> {
    const { vm, toMb } = change;
    this.#rememberDefault(vm);
    this.emit({ type: 'command', argv: commands.setLiveBalloon(vm.uuid, toMb) });
    const set = await this.client.setLiveBalloon(vm.uuid, toMb, callOptions(options));
    const made = set.isOk() ? set : await this.#readBack(vm, set.error, options, (v) => isOnline(v) && v.balloonMb === toMb);
    if (made.isErr()) return err(made.error);
    this.#asked.set(vm.uuid, { mb: toMb, mark: ++this.#mark });
    const record = liveChange(change, false);
    this.emit({ type: 'change', change: record });
    return ok(record);
  }

  /** What is held for VMs being started with room now: a copy, so that no one else holds the controller's maps. */
  heldForStarts(): HeldForStarts {
    return { reservations: new Map(this.reservations), holds: new Map(this.holds) };
  }

  setGuestGuards(guards: ReadonlyMap<string, GuestGuard>): void {
    this.guards.clear();
    for (const [uuid, guard] of guards) this.guards.set(uuid, guard);
  }

  liveBalloonMark(): number {
    return this.#mark;
  }

  liveBalloonsSince(mark: number): LiveBalloonsSince {
    const balloons = new Map<string, number>();
    for (const [uuid, asked] of this.#asked) if (asked.mark > mark) balloons.set(uuid, asked.mb);
    return { mark: this.#mark, balloons };
  }

  /** `startvm` of a resolved VM, by UUID; an error names the VM. */
  async start(vm: VmInfo, type: StartVmType, options: CallOptions): Async<void> {
    this.emit({ type: 'command', argv: commands.startVm(vm.uuid, type) });
    const started = await this.client.startVm(vm.uuid, { ...callOptions(options), type });
    return started.isOk() ? started : err(named(started.error, vm));
  }

  /** `clonevm` of a resolved base: a linked clone of its snapshot named `name`, registered. */
  async clone(base: NamedVm, snapshot: string, name: string, options: CallOptions): Async<void> {
    this.emit({ type: 'command', argv: commands.cloneVm(base.uuid, snapshot, name) });
    const made = await this.client.cloneVm(base.uuid, { ...callOptions(options), snapshot, name });
    return made.isOk() ? made : err(named(made.error, base));
  }

  /** `unregistervm` of a resolved VM, by UUID, with `--delete` when asked. */
  async unregister(vm: NamedVm, del: boolean, options: CallOptions): Async<void> {
    this.emit({ type: 'command', argv: commands.unregisterVm(vm.uuid, del) });
    const gone = await this.client.unregisterVm(vm.uuid, { ...callOptions(options), delete: del });
    return gone.isOk() ? gone : err(named(gone.error, vm));
  }

  /** One `modifyvm` on a resolved VM, with the same truthful outcome as {@link setLive}. */
  async modify(vm: VmInfo, settings: ModifyVmSettings, options: CallOptions): Async<void> {
    this.emit({ type: 'command', argv: commands.modifyVm(vm.uuid, settings) });
    const set = await this.client.modifyVm(vm.uuid, settings, callOptions(options));
    if (set.isOk()) {
      if (settings.defaultBalloonMb !== undefined) this.defaults.set(vm.uuid, settings.defaultBalloonMb);
      return set;
    }
    return this.#readBack(vm, set.error, options, (v) => {
      const balloon = settings.defaultBalloonMb === undefined || (!isOnline(v) && v.balloonMb === settings.defaultBalloonMb);
      const pages = settings.largePages === undefined || v.largePages === settings.largePages || v.largePages === null;
      const fusion = settings.pageFusion === undefined || v.pageFusion === settings.pageFusion;
      return balloon && pages && fusion;
    });
  }

  // Where VBoxManage exited 0 but printed what it never prints on success, ask VirtualBox what happened. A killed
  // call (timeout, abort) is not read back: VBoxSVC may be hung, and the caller asked to stop.
  async #readBack(vm: NamedVm, e: BalloonError, options: CallOptions, applied: (v: VmInfo) => boolean): Async<void> {
    const error = named(e, vm);
    if (!(e.code === 'VBOXMANAGE_FAILED' && e.outcome === 'unknown' && e.exitCode === 0)) return err(error);
    const back = await this.show(vm.uuid, options);
    if (back.isOk() && applied(back.value)) {
      this.emit({ type: 'warning', vm: vm.name, message: `VBoxManage's answer could not be read (${error.message}); reading the VM back shows the change was applied` });
      return ok(undefined);
    }
    return err(error);
  }

  // Before the first live change, the runtime value of a VM is its default (unless someone else changed it).
  #rememberDefault(info: { readonly uuid: string; readonly balloonMb: number }): void {
    if (!this.defaults.has(info.uuid)) this.defaults.set(info.uuid, info.balloonMb);
  }
}
