// The autopilot's snapshot in the host-memory model: the figures both policies plan with and report. Pure.
import { memoryLedger, whyNoBalloon, type LedgerVm, type MemoryLedger, type MemoryRules, type MemorySnapshotVm } from '../host-memory/index.js';
import type { BalloonSnapshot, SnapshotVm } from '../domain/balloon-plan.js';

/**
 * One snapshot VM for the ledger: a VM without statistics has no achieved balloon (it counts with all of its RAM);
 * the balloon last asked for is the live request (a deflation under way counts as done); a held balloon counts as
 * reached. @internal
 */
export function ledgerInput(v: SnapshotVm): MemorySnapshotVm {
  return {
    name: v.name,
    uuid: v.uuid,
    state: v.state ?? 'running',
    memoryMb: v.memoryMb,
    requestedMb: v.lastAskedMb ?? v.balloonMb,
    balloonMb: v.guestFreeMb === null ? null : v.balloonMb,
    guestFreeMb: v.guestFreeMb,
    ...(v.guestFreeMinMb === undefined ? {} : { guestFreeMinMb: v.guestFreeMinMb }),
    ...(v.coolDown === undefined ? {} : { coolDown: v.coolDown }),
    ...(v.peakUsedMb === undefined ? {} : { peakUsedMb: v.peakUsedMb }),
    ...(v.cautionMb === undefined ? {} : { cautionMb: v.cautionMb, ...(v.cautionWhy === undefined ? {} : { cautionWhy: v.cautionWhy }) }),
    largePages: v.largePages ?? null,
    ...(v.limits === undefined ? {} : { limits: v.limits }),
    ...(v.heldMb === undefined ? {} : { heldMb: v.heldMb }),
  };
}

/** The ledger of an autopilot snapshot: memory reserved for starts counts against the headroom. @internal */
export function snapshotLedger(snapshot: BalloonSnapshot, rules: MemoryRules): MemoryLedger {
  const reservedMb = snapshot.host.reservedMb ?? 0;
  return memoryLedger(
    {
      host: { totalMb: snapshot.host.totalMb, freeMb: snapshot.host.freeMb },
      vms: snapshot.vms.map(ledgerInput),
      // The autopilot passes only reservations whose VM does not run yet; they belong to no VM of the snapshot.
      starting: reservedMb > 0 ? [{ uuid: '', needMb: reservedMb }] : [],
    },
    rules,
  );
}

/**
 * Why a policy leaves a VM as it is whatever its guest does, or `null` when it may move the balloon: the ledger's reason
 * for a VM that cannot balloon (large pages, a state other than running), else missing statistics. @internal
 */
export function cannotMove(vm: SnapshotVm, entry: LedgerVm | undefined): string | null {
  const live = vm.state === undefined || vm.state === 'running';
  if (entry !== undefined && !entry.canBalloon && (vm.largePages === true || !live)) return `${whyNoBalloon(entry)}; left alone`;
  if (vm.guestFreeMb === null) return 'guest statistics are not up yet; no change until the guest reports its free memory';
  if (entry === undefined) return 'it is not in the host-memory ledger; left alone';
  return entry.canBalloon ? null : `${whyNoBalloon(entry)}; left alone`;
}
