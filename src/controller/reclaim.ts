// reclaim and restore: memory taken from running guests and given back, behind the BalloonController facade.
import { err, ok } from 'neverthrow';
import type { VmFailure } from '../errors/index.js';
import type { VmInfo } from '../domain/vm-info.js';
import { stateInWords } from '../domain/vm-state.js';
import { chooseDonors, hostCannotBalloon, ledgerVms, reserveOf, snapshotVmOf, type MemorySnapshotVm } from '../host-memory/index.js';
import type { CallOptions, GuestMemory } from '../port/client.js';
import { applyLiveSteps } from './apply-changes.js';
import { isOnline, type Async, type ControllerCore } from './controller-core.js';
import type { BalloonChange } from '../events/index.js';
import type { ReclaimOptions, ReclaimResult, RestoreResult } from './types.js';

/** The VMs named by the caller, or every running VM; each resolved once (showvminfo). @internal */
export async function resolveVms(core: ControllerCore, from: readonly string[] | undefined, options: CallOptions): Async<VmInfo[]> {
  let refs: readonly string[];
  if (from === undefined) {
    const list = await core.runningVms(options);
    if (list.isErr()) return err(list.error);
    refs = list.value.map((v) => v.uuid);
  } else {
    refs = from;
  }
  const infos = await Promise.all(refs.map((ref) => core.show(ref, options)));
  const out: VmInfo[] = [];
  const seen = new Set<string>();
  for (const r of infos) {
    if (r.isErr()) {
      // A running VM that stopped or was unregistered since the list is simply gone; a VM the caller named is not.
      if (from === undefined && r.error.code === 'VM_NOT_FOUND') continue;
      return err(r.error);
    }
    // The same VM named twice (by name and by UUID) is one VM.
    if (seen.has(r.value.uuid)) continue;
    seen.add(r.value.uuid);
    out.push(r.value);
  }
  return ok(out);
}

/** The ledger's input for VMs that may give, with the balloons this controller holds for starts. @internal */
export function donorsOf(core: ControllerCore, vms: readonly VmInfo[], mem: ReadonlyMap<string, GuestMemory>): MemorySnapshotVm[] {
  return vms.map((v) => snapshotVmOf(v, mem.get(v.uuid), core.holds.get(v.uuid), core.guards.get(v.uuid)));
}

/** `reclaim`, with options already checked. @internal */
export async function reclaim(core: ControllerCore, options: ReclaimOptions): Async<ReclaimResult> {
  const keep = reserveOf(options);
  const vms = await resolveVms(core, options.from, options);
  if (vms.isErr()) return err(vms.error);
  const online = vms.value.filter(isOnline);
  const mem = await core.guestMemory(online, options);
  if (mem.isErr()) return err(mem.error);
  const ledger = ledgerVms(donorsOf(core, vms.value, mem.value), keep, hostCannotBalloon(core.host));
  const byUuid = new Map(vms.value.map((v) => [v.uuid, v]));
  for (const v of ledger) if (!v.canBalloon) core.emit({ type: 'warning', vm: v.vm, message: `left out of the reclaim: ${v.giveWhy}` });
  const plan = chooseDonors(ledger, options.megabytes, keep);
  if (plan.isErr()) return err(plan.error);
  const reclaimedMb = plan.value.entries.reduce((sum, p) => sum + p.takeMb, 0);
  // A rollback puts back the live request each VM had (showvminfo), not the size its guest had reached.
  const steps = plan.value.entries.flatMap((p) => {
    const vm = byUuid.get(p.uuid);
    return vm === undefined ? [] : [{ vm, fromMb: vm.balloonMb, toMb: p.toMb }];
  });
  const result = { plan: plan.value.entries, reclaimedMb, leftOut: plan.value.leftOut };
  if (options.dryRun === true) return ok({ ...result, applied: [] });
  const applied = await applyLiveSteps(core, steps, options);
  if (applied.isErr()) return err(applied.error);
  return ok({ ...result, applied: applied.value });
}

/** `restore`, with its arguments already checked. @internal */
export async function restore(core: ControllerCore, vm: string | undefined, options: CallOptions): Async<RestoreResult> {
  const vms = await resolveVms(core, vm === undefined ? undefined : [vm], options);
  if (vms.isErr()) return err(vms.error);
  const changes: BalloonChange[] = [];
  const failed: VmFailure[] = [];
  const skipped: string[] = [];
  let aborted = false;
  for (const info of vms.value) {
    if (!isOnline(info)) {
      if (vm !== undefined) core.emit({ type: 'warning', vm: info.name, message: `it is ${stateInWords(info.state)}: its live balloon is already gone` });
      continue;
    }
    const known = core.defaults.get(info.uuid);
    const target = known ?? 0;
    if (info.balloonMb === target) continue;
    if (aborted || options.signal?.aborted === true) {
      aborted = true;
      skipped.push(info.name);
      continue;
    }
    if (known === undefined) core.emit({ type: 'warning', vm: info.name, message: 'its default balloon is unknown to this controller; deflating to 0' });
    const set = await core.setLive({ vm: info, fromMb: info.balloonMb, toMb: target }, options);
    if (set.isErr()) {
      failed.push({ vm: info.name, error: set.error });
      if (set.error.code === 'ABORTED') aborted = true;
      continue;
    }
    changes.push(set.value);
  }
  return ok({ changes, failed, aborted, skipped });
}
