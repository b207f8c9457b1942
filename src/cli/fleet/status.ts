// `status` across hosts: every host read in parallel, one table with a HOST column (or the SDK's FleetInspection
// as JSON); a host that fails is reported for that host and the others still print.
import type { BalloonStatus } from '../../index.js';
import type { CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { renderStatus } from '../render-status.js';
import { reportError } from '../report-error.js';
import type { FleetConnection } from './connect-fleet.js';
import { reportHostFailures } from './outcome.js';

/** Run `status [VM...]` on every host; VM names (or UUIDs) pick those VMs on whichever hosts have them. */
export async function fleetStatus(ctx: CommandContext, connectFleet: () => FleetConnection): Promise<number> {
  const names = ctx.args.positionals;
  const { fleet } = connectFleet();
  const read = await fleet.inspectAll({ signal: ctx.interrupt });
  if (read.isErr()) return reportError(ctx, read.error);
  const wanted = (s: BalloonStatus): boolean => names.length === 0 || names.includes(s.name) || names.includes(s.uuid);
  const hosts = read.value.hosts.map((h) => (h.ok ? { ...h, vms: h.vms.filter(wanted) } : h));
  const vms = read.value.vms.filter(wanted);
  if (ctx.ui.json) ctx.ui.printJson({ hosts, vms });
  else if (vms.length > 0) ctx.ui.print(renderStatus(vms.map((status) => ({ status, host: status.host })), names.length > 0, ctx.ui.out));
  else if (names.length === 0 && hosts.every((h) => h.ok)) ctx.ui.note('No VMs are registered on any host.');
  const failed = reportHostFailures(ctx.ui, hosts.flatMap((h) => (h.ok ? [] : [h])), hosts.length);
  const missing = names.filter((n) => !vms.some((v) => v.name === n || v.uuid === n));
  const where = failed === null ? 'any host' : 'any host that answered';
  for (const n of missing) ctx.ui.failure(`no VM named ${JSON.stringify(n)} on ${where}`);
  return failed ?? (missing.length > 0 ? EXIT.notFound : EXIT.ok);
}
