// The simulated host's specs and its VM records, beside InMemoryVBoxManageClient.
import type { GuestAdditionsRunLevel, VmInfo, VmSnapshot } from '../domain/vm-info.js';
import { LIVE_BALLOON_STATES, type VmState } from '../domain/vm-state.js';
import type { VBoxManageClient } from '../port/client.js';
import type { SimulatedGuest } from './simulation/simulated-guest.js';
import { pageFusionGuest } from '../domain/balloon-rules.js';

/** The simulated host. */
export interface InMemoryHostSpec {
  /** Host OS as `list hostinfo` prints it. Default `Linux`; `Darwin` simulates macOS, where ballooning is refused. */
  readonly os?: string;
  /** Host OS version. Default `6.1.0`. */
  readonly osVersion?: string;
  /** Whether the host is 64-bit. Default `true`; `false` simulates a 32-bit host, where ballooning is refused. */
  readonly is64Bit?: boolean;
  /** Host RAM in MB. Default 65 536. */
  readonly memoryMb?: number;
  /** Host RAM in use by everything but the VMs, in MB. Default 2048. */
  readonly baseUsedMb?: number;
}

/** A simulated VM. */
export interface InMemoryVmSpec {
  /** The VM's name. */
  readonly name: string;
  /** The VM's UUID. Default: a UUID derived from the order of creation. */
  readonly uuid?: string;
  /** The VM's state. Default `poweroff`. */
  readonly state?: VmState;
  /** RAM in MB. Default 2048. */
  readonly memoryMb?: number;
  /** The default balloon (`modifyvm --guestmemoryballoon`), requested at every start. Default 0. */
  readonly defaultBalloonMb?: number;
  /** Large pages; `null` simulates an ARM VM, which has none. Default `false`. */
  readonly largePages?: boolean | null;
  /** Page Fusion (`modifyvm --pagefusion`). Default `false`. While it is on, a Windows guest reports an eighth of what it uses as shared memory (a stand-in figure). */
  readonly pageFusion?: boolean;
  /** The Guest Additions run level the guest reaches while it runs. Default 2 (VBoxService runs). */
  readonly guestAdditionsRunLevel?: GuestAdditionsRunLevel;
  /** Memory the guest itself uses, in MB. Default a quarter of its RAM. */
  readonly usedMb?: number;
  /** Guest OS type description. Default `Ubuntu (64-bit)`. */
  readonly osType?: string;
  /** How long after a start the guest reports no memory statistics (it is booting), in ms. Default 0. */
  readonly statsDelayMs?: number;
  /**
   * How long after a start the Guest Additions take to come up, in ms of simulated time: until then showvminfo shows
   * run level 0, the guest reports nothing and its balloon does not move (also for a VM created running). Default 0.
   */
  readonly additionsDelayMs?: number;
  /** For a VM created running or paused: the live balloon last asked for, in MB. Default its default balloon (as at a start). */
  readonly liveBalloonMb?: number;
  /** For a VM created running or paused: the balloon its guest has achieved, in MB (at most the live balloon). Default 0. */
  readonly achievedBalloonMb?: number;
  /** The VM's snapshots by name, oldest first (each the child of the one before); the last is the current one. Default none. */
  readonly snapshots?: readonly string[];
}

/** Options of {@link InMemoryVBoxManageClient}. */
export interface InMemoryVBoxManageClientOptions {
  /** The simulated host. */
  readonly host?: InMemoryHostSpec;
  /** What `--version` prints. Default `7.0.10r158379`. */
  readonly version?: string;
  /** The VMs registered at the start. */
  readonly vms?: readonly InMemoryVmSpec[];
  /**
   * How fast a guest inflates or deflates its balloon, in MB per second of simulated time ({@link InMemoryVBoxManageClient.advanceTime}).
   * Default `Infinity`: a balloon reaches its target at once.
   */
  readonly balloonRateMbPerSec?: number;
  /**
   * How many of the latest operations `calls` keeps (the oldest are dropped, so a simulation of weeks stays small);
   * `callCount` counts them all. Default 10 000; 0 keeps none.
   */
  readonly callLogLimit?: number;
}

/** One operation the in-memory client performed, with the VBoxManage argv the real client would have run. */
export interface InMemoryCall {
  /** The client method. */
  readonly method: keyof VBoxManageClient;
  /** The equivalent VBoxManage arguments. */
  readonly argv: readonly string[];
}

/** A simulated VM. @internal */
export interface SimVm {
  name: string;
  uuid: string;
  state: VmState;
  memoryMb: number;
  defaultBalloonMb: number;
  readonly guest: SimulatedGuest;
  readonly statsDelayMs: number;
  readonly additionsDelayMs: number;
  largePages: boolean | null;
  pageFusion: boolean;
  runLevel: GuestAdditionsRunLevel;
  osType: string;
  locked: boolean;
  metricsOn: boolean;
  snapshots: VmSnapshot[];
  /** What the guest uses at its start, in MB: what a clone of it starts with. */
  readonly usedMb: number;
}

export const RUNNING_LIST_STATES: readonly VmState[] = ['running', 'paused', 'teleporting', 'livesnapshotting', 'teleportingpausedvm'];
export const online = (vm: SimVm): boolean => LIVE_BALLOON_STATES.includes(vm.state);

/** What `showvminfo` shows of a simulated VM. @internal */
export function vmInfo(v: SimVm, additionsUp = true): VmInfo {
  const running = online(v);
  const runLevel = additionsUp ? v.runLevel : 0;
  const raw = new Map<string, string>([
    ['name', v.name],
    ['UUID', v.uuid],
    ['ostype', v.osType],
    ['memory', String(v.memoryMb)],
    ['VMState', v.state],
    ['GuestMemoryBalloon', String(running ? v.guest.requestedMb : v.defaultBalloonMb)],
  ]);
  raw.set('pagefusion', v.pageFusion ? 'on' : 'off');
  if (v.largePages !== null) raw.set('largepages', v.largePages ? 'on' : 'off');
  if (running) raw.set('GuestAdditionsRunLevel', String(runLevel));
  // A line of snapshots, each the child of the one before, as showvminfo keys them: SnapshotName, SnapshotName-1, …
  v.snapshots.forEach((s, i) => {
    const suffix = '-1'.repeat(i);
    raw.set(`SnapshotName${suffix}`, s.name);
    raw.set(`SnapshotUUID${suffix}`, s.uuid);
  });
  const current = v.snapshots.at(-1) ?? null;
  if (current !== null) {
    raw.set('CurrentSnapshotName', current.name);
    raw.set('CurrentSnapshotUUID', current.uuid);
  }
  return {
    name: v.name,
    uuid: v.uuid,
    state: v.state,
    memoryMb: v.memoryMb,
    // While the VM runs, showvminfo prints the runtime (last live) value, otherwise the default.
    balloonMb: running ? v.guest.requestedMb : v.defaultBalloonMb,
    largePages: v.largePages,
    pageFusion: v.pageFusion,
    guestAdditions: running ? { runLevel, version: runLevel > 0 ? '7.0.10 r158379' : null } : { runLevel: null, version: null },
    osType: v.osType,
    snapshots: v.snapshots.map((s) => ({ ...s })),
    currentSnapshot: current === null ? null : { ...current },
    raw,
  };
}

/**
 * The simulated `Guest/RAM/Usage/Shared` of a guest that reports, in MB: a stand-in figure, not a prediction. With
 * Page Fusion on and a Windows guest (VirtualBox's Page Fusion works with Windows 2000 and later guests only), an
 * eighth of what the guest uses; otherwise 0. The VBoxManage stand-in of the tests reports the same. @internal
 */
export function simulatedSharedMb(v: Pick<SimVm, 'pageFusion' | 'osType'>, usedMb: number): number {
  return v.pageFusion && pageFusionGuest(v.osType) === true ? Math.floor(usedMb / 8) : 0;
}
