import { hostname } from 'node:os';
import type { TickEvent } from '../../index.js';
import { announceRun, autopilotOptions, metricsFromFlag, ticks, type AutopilotSetup } from '../autopilot-run.js';
import type { Command, CommandContext } from '../command.js';
import { readLimits } from '../config-file.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { POLICY_FLAGS, POLICY_HELP, policyFromFlags } from '../policy-flags.js';
import { tickLine } from '../render-tick.js';
import { reportError } from '../report-error.js';
import { fleetAutopilot } from '../fleet/autopilot.js';
import { isUsage, optionalCount, optionalDuration } from '../sizes.js';

export const autopilot: Command = {
  name: 'autopilot',
  summary: 'Size every running VM\'s balloon automatically, tick after tick, in the foreground',
  usage: 'vbox-balloon autopilot --policy budget|balloonctrl [--interval 10s] [--dry-run] [--max-ticks N] [--config FILE] [--metrics 127.0.0.1:9464]',
  acrossHosts: true,
  printsUntilStopped: true,
  flags: { ...POLICY_FLAGS, interval: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'max-ticks': { type: 'string' }, metrics: { type: 'string' } },
  help: `Runs until stopped: one log line per tick on stdout (what changed, backing vs budget, errors), or
one JSON object per tick with --json (the SDK's TickEvent). Ctrl-C (SIGINT) or SIGTERM ends it after
the current tick and exits 0; a second Ctrl-C stops at once (exit 130). A VM that fails in a tick is
reported in that tick and the loop goes on.
With several hosts (--host repeated, or --hosts FILE): one autopilot per host, each against its own
host's memory (--budget is per host), tick lines and JSON ticks tagged by host; it starts only when
every host can be reached and can balloon.

Flags:
  --interval DURATION   Time between ticks (default 10s)
  --dry-run             Plan and log, change nothing
  --max-ticks N         Stop after N ticks
  --metrics HOST:PORT   Serve Prometheus metrics on /metrics and a /healthz that fails when the last tick
                        is older than 3 intervals (needs prom-client; loopback unless you name another
                        address, e.g. 0.0.0.0:9464; see docs/metrics.md)
${POLICY_HELP}

Examples:
  vbox-balloon autopilot --policy budget --budget 24G --interval 30s
  vbox-balloon autopilot --policy balloonctrl --config limits.json --json | tee ticks.jsonl
  vbox-balloon autopilot --policy budget --budget 75% --hosts lab.hosts --metrics 127.0.0.1:9464

Output:
  2026-12-01T22:00:00.000Z tick 1: 2 changes (web-1 0->100 MB, web-2 0->100 MB), backing 24576 -> 24376 MB of 26214 MB budget, 0 errors`,
  async run(ctx) {
    if (ctx.args.positionals.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(ctx.args.positionals[0])}`);
    const policy = policyFromFlags(ctx);
    if (isUsage(policy)) return policy;
    const intervalMs = optionalDuration(ctx, stringFlag(ctx.args, 'interval'), 'interval');
    if (isUsage(intervalMs)) return intervalMs;
    const maxTicks = optionalCount(ctx, stringFlag(ctx.args, 'max-ticks'), 'max-ticks');
    if (isUsage(maxTicks)) return maxTicks;
    const config = stringFlag(ctx.args, 'config');
    const limits = config === undefined ? undefined : await readLimits(config);
    if (limits !== undefined && 'problem' in limits) return ctx.usage(limits.problem);
    const setup: AutopilotSetup = { policy, dryRun: boolFlag(ctx.args, 'dry-run'), intervalMs, maxTicks, limits: limits?.limits };
    return ctx.fleet === null ? runOne(ctx, setup) : fleetAutopilot(ctx, ctx.fleet, setup);
  },
};

async function runOne(ctx: CommandContext, setup: AutopilotSetup): Promise<number> {
  const conn = ctx.connect();
  const { controller } = conn;
  // Fail fast when VBoxManage is missing or the host cannot balloon, rather than log a failed tick forever.
  const host = await controller.hostSupport({ signal: ctx.interrupt });
  if (host.isErr()) return reportError(ctx, host.error);
  if (!host.value.supported) {
    ctx.ui.refusal('HOST_UNSUPPORTED', `This host cannot balloon: ${host.value.reasons.join('; ')}. Nothing started.`, { reasons: host.value.reasons });
    return EXIT.refused;
  }
  const label = hostname();
  const metrics = await metricsFromFlag(ctx, [{ host: label, connection: conn }], setup);
  if (typeof metrics === 'number') return metrics;
  const drain = new AbortController();
  const started = controller.autopilot({
    ...autopilotOptions(setup, drain.signal),
    onTick: (e: TickEvent) => {
      metrics?.onTick(label, e);
      if (ctx.ui.json) ctx.ui.printJson(e, true);
      else if (!ctx.ui.quiet || e.applied.length > 0 || e.errors.length > 0) ctx.ui.print(tickLine(e));
    },
  });
  if (started.isErr()) {
    await metrics?.close();
    return reportError(ctx, started.error);
  }
  const ended = announceRun(ctx, setup, drain, '');
  const n = await started.value.done;
  ended();
  await metrics?.close();
  ctx.ui.note(`Autopilot stopped after ${ticks(n)}.`);
  return EXIT.ok;
}
