import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { aborted, applyFailed, blocked, invalidArgument, type BalloonError } from '../errors.js';
import { defaultBalloonBlockers, largePagesBlockers, liveBalloonBlockers } from '../domain/balloon-rules.js';
import { checkHostSupport, type HostInfo } from '../domain/host.js';
import type { VmInfo } from '../domain/vm-info.js';
import { commandRef, validateVmRef } from '../domain/vm-ref.js';
import { argv as commands } from '../vboxmanage/argv.js';
// Sizes are checked for type and sign before any call (the same check as the clients'); the VM's own limit once its RAM is known.
import { checkSize } from '../vboxmanage/check-input.js';
import type { CallOptions, GuestMemory, ModifyVmSettings, VBoxManageClient } from '../vboxmanage/client.js';
import { ExecaVBoxManageClient, type ExecaVBoxManageClientOptions } from '../vboxmanage/execa-client.js';
import { sleep } from '../vboxmanage/limiter.js';
import { startAutopilot } from '../autopilot/autopilot.js';
import type { AutopilotHandle, AutopilotOptions } from '../autopilot/types.js';
import { planReclaim, type ReclaimCandidate } from './reclaim-plan.js';
import { buildStatus } from './status.js';
import type {
  BalloonChange,
  BalloonControllerOptions,
  BalloonEvent,
  BalloonStatus,
  DryRunOptions,
  HostSupport,
  PrepareOptions,
  ReclaimOptions,
  ReclaimResult,
  RestoreResult,
  SetBalloonOptions,
  SettingsChange,
  WaitOptions,
  WaitOutcome,
} from './types.js';

type Async<T> = Promise<Result<T, BalloonError>>;


/**
 * The public facade: inspect VMs, change live and default balloons, reclaim memory across VMs and put it back.
 * Every method validates its input before any VBoxManage call, returns a `ResultAsync`, and never throws.
 *
 * ```ts
 * const vbox = BalloonController.local();
 * const change = await vbox.setBalloon('web-1', 1024, { wait: { timeoutMs: 30_000 } });
 * ```
 */
export class BalloonController {
  readonly #client: VBoxManageClient;
  readonly #onEvent: ((event: BalloonEvent) => void) | undefined;
  #host: HostInfo | undefined;
  // The default balloon of each VM (by UUID), as far as this controller knows it: showvminfo prints the runtime
  // value while a VM runs, so the default is remembered from VMs seen off, from our own modifyvm calls, and from
  // the value a VM had before this controller first changed it.
  readonly #defaults = new Map<string, number>();

  /** A controller over any {@link VBoxManageClient}. */
  constructor(options: BalloonControllerOptions) {
    this.#client = options.client;
    this.#onEvent = options.onEvent;
  }

  /** A controller over the VBoxManage on this machine ({@link ExecaVBoxManageClient}); retries are reported as `retry` events. */
  static local(options: ExecaVBoxManageClientOptions & { readonly onEvent?: (event: BalloonEvent) => void } = {}): BalloonController {
    const { onEvent, ...clientOptions } = options;
    const client = new ExecaVBoxManageClient({
      ...clientOptions,
      onCommand: (e) => {
        if (e.attempt > 1) onEvent?.({ type: 'retry', argv: e.argv, attempt: e.attempt });
        clientOptions.onCommand?.(e);
      },
    });
    return new BalloonController({ client, ...(onEvent === undefined ? {} : { onEvent }) });
  }

  /** The client this controller talks through. */
  get client(): VBoxManageClient {
    return this.#client;
  }

  /** Whether the host where VBoxManage runs can balloon (from `list hostinfo`), and why not. */
  hostSupport(options: CallOptions = {}): ResultAsync<HostSupport, BalloonError> {
    return this.#hostInfo(options, true).map((host) => {
      const check = checkHostSupport(host);
      return { ...host, supported: check.isOk(), reasons: check.isErr() ? [check.error.reason] : [] };
    });
  }

  /** The balloon status of one VM: showvminfo, plus the guest's metrics while it runs. */
  inspect(vm: string, options: CallOptions = {}): ResultAsync<BalloonStatus, BalloonError> {
    return this.#async(async () => {
      const ref = validateVmRef(vm);
      if (ref.isErr()) return err(ref.error);
      const host = await this.#hostInfo(options, false);
      if (host.isErr()) return err(host.error);
      const info = await this.#show(vm, options);
      if (info.isErr()) return err(info.error);
      let guest: GuestMemory | null = null;
      if (isOnline(info.value)) {
        const mem = await this.#guestMemory([vm], options);
        if (mem.isErr()) return err(mem.error);
        guest = mem.value[0] ?? null;
      }
      return ok(buildStatus(info.value, guest, host.value));
    });
  }

  /** The status of every registered VM, with one metrics query for all the running ones. */
  inspectAll(options: CallOptions = {}): ResultAsync<BalloonStatus[], BalloonError> {
    return this.#async(async () => {
      const host = await this.#hostInfo(options, false);
      if (host.isErr()) return err(host.error);
      this.#emit({ type: 'command', argv: commands.listVms() });
      const list = await this.#client.listVms(options);
      if (list.isErr()) return err(list.error);
      const infos = await Promise.all(list.value.map((v) => this.#show(v.uuid, options)));
      const readable: VmInfo[] = [];
      for (const [i, r] of infos.entries()) {
        if (r.isOk()) readable.push(r.value);
        // A VM unregistered meanwhile is simply gone; anything else is the caller's business.
        else if (r.error.code === 'VM_NOT_FOUND') this.#emit({ type: 'warning', vm: list.value[i]?.name ?? null, message: 'the VM disappeared while it was being read' });
        else return err(r.error);
      }
      const running = readable.filter(isOnline);
      const mem = running.length === 0 ? ok([]) : await this.#guestMemory(running.map(commandRef), options);
      if (mem.isErr()) return err(mem.error);
      const byRef = new Map(mem.value.map((m) => [m.vm, m]));
      return ok(readable.map((v) => buildStatus(v, byRef.get(commandRef(v)) ?? null, host.value)));
    });
  }

  /**
   * Change the live balloon of a running or paused VM (`controlvm … guestmemoryballoon`). Every blocker is checked
   * first and reported together (`BLOCKED`). With `wait`, polls the achieved size until it is within tolerance;
   * running out of time is reported in `wait.reached`, not as an error.
   */
  setBalloon(vm: string, sizeMb: number, options: SetBalloonOptions = {}): ResultAsync<BalloonChange, BalloonError> {
    return this.#async(async () => {
      const pre = validateVmRef(vm).andThen(() => checkSize(sizeMb, vm));
      if (pre.isErr()) return err(pre.error);
      const info = await this.#show(vm, options);
      if (info.isErr()) return err(info.error);
      const blockers = liveBalloonBlockers(info.value, sizeMb, this.#host).filter((b) => options.allowLargePages !== true || b.code !== 'LARGE_PAGES_ENABLED');
      if (blockers.length > 0) return err(blocked(vm, 'live balloon change', blockers));
      if (info.value.largePages === true) this.#emit({ type: 'warning', vm, message: 'large pages are on; the balloon may not free memory (allowLargePages)' });
      const argv = commands.setLiveBalloon(vm, sizeMb);
      const change: BalloonChange = { vm, kind: 'live', fromMb: info.value.balloonMb, toMb: sizeMb, commands: [argv], dryRun: options.dryRun === true };
      if (change.dryRun) return ok(change);
      this.#rememberDefault(info.value);
      const set = await this.#setLive(vm, sizeMb, options);
      if (set.isErr()) return err(set.error);
      this.#emit({ type: 'change', change });
      if (options.wait === undefined) return ok(change);
      const waited = await this.#wait(vm, sizeMb, options.wait, options.signal);
      if (waited.isErr()) return err(waited.error);
      if (!waited.value.reached) {
        this.#emit({ type: 'warning', vm, message: `the guest reached ${waited.value.actualMb ?? 'no reported size'} of ${sizeMb} MB in ${Math.round(waited.value.elapsedMs)} ms` });
      }
      return ok({ ...change, wait: waited.value });
    });
  }

  /** Change the default balloon, requested at every start (`modifyvm --guestmemoryballoon`). The VM must be off. */
  setDefaultBalloon(vm: string, sizeMb: number, options: DryRunOptions = {}): ResultAsync<BalloonChange, BalloonError> {
    return this.#async(async () => {
      const pre = validateVmRef(vm).andThen(() => checkSize(sizeMb, vm));
      if (pre.isErr()) return err(pre.error);
      const info = await this.#show(vm, options);
      if (info.isErr()) return err(info.error);
      const blockers = defaultBalloonBlockers(info.value, sizeMb, this.#host);
      if (blockers.length > 0) return err(blocked(vm, 'default balloon change', blockers));
      const change: BalloonChange = {
        vm,
        kind: 'default',
        fromMb: info.value.balloonMb,
        toMb: sizeMb,
        commands: [commands.modifyVm(vm, { defaultBalloonMb: sizeMb })],
        dryRun: options.dryRun === true,
      };
      if (change.dryRun) return ok(change);
      const set = await this.#modify(vm, { defaultBalloonMb: sizeMb }, options);
      if (set.isErr()) return err(set.error);
      this.#defaults.set(info.value.uuid, sizeMb);
      this.#emit({ type: 'change', change });
      return ok(change);
    });
  }

  /** Turn large pages off on a VM that is off, so that ballooning works. Nothing runs when they are already off. */
  disableLargePages(vm: string, options: DryRunOptions = {}): ResultAsync<SettingsChange, BalloonError> {
    return this.prepare(vm, options);
  }

  /**
   * Make a VM that is off ready for ballooning in ONE `modifyvm` call: large pages off and, when given, the default
   * balloon. Nothing runs when nothing needs changing.
   */
  prepare(vm: string, options: PrepareOptions = {}): ResultAsync<SettingsChange, BalloonError> {
    return this.#async(async () => {
      const ref = validateVmRef(vm);
      if (ref.isErr()) return err(ref.error);
      if (options.defaultBalloonMb !== undefined) {
        const size = checkSize(options.defaultBalloonMb, vm);
        if (size.isErr()) return err(size.error);
      }
      const info = await this.#show(vm, options);
      if (info.isErr()) return err(info.error);
      const v = info.value;
      const settings: { defaultBalloonMb?: number; largePages?: boolean } = {};
      if (options.defaultBalloonMb !== undefined && options.defaultBalloonMb !== v.balloonMb) settings.defaultBalloonMb = options.defaultBalloonMb;
      if (v.largePages === true) settings.largePages = false;
      const blockers = [
        ...(settings.defaultBalloonMb === undefined ? largePagesBlockers(v) : defaultBalloonBlockers(v, settings.defaultBalloonMb, this.#host)),
      ];
      const nothing = settings.defaultBalloonMb === undefined && settings.largePages === undefined;
      const change: SettingsChange = {
        vm,
        kind: 'settings',
        ...(settings.largePages === undefined ? {} : { largePages: { from: true, to: false } }),
        ...(settings.defaultBalloonMb === undefined ? {} : { defaultBalloonMb: { from: v.balloonMb, to: settings.defaultBalloonMb } }),
        commands: nothing ? [] : [commands.modifyVm(vm, settings)],
        dryRun: options.dryRun === true,
      };
      if (nothing) return ok(change);
      if (blockers.length > 0) return err(blocked(vm, 'settings change', blockers));
      if (change.dryRun) return ok(change);
      const set = await this.#modify(vm, settings, options);
      if (set.isErr()) return err(set.error);
      if (settings.defaultBalloonMb !== undefined) this.#defaults.set(v.uuid, settings.defaultBalloonMb);
      this.#emit({ type: 'change', change });
      return ok(change);
    });
  }

  /**
   * Inflate the balloons of running VMs to free `megabytes` for other VMs: first from the guests with the most free
   * memory, never leaving a guest below `keepGuestFreeMb` free, never past `maxBalloonMb`. `RECLAIM_SHORTFALL` says
   * how much can be had when it is less than asked. If a change fails midway, the ones already made are put back
   * (`APPLY_FAILED` says which).
   */
  reclaim(options: ReclaimOptions): ResultAsync<ReclaimResult, BalloonError> {
    return this.#async(async () => {
      const { megabytes } = options;
      const keep = options.keepGuestFreeMb ?? 256;
      if (typeof megabytes !== 'number' || !Number.isInteger(megabytes) || megabytes <= 0) {
        return err(invalidArgument('megabytes', megabytes, 'is not a whole number of megabytes above 0', 'Pass how much memory to reclaim, e.g. 1024.'));
      }
      if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 0) {
        return err(invalidArgument('keepGuestFreeMb', keep, 'is not a whole number of megabytes, 0 or more', 'Pass e.g. 256.'));
      }
      for (const vm of options.from ?? []) {
        const ref = validateVmRef(vm);
        if (ref.isErr()) return err(ref.error);
      }
      const vms = await this.#candidates(options.from, options);
      if (vms.isErr()) return err(vms.error);
      const eligible = vms.value.filter((v) => {
        const why = v.info.state !== 'running' ? `it is ${v.info.state}` : liveBalloonBlockers(v.info, undefined, this.#host).map((b) => b.message)[0];
        const unreported = v.guest?.freeMb == null || v.guest.balloonMb == null;
        if (why !== undefined || unreported) {
          this.#emit({ type: 'warning', vm: v.ref, message: `left out of the reclaim: ${why ?? 'the guest has not reported its memory yet'}` });
          return false;
        }
        return true;
      });
      const candidates: ReclaimCandidate[] = eligible.map((v) => ({
        vm: v.ref,
        memoryMb: v.info.memoryMb,
        balloonMb: v.guest?.balloonMb ?? 0,
        guestFreeMb: v.guest?.freeMb ?? 0,
      }));
      const plan = planReclaim(candidates, megabytes, keep);
      if (plan.isErr()) return err(plan.error);
      const reclaimedMb = plan.value.reduce((sum, p) => sum + p.takeMb, 0);
      const requested = new Map(eligible.map((v) => [v.ref, v.info]));
      const changes = plan.value.map(
        (p): BalloonChange => ({
          vm: p.vm,
          kind: 'live',
          fromMb: requested.get(p.vm)?.balloonMb ?? p.fromMb,
          toMb: p.toMb,
          commands: [commands.setLiveBalloon(p.vm, p.toMb)],
          dryRun: options.dryRun === true,
        }),
      );
      if (options.dryRun === true) return ok({ plan: plan.value, applied: [], reclaimedMb });
      const applied: BalloonChange[] = [];
      for (const change of changes) {
        const info = requested.get(change.vm);
        if (info !== undefined) this.#rememberDefault(info);
        const set = await this.#setLive(change.vm, change.toMb, options);
        if (set.isErr()) return err(await this.#rollBack(set.error, applied));
        applied.push(change);
        this.#emit({ type: 'change', change });
      }
      return ok({ plan: plan.value, applied, reclaimedMb });
    });
  }

  /**
   * Deflate live balloons back to each VM's default (all running VMs when no VM is given). The default of a running
   * VM cannot be read from VirtualBox; the controller uses what it knows (see docs/concepts.md) and 0 otherwise,
   * with a warning. One VM failing does not stop the others.
   */
  restore(vm?: string, options: CallOptions = {}): ResultAsync<RestoreResult, BalloonError> {
    return this.#async(async () => {
      if (vm !== undefined) {
        const ref = validateVmRef(vm);
        if (ref.isErr()) return err(ref.error);
      }
      const vms = await this.#runningInfos(vm === undefined ? undefined : [vm], options);
      if (vms.isErr()) return err(vms.error);
      const changes: BalloonChange[] = [];
      const failed: { vm: string; error: BalloonError }[] = [];
      for (const { ref, info } of vms.value) {
        if (!isOnline(info)) {
          if (vm !== undefined) this.#emit({ type: 'warning', vm: ref, message: `it is ${info.state}: its live balloon is already gone` });
          continue;
        }
        const known = this.#defaults.get(info.uuid);
        const target = known ?? 0;
        if (info.balloonMb === target) continue;
        if (known === undefined) this.#emit({ type: 'warning', vm: ref, message: 'its default balloon is unknown to this controller; deflating to 0' });
        const set = await this.#setLive(ref, target, options);
        if (set.isErr()) {
          if (set.error.code === 'ABORTED') return err(set.error);
          failed.push({ vm: ref, error: set.error });
          continue;
        }
        const change: BalloonChange = { vm: ref, kind: 'live', fromMb: info.balloonMb, toMb: target, commands: [commands.setLiveBalloon(ref, target)], dryRun: false };
        changes.push(change);
        this.#emit({ type: 'change', change });
      }
      return ok({ changes, failed });
    });
  }

  /**
   * Size every running VM's balloon automatically, tick after tick, with the VBoxBalloonCtrl or the budget policy
   * (see docs/autopilot.md). A steady tick costs `list runningvms` + one metrics query + one `controlvm` per VM
   * that changes. Returns a handle with `stop()` and a `done` promise, or `INVALID_ARGUMENT` for bad options.
   */
  autopilot(options: AutopilotOptions): Result<AutopilotHandle, BalloonError> {
    return startAutopilot(this.#client, options);
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  #async<T>(body: () => Async<T>): ResultAsync<T, BalloonError> {
    return new ResultAsync(body());
  }

  #emit(event: BalloonEvent): void {
    this.#onEvent?.(event);
  }

  // The host's OS does not change: it is read once per controller (hostSupport always reads it afresh).
  #hostInfo(options: CallOptions, fresh: boolean): ResultAsync<HostInfo, BalloonError> {
    if (!fresh && this.#host !== undefined) return new ResultAsync(Promise.resolve(ok(this.#host)));
    this.#emit({ type: 'command', argv: commands.hostInfo() });
    return this.#client.hostInfo(options).map((h) => (this.#host = h));
  }

  async #show(vm: string, options: CallOptions): Async<VmInfo> {
    this.#emit({ type: 'command', argv: commands.showVmInfo(vm) });
    const info = await this.#client.showVmInfo(vm, options);
    if (info.isOk() && !isOnline(info.value)) this.#defaults.set(info.value.uuid, info.value.balloonMb);
    return info;
  }

  async #guestMemory(vms: readonly string[], options: CallOptions): Async<GuestMemory[]> {
    this.#emit({ type: 'command', argv: commands.metricsQuery() });
    return this.#client.guestMemory(vms, options);
  }

  async #setLive(vm: string, sizeMb: number, options: CallOptions): Async<void> {
    this.#emit({ type: 'command', argv: commands.setLiveBalloon(vm, sizeMb) });
    return this.#client.setLiveBalloon(vm, sizeMb, options);
  }

  async #modify(vm: string, settings: ModifyVmSettings, options: CallOptions): Async<void> {
    this.#emit({ type: 'command', argv: commands.modifyVm(vm, settings) });
    return this.#client.modifyVm(vm, settings, options);
  }

  // Before the first live change, the runtime value of a VM is its default (unless someone else changed it).
  #rememberDefault(info: VmInfo): void {
    if (!this.#defaults.has(info.uuid)) this.#defaults.set(info.uuid, info.balloonMb);
  }

  async #runningInfos(from: readonly string[] | undefined, options: CallOptions): Async<{ ref: string; info: VmInfo }[]> {
    let refs: readonly string[];
    if (from === undefined) {
      this.#emit({ type: 'command', argv: commands.listRunningVms() });
      const list = await this.#client.listRunningVms(options);
      if (list.isErr()) return err(list.error);
      refs = list.value.map(commandRef);
    } else {
      refs = from;
    }
    const infos = await Promise.all(refs.map((ref) => this.#show(ref, options)));
    const out: { ref: string; info: VmInfo }[] = [];
    for (const [i, r] of infos.entries()) {
      if (r.isErr()) return err(r.error);
      out.push({ ref: refs[i] ?? r.value.name, info: r.value });
    }
    return ok(out);
  }

  async #candidates(from: readonly string[] | undefined, options: CallOptions): Async<{ ref: string; info: VmInfo; guest: GuestMemory | null }[]> {
    const infos = await this.#runningInfos(from, options);
    if (infos.isErr()) return err(infos.error);
    const running = infos.value.filter((v) => isOnline(v.info)).map((v) => v.ref);
    const mem = running.length === 0 ? ok([]) : await this.#guestMemory(running, options);
    if (mem.isErr()) return err(mem.error);
    const byRef = new Map(mem.value.map((m) => [m.vm, m]));
    return ok(infos.value.map((v) => ({ ...v, guest: byRef.get(v.ref) ?? null })));
  }

  async #rollBack(cause: BalloonError, applied: readonly BalloonChange[]): Promise<BalloonError> {
    const restored: { vm: string; toMb: number }[] = [];
    const notRestored: { vm: string; error: BalloonError }[] = [];
    // Undo in reverse order, without the caller's signal: a half-applied reclaim must not be left behind.
    for (const change of [...applied].reverse()) {
      const back = await this.#setLive(change.vm, change.fromMb, {});
      if (back.isOk()) restored.push({ vm: change.vm, toMb: change.fromMb });
      else notRestored.push({ vm: change.vm, error: back.error });
    }
    const e = applyFailed(cause, restored, notRestored);
    this.#emit({ type: 'warning', vm: cause.vm, message: e.message });
    return e;
  }

  async #wait(vm: string, toMb: number, w: WaitOptions, signal: AbortSignal | undefined): Async<WaitOutcome> {
    const timeoutMs = w.timeoutMs ?? 30_000;
    const tolerance = w.toleranceMb ?? 16;
    const pollMs = w.pollMs ?? 1000;
    const started = performance.now();
    for (;;) {
      const mem = await this.#guestMemory([vm], signal === undefined ? {} : { signal });
      if (mem.isErr()) return err(mem.error);
      const actualMb = mem.value[0]?.balloonMb ?? null;
      const elapsedMs = performance.now() - started;
      w.onProgress?.({ actualMb, elapsedMs });
      if (actualMb !== null && Math.abs(actualMb - toMb) <= tolerance) return ok({ reached: true, actualMb, elapsedMs });
      if (elapsedMs + pollMs > timeoutMs) return ok({ reached: false, actualMb, elapsedMs });
      if (!(await sleep(pollMs, signal))) return err(aborted(vm));
    }
  }
}

function isOnline(vm: VmInfo): boolean {
  return vm.state === 'running' || vm.state === 'paused';
}

