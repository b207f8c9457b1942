import type { ResultAsync } from 'neverthrow';
import type { BalloonError } from '../errors/index.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo, VmSummary } from '../domain/vm-info.js';
import type { CallOptions } from '../validate/call-options.js';
import type { VBoxVersion } from './parse/version.js';

// The options every call takes are checked in src/validate, a floor below, and declared there.
export type { CallOptions } from '../validate/call-options.js';

/** Options of {@link VBoxManageClient.guestMemory}: the call options, and a listener for the runs it makes. */
export interface GuestMemoryOptions extends CallOptions {
  /**
   * Told the argv of every VBoxManage run this call makes (`metrics setup`, `metrics query`, a `list vms`), before it
   * runs: one call may make several. The controller forwards them to `onEvent` as `command` events.
   */
  readonly onRun?: (argv: readonly string[]) => void;
}

/** A guest's memory as its Guest Additions report it (the `Guest/RAM/Usage/*` metrics), in MB. */
export interface GuestMemory {
  /** The VM, as the caller named it. */
  readonly vm: string;
  /** Guest RAM in MB, or `null` while not reported. */
  readonly totalMb: number | null;
  /**
   * Free guest RAM in MB, the latest sample, or `null` while not reported. What it means depends on the guest: on
   * Linux MemFree + Buffers + Cached (page cache counts as free, tmpfs and shared memory in it included, though they
   * cannot be reclaimed); on Windows the available physical memory. See docs/concepts.md.
   */
  readonly freeMb: number | null;
  /**
   * The least free guest RAM over the metrics' collection window (the last 10 one-second samples,
   * `Guest/RAM/Usage/Free:min`), in MB, or `null` while not reported: a dip between two reads shows here. Read in
   * the same one query.
   */
  readonly freeMinMb: number | null;
  /** The achieved balloon in MB, or `null` while not reported. */
  readonly balloonMb: number | null;
  /** Guest disk cache in MB, or `null` while not reported. */
  readonly cacheMb: number | null;
  /**
   * Guest memory shared with other VMs through Page Fusion (`Guest/RAM/Usage/Shared`) in MB: 0 while Page Fusion
   * shares nothing (it is off, or the guest is not Windows), `null` while not reported. Read in the same one query.
   */
  readonly sharedMb: number | null;
}

/** Host memory where VBoxManage runs, in MB. */
export interface HostMemory {
  /** Total host RAM. */
  readonly totalMb: number;
  /** Host RAM available. Ballooned guest memory is NOT returned here: VirtualBox keeps it for other VMs. */
  readonly freeMb: number;
  /** `totalMb - freeMb`. */
  readonly usedMb: number;
}

/**
 * Settings for {@link VBoxManageClient.modifyVm}, applied together in one `modifyvm` call or not at all. The argv
 * is always in this order: `--guestmemoryballoon`, `--largepages`, `--pagefusion`.
 */
export interface ModifyVmSettings {
  /** The default balloon in MB (`--guestmemoryballoon`), requested at every start. */
  readonly defaultBalloonMb?: number;
  /** Large pages on or off (`--largepages`). */
  readonly largePages?: boolean;
  /** Page Fusion on or off (`--pagefusion`); VirtualBox has it on 64-bit hosts other than macOS. */
  readonly pageFusion?: boolean;
}

/** How `startvm` runs the VM: `headless` (no window: the default, for servers), `gui`, `sdl` or `separate`. */
export type StartVmType = 'headless' | 'gui' | 'sdl' | 'separate';

/** The start types `startvm --type` takes. */
export const START_VM_TYPES: readonly StartVmType[] = ['headless', 'gui', 'sdl', 'separate'];

/** Options of {@link VBoxManageClient.startVm}. */
export interface StartVmOptions extends CallOptions {
  /** How the VM runs. Default `headless`. */
  readonly type?: StartVmType;
}

/** Options of {@link VBoxManageClient.cloneVm}: a linked clone of one snapshot of the base, registered under `name`. */
export interface CloneVmOptions extends CallOptions {
  /** The base's snapshot to clone (its name or UUID). A linked clone needs one. */
  readonly snapshot: string;
  /** The clone's name: must not be taken, must not read as a UUID. */
  readonly name: string;
}

/** Options of {@link VBoxManageClient.unregisterVm}. */
export interface UnregisterVmOptions extends CallOptions {
  /** Also delete the VM's files and disks (`--delete`). Default `false`: the VM is only unregistered. */
  readonly delete?: boolean;
}

/**
 * The port the SDK talks to VirtualBox through: one method per VBoxManage command it needs. Every method returns a
 * `ResultAsync` and never throws. Implementations: {@link ExecaVBoxManageClient} (the real VBoxManage) and
 * {@link InMemoryVBoxManageClient} (a simulated host for tests and demos).
 */
export interface VBoxManageClient {
  /** `VBoxManage --version`. */
  version(options?: CallOptions): ResultAsync<VBoxVersion, BalloonError>;
  /** `VBoxManage list hostinfo`. */
  hostInfo(options?: CallOptions): ResultAsync<HostInfo, BalloonError>;
  /** `VBoxManage list vms`. */
  listVms(options?: CallOptions): ResultAsync<VmSummary[], BalloonError>;
  /** `VBoxManage list runningvms` (includes paused VMs). */
  listRunningVms(options?: CallOptions): ResultAsync<VmSummary[], BalloonError>;
  /** `VBoxManage showvminfo <vm> --machinereadable`. */
  showVmInfo(vm: string, options?: CallOptions): ResultAsync<VmInfo, BalloonError>;
  /** `VBoxManage controlvm <vm> guestmemoryballoon <sizeMb>`: the live balloon of a running or paused VM. */
  setLiveBalloon(vm: string, sizeMb: number, options?: CallOptions): ResultAsync<void, BalloonError>;
  /** `VBoxManage modifyvm <vm> --guestmemoryballoon <sizeMb>`: the default balloon of a VM that is off. */
  setDefaultBalloon(vm: string, sizeMb: number, options?: CallOptions): ResultAsync<void, BalloonError>;
  /** `VBoxManage modifyvm <vm> --largepages on|off` on a VM that is off. */
  setLargePages(vm: string, enabled: boolean, options?: CallOptions): ResultAsync<void, BalloonError>;
  /** Several settings in ONE `modifyvm` call, so that they apply together or not at all. */
  modifyVm(vm: string, settings: ModifyVmSettings, options?: CallOptions): ResultAsync<void, BalloonError>;
  /**
   * Guest memory of several VMs from the `Guest/RAM/Usage/*` metrics: `metrics setup` where needed, then ONE
   * `metrics query` for all of them, so the number of calls does not grow with the number of VMs. Values are `null`
   * while the guest has not reported (VM not running, metrics just enabled, no Guest Additions). `options.onRun` is
   * told each VBoxManage run the call makes.
   */
  guestMemory(vms: readonly string[], options?: GuestMemoryOptions): ResultAsync<GuestMemory[], BalloonError>;
  /**
   * `VBoxManage startvm <vm> --type <type>`: start a VM that is off, saved or aborted. Ok once VirtualBox reports
   * the VM powered on ("has been successfully started"); the guest then boots, and its Guest Additions come up later.
   * A VM that already runs is `INVALID_VM_STATE`; a start VirtualBox gives up on is `VBOXMANAGE_FAILED`.
   */
  startVm(vm: string, options?: StartVmOptions): ResultAsync<void, BalloonError>;
  /**
   * `VBoxManage clonevm <base> --snapshot <snapshot> --options link --name <name> --register`: a linked clone of the
   * base's snapshot, registered. Ok once VirtualBox says `Machine has been successfully cloned as "<name>"`. A base
   * that does not exist is `VM_NOT_FOUND`; a snapshot it does not have is `SNAPSHOT_NOT_FOUND`; a name that is taken
   * is `VM_EXISTS`; nothing is made in those cases. A call cut short may have made the clone (`outcome: 'unknown'`).
   */
  cloneVm(base: string, options: CloneVmOptions): ResultAsync<void, BalloonError>;
  /**
   * `VBoxManage unregistervm <vm> [--delete]`: unregister a VM that is not running (and with `delete`, remove its
   * files and disks). A VM that runs is `INVALID_VM_STATE` (its own session holds its lock).
   */
  unregisterVm(vm: string, options?: UnregisterVmOptions): ResultAsync<void, BalloonError>;
  /** Host memory where VBoxManage runs (from `list hostinfo`). */
  hostMemory(options?: CallOptions): ResultAsync<HostMemory, BalloonError>;
}
