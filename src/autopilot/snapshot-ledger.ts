// The autopilot's snapshot in the host-memory model: the figures both policies plan with and report. Pure.
import { memoryLedger, type MemoryLedger, type MemoryRules, type MemorySnapshotVm } from '../host-memory/index.js';
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
