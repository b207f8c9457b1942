// Reading a whole host for the memory model: every registered VM (showvminfo each) and one metrics query for those
// that run. What inspectAll, memory and planStart read, once.
import { err, ok } from 'neverthrow';
import type { VmInfo } from '../domain/vm-info.js';
import type { CallOptions, GuestMemory } from '../port/client.js';
import { isOnline, type Async, type ControllerCore } from './controller-core.js';

/** Every registered VM and its guest's memory (running VMs only), by UUID. @internal */
export interface Inventory {
  readonly vms: readonly VmInfo[];
  readonly guests: ReadonlyMap<string, GuestMemory>;
}

/**
 * `list vms`, then showvminfo of each VM not in `known` (VMs the caller has read already), then one metrics query for
 * every running or paused VM. A VM unregistered meanwhile is left out with a warning. @internal
 */
export async function readInventory(core: ControllerCore, options: CallOptions, known: readonly VmInfo[] = []): Async<Inventory> {
  const list = await core.allVms(options);
  if (list.isErr()) return err(list.error);
  const seen = new Set(known.map((v) => v.uuid));
  const todo = list.value.filter((v) => !seen.has(v.uuid));
  const infos = await Promise.all(todo.map((v) => core.show(v.uuid, options)));
  const vms: VmInfo[] = [...known];
  for (const [i, r] of infos.entries()) {
    if (r.isOk()) {
      if (!seen.has(r.value.uuid)) vms.push(r.value);
      seen.add(r.value.uuid);
    } else if (r.error.code === 'VM_NOT_FOUND') core.emit({ type: 'warning', vm: todo[i]?.name ?? null, message: 'the VM disappeared while it was being read' });
    else return err(r.error);
  }
  const guests = await core.guestMemory(vms.filter(isOnline), options);
  if (guests.isErr()) return err(guests.error);
  return ok({ vms, guests: guests.value });
}
