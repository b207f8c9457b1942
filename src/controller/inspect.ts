import { err, ok } from 'neverthrow';
import { memoryLedger, snapshotOf, type MemoryLedger, type MemoryRules } from '../host-memory/index.js';
import type { CallOptions, GuestMemory } from '../port/client.js';
import { isOnline, type Async, type ControllerCore } from './controller-core.js';
import { sameOsTypeCounts } from './page-fusion.js';
import { readInventory } from './read-host.js';
import { buildStatus } from './status.js';
import type { BalloonStatus } from './types.js';

/** `inspect`, with its arguments already checked. @internal */
export async function inspect(core: ControllerCore, vm: string, options: CallOptions): Async<BalloonStatus> {
  const host = await core.hostInfo(options, false);
  if (host.isErr()) return err(host.error);
  const info = await core.show(vm, options);
  if (info.isErr()) return err(info.error);
  const mem = isOnline(info.value) ? await core.guestMemory([info.value], options) : ok(new Map<string, GuestMemory>());
  if (mem.isErr()) return err(mem.error);
  const ledger = memoryLedger(snapshotOf(host.value, [info.value], mem.value, core));
  return ok(buildStatus(info.value, mem.value.get(info.value.uuid) ?? null, host.value, ledger));
}

/** `inspectAll`, with its options already checked. @internal */
export async function inspectAll(core: ControllerCore, options: CallOptions): Async<BalloonStatus[]> {
  const host = await core.hostInfo(options, false);
  if (host.isErr()) return err(host.error);
  const read = await readInventory(core, options);
  if (read.isErr()) return err(read.error);
  const { vms, guests } = read.value;
  const ledger = memoryLedger(snapshotOf(host.value, vms, guests, core));
  const similar = sameOsTypeCounts(vms);
  return ok(vms.map((v) => buildStatus(v, guests.get(v.uuid) ?? null, host.value, ledger, similar.get(v.uuid) ?? null)));
}

/** `memory`, with its options already checked: the host's memory ledger from every VM on it. @internal */
export async function memory(core: ControllerCore, options: CallOptions & MemoryRules): Async<MemoryLedger> {
  const host = await core.hostInfo(options, true);
  if (host.isErr()) return err(host.error);
  const read = await readInventory(core, options);
  if (read.isErr()) return err(read.error);
  const rules = { ...(options.budgetMb === undefined ? {} : { budgetMb: options.budgetMb }), ...(options.budgetPercent === undefined ? {} : { budgetPercent: options.budgetPercent }), ...(options.keepGuestFreeMb === undefined ? {} : { keepGuestFreeMb: options.keepGuestFreeMb }), ...(options.keepGuestFreePercent === undefined ? {} : { keepGuestFreePercent: options.keepGuestFreePercent }) };
  return ok(memoryLedger(snapshotOf(host.value, read.value.vms, read.value.guests, core), rules));
}
