// A VM as showvminfo and the guest's metrics describe it, turned into the ledger's input. Pure.
import { hostSupport, type HostInfo } from '../domain/host.js';
import type { VmInfo } from '../domain/vm-info.js';
import type { GuestMemory } from '../port/client.js';
import type { GuestGuard, MemorySnapshot, MemorySnapshotVm } from './types.js';

/**
 * One VM for the ledger: its state, RAM, live request (showvminfo's `GuestMemoryBalloon`), large pages and Guest
 * Additions from showvminfo, its achieved balloon and free memory from the guest's metrics (absent: not reported),
 * and the balloon held for a start, if any.
 */
export function snapshotVmOf(vm: VmInfo, guest: GuestMemory | undefined, heldMb?: number, guard?: GuestGuard): MemorySnapshotVm {
  const keep = { ...(guard?.keepFreeMb === undefined ? {} : { keepFreeMb: guard.keepFreeMb }), ...(guard?.keepFreePercent === undefined ? {} : { keepFreePercent: guard.keepFreePercent }) };
  return {
    name: vm.name,
    uuid: vm.uuid,
    state: vm.state,
    memoryMb: vm.memoryMb,
    requestedMb: vm.balloonMb,
    balloonMb: guest?.balloonMb ?? null,
    guestFreeMb: guest?.freeMb ?? null,
    guestFreeMinMb: guest?.freeMinMb ?? null,
    largePages: vm.largePages,
    additionsRunLevel: vm.guestAdditions.runLevel,
    ...(heldMb === undefined ? {} : { heldMb }),
    ...(guard?.coolDown === undefined ? {} : { coolDown: guard.coolDown }),
    ...(guard?.peakUsedMb === undefined ? {} : { peakUsedMb: guard.peakUsedMb }),
    ...(guard?.cautionMb === undefined ? {} : { cautionMb: guard.cautionMb, ...(guard.cautionWhy === undefined ? {} : { cautionWhy: guard.cautionWhy }) }),
    ...(Object.keys(keep).length === 0 ? {} : { limits: keep }),
  };
}

/** Why VirtualBox cannot balloon on this host, or `null` when it can or the host is not known yet. */
export function hostCannotBalloon(host: HostInfo | undefined): string | null {
  if (host === undefined) return null;
  const support = hostSupport(host);
  return support.isErr() ? support.error.reason : null;
}

/** What is held or pending on the controller: balloons inflated for starts and the starts' needs, by UUID. */
export interface Pending {
  /** Balloons being inflated to make room for a start (by UUID, the size asked for). */
  readonly holds: ReadonlyMap<string, number>;
  /** Starts in flight (by UUID of the VM being started, what its start needs). */
  readonly reservations: ReadonlyMap<string, number>;
  /** What an autopilot asks for each guest (by UUID): its own reserve, and a cool-down during which it gives nothing. */
  readonly guards?: ReadonlyMap<string, GuestGuard>;
}

/** One snapshot of a host from what the controller read: its host facts, its VMs, their guests, what is pending. */
export function snapshotOf(host: HostInfo, vms: readonly VmInfo[], guests: ReadonlyMap<string, GuestMemory>, pending?: Pending): MemorySnapshot {
  return {
    host: { totalMb: host.memoryMb, freeMb: host.memoryAvailableMb, cannotBalloon: hostCannotBalloon(host) },
    vms: vms.map((v) => snapshotVmOf(v, guests.get(v.uuid), pending?.holds.get(v.uuid), pending?.guards?.get(v.uuid))),
    starting: [...(pending?.reservations ?? new Map<string, number>())].map(([uuid, needMb]) => ({ uuid, needMb })),
  };
}
