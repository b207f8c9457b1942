// A simulated VirtualBox host that follows VirtualBox's rules as the fact sheet states them, for users' tests and
// for the demo. It answers with the same error codes as the real client in the same situation.
import { settingsOnRunningVm } from '../port/classify-failure.js';
import { err, ok, okAsync, errAsync, ResultAsync, type Result } from 'neverthrow';
import {
  aborted,
  hostUnsupported,
  invalidBalloonSize,
  invalidVmState,
  vboxManageFailed,
  vmLocked,
  vmNotFound,
  type BalloonError,
} from '../errors/index.js';
import { checkHostSupport, checkPageFusionHost, type HostInfo } from '../domain/host.js';
import { maxBalloonMb } from '../domain/balloon-size.js';
import type { GuestAdditionsRunLevel, VmInfo, VmSummary } from '../domain/vm-info.js';
import { isUuid, validateVmRef } from '../domain/vm-ref.js';
import { LIVE_BALLOON_STATES, MUTABLE_STATES, STARTABLE_STATES } from '../domain/vm-state.js';
import { argv as commands } from '../port/argv.js';
import { checkSettings, checkSize } from '../port/check-input.js';
import { checkClientCallOptions } from '../validate/call-options.js';
import { arrayOf } from '../validate/schema.js';
import type { CallOptions, GuestMemory, HostMemory, ModifyVmSettings, StartVmOptions, VBoxManageClient } from '../port/client.js';
import { alreadyRunning, checkStartVmOptions } from '../port/start-vm.js';
import { buildFault, type FailNextOptions, type InMemoryFault } from './faults.js';
import { parseVersion, type VBoxVersion } from '../port/parse/version.js';
import type { GuestWorkload } from './simulation/guest-model.js';
import { SimulatedGuest, type SimulatedGuestState } from './simulation/simulated-guest.js';

import { online, RUNNING_LIST_STATES, simulatedSharedMb, vmInfo, type InMemoryCall, type InMemoryHostSpec, type InMemoryVBoxManageClientOptions, type InMemoryVmSpec, type SimVm } from './model.js';

export type { InMemoryCall, InMemoryHostSpec, InMemoryVBoxManageClientOptions, InMemoryVmSpec } from './model.js';


/**
 * A simulated VirtualBox host implementing {@link VBoxManageClient}, with controls to drive it from tests: start,
 * pause and stop VMs, change what the guest uses, hold a VM's lock, inject failures. It enforces VirtualBox's rules:
 * the size limit before the state, live balloons only on running or paused VMs, `modifyvm` refused while a VM runs
 * or is locked, the live value lost at power-off, a balloon that only grows with Guest Additions (run level ≥ 2) and
 * never past what the guest has free, metrics only for running VMs after setup, and no ballooning on macOS or 32-bit hosts.
 *
 * Its controls throw a plain `Error` for a VM that does not exist: that is a mistake in the test, not a VirtualBox failure.
 */
export class InMemoryVBoxManageClient implements VBoxManageClient {
  readonly #vms: SimVm[] = [];
  readonly #host: Required<InMemoryHostSpec>;
  readonly #version: string;
  readonly #rate: number;
  readonly #failures = new Map<keyof VBoxManageClient, { failure: BalloonError | InMemoryFault; applied: boolean }[]>();
  #calls: InMemoryCall[] = [];
  #callCount = 0;
  readonly #callLogLimit: number;
  #now = 0;

  /** Create a simulated host with the given VMs. */
  constructor(options: InMemoryVBoxManageClientOptions = {}) {
    this.#host = { os: 'Linux', osVersion: '6.1.0', is64Bit: true, memoryMb: 65_536, baseUsedMb: 2048, ...options.host };
    this.#version = options.version ?? '7.0.10r158379';
    this.#rate = options.balloonRateMbPerSec ?? Number.POSITIVE_INFINITY;
    const limit = options.callLogLimit;
    this.#callLogLimit = typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 ? limit : 10_000;
    for (const spec of options.vms ?? []) this.addVm(spec);
  }

  /** The latest operations (at most `callLogLimit`), each with the VBoxManage argv the real client would have run. */
  get calls(): readonly InMemoryCall[] {
    return this.#calls;
  }

  /** How many operations there have been in all, including those `calls` no longer keeps. */
  get callCount(): number {
    return this.#callCount;
  }

  #log(call: InMemoryCall): void {
    this.#callCount++;
    if (this.#callLogLimit === 0) return;
    this.#calls.push(call);
    // Drop the oldest half at once when the log overflows: amortised O(1), and never more than the limit kept.
    if (this.#calls.length > this.#callLogLimit) this.#calls = this.#calls.slice(this.#calls.length - Math.ceil(this.#callLogLimit / 2));
  }

  // ---- controls -------------------------------------------------------------------------------------------------

  /** Register a VM. A VM created running has its default balloon requested, as at a real start. */
  addVm(spec: InMemoryVmSpec): this {
    const memoryMb = spec.memoryMb ?? 2048;
    const n = this.#vms.length + 1;
    const vm: SimVm = {
      name: spec.name,
      uuid: (spec.uuid ?? `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`).toLowerCase(),
      state: 'poweroff',
      memoryMb,
      defaultBalloonMb: spec.defaultBalloonMb ?? 0,
      guest: new SimulatedGuest(memoryMb, spec.usedMb ?? Math.floor(memoryMb / 4)),
      statsDelayMs: Math.max(0, spec.statsDelayMs ?? 0),
      additionsDelayMs: Math.max(0, spec.additionsDelayMs ?? 0),
      largePages: spec.largePages === undefined ? false : spec.largePages,
      pageFusion: spec.pageFusion ?? false,
      runLevel: spec.guestAdditionsRunLevel ?? 2,
      osType: spec.osType ?? 'Ubuntu (64-bit)',
      locked: false,
      metricsOn: false,
    };
    this.#vms.push(vm);
    const state = spec.state ?? 'poweroff';
    if (state === 'running' || state === 'paused') {
      this.#start(vm);
      vm.state = state;
    } else {
      vm.state = state;
    }
    return this;
  }

  /**
   * Power a VM on at once, as a test control (no VBoxManage call is counted, and the host's memory is not checked):
   * the default balloon is requested, metrics start disabled. The port's {@link startVm} is the checked start.
   */
  powerOnVm(vm: string): this {
    const v = this.#must(vm);
    if (online(v)) throw new Error(`VM '${vm}' is already ${v.state}`);
    this.#start(v);
    return this;
  }

  /** Pause a running VM. */
  pauseVm(vm: string): this {
    const v = this.#must(vm);
    if (v.state !== 'running') throw new Error(`VM '${vm}' is ${v.state}, not running`);
    v.state = 'paused';
    return this;
  }

  /** Resume a paused VM. */
  resumeVm(vm: string): this {
    const v = this.#must(vm);
    if (v.state !== 'paused') throw new Error(`VM '${vm}' is ${v.state}, not paused`);
    v.state = 'running';
    return this;
  }

  /** Save the state of a running or paused VM. The session ends, so the live balloon is discarded. */
  saveVm(vm: string): this {
    this.#stop(this.#must(vm), 'saved');
    return this;
  }

  /** Power a VM off. The live balloon is lost; the default applies at the next start. */
  powerOffVm(vm: string): this {
    this.#stop(this.#must(vm), 'poweroff');
    return this;
  }

  /** Set the Guest Additions run level the guest reports (0 none, 1 system, 2 userland, 3 desktop). */
  setGuestAdditions(vm: string, runLevel: GuestAdditionsRunLevel): this {
    const v = this.#must(vm);
    v.runLevel = runLevel;
    this.#settle(v, this.#immediateStep());
    return this;
  }

  /** Set what the guest itself uses, in MB: its own demand. The balloon never takes more than the rest. */
  setGuestMemory(vm: string, memory: { readonly usedMb: number }): this {
    const v = this.#must(vm);
    v.guest.setDemand(Math.min(v.memoryMb, memory.usedMb));
    this.#settle(v, this.#immediateStep());
    return this;
  }

  /** Hold the VM's lock as another session would: changes get `VM_LOCKED` until {@link unlockVm}. */
  lockVm(vm: string): this {
    this.#must(vm).locked = true;
    return this;
  }

  /** Release a lock taken with {@link lockVm}. */
  unlockVm(vm: string): this {
    this.#must(vm).locked = false;
    return this;
  }

  /**
   * Make the next call of `method` fail. Pass a fault by name (`'timeout'`, `'aborted'`, `'locked'`, `'failed'`,
   * `'garbage'`, `'vboxsvc-down'`) to get the error the real client would give for that call, with its argv, VM and
   * outcome; or pass any error as it is. Nothing changes unless `{ applied: true }`: then the change is made first,
   * as when VirtualBox applied it but the call still failed. Several queue up in order.
   */
  failNext(method: keyof VBoxManageClient, failure: BalloonError | InMemoryFault, options: FailNextOptions = {}): this {
    const queue = this.#failures.get(method) ?? [];
    queue.push({ failure, applied: options.applied === true });
    this.#failures.set(method, queue);
    return this;
  }

  /**
   * Give a VM a workload: the memory its guest wants (MB) as a function of simulated time and of time since the VM
   * started (ms), such as one from `guestWorkload`. It is applied now and every time {@link advanceTime} runs.
   * Demand above what the balloon leaves the guest is swapped out (see {@link guestState}).
   */
  setWorkload(vm: string, demandMb: GuestWorkload): this {
    const v = this.#must(vm);
    v.guest.workload = demandMb;
    v.guest.follow(this.#now);
    this.#settle(v, this.#immediateStep());
    return this;
  }

  /** The simulated truth about a VM's guest memory, whatever the metrics show: demand, balloon, free, swapped. */
  guestState(vm: string): SimulatedGuestState {
    const v = this.#must(vm);
    return v.guest.state(online(v));
  }

  /** Simulated time in ms since the client was created (moved only by {@link advanceTime}). */
  get time(): number {
    return this.#now;
  }

  /**
   * Let `ms` of simulated time pass: workloads move, and balloons move toward their targets at
   * `balloonRateMbPerSec` (whole megabytes, as guests report them).
   */
  advanceTime(ms: number): this {
    this.#now += Math.max(0, ms);
    for (const v of this.#vms) {
      v.guest.follow(this.#now);
      this.#settle(v, Math.floor((this.#rate * Math.max(0, ms)) / 1000));
    }
    return this;
  }

  // ---- the port -------------------------------------------------------------------------------------------------

  /** `--version`. */
  version(options: CallOptions = {}): ResultAsync<VBoxVersion, BalloonError> {
    return this.#op('version', commands.version(), null, options, () => parseVersion(this.#version));
  }

  /** `list hostinfo`. */
  hostInfo(options: CallOptions = {}): ResultAsync<HostInfo, BalloonError> {
    return this.#op('hostInfo', commands.hostInfo(), null, options, () => ok(this.#hostInfo()));
  }

  /** `list vms`. */
  listVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#op('listVms', commands.listVms(), null, options, () => ok(this.#vms.map(({ name, uuid }) => ({ name, uuid }))));
  }

  /** `list runningvms`: running, paused, teleporting and live-snapshotting VMs. */
  listRunningVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#op('listRunningVms', commands.listRunningVms(), null, options, () =>
      ok(this.#vms.filter((v) => RUNNING_LIST_STATES.includes(v.state)).map(({ name, uuid }) => ({ name, uuid }))),
    );
  }

  /** `showvminfo <vm> --machinereadable`. */
  showVmInfo(vm: string, options: CallOptions = {}): ResultAsync<VmInfo, BalloonError> {
    const ref = validateVmRef(vm);
    if (ref.isErr()) return errAsync(ref.error);
    return this.#op('showVmInfo', commands.showVmInfo(vm), vm, options, () => this.#find(vm).map((v) => vmInfo(v, this.#additionsUp(v))));
  }

  /** `controlvm <vm> guestmemoryballoon <sizeMb>`. */
  setLiveBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return checkSizeFor(vm, sizeMb).asyncAndThen(() =>
      this.#op('setLiveBalloon', commands.setLiveBalloon(vm, sizeMb), vm, options, () =>
        this.#find(vm).andThen((v) => {
          if (v.locked && !online(v)) return err(vmLocked(vm, 'VBOX_E_INVALID_OBJECT_STATE', lockText(vm)));
          // controlvm needs a console first; only then does the setter check the host, the size and the state.
          if (!online(v)) return err(invalidVmState(vm, v.state, LIVE_BALLOON_STATES, 'live balloon change', 'Start the VM first, or set the default balloon while it is off.'));
          const blocked = this.#hostAndSize(vm, v, sizeMb);
          if (blocked !== null) return err(blocked);
          v.guest.requestedMb = sizeMb;
          this.#settle(v, this.#immediateStep());
          return ok(undefined);
        }),
      ),
    );
  }

  /** `modifyvm <vm> --guestmemoryballoon <sizeMb>`. */
  setDefaultBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#modify('setDefaultBalloon', vm, { defaultBalloonMb: sizeMb }, options);
  }

  /** `modifyvm <vm> --largepages on|off`. */
  setLargePages(vm: string, enabled: boolean, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#modify('setLargePages', vm, { largePages: enabled }, options);
  }

  /** One `modifyvm` with every given setting: all apply or none. */
  modifyVm(vm: string, settings: ModifyVmSettings, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#modify('modifyVm', vm, settings, options);
  }

  /** Guest memory from the simulated `Guest/RAM/Usage/*` metrics: setup where needed, then one query. */
  guestMemory(vms: readonly string[], options: CallOptions = {}): ResultAsync<GuestMemory[], BalloonError> {
    const refs = arrayOf(validateVmRef, { example: "['web-1']" })(vms, 'vms');
    if (refs.isErr()) return errAsync(refs.error);
    const opts = checkClientCallOptions(options);
    if (opts.isErr()) return errAsync(opts.error);
    if (vms.length === 0) return okAsync([]);
    if (options.signal?.aborted === true) return errAsync(aborted(null, commands.metricsQuery(), 'not-applied'));
    const failure = this.#takeFailure('guestMemory');
    if (failure !== undefined) return errAsync(typeof failure.failure === 'string' ? buildFault(failure.failure, null, commands.metricsQuery()) : failure.failure);
    const found: SimVm[] = [];
    for (const vm of vms) {
      const v = this.#find(vm);
      if (v.isErr()) return errAsync(v.error);
      found.push(v.value);
    }
    if (found.some((v) => online(v) && !v.metricsOn)) {
      this.#log({ method: 'guestMemory', argv: commands.metricsSetup() });
      for (const v of this.#vms) if (online(v)) v.metricsOn = true;
    }
    this.#log({ method: 'guestMemory', argv: commands.metricsQuery() });
    // As the real client: a VM without metrics rows (not running, or unknown) needs the VM list to tell which.
    if (found.some((v) => !online(v))) this.#log({ method: 'guestMemory', argv: commands.listVms() });
    return okAsync(
      found.map((v, i) => {
        const reporting = online(v) && v.metricsOn && this.#additionsUp(v) && v.runLevel >= 2 && this.#now - v.guest.startedAtMs >= v.statsDelayMs;
        const mb = (n: number): number | null => (reporting ? n : null);
        return {
          vm: vms[i] as string,
          totalMb: mb(v.memoryMb),
          freeMb: mb(v.guest.freeMb),
          balloonMb: mb(v.guest.balloonMb),
          cacheMb: mb(Math.floor(v.guest.usedMb / 4)),
          sharedMb: mb(simulatedSharedMb(v, v.guest.usedMb)),
        };
      }),
    );
  }

  /**
   * `startvm <vm> --type <type>`: a VM that is off, saved or aborted starts when VirtualBox's memory can back all
   * of its RAM: host RAM, less what the host itself uses, less what the running guests use (their RAM minus their
   * achieved balloons: ballooned memory is VirtualBox's to reuse). Otherwise it fails as a real start that runs out of
   * memory does (`VBOXMANAGE_FAILED`, "terminated unexpectedly during startup"). The default balloon is then
   * requested, and the Guest Additions come up `additionsDelayMs` of simulated time later.
   */
  startVm(vm: string, options: StartVmOptions = {}): ResultAsync<void, BalloonError> {
    const ref = validateVmRef(vm);
    if (ref.isErr()) return errAsync(ref.error);
    const o = checkStartVmOptions(options, vm);
    if (o.isErr()) return errAsync(o.error);
    const args = commands.startVm(vm, o.value.type);
    return this.#op('startVm', args, vm, options, () =>
      this.#find(vm).andThen((v) => {
        if (online(v) || v.locked) return online(v) ? err(alreadyRunning(vm, v.state)) : err(vmLocked(vm, 'VBOX_E_INVALID_OBJECT_STATE', lockText(vm)));
        if (!STARTABLE_STATES.includes(v.state)) return err(invalidVmState(vm, v.state, STARTABLE_STATES, 'start', 'Wait until the VM is off, saved or aborted, then start it.'));
        const freeMb = this.vboxFreeMb;
        if (v.memoryMb > freeMb) {
          const stderr = `VBoxManage: error: The virtual machine '${v.name}' has terminated unexpectedly during startup with exit code 1 (0x1)\nVBoxManage: error: Details: code NS_ERROR_FAILURE (0x80004005), component MachineWrap, interface IMachine\n`;
          return err(vboxManageFailed(vm, args, 1, stderr, 'NS_ERROR_FAILURE', false, `the VM needs ${v.memoryMb} MB and VirtualBox could back only ${freeMb} MB: the VM was not started`));
        }
        this.#start(v);
        return ok(undefined);
      }),
    );
  }

  /**
   * The memory VirtualBox could still give a starting VM, in MB: host RAM, less the host's own use, less what the
   * running guests hold (RAM minus achieved balloon). `list hostinfo` does not show this: ballooned memory is not free
   * to the host.
   */
  get vboxFreeMb(): number {
    const h = this.#host;
    const held = this.#vms.filter(online).reduce((sum, v) => sum + v.memoryMb - v.guest.balloonMb, 0);
    return Math.max(0, h.memoryMb - h.baseUsedMb - held);
  }

  /** Host memory. Ballooned memory does not show up as free: VirtualBox keeps it for other VMs. */
  hostMemory(options: CallOptions = {}): ResultAsync<HostMemory, BalloonError> {
    return this.#op('hostMemory', commands.hostInfo(), null, options, () => {
      const h = this.#hostInfo();
      return ok({ totalMb: h.memoryMb, freeMb: h.memoryAvailableMb, usedMb: h.memoryMb - h.memoryAvailableMb });
    });
  }

  // ---- the simulation -------------------------------------------------------------------------------------------

  #op<T>(
    method: keyof VBoxManageClient,
    args: readonly string[],
    vm: string | null,
    options: CallOptions,
    body: () => Result<T, BalloonError>,
  ): ResultAsync<T, BalloonError> {
    if (vm !== null) {
      const bad = validateVmRef(vm);
      if (bad.isErr()) return errAsync(bad.error);
    }
    const opts = checkClientCallOptions(options);
    if (opts.isErr()) return errAsync(opts.error);
    if (options.signal?.aborted === true) return errAsync(aborted(vm, args, 'not-applied'));
    this.#log({ method, argv: args });
    const failure = this.#takeFailure(method);
    if (failure !== undefined) {
      const error = typeof failure.failure === 'string' ? buildFault(failure.failure, vm, args) : failure.failure;
      if (!failure.applied) return errAsync(error);
      // The change happens, and the call fails all the same; if the change itself is refused, that error wins.
      return new ResultAsync(Promise.resolve().then(() => body().andThen(() => err(error))));
    }
    // Answer on a later tick, as a process would: callers must not rely on synchronous results.
    return new ResultAsync(Promise.resolve().then(body));
  }

  #modify(method: 'setDefaultBalloon' | 'setLargePages' | 'modifyVm', vm: string, settings: ModifyVmSettings, options: CallOptions): ResultAsync<void, BalloonError> {
    const ref = validateVmRef(vm);
    if (ref.isErr()) return errAsync(ref.error);
    return checkSettings(settings, vm).asyncAndThen((s) =>
      this.#op(method, commands.modifyVm(vm, s), vm, options, () =>
        this.#find(vm).andThen((v) => {
          // A running VM's process holds the write lock: VirtualBox answers "already locked" before anything else.
          // The real client tells that case apart with one showvminfo: the VM must be powered off, no retry helps.
          if (online(v)) return err(settingsOnRunningVm(vm, v.state));
          if (v.locked) return err(vmLocked(vm, 'VBOX_E_INVALID_OBJECT_STATE', lockText(vm)));
          const mutable = MUTABLE_STATES.includes(v.state);
          const fix = 'Power the VM off first; a saved VM must be started and shut down.';
          // Options apply in argv order and nothing is saved unless all succeed.
          if (s.defaultBalloonMb !== undefined) {
            const blocked = this.#hostAndSize(vm, v, s.defaultBalloonMb);
            if (blocked !== null) return err(blocked);
            if (!mutable) return err(invalidVmState(vm, v.state, MUTABLE_STATES, 'settings change', fix));
          }
          if (s.largePages !== undefined && !mutable) return err(invalidVmState(vm, v.state, MUTABLE_STATES, 'settings change', fix));
          if (s.pageFusion !== undefined) {
            // VirtualBox built without page sharing (macOS, 32-bit) refuses even "off", before the state.
            const host = checkPageFusionHost(this.#hostInfo());
            if (host.isErr()) return err(hostUnsupported(host.error.os, host.error.reason, vm, 'page fusion'));
            if (!mutable) return err(invalidVmState(vm, v.state, MUTABLE_STATES, 'settings change', fix));
          }
          if (s.defaultBalloonMb !== undefined) v.defaultBalloonMb = s.defaultBalloonMb;
          if (s.largePages !== undefined && v.largePages !== null) v.largePages = s.largePages;
          if (s.pageFusion !== undefined) v.pageFusion = s.pageFusion;
          return ok(undefined);
        }),
      ),
    );
  }

  #hostAndSize(vm: string, v: SimVm, sizeMb: number): BalloonError | null {
    const host = checkHostSupport(this.#hostInfo());
    if (host.isErr()) return hostUnsupported(host.error.os, host.error.reason, vm);
    const limit = maxBalloonMb(v.memoryMb) + 1;
    if (sizeMb >= limit) {
      return invalidBalloonSize(sizeMb, `was refused by VirtualBox (it must be below ${limit})`, { maxMb: limit - 1, memoryMb: v.memoryMb }, vm);
    }
    return null;
  }

  #takeFailure(method: keyof VBoxManageClient): { failure: BalloonError | InMemoryFault; applied: boolean } | undefined {
    return this.#failures.get(method)?.shift();
  }

  #find(ref: string): Result<SimVm, BalloonError> {
    const key = isUuid(ref) ? ref.replace(/[{}]/gu, '').toLowerCase() : null;
    const v = this.#vms.find((x) => (key === null ? x.name === ref : x.uuid === key));
    return v === undefined ? err(vmNotFound(ref, 'VBOX_E_OBJECT_NOT_FOUND')) : ok(v);
  }

  #must(ref: string): SimVm {
    const v = this.#find(ref);
    if (v.isErr()) throw new Error(`InMemoryVBoxManageClient: no VM '${ref}'`);
    return v.value;
  }

  #start(v: SimVm): void {
    v.state = 'running';
    v.guest.start(this.#now, v.defaultBalloonMb); // the default balloon is requested at every start
    v.metricsOn = false; // metrics are registered disabled at every power-up
    this.#settle(v, this.#immediateStep());
  }

  #stop(v: SimVm, state: 'poweroff' | 'saved'): void {
    if (!online(v)) throw new Error(`VM '${v.name}' is ${v.state}, not running or paused`);
    v.state = state;
    v.guest.stop(); // the runtime value is discarded with the session
    v.metricsOn = false;
  }

  // With a finite rate, balloons move only as simulated time passes (advanceTime).
  #immediateStep(): number {
    return this.#rate === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : 0;
  }

  // Deflating and inflating both need a running guest with its Guest Additions (the guest never deflates on its own).
  #settle(v: SimVm, stepMb: number): void {
    if (online(v) && v.state !== 'paused' && v.runLevel >= 2 && this.#additionsUp(v)) v.guest.settle(stepMb, true);
  }

  // After a start, the guest boots: its Guest Additions report nothing until `additionsDelayMs` has passed.
  #additionsUp(v: SimVm): boolean {
    return this.#now - v.guest.startedAtMs >= v.additionsDelayMs;
  }

  #hostInfo(): HostInfo {
    const h = this.#host;
    // The VMs' whole RAM stays allocated to VirtualBox whatever their balloons: ballooned memory is not freed.
    const used = Math.min(h.memoryMb, h.baseUsedMb + this.#vms.filter(online).reduce((sum, v) => sum + v.memoryMb, 0));
    return { os: h.os, osVersion: h.osVersion, memoryMb: h.memoryMb, memoryAvailableMb: h.memoryMb - used, is64Bit: h.is64Bit };
  }

}

function lockText(vm: string): string {
  return `VBoxManage: error: The machine '${vm}' is already locked for a session (or being unlocked)\n`;
}

function checkSizeFor(vm: string, sizeMb: number): Result<number, BalloonError> {
  return validateVmRef(vm).andThen(() => checkSize(sizeMb, vm));
}
