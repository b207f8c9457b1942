// `plan` across hosts: one dry-run tick per host (BalloonFleet.autopilot), each against its own host's memory,
// printed host by host; a host whose tick failed is reported for that host and the others still print.
import type { AutopilotPolicy, FleetTickEvent, VmLimits } from '../../index.js';
import type { CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { planTable } from '../render-tick.js';
import { reportError } from '../report-error.js';
import { safe } from '../text.js';
import type { FleetConnection } from './connect-fleet.js';
import { reportHostFailures } from './outcome.js';
import { cliMessage } from '../error-words.js';

/** What `plan` plans with. */
export interface PlanSetup {
  readonly policy: AutopilotPolicy;
  readonly limits: Readonly<Record<string, VmLimits>> | undefined;
}

/** Plan one tick on every host; the JSON is one `FleetTickEvent` per host, in host order. */
export async function fleetPlan(ctx: CommandContext, connectFleet: () => FleetConnection, setup: PlanSetup): Promise<number> {
  const { fleet, members } = connectFleet();
  const events: FleetTickEvent[] = [];
  const started = fleet.autopilot({
    policy: setup.policy,
    dryRun: true,
    maxTicks: 1,
    signal: ctx.interrupt,
    ...(setup.limits === undefined ? {} : { limits: setup.limits }),
    onTick: (e) => events.push(e),
  });
  if (started.isErr()) return reportError(ctx, started.error);
  await started.value.done;
  const ordered = members.flatMap((m) => events.filter((e) => e.host === m.name));
  if (ordered.length < members.length) return EXIT.interrupted;
  const failures = ordered.flatMap((e) => {
    const whole = e.plan === null ? e.errors[0]?.error : undefined;
    return whole === undefined ? [] : [{ host: e.host, error: whole }];
  });
  if (ctx.ui.json) ctx.ui.printJson(ordered);
  else {
    const shown = ordered.filter((e) => e.plan !== null);
    if (shown.length > 0) ctx.ui.print(shown.map((e) => `${safe(e.host)}: ${planTable(e, ctx.ui.out)}`).join('\n'));
    for (const e of shown) for (const f of e.errors) ctx.ui.warn(f.vm === null ? e.host : `${e.host}: ${f.vm}`, cliMessage(f.error));
  }
  return reportHostFailures(ctx.ui, failures, ordered.length) ?? EXIT.ok;
}
