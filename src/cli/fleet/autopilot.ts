// `autopilot` across hosts: one autopilot per host (BalloonFleet.autopilot), each against its own host's memory,
// one stream of tick lines tagged by host, one metrics server for all, and Ctrl-C ending every loop after its tick.
import type { FleetTickEvent } from '../../index.js';
import { announceRun, autopilotOptions, metricsFromFlag, ticks, type AutopilotSetup } from '../autopilot-run.js';
import type { CommandContext } from '../command.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { tickLine } from '../render-tick.js';
import { reportError } from '../report-error.js';
import type { FleetConnection } from './connect-fleet.js';

// Every host is checked before any loop starts: a fleet half run would hide the host that is not.
async function checkHosts(ctx: CommandContext, conn: FleetConnection): Promise<number | null> {
  const checks = await Promise.all(conn.members.map(async (m) => ({ host: m.name, r: await m.connection.controller.hostSupport({ signal: ctx.interrupt }) })));
  let code: number | null = null;
  let first: string | null = null;
  const hosts: Record<string, unknown>[] = [];
  for (const { host, r } of checks) {
    if (r.isErr()) ctx.ui.errorLine(r.error, host);
    else if (!r.value.supported) ctx.ui.failure(`${host}: this host cannot balloon: ${r.value.reasons.join('; ')}`);
    else continue;
    code ??= r.isErr() ? exitCodeFor(r.error.code) : EXIT.refused;
    first ??= r.isErr() ? r.error.code : 'HOST_UNSUPPORTED';
    hosts.push(r.isErr() ? { host, ok: false, error: r.error } : { host, ok: false, reasons: r.value.reasons });
  }
  if (code === null) return null;
  const message = 'Nothing started: the autopilot runs only when every host can balloon (fix or leave out the hosts above).';
  if (ctx.ui.json) ctx.ui.printJson({ error: { code: first, vm: null, message, hosts } });
  ctx.ui.writeErr(`${message}\n`); // after the hosts' own error lines, always (even with --quiet)
  return code;
}

/** Run the autopilot on every host until stopped (or `--max-ticks`); exit 0 when every loop ended. */
export async function fleetAutopilot(ctx: CommandContext, connectFleet: () => FleetConnection, setup: AutopilotSetup): Promise<number> {
  const conn = connectFleet();
  const refused = await checkHosts(ctx, conn);
  if (refused !== null) return refused;
  const metrics = await metricsFromFlag(ctx, conn.members.map((m) => ({ host: m.name, connection: m.connection })), setup);
  if (typeof metrics === 'number') return metrics;
  const drain = new AbortController();
  const started = conn.fleet.autopilot({
    ...autopilotOptions(setup, drain.signal),
    onTick: (e: FleetTickEvent) => {
      metrics?.onTick(e.host, e);
      if (ctx.ui.json) ctx.ui.printJson(e, true);
      else if (!ctx.ui.quiet || e.applied.length > 0 || e.errors.length > 0) ctx.ui.print(tickLine(e, e.host));
    },
  });
  if (started.isErr()) {
    await metrics?.close();
    return reportError(ctx, started.error);
  }
  const ended = announceRun(ctx, setup, drain, ` on ${conn.members.length} host${conn.members.length === 1 ? '' : 's'}`);
  const done = await started.value.done;
  ended();
  await metrics?.close();
  ctx.ui.note(`Autopilot stopped: ${Object.entries(done).map(([host, n]) => `${host} after ${ticks(n)}`).join(', ')}.`);
  return EXIT.ok;
}
