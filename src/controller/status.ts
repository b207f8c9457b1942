import { defaultBalloonBlockers, liveBalloonBlockers } from '../domain/balloon-rules.js';
import { maxBalloonMb } from '../domain/balloon-size.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo } from '../domain/vm-info.js';
import { stateInWords } from '../domain/vm-state.js';
import { ledgerVm, snapshotVmOf, type MemoryLedger } from '../host-memory/index.js';
import type { GuestMemory } from '../port/client.js';
import { pageFusionStatus } from './page-fusion.js';
import type { BalloonStatus } from './types.js';
import { guestFreeMeaning } from '../domain/guest-free.js';

// Why the guest's figures are missing, in the order a person would check.
function unreportedReason(vm: VmInfo, guest: GuestMemory | null): string | null {
  if (guest?.freeMb != null && guest.totalMb != null && guest.balloonMb != null) return null;
  if (vm.state !== 'running' && vm.state !== 'paused') return `the VM is ${stateInWords(vm.state)}; only a running guest reports its memory`;
  const level = vm.guestAdditions.runLevel;
  if (level === null || level < 2) {
    return `the Guest Additions are not running (run level ${level ?? 'none'}); they report guest memory and inflate the balloon`;
  }
  return 'the guest has not reported yet: metrics were just enabled, and the first values arrive within a few seconds';
}

/**
 * Put a VM's facts, its guest's report, the host and the host's memory ledger together into a {@link BalloonStatus};
 * `similar` is how many other VMs have the same OS type, when known (see {@link pageFusionStatus}). @internal
 */
export function buildStatus(vm: VmInfo, guest: GuestMemory | null, host: HostInfo | undefined, ledger: MemoryLedger, similar: number | null = null): BalloonStatus {
  const live = liveBalloonBlockers(vm, undefined, host);
  const def = defaultBalloonBlockers(vm, undefined, host);
  const reported = guest?.totalMb != null && guest.freeMb != null;
  return {
    name: vm.name,
    uuid: vm.uuid,
    state: vm.state,
    memoryMb: vm.memoryMb,
    maxBalloonMb: maxBalloonMb(vm.memoryMb),
    largePages: vm.largePages,
    guestAdditions: vm.guestAdditions,
    balloon: { requestedMb: vm.balloonMb, actualMb: guest?.balloonMb ?? null },
    guest: reported ? { totalMb: guest.totalMb, freeMb: guest.freeMb, freeMinMb: guest.freeMinMb, freeMeans: guestFreeMeaning(vm.osType) } : null,
    unreported: unreportedReason(vm, guest),
    live: { allowed: live.length === 0, blockers: live },
    default: { allowed: def.length === 0, blockers: def },
    pageFusion: pageFusionStatus(vm, guest, similar),
    memory: ledger.vms.find((v) => v.uuid === vm.uuid) ?? ledgerVm(snapshotVmOf(vm, guest ?? undefined), { mb: ledger.keepGuestFreeMb, percent: ledger.keepGuestFreePercent }),
  };
}
