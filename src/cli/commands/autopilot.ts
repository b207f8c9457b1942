import { hostname } from 'node:os';
import type { TickEvent } from '../../index.js';
import { announceRun, autopilotOptions, metricsFromFlag, ticks, type AutopilotSetup } from '../autopilot-run.js';
import type { Command, CommandContext } from '../command.js';
import { configProblems, loadSettings, readSettings, SERVICE_ONLY_FLAGS } from '../config/load-settings.js';
import { SERVICE_FLAGS } from '../config/settings.js';
import { EXIT } from '../exit-codes.js';
import { stringFlag } from '../parse-command-line.js';
import { POLICY_FLAGS, POLICY_HELP } from '../policy-flags.js';
import { tickLine } from '../render-tick.js';
import { reportError } from '../report-error.js';
import { fleetAutopilot } from '../fleet/autopilot.js';
import { runService } from '../service/run-service.js';
import { isUsage } from '../sizes.js';

export const autopilot: Command = {
  name: 'autopilot',
  summary: 'Size every running VM\'s balloon automatically, tick after tick (in the foreground, or as a service with --config)',
  usage: 'vbox-balloon autopilot [--config FILE] [--policy budget|balloonctrl] [--interval 10s] [--dry-run] [--max-ticks N] [--metrics 127.0.0.1:9464] [--log-format text|json]',
  acrossHosts: true,
  printsUntilStopped: true,
  flags: { ...POLICY_FLAGS, ...SERVICE_FLAGS },
  help: `Runs until stopped: one log line per tick on stdout (what changed, backing vs budget, errors), or
one JSON object per tick with --json (the SDK's TickEvent). Ctrl-C (SIGINT) or SIGTERM ends it after
the current tick and exits 0; a second Ctrl-C stops at once (exit 130). A VM that fails in a tick is
reported in that tick and the loop goes on.
With several hosts (--host repeated, or --hosts FILE): one autopilot per host, each against its own
host's memory (--budget is per host), tick lines and JSON ticks tagged by host; it starts only when
every host can be reached and can balloon.

As a service (with --config FILE, or any of --log-format, --log-level, --state-dir, --on-exit): one
log line per decision, error, reload, start and stop (a steady tick logs nothing unless --log-level
debug); SIGHUP reads FILE again (a bad file keeps the settings in force); what it asked for is kept
in the state directory across restarts; while VBoxManage answers nothing, ticks come less often (up
to every 5 minutes) and /healthz fails after 3 failed ticks in a row. See docs/service.md.

Flags:
  --config FILE         The settings file (YAML, version: 1; see 'vbox-balloon config print');
                        flags override it. A JSON file of per-VM limits (0.1) is still read
  --interval DURATION   Time between ticks (default 10s)
  --max-backoff DURATION  While every VBoxManage call fails, the time between ticks doubles up to
                        this (default 5m)
  --dry-run             Plan and log, change nothing
  --max-ticks N         Stop after N ticks
  --metrics HOST:PORT   Serve Prometheus metrics on /metrics and a /healthz that fails when the last tick
                        is older than 3 intervals (needs prom-client; loopback unless you name another
                        address, e.g. 0.0.0.0:9464; see docs/metrics.md)
  --log-format text|json  Log lines as text (under systemd with <N> priority prefixes) or JSON
  --log-level LEVEL     error, warning, info (default) or debug (every tick)
  --state-dir DIR       Where what it asked for is kept (default $STATE_DIRECTORY under systemd,
                        else $XDG_STATE_HOME/vbox-balloon)
  --on-exit keep|restore  On stop, leave the balloons (keep, default) or put back those it changed
${POLICY_HELP}

Examples:
  vbox-balloon autopilot --policy budget --budget 24G --interval 30s
  vbox-balloon autopilot --policy balloonctrl --config limits.json --json | tee ticks.jsonl
  vbox-balloon autopilot --policy budget --budget 75% --hosts lab.hosts --metrics 127.0.0.1:9464
  vbox-balloon autopilot --config /etc/vbox-balloon/vbox.yaml --log-format json

Output:
  2026-12-01T22:00:00.000Z tick 1: 2 changes (web-1 0->100 MB, web-2 0->100 MB), backing 24576 -> 24376 MB of 26214 MB budget, 0 errors`,
  async run(ctx) {
    if (ctx.args.positionals.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(ctx.args.positionals[0])}`);
    const read = await readSettings(ctx);
    if (isUsage(read) || typeof read === 'number') return read;
    const { settings, configFile } = read;
    const service = configFile !== null || SERVICE_ONLY_FLAGS.some((f) => stringFlag(ctx.args, f) !== undefined);
    if (service) {
      if (ctx.ui.json) return ctx.usage('--json streams the tick events of the foreground autopilot; as a service it logs, one JSON object a line with --log-format json');
      return runService(ctx, { settings, configFile, reread: async () => configProblems(await loadSettings(ctx)) });
    }
    const { setup } = settings;
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
