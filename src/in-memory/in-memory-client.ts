// A simulated VirtualBox host that follows VirtualBox's rules as the fact sheet states them, for users' tests and
// for the demo. It answers with the same error codes as the real client in the same situation. This module is the
// test controls and the documented port; the port itself (call log, injected faults) is ./in-memory-port.ts, the
// host's state ./sim-host.ts and what VirtualBox refuses ./rules.ts.
import type { ResultAsync } from 'neverthrow';
import type { BalloonError } from '../errors/index.js';
import type { HostInfo } from '../domain/host.js';
import type { GuestAdditionsRunLevel, VmInfo, VmSummary } from '../domain/vm-info.js';
import type { CallOptions, CloneVmOptions, GuestMemory, HostMemory, ModifyVmSettings, StartVmOptions, UnregisterVmOptions, VBoxManageClient } from '../port/client.js';
import type { VBoxVersion } from '../port/parse/version.js';
import type { FailNextOptions, InMemoryFault } from './faults.js';
import { InMemoryPort } from './in-memory-port.js';
import { online, type InMemoryCall, type InMemoryVBoxManageClientOptions, type InMemoryVmSpec } from './model.js';
import { SimHost } from './sim-host.js';
import { guestWorkload, type GuestModelSpec, type GuestWorkload } from './simulation/guest-model.js';
import type { SimulatedGuestState } from './simulation/simulated-guest.js';

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
  readonly #sim: SimHost;
  readonly #port: InMemoryPort;

  /** Create a simulated host with the given VMs. */
  constructor(options: InMemoryVBoxManageClientOptions = {}) {
    this.#sim = new SimHost(options);
    const limit = options.callLogLimit;
    this.#port = new InMemoryPort(this.#sim, options.version ?? '7.0.10r158379', typeof limit === 'number' && Number.isInteger(limit) && limit >= 0 ? limit : 10_000);
    for (const spec of options.vms ?? []) this.addVm(spec);
  }

  /** The latest operations (at most `callLogLimit`), each with the VBoxManage argv the real client would have run. */
  get calls(): readonly InMemoryCall[] {
    return this.#port.calls;
  }

  /** How many operations there have been in all, including those `calls` no longer keeps. */
  get callCount(): number {
    return this.#port.callCount;
  }

  // ---- controls -------------------------------------------------------------------------------------------------

  /** Register a VM. A VM created running has its default balloon requested, as at a real start. */
  addVm(spec: InMemoryVmSpec): this {
    this.#sim.addVm(spec);
    return this;
  }

  /**
   * Power a VM on at once, as a test control (no VBoxManage call is counted, and the host's memory is not checked):
   * the default balloon is requested, metrics start disabled. The port's {@link startVm} is the checked start.
   */
  powerOnVm(vm: string): this {
    const v = this.#sim.must(vm);
    if (online(v)) throw new Error(`VM '${vm}' is already ${v.state}`);
    this.#sim.start(v);
    return this;
  }

  /** Pause a running VM. */
  pauseVm(vm: string): this {
    const v = this.#sim.must(vm);
    if (v.state !== 'running') throw new Error(`VM '${vm}' is ${v.state}, not running`);
    v.state = 'paused';
    return this;
  }

  /** Resume a paused VM. */
  resumeVm(vm: string): this {
    const v = this.#sim.must(vm);
    if (v.state !== 'paused') throw new Error(`VM '${vm}' is ${v.state}, not paused`);
    v.state = 'running';
    return this;
  }

  /** Save the state of a running or paused VM. The session ends, so the live balloon is discarded. */
  saveVm(vm: string): this {
    this.#sim.stop(this.#sim.must(vm), 'saved');
    return this;
  }

  /** Power a VM off. The live balloon is lost; the default applies at the next start. */
  powerOffVm(vm: string): this {
    this.#sim.stop(this.#sim.must(vm), 'poweroff');
    return this;
  }

  /** Set the Guest Additions run level the guest reports (0 none, 1 system, 2 userland, 3 desktop). */
  setGuestAdditions(vm: string, runLevel: GuestAdditionsRunLevel): this {
    const v = this.#sim.must(vm);
    v.runLevel = runLevel;
    this.#sim.settle(v, this.#sim.immediateStep());
    return this;
  }

  /** Set what the guest itself uses, in MB: its own demand. The balloon never takes more than the rest. */
  setGuestMemory(vm: string, memory: { readonly usedMb: number }): this {
    const v = this.#sim.must(vm);
    v.guest.setDemand(Math.min(v.memoryMb, memory.usedMb));
    this.#sim.settle(v, this.#sim.immediateStep());
    return this;
  }

  /** Hold the VM's lock as another session would: changes get `VM_LOCKED` until {@link unlockVm}. */
  lockVm(vm: string): this {
    this.#sim.must(vm).locked = true;
    return this;
  }

  /** Release a lock taken with {@link lockVm}. */
  unlockVm(vm: string): this {
    this.#sim.must(vm).locked = false;
    return this;
  }

  /**
   * Make the next call of `method` fail. Pass a fault by name (`'timeout'`, `'aborted'`, `'locked'`, `'failed'`,
   * `'garbage'`, `'vboxsvc-down'`) to get the error the real client would give for that call, with its argv, VM and
   * outcome; or pass any error as it is. Nothing changes unless `{ applied: true }`: then the change is made first,
   * as when VirtualBox applied it but the call still failed. Several queue up in order.
   */
  failNext(method: keyof VBoxManageClient, failure: BalloonError | InMemoryFault, options: FailNextOptions = {}): this {
    this.#port.failNext(method, failure, options.applied === true);
    return this;
  }

  /**
   * Give a VM a workload: the memory its guest wants (MB) as a function of simulated time and of time since the VM
   * started (ms), such as one from `guestWorkload`. It is applied now and every time {@link advanceTime} runs.
   * Demand above what the balloon leaves the guest is swapped out (see {@link guestState}).
   */
  setWorkload(vm: string, demandMb: GuestWorkload): this {
    const v = this.#sim.must(vm);
    v.guest.workload = demandMb;
    v.guest.follow(this.#sim.now);
    this.#sim.settle(v, this.#sim.immediateStep());
    return this;
  }

  /**
   * Give a VM a guest model: its workload (as {@link setWorkload} with `guestWorkload(spec)`), the page cache it
   * cannot reclaim, and whether it takes back what its balloon takes (see `GuestModelSpec`).
   */
  setGuestModel(vm: string, spec: GuestModelSpec): this {
    const v = this.#sim.must(vm);
    const n = (x: number | undefined): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
    v.guest.behaviour = { unreclaimableMb: Math.floor(n(spec.unreclaimableMb)), refillFraction: n(spec.refill?.fraction), refillMbPerSec: n(spec.refill?.mbPerSec) };
    return this.setWorkload(vm, guestWorkload(spec));
  }

  /** The simulated truth about a VM's guest memory, whatever the metrics show: demand, balloon, free, swapped. */
  guestState(vm: string): SimulatedGuestState {
    const v = this.#sim.must(vm);
    return v.guest.state(online(v));
  }

  /**
   * The host as options: `new InMemoryVBoxManageClient(client.snapshot())` makes the same host again, with its VMs, their
   * states, settings and balloons and what each guest uses. Not kept: the call log, locks, queued faults, workloads
   * and the clock (the new host starts at time 0, with metrics to be set up again as after a restart of VBoxSVC).
   */
  snapshot(): InMemoryVBoxManageClientOptions {
    const { host, balloonRateMbPerSec } = this.#sim.spec;
    const vms = this.#sim.vms.map((v): InMemoryVmSpec => ({
      name: v.name,
      uuid: v.uuid,
      state: v.state,
      memoryMb: v.memoryMb,
      defaultBalloonMb: v.defaultBalloonMb,
      largePages: v.largePages,
      pageFusion: v.pageFusion,
      guestAdditionsRunLevel: v.runLevel,
      usedMb: v.guest.demandMb,
      osType: v.osType,
      statsDelayMs: v.statsDelayMs,
      additionsDelayMs: v.additionsDelayMs,
      ...(v.snapshots.length === 0 ? {} : { snapshots: v.snapshots.map((x) => x.name) }),
      ...(online(v) ? { liveBalloonMb: v.guest.requestedMb, achievedBalloonMb: v.guest.balloonMb } : {}),
    }));
    // JSON has no Infinity: a rate without limit is left out, which is the default.
    return { host, version: this.#port.versionText, vms, ...(Number.isFinite(balloonRateMbPerSec) ? { balloonRateMbPerSec } : {}) };
  }

  /** Simulated time in ms since the client was created (moved only by {@link advanceTime}). */
  get time(): number {
    return this.#sim.now;
  }

  /**
   * Let `ms` of simulated time pass: workloads move, and balloons move toward their targets at
   * `balloonRateMbPerSec` (whole megabytes, as guests report them).
   */
  advanceTime(ms: number): this {
    this.#sim.advance(ms);
    return this;
  }

  /**
   * The memory VirtualBox could still give a starting VM, in MB: host RAM, less the host's own use, less what the
   * running guests hold (RAM minus achieved balloon). `list hostinfo` does not show this: ballooned memory is not free
   * to the host.
   */
  get vboxFreeMb(): number {
    return this.#sim.vboxFreeMb();
  }

  // ---- the port: each call is checked once, logged, failed by a queued fault, else answered by VirtualBox's rules -

  /** `--version`. */
  version(options: CallOptions = {}): ResultAsync<VBoxVersion, BalloonError> {
    return this.#port.version(options);
  }

  /** `list hostinfo`. */
  hostInfo(options: CallOptions = {}): ResultAsync<HostInfo, BalloonError> {
    return this.#port.hostInfo(options);
  }

  /** `list vms`. */
  listVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#port.listVms(options);
  }

  /** `list runningvms`: running, paused, teleporting and live-snapshotting VMs. */
  listRunningVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#port.listRunningVms(options);
  }

  /** `showvminfo <vm> --machinereadable`. */
  showVmInfo(vm: string, options: CallOptions = {}): ResultAsync<VmInfo, BalloonError> {
    return this.#port.showVmInfo(vm, options);
  }

  /** `controlvm <vm> guestmemoryballoon <sizeMb>`. */
  setLiveBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#port.setLiveBalloon(vm, sizeMb, options);
  }

  /** `modifyvm <vm> --guestmemoryballoon <sizeMb>`. */
  setDefaultBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#port.setDefaultBalloon(vm, sizeMb, options);
  }

  /** `modifyvm <vm> --largepages on|off`. */
  setLargePages(vm: string, enabled: boolean, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#port.setLargePages(vm, enabled, options);
  }

  /** One `modifyvm` with every given setting: all apply or none. */
  modifyVm(vm: string, settings: ModifyVmSettings, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#port.modifyVm(vm, settings, options);
  }

  /** Guest memory from the simulated `Guest/RAM/Usage/*` metrics: setup where needed, then one query. */
  guestMemory(vms: readonly string[], options: CallOptions = {}): ResultAsync<GuestMemory[], BalloonError> {
    return this.#port.guestMemory(vms, options);
  }

  /**
   * `startvm <vm> --type <type>`: a VM that is off, saved or aborted starts when VirtualBox's memory can back all
   * of its RAM: host RAM, less what the host itself uses, less what the running guests use (their RAM minus their
   * achieved balloons: ballooned memory is VirtualBox's to reuse). Otherwise it fails as a real start that runs out of
   * memory does (`VBOXMANAGE_FAILED`, "terminated unexpectedly during startup"). The default balloon is then
   * requested, and the Guest Additions come up `additionsDelayMs` of simulated time later.
   */
  startVm(vm: string, options: StartVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#port.startVm(vm, options);
  }

  /**
   * `clonevm <base> --snapshot <s> --options link --name <n> --register`: a clone of the base's settings, powered
   * off and without snapshots. A snapshot the base does not have is `SNAPSHOT_NOT_FOUND`; a name whose settings file
   * exists (a registered VM's, or one unregistered without `delete`) is `VM_EXISTS`.
   */
  cloneVm(base: string, options: CloneVmOptions): ResultAsync<void, BalloonError> {
    return this.#port.cloneVm(base, options);
  }

  /** `unregistervm <vm> [--delete]`: a VM that runs is `INVALID_VM_STATE`; without `delete` its name stays taken. */
  unregisterVm(vm: string, options: UnregisterVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#port.unregisterVm(vm, options);
  }

  /** Host memory. Ballooned memory does not show up as free: VirtualBox keeps it for other VMs. */
  hostMemory(options: CallOptions = {}): ResultAsync<HostMemory, BalloonError> {
    return this.#port.hostMemory(options);
  }
}
