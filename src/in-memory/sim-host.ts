// The simulated host behind InMemoryVBoxManageClient: its VMs, simulated time, and how guests and balloons move.
// What a call may do is decided in ./rules.ts; this module only holds and changes the state.
import { err, ok, type Result } from 'neverthrow';
import { vmNotFound, type BalloonError } from '../errors/index.js';
import type { HostInfo } from '../domain/host.js';
import { isUuid } from '../domain/vm-ref.js';
import { SimulatedGuest } from './simulation/simulated-guest.js';
import { online, type InMemoryHostSpec, type InMemoryVBoxManageClientOptions, type InMemoryVmSpec, type SimVm } from './model.js';

/** The simulated host's state. @internal */
export class SimHost {
  readonly vms: SimVm[] = [];
  /** The names whose settings file exists: every registered VM's, and an unregistered one's until it is deleted. */
  readonly files = new Set<string>();
  #made = 0;
  readonly #host: Required<InMemoryHostSpec>;
  readonly #rate: number;
  #now = 0;
  #carry = 0;

  constructor(options: InMemoryVBoxManageClientOptions) {
    this.#host = { os: 'Linux', osVersion: '6.1.0', is64Bit: true, memoryMb: 65_536, baseUsedMb: 2048, ...options.host };
    this.#rate = options.balloonRateMbPerSec ?? Number.POSITIVE_INFINITY;
  }

  /** Simulated time in ms. */
  get now(): number {
    return this.#now;
  }

  /** Register a VM. A VM created running has its default balloon requested, as at a real start. */
  addVm(spec: InMemoryVmSpec): void {
    const memoryMb = spec.memoryMb ?? 2048;
    const n = ++this.#made;
    const usedMb = spec.usedMb ?? Math.floor(memoryMb / 4);
    const vm: SimVm = {
      name: spec.name,
      uuid: (spec.uuid ?? `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`).toLowerCase(),
      state: 'poweroff',
      memoryMb,
      defaultBalloonMb: spec.defaultBalloonMb ?? 0,
      guest: new SimulatedGuest(memoryMb, usedMb),
      usedMb,
      statsDelayMs: Math.max(0, spec.statsDelayMs ?? 0),
      additionsDelayMs: Math.max(0, spec.additionsDelayMs ?? 0),
      largePages: spec.largePages === undefined ? false : spec.largePages,
      pageFusion: spec.pageFusion ?? false,
      runLevel: spec.guestAdditionsRunLevel ?? 2,
      osType: spec.osType ?? 'Ubuntu (64-bit)',
      locked: false,
      metricsOn: false,
      // Snapshot UUIDs follow the VM's: 5nap5h07 in the first group, the VM's number and the snapshot's after it.
      snapshots: (spec.snapshots ?? []).map((name, i) => ({ name, uuid: `5a0b5b07-0000-4000-8000-${n.toString(16).padStart(8, '0')}${(i + 1).toString(16).padStart(4, '0')}` })),
    };
    this.vms.push(vm);
    this.files.add(vm.name);
    const state = spec.state ?? 'poweroff';
    if (state === 'running' || state === 'paused') {
      this.start(vm);
      const whole = (n: number | undefined): number | undefined => (n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined);
      vm.guest.requestedMb = whole(spec.liveBalloonMb) ?? vm.guest.requestedMb;
      vm.guest.balloonMb = Math.min(vm.guest.requestedMb, whole(spec.achievedBalloonMb) ?? vm.guest.balloonMb);
    }
    vm.state = state;
  }

  /** The host and the balloon rate, as the options gave them (with defaults). */
  get spec(): { readonly host: Required<InMemoryHostSpec>; readonly balloonRateMbPerSec: number } {
    return { host: { ...this.#host }, balloonRateMbPerSec: this.#rate };
  }

  /** Register a linked clone of `base` (from one of its snapshots) named `name`: off, no snapshots, the base's settings. */
  clone(base: SimVm, name: string): void {
    this.addVm({
      name,
      memoryMb: base.memoryMb,
      defaultBalloonMb: base.defaultBalloonMb,
      largePages: base.largePages,
      pageFusion: base.pageFusion,
      guestAdditionsRunLevel: base.runLevel,
      usedMb: base.usedMb,
      osType: base.osType,
      statsDelayMs: base.statsDelayMs,
      additionsDelayMs: base.additionsDelayMs,
    });
  }

  /** Unregister a VM; with `deleteFiles`, its settings file goes too (so that its name can be used again). */
  unregister(v: SimVm, deleteFiles: boolean): void {
    this.vms.splice(this.vms.indexOf(v), 1);
    if (deleteFiles) this.files.delete(v.name);
  }

  /** The VM with this name or UUID (VirtualBox looks a UUID up by UUID only). */
  find(ref: string): Result<SimVm, BalloonError> {
    const key = isUuid(ref) ? ref.replace(/[{}]/gu, '').toLowerCase() : null;
    const v = this.vms.find((x) => (key === null ? x.name === ref : x.uuid === key));
    return v === undefined ? err(vmNotFound(ref, 'VBOX_E_OBJECT_NOT_FOUND')) : ok(v);
  }

  /** The VM for a test control: a VM that does not exist is a mistake in the test, thrown as a plain `Error`. */
  must(ref: string): SimVm {
    const v = this.find(ref);
    if (v.isErr()) throw new Error(`InMemoryVBoxManageClient: no VM '${ref}'`);
    return v.value;
  }

  start(v: SimVm): void {
    v.state = 'running';
    v.guest.start(this.#now, v.defaultBalloonMb); // the default balloon is requested at every start
    v.metricsOn = false; // metrics are registered disabled at every power-up
    this.settle(v, this.immediateStep());
  }

  stop(v: SimVm, state: 'poweroff' | 'saved'): void {
    if (!online(v)) throw new Error(`VM '${v.name}' is ${v.state}, not running or paused`);
    v.state = state;
    v.guest.stop(); // the runtime value is discarded with the session
    v.metricsOn = false;
  }

  /**
   * Let `ms` of simulated time pass: workloads move, and balloons toward their targets at the balloon rate. The last
   * 10 s pass second by second, as the metrics sample them (once a second); time before that passes in one step.
   */
  advance(ms: number): void {
    let left = Math.max(0, ms);
    const bulk = Math.max(0, left - 10_000);
    if (bulk > 0) {
      this.#step(bulk);
      left -= bulk;
    }
    while (left > 0) {
      const step = Math.min(left, 1000 - (this.#now % 1000));
      this.#step(step);
      left -= step;
      if (this.#now % 1000 === 0) for (const v of this.vms) v.guest.second(online(v));
    }
  }

  #step(ms: number): void {
    this.#now += ms;
    // Whole MB per step; what a short step leaves over moves with the next one.
    const exact = this.#carry + (this.#rate * ms) / 1000;
    const mb = Math.floor(exact);
    this.#carry = Number.isFinite(exact) ? exact - mb : 0;
    for (const v of this.vms) {
      v.guest.follow(this.#now);
      this.settle(v, mb);
    }
  }

  // With a finite rate, balloons move only as simulated time passes (advance).
  immediateStep(): number {
    return this.#rate === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : 0;
  }

  // Deflating and inflating both need a running guest with its Guest Additions (the guest never deflates on its own).
  settle(v: SimVm, stepMb: number): void {
    if (online(v) && v.state !== 'paused' && v.runLevel >= 2 && this.additionsUp(v)) v.guest.settle(stepMb, true);
  }

  // After a start, the guest boots: its Guest Additions report nothing until `additionsDelayMs` has passed.
  additionsUp(v: SimVm): boolean {
    return this.#now - v.guest.startedAtMs >= v.additionsDelayMs;
  }

  /** Whether the VM's guest reports memory statistics now (metrics set up, Guest Additions up, past its stats delay). */
  reporting(v: SimVm): boolean {
    return online(v) && v.metricsOn && this.additionsUp(v) && v.runLevel >= 2 && this.#now - v.guest.startedAtMs >= v.statsDelayMs;
  }

  hostInfo(): HostInfo {
    const h = this.#host;
    // The VMs' whole RAM stays allocated to VirtualBox whatever their balloons: ballooned memory is not freed.
    const used = Math.min(h.memoryMb, h.baseUsedMb + this.vms.filter(online).reduce((sum, v) => sum + v.memoryMb, 0));
    return { os: h.os, osVersion: h.osVersion, memoryMb: h.memoryMb, memoryAvailableMb: h.memoryMb - used, is64Bit: h.is64Bit };
  }

  /** What VirtualBox could still give a starting VM: host RAM, less the host's own use, less what running guests hold. */
  vboxFreeMb(): number {
    const h = this.#host;
    const held = this.vms.filter(online).reduce((sum, v) => sum + v.memoryMb - v.guest.balloonMb, 0);
    return Math.max(0, h.memoryMb - h.baseUsedMb - held);
  }
}
