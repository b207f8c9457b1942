import { err, ok } from 'neverthrow';
import type { VmInfo } from '../domain/vm-info.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions, GuestMemory } from '../port/client.js';
import { isOnline, type Async, type ControllerCore } from './controller-core.js';
import { sameOsTypeCounts } from './page-fusion.js';
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
  return ok(buildStatus(info.value, mem.value.get(info.value.uuid) ?? null, host.value));
}

/** `inspectAll`, with its options already checked. @internal */
export async function inspectAll(core: ControllerCore, options: CallOptions): Async<BalloonStatus[]> {
  const host = await core.hostInfo(options, false);
  if (host.isErr()) return err(host.error);
  core.emit({ type: 'command', argv: commands.listVms() });
  const list = await core.client.listVms(options);
  if (list.isErr()) return err(list.error);
  const infos = await Promise.all(list.value.map((v) => core.show(v.uuid, options)));
  const readable: VmInfo[] = [];
  for (const [i, r] of infos.entries()) {
    if (r.isOk()) readable.push(r.value);
    // A VM unregistered meanwhile is simply gone; anything else is the caller's business.
    else if (r.error.code === 'VM_NOT_FOUND') core.emit({ type: 'warning', vm: list.value[i]?.name ?? null, message: 'the VM disappeared while it was being read' });
    else return err(r.error);
  }
  const mem = await core.guestMemory(readable.filter(isOnline), options);
  if (mem.isErr()) return err(mem.error);
  const similar = sameOsTypeCounts(readable);
  return ok(readable.map((v) => buildStatus(v, mem.value.get(v.uuid) ?? null, host.value, similar.get(v.uuid) ?? null)));
}
