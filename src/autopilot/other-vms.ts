// The VMs `list runningvms` does not list but that may hold host memory (starting, stopping, saving, restoring, stuck
// in a Guru Meditation, snapshotting online…): the host-memory model counts them with all of their RAM, so the
// autopilot must see them too. Read cheaply: `list vms` only when the running set changes, showvminfo only for a VM
// never seen, one that just left the running list, or one last seen holding memory.
import type { SnapshotVm } from '../domain/balloon-plan.js';
import { STATE_MEMORY, type VmState } from '../domain/vm-state.js';
import type { TickFailure } from '../events/tick-event.js';
import type { CallOptions } from '../port/client.js';
import type { AutopilotHost } from './autopilot-host.js';

interface OtherVm {
  readonly name: string;
  readonly memoryMb: number;
  readonly state: VmState;
}

/** What the loop remembers about the VMs outside the running list, by UUID. @internal */
export interface OtherVmsState {
  readonly seen: Map<string, OtherVm>;
  /** The running list of the last tick, or `null` before the first tick. */
  lastRunning: ReadonlySet<string> | null;
}

/** @internal */
export const otherVmsState = (): OtherVmsState => ({ seen: new Map(), lastRunning: null });

const holds = (v: OtherVm): boolean => STATE_MEMORY[v.state] !== 'none';

/**
 * The VMs outside `running` that hold memory now, as snapshot VMs (no guest figures: they count with all of their
 * RAM and are left alone). A failed read is reported in `errors` and the tick goes on. @internal
 */
export async function otherHoldingVms(host: Pick<AutopilotHost, 'allVms' | 'show'>, call: CallOptions, s: OtherVmsState, running: ReadonlySet<string>, errors: TickFailure[]): Promise<SnapshotVm[]> {
  const changed = s.lastRunning === null || s.lastRunning.size !== running.size || [...running].some((u) => s.lastRunning?.has(u) !== true);
  const left = s.lastRunning === null ? new Set<string>() : new Set([...s.lastRunning].filter((u) => !running.has(u)));
  s.lastRunning = running;
  for (const uuid of running) s.seen.delete(uuid);
  let todo = [...s.seen].filter(([, v]) => holds(v)).map(([uuid, v]) => ({ uuid, name: v.name }));
  if (changed) {
    const list = await host.allVms(call);
    if (list.isErr()) {
      errors.push({ vm: null, error: list.error });
    } else {
      const listed = new Set(list.value.map((v) => v.uuid));
      for (const uuid of [...s.seen.keys()]) if (!listed.has(uuid)) s.seen.delete(uuid);
      todo = list.value.filter((v) => !running.has(v.uuid) && (!s.seen.has(v.uuid) || left.has(v.uuid) || todo.some((t) => t.uuid === v.uuid)));
    }
  }
  const infos = await Promise.all(todo.map((v) => host.show(v.uuid, call)));
  for (const [i, info] of infos.entries()) {
    const vm = todo[i];
    if (vm === undefined) continue;
    if (info.isOk()) s.seen.set(vm.uuid, { name: info.value.name, memoryMb: info.value.memoryMb, state: info.value.state });
    else if (info.error.code === 'VM_NOT_FOUND') s.seen.delete(vm.uuid);
    else errors.push({ vm: vm.name, error: info.error });
  }
  return [...s.seen]
    .filter(([uuid, v]) => !running.has(uuid) && holds(v))
    .map(([uuid, v]) => ({ name: v.name, uuid, memoryMb: v.memoryMb, balloonMb: 0, requestedMb: 0, guestFreeMb: null, guestTotalMb: null, state: v.state }));
}
