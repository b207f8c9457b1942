// The real adapter: the port over VBoxManage, run through execa (loaded on first use) by ./invoke.ts.
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { parseError, vboxManageFailed, type BalloonError } from '../errors/index.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo, VmSummary } from '../domain/vm-info.js';
import { checkCall, type CheckedCall, type PortCall } from '../port/check-input.js';
import type { CallOptions, CloneVmOptions, GuestMemory, GuestMemoryOptions, HostMemory, ModifyVmSettings, StartVmOptions, UnregisterVmOptions, VBoxManageClient } from '../port/client.js';
import { clonedOutput, unregisteredOutput } from '../port/clone-vm.js';
import { parseHostInfo } from '../port/parse/hostinfo.js';
import { parseShowVmInfo } from '../port/parse/showvminfo.js';
import { parseVersion, type VBoxVersion } from '../port/parse/version.js';
import { parseVmList } from '../port/parse/vm-list.js';
import { startedOutput } from '../port/start-vm.js';
import { clientSettings, type ExecaVBoxManageClientOptions } from './client-options.js';
import { GuestMemoryReader } from './guest-memory-reader.js';
import { Invoker } from './invoke.js';

export type { ExecaVBoxManageClientOptions, RetryOptions } from './client-options.js';

// controlvm and modifyvm print nothing on stdout when they succeed: anything else means the answer cannot be trusted.
function silentSuccess(stdout: string, args: readonly string[], vm: string): Result<void, BalloonError> {
  if (stdout.trim() === '') return ok(undefined);
  const excerpt = JSON.stringify(stdout.slice(0, 80));
  return err(vboxManageFailed(vm, args, 0, '', null, false, `it exited 0 but printed ${excerpt}, which VBoxManage does not print on success`, 'unknown'));
}

/**
 * The real {@link VBoxManageClient}: runs VBoxManage with argv arrays (never a shell), under a fixed locale, with a
 * timeout, retries of transient lock errors, at most `maxConcurrency` processes, and one mutation at a time per VM.
 */
export class ExecaVBoxManageClient implements VBoxManageClient {
  readonly #invoker: Invoker;
  readonly #reader: GuestMemoryReader;
  readonly #invalid: BalloonError | null;

  /** Create a client; nothing runs until the first call. */
  constructor(options: ExecaVBoxManageClientOptions = {}) {
    // A constructor cannot return a Result: bad options are kept, and every call returns them (running nothing).
    const settings = clientSettings(options);
    this.#invalid = settings.invalid;
    // A change to a VM named by name and one named by UUID share a queue: the reader knows which UUID a name is.
    this.#invoker = new Invoker(settings, (vm) => this.#reader.vmKey(vm));
    this.#reader = new GuestMemoryReader(this.#invoker.exec, settings.metricsSettleMs);
  }

  /**
   * Create a client, or the `INVALID_ARGUMENT` error its options give. `new ExecaVBoxManageClient(options)` with bad
   * options never throws either: every call of that client returns the same error and runs nothing.
   */
  static create(options: ExecaVBoxManageClientOptions = {}): Result<ExecaVBoxManageClient, BalloonError> {
    const client = new ExecaVBoxManageClient(options);
    return client.#invalid === null ? ok(client) : err(client.#invalid);
  }

  /** The remote host, for a client over ssh; `null` for the VBoxManage on this machine. */
  get host(): string | null {
    return this.#invoker.host;
  }

  /** End the shared ssh connection (if any) and remove its private directory. Safe to call more than once. */
  close(): ResultAsync<void, BalloonError> {
    return new ResultAsync(this.#invoker.close().then(() => ok(undefined)).catch(() => ok(undefined)));
  }

  /** `VBoxManage --version`. */
  version(options: CallOptions = {}): ResultAsync<VBoxVersion, BalloonError> {
    return this.#run({ method: 'version', options }, parseVersion);
  }

  /** `VBoxManage list hostinfo`. */
  hostInfo(options: CallOptions = {}): ResultAsync<HostInfo, BalloonError> {
    return this.#run({ method: 'hostInfo', options }, parseHostInfo);
  }

  /** `VBoxManage list vms`. */
  listVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#run({ method: 'listVms', options }, parseVmList).map((vms) => this.#reader.learn(vms, true));
  }

  /** `VBoxManage list runningvms`. */
  listRunningVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#run({ method: 'listRunningVms', options }, parseVmList).map((vms) => this.#reader.learn(vms, false));
  }

  /** `VBoxManage showvminfo <vm> --machinereadable`. */
  showVmInfo(vm: string, options: CallOptions = {}): ResultAsync<VmInfo, BalloonError> {
    return this.#run({ method: 'showVmInfo', vm, options }, (out, c) =>
      parseShowVmInfo(out)
        .map((info) => {
          this.#reader.learn([{ name: info.name, uuid: info.uuid }], false);
          return info;
        })
        .mapErr((e) => parseError(e.source, out, e.reason, c.vm)),
    );
  }

  /** `VBoxManage controlvm <vm> guestmemoryballoon <sizeMb>`. */
  setLiveBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#run({ method: 'setLiveBalloon', vm, sizeMb, options }, (out, c) => silentSuccess(out, c.argv, c.vm as string));
  }

  /** `VBoxManage modifyvm <vm> --guestmemoryballoon <sizeMb>`. */
  setDefaultBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.modifyVm(vm, { defaultBalloonMb: sizeMb }, options);
  }

  /** `VBoxManage modifyvm <vm> --largepages on|off`. */
  setLargePages(vm: string, enabled: boolean, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.modifyVm(vm, { largePages: enabled }, options);
  }

  /** One `VBoxManage modifyvm` call with every given setting: all apply or none. */
  modifyVm(vm: string, settings: ModifyVmSettings, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#run({ method: 'modifyVm', vm, settings, options }, (out, c) => silentSuccess(out, c.argv, c.vm as string));
  }

  /** `VBoxManage startvm <vm> --type <type>`: ok once VirtualBox says the VM "has been successfully started". */
  startVm(vm: string, options: StartVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#run({ method: 'startVm', vm, options }, (out, c) => startedOutput(out, c.argv, c.vm as string));
  }

  /** `VBoxManage clonevm <base> --snapshot <s> --options link --name <n> --register`: ok once VirtualBox says the machine "has been successfully cloned". */
  cloneVm(base: string, options: CloneVmOptions): ResultAsync<void, BalloonError> {
    return this.#run({ method: 'cloneVm', vm: base, options }, (out, c) => clonedOutput(out, c.argv, c.vm as string, c.clone?.name ?? ''));
  }

  /** `VBoxManage unregistervm <vm> [--delete]`: a VM that is not running. */
  unregisterVm(vm: string, options: UnregisterVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#run({ method: 'unregisterVm', vm, options }, (out, c) => unregisteredOutput(out, c.argv, c.vm as string));
  }

  /** Guest memory of several VMs: `metrics setup` where needed, then one `metrics query` for all. */
  guestMemory(vms: readonly string[], options: GuestMemoryOptions = {}): ResultAsync<GuestMemory[], BalloonError> {
    const call = checkCall({ method: 'guestMemory', vms, options });
    if (call.isErr()) return new ResultAsync(Promise.resolve(err(call.error)));
    return new ResultAsync(this.#reader.read(call.value.vms, call.value.options, call.value.onRun));
  }

  /** Host memory from `VBoxManage list hostinfo`. */
  hostMemory(options: CallOptions = {}): ResultAsync<HostMemory, BalloonError> {
    return this.hostInfo(options).map((h) => ({ totalMb: h.memoryMb, freeMb: h.memoryAvailableMb, usedMb: Math.max(0, h.memoryMb - h.memoryAvailableMb) }));
  }

  // Check the call's arguments (once), run it (a change to a VM waits for the VM's earlier changes), parse its stdout.
  #run<T>(call: PortCall, parse: (stdout: string, checked: CheckedCall) => Result<T, BalloonError>): ResultAsync<T, BalloonError> {
    const checked = checkCall(call);
    if (checked.isErr()) return new ResultAsync(Promise.resolve(err(checked.error)));
    const c = checked.value;
    const mutation = c.method === 'setLiveBalloon' || c.method === 'modifyVm' || c.method === 'startVm' || c.method === 'cloneVm' || c.method === 'unregisterVm';
    return new ResultAsync(this.#invoker.exec(c.argv, c.vm, { ...c.options, mutation })).andThen((out) => parse(out, c));
  }
}
