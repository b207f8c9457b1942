// The in-memory adapter's port: every VBoxManageClient call checked once (checkCall), logged with the argv the real
// client would run, failed by an injected fault if one is queued, else answered from the simulated host by its rules.
import { err, ok, okAsync, errAsync, ResultAsync, type Result } from 'neverthrow';
import { aborted, type BalloonError } from '../errors/index.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo, VmSummary } from '../domain/vm-info.js';
import { argv as commands } from '../port/argv.js';
import { checkCall, type CheckedCall, type PortCall } from '../port/check-input.js';
import type { CallOptions, CloneVmOptions, GuestMemory, GuestMemoryOptions, HostMemory, ModifyVmSettings, StartVmOptions, UnregisterVmOptions, VBoxManageClient } from '../port/client.js';
import { parseVersion, type VBoxVersion } from '../port/parse/version.js';
import { buildFault, type InMemoryFault } from './faults.js';
import { online, RUNNING_LIST_STATES, simulatedSharedMb, vmInfo, type InMemoryCall } from './model.js';
import { cloneRefusal, liveBalloonRefusal, modifyRefusal, startRefusal, unregisterRefusal } from './rules.js';
import type { SimHost } from './sim-host.js';

/** The port of InMemoryVBoxManageClient, which documents each call. @internal */
export class InMemoryPort implements VBoxManageClient {
  readonly #sim: SimHost;
  readonly #version: string;
  readonly #failures = new Map<keyof VBoxManageClient, { failure: BalloonError | InMemoryFault; applied: boolean }[]>();
  #calls: InMemoryCall[] = [];
  #callCount = 0;
  readonly #callLogLimit: number;

  constructor(sim: SimHost, version: string, callLogLimit: number) {
    this.#sim = sim;
    this.#version = version;
    this.#callLogLimit = callLogLimit;
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

  /** Queue a failure for the next call of `method`. */
  failNext(method: keyof VBoxManageClient, failure: BalloonError | InMemoryFault, applied: boolean): void {
    const queue = this.#failures.get(method) ?? [];
    queue.push({ failure, applied });
    this.#failures.set(method, queue);
  }

  /** What `--version` prints. */
  get versionText(): string {
    return this.#version;
  }

  /** `--version`. */
  version(options: CallOptions = {}): ResultAsync<VBoxVersion, BalloonError> {
    return this.#op({ method: 'version', options }, () => parseVersion(this.#version));
  }

  /** `list hostinfo`. */
  hostInfo(options: CallOptions = {}): ResultAsync<HostInfo, BalloonError> {
    return this.#op({ method: 'hostInfo', options }, () => ok(this.#sim.hostInfo()));
  }

  /** `list vms`. */
  listVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#op({ method: 'listVms', options }, () => ok(this.#sim.vms.map(({ name, uuid }) => ({ name, uuid }))));
  }

  /** `list runningvms`: running, paused, teleporting and live-snapshotting VMs. */
  listRunningVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#op({ method: 'listRunningVms', options }, () =>
      ok(this.#sim.vms.filter((v) => RUNNING_LIST_STATES.includes(v.state)).map(({ name, uuid }) => ({ name, uuid }))),
    );
  }

  /** `showvminfo <vm> --machinereadable`. */
  showVmInfo(vm: string, options: CallOptions = {}): ResultAsync<VmInfo, BalloonError> {
    return this.#op({ method: 'showVmInfo', vm, options }, () => this.#sim.find(vm).map((v) => vmInfo(v, this.#sim.additionsUp(v))));
  }

  /** `controlvm <vm> guestmemoryballoon <sizeMb>`. */
  setLiveBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#op({ method: 'setLiveBalloon', vm, sizeMb, options }, () =>
      this.#sim.find(vm).andThen((v) => {
        const refused = liveBalloonRefusal(vm, v, this.#sim.hostInfo(), sizeMb);
        if (refused !== null) return err(refused);
        v.guest.requestedMb = sizeMb;
        this.#sim.settle(v, this.#sim.immediateStep());
        return ok(undefined);
      }),
    );
  }

  /** `modifyvm <vm> --guestmemoryballoon <sizeMb>`. */
  setDefaultBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#modify({ method: 'setDefaultBalloon', vm, settings: { defaultBalloonMb: sizeMb }, options });
  }

  /** `modifyvm <vm> --largepages on|off`. */
  setLargePages(vm: string, enabled: boolean, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#modify({ method: 'setLargePages', vm, settings: { largePages: enabled }, options });
  }

  /** One `modifyvm` with every given setting: all apply or none. */
  modifyVm(vm: string, settings: ModifyVmSettings, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#modify({ method: 'modifyVm', vm, settings, options });
  }

  /** Guest memory from the simulated `Guest/RAM/Usage/*` metrics: setup where needed, then one query. */
  guestMemory(vms: readonly string[], options: GuestMemoryOptions = {}): ResultAsync<GuestMemory[], BalloonError> {
    const checked = checkCall({ method: 'guestMemory', vms, options });
    if (checked.isErr()) return errAsync(checked.error);
    const c = checked.value;
    if (c.vms.length === 0) return okAsync([]);
    if (c.options.signal?.aborted === true) return errAsync(aborted(null, c.argv, 'not-applied'));
    const failure = this.#takeFailure('guestMemory');
    if (failure !== undefined) return errAsync(typeof failure.failure === 'string' ? buildFault(failure.failure, null, c.argv) : failure.failure);
    const found = [];
    for (const vm of c.vms) {
      const v = this.#sim.find(vm);
      if (v.isErr()) return errAsync(v.error);
      found.push(v.value);
    }
    if (found.some((v) => online(v) && !v.metricsOn)) {
      this.#logRun(c.onRun, commands.metricsSetup());
      for (const v of this.#sim.vms) if (online(v)) v.metricsOn = true;
    }
    this.#logRun(c.onRun, c.argv);
    // As the real client: a VM without metrics rows (not running, or unknown) needs the VM list to tell which.
    if (found.some((v) => !online(v))) this.#logRun(c.onRun, commands.listVms());
    return okAsync(
      found.map((v, i) => {
        const mb = (n: number): number | null => (this.#sim.reporting(v) ? n : null);
        return {
          vm: c.vms[i] as string,
          totalMb: mb(v.memoryMb),
          freeMb: mb(v.guest.freeMb),
          freeMinMb: mb(v.guest.freeMinMb),
          balloonMb: mb(v.guest.balloonMb),
          cacheMb: mb(Math.floor(v.guest.usedMb / 4)),
          sharedMb: mb(simulatedSharedMb(v, v.guest.usedMb)),
        };
      }),
    );
  }

  // One guestMemory run: logged, and told to the call's `onRun` (whose own bug never breaks the call).
  #logRun(onRun: ((argv: readonly string[]) => void) | null, argv: readonly string[]): void {
    try {
      onRun?.(argv);
    } catch {
      // ignored on purpose
    }
    this.#log({ method: 'guestMemory', argv: [...argv] });
  }

  /** `startvm <vm> --type <type>`: refused as VirtualBox would (see startRefusal), else the VM starts. */
  startVm(vm: string, options: StartVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#op({ method: 'startVm', vm, options }, (c) =>
      this.#sim.find(vm).andThen((v) => {
        const refused = startRefusal(vm, v, c.argv, this.#sim.vboxFreeMb());
        if (refused !== null) return err(refused);
        this.#sim.start(v);
        return ok(undefined);
      }),
    );
  }

  /** `clonevm <base> --snapshot <s> --options link --name <n> --register`: refused as VirtualBox would (see cloneRefusal). */
  cloneVm(base: string, options: CloneVmOptions): ResultAsync<void, BalloonError> {
    return this.#op({ method: 'cloneVm', vm: base, options }, (c) =>
      this.#sim.find(base).andThen((v) => {
        const clone = c.clone as NonNullable<CheckedCall['clone']>;
        const refused = cloneRefusal(base, v, clone.snapshot, clone.name, this.#sim.files);
        if (refused !== null) return err(refused);
        this.#sim.clone(v, clone.name);
        return ok(undefined);
      }),
    );
  }

  /** `unregistervm <vm> [--delete]`: a VM that does not run. */
  unregisterVm(vm: string, options: UnregisterVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#op({ method: 'unregisterVm', vm, options }, (c) =>
      this.#sim.find(vm).andThen((v) => {
        const refused = unregisterRefusal(vm, v);
        if (refused !== null) return err(refused);
        this.#sim.unregister(v, c.argv.includes('--delete'));
        return ok(undefined);
      }),
    );
  }

  /** Host memory. Ballooned memory does not show up as free: VirtualBox keeps it for other VMs. */
  hostMemory(options: CallOptions = {}): ResultAsync<HostMemory, BalloonError> {
    return this.#op({ method: 'hostMemory', options }, () => {
      const h = this.#sim.hostInfo();
      return ok({ totalMb: h.memoryMb, freeMb: h.memoryAvailableMb, usedMb: h.memoryMb - h.memoryAvailableMb });
    });
  }

  // ---- calls: the one argument check, the log, the injected faults ----------------------------------------------

  #op<T>(call: PortCall, body: (checked: CheckedCall) => Result<T, BalloonError>): ResultAsync<T, BalloonError> {
    const checked = checkCall(call);
    if (checked.isErr()) return errAsync(checked.error);
    const c = checked.value;
    if (c.options.signal?.aborted === true) return errAsync(aborted(c.vm, c.argv, 'not-applied'));
    this.#log({ method: c.method, argv: c.argv });
    const failure = this.#takeFailure(c.method);
    if (failure !== undefined) {
      const error = typeof failure.failure === 'string' ? buildFault(failure.failure, c.vm, c.argv) : failure.failure;
      if (!failure.applied) return errAsync(error);
      // The change happens, and the call fails all the same; if the change itself is refused, that error wins.
      return new ResultAsync(Promise.resolve().then(() => body(c).andThen(() => err(error))));
    }
    // Answer on a later tick, as a process would: callers must not rely on synchronous results.
    return new ResultAsync(Promise.resolve().then(() => body(c)));
  }

  #modify(call: PortCall & { readonly method: 'setDefaultBalloon' | 'setLargePages' | 'modifyVm' }): ResultAsync<void, BalloonError> {
    return this.#op(call, (c) =>
      this.#sim.find(c.vm as string).andThen((v) => {
        const s = c.settings;
        const refused = modifyRefusal(c.vm as string, v, this.#sim.hostInfo(), s);
        if (refused !== null) return err(refused);
        if (s.defaultBalloonMb !== undefined) v.defaultBalloonMb = s.defaultBalloonMb;
        if (s.largePages !== undefined && v.largePages !== null) v.largePages = s.largePages;
        if (s.pageFusion !== undefined) v.pageFusion = s.pageFusion;
        return ok(undefined);
      }),
    );
  }

  #takeFailure(method: keyof VBoxManageClient): { failure: BalloonError | InMemoryFault; applied: boolean } | undefined {
    return this.#failures.get(method)?.shift();
  }
}
