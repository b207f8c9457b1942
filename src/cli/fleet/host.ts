// `host` across hosts: each host's support and VirtualBox version, read in parallel, one row per host; a host that
// fails is reported for that host and the others still print.
import type { CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import type { MemoryOptions } from '../../index.js';
import { memoryWords, osWords } from '../render-host.js';
import { mb, safe, table } from '../text.js';
import type { FleetConnection } from './connect-fleet.js';
import { reportHostFailures } from './outcome.js';

/** Run `host` on every host: exit 0 when every host can balloon, 3 when one cannot, the failure codes otherwise. */
export async function fleetHost(ctx: CommandContext, connectFleet: () => FleetConnection, budget: Omit<MemoryOptions, 'signal'>): Promise<number> {
  const { members } = connectFleet();
  const call = { signal: ctx.interrupt };
  const answers = await Promise.all(
    members.map(async ({ name, connection: { controller } }) => ({
      host: name,
      r: await controller
        .hostSupport(call)
        .andThen((h) => controller.client.version(call).map((v) => ({ ...h, vboxManageVersion: v })))
        .andThen((h) => controller.memory({ ...budget, ...call }).map((memory) => ({ ...h, memory }))),
    })),
  );
  const results = answers.map(({ host, r }) => (r.isOk() ? { host, ok: true as const, ...r.value } : { host, ok: false as const, error: r.error }));
  const good = results.flatMap((h) => (h.ok ? [h] : []));
  if (ctx.ui.json) ctx.ui.printJson(results);
  else if (good.length > 0) {
    const { out } = ctx.ui;
    const rows = good.map((h) => [safe(h.host), osWords(h), mb(h.memoryMb), mb(h.memoryAvailableMb), safe(h.vboxManageVersion.raw), h.supported ? out.green('supported') : `${out.red('NOT supported')}: ${h.reasons.join('; ')}`]);
    ctx.ui.print(table(['HOST', 'OS', 'RAM', 'AVAILABLE', 'VIRTUALBOX', 'BALLOONING'], rows, out));
    for (const h of good) ctx.ui.print(`${safe(h.host)}: ${memoryWords(h.memory)}`);
  }
  const failed = reportHostFailures(ctx.ui, results.flatMap((h) => (h.ok ? [] : [h])), results.length);
  return failed ?? (good.every((h) => h.supported) ? EXIT.ok : EXIT.refused);
}
