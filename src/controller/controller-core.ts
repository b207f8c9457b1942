// What every controller operation shares: the client, events, the host, the defaults it knows, and the one way a
// change is made (by UUID, with its outcome told truthfully).
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { show, type BalloonError } from '../errors/index.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo } from '../domain/vm-info.js';
import { LIVE_BALLOON_STATES } from '../domain/vm-state.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions, GuestMemory, ModifyVmSettings, StartVmType, VBoxManageClient } from '../port/client.js';
import type { RoomRecord } from './room-types.js';
import { callOptions } from './option-schemas.js';
import type { BalloonEvent } from './types.js';

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

/** The shared core of {@link BalloonController}. @internal */
export class ControllerCore {
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
  // What was taken for each VM started with room (by UUID), for giveBack by VM.
  readonly rooms = new Map<string, RoomRecord>();
  // Live balloons this controller set since its autopilot's last tick (by UUID), so that the autopilot knows them.
  readonly asked = new Map<string, number>();

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

  /** Guest memory of resolved VMs, by UUID. */
  async guestMemory(vms: readonly VmInfo[], options: CallOptions): Async<Map<string, GuestMemory>> {
    if (vms.length === 0) return ok(new Map());
    this.emit({ type: 'command', argv: commands.metricsQuery() });
    const mem = await this.client.guestMemory(
      vms.map((v) => v.uuid),
      callOptions(options),
    );
    if (mem.isErr()) {
      const only = vms.length === 1 ? vms[0] : undefined;
      return err(only === undefined ? mem.error : named(mem.error, only));
    }
    return ok(new Map(mem.value.map((m, i) => [vms[i]?.uuid ?? m.vm, m])));
  }

  /**
   * Set the live balloon of a resolved VM. Ok only when the change was made; an error's `outcome` says whether it may
   * have been. An answer that cannot be trusted (exit 0 with unexpected output) is checked by reading the VM back.
   */
  async setLive(vm: VmInfo, sizeMb: number, options: CallOptions): Async<void> {
    this.#rememberDefault(vm);
    this.emit({ type: 'command', argv: commands.setLiveBalloon(vm.uuid, sizeMb) });
    const set = await this.client.setLiveBalloon(vm.uuid, sizeMb, callOptions(options));
    if (set.isOk()) {
      this.asked.set(vm.uuid, sizeMb);
      return set;
    }
    return this.#readBack(vm, set.error, options, (v) => isOnline(v) && v.balloonMb === sizeMb);
  }

  /** `startvm` of a resolved VM, by UUID; an error names the VM. */
  async start(vm: VmInfo, type: StartVmType, options: CallOptions): Async<void> {
    this.emit({ type: 'command', argv: commands.startVm(vm.uuid, type) });
    const started = await this.client.startVm(vm.uuid, { ...callOptions(options), type });
    return started.isOk() ? started : err(named(started.error, vm));
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
  async #readBack(vm: VmInfo, e: BalloonError, options: CallOptions, applied: (v: VmInfo) => boolean): Async<void> {
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
  #rememberDefault(info: VmInfo): void {
    if (!this.defaults.has(info.uuid)) this.defaults.set(info.uuid, info.balloonMb);
  }
}
